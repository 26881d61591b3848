//! Reading one module-level item into [`ItemDef`]s, `use` leaves and path references.
//!
//! Local names are tracked lexically so that they do not become references: `let` bindings
//! (visible after their statement), function and closure parameters, `match`/`if let`/`for`
//! patterns, generic parameters, and items or `use`s declared inside blocks. A lone identifier in
//! a pattern is recorded as [`Namespace::PatIdent`]: it is a reference only if it resolves to a
//! constant or unit struct. Macro calls are read by parsing their arguments as items, else as a
//! comma-separated list of expressions, types or patterns; `macro_rules!` bodies contribute the
//! multi-segment paths and macro calls they spell out.

use super::{
    ImplHeader, ItemDef, ItemIdx, ItemKind, LineCol, MethodRef, ModuleItems, Namespace, PathRef, SymPath,
    UseLeaf, Visibility,
};
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{HashMap, HashSet};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, Item, Meta, Pat, Type};

/// Reads `item`, a module-level item of a module whose items are gathered in `out`. `mod`
/// items are recorded as items only: the module walk reads their contents.
///
/// For an item-level macro call, returns the items its whole input parses as (none when it
/// does not), so the module walk need not parse the input again; `None` for other items.
pub(crate) fn module_item(item: &Item, file: u32, out: &mut ModuleItems) -> Option<Vec<Item>> {
    let test_only = item_attrs(item).iter().any(|a| is_cfg_test(a) || is_test_attr(a));
    if let Item::ForeignMod(fm) = item {
        for fi in &fm.items {
            let (name, kind, vis, attrs) = match fi {
                syn::ForeignItem::Fn(f) => (f.sig.ident.unraw().to_string(), ItemKind::Fn, &f.vis, &f.attrs),
                syn::ForeignItem::Static(s) => {
                    (s.ident.unraw().to_string(), ItemKind::Static, &s.vis, &s.attrs)
                }
                syn::ForeignItem::Type(t) => {
                    (t.ident.unraw().to_string(), ItemKind::TypeAlias, &t.vis, &t.attrs)
                }
                _ => continue,
            };
            let mut def = new_def(name, kind, visibility(vis), test_only, span_of(fi), file);
            def.test_only |= attrs.iter().any(is_cfg_test);
            let idx = push_def(out, def);
            Walker::new(out, idx, test_only).visit_foreign_item(fi);
        }
        return None;
    }
    // An item-level macro call's input, read as items once: what the call defines depends on it.
    let call = match item {
        Item::Macro(m) if m.ident.is_none() => Some((m, MacroInput::read(&m.mac.tokens))),
        _ => None,
    };
    let def = describe(item, test_only, file, call.as_ref().map(|(_, input)| input));
    let idx = push_def(out, def);
    let is_call = call.is_some();
    if let Some((m, input)) = call {
        let (whole, defined) = (input.whole, input.items);
        if !defined.is_empty() {
            // `ast_struct! { pub struct X { … } }`, `cfg_if! { if #[cfg(…)] { … } }`: the
            // items written in the call are taken as defined here (their names usually survive
            // the expansion); the call itself names the macro.
            let line = path_line(&m.mac.path);
            Walker::new(out, idx, test_only).record(segments(&m.mac.path), Namespace::Macro, line);
            let first_new = out.items.len();
            for inner in &defined {
                module_item(inner, file, out);
            }
            out.items[first_new..].iter_mut().for_each(|d| d.test_only |= test_only);
            return Some(if whole { defined } else { Vec::new() });
        }
    }
    match item {
        Item::Mod(_) => {}
        Item::Use(u) => {
            let mut leaves = Vec::new();
            flatten_use(&u.tree, &mut Vec::new(), &mut leaves);
            for (path, name) in leaves {
                let path = out.names.intern_path(&path);
                out.uses.push(UseLeaf { item: idx, path, name });
            }
        }
        _ => Walker::new(out, idx, test_only).visit_item(item),
    }
    is_call.then(Vec::new)
}

/// The input of an item-level macro call read as items.
struct MacroInput {
    /// The whole input parses as items (at least one).
    whole: bool,
    /// Items written in the input: the whole input if it parses as items, else every
    /// brace-delimited group of it that does.
    items: Vec<Item>,
}

impl MacroInput {
    fn read(tokens: &TokenStream) -> Self {
        if let Ok(file) = syn::parse2::<syn::File>(tokens.clone())
            && !file.items.is_empty()
        {
            return MacroInput { whole: true, items: file.items };
        }
        let items = tokens
            .clone()
            .into_iter()
            .filter_map(|tt| match tt {
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                    syn::parse2::<syn::File>(g.stream()).ok()
                }
                _ => None,
            })
            .flat_map(|f| f.items)
            .collect();
        MacroInput { whole: false, items }
    }
}

fn push_def(out: &mut ModuleItems, def: ItemDef) -> ItemIdx {
    out.items.push(def);
    (out.items.len() - 1) as ItemIdx
}

fn new_def(
    name: String,
    kind: ItemKind,
    vis: Visibility,
    test_only: bool,
    span: (LineCol, LineCol),
    file: u32,
) -> ItemDef {
    ItemDef {
        name,
        kind,
        vis,
        test_only,
        span,
        file,
        variants: Vec::new(),
        value_too: false,
        private_fields: false,
        macro_scope: false,
        impl_of: None,
        assoc: Vec::new(),
    }
}

