//! Finding the crate to analyze the way cargo users expect, and the workspace around it.
//!
//! Owns: running `cargo metadata` (through `cargo_metadata`, then `guppy` for the package graph),
//! choosing the package and its library target, and listing the workspace packages that depend on
//! it. Must not: parse Rust source.
//!
//! One `--no-deps` metadata run finds the package fast, offline, and without writing a lockfile
//! (so any crate on disk, even one in cargo's registry cache, can be analyzed), and the workspace
//! dependents with it: members depend on a member by path, so the members' declared
//! dependencies say who depends on the crate. Only when the workspace could redirect a registry
//! dependency to a member (`[patch]`, `[replace]`, `paths`) does the full run that guppy needs
//! happen: [`locate`] hands it back as a [`DependentsQuery`] so the caller can run it while the
//! crate is parsed. If that second run fails, the dependents are reported as unknown, with the
//! reason, instead of sinking the analysis.

use cargo_metadata::{Metadata, MetadataCommand, TargetKind};
use guppy::graph::DependencyDirection;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What the user asked for: a crate name or path, and where to look.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// A package name, a library name, or a path to a crate directory.
    pub krate: Option<String>,
    /// `--manifest-path`: a package or workspace `Cargo.toml`.
    pub manifest_path: Option<PathBuf>,
    /// Pass `--offline` to cargo.
    pub offline: bool,
}

/// The package being analyzed, with everything later stages need to know about it.
#[derive(Debug, Clone)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub manifest_path: PathBuf,
    pub root_dir: PathBuf,
    pub workspace_root: PathBuf,
    /// Cargo's target directory for this workspace (where `record` keeps its journal).
    pub target_dir: PathBuf,
    pub lib: Target,
    /// Integration test targets (`tests/*.rs` and `[[test]]`), sorted by name.
    pub test_targets: Vec<Target>,
    /// Read with [`DependentsCell::get`]: the query may still be running.
    pub dependents: DependentsCell,
    /// Names the crate's dependencies are known by in its code (renames applied, `-` as `_`),
    /// sorted: paths starting with one of them lead out of the crate.
    pub extern_crates: Vec<String>,
    /// splitcheck's settings: `[package.metadata.splitcheck]` over
    /// `[workspace.metadata.splitcheck]` (each key from the first table that has it).
    pub config: Config,
}

/// splitcheck's settings in a manifest (flags override them): each key of
/// `[package.metadata.splitcheck]`, else of `[workspace.metadata.splitcheck]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `layers = "ir=crate::ir*; passes=*"`: the layering `splitcheck check` keeps, bottom first.
    pub layers: Option<String>,
    /// Which table `layers` came from.
    pub layers_from: Option<&'static str>,
    /// `profile = "lib"` or `"test"`: the profile reports rank by.
    pub profile: Option<String>,
    /// `parts = 3`: `splitcheck partition`'s number of parts.
    pub parts: Option<u8>,
    /// `max-new-pub = 20`: drop candidates needing more items made `pub`.
    pub max_new_pub: Option<usize>,
    /// `out = "target/splitcheck"`: the report directory (relative to the current directory,
    /// as `--out`).
    pub out: Option<String>,
}

