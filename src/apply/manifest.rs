//! The `Cargo.toml` of each crate of a split, edited from the original with `toml_edit` so
//! comments, order and workspace inheritance (`x.workspace = true`) survive.
//!
//! A part keeps the original `[package]` (new name), only the dependencies its code names,
//! every feature (entries about dropped dependencies removed, so the facade can forward each
//! feature to each part), and `[lints]`; targets other than the library, build scripts and
//! workspace-only tables go. The facade gains a path dependency on every part.
//! Must not: read or write files.

use std::collections::BTreeSet;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, value};

const DEP_TABLES: [&str; 2] = ["dependencies", "dev-dependencies"];

/// Why a manifest could not be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// Not TOML: the parser's first line.
    #[error("{0}")]
    Toml(String),
    #[error("`workspace.members` is not a list")]
    MembersNotAList,
    /// A table the edit needs is missing.
    #[error("no [{0}] table")]
    MissingTable(&'static str),
}

fn parse(text: &str) -> Result<DocumentMut, ManifestError> {
    text.parse::<DocumentMut>()
        .map_err(|e| ManifestError::Toml(e.to_string().lines().next().unwrap_or("").to_owned()))
}

/// The name a dependency has in code: its key, `-` as `_`.
fn code_name(key: &str) -> String {
    key.replace('-', "_")
}

fn path_dep(path: &str) -> Item {
    let mut t = InlineTable::new();
    t.insert("path", path.into());
    Item::Value(t.into())
}

/// A part's manifest: `name`, depending on `parts` (name, relative path), keeping the
/// dependencies whose code name is in `used`.
/// `dev_facade`: (facade package, relative path) when the part's doc tests name the crate by
/// its old name (a dev-dependency cycle, which cargo allows).
pub fn part_manifest(
    original: &str,
    name: &str,
    description: &str,
    parts: &[(String, String)],
    used: &BTreeSet<String>,
    dev_facade: Option<(&str, &str)>,
) -> Result<String, ManifestError> {
    let mut doc = parse(original)?;
    let package = doc
        .get_mut("package")
        .and_then(Item::as_table_like_mut)
        .ok_or(ManifestError::MissingTable("package"))?;
    package.insert("name", value(name));
    package.insert("description", value(description));
    for key in ["build", "links", "default-run", "include", "exclude", "readme", "workspace", "publish"] {
        package.remove(key);
    }
    for key in ["autobins", "autoexamples", "autotests", "autobenches"] {
        package.insert(key, value(false));
    }
    package.insert("publish", value(false));
    if let Some(lib) = doc.get_mut("lib").and_then(Item::as_table_like_mut) {
        for key in
            ["name", "proc-macro", "proc_macro", "crate-type", "crate_type", "required-features", "harness"]
        {
            lib.remove(key);
        }
    }
    for key in [
        "bin",
        "example",
        "test",
        "bench",
        "build-dependencies",
        "workspace",
        "profile",
        "patch",
        "replace",
        "badges",
    ] {
        doc.remove(key);
    }
    let mut kept: BTreeSet<String> = BTreeSet::new();
    let mut filter = |table: &mut dyn toml_edit::TableLike| {
        let keys: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
        for key in keys {
            if used.contains(&code_name(&key)) {
                kept.insert(key);
            } else {
                table.remove(&key);
            }
        }
    };
    for t in DEP_TABLES {
        if let Some(table) = doc.get_mut(t).and_then(Item::as_table_like_mut) {
            filter(table);
        }
    }
    if let Some(targets) = doc.get_mut("target").and_then(Item::as_table_like_mut) {
        for (_, target) in targets.iter_mut() {
            for t in DEP_TABLES {
                if let Some(table) = target.get_mut(t).and_then(Item::as_table_like_mut) {
                    filter(table);
                }
            }
        }
    }
    if let Some(features) = doc.get_mut("features").and_then(Item::as_table_like_mut) {
        let names: BTreeSet<String> = features.iter().map(|(k, _)| k.to_owned()).collect();
        for (_, entries) in features.iter_mut() {
            if let Some(list) = entries.as_array_mut() {
                list.retain(|v| v.as_str().is_some_and(|e| feature_entry_kept(e, &names, &kept)));
            }
        }
    }
    let deps = doc.entry("dependencies").or_insert(Item::Table(Table::new()));
    if let Some(table) = deps.as_table_like_mut() {
        for (part, path) in parts {
            table.insert(part, path_dep(path));
        }
    }
    if let Some((facade, path)) = dev_facade {
        let dev = doc.entry("dev-dependencies").or_insert(Item::Table(Table::new()));
        if let Some(table) = dev.as_table_like_mut() {
            table.insert(facade, path_dep(path));
        }
    }
    Ok(doc.to_string())
}

/// `dep:x`, `x/f`, `x?/f` need dependency `x`; a plain name is a feature or an optional one.
fn feature_entry_kept(entry: &str, features: &BTreeSet<String>, deps: &BTreeSet<String>) -> bool {
    if let Some(dep) = entry.strip_prefix("dep:") {
        return deps.contains(dep);
    }
    if let Some((dep, _)) = entry.split_once('/') {
        return deps.contains(dep.trim_end_matches('?'));
    }
    features.contains(entry) || deps.contains(entry)
}

