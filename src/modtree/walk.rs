//! Following `mod` declarations from a crate root to every module file, one layer of files at a
//! time, each layer parsed in parallel.
//!
//! File lookup follows the Rust reference ("Modules" and "The `path` attribute"): a mod-rs file
//! (the crate root, a `mod.rs`, or a file loaded through `#[path]`) owns its own directory, a
//! non-mod-rs file `a/foo.rs` owns `a/foo/`; inline modules add their names as directories; a
//! `#[path]` outside inline modules is relative to the declaring file's directory. These rules
//! are the same in every edition since Rust 1.30.

use super::collect::{FileFacts, collect_file};
use super::{Location, Module, ModuleId, ModuleTree, Problem, Severity, Size};
use crate::items::ModuleItems;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// How deep `include!` may nest before the walk stops following it (rustc's own limit is the
/// macro recursion limit; a cycle would otherwise never end).
const MAX_INCLUDE_DEPTH: u32 = 32;

/// Worker threads parse deeply nested code recursively; give them room.
const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

#[derive(Debug)]
struct Task {
    module: ModuleId,
    file: PathBuf,
    include_depth: u32,
    test_only: bool,
    /// Set for the body of a macro defined in another file and called in `module`: read as that
    /// module's items (for the modules it declares), its lines counted where it is defined.
    expansion: Option<(String, (u32, u32))>,
}

/// Walks the module trees of several crate roots at once (a library and its integration
/// tests), in order: each [`walk`] goes one layer at a time, and a test target is often a single
/// file, so walked one after another they would leave all workers but one idle.
pub fn walk_many(root_files: &[&Path], display_base: &Path) -> Vec<ModuleTree> {
    in_worker_pool(|| root_files.par_iter().map(|root| walk(root, display_base)).collect())
}

/// Walks the module tree of the crate whose root file is `root_file`. Never fails: problems are
/// attached to the modules they concern. Paths in problem messages are shown relative to
/// `display_base` (the package directory).
pub fn walk(root_file: &Path, display_base: &Path) -> ModuleTree {
    let mut state = WalkState { display_base: display_base.to_path_buf(), ..WalkState::default() };
    let root_dir = parent_dir(root_file);
    state.add_module(
        Module {
            path: "crate".to_owned(),
            name: "crate".to_owned(),
            parent: None,
            children: Vec::new(),
            file: root_file.to_path_buf(),
            inline: false,
            decl: None,
            span: (1, 1),
            cfg: Vec::new(),
            test_only: false,
            in_fn: None,
            files: Vec::new(),
            own: Size::default(),
            subtree: Size::default(),
            problems: Vec::new(),
            items: ModuleItems::default(),
        },
        root_dir,
    );
    let mut layer = vec![Task {
        module: ModuleId::ROOT,
        file: root_file.to_path_buf(),
        include_depth: 0,
        test_only: false,
        expansion: None,
    }];
    loop {
        if layer.is_empty() {
            layer = state.cross_file_expansions();
            if layer.is_empty() {
                break;
            }
        }
        let results: Vec<std::io::Result<FileFacts>> = in_worker_pool(|| {
            layer
                .par_iter()
                .map(|task| {
                    let facts = match &task.expansion {
                        Some((body, _)) => Ok(collect_file(body, task.test_only, None)),
                        None => read_source(&task.file)
                            .map(|(text, utf8_error)| collect_file(&text, task.test_only, utf8_error)),
                    };
                    forget_spans();
                    facts
                })
                .collect()
        });
        let mut next = Vec::new();
        for (task, result) in layer.into_iter().zip(results) {
            match result {
                Ok(facts) => state.integrate(&task, facts, &mut next),
                Err(e) => {
                    let problem = Problem {
                        severity: Severity::Error,
                        location: Some(Location { file: task.file.clone(), line: 0, column: 0 }),
                        message: format!("cannot read file: {e}"),
                    };
                    state.modules[task.module.index()].problems.push(problem);
                }
            }
        }
        layer = next;
    }
    state.finish()
}

/// The parsing workers: their own pool, for the stack deep files need, unless the global pool
/// was given that stack ([`parse_in_global_pool`]).
static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
static GLOBAL_POOL_PARSES: AtomicBool = AtomicBool::new(false);

/// Makes rayon's global pool the parsing workers, with the stack deep files need, unless the
/// global pool already runs (then parsing keeps a pool of its own). For a program that
/// analyzes and then works in parallel on the result: the memory a worker freed after parsing
/// is what the same worker allocates from next, where a second pool's idle threads would keep
/// theirs to the end.
pub fn parse_in_global_pool() {
    if rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK_BYTES).build_global().is_ok() {
        GLOBAL_POOL_PARSES.store(true, Ordering::Relaxed);
    }
}

