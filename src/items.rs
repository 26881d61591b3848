//! The item table of a module and the name references written in it, as plain syntax facts.
//!
//! Owns: what each module defines (functions, types, traits, impls, `use`s, macros, …) with
//! visibility, test-only flag and source span, and every path the module's code names, each
//! tagged with the item it sits in. Facts are read from syn trees by [`extract`] in the same
//! worker that parsed the file (see `modtree`), so they hold no spans or tokens, only `Send` data.
//! Paths are kept as symbols of the module's own [`Names`] table: a module's table is built in
//! one worker, with no lock, and the module's files are merged once, by [`ModuleItems::append`].
//! Must not: resolve a name (that is `resolve`, which sees the whole crate) or touch the disk.

pub(crate) mod extract;

use serde::Serialize;
use smallvec::SmallVec;

/// Index of an item in [`ModuleItems::items`].
pub type ItemIdx = u32;

/// A segment of a path written in a module: an index into the module's [`Names`].
pub type Sym = u32;

/// A path written in a module, as its segments' [`Sym`]s.
pub type SymPath = Box<[Sym]>;

/// The distinct segments written in one module's paths, each once. Paths repeat their names:
/// a generated 125K-line crate writes 109,631 segments, 9,112 of them distinct within their
/// module; tokio 96,823 and 29,464. Each path keeps 4 bytes a segment, not a string of its own.
#[derive(Debug, Clone, Default)]
pub struct Names(indexmap::IndexSet<Box<str>, foldhash::fast::FixedState>);

impl Names {
    /// The symbol of `text`, added if new.
    pub fn intern(&mut self, text: &str) -> Sym {
        match self.0.get_index_of(text) {
            Some(i) => i as Sym,
            None => self.0.insert_full(text.into()).0 as Sym,
        }
    }

    pub fn intern_path<S: AsRef<str>>(&mut self, path: &[S]) -> SymPath {
        path.iter().map(|s| self.intern(s.as_ref())).collect()
    }

    /// The text of a symbol of this table.
    pub fn text(&self, sym: Sym) -> &str {
        &self.0[sym as usize]
    }

    /// The segments of `path` as text (on the stack for paths of up to 4 segments).
    pub fn texts(&self, path: &[Sym]) -> SmallVec<[&str; 4]> {
        path.iter().map(|s| self.text(*s)).collect()
    }

    /// `a::b::c`.
    pub fn joined(&self, path: &[Sym]) -> String {
        self.texts(path).join("::")
    }
}

/// Everything one module defines and names.
#[derive(Debug, Clone, Default)]
pub struct ModuleItems {
    pub items: Vec<ItemDef>,
    /// `use` declarations at module level, one per leaf of each use tree.
    pub uses: Vec<UseLeaf>,
    pub refs: Vec<PathRef>,
    /// `x.m()` calls whose receiver's type is written nearby (`self`, a typed parameter or `let`).
    pub method_calls: Vec<MethodRef>,
    /// The segments of `uses` and `refs`.
    pub names: Names,
}

impl ModuleItems {
    /// Appends `other`, renumbering its item indices to follow ours and its symbols to ours.
    pub fn append(&mut self, mut other: ModuleItems) {
        if self.items.is_empty()
            && self.uses.is_empty()
            && self.refs.is_empty()
            && self.method_calls.is_empty()
        {
            *self = other;
            // Kept for the whole run: no room to grow.
            self.items.shrink_to_fit();
            self.uses.shrink_to_fit();
            self.refs.shrink_to_fit();
            self.method_calls.shrink_to_fit();
            return;
        }
        let base = self.items.len() as ItemIdx;
        let syms: Vec<Sym> = other.names.0.iter().map(|n| self.names.intern(n)).collect();
        let renumber = |path: &mut SymPath| path.iter_mut().for_each(|s| *s = syms[*s as usize]);
        for u in &mut other.uses {
            u.item += base;
            renumber(&mut u.path);
        }
        for r in &mut other.refs {
            r.item += base;
            renumber(&mut r.path);
            r.block_globs.iter_mut().for_each(renumber);
        }
        other.method_calls.iter_mut().for_each(|m| m.item += base);
        self.items.append(&mut other.items);
        self.uses.append(&mut other.uses);
        self.refs.append(&mut other.refs);
        self.method_calls.append(&mut other.method_calls);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Fn,
    Struct,
    Enum,
    Union,
    Trait,
    TraitAlias,
    TypeAlias,
    Const,
    Static,
    Macro,
    /// An item-level macro call (`thread_local! { … }`): what it defines is not known.
    MacroCall,
    Impl,
    Use,
    ExternCrate,
    Mod,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Fn => "fn",
            ItemKind::Struct => "struct",
            ItemKind::Enum => "enum",
            ItemKind::Union => "union",
            ItemKind::Trait => "trait",
            ItemKind::TraitAlias => "trait_alias",
            ItemKind::TypeAlias => "type",
            ItemKind::Const => "const",
            ItemKind::Static => "static",
            ItemKind::Macro => "macro",
            ItemKind::MacroCall => "macro_call",
            ItemKind::Impl => "impl",
            ItemKind::Use => "use",
            ItemKind::ExternCrate => "extern_crate",
            ItemKind::Mod => "mod",
        }
    }
}

/// Written visibility. `pub(in path)` keeps the path as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Visibility {
    Private,
    Public,
    Crate,
    Super,
    In(String),
}