/// `input`: an item-level macro call's input, read as items.
fn describe(item: &Item, test_only: bool, file: u32, input: Option<&MacroInput>) -> ItemDef {
    let span = item_span(item);
    let def = |name: String, kind, vis: &syn::Visibility| {
        new_def(name, kind, visibility(vis), test_only, span, file)
    };
    match item {
        Item::Fn(f) => def(f.sig.ident.unraw().to_string(), ItemKind::Fn, &f.vis),
        Item::Struct(s) => {
            let mut d = def(s.ident.unraw().to_string(), ItemKind::Struct, &s.vis);
            d.value_too = !matches!(s.fields, syn::Fields::Named(_));
            d.private_fields = s.fields.iter().any(|f| !matches!(f.vis, syn::Visibility::Public(_)));
            d
        }
        Item::Enum(e) => {
            let mut d = def(e.ident.unraw().to_string(), ItemKind::Enum, &e.vis);
            d.variants = e.variants.iter().map(|v| v.ident.unraw().to_string()).collect();
            d
        }
        Item::Union(u) => def(u.ident.unraw().to_string(), ItemKind::Union, &u.vis),
        Item::Trait(t) => {
            let mut d = def(t.ident.unraw().to_string(), ItemKind::Trait, &t.vis);
            d.assoc = sorted_names(t.items.iter().map(|i| match i {
                syn::TraitItem::Fn(f) => Some(&f.sig.ident),
                syn::TraitItem::Const(c) => Some(&c.ident),
                syn::TraitItem::Type(t) => Some(&t.ident),
                _ => None,
            }));
            d
        }
        Item::TraitAlias(t) => def(t.ident.unraw().to_string(), ItemKind::TraitAlias, &t.vis),
        Item::Type(t) => def(t.ident.unraw().to_string(), ItemKind::TypeAlias, &t.vis),
        Item::Const(c) => def(c.ident.unraw().to_string(), ItemKind::Const, &c.vis),
        Item::Static(s) => def(s.ident.unraw().to_string(), ItemKind::Static, &s.vis),
        Item::ExternCrate(e) => {
            let name = match &e.rename {
                Some((_, rename)) => rename.to_string(),
                None => e.ident.unraw().to_string(),
            };
            def(name, ItemKind::ExternCrate, &e.vis)
        }
        Item::Mod(m) => {
            let mut d = def(m.ident.unraw().to_string(), ItemKind::Mod, &m.vis);
            d.macro_scope = m.attrs.iter().any(|a| a.path().is_ident("macro_use"));
            d
        }
        Item::Use(u) => def(format!("use {}", tokens_text(&u.tree.to_token_stream())), ItemKind::Use, &u.vis),
        Item::Macro(m) => match &m.ident {
            Some(ident) => {
                let mut d =
                    new_def(ident.to_string(), ItemKind::Macro, Visibility::Private, test_only, span, file);
                d.macro_scope = m.attrs.iter().any(|a| a.path().is_ident("macro_export"));
                if d.macro_scope {
                    d.vis = Visibility::Public;
                }
                d
            }
            // `bitflags! { pub struct Flags: u32 { … } }`, `lazy_static! { static ref X: … }`:
            // the type or static the call defines is what paths name.
            None => match defined_by_call(&m.mac, input.is_some_and(|i| i.whole)) {
                Some((name, kind, public)) => {
                    let vis = if public { Visibility::Public } else { Visibility::Private };
                    new_def(name, kind, vis, test_only, span, file)
                }
                None => new_def(
                    format!("{}!", tokens_text(&m.mac.path.to_token_stream())),
                    ItemKind::MacroCall,
                    Visibility::Private,
                    test_only,
                    span,
                    file,
                ),
            },
        },
        Item::Impl(i) => {
            let self_text = tokens_text(&i.self_ty.to_token_stream());
            let name = match &i.trait_ {
                Some((path, _)) => {
                    format!("<impl {} for {self_text}>", tokens_text(&path.to_token_stream()))
                }
                None => format!("<impl {self_text}>"),
            };
            let mut d = new_def(name, ItemKind::Impl, Visibility::Private, test_only, span, file);
            // `impl<T: X> Y for T` is about every type, not one of the crate's.
            let generic = |p: &Vec<String>| {
                p.len() == 1
                    && i.generics
                        .params
                        .iter()
                        .any(|g| matches!(g, syn::GenericParam::Type(t) if t.ident == p[0]))
            };
            d.impl_of = Some(ImplHeader {
                self_ty: type_path(&i.self_ty).filter(|p| !generic(p)),
                trait_: i.trait_.as_ref().map(|(p, _)| segments(p)),
            });
            d.assoc = sorted_names(i.items.iter().map(|i| match i {
                syn::ImplItem::Fn(f) => Some(&f.sig.ident),
                syn::ImplItem::Const(c) => Some(&c.ident),
                syn::ImplItem::Type(t) => Some(&t.ident),
                _ => None,
            }));
            d
        }
        other => new_def(
            tokens_text(&other.to_token_stream()).chars().take(40).collect(),
            ItemKind::MacroCall,
            Visibility::Private,
            test_only,
            span,
            file,
        ),
    }
}

/// Names of associated items, sorted for binary search.
fn sorted_names<'a>(idents: impl Iterator<Item = Option<&'a syn::Ident>>) -> Vec<String> {
    let mut names: Vec<String> = idents.flatten().map(ToString::to_string).collect();
    names.sort();
    names
}

fn span_of(node: &impl Spanned) -> (LineCol, LineCol) {
    line_cols(node.span())
}

fn line_cols(span: proc_macro2::Span) -> (LineCol, LineCol) {
    let (start, end) = (span.start(), span.end());
    ((start.line as u32, start.column as u32 + 1), (end.line as u32, end.column as u32 + 1))
}

/// A path's first token: its leading `::` or first segment.
fn path_start(path: &syn::Path) -> Option<proc_macro2::Span> {
    match (&path.leading_colon, path.segments.first()) {
        (Some(colon), _) => Some(colon.spans[0]),
        (None, Some(segment)) => Some(segment.ident.span()),
        (None, None) => None,
    }
}

/// Where a path starts (`span()` would print the whole path, generic arguments included, to
/// find it).
fn path_line(path: &syn::Path) -> u32 {
    path_start(path).unwrap_or_else(|| path.span()).start().line as u32
}