impl Config {
    /// The settings of `package` and of its workspace's `workspace_metadata`.
    fn read(package: &serde_json::Value, workspace: &serde_json::Value) -> Config {
        let tables = [
            ("[package.metadata.splitcheck]", package.get("splitcheck")),
            ("[workspace.metadata.splitcheck]", workspace.get("splitcheck")),
        ];
        let find = |key: &str| tables.iter().find_map(|(name, t)| Some((*name, t.as_ref()?.get(key)?)));
        let text = |key: &str| find(key).and_then(|(_, v)| v.as_str().map(str::to_owned));
        let number = |key: &str| find(key).and_then(|(_, v)| v.as_u64());
        Config {
            layers: text("layers"),
            layers_from: find("layers").map(|(name, _)| name),
            profile: text("profile"),
            parts: number("parts").and_then(|n| u8::try_from(n).ok()),
            max_new_pub: number("max-new-pub").and_then(|n| usize::try_from(n).ok()),
            out: text("out"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub src_path: PathBuf,
    pub edition: String,
}

/// Workspace packages that cargo rebuilds when the analyzed crate changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dependents {
    /// The workspace has no other member.
    NoOtherMembers,
    Known(Vec<Dependent>),
    /// The full metadata could not be loaded; the text says why.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Dependent {
    pub name: String,
    /// Kinds of its direct dependency on the crate (empty when it depends only transitively).
    pub direct: Vec<DepKind>,
}

impl Dependents {
    /// Members depending on the crate directly with a normal dependency: the crates whose
    /// rustc re-runs after every edit of the crate. `None` when the dependents are unknown.
    pub fn direct_normal(&self) -> Option<Vec<String>> {
        match self {
            Dependents::Known(list) => Some(
                list.iter().filter(|d| d.direct.contains(&DepKind::Normal)).map(|d| d.name.clone()).collect(),
            ),
            Dependents::NoOtherMembers => Some(Vec::new()),
            Dependents::Unknown(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DepKind {
    Normal,
    Build,
    Dev,
}

impl DepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DepKind::Normal => "normal",
            DepKind::Build => "build",
            DepKind::Dev => "dev",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("no Cargo.toml at {}", shown(.0))]
    ManifestMissing(PathBuf),
    #[error("invalid manifest {}: {message}", shown(manifest))]
    ManifestInvalid { manifest: PathBuf, message: String },
    #[error("`cargo metadata` failed for {}: {message}", shown(manifest))]
    Metadata { manifest: PathBuf, message: String },
    #[error("no package `{name}` in the workspace at {}{}", shown(root), did_you_mean(.suggestions))]
    UnknownCrate { name: String, root: PathBuf, suggestions: Vec<String> },
    #[error("`{name}` matches several packages ({}); use --manifest-path to pick one", .packages.join(", "))]
    Ambiguous { name: String, packages: Vec<String> },
    #[error("package `{name}` has no library target (it has: {kinds}); splitcheck analyzes library crates")]
    NotALibrary { name: String, kinds: String },
    #[error(
        "package `{name}` is a proc-macro crate; splitcheck analyzes ordinary library crates (its modules cannot be split into separate proc-macro crates the same way)"
    )]
    ProcMacro { name: String },
    #[error("the workspace at {} has {} packages; name one: {}", shown(root), .members.len(), .members.join(", "))]
    NeedCrateName { root: PathBuf, members: Vec<String> },
}

/// A path as the user would type it from the current directory, when it lies below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    match path.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_owned(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        _ => format!(
            "; did you mean {}?",
            suggestions.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The workspace dependents: known when the package is located, or being asked of cargo on a
/// thread of its own ([`DependentsCell::ask`]) and waited for where first read, so the query
/// (cargo's full metadata) runs beside the parse, the resolution and the search.
#[derive(Clone)]
pub struct DependentsCell(std::sync::Arc<CellInner>);

struct CellInner {
    value: std::sync::OnceLock<Dependents>,
    pending: std::sync::Mutex<Option<std::thread::JoinHandle<Dependents>>>,
}

impl DependentsCell {
    pub fn known(dependents: Dependents) -> Self {
        DependentsCell(std::sync::Arc::new(CellInner {
            value: std::sync::OnceLock::from(dependents),
            pending: std::sync::Mutex::new(None),
        }))
    }

    /// Starts `query` on a thread of its own.
    pub fn ask(query: DependentsQuery) -> Self {
        let handle = std::thread::spawn(move || query.run());
        DependentsCell(std::sync::Arc::new(CellInner {
            value: std::sync::OnceLock::new(),
            pending: std::sync::Mutex::new(Some(handle)),
        }))
    }

    /// The dependents, waiting for the query when it is still running.
    pub fn get(&self) -> &Dependents {
        self.0.value.get_or_init(|| {
            let handle = self.0.pending.lock().ok().and_then(|mut pending| pending.take());
            handle
                .and_then(|h| h.join().ok())
                .unwrap_or_else(|| Dependents::Unknown("the dependents query failed".to_owned()))
        })
    }
}

impl std::fmt::Debug for DependentsCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.value.get() {
            Some(d) => d.fmt(f),
            None => f.write_str("(being asked of cargo)"),
        }
    }
}