impl Visibility {
    pub fn as_str(&self) -> String {
        match self {
            Visibility::Private => "private".to_owned(),
            Visibility::Public => "pub".to_owned(),
            Visibility::Crate => "pub(crate)".to_owned(),
            Visibility::Super => "pub(super)".to_owned(),
            Visibility::In(path) => format!("pub(in {path})"),
        }
    }
}

/// A source position: 1-based line, 1-based column (in characters).
pub type LineCol = (u32, u32);

/// One item. Names of impls are written like rustc's paths show them: `<impl Display for Ty>`.
#[derive(Debug, Clone)]
pub struct ItemDef {
    pub name: String,
    pub kind: ItemKind,
    pub vis: Visibility,
    /// `#[cfg(test)]`, `#[test]` and the like on the item itself (the module's own test-only
    /// flag is on the module).
    pub test_only: bool,
    /// First and last position, outer attributes and doc comments included.
    pub span: (LineCol, LineCol),
    /// Index into the module's `files` of the file the item is written in (`include!`).
    pub file: u32,
    /// Enum variants; for a struct with tuple or unit fields, the struct is also a value.
    pub variants: Vec<String>,
    pub value_too: bool,
    /// A struct with a field that is not `pub`: code in another crate cannot build or read it.
    pub private_fields: bool,
    /// `#[macro_export]` on a `macro_rules!`, `#[macro_use]` on a `mod`.
    pub macro_scope: bool,
    /// For an impl: the self type's path (if it is a plain path) and the trait's path.
    pub impl_of: Option<ImplHeader>,
    /// For impls and traits: names of the associated functions, constants and types, sorted.
    pub assoc: Vec<String>,
}

impl ItemDef {
    pub fn lines(&self) -> u32 {
        self.span.1.0.saturating_sub(self.span.0.0) + 1
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImplHeader {
    pub self_ty: Option<Vec<String>>,
    pub trait_: Option<Vec<String>>,
}

/// One leaf of a `use` tree: `use a::{b as c, d::*}` gives `a::b` named `c` and the glob `a::d`.
/// A leading `::` is kept as a `"::"` segment.
#[derive(Debug, Clone)]
pub struct UseLeaf {
    pub item: ItemIdx,
    pub path: SymPath,
    /// The name the leaf binds (`_` for `as _`); `None` for a glob.
    pub name: Option<String>,
}

/// Which namespace a path's last segment is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Namespace {
    Type,
    Value,
    Macro,
    /// Unknown context (macro bodies, helper attributes, block-level `use`).
    Any,
    /// A lone identifier in a pattern: a constant, unit struct or variant if one is in scope,
    /// else a new binding.
    PatIdent,
}

/// A path written in an item: `item` is the module-level item whose text holds it.
#[derive(Debug, Clone)]
pub struct PathRef {
    pub item: ItemIdx,
    pub path: SymPath,
    pub ns: Namespace,
    pub line: u32,
    pub test_only: bool,
    /// Glob imports of the enclosing blocks (`fn f() { use super::*; … }`), innermost first.
    pub block_globs: Box<[SymPath]>,
}

/// `receiver.method()` where the receiver's type path is known from the text nearby.
#[derive(Debug, Clone)]
pub struct MethodRef {
    pub item: ItemIdx,
    pub receiver_ty: Vec<String>,
    pub method: String,
    pub line: u32,
    pub test_only: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(src: &str) -> ModuleItems {
        let file = syn::parse_file(src).unwrap();
        let mut out = ModuleItems::default();
        for item in &file.items {
            extract::module_item(item, 0, &mut out);
        }
        out
    }

    /// Each `use` path, then each reference, as text, with the item it is written in.
    fn paths(m: &ModuleItems) -> [Vec<String>; 2] {
        let uses = m.uses.iter().map(|u| format!("{} use {}", u.item, m.names.joined(&u.path))).collect();
        let refs = m
            .refs
            .iter()
            .map(|r| {
                let globs: Vec<String> = r.block_globs.iter().map(|g| m.names.joined(g)).collect();
                format!("{} {} globs {globs:?}", r.item, m.names.joined(&r.path))
            })
            .collect();
        [uses, refs]
    }

    #[test]
    fn appending_renumbers_items_and_symbols() {
        let mut first = module("use a::b;\nfn f() { b::c(); x::y(); }");
        let second = module("use x::z;\nfn g() { use b::*; z::c(); q(); }");
        assert!(first.names.0.len() > 1 && second.names.0.len() > 1);
        let items_before = first.items.len() as u32;
        let expected: Vec<Vec<String>> = paths(&first)
            .into_iter()
            .zip(paths(&second))
            .map(|(ours, theirs)| {
                let moved = theirs.into_iter().map(|p| {
                    let (item, rest) = p.split_once(' ').unwrap();
                    format!("{} {rest}", item.parse::<u32>().unwrap() + items_before)
                });
                ours.into_iter().chain(moved).collect()
            })
            .collect();
        first.append(second);
        assert_eq!(paths(&first).to_vec(), expected);
        assert!(expected[1].iter().any(|p| p == "3 z::c globs [\"b\"]"));
        // Names both modules wrote are kept once.
        let texts: Vec<&str> = first.names.0.iter().map(|n| &**n).collect();
        let mut unique = texts.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(texts.len(), unique.len());
    }

    #[test]
    fn appending_to_nothing_keeps_everything() {
        let second = module("use x::z;\nfn g() { z::c(); }");
        let mut first = ModuleItems::default();
        let expected = paths(&second);
        first.append(second);
        assert_eq!(paths(&first), expected);
    }
}