/// [`span_of`] an item, read from its first and last tokens. `span_of` prints the whole item
/// back into tokens to find them: a copy of every function body, the largest cost of reading
/// items after parsing itself. A test checks both agree on real sources.
fn item_span(item: &Item) -> (LineCol, LineCol) {
    let outer = |attrs: &[Attribute]| {
        attrs.iter().find(|a| matches!(a.style, syn::AttrStyle::Outer)).map(|a| a.pound_token.span)
    };
    let vis = |vis: &syn::Visibility| match vis {
        syn::Visibility::Public(p) => Some(p.span),
        syn::Visibility::Restricted(r) => Some(r.pub_token.span),
        syn::Visibility::Inherited => None,
    };
    let start = |attrs: &[Attribute], v: &syn::Visibility, keyword: proc_macro2::Span| {
        outer(attrs).or_else(|| vis(v)).unwrap_or(keyword)
    };
    let bounds = match item {
        Item::Const(i) => Some((start(&i.attrs, &i.vis, i.const_token.span), i.semi_token.span)),
        Item::Enum(i) => Some((start(&i.attrs, &i.vis, i.enum_token.span), i.brace_token.span.close())),
        Item::ExternCrate(i) => Some((start(&i.attrs, &i.vis, i.extern_token.span), i.semi_token.span)),
        Item::Fn(i) => {
            let s = &i.sig;
            let keyword = s
                .constness
                .map(|t| t.span)
                .or(s.asyncness.map(|t| t.span))
                .or(match &s.safety {
                    syn::Safety::Safe(t) => Some(t.span),
                    syn::Safety::Unsafe(t) => Some(t.span),
                    syn::Safety::Default => None,
                })
                .or(s.abi.as_ref().map(|a| a.extern_token.span))
                .unwrap_or(s.fn_token.span);
            Some((start(&i.attrs, &i.vis, keyword), i.block.brace_token.span.close()))
        }
        Item::Impl(i) => {
            let keyword = i
                .modifiers
                .defaultness
                .map(|t| t.span)
                .or(i.unsafety.map(|t| t.span))
                .unwrap_or(i.impl_token.span);
            Some((outer(&i.attrs).unwrap_or(keyword), i.brace_token.span.close()))
        }
        Item::Mod(i) => {
            let keyword = i.unsafety.map(|t| t.span).unwrap_or(i.mod_token.span);
            let end = match (&i.content, &i.semi) {
                (Some((brace, _)), _) => Some(brace.span.close()),
                (None, Some(semi)) => Some(semi.span),
                (None, None) => None,
            };
            end.map(|end| (start(&i.attrs, &i.vis, keyword), end))
        }
        Item::Static(i) => Some((start(&i.attrs, &i.vis, i.static_token.span), i.semi_token.span)),
        Item::Struct(i) => {
            let end = match (&i.fields, &i.semi_token) {
                (_, Some(semi)) => Some(semi.span),
                (syn::Fields::Named(f), None) => Some(f.brace_token.span.close()),
                _ => None,
            };
            end.map(|end| (start(&i.attrs, &i.vis, i.struct_token.span), end))
        }
        Item::Trait(i) => {
            let keyword = i
                .unsafety
                .map(|t| t.span)
                .or(i.modifiers.auto_token.map(|t| t.span))
                .unwrap_or(i.trait_token.span);
            Some((start(&i.attrs, &i.vis, keyword), i.brace_token.span.close()))
        }
        Item::TraitAlias(i) => Some((start(&i.attrs, &i.vis, i.trait_token.span), i.semi_token.span)),
        Item::Type(i) => Some((start(&i.attrs, &i.vis, i.type_token.span), i.semi_token.span)),
        Item::Union(i) => {
            Some((start(&i.attrs, &i.vis, i.union_token.span), i.fields.brace_token.span.close()))
        }
        Item::Use(i) => Some((start(&i.attrs, &i.vis, i.use_token.span), i.semi_token.span)),
        Item::Macro(i) => {
            let first = path_start(&i.mac.path);
            let end = i.semi_token.map(|t| t.span).unwrap_or(match &i.mac.delimiter {
                syn::MacroDelimiter::Paren(d) => d.span.close(),
                syn::MacroDelimiter::Brace(d) => d.span.close(),
                syn::MacroDelimiter::Bracket(d) => d.span.close(),
            });
            outer(&i.attrs).or(first).map(|first| (first, end))
        }
        _ => None,
    };
    match bounds {
        // Joined as quote's `span()` joins them: when the two are not of one parsed text (a
        // token made by splitcheck itself), the first alone.
        Some((first, last)) => line_cols(first.join(last).unwrap_or(first)),
        None => span_of(item),
    }
}

fn visibility(vis: &syn::Visibility) -> Visibility {
    match vis {
        syn::Visibility::Public(_) => Visibility::Public,
        syn::Visibility::Inherited => Visibility::Private,
        syn::Visibility::Restricted(r) => {
            let path = segments(&r.path).join("::");
            match (r.in_token.is_some(), path.as_str()) {
                (false, "crate") => Visibility::Crate,
                (false, "super") => Visibility::Super,
                (false, "self") => Visibility::Private,
                _ => Visibility::In(path),
            }
        }
    }
}

/// Path segments as text; a leading `::` becomes a `"::"` segment.
fn segments(path: &syn::Path) -> Vec<String> {
    let mut out = Vec::with_capacity(path.segments.len() + 1);
    if path.leading_colon.is_some() {
        out.push("::".to_owned());
    }
    out.extend(path.segments.iter().map(|s| s.ident.unraw().to_string()));
    out
}

/// The path of a type written as a plain path, behind any references: `&mut a::B<T>` → `a::B`.
fn type_path(ty: &Type) -> Option<Vec<String>> {
    match ty {
        Type::Path(p) if p.qself.is_none() => Some(segments(&p.path)),
        Type::Reference(r) => type_path(&r.elem),
        Type::Paren(p) => type_path(&p.elem),
        Type::Group(g) => type_path(&g.elem),
        _ => None,
    }
}

/// The paths of a `use` tree's leaves, in the order [`UseLeaf`]s are listed and
/// `text::without_leaves` counts them.
pub(crate) fn use_tree_paths(tree: &syn::UseTree) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    flatten_use(tree, &mut Vec::new(), &mut out);
    out.into_iter().map(|(path, _)| path).collect()
}

fn flatten_use(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.unraw().to_string());
            flatten_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.unraw().to_string();
            if name == "self" {
                // `use a::{self}` binds `a`.
                if let Some(last) = prefix.last() {
                    out.push((prefix.clone(), Some(last.clone())));
                }
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                out.push((path, Some(name)));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            let ident = r.ident.unraw().to_string();
            if ident != "self" {
                path.push(ident);
            }
            out.push((path, Some(r.rename.to_string())));
        }
        syn::UseTree::Glob(_) => out.push((prefix.clone(), None)),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, out);
            }
        }
    }
}

