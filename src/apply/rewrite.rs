//! The text of every file of a split: each crate keeps the module tree's shape, so the paths
//! written in moved code (`crate::a::B`, `super::C`, `$crate::d`, globs) mean what they meant.
//!
//! A crate's own modules are its files, copied with edits: visibility raised where another
//! crate uses an item, `mod` declarations of modules another crate owns replaced by a
//! re-export of that module (`pub use ::other::a::m;`), or by an inline *skeleton* when this
//! crate owns or sees a part of that module's subtree the owner cannot hand over. A skeleton of
//! module `m` glob-imports the owner's `m` (when this crate may see it) and keeps `m`'s
//! imports, so `super::x` from a child lands where it did. The crate root of a part is the
//! root file as a skeleton: the root items moved to that part, re-exports of moved items it
//! sees, its `use`s. The facade is the root file itself with moved items and modules
//! replaced by re-exports that keep their visibility, so public paths do not change.
//!
//! Must not: read or write files (texts come from the caller) or decide who owns what
//! ([`super::layout`]).

use super::layout::{Dest, Layout};
use crate::analysis::CrateAnalysis;
use crate::items::ItemIdx;
use crate::modtree::{ModuleId, ModuleTree};
use crate::resolve::ItemId;
use crate::text::{TextEdit, apply_edits};
use proc_macro2::{LineColumn, Span};
use quote::ToTokens;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;

/// Something the rewrite could not do safely, to finish by hand.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HandEdit {
    pub file: PathBuf,
    pub line: u32,
    pub message: String,
}

pub struct Rewriter<'a> {
    pub analysis: &'a CrateAnalysis,
    pub layout: &'a Layout,
    /// Crate names: parts, then the facade.
    pub crate_names: Vec<String>,
    pub text: &'a dyn Fn(&Path) -> Option<String>,
    decls: HashMap<(PathBuf, u32, u32), ModuleId>,
    children: HashMap<(ModuleId, String), ModuleId>,
    item_at: HashMap<(ModuleId, PathBuf, u32, u32), ItemIdx>,
    macro_names: BTreeSet<String>,
    /// Where `mod x;` in each module looks for `x`'s file.
    lookup_dirs: Vec<PathBuf>,
    edition_2015: bool,
    pub hand_edits: std::cell::RefCell<BTreeSet<HandEdit>>,
    /// `#[non_exhaustive]` types used from another crate, whose attribute the copy drops (within
    /// one crate it has no effect; across crates the crate's own exhaustive matches and struct
    /// literals would stop compiling): file, line, type name.
    pub dropped_non_exhaustive: std::cell::RefCell<BTreeSet<(PathBuf, usize, String)>>,
    /// Modules whose declaration the rewrite met as a syn item, and modules whose items it wrote.
    seen: std::cell::RefCell<BTreeSet<ModuleId>>,
    processed: std::cell::RefCell<BTreeSet<ModuleId>>,
}

/// A parsed file and where its lines start.
struct Src {
    path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
}

impl Src {
    fn new(path: &Path, text: String) -> Src {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Src { path: path.to_path_buf(), text, line_starts }
    }

    fn offset(&self, at: LineColumn) -> usize {
        let Some(&start) = self.line_starts.get(at.line.saturating_sub(1)) else { return self.text.len() };
        let line = &self.text[start..];
        start + line.char_indices().nth(at.column).map_or(line.len(), |(b, _)| b)
    }

    fn range(&self, span: Span) -> (usize, usize) {
        (self.offset(span.start()), self.offset(span.end()))
    }

    fn slice(&self, span: Span) -> &str {
        let (a, b) = self.range(span);
        &self.text[a..b]
    }
}

fn start_of(span: Span) -> (u32, u32) {
    let lc = span.start();
    (lc.line as u32, lc.column as u32 + 1)
}

