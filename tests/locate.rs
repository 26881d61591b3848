//! Where the library's root is guessed from the manifest alone (the walk starts on it while
//! `cargo metadata` runs): the guess is what cargo then says, for a package named by its
//! manifest and for a workspace member by name (its manifest has a `[lib]` table), and there is
//! none for a workspace root or a name the manifest does not have.

use splitcheck::workspace::{Selection, guess_library_root, locate};
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