/// A lexical scope inside an item: local bindings, generic parameters, and what blocks declare.
#[derive(Default)]
struct Scope {
    values: HashSet<String>,
    types: HashSet<String>,
    /// Items declared in a block: names that resolve to something local to this item.
    items: HashSet<String>,
    uses: HashMap<String, Vec<String>>,
    globs: Vec<Vec<String>>,
    /// Locals whose type path is written nearby, for method calls.
    typed: HashMap<String, Vec<String>>,
}

enum Found<'a> {
    Local,
    Use(&'a [String]),
    Nothing,
}

struct Walker<'o> {
    out: &'o mut ModuleItems,
    item: ItemIdx,
    scopes: Vec<Scope>,
    test_depth: u32,
    self_ty: Option<Vec<String>>,
}

/// Attribute keys of derive helpers whose string value names a path the derive will call or
/// convert through (serde's `with`, `default`, `from`, …).
const HELPER_PATH_KEYS: &[&str] = &[
    "with",
    "serialize_with",
    "deserialize_with",
    "default",
    "from",
    "try_from",
    "into",
    "remote",
    "getter",
];

/// Well-known macros from std and core: never looked up in the crate.
const STD_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "cfg",
    "column",
    "compile_error",
    "concat",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "env",
    "eprint",
    "eprintln",
    "file",
    "format",
    "format_args",
    "include",
    "include_bytes",
    "include_str",
    "line",
    "matches",
    "module_path",
    "option_env",
    "panic",
    "print",
    "println",
    "stringify",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
];

impl<'o> Walker<'o> {
    fn new(out: &'o mut ModuleItems, item: ItemIdx, test_only: bool) -> Self {
        Walker { out, item, scopes: vec![Scope::default()], test_depth: u32::from(test_only), self_ty: None }
    }

    fn scope(&mut self) -> &mut Scope {
        self.scopes.last_mut().expect("the item scope is never popped")
    }

    fn with_scope(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push(Scope::default());
        f(self);
        self.scopes.pop();
    }

    fn with_test(&mut self, attrs: &[Attribute], f: impl FnOnce(&mut Self)) {
        let test = attrs.iter().any(|a| is_cfg_test(a) || is_test_attr(a));
        self.test_depth += u32::from(test);
        f(self);
        self.test_depth -= u32::from(test);
    }

    fn add_generics(&mut self, generics: &syn::Generics) {
        for param in &generics.params {
            match param {
                syn::GenericParam::Type(t) => {
                    self.scope().types.insert(t.ident.unraw().to_string());
                }
                syn::GenericParam::Const(c) => {
                    self.scope().values.insert(c.ident.unraw().to_string());
                }
                syn::GenericParam::Lifetime(_) => {}
            }
        }
    }

