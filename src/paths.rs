//! Showing paths relative to the analyzed package, so output holds no machine-specific prefix;
//! the module part of an item path; and suggesting the module paths closest to a mistyped one.

use std::path::{Component, Path, PathBuf};

/// The longest `::`-prefix of an item path that `is_module` accepts (`""` when none): the module
/// the item is written in. Prefixes stop at an impl name (`<impl …>`) or a `{use …}` item.
pub fn longest_module_prefix(item: &str, is_module: impl Fn(&str) -> bool) -> &str {
    let mut best = &item[..0];
    for (i, _) in item.match_indices("::") {
        let prefix = &item[..i];
        if prefix.contains('<') || prefix.contains('{') {
            break;
        }
        if is_module(prefix) {
            best = prefix;
        }
    }
    best
}

/// `path` relative to `base`, with `/` separators; `..` steps when it lies outside `base`.
/// Falls back to the path as given when the two share no prefix (different drives).
pub fn relative(base: &Path, path: &Path) -> String {
    let base_parts: Vec<Component> = base.components().collect();
    let path_parts: Vec<Component> = path.components().collect();
    let common = base_parts.iter().zip(&path_parts).take_while(|(a, b)| a == b).count();
    if common == 0 && path.is_absolute() {
        return slashes(path);
    }
    let mut out = PathBuf::new();
    for _ in common..base_parts.len() {
        out.push("..");
    }
    for part in &path_parts[common..] {
        out.push(part.as_os_str());
    }
    slashes(&out)
}

fn slashes(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != "/")
        .collect::<Vec<_>>()
        .join("/")
}

/// `; did you mean `a`, `b`?` with up to three of `modules` close to `wanted`, or nothing.
/// Paths are compared without the `crate::` they all share, or everything looks alike.
pub fn closest_modules<'a>(wanted: &str, modules: impl IntoIterator<Item = &'a str>) -> String {
    let tail = |p: &str| p.strip_prefix("crate::").unwrap_or(p).to_owned();
    let mut scored: Vec<(f64, &str)> =
        modules.into_iter().map(|m| (strsim::jaro_winkler(&tail(wanted), &tail(m)), m)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let close: Vec<String> =
        scored.iter().take(3).filter(|s| s.0 > 0.8).map(|s| format!("`{}`", s.1)).collect();
    if close.is_empty() { String::new() } else { format!("; did you mean {}?", close.join(", ")) }
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn inside_and_outside_the_base() {
        let base = Path::new("/w/pkg");
        assert_eq!(relative(base, Path::new("/w/pkg/src/lib.rs")), "src/lib.rs");
        assert_eq!(relative(base, Path::new("/w/shared/x.rs")), "../shared/x.rs");
        assert_eq!(relative(base, Path::new("/w/pkg")), "");
    }
}