fn in_worker_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if GLOBAL_POOL_PARSES.load(Ordering::Relaxed) {
        // On a worker, for its stack: a layer of one file is not split, so rayon would parse
        // it on the calling thread (the main thread, 8 MiB).
        return rayon::scope(|_| f());
    }
    let pool =
        POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK_BYTES).build().ok());
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Drops the text and line table proc-macro2 keeps, per thread and for the thread's whole life,
/// of every file parsed on it (`span-locations`): the whole crate's source otherwise stays in
/// memory to the end. Only on the parsing workers, between two files: nothing holds a span of
/// theirs then (a file's facts are plain data), while any other thread might.
fn forget_spans() {
    let on_worker = if GLOBAL_POOL_PARSES.load(Ordering::Relaxed) {
        rayon::current_thread_index().is_some()
    } else {
        POOL.get().and_then(Option::as_ref).is_some_and(|p| p.current_thread_index().is_some())
    };
    if on_worker {
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}

/// Files larger than this are not parsed (syn needs about 150 bytes of memory per source byte:
/// a 50 MB generated file takes 7 GB and 15 s); their lines still count.
pub const MAX_PARSED_BYTES: usize = 16 * 1024 * 1024;

/// Reads a source file. Invalid UTF-8, or a file too large to parse, is an error for the module
/// (returned beside the text, lossy if need be), but its lines still count.
fn read_source(path: &Path) -> std::io::Result<(String, Option<String>)> {
    let bytes = std::fs::read(path)?;
    if bytes.len() > MAX_PARSED_BYTES {
        let message = format!(
            "file not parsed: {:.1} MiB is over the {} MiB splitcheck parses (its lines count; its items and references are missing)",
            bytes.len() as f64 / (1024.0 * 1024.0),
            MAX_PARSED_BYTES / (1024 * 1024)
        );
        return Ok((String::from_utf8_lossy(&bytes).into_owned(), Some(message)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, None)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let message = format!("file is not valid UTF-8 (at byte {at})");
            Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(message)))
        }
    }
}

#[derive(Default)]
struct WalkState {
    modules: Vec<Module>,
    /// Directory in which each module's `mod x;` children are looked up.
    children_dir: Vec<PathBuf>,
    /// Each file module's file, canonicalized once when the module is added (`None` for inline
    /// modules and missing files): the cycle check compares against it.
    canonical_file: Vec<Option<PathBuf>>,
    paths_seen: HashMap<String, u32>,
    display_base: PathBuf,
    /// Argument-less macros seen so far (first definition wins) and the calls waiting for one.
    macro_defs: HashMap<String, String>,
    pending_calls: Vec<PendingCall>,
}

struct PendingCall {
    module: ModuleId,
    file: PathBuf,
    name: String,
    at: (u32, u32),
    test_only: bool,
}

impl WalkState {
    fn show(&self, path: &Path) -> String {
        crate::paths::relative(&self.display_base, path)
    }

    fn inside_package(&self, file: &Path) -> bool {
        match (std::fs::canonicalize(file), std::fs::canonicalize(&self.display_base)) {
            (Ok(file), Ok(base)) => file.starts_with(base),
            _ => true,
        }
    }

    fn add_module(&mut self, mut module: Module, children_dir: PathBuf) -> ModuleId {
        let count = self.paths_seen.entry(module.path.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            module.path = format!("{}#{}", module.path, count);
        }
        let id = ModuleId(self.modules.len() as u32);
        if let Some(parent) = module.parent {
            self.modules[parent.index()].children.push(id);
        }
        let canonical = if module.inline { None } else { std::fs::canonicalize(&module.file).ok() };
        self.modules.push(module);
        self.children_dir.push(children_dir);
        self.canonical_file.push(canonical);
        id
    }

    /// Calls of macros defined in a file read after the call's file, now that every file is
    /// read: each becomes a task reading the macro body as items of the calling module.
    fn cross_file_expansions(&mut self) -> Vec<Task> {
        let calls = std::mem::take(&mut self.pending_calls);
        calls
            .into_iter()
            .filter_map(|call| {
                let body = self.macro_defs.get(&call.name)?.clone();
                Some(Task {
                    module: call.module,
                    file: call.file,
                    // Read like an include: it adds to an existing module.
                    include_depth: 1,
                    test_only: call.test_only,
                    expansion: Some((body, call.at)),
                })
            })
            .collect()
    }