    fn lookup(&self, name: &str, ns: Namespace) -> Found<'_> {
        for scope in self.scopes.iter().rev() {
            let local = match ns {
                Namespace::Type => scope.types.contains(name),
                Namespace::Value | Namespace::PatIdent => scope.values.contains(name),
                Namespace::Any => scope.types.contains(name) || scope.values.contains(name),
                Namespace::Macro => false,
            };
            if local || scope.items.contains(name) {
                return Found::Local;
            }
            if let Some(path) = scope.uses.get(name) {
                return Found::Use(path);
            }
        }
        Found::Nothing
    }

    /// Records a path unless it names something local; block-level `use`s are substituted.
    fn record(&mut self, path: Vec<String>, ns: Namespace, line: u32) {
        let Some(first) = path.first() else { return };
        if first == "Self" || (path.len() == 1 && first == "self") {
            return;
        }
        // Only the first segment can be local; a lone segment is looked up in `ns`, a longer
        // path's first segment is a type or module.
        let first_ns = if path.len() == 1 { ns } else { Namespace::Type };
        let path = match self.lookup(first, first_ns) {
            Found::Local => return,
            Found::Use(prefix) => {
                let mut full = prefix.to_vec();
                full.extend(path[1..].iter().cloned());
                full
            }
            Found::Nothing => path,
        };
        let names = &mut self.out.names;
        let block_globs: Box<[SymPath]> =
            self.scopes.iter().rev().flat_map(|s| &s.globs).map(|g| names.intern_path(g)).collect();
        let path = names.intern_path(&path);
        let test_only = self.test_depth > 0;
        self.out.refs.push(PathRef { item: self.item, path, ns, line, test_only, block_globs });
    }

    fn record_path(&mut self, path: &syn::Path, ns: Namespace) {
        let line = path_line(path);
        self.record(segments(path), ns, line);
        for seg in &path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }

    /// A path with an optional `<T as Trait>::` prefix: the trait part is a type reference.
    fn record_qualified(&mut self, qself: &Option<syn::QSelf>, path: &syn::Path, ns: Namespace) {
        match qself {
            Some(q) => {
                self.visit_type(&q.ty);
                if q.position > 0 {
                    let segs: Vec<String> = segments(path).into_iter().take(q.position).collect();
                    self.record(segs, Namespace::Type, path_line(path));
                }
                for seg in &path.segments {
                    self.visit_path_arguments(&seg.arguments);
                }
            }
            None => self.record_path(path, ns),
        }
    }

    /// Declares what a block's statements bring into scope before walking them: items and
    /// `use`s in a block are visible in the whole block.
    fn declare_block_items(&mut self, stmts: &[syn::Stmt]) {
        for stmt in stmts {
            let syn::Stmt::Item(item) = stmt else { continue };
            match item {
                Item::Use(u) => {
                    let mut leaves = Vec::new();
                    flatten_use(&u.tree, &mut Vec::new(), &mut leaves);
                    for (path, name) in leaves {
                        match name {
                            Some(name) if name != "_" => {
                                self.scope().uses.insert(name, path);
                            }
                            Some(_) => {}
                            None => self.scope().globs.push(path),
                        }
                    }
                }
                Item::Mod(_) | Item::Impl(_) | Item::ForeignMod(_) => {}
                Item::Macro(m) => {
                    if let Some(ident) = &m.ident {
                        self.scope().items.insert(ident.to_string());
                    }
                }
                other => {
                    if let Some(name) = item_ident(other) {
                        self.scope().items.insert(name);
                    }
                }
            }
        }
    }

    fn note_typed_local(&mut self, pat: &Pat, ty: Option<Vec<String>>) {
        if let (Pat::Ident(p), Some(ty)) = (pat, ty) {
            self.scope().typed.insert(p.ident.unraw().to_string(), ty);
        }
    }

    fn receiver_type(&self, receiver: &Expr) -> Option<Vec<String>> {
        let Expr::Path(p) = receiver else { return None };
        let ident = p.path.get_ident()?.to_string();
        if ident == "self" {
            return self.self_ty.clone();
        }
        self.scopes.iter().rev().find_map(|s| s.typed.get(&ident).cloned())
    }

    fn macro_args(&mut self, tokens: &TokenStream) {
        if tokens.is_empty() {
            return;
        }
        if let Ok(file) = syn::parse2::<syn::File>(tokens.clone())
            && !file.items.is_empty()
        {
            for item in &file.items {
                self.visit_item(item);
            }
            return;
        }
        for chunk in split_top_level(tokens) {
            if let Ok(expr) = syn::parse2::<Expr>(chunk.clone()) {
                match &expr {
                    // `name = value` in format-like macros: `name` is not a path.
                    Expr::Assign(a) if matches!(&*a.left, Expr::Path(p) if p.path.get_ident().is_some()) => {
                        self.visit_expr(&a.right)
                    }
                    _ => self.visit_expr(&expr),
                }
            } else if let Ok(ty) = syn::parse2::<Type>(chunk.clone()) {
                self.visit_type(&ty);
            } else if let Ok(pat) =
                syn::parse::Parser::parse2(Pat::parse_multi_with_leading_vert, chunk.clone())
            {
                self.visit_pat(&pat);
            } else if let Ok(stmts) = syn::parse::Parser::parse2(syn::Block::parse_within, chunk) {
                self.with_scope(|w| {
                    w.declare_block_items(&stmts);
                    for stmt in &stmts {
                        w.visit_stmt(stmt);
                    }
                });
            }
        }
    }

    /// Multi-segment paths and macro calls spelled out in a `macro_rules!` body.
    fn macro_rules_body(&mut self, tokens: &TokenStream) {
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => {
                    self.macro_rules_body(&g.stream());
                    i += 1;
                }
                TokenTree::Ident(ident) => {
                    let after_dollar =
                        i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
                    let mut path = vec![if after_dollar && ident == "crate" {
                        "crate".to_owned()
                    } else {
                        ident.to_string()
                    }];
                    let line = ident.span().start().line as u32;
                    let mut j = i + 1;
                    while j + 2 < trees.len()
                        && is_path_sep(&trees[j], &trees[j + 1])
                        && let TokenTree::Ident(next) = &trees[j + 2]
                    {
                        path.push(next.to_string());
                        j += 3;
                    }
                    let is_macro_call = matches!(trees.get(j), Some(TokenTree::Punct(p)) if p.as_char() == '!')
                        && matches!(trees.get(j + 1), Some(TokenTree::Group(_)));
                    if after_dollar && ident != "crate" {
                        // A metavariable.
                    } else if is_macro_call && path.len() == 1 {
                        if path[0] != "macro_rules" {
                            self.record(path, Namespace::Macro, line);
                        }
                    } else if path.len() > 1 {
                        self.record(path, Namespace::Any, line);
                    }
                    i = j;
                }
                _ => i += 1,
            }
        }
    }

    fn helper_attribute(&mut self, attr: &Attribute) {
        const SKIP: &[&str] =
            &["cfg", "cfg_attr", "doc", "derive", "allow", "warn", "deny", "expect", "path"];
        let Meta::List(_) = &attr.meta else { return };
        if SKIP.iter().any(|s| attr.path().is_ident(s)) {
            return;
        }
        let mut found: Vec<(String, syn::LitStr)> = Vec::new();
        let _ = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if meta.input.peek(syn::Token![=]) {
                let value = meta.value()?;
                if let Ok(lit) = value.parse::<syn::LitStr>() {
                    if HELPER_PATH_KEYS.contains(&key.as_str()) {
                        found.push((key, lit));
                    }
                } else {
                    // Skip whatever else the value is.
                    let _: TokenStream = value.parse()?;
                }
            } else if meta.input.peek(syn::token::Paren) {
                let _content;
                syn::parenthesized!(_content in meta.input);
            }
            Ok(())
        });
        for (key, lit) in found {
            if key == "with" {
                // `with = "module"`: the derive calls the module's functions.
                if let Ok(path) = lit.parse::<syn::Path>() {
                    let line = lit.span().start().line as u32;
                    for f in ["serialize", "deserialize"] {
                        let mut segs = segments(&path);
                        segs.push(f.to_owned());
                        self.record(segs, Namespace::Value, line);
                    }
                }
            } else if let Ok(ty) = lit.parse::<Type>() {
                self.visit_type(&ty);
            }
        }
    }

    fn fn_like(
        &mut self,
        attrs: &[Attribute],
        sig: &syn::Signature,
        body: Option<&syn::Block>,
        self_ty: Option<Vec<String>>,
    ) {
        self.with_test(attrs, |w| {
            for attr in attrs {
                w.helper_attribute(attr);
            }
            w.with_scope(|w| {
                w.add_generics(&sig.generics);
                w.visit_signature(sig);
                for input in &sig.inputs {
                    if let syn::FnArg::Typed(pt) = input {
                        w.note_typed_local(&pt.pat, type_path(&pt.ty));
                    }
                }
                let saved = std::mem::replace(&mut w.self_ty, self_ty);
                if let Some(block) = body {
                    w.visit_block(block);
                }
                w.self_ty = saved;
            });
        });
    }
}

fn is_path_sep(a: &TokenTree, b: &TokenTree) -> bool {
    matches!((a, b), (TokenTree::Punct(x), TokenTree::Punct(y))
        if x.as_char() == ':' && x.spacing() == Spacing::Joint && y.as_char() == ':')
}

/// Splits macro input at top-level `,`, `;` and `=>`.
fn split_top_level(tokens: &TokenStream) -> Vec<TokenStream> {
    let mut chunks = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        let tt = &trees[i];
        let split = match tt {
            TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == ';' => 1,
            TokenTree::Punct(p)
                if p.as_char() == '='
                    && p.spacing() == Spacing::Joint
                    && matches!(trees.get(i + 1), Some(TokenTree::Punct(q)) if q.as_char() == '>') =>
            {
                2
            }
            _ => 0,
        };
        if split > 0 {
            if !current.is_empty() {
                chunks.push(current.drain(..).collect());
            }
            i += split;
        } else {
            current.push(tt.clone());
            i += 1;
        }
    }
    if !current.is_empty() {
        chunks.push(current.into_iter().collect());
    }
    chunks
}