/// The workspace packages that depend on the crate, still to be asked of cargo (its full
/// metadata takes a few times the `--no-deps` run: worth running beside the parse).
#[derive(Debug, Clone)]
pub struct DependentsQuery {
    workspace_manifest: PathBuf,
    name: String,
    offline: bool,
}

impl DependentsQuery {
    pub fn run(&self) -> Dependents {
        resolved_dependents(&self.workspace_manifest, &self.name, self.offline)
    }
}

/// Finds the package and library target the user means, and everything about it, its workspace
/// dependents included, except in a workspace that may redirect dependencies: there they come
/// from the query handed back (until it runs, the package says `Unknown`).
pub fn locate(selection: &Selection) -> Result<(Package, Option<DependentsQuery>), WorkspaceError> {
    let (manifest, name) = manifest_and_name(selection)?;
    let metadata = run_metadata(&manifest, selection.offline)?;
    let members = metadata.workspace_packages();
    let package = match &name {
        Some(name) => pick_by_name(&metadata, &members, name)?,
        None => pick_default(&metadata, &members, &manifest)?,
    };
    let lib = library_target(package)?;
    let mut test_targets: Vec<Target> =
        package.targets.iter().filter(|t| t.is_kind(TargetKind::Test)).map(target).collect();
    test_targets.sort_by(|a, b| a.name.cmp(&b.name));
    let workspace_root = metadata.workspace_root.as_std_path();
    let (dependents, query) = if members.len() <= 1 {
        (Dependents::NoOtherMembers, None)
    } else if may_redirect_dependencies(workspace_root) {
        let query = DependentsQuery {
            workspace_manifest: workspace_root.join("Cargo.toml"),
            name: package.name.to_string(),
            offline: selection.offline,
        };
        (Dependents::Unknown("not asked yet".to_owned()), Some(query))
    } else {
        (Dependents::Known(declared_dependents(&members, package)), None)
    };
    let manifest_path = package.manifest_path.as_std_path().to_path_buf();
    Ok((
        Package {
            name: package.name.to_string(),
            version: package.version.to_string(),
            root_dir: manifest_path.parent().map(Path::to_path_buf).unwrap_or_default(),
            manifest_path,
            workspace_root: metadata.workspace_root.as_std_path().to_path_buf(),
            target_dir: metadata.target_directory.as_std_path().to_path_buf(),
            extern_crates: extern_crate_names(package),
            config: Config::read(&package.metadata, &metadata.workspace_metadata),
            lib,
            test_targets,
            dependents: DependentsCell::known(dependents),
        },
        query,
    ))
}

/// A library crate of the workspace: enough to time its rebuilds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLibrary {
    pub name: String,
    pub manifest_path: PathBuf,
    pub root_dir: PathBuf,
    pub lib_src: PathBuf,
    /// Names of the packages it depends on (any kind), for ordering builds.
    pub depends_on: Vec<String>,
}

/// Every ordinary library crate of the workspace `package` belongs to, sorted by name.
pub fn workspace_libraries(package: &Package, offline: bool) -> Result<Vec<MemberLibrary>, WorkspaceError> {
    Ok(libraries_of(&run_metadata(&package.workspace_root.join("Cargo.toml"), offline)?))
}

/// Every ordinary library crate of the workspace of the selection's manifest (or of the current
/// directory), and the workspace's root directory. Works from a virtual workspace manifest.
pub fn selected_workspace_libraries(
    selection: &Selection,
) -> Result<(PathBuf, Vec<MemberLibrary>), WorkspaceError> {
    let (manifest, _) = manifest_and_name(&Selection { krate: None, ..selection.clone() })?;
    // Any member's metadata lists every package of its workspace.
    let metadata = run_metadata(&manifest, selection.offline)?;
    Ok((metadata.workspace_root.as_std_path().to_path_buf(), libraries_of(&metadata)))
}

