//! Name resolution: which item each path written in the crate refers to.
//!
//! Owns: the scope of every module (its items, child modules, `use` imports and glob imports,
//! computed to a fixpoint so re-export chains and globs of globs settle), and resolving every
//! [`PathRef`](crate::items::PathRef), `use` leaf, method call and impl header to the items it
//! needs. Approximate but principled; ARCHITECTURE.md lists exactly what is and is not resolved.
//! Must not: touch petgraph (that is `graph`) or the disk.

use crate::data::name::Name;
use crate::items::{ItemDef, ItemIdx, ItemKind, Namespace, PathRef, Visibility};
use crate::modtree::{ModuleId, ModuleTree};
use rayon::prelude::*;
use smallvec::SmallVec;
use std::collections::{BTreeMap, HashMap, HashSet};

/// An item of the crate: module and index in its item table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemId {
    pub module: ModuleId,
    pub item: ItemIdx,
}

/// Why one item needs another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefKind {
    /// A path in code: signature, type, bound, body, macro argument, helper attribute.
    Path,
    /// A `use` leaf naming the item.
    Use,
    /// A path that reached its item through a `pub use` of another module: the reference needs
    /// that re-export (the target is the `use` item).
    ReExport,
    /// `x.m()` with `x`'s type known: the impl that defines `m`.
    Method,
    /// An impl in another module than its self type: the type's users see the impl, and
    /// coherence keeps the two in one crate (the source is the type, the target the impl).
    Impl,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResolvedRef {
    pub from: ItemId,
    pub to: ItemId,
    pub kind: RefKind,
    /// Line in the file of the `from` item.
    pub line: u32,
    /// Written in test-only code (a test-only module, `#[cfg(test)]` item, `#[test]` fn).
    pub test_only: bool,
    /// Written as a `crate::`/`self::`/`super::` path: after a split it must be rewritten.
    pub crate_path: bool,
}

/// Counts of what the paths of the crate resolved to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolveStats {
    pub paths: u32,
    pub to_crate: u32,
    pub external: u32,
    /// Not found anywhere: names made by macros, items of glob-imported external crates, …
    pub unresolved: u32,
    /// `crate::`/`self::`/`super::` paths that could not be followed: a sign of missed edges.
    pub unresolved_crate_paths: Vec<(ModuleId, u32, String)>,
}

#[derive(Debug, Clone)]
pub struct Resolution {
    /// Sorted; one entry per reference (weights are counts of entries).
    pub refs: Vec<ResolvedRef>,
    /// For each module, for each of its `use` leaves: the modules the leaf's path passes through
    /// or ends in (sorted). Deleting any of them makes the leaf dangle.
    pub use_modules: Vec<Vec<Vec<ModuleId>>>,
    /// What each impl block is for: its self type and its trait, when they are the crate's.
    pub impl_headers: BTreeMap<ItemId, ImplTargets>,
    pub stats: ResolveStats,
}

/// The self type and trait of an impl block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImplTargets {
    pub self_ty: Target,
    /// `Target::Other` also for inherent impls (no trait); see `ImplHeader::trait_`.
    pub trait_: Target,
}

/// An item of the crate, or anything else (another crate's, a generic parameter, none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Local(ItemId),
    Other,
}

/// Which edition rules apply to `use` paths: 2015 reads them from the crate root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    E2015,
    E2018OrLater,
}