fn item_ident(item: &Item) -> Option<String> {
    Some(match item {
        Item::Fn(i) => i.sig.ident.unraw().to_string(),
        Item::Struct(i) => i.ident.unraw().to_string(),
        Item::Enum(i) => i.ident.unraw().to_string(),
        Item::Union(i) => i.ident.unraw().to_string(),
        Item::Trait(i) => i.ident.unraw().to_string(),
        Item::TraitAlias(i) => i.ident.unraw().to_string(),
        Item::Type(i) => i.ident.unraw().to_string(),
        Item::Const(i) => i.ident.unraw().to_string(),
        Item::Static(i) => i.ident.unraw().to_string(),
        Item::ExternCrate(i) => i.rename.as_ref().map_or(&i.ident, |(_, r)| r).to_string(),
        _ => return None,
    })
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        let attrs = item_attrs(item);
        self.with_test(attrs, |w| {
            match item {
                // The module walk reads block-level modules; their items are their own.
                Item::Mod(_) => {}
                Item::Use(u) => {
                    // A `use` in a block: a reference from this item (module-level ones are
                    // `UseLeaf`s, read by `module_item`).
                    let line = u.span().start().line as u32;
                    let mut leaves = Vec::new();
                    flatten_use(&u.tree, &mut Vec::new(), &mut leaves);
                    for (path, _) in leaves {
                        w.record(path, Namespace::Any, line);
                    }
                }
                Item::Fn(f) => w.fn_like(&[], &f.sig, Some(&f.block), None),
                Item::Impl(i) => w.with_scope(|w| {
                    w.add_generics(&i.generics);
                    if let Some((path, _)) = &i.trait_ {
                        w.record_path(path, Namespace::Type);
                    }
                    w.visit_type(&i.self_ty);
                    w.visit_generics(&i.generics);
                    let self_ty = type_path(&i.self_ty);
                    for impl_item in &i.items {
                        match impl_item {
                            syn::ImplItem::Fn(f) => {
                                w.fn_like(&f.attrs, &f.sig, Some(&f.block), self_ty.clone())
                            }
                            other => w.with_test(impl_item_attrs(other), |w| w.visit_impl_item(other)),
                        }
                    }
                }),
                Item::Trait(t) => w.with_scope(|w| {
                    w.add_generics(&t.generics);
                    w.visit_generics(&t.generics);
                    for bound in &t.supertraits {
                        w.visit_type_param_bound(bound);
                    }
                    for trait_item in &t.items {
                        match trait_item {
                            syn::TraitItem::Fn(f) => w.fn_like(&f.attrs, &f.sig, f.default.as_ref(), None),
                            other => w.visit_trait_item(other),
                        }
                    }
                }),
                Item::Struct(s) => w.with_scope(|w| {
                    w.add_generics(&s.generics);
                    visit::visit_item_struct(w, s);
                }),
                Item::Enum(e) => w.with_scope(|w| {
                    w.add_generics(&e.generics);
                    visit::visit_item_enum(w, e);
                }),
                Item::Union(u) => w.with_scope(|w| {
                    w.add_generics(&u.generics);
                    visit::visit_item_union(w, u);
                }),
                Item::Type(t) => w.with_scope(|w| {
                    w.add_generics(&t.generics);
                    visit::visit_item_type(w, t);
                }),
                Item::TraitAlias(t) => w.with_scope(|w| {
                    w.add_generics(&t.generics);
                    visit::visit_item_trait_alias(w, t);
                }),
                other => visit::visit_item(w, other),
            }
        });
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        self.helper_attribute(attr);
    }

    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.with_scope(|w| {
            w.declare_block_items(&block.stmts);
            for stmt in &block.stmts {
                w.visit_stmt(stmt);
            }
        });
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        match stmt {
            syn::Stmt::Local(local) => self.with_test(&local.attrs, |w| {
                if let Some(init) = &local.init {
                    w.visit_expr(&init.expr);
                    if let Some((_, diverge)) = &init.diverge {
                        w.visit_expr(diverge);
                    }
                }
                w.visit_pat(&local.pat);
                let (pat, ty) = match &local.pat {
                    Pat::Type(pt) => (&*pt.pat, type_path(&pt.ty)),
                    other => (other, local.init.as_ref().and_then(|i| constructed_type(&i.expr))),
                };
                w.note_typed_local(pat, ty);
            }),
            syn::Stmt::Expr(Expr::Macro(m), _) => self.with_test(&m.attrs, |w| w.visit_macro(&m.mac)),
            syn::Stmt::Macro(m) => self.with_test(&m.attrs, |w| w.visit_macro(&m.mac)),
            other => visit::visit_stmt(self, other),
        }
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.with_scope(|w| {
            for input in &c.inputs {
                w.visit_pat(input);
            }
            w.visit_return_type(&c.output);
            w.visit_expr(&c.body);
        });
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.with_scope(|w| {
            w.visit_pat(&arm.pat);
            w.visit_expr(&arm.body);
        });
    }

    fn visit_expr_if(&mut self, e: &'ast syn::ExprIf) {
        self.with_scope(|w| {
            w.visit_expr(&e.cond);
            w.visit_block(&e.then_branch);
        });
        if let Some((_, else_branch)) = &e.else_branch {
            self.visit_expr(else_branch);
        }
    }

    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        self.with_scope(|w| {
            w.visit_expr(&e.cond);
            w.visit_block(&e.body);
        });
    }

    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.visit_expr(&e.expr);
        self.with_scope(|w| {
            w.visit_pat(&e.pat);
            w.visit_block(&e.body);
        });
    }

    fn visit_expr_let(&mut self, e: &'ast syn::ExprLet) {
        self.visit_expr(&e.expr);
        self.visit_pat(&e.pat);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if let Some(receiver_ty) = self.receiver_type(&call.receiver) {
            let line = call.method.span().start().line as u32;
            let test_only = self.test_depth > 0;
            self.out.method_calls.push(MethodRef {
                item: self.item,
                receiver_ty,
                method: call.method.to_string(),
                line,
                test_only,
            });
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        let name = p.ident.unraw().to_string();
        if p.subpat.is_none() && p.by_ref.is_none() && p.mutability.is_none() {
            let line = p.ident.span().start().line as u32;
            self.record(vec![name.clone()], Namespace::PatIdent, line);
        }
        if let Some((_, sub)) = &p.subpat {
            self.visit_pat(sub);
        }
        self.scope().values.insert(name);
    }

    fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
        self.record_qualified(&t.qself, &t.path, Namespace::Type);
    }

    fn visit_expr_path(&mut self, e: &'ast syn::ExprPath) {
        self.record_qualified(&e.qself, &e.path, Namespace::Value);
    }

    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        self.record_qualified(&e.qself, &e.path, Namespace::Type);
        for field in &e.fields {
            self.visit_expr(&field.expr);
        }
        if let Some(rest) = &e.rest {
            self.visit_expr(rest);
        }
    }

    fn visit_pat_struct(&mut self, p: &'ast syn::PatStruct) {
        self.record_qualified(&p.qself, &p.path, Namespace::Type);
        for field in &p.fields {
            self.visit_pat(&field.pat);
        }
    }

    fn visit_pat_tuple_struct(&mut self, p: &'ast syn::PatTupleStruct) {
        self.record_qualified(&p.qself, &p.path, Namespace::Value);
        for elem in &p.elems {
            self.visit_pat(elem);
        }
    }

    fn visit_trait_bound(&mut self, b: &'ast syn::TraitBound) {
        if let Some(lifetimes) = &b.lifetimes {
            self.visit_bound_lifetimes(lifetimes);
        }
        self.record_path(&b.path, Namespace::Type);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.record_path(path, Namespace::Any);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac.path.is_ident("macro_rules") {
            self.macro_rules_body(&mac.tokens);
            return;
        }
        let segs = segments(&mac.path);
        let line = path_line(&mac.path);
        let is_std = segs.len() == 1 && STD_MACROS.contains(&segs[0].as_str());
        if !is_std {
            self.record(segs, Namespace::Macro, line);
        }
        self.macro_args(&mac.tokens);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let self_ty = self.self_ty.clone();
        self.fn_like(&f.attrs, &f.sig, Some(&f.block), self_ty);
    }
}

