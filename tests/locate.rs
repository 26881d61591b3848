//! Where the library's root is guessed from the manifest alone (the walk starts on it while
//! `cargo metadata` runs): the guess is what cargo then says, for a package named by its
//! manifest and for a workspace member by name (its manifest has a `[lib]` table), and there is
//! none for a workspace root or a name the manifest does not have. And the workspace
//! dependents read from the members' declared dependencies are those of cargo's resolved graph.

use splitcheck::workspace::{Dependents, Selection, guess_library_root, locate, resolved_dependents};
use std::path::{Path, PathBuf};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn guess_and_cargo(selection: &Selection) -> (Option<(PathBuf, PathBuf)>, (PathBuf, PathBuf)) {
    let (package, _) = locate(selection).unwrap();
    (guess_library_root(selection), (package.lib.src_path, package.root_dir))
}

#[test]
fn the_guess_is_what_cargo_says() {
    let by_manifest =
        Selection { krate: None, manifest_path: Some(fixture("examples/midend/Cargo.toml")), offline: true };
    let (guess, cargo) = guess_and_cargo(&by_manifest);
    assert_eq!(guess, Some(cargo));

    let by_name = Selection {
        krate: Some("shared-impl".to_owned()),
        manifest_path: Some(fixture("tests/fixtures/workspace/shared-impl/Cargo.toml")),
        offline: true,
    };
    let (guess, cargo) = guess_and_cargo(&by_name);
    assert_eq!(guess, Some(cargo));
}

#[test]
fn no_guess_for_a_workspace_root_or_another_package() {
    let root = Selection {
        krate: Some("shared".to_owned()),
        manifest_path: Some(fixture("tests/fixtures/workspace/Cargo.toml")),
        offline: true,
    };
    assert_eq!(guess_library_root(&root), None);
    let other = Selection {
        krate: Some("not-this-one".to_owned()),
        manifest_path: Some(fixture("examples/midend/Cargo.toml")),
        offline: true,
    };
    assert_eq!(guess_library_root(&other), None);
}

/// A workspace of every way to depend on a member: `(directory, manifest text after [package])`.
const KINDS: &[(&str, &str)] = &[
    ("core", ""),
    ("app", "[dependencies]\nk-core = { path = \"../core\" }\n"),
    ("cli", "[dependencies]\nk-app = { path = \"../app\" }\n"),
    ("tools", "[dev-dependencies]\nk-core = { path = \"../core\" }\n"),
    ("above-tools", "[dependencies]\nk-tools = { path = \"../tools\" }\n"),
    ("gen", "[build-dependencies]\nk-core = { path = \"../core\" }\n"),
    ("above-gen", "[dependencies]\nk-gen = { path = \"../gen\" }\n"),
    ("opt", "[dependencies]\nc = { package = \"k-core\", path = \"../core\", optional = true }\n"),
    ("plat", "[target.'cfg(windows)'.dependencies]\nk-core.workspace = true\n"),
    (
        "both",
        "[dependencies]\nk-core = { path = \"../core\" }\n[dev-dependencies]\nk-core = { path = \"../core\" }\n",
    ),
    ("lonely", ""),
];

fn kinds_workspace(extra_root: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let members: Vec<String> = KINDS.iter().map(|(dir, _)| format!("\"{dir}\"")).collect();
    let root = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n[workspace.dependencies]\nk-core = {{ path = \"core\" }}\n{extra_root}",
        members.join(", ")
    );
    std::fs::write(tmp.path().join("Cargo.toml"), root).unwrap();
    for (dir, deps) in KINDS {
        let src = tmp.path().join(dir).join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("lib.rs"), "").unwrap();
        let manifest =
            format!("[package]\nname = \"k-{dir}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{deps}");
        std::fs::write(tmp.path().join(dir).join("Cargo.toml"), manifest).unwrap();
    }
    tmp
}

/// `k-core` of the workspace in `dir`.
fn core_of(dir: &Path) -> Selection {
    Selection { krate: Some("k-core".to_owned()), manifest_path: Some(dir.join("Cargo.toml")), offline: true }
}

fn listed(dependents: &Dependents) -> Vec<(String, Vec<&'static str>)> {
    match dependents {
        Dependents::Known(list) => {
            list.iter().map(|d| (d.name.clone(), d.direct.iter().map(|k| k.as_str()).collect())).collect()
        }
        other => panic!("dependents not known: {other:?}"),
    }
}

#[test]
fn declared_dependents_are_those_of_cargos_resolved_graph() {
    let tmp = kinds_workspace("");
    let (package, query) = locate(&core_of(tmp.path())).unwrap();
    assert!(query.is_none(), "declared dependents need no query");
    let declared = listed(package.dependents.get());
    let owned = |n: &str, k: &[&'static str]| (n.to_owned(), k.to_vec());
    assert_eq!(
        declared,
        [
            owned("k-above-gen", &[]),
            owned("k-app", &["normal"]),
            owned("k-both", &["normal", "dev"]),
            owned("k-cli", &[]),
            owned("k-gen", &["build"]),
            owned("k-opt", &["normal"]),
            owned("k-plat", &["normal"]),
            owned("k-tools", &["dev"]),
        ]
    );
    let resolved = resolved_dependents(&tmp.path().join("Cargo.toml"), "k-core", true);
    assert_eq!(declared, listed(&resolved));
}

/// A `[patch]` could point a registry dependency at a member: only cargo's resolution knows.
#[test]
fn a_patched_workspace_asks_cargo_for_its_dependents() {
    let tmp = kinds_workspace("[patch.crates-io]\nk-core = { path = \"core\" }\n");
    let (_, query) = locate(&core_of(tmp.path())).unwrap();
    let query = query.expect("a patched workspace hands back the query");
    let unpatched = kinds_workspace("");
    let (package, _) = locate(&core_of(unpatched.path())).unwrap();
    assert_eq!(listed(&query.run()), listed(package.dependents.get()));
}