    fn integrate(&mut self, task: &Task, facts: FileFacts, next: &mut Vec<Task>) {
        let FileFacts { modules: mut locals, line_count, macro_defs } = facts;
        for (name, body) in macro_defs {
            self.macro_defs.entry(name).or_insert(body);
        }
        if let Some((_, call_at)) = &task.expansion {
            // The body's lines belong to the file that defines the macro; positions inside the
            // re-read text mean nothing, so everything points at the call.
            for local in &mut locals {
                local.size = Size::default();
                local.span = (call_at.0, call_at.0);
                local.decl = *call_at;
                local.unexpanded.clear();
                local.decls.iter_mut().for_each(|d| d.at = *call_at);
                local.includes.iter_mut().for_each(|i| i.at = *call_at);
                local.problems.iter_mut().for_each(|p| p.at = Some(*call_at));
                for item in &mut local.items.items {
                    item.span = (*call_at, *call_at);
                }
                local.items.refs.iter_mut().for_each(|r| r.line = call_at.0);
                local.items.method_calls.iter_mut().for_each(|r| r.line = call_at.0);
            }
        }
        let file_dir = parent_dir(&task.file);
        let is_include = task.include_depth > 0;
        let mut ids = Vec::with_capacity(locals.len());
        for mut local in locals {
            let items = std::mem::take(&mut local.items);
            let id = match local.parent {
                None => {
                    let m = &mut self.modules[task.module.index()];
                    if !is_include {
                        m.span = (1, line_count.max(1));
                        m.cfg.extend(local.cfg.iter().cloned());
                        m.test_only |= local.cfg_test;
                    }
                    m.own.add(&local.size);
                    if task.expansion.is_none() {
                        m.files.push(task.file.clone());
                    }
                    let file_idx = m.files.iter().position(|f| *f == task.file).unwrap_or(0) as u32;
                    let mut items = items;
                    items.items.iter_mut().for_each(|i| i.file = file_idx);
                    m.items.append(items);
                    task.module
                }
                Some(local_parent) => {
                    let parent: ModuleId = ids[local_parent];
                    let parent_mod = &self.modules[parent.index()];
                    let path = child_path(&parent_mod.path, local.in_fn.as_deref(), &local.name);
                    let test_only = parent_mod.test_only || local.cfg_test;
                    // rustc: `#[path]` on an inline module names its directory, relative to the
                    // file's directory at the top level, else to the enclosing module's.
                    let children_dir = match &local.path_attr {
                        Some(p) if local_parent == 0 => file_dir.join(p),
                        Some(p) => self.children_dir[parent.index()].join(p),
                        None => self.children_dir[parent.index()].join(&local.name),
                    };
                    let module = Module {
                        path,
                        name: local.name.clone(),
                        parent: Some(parent),
                        children: Vec::new(),
                        file: task.file.clone(),
                        inline: true,
                        decl: Some(location(&task.file, local.decl)),
                        span: local.span,
                        cfg: local.cfg.clone(),
                        test_only,
                        in_fn: local.in_fn.clone(),
                        files: Vec::new(),
                        own: local.size,
                        subtree: Size::default(),
                        problems: Vec::new(),
                        items,
                    };
                    self.add_module(module, children_dir)
                }
            };
            ids.push(id);
            for p in &local.problems {
                self.modules[id.index()].problems.push(Problem {
                    severity: p.severity,
                    location: Some(location(&task.file, p.at.unwrap_or((0, 0)))),
                    message: p.message.clone(),
                });
            }
            for (name, at) in &local.unexpanded {
                self.pending_calls.push(PendingCall {
                    module: id,
                    file: task.file.clone(),
                    name: name.clone(),
                    at: *at,
                    test_only: self.modules[id.index()].test_only,
                });
            }
            let top_level = local.parent.is_none();
            for decl in &local.decls {
                self.declare_file_module(id, task, &file_dir, top_level, decl, next);
            }
            for include in &local.includes {
                self.follow_include(id, task, &file_dir, include, next);
            }
        }
    }