/// `X::new(…)`, `X::Variant(…)` or `X { … }`: probably a value of type `X`.
fn constructed_type(expr: &Expr) -> Option<Vec<String>> {
    match expr {
        Expr::Call(call) => match &*call.func {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() >= 2 => {
                let mut segs = segments(&p.path);
                segs.pop();
                Some(segs)
            }
            _ => None,
        },
        Expr::Struct(s) if s.qself.is_none() => Some(segments(&s.path)),
        _ => None,
    }
}

fn impl_item_attrs(item: &syn::ImplItem) -> &[Attribute] {
    match item {
        syn::ImplItem::Const(i) => &i.attrs,
        syn::ImplItem::Fn(i) => &i.attrs,
        syn::ImplItem::Type(i) => &i.attrs,
        syn::ImplItem::Macro(i) => &i.attrs,
        _ => &[],
    }
}

pub(crate) fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// `#[cfg(test)]` or `#[cfg(all(…, test, …))]`: compiled only when testing.
pub(crate) fn is_cfg_test(attr: &Attribute) -> bool {
    attr.path().is_ident("cfg") && attr.parse_args::<Meta>().is_ok_and(|m| implies_test(&m))
}

fn implies_test(meta: &Meta) -> bool {
    match meta {
        Meta::Path(p) => p.is_ident("test"),
        Meta::List(list) if list.path.is_ident("all") => list
            .parse_args_with(syn::punctuated::Punctuated::<Meta, syn::Token![,]>::parse_terminated)
            .is_ok_and(|metas| metas.iter().any(implies_test)),
        _ => false,
    }
}

/// Attributes that make a function a test case: `#[test]`, `#[tokio::test]` and other `…::test`,
/// and the common test-framework attributes.
pub(crate) fn is_test_attr(attr: &Attribute) -> bool {
    const NAMES: &[&str] =
        &["test", "rstest", "test_case", "quickcheck", "proptest", "wasm_bindgen_test", "bench"];
    matches!(attr.style, syn::AttrStyle::Outer)
        && attr.path().segments.last().is_some_and(|s| NAMES.iter().any(|n| s.ident == n))
}

/// Tokens as a person writes them: `all(test, unix)`, `concat!(env!("OUT_DIR"), "/x.rs")`,
/// not proc_macro2's evenly spaced `all (test , unix)`.
/// The first type or static an item-level macro call defines at its top level
/// (`struct Name`, `enum Name`, `type Name`, `static [ref] NAME`), with its kind and whether
/// `pub` stands before it.
/// Calls whose arguments are plain items define those items instead (see `module_item`).
pub(crate) fn macro_defined_item(mac: &syn::Macro) -> Option<(String, ItemKind, bool)> {
    let input_is_items = syn::parse2::<syn::File>(mac.tokens.clone()).is_ok_and(|f| !f.items.is_empty());
    defined_by_call(mac, input_is_items)
}

/// [`macro_defined_item`], told whether the call's whole input parses as items.
fn defined_by_call(mac: &syn::Macro, input_is_items: bool) -> Option<(String, ItemKind, bool)> {
    if input_is_items {
        return None;
    }
    let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
    for (i, tt) in tokens.iter().enumerate() {
        let TokenTree::Ident(keyword) = tt else { continue };
        let kind = match keyword.to_string().as_str() {
            "struct" => ItemKind::Struct,
            "enum" => ItemKind::Enum,
            "type" => ItemKind::TypeAlias,
            "static" => ItemKind::Static,
            _ => continue,
        };
        let mut next = i + 1;
        if kind == ItemKind::Static && matches!(tokens.get(next), Some(TokenTree::Ident(r)) if r == "ref") {
            next += 1;
        }
        let Some(TokenTree::Ident(name)) = tokens.get(next) else { return None };
        let public = i > 0 && matches!(&tokens[i - 1], TokenTree::Ident(p) if p == "pub")
            || i > 1 && matches!(&tokens[i - 2], TokenTree::Ident(p) if p == "pub");
        return Some((name.unraw().to_string(), kind, public));
    }
    None
}