impl Edition {
    pub fn parse(edition: &str) -> Edition {
        if edition == "2015" { Edition::E2015 } else { Edition::E2018OrLater }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Res {
    Item(ItemId),
    Module(ModuleId),
    External,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Binding {
    res: Res,
    /// The `use` item that brought the name in, for imports.
    import: Option<ItemId>,
    /// A `pub use` of another module (not the root) that the import went through: whoever
    /// uses this name needs that re-export too.
    via: Option<ItemId>,
    glob: bool,
    public: VisClass,
}

/// Visibility reduced to what glob imports need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VisClass {
    Private,
    Super,
    Crate,
}

fn vis_class(vis: &Visibility) -> VisClass {
    match vis {
        Visibility::Private => VisClass::Private,
        Visibility::Super => VisClass::Super,
        _ => VisClass::Crate,
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct PerNs {
    ty: Option<Binding>,
    val: Option<Binding>,
    mac: Option<Binding>,
}

impl PerNs {
    fn slot(&mut self, ns: Ns) -> &mut Option<Binding> {
        match ns {
            Ns::Type => &mut self.ty,
            Ns::Value => &mut self.val,
            Ns::Macro => &mut self.mac,
        }
    }

    fn get(&self, ns: Ns) -> Option<Binding> {
        match ns {
            Ns::Type => self.ty,
            Ns::Value => self.val,
            Ns::Macro => self.mac,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Type,
    Value,
    Macro,
}

const ALL_NS: [Ns; 3] = [Ns::Type, Ns::Value, Ns::Macro];

/// Crates every crate can name without declaring them.
const SYSROOT_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// Resolves every reference of `tree`. `extern_crates` are the dependency names; `edition` is
/// the crate's.
pub fn resolve(tree: &ModuleTree, edition: Edition, extern_crates: &[String]) -> Resolution {
    let mut r = Resolver::new(tree, edition, extern_crates);
    r.settle_imports();
    r.resolve_all()
}

/// Keyed by shared names: a glob import copies every name of its target into the importing
/// scope, and a `Name` is copied without its text.
type Scope = HashMap<Name, PerNs, foldhash::fast::FixedState>;

struct Resolver<'t> {
    tree: &'t ModuleTree,
    edition: Edition,
    externs: HashSet<&'t str>,
    /// Each module's names. Hashed: lookups dominate on crates with huge flat modules (libc),
    /// and nothing iterates a scope in an order that shows (a glob binds each name alone).
    scopes: Vec<Scope>,
    /// `macro_rules!` by name, for textual scope.
    macros: HashMap<&'t str, Vec<ItemId>>,
    /// Each scope's names in the order their bindings changed while imports settle (a name
    /// again each time it changes): a glob import that read a scope up to some point reads
    /// only what changed after it.
    changes: Vec<Vec<Name>>,
}

/// What one module's code resolved to.
struct ModuleResolved {
    refs: Vec<ResolvedRef>,
    use_modules: Vec<Vec<ModuleId>>,
    stats: ResolveStats,
}

/// How a path walk ended.
struct Walked {
    res: Option<Res>,
    /// `use` items of other modules (not the crate root) the walk went through.
    via: Vec<ItemId>,
    /// Every module the path passes through or ends in.
    modules: Vec<ModuleId>,
    /// When the path goes on past a type or trait: the associated item it names.
    assoc: Option<String>,
}

impl<'t> Resolver<'t> {
    fn new(tree: &'t ModuleTree, edition: Edition, extern_crates: &'t [String]) -> Self {
        let mut externs: HashSet<&str> = extern_crates.iter().map(String::as_str).collect();
        externs.extend(SYSROOT_CRATES);
        // Each module's own items, module by module in parallel (libc: 13 ms on one thread).
        let mut scopes: Vec<Scope> = tree
            .modules
            .par_iter()
            .enumerate()
            .map(|(m_idx, module)| {
                let m = ModuleId(m_idx as u32);
                let children: HashMap<&str, ModuleId> = module
                    .children
                    .iter()
                    .filter(|c| tree.get(**c).in_fn.is_none())
                    .map(|c| (tree.get(*c).name.as_str(), *c))
                    .collect();
                let mut scope = Scope::default();
                for (i, def) in module.items.items.iter().enumerate() {
                    let id = ItemId { module: m, item: i as ItemIdx };
                    let binding = |res| Binding {
                        res,
                        import: None,
                        via: None,
                        glob: false,
                        public: vis_class(&def.vis),
                    };
                    let mut define = |ns: Ns, res: Res| {
                        let slot = scope
                            .entry(Name::from(def.name.as_str()))
                            .or_insert_with(PerNs::default)
                            .slot(ns);
                        if slot.is_none() {
                            *slot = Some(binding(res));
                        }
                    };
                    match def.kind {
                        ItemKind::Fn | ItemKind::Const | ItemKind::Static => define(Ns::Value, Res::Item(id)),
                        ItemKind::Struct => {
                            define(Ns::Type, Res::Item(id));
                            if def.value_too {
                                define(Ns::Value, Res::Item(id));
                            }
                        }
                        ItemKind::Enum
                        | ItemKind::Union
                        | ItemKind::Trait
                        | ItemKind::TraitAlias
                        | ItemKind::TypeAlias => define(Ns::Type, Res::Item(id)),
                        ItemKind::Macro => define(Ns::Macro, Res::Item(id)),
                        ItemKind::Mod => {
                            if let Some(child) = children.get(def.name.as_str()) {
                                define(Ns::Type, Res::Module(*child));
                            }
                        }
                        ItemKind::ExternCrate => define(Ns::Type, Res::External),
                        ItemKind::Use | ItemKind::Impl | ItemKind::MacroCall => {}
                    }
                }
                scope
            })
            .collect();
        let mut macros: HashMap<&str, Vec<ItemId>> = HashMap::new();
        for (m_idx, module) in tree.modules.iter().enumerate() {
            for (i, def) in module.items.items.iter().enumerate() {
                if def.kind == ItemKind::Macro {
                    let id = ItemId { module: ModuleId(m_idx as u32), item: i as ItemIdx };
                    macros.entry(def.name.as_str()).or_default().push(id);
                }
            }
        }
        // `#[macro_export]` macros live at the crate root for path-based lookups.
        for ids in macros.values() {
            for id in ids {
                let def = item_def(tree, *id);
                if def.macro_scope && id.module != ModuleId::ROOT {
                    let slot = scopes[0].entry(Name::from(def.name.as_str())).or_default();
                    if slot.mac.is_none() {
                        slot.mac = Some(Binding {
                            res: Res::Item(*id),
                            import: None,
                            via: None,
                            glob: false,
                            public: VisClass::Crate,
                        });
                    }
                }
            }
        }
        let changes = vec![Vec::new(); scopes.len()];
        Resolver { tree, edition, externs, scopes, macros, changes }
    }

    /// Resolves `use` declarations until nothing changes, so re-exports of re-exports and globs
    /// of modules that themselves import by glob all settle.
    fn settle_imports(&mut self) {
        // Each round either binds a new name or stops; the bound keeps a pathological crate
        // from spinning (ambiguous globs flipping back and forth cannot happen: slots only fill).
        // Each glob import's target and how far into that target's changes it has read: what
        // it read before binds nothing new when read again (slots only fill, and a glob never
        // replaces a binding), so later rounds read only the names changed since.
        let mut globs_read: HashMap<(ModuleId, usize), Option<(Res, usize)>> = HashMap::new();
        for _ in 0..64 {
            let mut changed = false;
            for m_idx in 0..self.tree.modules.len() {
                let m = ModuleId(m_idx as u32);
                let module_items = &self.tree.modules[m_idx].items;
                for (leaf_idx, leaf) in module_items.uses.iter().enumerate() {
                    let path = module_items.names.texts(&leaf.path);
                    let use_id = ItemId { module: m, item: leaf.item };
                    let public = vis_class(&item_def(self.tree, use_id).vis);
                    match &leaf.name {
                        Some(name) => {
                            if name == "_" {
                                continue;
                            }
                            let Some((parent, last)) = self.walk_prefix(m, &path, true) else {
                                continue;
                            };
                            for ns in ALL_NS {
                                let Some((found, owner)) = self.lookup_in(parent, last, ns, m) else {
                                    continue;
                                };
                                let via = hop(found, owner, m);
                                let binding = Binding {
                                    res: found.res,
                                    import: Some(use_id),
                                    via,
                                    glob: false,
                                    public,
                                };
                                changed |= self.bind(m, name, None, ns, binding);
                            }
                        }
                        None => {
                            let read = globs_read.entry((m, leaf_idx)).or_default();
                            changed |= self.glob_import(m, &path, use_id, public, read);
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Binds `name` in `m`; an explicit binding replaces a glob one. Returns whether it changed.
    /// `shared`: the name as a `Name` already, if the caller has one.
    fn bind(&mut self, m: ModuleId, name: &str, shared: Option<&Name>, ns: Ns, binding: Binding) -> bool {
        let scope = &mut self.scopes[m.index()];
        // A shared name is looked up once by its key; a plain one is copied only when new.
        let per_ns = match shared {
            Some(key) => scope.entry(key.clone()).or_default(),
            None => match scope.get_mut(name) {
                Some(per_ns) => per_ns,
                None => scope.entry(Name::from(name)).or_default(),
            },
        };
        let slot = per_ns.slot(ns);
        let changed = match slot {
            None => {
                *slot = Some(binding);
                true
            }
            Some(existing) if existing.glob && !binding.glob && existing.res != binding.res => {
                *slot = Some(binding);
                true
            }
            Some(_) => false,
        };
        if changed {
            let key = match shared {
                Some(key) => Some(key.clone()),
                None => self.scopes[m.index()].get_key_value(name).map(|(key, _)| key.clone()),
            };
            self.changes[m.index()].extend(key);
        }
        changed
    }

    /// `read`: the target and how many of its changes this import had read when it last read
    /// it (`None`: never). The same target again: only its names changed since are read.
    fn glob_import(
        &mut self,
        m: ModuleId,
        path: &[&str],
        use_id: ItemId,
        public: VisClass,
        read: &mut Option<(Res, usize)>,
    ) -> bool {
        let walked = self.walk(m, path, true, Ns::Type);
        let mut changed = false;
        match walked.res {
            Some(Res::Module(t)) if t != m => {
                let known = match *read {
                    Some((res, known)) if res == Res::Module(t) => Some(known),
                    _ => None,
                };
                *read = Some((Res::Module(t), self.changes[t.index()].len()));
                // The target's scope and changes are set aside while `m`'s fill (they are
                // different scopes), so its names are read in place, not copied.
                let target = std::mem::take(&mut self.scopes[t.index()]);
                let target_changes = std::mem::take(&mut self.changes[t.index()]);
                // Whether `m` sees a name of `t` depends only on the name's visibility class.
                let (sees_private, sees_super) =
                    (self.visible(VisClass::Private, t, m), self.visible(VisClass::Super, t, m));
                let mut bind_all = |r: &mut Self, name: &Name, per_ns: &PerNs| {
                    for ns in ALL_NS {
                        let Some(b) = per_ns.get(ns) else { continue };
                        let seen = match b.public {
                            VisClass::Crate => true,
                            VisClass::Private => sees_private,
                            VisClass::Super => sees_super,
                        };
                        if !seen {
                            continue;
                        }
                        let via = hop(b, t, m);
                        let binding = Binding { res: b.res, import: Some(use_id), via, glob: true, public };
                        changed |= r.bind(m, name, Some(name), ns, binding);
                    }
                };
                match known {
                    None => target.iter().for_each(|(name, per_ns)| bind_all(self, name, per_ns)),
                    Some(known) => {
                        for name in &target_changes[known..] {
                            if let Some(per_ns) = target.get(name) {
                                bind_all(self, name, per_ns);
                            }
                        }
                    }
                }
                self.scopes[t.index()] = target;
                self.changes[t.index()] = target_changes;
            }
            // An enum's variants never change: read once.
            Some(Res::Item(enum_id)) if *read != Some((Res::Item(enum_id), 0)) => {
                *read = Some((Res::Item(enum_id), 0));
                let variants = item_def(self.tree, enum_id).variants.clone();
                for v in variants {
                    for ns in [Ns::Type, Ns::Value] {
                        let binding = Binding {
                            res: Res::Item(enum_id),
                            import: Some(use_id),
                            via: None,
                            glob: true,
                            public,
                        };
                        changed |= self.bind(m, &v, None, ns, binding);
                    }
                }
            }
            _ => {}
        }
        changed
    }

    /// Whether an item with visibility `vis` in module `owner` can be named from `from`.
    fn visible(&self, vis: VisClass, owner: ModuleId, from: ModuleId) -> bool {
        match vis {
            VisClass::Crate => true,
            VisClass::Private => self.is_within(from, owner),
            VisClass::Super => self.is_within(from, self.tree.get(owner).parent.unwrap_or(owner)),
        }
    }

    fn is_within(&self, mut m: ModuleId, ancestor: ModuleId) -> bool {
        loop {
            if m == ancestor {
                return true;
            }
            match self.tree.get(m).parent {
                Some(p) => m = p,
                None => return false,
            }
        }
    }

    /// The first segment of a path as a starting point, or `None` when it names nothing known.
    /// Returns the starting point and the re-export the name came through, if any.
    fn start(&self, m: ModuleId, first: &str, is_use: bool) -> Option<(Res, Option<ItemId>)> {
        match first {
            "crate" | "$crate" => return Some((Res::Module(ModuleId::ROOT), None)),
            "self" => return Some((Res::Module(m), None)),
            "super" => return Some((Res::Module(self.tree.get(m).parent.unwrap_or(m)), None)),
            "::" => {
                return Some(match self.edition {
                    Edition::E2015 => (Res::Module(ModuleId::ROOT), None),
                    Edition::E2018OrLater => (Res::External, None),
                });
            }
            _ => {}
        }
        let scope_of = if is_use && self.edition == Edition::E2015 { ModuleId::ROOT } else { m };
        if let Some(b) = self.scopes[scope_of.index()].get(first).and_then(|p| p.ty) {
            return Some((b.res, b.via));
        }
        if self.externs.contains(first) {
            return Some((Res::External, None));
        }
        None
    }

    /// Walks all but the last segment of `path`: the module (or enum, or external) in which the
    /// last segment is to be found, with the last segment.
    fn walk_prefix<'p>(&self, m: ModuleId, path: &[&'p str], is_use: bool) -> Option<(Res, &'p str)> {
        let (&last, prefix) = path.split_last()?;
        if prefix.is_empty() {
            // `use name;`: the name is looked up like a first segment.
            return match last {
                "crate" | "self" | "super" | "::" => None,
                _ => Some((
                    Res::Module(if is_use && self.edition == Edition::E2015 { ModuleId::ROOT } else { m }),
                    last,
                )),
            };
        }
        let walked = self.walk(m, prefix, is_use, Ns::Type);
        Some((walked.res?, last))
    }

    /// Looks `name` up in the namespace `ns` of `parent` (a module, an enum, or external), as
    /// seen from `from`.
    fn lookup_in(&self, parent: Res, name: &str, ns: Ns, from: ModuleId) -> Option<(Binding, ModuleId)> {
        match parent {
            Res::Module(t) => {
                if name == "self" || name == "super" || name == "crate" {
                    let start = self.start(t, name, false)?;
                    return Some((
                        Binding {
                            res: start.0,
                            import: None,
                            via: None,
                            glob: false,
                            public: VisClass::Crate,
                        },
                        t,
                    ));
                }
                let b = self.scopes[t.index()].get(name)?.get(ns)?;
                let _ = from;
                Some((b, t))
            }
            Res::Item(id) => {
                let def = item_def(self.tree, id);
                if def.kind == ItemKind::Enum && def.variants.iter().any(|v| v == name) && ns != Ns::Macro {
                    Some((
                        Binding {
                            res: Res::Item(id),
                            import: None,
                            via: None,
                            glob: false,
                            public: VisClass::Crate,
                        },
                        id.module,
                    ))
                } else {
                    None
                }
            }
            Res::External => Some((
                Binding { res: Res::External, import: None, via: None, glob: false, public: VisClass::Crate },
                from,
            )),
        }
    }

    /// Follows `path` from module `m`. Stops at the first type or trait (what follows is an
    /// associated item of it); the last segment is looked up in `ns`, then in the others.
    fn walk(&self, m: ModuleId, path: &[&str], is_use: bool, ns: Ns) -> Walked {
        let mut w = Walked { res: None, via: Vec::new(), modules: Vec::new(), assoc: None };
        let Some(first) = path.first() else { return w };
        let Some((mut cur, first_via)) = self.start(m, first, is_use) else {
            return w;
        };
        w.via.extend(first_via);
        for (i, &seg) in path.iter().enumerate().skip(1) {
            match cur {
                Res::External => {
                    w.res = Some(Res::External);
                    return w;
                }
                Res::Item(id) => {
                    let def = item_def(self.tree, id);
                    if def.kind == ItemKind::Enum && def.variants.iter().any(|v| v == seg) {
                        // A variant: its enum is what the path needs.
                        continue;
                    }
                    w.assoc = Some(seg.to_owned());
                    break;
                }
                Res::Module(t) => w.modules.push(t),
            }
            let is_last = i + 1 == path.len();
            let order: &[Ns] = if is_last {
                match ns {
                    Ns::Type => &[Ns::Type, Ns::Value, Ns::Macro],
                    Ns::Value => &[Ns::Value, Ns::Type, Ns::Macro],
                    Ns::Macro => &[Ns::Macro, Ns::Type, Ns::Value],
                }
            } else {
                &[Ns::Type]
            };
            // A last segment naming both a module and an item (`mod get_span` beside
            // `fn get_span`) means the item: a module alone is no edge.
            let mut found = order.iter().find_map(|ns| self.lookup_in(cur, seg, *ns, m));
            if is_last && matches!(found, Some((Binding { res: Res::Module(_), .. }, _))) {
                let item = order
                    .iter()
                    .filter_map(|ns| self.lookup_in(cur, seg, *ns, m))
                    .find(|(b, _)| matches!(b.res, Res::Item(_)));
                found = item.or(found);
            }
            let Some((binding, owner)) = found else { return w };
            w.via.extend(hop(binding, owner, m));
            cur = binding.res;
        }
        match cur {
            Res::Module(t) => w.modules.push(t),
            Res::Item(id) => w.modules.push(id.module),
            Res::External => {}
        }
        w.modules.extend(w.via.iter().map(|v| v.module));
        w.modules.sort();
        w.modules.dedup();
        w.res = Some(cur);
        w
    }

    /// Each impl's self type (when it is one of the crate's), and the coherence references
    /// from a type to its impls in other modules (see [`RefKind::Impl`]).
    fn impl_index(
        &self,
        refs: &mut Vec<ResolvedRef>,
        headers: &mut BTreeMap<ItemId, ImplTargets>,
    ) -> HashMap<ItemId, Vec<ItemId>> {
        let mut impls_of: HashMap<ItemId, Vec<ItemId>> = HashMap::new();
        for (m_idx, module) in self.tree.modules.iter().enumerate() {
            let m = ModuleId(m_idx as u32);
            for (i, def) in module.items.items.iter().enumerate() {
                let Some(header) = &def.impl_of else { continue };
                let impl_id = ItemId { module: m, item: i as ItemIdx };
                let target = |path: &Option<Vec<String>>| match path {
                    None => Target::Other,
                    Some(p) => match self.walk(m, &as_strs(p), false, Ns::Type).res {
                        Some(Res::Item(id)) => Target::Local(id),
                        _ => Target::Other,
                    },
                };
                let targets =
                    ImplTargets { self_ty: target(&header.self_ty), trait_: target(&header.trait_) };
                headers.insert(impl_id, targets);
                let Target::Local(ty) = targets.self_ty else { continue };
                impls_of.entry(ty).or_default().push(impl_id);
                let trait_here = header.trait_.as_ref().is_some_and(
                    |t| matches!(self.walk(m, &as_strs(t), false, Ns::Type).res, Some(Res::Item(tr)) if tr.module == m),
                );
                if ty.module != m && !trait_here {
                    let test_only = module.test_only || def.test_only;
                    refs.push(ResolvedRef {
                        from: ty,
                        to: impl_id,
                        kind: RefKind::Impl,
                        line: def.span.0.0,
                        test_only,
                        crate_path: false,
                    });
                }
            }
        }
        impls_of
    }

    fn resolve_all(&self) -> Resolution {
        let mut refs = Vec::new();
        let mut impl_headers = BTreeMap::new();
        let impls_of = self.impl_index(&mut refs, &mut impl_headers);
        // Modules resolve independently once the scopes are settled: side by side, joined in
        // module order.
        let per_module: Vec<ModuleResolved> = (0..self.tree.modules.len())
            .into_par_iter()
            .map(|m_idx| self.resolve_module(ModuleId(m_idx as u32), &impls_of))
            .collect();
        let mut stats = ResolveStats::default();
        let mut use_modules = Vec::with_capacity(per_module.len());
        for done in per_module {
            refs.extend(done.refs);
            use_modules.push(done.use_modules);
            stats.paths += done.stats.paths;
            stats.to_crate += done.stats.to_crate;
            stats.external += done.stats.external;
            stats.unresolved += done.stats.unresolved;
            stats.unresolved_crate_paths.extend(done.stats.unresolved_crate_paths);
        }
        refs.retain(|r| r.from != r.to);
        refs.par_sort_unstable();
        stats.unresolved_crate_paths.sort();
        Resolution { refs, use_modules, impl_headers, stats }
    }

    /// One module's paths, `use` leaves and method calls, resolved.
    fn resolve_module(&self, m: ModuleId, impls_of: &HashMap<ItemId, Vec<ItemId>>) -> ModuleResolved {
        let module = self.tree.get(m);
        let names = &module.items.names;
        let mut refs = Vec::new();
        let mut stats = ResolveStats::default();
        let use_modules: Vec<Vec<ModuleId>> = module
            .items
            .uses
            .iter()
            .map(|leaf| self.walk(m, &names.texts(&leaf.path), true, Ns::Type).modules)
            .collect();
        let module_test = module.test_only;
        let test_of = |idx: ItemIdx, written_test: bool| {
            module_test || written_test || module.items.items[idx as usize].test_only
        };
        for r in &module.items.refs {
            stats.paths += 1;
            let from = ItemId { module: m, item: r.item };
            let test_only = test_of(r.item, r.test_only);
            let path = names.texts(&r.path);
            let crate_path = is_crate_relative(&path);
            let mut push =
                |to, kind| refs.push(ResolvedRef { from, to, kind, line: r.line, test_only, crate_path });
            match self.resolve_ref(m, r, &path) {
                RefOutcome::Crate(to, via, assoc) => {
                    stats.to_crate += 1;
                    push(to, RefKind::Path);
                    // `Type::item`: the impls that define `item` are needed too.
                    if let Some(assoc) = assoc {
                        for imp in impls_of.get(&to).into_iter().flatten() {
                            if item_def(self.tree, *imp).assoc.binary_search(&assoc).is_ok() {
                                push(*imp, RefKind::Method);
                            }
                        }
                    }
                    via.into_iter().for_each(|v| push(v, RefKind::ReExport));
                }
                RefOutcome::External(via) => {
                    stats.external += 1;
                    // An external item re-exported by another module of the crate.
                    via.into_iter().for_each(|v| push(v, RefKind::ReExport));
                }
                RefOutcome::Binding | RefOutcome::Module => stats.paths -= 1,
                RefOutcome::Unresolved => {
                    stats.unresolved += 1;
                    if crate_path {
                        stats.unresolved_crate_paths.push((m, r.line, path.join("::")));
                    }
                }
            }
        }
        for leaf in &module.items.uses {
            if leaf.name.is_none() {
                continue;
            }
            let from = ItemId { module: m, item: leaf.item };
            let test_only = test_of(leaf.item, false);
            let path = names.texts(&leaf.path);
            let crate_path = is_crate_relative(&path);
            let line = module.items.items[leaf.item as usize].span.0.0;
            let walked = self.walk(m, &path, true, Ns::Type);
            if let Some(Res::Item(to)) = walked.res {
                refs.push(ResolvedRef { from, to, kind: RefKind::Use, line, test_only, crate_path });
            }
            // Re-exports on the way count even when they lead out of the crate.
            for v in &walked.via {
                refs.push(ResolvedRef { from, to: *v, kind: RefKind::ReExport, line, test_only, crate_path });
            }
            // Also the value and macro of the same name, when they are other items.
            if let Some((parent, last)) = self.walk_prefix(m, &path, true) {
                for ns in [Ns::Value, Ns::Macro] {
                    if let Some((b, _)) = self.lookup_in(parent, last, ns, m)
                        && let Res::Item(to) = b.res
                        && Some(Res::Item(to)) != walked.res
                    {
                        refs.push(ResolvedRef { from, to, kind: RefKind::Use, line, test_only, crate_path });
                    }
                }
            }
        }
        for call in &module.items.method_calls {
            let Some(Res::Item(ty)) = self.walk(m, &as_strs(&call.receiver_ty), false, Ns::Type).res else {
                continue;
            };
            let Some(impls) = impls_of.get(&ty) else { continue };
            let from = ItemId { module: m, item: call.item };
            let test_only =
                module.test_only || call.test_only || module.items.items[call.item as usize].test_only;
            for imp in impls {
                if item_def(self.tree, *imp).assoc.binary_search(&call.method).is_ok() && imp.module != m {
                    refs.push(ResolvedRef {
                        from,
                        to: *imp,
                        kind: RefKind::Method,
                        line: call.line,
                        test_only,
                        crate_path: false,
                    });
                }
            }
        }
        ModuleResolved { refs, use_modules, stats }
    }

    /// `path`: `r.path` as text.
    fn resolve_ref(&self, m: ModuleId, r: &PathRef, path: &[&str]) -> RefOutcome {
        let outcome = self.resolve_in_crate(m, r, path);
        match outcome {
            RefOutcome::Unresolved if r.ns == Namespace::PatIdent => RefOutcome::Binding,
            RefOutcome::Unresolved if STD_PRELUDE.binary_search(&path[0]).is_ok() => {
                RefOutcome::External(Vec::new())
            }
            other => other,
        }
    }

    fn resolve_in_crate(&self, m: ModuleId, r: &PathRef, path: &[&str]) -> RefOutcome {
        let names = &self.tree.get(m).items.names;
        let ns = match r.ns {
            Namespace::Type => Ns::Type,
            Namespace::Value | Namespace::PatIdent => Ns::Value,
            Namespace::Macro => Ns::Macro,
            Namespace::Any => Ns::Type,
        };
        if path.len() == 1 {
            let name = path[0];
            let mut found = self.single(m, name, ns, r.ns != Namespace::PatIdent);
            if found.is_none() {
                for glob in &r.block_globs {
                    if let Some(Res::Module(t)) = self.walk(m, &names.texts(glob), true, Ns::Type).res
                        && let Some(b) = self.scopes[t.index()].get(name).and_then(|p| p.get(ns))
                    {
                        found = Some((b.res, Vec::new()));
                        break;
                    }
                }
            }
            if found.is_none() && ns == Ns::Macro {
                found = self.textual_macro(m, name).map(|id| (Res::Item(id), Vec::new()));
            }
            return match found {
                Some((Res::Item(id), _))
                    if r.ns == Namespace::PatIdent && !is_pattern_constant(self.tree, id) =>
                {
                    RefOutcome::Unresolved
                }
                Some((Res::Item(id), via)) => RefOutcome::Crate(id, via, None),
                Some((Res::External, via)) => RefOutcome::External(via),
                Some((Res::Module(_), _)) | None => {
                    if self.externs.contains(name) {
                        RefOutcome::External(Vec::new())
                    } else {
                        RefOutcome::Unresolved
                    }
                }
            };
        }
        let mut walked = self.walk(m, path, false, ns);
        if walked.res.is_none() {
            for glob in &r.block_globs {
                let mut full = names.texts(glob);
                if let Some(Res::Module(t)) = self.walk(m, &full, true, Ns::Type).res
                    && self.scopes[t.index()].contains_key(path[0])
                {
                    full.extend(path.iter().copied());
                    walked = self.walk(m, &full, false, ns);
                    break;
                }
            }
        }
        match walked.res {
            Some(Res::Item(id)) => RefOutcome::Crate(id, walked.via, walked.assoc),
            Some(Res::External) => RefOutcome::External(walked.via),
            // A module itself (`use crate::ast;` in a block, a block glob): what is used through
            // it is resolved on its own.
            Some(Res::Module(_)) => RefOutcome::Module,
            None => RefOutcome::Unresolved,
        }
    }

    /// A lone name: the module's scope in `ns` (then the other namespaces when `fallback`).
    fn single(&self, m: ModuleId, name: &str, ns: Ns, fallback: bool) -> Option<(Res, Vec<ItemId>)> {
        let per_ns = self.scopes[m.index()].get(name)?;
        let b = per_ns.get(ns).or_else(|| {
            if fallback {
                ALL_NS.iter().find_map(|n| if *n == Ns::Macro { None } else { per_ns.get(*n) })
            } else {
                None
            }
        })?;
        Some((b.res, b.via.into_iter().collect()))
    }

    /// `name!` by textual scope: a `macro_rules!` of this module, else of the nearest ancestor,
    /// else of a module whose macros reach here through `#[macro_use]`, else the crate's only
    /// macro of that name.
    fn textual_macro(&self, m: ModuleId, name: &str) -> Option<ItemId> {
        let defs = self.macros.get(name)?;
        let mut cur = Some(m);
        while let Some(c) = cur {
            if let Some(id) = defs.iter().find(|d| d.module == c) {
                return Some(*id);
            }
            cur = self.tree.get(c).parent;
        }
        let reaches = |d: &ItemId| {
            // Every module from the definer up to some ancestor of `m` is `#[macro_use]`.
            let mut c = d.module;
            loop {
                let Some(parent) = self.tree.get(c).parent else { return false };
                let name = &self.tree.get(c).name;
                let macro_use = self
                    .tree
                    .get(parent)
                    .items
                    .items
                    .iter()
                    .any(|i| i.kind == ItemKind::Mod && i.name == *name && i.macro_scope);
                if !macro_use {
                    return false;
                }
                if self.is_within(m, parent) {
                    return true;
                }
                c = parent;
            }
        };
        if let Some(id) = defs.iter().find(|d| reaches(d)) {
            return Some(*id);
        }
        if defs.len() == 1 { Some(defs[0]) } else { None }
    }
}

fn is_crate_relative(path: &[&str]) -> bool {
    matches!(path.first(), Some(&("crate" | "self" | "super" | "$crate")))
}

/// A path kept as strings (impl headers, method receivers), as `walk` reads paths.
fn as_strs(path: &[String]) -> SmallVec<[&str; 4]> {
    path.iter().map(String::as_str).collect()
}

/// The re-export a name found in `owner`'s scope stands for, as seen from `from`: the import
/// itself when it is another module's (not the root's, which is the facade), else what the
/// import went through.
fn hop(b: Binding, owner: ModuleId, from: ModuleId) -> Option<ItemId> {
    match b.import {
        Some(import) if owner != from && owner != ModuleId::ROOT => Some(import),
        _ => b.via,
    }
}

enum RefOutcome {
    /// The item, the re-exports on the way, and the associated item named after it.
    Crate(ItemId, Vec<ItemId>, Option<String>),
    /// Outside the crate, with the crate's re-exports on the way.
    External(Vec<ItemId>),
    /// A lone identifier in a pattern that names no constant: a new variable, not a path.
    Binding,
    /// A path to a module, not to an item.
    Module,
    Unresolved,
}

/// Names every module sees without importing them: the std prelude (2021 and later) and the
/// primitive types. Sorted for binary search.
const STD_PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "bool",
    "char",
    "drop",
    "f32",
    "f64",
    "i128",
    "i16",
    "i32",
    "i64",
    "i8",
    "isize",
    "str",
    "u128",
    "u16",
    "u32",
    "u64",
    "u8",
    "usize",
];

/// The definition of an item: the one lookup from an [`ItemId`] to its [`ItemDef`].
pub fn item_def(tree: &ModuleTree, id: ItemId) -> &ItemDef {
    &tree.get(id.module).items.items[id.item as usize]
}

/// What a lone identifier in a pattern can name instead of binding a new variable.
fn is_pattern_constant(tree: &ModuleTree, id: ItemId) -> bool {
    let def = item_def(tree, id);
    match def.kind {
        ItemKind::Const | ItemKind::Static | ItemKind::Enum => true,
        ItemKind::Struct => def.value_too,
        _ => false,
    }
}