impl<'a> Rewriter<'a> {
    pub fn new(
        analysis: &'a CrateAnalysis,
        layout: &'a Layout,
        crate_names: Vec<String>,
        text: &'a dyn Fn(&Path) -> Option<String>,
    ) -> Rewriter<'a> {
        let tree = &analysis.tree;
        let mut decls = HashMap::new();
        let mut children = HashMap::new();
        let mut item_at = HashMap::new();
        let mut macro_names = BTreeSet::new();
        let mut lookup_dirs = vec![PathBuf::new(); tree.modules.len()];
        for id in tree.sorted() {
            let m = tree.get(id);
            lookup_dirs[id.index()] = match m.parent {
                None => m.file.parent().map(Path::to_path_buf).unwrap_or_default(),
                Some(p) => {
                    let base = lookup_dirs[p.index()].join(m.name.trim_start_matches("r#"));
                    let default =
                        m.inline || m.file == base.with_extension("rs") || m.file == base.join("mod.rs");
                    // A file loaded through `#[path]` looks up its children like a `mod.rs`.
                    if default { base } else { m.file.parent().map(Path::to_path_buf).unwrap_or_default() }
                }
            };
            if let Some(d) = &m.decl {
                decls.insert((d.file.clone(), d.line, d.column), id);
            }
            if let Some(p) = m.parent {
                children.entry((p, m.name.clone())).or_insert(id);
            }
            for (i, item) in m.items.items.iter().enumerate() {
                let file = m.files.get(item.file as usize).cloned().unwrap_or_else(|| m.file.clone());
                item_at.insert((id, file, item.span.0.0, item.span.0.1), i as ItemIdx);
                if item.kind == crate::items::ItemKind::Macro {
                    macro_names.insert(item.name.clone());
                }
            }
        }
        Rewriter {
            analysis,
            layout,
            crate_names,
            text,
            decls,
            children,
            item_at,
            macro_names,
            lookup_dirs,
            edition_2015: analysis.package.lib.edition == "2015",
            hand_edits: Default::default(),
            dropped_non_exhaustive: Default::default(),
            seen: Default::default(),
            processed: Default::default(),
        }
    }

    fn tree(&self) -> &ModuleTree {
        &self.analysis.tree
    }

    fn hand(&self, file: &Path, line: u32, message: String) {
        self.hand_edits.borrow_mut().insert(HandEdit { file: file.to_path_buf(), line, message });
    }

    fn parse(&self, path: &Path) -> Option<(Src, syn::File)> {
        let Some(text) = (self.text)(path) else {
            self.hand(path, 1, "cannot read the file".to_owned());
            return None;
        };
        match syn::parse_file(&text) {
            Ok(file) => Some((Src::new(path, text), file)),
            Err(e) => {
                self.hand(
                    path,
                    e.span().start().line as u32,
                    format!("does not parse ({e}): split it by hand"),
                );
                None
            }
        }
    }

    /// `::name::a::b` for module `m` in crate `dest`.
    fn module_path_in(&self, dest: Dest, m: ModuleId) -> String {
        let mut segs = Vec::new();
        let mut at = Some(m);
        while let Some(id) = at {
            let module = self.tree().get(id);
            if module.parent.is_some() {
                segs.push(module.name.clone());
            }
            at = module.parent;
        }
        segs.push(self.crate_names[dest].clone());
        segs.reverse();
        format!("::{}", segs.join("::"))
    }

    /// The new text of a file module's file for `dest`, which owns the module.
    pub fn owned_file(&self, module: ModuleId, dest: Dest) -> Option<String> {
        let m = self.tree().get(module);
        let (src, file) = self.parse(&m.file)?;
        let lookup = self.lookup_dirs[module.index()].clone();
        let mut edits = Vec::new();
        self.owned_items(&src, module, &file.items, dest, &lookup, &mut edits);
        self.check_unseen_children(&src, module, dest);
        edits.sort();
        Some(apply_edits(&src.text, &edits))
    }

    /// The crate root file of `dest`: the facade's is the root file with moved things
    /// re-exported, a part's is a skeleton of the root.
    pub fn root_file(&self, dest: Dest, header: &str, footer: &str) -> Option<String> {
        let root = self.tree().root();
        let (src, file) = self.parse(&root.file)?;
        let lookup = self.lookup_dirs[0].clone();
        if dest == self.layout.facade() {
            let mut edits = Vec::new();
            self.owned_items(&src, ModuleId::ROOT, &file.items, dest, &lookup, &mut edits);
            self.check_unseen_children(&src, ModuleId::ROOT, dest);
            edits.sort();
            let mut text = apply_edits(&src.text, &edits);
            if !footer.is_empty() {
                text.push_str(footer);
            }
            return Some(text);
        }
        let mut out = String::from(header);
        for attr in file.attrs.iter().filter(|a| keep_crate_attr(a)) {
            out.push_str(src.slice(attr.span()));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.skeleton_items(&src, ModuleId::ROOT, &file.items, dest, &lookup, ""));
        self.check_unseen_children(&src, ModuleId::ROOT, dest);
        out.push_str(footer);
        Some(out)
    }

    fn item_id(&self, module: ModuleId, src: &Src, item: &impl Spanned) -> Option<ItemId> {
        let at = start_of(item.span());
        self.item_at.get(&(module, src.path.clone(), at.0, at.1)).map(|&i| ItemId { module, item: i })
    }

    fn child_of(&self, src: &Src, m: &syn::ItemMod) -> Option<ModuleId> {
        let (line, col) = start_of(m.ident.span());
        let found = self.decls.get(&(src.path.clone(), line, col)).copied();
        if let Some(c) = found {
            self.seen.borrow_mut().insert(c);
        }
        found
    }

    /// Children declared in this file that the walk found but the rewrite did not see (written
    /// inside a macro call): fine if `dest` owns them, else to move by hand.
    fn check_unseen_children(&self, src: &Src, module: ModuleId, dest: Dest) {
        let mut stack = vec![module];
        while let Some(id) = stack.pop() {
            for &c in &self.tree().get(id).children {
                let child = self.tree().get(c);
                let Some(decl) = &child.decl else { continue };
                if decl.file != src.path {
                    continue;
                }
                if child.inline && self.processed.borrow().contains(&c) {
                    stack.push(c);
                }
                if self.layout.owner[c.index()] != dest
                    && child.in_fn.is_none()
                    && !self.seen.borrow().contains(&c)
                {
                    self.hand(
                        &decl.file,
                        decl.line,
                        format!(
                            "`mod {}` is declared inside a macro call; it belongs to `{}`: move it by hand",
                            child.name,
                            self.crate_names[self.layout.owner[c.index()]]
                        ),
                    );
                }
            }
        }
    }

    /// Edits that make `items` (module `module`, owned by `dest`) right for `dest`.
    fn owned_items(
        &self,
        src: &Src,
        module: ModuleId,
        items: &[syn::Item],
        dest: Dest,
        lookup: &Path,
        edits: &mut Vec<TextEdit>,
    ) {
        self.processed.borrow_mut().insert(module);
        let part = dest != self.layout.facade();
        let open = self.layout.open_modules.contains(&module);
        for item in items {
            let id = self.item_id(module, src, item);
            let raised = id.is_some_and(|id| self.layout.raise.contains(&id));
            // A root item another crate owns: the facade re-exports it (same visibility).
            if module == ModuleId::ROOT
                && let Some(id) = id
                && self.layout.item_owner(id) != dest
                && !matches!(item, syn::Item::Use(_) | syn::Item::ExternCrate(_) | syn::Item::Mod(_))
            {
                let owner = self.layout.item_owner(id);
                let (a, b) = src.range(item.span());
                let replacement = match (item_name(item), reexport_vis(item)) {
                    (Some(name), Some(vis)) if self.layout.sees(dest, owner) || dest == owner => {
                        format!(
                            "{}{vis}use ::{}::{name};",
                            cfg_attrs(src, attrs_of(item)),
                            self.crate_names[owner]
                        )
                    }
                    (Some(name), None) if is_exported_macro(item) => {
                        format!("pub use ::{}::{name};", self.crate_names[owner])
                    }
                    _ => String::new(),
                };
                edits.push(TextEdit { start: a, end: b, replacement });
                continue;
            }
            // A test helper that tests in another crate use must exist outside `cfg(test)`:
            // that crate's tests build this one as a plain dependency.
            if part && id.is_some_and(|id| self.layout.uncfg.contains(&id)) {
                for attr in attrs_of(item).iter().filter(|a| is_cfg_test(a)) {
                    let (a, b) = src.range(attr.span());
                    edits.push(TextEdit { start: a, end: b, replacement: "#[allow(dead_code)]".to_owned() });
                }
            }
            match item {
                // Items that used it may have moved away.
                syn::Item::Use(u)
                    if !part && module == ModuleId::ROOT && matches!(u.vis, syn::Visibility::Inherited) =>
                {
                    let at = src.offset(u.use_token.span.start());
                    edits.push(TextEdit {
                        start: at,
                        end: at,
                        replacement: "#[allow(unused_imports)]\n".to_owned(),
                    });
                }
                syn::Item::Mod(m) => {
                    let Some(child) = self.child_of(src, m) else { continue };
                    if self.layout.owner[child.index()] == dest {
                        if let Some((_, content)) = &m.content {
                            let inner = lookup.join(inline_dir(m));
                            self.owned_items(src, child, content, dest, &inner, edits);
                        }
                        if part && !self.tree().get(child).test_only {
                            raise(src, &m.vis, m.mod_token.span, true, edits);
                        }
                    } else {
                        let (a, b) = src.range(m.span());
                        let replacement = self.foreign_child(src, m, child, dest, lookup);
                        edits.push(TextEdit { start: a, end: b, replacement });
                    }
                }
                _ if !part => {}
                syn::Item::Struct(s) => {
                    self.drop_non_exhaustive(src, id, &s.attrs, &s.ident, edits);
                    self.raise_item(src, &s.vis, s.struct_token.span, raised, edits);
                    self.raise_fields(src, &s.fields, open, edits);
                }
                syn::Item::Union(u) => {
                    self.raise_item(src, &u.vis, u.union_token.span, raised, edits);
                    for f in &u.fields.named {
                        raise_field(src, f, open, edits);
                    }
                }
                syn::Item::Enum(e) => {
                    self.drop_non_exhaustive(src, id, &e.attrs, &e.ident, edits);
                    self.raise_item(src, &e.vis, e.enum_token.span, raised, edits);
                }
                syn::Item::Fn(f) => self.raise_item(src, &f.vis, f.sig.span(), raised, edits),
                syn::Item::Const(c) => self.raise_item(src, &c.vis, c.const_token.span, raised, edits),
                syn::Item::Static(s) => self.raise_item(src, &s.vis, s.static_token.span, raised, edits),
                syn::Item::Type(t) => self.raise_item(src, &t.vis, t.type_token.span, raised, edits),
                syn::Item::Trait(t) => {
                    let anchor = t.unsafety.map_or(t.trait_token.span, |u| u.span);
                    self.raise_item(src, &t.vis, anchor, raised, edits);
                }
                syn::Item::TraitAlias(t) => self.raise_item(src, &t.vis, t.trait_token.span, raised, edits),
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    for ii in &i.items {
                        let (vis, anchor) = match ii {
                            syn::ImplItem::Fn(f) => (&f.vis, f.sig.span()),
                            syn::ImplItem::Const(c) => (&c.vis, c.const_token.span),
                            syn::ImplItem::Type(t) => (&t.vis, t.type_token.span),
                            _ => continue,
                        };
                        self.raise_item(src, vis, anchor, raised || open, edits);
                    }
                }
                syn::Item::Use(u) => {
                    // Leaves naming what went to a crate above this one (a child module's
                    // re-export, say) go; the crates above keep them in their skeleton.
                    if let Some(kept) = self.use_without_unseen(src, module, u, dest) {
                        let restricted = matches!(u.vis, syn::Visibility::Restricted(_));
                        let replacement = kept.map(|k| if restricted { made_pub(&k) } else { k });
                        let (a, b) = src.range(u.span());
                        edits.push(TextEdit {
                            start: a,
                            end: b,
                            replacement: replacement.unwrap_or_default(),
                        });
                        continue;
                    }
                    let leaves = crate::items::extract::use_tree_paths(&u.tree);
                    let names_macro =
                        leaves.iter().any(|l| l.last().is_some_and(|n| self.macro_names.contains(n)));
                    if !names_macro {
                        self.raise_item(src, &u.vis, u.use_token.span, raised, edits);
                    }
                }
                syn::Item::Macro(m) => {
                    let exported = id.is_some_and(|id| self.layout.export_macros.contains(&id));
                    if exported && m.ident.is_some() && !is_exported_macro(item) {
                        let at = src.offset(m.mac.path.span().start());
                        edits.push(TextEdit {
                            start: at,
                            end: at,
                            replacement: "#[macro_export]\n#[doc(hidden)]\n".to_owned(),
                        });
                    }
                    // Items a `macro_rules!` of a lower crate declares cannot be followed to
                    // their uses: `pub(crate)` in its body becomes `pub`, as raised items do.
                    if m.ident.is_some() {
                        raise_in_macro_body(src, m.mac.tokens.clone(), edits);
                    }
                }
                _ => {}
            }
        }
    }

    /// Drops `#[non_exhaustive]` from a type another crate uses (see
    /// [`Rewriter::dropped_non_exhaustive`]), and records it.
    fn drop_non_exhaustive(
        &self,
        src: &Src,
        id: Option<ItemId>,
        attrs: &[syn::Attribute],
        name: &syn::Ident,
        edits: &mut Vec<TextEdit>,
    ) {
        if !id.is_some_and(|id| self.layout.used_across.contains(&id)) {
            return;
        }
        for attr in attrs.iter().filter(|a| a.path().is_ident("non_exhaustive")) {
            let (mut a, mut b) = src.range(attr.span());
            // An attribute on a line of its own goes with its line.
            let line_start = src.text[..a].rfind('\n').map_or(0, |i| i + 1);
            if src.text[line_start..a].trim().is_empty() && src.text[b..].starts_with('\n') {
                (a, b) = (line_start, b + 1);
            }
            edits.push(TextEdit { start: a, end: b, replacement: String::new() });
            let line = attr.span().start().line;
            self.dropped_non_exhaustive.borrow_mut().insert((src.path.clone(), line, name.to_string()));
        }
    }

    fn raise_item(
        &self,
        src: &Src,
        vis: &syn::Visibility,
        anchor: Span,
        used: bool,
        edits: &mut Vec<TextEdit>,
    ) {
        match vis {
            syn::Visibility::Restricted(_) => raise(src, vis, anchor, true, edits),
            syn::Visibility::Inherited if used => raise(src, vis, anchor, true, edits),
            _ => {}
        }
    }

    fn raise_fields(&self, src: &Src, fields: &syn::Fields, open: bool, edits: &mut Vec<TextEdit>) {
        for f in fields.iter() {
            raise_field(src, f, open, edits);
        }
    }

    /// What replaces `mod name …` of a module `dest` does not own.
    fn foreign_child(
        &self,
        src: &Src,
        m: &syn::ItemMod,
        child: ModuleId,
        dest: Dest,
        lookup: &Path,
    ) -> String {
        let owner = self.layout.owner[child.index()];
        let facade = dest == self.layout.facade();
        let vis = if facade { vis_text(&m.vis) } else { "#[doc(hidden)]\npub ".to_owned() };
        let cfgs = cfg_attrs(src, &m.attrs);
        // The glob of a skeleton keeps the owner's items `pub`, so that `pub use m::X` next to
        // the module still re-exports them; in a private module that is "unreachable" `pub`.
        let glob_vis = if facade { "#[allow(unreachable_pub)]\npub ".to_owned() } else { vis.clone() };
        if self.layout.needs_skeleton(dest, child) {
            let attrs: String = m
                .attrs
                .iter()
                .filter(|a| !a.path().is_ident("path") && !a.path().is_ident("macro_use"))
                .map(|a| format!("{}\n", src.slice(a.span())))
                .collect();
            let inner_lookup = lookup.join(inline_dir(m));
            let (body, path_attr) = match &m.content {
                Some((_, items)) => {
                    (self.skeleton_items(src, child, items, dest, &inner_lookup, &glob_vis), String::new())
                }
                None => {
                    let file = self.tree().get(child).file.clone();
                    let orig = self.lookup_dirs[child.index()].clone();
                    let path_attr = if orig == inner_lookup {
                        String::new()
                    } else {
                        format!("#[path = {:?}]\n", relative(&orig, lookup))
                    };
                    let body = match self.parse(&file) {
                        Some((child_src, parsed)) => {
                            let mut body = String::new();
                            for a in
                                parsed.attrs.iter().filter(|a| keep_crate_attr(a) || a.path().is_ident("cfg"))
                            {
                                body.push_str(child_src.slice(a.span()));
                                body.push('\n');
                            }
                            body.push_str(&self.skeleton_items(
                                &child_src,
                                child,
                                &parsed.items,
                                dest,
                                &orig,
                                &glob_vis,
                            ));
                            self.check_unseen_children(&child_src, child, dest);
                            body
                        }
                        None => String::new(),
                    };
                    (body, path_attr)
                }
            };
            return format!("{attrs}{path_attr}{vis}mod {} {{\n{body}}}", m.ident);
        }
        // Test modules are private to their crate: nothing else can name them.
        if self.layout.sees(dest, owner) && !self.tree().get(child).test_only {
            // A module that was not `pub` may have no user left in this crate.
            let allow = if vis.trim_end().ends_with("pub") { "" } else { "#[allow(unused_imports)]\n" };
            return format!("{cfgs}{allow}{vis}use {};", self.module_path_in(owner, child));
        }
        String::new()
    }

    /// A skeleton of module `module` (owned by another crate) for `dest`: the owner's items
    /// through a glob when `dest` may see them, the module's imports, and its children.
    fn skeleton_items(
        &self,
        src: &Src,
        module: ModuleId,
        items: &[syn::Item],
        dest: Dest,
        lookup: &Path,
        glob_vis: &str,
    ) -> String {
        self.processed.borrow_mut().insert(module);
        let owner = self.layout.owner[module.index()];
        let mut out = String::new();
        if module != ModuleId::ROOT && self.layout.sees(dest, owner) {
            out.push_str(&format!(
                "#[allow(unused_imports)]\n{glob_vis}use {}::*;\n",
                self.module_path_in(owner, module)
            ));
        }
        for item in items {
            let id = self.item_id(module, src, item);
            match item {
                syn::Item::Mod(m) => {
                    let Some(child) = self.child_of(src, m) else { continue };
                    if self.layout.owner[child.index()] == dest {
                        out.push_str(&self.owned_item_text(src, module, item, dest, lookup));
                    } else {
                        let text = self.foreign_child(src, m, child, dest, lookup);
                        if !text.is_empty() {
                            out.push_str(&text);
                            out.push('\n');
                        }
                    }
                }
                syn::Item::Use(u) => {
                    let kept = self.use_without_unseen(src, module, u, dest);
                    if let Some(text) = kept.unwrap_or_else(|| Some(src.slice(u.span()).to_owned())) {
                        out.push_str("#[allow(unused_imports)]\n");
                        out.push_str(&text);
                        out.push('\n');
                    }
                }
                syn::Item::ExternCrate(e) if module == ModuleId::ROOT => {
                    out.push_str(src.slice(e.span()));
                    out.push('\n');
                }
                _ if module == ModuleId::ROOT => {
                    let Some(id) = id else { continue };
                    let item_owner = self.layout.item_owner(id);
                    if item_owner == dest {
                        out.push_str(&self.owned_item_text(src, module, item, dest, lookup));
                    } else if self.layout.sees(dest, item_owner)
                        && let (Some(name), Some(_)) = (item_name(item), reexport_vis(item))
                    {
                        out.push_str(&format!(
                            "{}#[doc(hidden)]\npub use ::{}::{name};\n",
                            cfg_attrs(src, attrs_of(item)),
                            self.crate_names[item_owner]
                        ));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The text of one item of `module` that `dest` owns, with its edits, on a line of its own.
    fn owned_item_text(
        &self,
        src: &Src,
        module: ModuleId,
        item: &syn::Item,
        dest: Dest,
        lookup: &Path,
    ) -> String {
        let mut edits = Vec::new();
        self.owned_items(src, module, std::slice::from_ref(item), dest, lookup, &mut edits);
        let mut text = render(src, item.span(), &mut edits);
        text.push('\n');
        text
    }

    /// `use` item `u` without the leaves that name what `dest` cannot see: `None` when it
    /// keeps them all, `Some(None)` when it keeps none.
    fn use_without_unseen(
        &self,
        src: &Src,
        module: ModuleId,
        u: &syn::ItemUse,
        dest: Dest,
    ) -> Option<Option<String>> {
        let leaves = crate::items::extract::use_tree_paths(&u.tree);
        let drop: Vec<bool> = leaves.iter().map(|l| !self.reachable(module, l, dest)).collect();
        if !drop.iter().any(|d| *d) {
            return None;
        }
        if drop.iter().all(|d| *d) {
            return Some(None);
        }
        Some(crate::text::without_leaves(src.slice(u.span()), &drop))
    }

    /// Whether the `use` path `path`, written in `module`, names something `dest` can see.
    fn reachable(&self, module: ModuleId, path: &[String], dest: Dest) -> bool {
        self.reachable_within(module, path, dest, 0)
    }

    fn reachable_within(&self, module: ModuleId, path: &[String], dest: Dest, depth: u32) -> bool {
        let tree = self.tree();
        let Some(first) = path.first() else { return false };
        let (mut at, mut rest) = match first.as_str() {
            "crate" => (ModuleId::ROOT, &path[1..]),
            "self" => (module, &path[1..]),
            "super" => {
                let mut m = module;
                let mut i = 0;
                while path.get(i).is_some_and(|s| s == "super") {
                    m = tree.get(m).parent.unwrap_or(ModuleId::ROOT);
                    i += 1;
                }
                (m, &path[i..])
            }
            "::" => return true,
            name => {
                let base = if self.edition_2015 { ModuleId::ROOT } else { module };
                let local = self.children.contains_key(&(base, name.to_owned()))
                    || tree.get(base).items.items.iter().any(|i| i.name == *name);
                if !local {
                    return true;
                }
                (base, path)
            }
        };
        while let Some(seg) = rest.first() {
            match self.children.get(&(at, seg.clone())) {
                Some(&c) => {
                    at = c;
                    rest = &rest[1..];
                }
                None => break,
            }
        }
        // A name the module imports (a re-export, say): where the import leads, if `dest` can
        // reach the module that imports it at all.
        let visible = |m: ModuleId| {
            let owner = self.layout.owner[m.index()];
            owner == dest || self.layout.sees(dest, owner) || self.layout.needs_skeleton(dest, m)
        };
        if let Some(name) = rest.first()
            && depth < 8
            && (at == ModuleId::ROOT || visible(at))
            && !tree.get(at).items.items.iter().any(|i| i.name == *name)
            && let Some(leaf) =
                tree.get(at).items.uses.iter().find(|u| u.name.as_deref() == Some(name.as_str()))
        {
            let names = &tree.get(at).items.names;
            let mut followed: Vec<String> = leaf.path.iter().map(|s| names.text(*s).to_owned()).collect();
            followed.extend(rest[1..].iter().cloned());
            return self.reachable_within(at, &followed, dest, depth + 1);
        }
        let owner = match rest.first() {
            Some(name) if at == ModuleId::ROOT => {
                let idx = tree.root().items.items.iter().position(|i| i.name == *name);
                idx.map_or(self.layout.facade(), |i| {
                    self.layout.item_owner(ItemId { module: at, item: i as ItemIdx })
                })
            }
            _ => self.layout.owner[at.index()],
        };
        owner == dest
            || self.layout.sees(dest, owner)
            || (rest.is_empty() && self.layout.needs_skeleton(dest, at))
    }
}

/// Crate-level attributes a part keeps: lints, `no_std`, features, limits.
fn keep_crate_attr(attr: &syn::Attribute) -> bool {
    matches!(attr.style, syn::AttrStyle::Inner(_))
        && [
            "allow",
            "warn",
            "deny",
            "forbid",
            "expect",
            "no_std",
            "feature",
            "recursion_limit",
            "cfg_attr",
            "cfg",
        ]
        .iter()
        .any(|n| attr.path().is_ident(n))
}

fn cfg_attrs(src: &Src, attrs: &[syn::Attribute]) -> String {
    attrs.iter().filter(|a| a.path().is_ident("cfg")).map(|a| format!("{}\n", src.slice(a.span()))).collect()
}

fn inline_dir(m: &syn::ItemMod) -> String {
    m.attrs
        .iter()
        .find(|a| a.path().is_ident("path"))
        .and_then(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .filter(|_| m.content.is_some())
        .unwrap_or_else(|| m.ident.to_string().trim_start_matches("r#").to_owned())
}

/// `target` relative to `base`, with `/` separators (`.` for `base` itself).
pub(crate) fn relative(target: &Path, base: &Path) -> String {
    let path = crate::paths::relative(base, target);
    if path.is_empty() { ".".to_owned() } else { path }
}

/// Makes `vis` `pub` (with `#[doc(hidden)]` when `hidden`): replaces `pub(…)`, or inserts
/// before `anchor` (the item's first keyword) when there is no visibility.
fn raise(src: &Src, vis: &syn::Visibility, anchor: Span, hidden: bool, edits: &mut Vec<TextEdit>) {
    let hidden = if hidden { "#[doc(hidden)] " } else { "" };
    match vis {
        syn::Visibility::Public(_) => {}
        syn::Visibility::Restricted(r) => {
            let (a, b) = src.range(r.span());
            edits.push(TextEdit { start: a, end: b, replacement: format!("{hidden}pub") });
        }
        syn::Visibility::Inherited => {
            let at = src.offset(anchor.start());
            edits.push(TextEdit { start: at, end: at, replacement: format!("{hidden}pub ") });
        }
    }
}

fn raise_field(src: &Src, f: &syn::Field, open: bool, edits: &mut Vec<TextEdit>) {
    let anchor = f.ident.as_ref().map_or_else(|| f.ty.span(), |i| i.span());
    match &f.vis {
        syn::Visibility::Restricted(_) => raise(src, &f.vis, anchor, false, edits),
        syn::Visibility::Inherited if open => raise(src, &f.vis, anchor, false, edits),
        _ => {}
    }
}

/// The text of `span` with the edits inside it applied.
fn render(src: &Src, span: Span, edits: &mut [TextEdit]) -> String {
    let (a, b) = src.range(span);
    edits.sort();
    let local: Vec<TextEdit> = edits
        .iter()
        .filter(|e| e.start >= a && e.end <= b)
        .map(|e| TextEdit { start: e.start - a, end: e.end - a, replacement: e.replacement.clone() })
        .collect();
    apply_edits(&src.text[a..b], &local)
}

fn vis_of(item: &syn::Item) -> Option<&syn::Visibility> {
    Some(match item {
        syn::Item::Const(i) => &i.vis,
        syn::Item::Enum(i) => &i.vis,
        syn::Item::Fn(i) => &i.vis,
        syn::Item::Static(i) => &i.vis,
        syn::Item::Struct(i) => &i.vis,
        syn::Item::Trait(i) => &i.vis,
        syn::Item::TraitAlias(i) => &i.vis,
        syn::Item::Type(i) => &i.vis,
        syn::Item::Union(i) => &i.vis,
        _ => return None,
    })
}

fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::TraitAlias(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Union(i) => &i.ident,
        syn::Item::Macro(m) => match &m.ident {
            Some(ident) => ident,
            None => return crate::items::extract::macro_defined_item(&m.mac).map(|(name, _, _)| name),
        },
        _ => return None,
    };
    (ident != "_").then(|| ident.to_string())
}

/// The visibility a re-export of `item` keeps; `None` for what is not re-exported by name.
fn reexport_vis(item: &syn::Item) -> Option<String> {
    if let syn::Item::Macro(m) = item
        && m.ident.is_none()
    {
        let (_, _, public) = crate::items::extract::macro_defined_item(&m.mac)?;
        return Some(if public { "pub ".to_owned() } else { String::new() });
    }
    vis_of(item).map(vis_text)
}

/// A visibility as written, followed by a space (nothing for none).
fn vis_text(vis: &syn::Visibility) -> String {
    let text = vis.to_token_stream().to_string();
    if text.is_empty() { text } else { format!("{text} ") }
}

fn attrs_of(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::TraitAlias(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// A `use` item's text with its visibility made `pub`.
fn made_pub(text: &str) -> String {
    match syn::parse_str::<syn::ItemUse>(text) {
        Ok(mut u) => {
            u.vis = syn::Visibility::Public(Default::default());
            u.to_token_stream().to_string()
        }
        Err(_) => text.to_owned(),
    }
}

fn is_cfg_test(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg") && matches!(&attr.meta, syn::Meta::List(l) if l.tokens.to_string() == "test")
}

/// Rewrites every `pub(crate)` in a macro body's tokens to `pub`.
fn raise_in_macro_body(src: &Src, tokens: proc_macro2::TokenStream, edits: &mut Vec<TextEdit>) {
    use proc_macro2::{Delimiter, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(pub_) if pub_ == "pub" => {
                if let Some(TokenTree::Group(g)) = trees.get(i + 1)
                    && g.delimiter() == Delimiter::Parenthesis
                    && g.stream().to_string() == "crate"
                {
                    let (a, _) = src.range(pub_.span());
                    let (_, b) = src.range(g.span());
                    edits.push(TextEdit { start: a, end: b, replacement: "pub".to_owned() });
                }
            }
            TokenTree::Group(g) => raise_in_macro_body(src, g.stream(), edits),
            _ => {}
        }
    }
}

fn is_exported_macro(item: &syn::Item) -> bool {
    matches!(item, syn::Item::Macro(m) if m.ident.is_some() && m.attrs.iter().any(|a| a.path().is_ident("macro_export")))
}