    fn declare_file_module(
        &mut self,
        parent: ModuleId,
        task: &Task,
        file_dir: &Path,
        top_level: bool,
        decl: &super::collect::ModDecl,
        next: &mut Vec<Task>,
    ) {
        let parent_mod = &self.modules[parent.index()];
        let test_only = parent_mod.test_only || decl.cfg_test;
        let path = child_path(&parent_mod.path, decl.in_fn.as_deref(), &decl.name);
        let parent_children_dir = &self.children_dir[parent.index()];
        let error = |message: String| Problem {
            severity: Severity::Error,
            location: Some(location(&task.file, decl.at)),
            message,
        };
        let mut problems = Vec::new();
        let (file, children_dir) = match &decl.path_attr {
            Some(p) => {
                let base = if top_level || decl.in_fn.is_some() { file_dir } else { parent_children_dir };
                let file = base.join(p);
                if !file.is_file() {
                    let shown = self.show(&file);
                    problems.push(error(format!(
                        "file not found for module `{}`: #[path] names {shown}",
                        decl.name
                    )));
                } else if !self.inside_package(&file) {
                    // rustc reads it, but `cargo package` leaves it out and a split cannot move it.
                    problems.push(Problem {
                        severity: Severity::Warning,
                        location: Some(location(&task.file, decl.at)),
                        message: format!(
                            "#[path] of module `{}` leads outside the package directory ({}); `cargo package` leaves the file out",
                            decl.name,
                            self.show(&file)
                        ),
                    });
                }
                let dir = parent_dir(&file);
                (file, dir)
            }
            None => {
                let flat = parent_children_dir.join(format!("{}.rs", decl.name));
                let nested = parent_children_dir.join(&decl.name).join("mod.rs");
                let (shown_flat, shown_nested) = (self.show(&flat), self.show(&nested));
                let file = match (flat.is_file(), nested.is_file()) {
                    (true, true) => {
                        problems.push(error(format!(
                            "file for module `{}` found at both {shown_flat} and {shown_nested}; using the first",
                            decl.name
                        )));
                        flat
                    }
                    (true, false) => flat,
                    (false, true) => nested,
                    (false, false) => {
                        problems.push(error(format!(
                            "file not found for module `{}`: looked for {shown_flat} and {shown_nested}",
                            decl.name
                        )));
                        flat
                    }
                };
                (file, parent_children_dir.join(&decl.name))
            }
        };
        if decl.optional && !file.is_file() {
            return;
        }
        let mut follow = file.is_file();
        if follow && let Some(ancestor) = self.ancestor_with_file(parent, &file) {
            problems.push(error(format!(
                "module `{}` would load {} again, already the file of its ancestor `{}`; not followed",
                decl.name,
                self.show(&file),
                self.modules[ancestor.index()].path
            )));
            follow = false;
        }
        let module = Module {
            path,
            name: decl.name.clone(),
            parent: Some(parent),
            children: Vec::new(),
            file: file.clone(),
            inline: false,
            decl: Some(location(&task.file, decl.at)),
            span: (1, 1),
            cfg: decl.cfg.clone(),
            test_only,
            in_fn: decl.in_fn.clone(),
            files: Vec::new(),
            own: Size::default(),
            subtree: Size::default(),
            problems,
            items: ModuleItems::default(),
        };
        let id = self.add_module(module, children_dir);
        if follow {
            next.push(Task { module: id, file, include_depth: 0, test_only, expansion: None });
        }
    }

    fn follow_include(
        &mut self,
        module: ModuleId,
        task: &Task,
        file_dir: &Path,
        include: &super::collect::IncludeDecl,
        next: &mut Vec<Task>,
    ) {
        let error = |message| Problem {
            severity: Severity::Error,
            location: Some(location(&task.file, include.at)),
            message,
        };
        let file = file_dir.join(&include.path);
        if !file.is_file() {
            let msg = format!("include! names {}, which does not exist", self.show(&file));
            self.modules[module.index()].problems.push(error(msg));
        } else if task.include_depth >= MAX_INCLUDE_DEPTH {
            let msg = format!(
                "include! nested more than {MAX_INCLUDE_DEPTH} deep; {} not followed",
                self.show(&file)
            );
            self.modules[module.index()].problems.push(error(msg));
        } else {
            let test_only = self.modules[module.index()].test_only;
            let include_depth = task.include_depth + 1;
            next.push(Task { module, file, include_depth, test_only, expansion: None });
        }
    }

    /// The nearest ancestor (or `id` itself) whose own file is `file`, comparing canonical paths.
    fn ancestor_with_file(&self, id: ModuleId, file: &Path) -> Option<ModuleId> {
        let target = std::fs::canonicalize(file).ok()?;
        let mut cur = Some(id);
        while let Some(c) = cur {
            if self.canonical_file[c.index()].as_ref() == Some(&target) {
                return Some(c);
            }
            cur = self.modules[c.index()].parent;
        }
        None
    }

    fn finish(self) -> ModuleTree {
        let mut modules = self.modules;
        // Children always come after their parents, so one backward pass sums every subtree.
        for idx in (0..modules.len()).rev() {
            let mut subtree = modules[idx].own;
            for &child in &modules[idx].children {
                subtree.add(&modules[child.index()].subtree);
            }
            modules[idx].subtree = subtree;
        }
        let paths: Vec<String> = modules.iter().map(|m| m.path.clone()).collect();
        for m in &mut modules {
            m.children.sort_by(|a, b| paths[a.index()].cmp(&paths[b.index()]));
        }
        ModuleTree { modules }
    }
}

fn child_path(parent: &str, in_fn: Option<&str>, name: &str) -> String {
    match in_fn {
        Some(f) => format!("{parent}::{{fn {f}}}::{name}"),
        None => format!("{parent}::{name}"),
    }
}

fn location(file: &Path, (line, column): (u32, u32)) -> Location {
    Location { file: file.to_path_buf(), line, column }
}

fn parent_dir(file: &Path) -> PathBuf {
    file.parent().map(Path::to_path_buf).unwrap_or_default()
}
