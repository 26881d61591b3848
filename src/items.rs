//! The item table of a module and the name references written in it, as plain syntax facts.
//!
//! Owns: what each module defines (functions, types, traits, impls, `use`s, macros, …) with
//! visibility, test-only flag and source span, and every path the module's code names, each
//! tagged with the item it sits in. Facts are read from syn trees by [`extract`] in the same
//! worker that parsed the file (see `modtree`), so they hold no spans or tokens, only `Send` data.
//! Must not: resolve a name (that is `resolve`, which sees the whole crate) or touch the disk.

pub(crate) mod extract;

use serde::Serialize;

/// Index of an item in [`ModuleItems::items`].
pub type ItemIdx = u32;

/// Everything one module defines and names.
#[derive(Debug, Clone, Default)]
pub struct ModuleItems {
    pub items: Vec<ItemDef>,
    /// `use` declarations at module level, one per leaf of each use tree.
    pub uses: Vec<UseLeaf>,
    pub refs: Vec<PathRef>,
    /// `x.m()` calls whose receiver's type is written nearby (`self`, a typed parameter or `let`).
    pub method_calls: Vec<MethodRef>,
}

impl ModuleItems {
    /// Appends `other`, renumbering its item indices to follow ours.
    pub fn append(&mut self, mut other: ModuleItems) {
        let base = self.items.len() as ItemIdx;
        other.uses.iter_mut().for_each(|u| u.item += base);
        other.refs.iter_mut().for_each(|r| r.item += base);
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
    pub path: Vec<String>,
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
    pub path: Vec<String>,
    pub ns: Namespace,
    pub line: u32,
    pub test_only: bool,
    /// Glob imports of the enclosing blocks (`fn f() { use super::*; … }`), innermost first.
    pub block_globs: Vec<Vec<String>>,
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