/// The facade's manifest: the original with a path dependency on each part, and each of its
/// features forwarded to every part (every part declares every feature).
pub fn facade_manifest(original: &str, parts: &[(String, String)]) -> Result<String, ManifestError> {
    let mut doc = parse(original)?;
    let deps = doc.entry("dependencies").or_insert(Item::Table(Table::new()));
    if let Some(table) = deps.as_table_like_mut() {
        for (part, path) in parts {
            table.insert(part, path_dep(path));
        }
    }
    if let Some(features) = doc.get_mut("features").and_then(Item::as_table_like_mut) {
        for (feature, entries) in features.iter_mut() {
            if let Some(list) = entries.as_array_mut() {
                for (part, _) in parts {
                    list.push(format!("{part}/{feature}"));
                }
            }
        }
    }
    Ok(doc.to_string())
}

/// Adds `members` to the `[workspace]` of `manifest` unless a member glob already covers them.
pub fn with_members(manifest: &str, members: &[String]) -> Result<String, ManifestError> {
    let mut doc = parse(manifest)?;
    let workspace = doc
        .get_mut("workspace")
        .and_then(Item::as_table_like_mut)
        .ok_or(ManifestError::MissingTable("workspace"))?;
    let list = workspace.entry("members").or_insert(Item::Value(Array::new().into()));
    let Some(list) = list.as_array_mut() else { return Err(ManifestError::MembersNotAList) };
    let globs: Vec<String> = list.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
    for m in members {
        if !globs.iter().any(|g| g == m || (g.contains('*') && crate::explore::glob_matches(g, m))) {
            list.push(m.as_str());
        }
    }
    Ok(doc.to_string())
}

/// A virtual workspace of `members`, with the `[profile]` and `[patch]` tables a package that
/// was its own workspace had (they only count at the root).
pub fn new_workspace(members: &[String], package_manifest: &str) -> Result<String, ManifestError> {
    let package = parse(package_manifest)?;
    let mut doc = DocumentMut::new();
    let mut ws = Table::new();
    ws.insert("resolver", value("2"));
    let mut list = Array::new();
    members.iter().for_each(|m| list.push(m.as_str()));
    ws.insert("members", value(list));
    doc.insert("workspace", Item::Table(ws));
    for key in ["profile", "patch", "replace"] {
        if let Some(item) = package.get(key) {
            doc.insert(key, item.clone());
        }
    }
    Ok(doc.to_string())
}

/// The package manifest without the tables only a workspace root may have.
pub fn without_root_tables(manifest: &str) -> Result<String, ManifestError> {
    let mut doc = parse(manifest)?;
    for key in ["workspace", "profile", "patch", "replace"] {
        doc.remove(key);
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = r#"[package]
name = "big"
version.workspace = true
edition = "2021"
build = "build.rs"

[lib]
name = "big"

[[bin]]
name = "tool"

[dependencies]
serde = { workspace = true, optional = true }
petgraph = "0.8"
my-log = { package = "log", version = "0.4" }

[dev-dependencies]
insta = "1"

[features]
default = ["serde"]
fmt = ["dep:serde", "petgraph/serde-1"]
fast = []

[lints]
workspace = true
"#;

    #[test]
    fn a_part_keeps_what_its_code_names() {
        let used: BTreeSet<String> = ["my_log", "insta"].iter().map(|s| s.to_string()).collect();
        let parts = vec![("big_core".to_owned(), "../big_core".to_owned())];
        let text = part_manifest(ORIGINAL, "big_passes", "Part of `big`.", &parts, &used, None).unwrap();
        let doc: DocumentMut = text.parse().unwrap();
        assert_eq!(doc["package"]["name"].as_str(), Some("big_passes"));
        assert!(doc["package"]["version"]["workspace"].as_bool().unwrap());
        assert!(doc["package"].get("build").is_none());
        assert!(doc.get("bin").is_none());
        assert!(doc["lib"].get("name").is_none());
        let deps: Vec<&str> = doc["dependencies"].as_table().unwrap().iter().map(|(k, _)| k).collect();
        assert_eq!(deps, ["my-log", "big_core"]);
        assert!(doc["dev-dependencies"].get("insta").is_some());
        let fmt = doc["features"]["fmt"].as_array().unwrap();
        assert_eq!(fmt.len(), 0, "entries about dropped dependencies go: {text}");
        assert_eq!(doc["features"]["default"].as_array().unwrap().len(), 0);
        assert!(doc["lints"]["workspace"].as_bool().unwrap());
    }

    #[test]
    fn the_facade_forwards_features_and_members_are_added_once() {
        let parts = vec![("big_core".to_owned(), "../big_core".to_owned())];
        let text = facade_manifest(ORIGINAL, &parts).unwrap();
        let doc: DocumentMut = text.parse().unwrap();
        assert_eq!(doc["dependencies"]["big_core"]["path"].as_str(), Some("../big_core"));
        let fast: Vec<&str> =
            doc["features"]["fast"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
        assert_eq!(fast, ["big_core/fast"]);
        let ws = "[workspace]\nmembers = [\"compiler/*\", \"tools/x\"]\n";
        let out = with_members(ws, &["compiler/big_core".to_owned(), "big_passes".to_owned()]).unwrap();
        assert_eq!(out, "[workspace]\nmembers = [\"compiler/*\", \"tools/x\", \"big_passes\"]\n");
    }
}