pub(crate) fn tokens_text(tokens: &TokenStream) -> String {
    let mut out = String::new();
    let mut prev_word = false;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    // `a::{b, c}` in paths, ` { … }` elsewhere.
                    Delimiter::Brace if out.ends_with(':') => ("{", "}"),
                    Delimiter::Brace => (" { ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                let inner = tokens_text(&g.stream());
                out.push_str(inner.strip_suffix(',').unwrap_or(&inner));
                out.push_str(close);
                prev_word = true;
            }
            TokenTree::Punct(p) => {
                match p.as_char() {
                    ',' | ';' => out.push_str(&format!("{} ", p.as_char())),
                    '=' if p.spacing() == Spacing::Alone => out.push_str(" = "),
                    c => out.push(c),
                }
                prev_word = false;
            }
            other => {
                if prev_word {
                    out.push(' ');
                }
                out.push_str(&other.to_string());
                prev_word = true;
            }
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paths recorded for a file's items, as `ns path`, in order.
    fn refs(src: &str) -> Vec<String> {
        let file = syn::parse_file(src).unwrap();
        let mut out = ModuleItems::default();
        for item in &file.items {
            module_item(item, 0, &mut out);
        }
        out.refs.iter().map(|r| format!("{:?} {}", r.ns, out.names.joined(&r.path))).collect()
    }

    #[test]
    fn a_binding_shadows_only_after_its_statement() {
        let found = refs("fn f() { helper(); let helper = 1; helper; }");
        assert_eq!(found, ["Value helper", "PatIdent helper"]);
    }

    #[test]
    fn generics_closures_and_arms_are_local() {
        let found = refs(
            "fn f<T: Bound>(t: T) -> T { let c = |x: Item| x; match t { Some(v) => v, other => other } }",
        );
        assert_eq!(
            found,
            [
                "Type Bound",
                "PatIdent t",
                // The initializer is read before the pattern it binds.
                "PatIdent x",
                "Type Item",
                "PatIdent c",
                "Value Some",
                "PatIdent v",
                "PatIdent other"
            ]
        );
    }

    #[test]
    fn block_uses_are_substituted_and_block_items_are_local() {
        let found = refs("fn f() { use crate::a::B as C; fn inner() {} C::new(); inner(); }");
        assert_eq!(found, ["Any crate::a::B", "Value crate::a::B::new"]);
    }

    #[test]
    fn macro_arguments_and_bodies() {
        let found = refs(
            "fn f() { assert_eq!(crate::x::A, y::B, \"{}\", n = crate::z::C); }\n\
             macro_rules! m { ($e:expr) => { $crate::w::D::new($e); other!(); } }",
        );
        assert_eq!(
            found,
            ["Value crate::x::A", "Value y::B", "Value crate::z::C", "Any crate::w::D::new", "Macro other"]
        );
    }

    #[test]
    fn use_trees_flatten_into_leaves() {
        let file = syn::parse_file("use a::{b as c, d::*, self, e::{f}};").unwrap();
        let mut out = ModuleItems::default();
        module_item(&file.items[0], 0, &mut out);
        let leaves: Vec<String> = out
            .uses
            .iter()
            .map(|u| format!("{} {:?}", out.names.joined(&u.path), u.name.as_deref()))
            .collect();
        assert_eq!(leaves, ["a::b Some(\"c\")", "a::d None", "a Some(\"a\")", "a::e::f Some(\"f\")"]);
    }

    #[test]
    fn items_written_in_macro_calls_are_defined() {
        let file = syn::parse_file(
            "thing! { pub struct A; }\ncfg_if! { if #[cfg(unix)] { fn b() {} } else { fn b() {} } }",
        )
        .unwrap();
        let mut out = ModuleItems::default();
        for item in &file.items {
            module_item(item, 0, &mut out);
        }
        let names: Vec<&str> = out.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["thing!", "A", "cfg_if!", "b", "b"]);
    }

    #[test]
    fn a_macro_call_that_declares_a_type_defines_it() {
        let file = syn::parse_file(
            "bitflags! { pub struct Options: u32 { const A = 1; } }\n\
             lazy_static! { static ref TABLE: Vec<u8> = Vec::new(); }",
        )
        .unwrap();
        let mut out = ModuleItems::default();
        for item in &file.items {
            module_item(item, 0, &mut out);
        }
        let found: Vec<(&str, ItemKind, &Visibility)> =
            out.items.iter().map(|i| (i.name.as_str(), i.kind, &i.vis)).collect();
        assert_eq!(
            found,
            [
                ("Options", ItemKind::Struct, &Visibility::Public),
                ("TABLE", ItemKind::Static, &Visibility::Private)
            ]
        );
    }

    /// Every item and path of splitcheck's own sources and fixtures: the spans read from the
    /// first and last tokens are those quote's `span()` finds by printing the whole node.
    #[test]
    fn item_spans_and_path_lines_agree_with_printing_the_node() {
        struct Check(usize);
        impl<'ast> Visit<'ast> for Check {
            fn visit_item(&mut self, item: &'ast Item) {
                assert_eq!(item_span(item), span_of(item), "{}", item.to_token_stream());
                self.0 += 1;
                visit::visit_item(self, item);
            }
            fn visit_path(&mut self, path: &'ast syn::Path) {
                assert_eq!(path_line(path), path.span().start().line as u32, "{}", path.to_token_stream());
                visit::visit_path(self, path);
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs: Vec<std::path::PathBuf> =
            ["src", "tests", "benches", "examples"].iter().map(|d| root.join(d)).collect();
        let (mut files, mut check) = (0, Check(0));
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && let Ok(text) = std::fs::read_to_string(&path)
                    && let Ok(file) = syn::parse_file(&text)
                {
                    files += 1;
                    check.visit_file(&file);
                }
            }
        }
        assert!(files > 100 && check.0 > 2000, "{files} files, {} items", check.0);
        // A token made here (no parsed text behind it) first: both read that token alone.
        let mut item: Item = syn::parse_str("/// doc\npub fn f() {}").unwrap();
        if let Item::Fn(f) = &mut item {
            f.attrs.insert(0, syn::parse_quote!(#[cfg(test)]));
        }
        assert_eq!(item_span(&item), span_of(&item));
    }
}