fn libraries_of(metadata: &Metadata) -> Vec<MemberLibrary> {
    let mut out: Vec<MemberLibrary> = metadata
        .workspace_packages()
        .into_iter()
        .filter_map(|p| {
            let lib = p.targets.iter().find(|t| t.is_kind(TargetKind::Lib) || t.is_kind(TargetKind::RLib))?;
            let manifest_path = p.manifest_path.as_std_path().to_path_buf();
            Some(MemberLibrary {
                name: p.name.to_string(),
                root_dir: manifest_path.parent().map(Path::to_path_buf).unwrap_or_default(),
                manifest_path,
                lib_src: lib.src_path.as_std_path().to_path_buf(),
                depends_on: p.dependencies.iter().map(|d| d.name.clone()).collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn extern_crate_names(package: &cargo_metadata::Package) -> Vec<String> {
    let mut names: Vec<String> = package
        .dependencies
        .iter()
        .map(|d| d.rename.as_deref().unwrap_or(&d.name).replace('-', "_"))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Resolves the selection to a manifest to ask cargo about, and the name to look for in it.
fn manifest_and_name(selection: &Selection) -> Result<(PathBuf, Option<String>), WorkspaceError> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let explicit =
        selection.manifest_path.as_ref().map(|p| if p.is_dir() { p.join("Cargo.toml") } else { p.clone() });
    let krate = selection.krate.as_deref();
    // A crate given as a path: `.`, `..`, anything with a separator, or a directory holding a
    // manifest when no package of that name exists (checked later through the fallback below).
    if let Some(k) = krate
        && (k == "."
            || k == ".."
            || k.contains('/')
            || k.contains(std::path::MAIN_SEPARATOR)
            || k.ends_with(".toml"))
    {
        let path = PathBuf::from(k);
        let manifest = if path.is_dir() || !k.ends_with(".toml") { path.join("Cargo.toml") } else { path };
        if !manifest.is_file() {
            return Err(WorkspaceError::ManifestMissing(manifest));
        }
        return Ok((manifest, None));
    }
    let manifest = match explicit {
        Some(m) => m,
        None => match find_manifest_upwards(&cwd) {
            Some(m) => m,
            None => match krate.map(|k| Path::new(k).join("Cargo.toml")).filter(|m| m.is_file()) {
                Some(m) => return Ok((m, None)),
                None => return Err(WorkspaceError::ManifestMissing(cwd.join("Cargo.toml"))),
            },
        },
    };
    if !manifest.is_file() {
        return Err(WorkspaceError::ManifestMissing(manifest));
    }
    Ok((manifest, krate.map(str::to_owned)))
}

/// Where the selected package's library root file is, read from its manifest alone (`[lib]
/// path`, else `src/lib.rs`), with the package's directory: known before cargo answers, so the
/// walk can start while `cargo metadata` runs (tens of milliseconds). A guess: `None` when the
/// selection names a workspace or a package other than the manifest's, and [`locate`] may still
/// say otherwise (the caller compares).
pub fn guess_library_root(selection: &Selection) -> Option<(PathBuf, PathBuf)> {
    let (manifest, name) = manifest_and_name(selection).ok()?;
    let manifest = std::path::absolute(manifest).ok()?;
    let doc: toml_edit::DocumentMut = std::fs::read_to_string(&manifest).ok()?.parse().ok()?;
    let package_name = doc.get("package")?.get("name")?.as_str()?;
    let lib = doc.get("lib");
    let lib_name = lib.and_then(|l| l.get("name")).and_then(|n| n.as_str());
    if let Some(name) = name
        && name != package_name
        && Some(name.as_str()) != lib_name
    {
        return None;
    }
    let dir = manifest.parent()?.to_path_buf();
    let root = match lib.and_then(|l| l.get("path")).and_then(|p| p.as_str()) {
        Some(path) => dir.join(path),
        None => dir.join("src").join("lib.rs"),
    };
    root.is_file().then_some((root, dir))
}

fn find_manifest_upwards(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|d| d.join("Cargo.toml")).find(|m| m.is_file())
}

fn run_metadata(manifest: &Path, offline: bool) -> Result<Metadata, WorkspaceError> {
    let mut cmd = MetadataCommand::new();
    cmd.manifest_path(manifest).no_deps();
    if offline {
        cmd.other_options(vec!["--offline".to_owned()]);
    }
    cmd.exec().map_err(|e| {
        let message = match &e {
            cargo_metadata::Error::CargoMetadata { stderr } => condense_cargo_error(stderr),
            cargo_metadata::Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                "cargo was not found (install Rust with rustup, or set $CARGO to the cargo to use)".to_owned()
            }
            other => other.to_string(),
        };
        let manifest = manifest.to_path_buf();
        let stderr = match &e {
            cargo_metadata::Error::CargoMetadata { stderr } => stderr.as_str(),
            _ => "",
        };
        if stderr.contains("failed to parse manifest")
            || stderr.contains("failed to load manifest")
            || stderr.contains("could not find `Cargo.toml`")
            || manifest_pointer(stderr).is_some()
        {
            WorkspaceError::ManifestInvalid { manifest, message }
        } else {
            WorkspaceError::Metadata { manifest, message }
        }
    })
}

/// Cargo's multi-line error as one line: the first `error:` line and the innermost cause.
pub fn condense_cargo_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let first = lines
        .iter()
        .find(|l| l.starts_with("error:"))
        .or(lines.first())
        .map(|l| l.trim_start_matches("error:").trim())
        .unwrap_or("no output");
    let last_cause = lines
        .iter()
        .rposition(|l| *l == "Caused by:")
        .and_then(|i| lines.get(i + 1))
        .filter(|c| **c != first);
    match (last_cause, manifest_pointer(stderr)) {
        (Some(cause), _) => format!("{first}: {cause}"),
        (None, Some(at)) => format!("{first} (at {at})"),
        (None, None) => first.to_owned(),
    }
}

/// The `--> Cargo.toml:1:9` line cargo prints under a TOML syntax error.
fn manifest_pointer(stderr: &str) -> Option<&str> {
    stderr.lines().filter_map(|l| l.trim().strip_prefix("--> ")).find(|at| at.contains("Cargo.toml"))
}

fn pick_by_name<'m>(
    metadata: &'m Metadata,
    members: &[&'m cargo_metadata::Package],
    name: &str,
) -> Result<&'m cargo_metadata::Package, WorkspaceError> {
    let by_package: Vec<_> = members.iter().filter(|p| p.name.as_str() == name).copied().collect();
    let by_lib: Vec<_> = members
        .iter()
        .filter(|p| p.name.as_str() != name)
        .filter(|p| p.targets.iter().any(|t| is_library(t) && t.name == name.replace('-', "_")))
        .copied()
        .collect();
    match (by_package.as_slice(), by_lib.as_slice()) {
        ([one], []) | ([], [one]) => Ok(one),
        ([], []) => {
            let mut scored: Vec<(f64, String)> = members
                .iter()
                .map(|p| (strsim::jaro_winkler(name, &p.name), p.name.to_string()))
                .filter(|(score, _)| *score > 0.7)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            Err(WorkspaceError::UnknownCrate {
                name: name.to_owned(),
                root: metadata.workspace_root.as_std_path().to_path_buf(),
                suggestions: scored.into_iter().take(3).map(|(_, n)| n).collect(),
            })
        }
        (a, b) => {
            let mut packages: Vec<String> = a.iter().chain(b).map(|p| p.name.to_string()).collect();
            packages.sort();
            Err(WorkspaceError::Ambiguous { name: name.to_owned(), packages })
        }
    }
}

/// No name given: the package of the manifest itself, or the only member of the workspace.
fn pick_default<'m>(
    metadata: &'m Metadata,
    members: &[&'m cargo_metadata::Package],
    manifest: &Path,
) -> Result<&'m cargo_metadata::Package, WorkspaceError> {
    let canonical = std::fs::canonicalize(manifest).ok();
    if let Some(p) =
        members.iter().find(|p| std::fs::canonicalize(p.manifest_path.as_std_path()).ok() == canonical)
    {
        return Ok(p);
    }
    match members {
        [one] => Ok(one),
        _ => {
            let mut names: Vec<String> = members.iter().map(|p| p.name.to_string()).collect();
            names.sort();
            Err(WorkspaceError::NeedCrateName {
                root: metadata.workspace_root.as_std_path().to_path_buf(),
                members: names,
            })
        }
    }
}

fn is_library(t: &cargo_metadata::Target) -> bool {
    t.kind
        .iter()
        .any(|k| matches!(k, TargetKind::Lib | TargetKind::RLib | TargetKind::DyLib | TargetKind::ProcMacro))
}

fn library_target(package: &cargo_metadata::Package) -> Result<Target, WorkspaceError> {
    let name = package.name.to_string();
    if package.targets.iter().any(|t| t.is_kind(TargetKind::ProcMacro)) {
        return Err(WorkspaceError::ProcMacro { name });
    }
    match package.targets.iter().find(|t| is_library(t)) {
        Some(t) => Ok(target(t)),
        None => {
            let mut kinds: Vec<String> =
                package.targets.iter().flat_map(|t| t.kind.iter().map(|k| k.to_string())).collect();
            kinds.sort();
            kinds.dedup();
            Err(WorkspaceError::NotALibrary { name, kinds: kinds.join(", ") })
        }
    }
}

fn target(t: &cargo_metadata::Target) -> Target {
    Target {
        name: t.name.clone(),
        src_path: t.src_path.as_std_path().to_path_buf(),
        edition: t.edition.as_str().to_owned(),
    }
}

/// Workspace members that depend on `package`, read from the members' declared dependencies
/// (the `--no-deps` metadata): directly (any kind), or through normal and build dependencies of
/// other members (a dev-dependency does not pass a rebuild on to its dependents). A member is
/// depended on by path (cargo writes inherited `workspace = true` dependencies out as paths),
/// so without `[patch]` or `[replace]` this is what cargo's resolved graph says
/// ([`resolved_dependents`]), without resolving the workspace's dependencies: cargo's full
/// metadata took 0.1 s of CPU on the Ori workspace, a third of a whole report on 2 cores.
fn declared_dependents(
    members: &[&cargo_metadata::Package],
    package: &cargo_metadata::Package,
) -> Vec<Dependent> {
    let dir_of =
        |p: &cargo_metadata::Package| p.manifest_path.parent().map(|d| d.as_std_path().to_path_buf());
    let member_at: std::collections::HashMap<PathBuf, usize> =
        members.iter().enumerate().filter_map(|(i, p)| Some((dir_of(p)?, i))).collect();
    let Some(target) = members.iter().position(|p| p.id == package.id) else { return Vec::new() };
    // users[t]: (member, kind) for each declared dependency of a member on member t.
    let mut users: Vec<Vec<(usize, DepKind)>> = vec![Vec::new(); members.len()];
    for (i, member) in members.iter().enumerate() {
        for dep in &member.dependencies {
            let Some(&t) = dep.path.as_ref().and_then(|p| member_at.get(p.as_std_path())) else { continue };
            let kind = match dep.kind {
                cargo_metadata::DependencyKind::Development => DepKind::Dev,
                cargo_metadata::DependencyKind::Build => DepKind::Build,
                _ => DepKind::Normal,
            };
            users[t].push((i, kind));
        }
    }
    let mut found: std::collections::BTreeMap<String, Vec<DepKind>> = Default::default();
    for &(user, kind) in &users[target] {
        if user != target {
            let kinds = found.entry(members[user].name.to_string()).or_default();
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
    }
    // Upwards through normal and build dependencies only.
    let mut seen = vec![false; members.len()];
    seen[target] = true;
    let mut stack = vec![target];
    while let Some(t) = stack.pop() {
        for &(user, kind) in &users[t] {
            if kind != DepKind::Dev && !seen[user] {
                seen[user] = true;
                found.entry(members[user].name.to_string()).or_default();
                stack.push(user);
            }
        }
    }
    finish_dependents(found)
}

/// Whether cargo could resolve a registry or git dependency to a workspace member: the
/// workspace's manifest, or a cargo configuration file that applies to it, has a `[patch]`,
/// `[replace]` or `paths` override. Then only cargo's resolved graph knows the dependents.
fn may_redirect_dependencies(workspace_root: &Path) -> bool {
    let has_key = |file: &Path, keys: &[&str]| {
        std::fs::read_to_string(file)
            .ok()
            .and_then(|text| text.parse::<toml_edit::DocumentMut>().ok())
            .is_some_and(|doc| keys.iter().any(|k| doc.contains_key(k)))
    };
    if has_key(&workspace_root.join("Cargo.toml"), &["patch", "replace"]) {
        return true;
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let config_dirs = workspace_root.ancestors().map(|d| d.join(".cargo")).chain(cargo_home);
    config_dirs
        .flat_map(|dir| [dir.join("config.toml"), dir.join("config")])
        .any(|file| has_key(&file, &["patch", "paths"]))
}

/// The workspace dependents as cargo's resolved package graph (guppy, over cargo's full
/// metadata) gives them; the report's answer when the workspace may redirect dependencies
/// (see `may_redirect_dependencies`), else the check of [`locate`]'s declared ones.
pub fn resolved_dependents(workspace_manifest: &Path, name: &str, offline: bool) -> Dependents {
    match workspace_dependents(workspace_manifest, name, offline) {
        Ok(list) => Dependents::Known(list),
        Err(reason) => Dependents::Unknown(reason),
    }
}

/// Workspace members that depend on `name` in cargo's resolved graph: directly (any kind), or
/// through normal and build dependencies of other members.
fn workspace_dependents(
    workspace_manifest: &Path,
    name: &str,
    offline: bool,
) -> Result<Vec<Dependent>, String> {
    let mut cmd = guppy::MetadataCommand::new();
    cmd.manifest_path(workspace_manifest);
    if offline {
        cmd.other_options(["--offline"]);
    }
    let graph = cmd.build_graph().map_err(|e| match &e {
        guppy::Error::CommandError(inner) => match inner.downcast_ref::<cargo_metadata::Error>() {
            Some(cargo_metadata::Error::CargoMetadata { stderr }) => condense_cargo_error(stderr),
            _ => inner.to_string(),
        },
        other => other.to_string(),
    })?;
    let package = graph.workspace().member_by_name(name).map_err(|e| e.to_string())?;
    let mut found: std::collections::BTreeMap<String, Vec<DepKind>> = Default::default();
    for link in package.reverse_direct_links() {
        let from = link.from();
        if !from.in_workspace() || from.id() == package.id() {
            continue;
        }
        let kinds = found.entry(from.name().to_owned()).or_default();
        for (present, kind) in [
            (link.normal().is_present(), DepKind::Normal),
            (link.build().is_present(), DepKind::Build),
            (link.dev().is_present(), DepKind::Dev),
        ] {
            if present && !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
    }
    let transitive = graph
        .query_reverse([package.id()])
        .map_err(|e| e.to_string())?
        .resolve_with_fn(|_, link| !link.dev_only());
    for p in transitive.packages(DependencyDirection::Forward) {
        if p.in_workspace() && p.id() != package.id() {
            found.entry(p.name().to_owned()).or_default();
        }
    }
    Ok(finish_dependents(found))
}

/// The dependents by name, each with its direct kinds sorted.
fn finish_dependents(found: std::collections::BTreeMap<String, Vec<DepKind>>) -> Vec<Dependent> {
    found
        .into_iter()
        .map(|(name, mut direct)| {
            direct.sort();
            Dependent { name, direct }
        })
        .collect()
}
