//! Editing source text by byte ranges: the one home of the text edits of the deletion test,
//! `apply`'s rewrite and `record`'s touches. Pure: text in, text out.

use quote::ToTokens;

/// One replacement of the byte range `start..end` of a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextEdit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// Applies edits (sorted, non-overlapping after dropping any nested in an earlier one).
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in edits {
        if e.start < pos {
            continue;
        }
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.replacement);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The byte offset of a 1-based line and 1-based character column.
pub fn byte_offset(text: &str, (line, column): (u32, u32)) -> Option<usize> {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let chars = column.saturating_sub(1) as usize;
            let within = l.char_indices().nth(chars).map_or(l.len(), |(b, _)| b);
            return Some(offset + within);
        }
        offset += l.len();
    }
    (line as usize == text.split_inclusive('\n').count() + 1).then_some(text.len())
}

/// The `use` item `source` without the leaves flagged in `drop` (in the order `items` flattens
/// use trees), printed by `quote`.
pub fn without_leaves(source: &str, drop: &[bool]) -> Option<String> {
    let mut item: syn::ItemUse = syn::parse_str(source).ok()?;
    let mut idx = 0;
    let tree = filter_tree(&item.tree, &mut idx, drop, false)?;
    item.tree = tree;
    Some(item.to_token_stream().to_string())
}

fn filter_tree(
    tree: &syn::UseTree,
    idx: &mut usize,
    drop: &[bool],
    has_prefix: bool,
) -> Option<syn::UseTree> {
    use syn::UseTree;
    match tree {
        UseTree::Path(p) => {
            let inner = filter_tree(&p.tree, idx, drop, true)?;
            let mut p = p.clone();
            p.tree = Box::new(inner);
            Some(UseTree::Path(p))
        }
        UseTree::Name(n) if n.ident == "self" && !has_prefix => Some(tree.clone()),
        UseTree::Name(_) | UseTree::Rename(_) | UseTree::Glob(_) => {
            let keep = !drop.get(*idx).copied().unwrap_or(false);
            *idx += 1;
            keep.then(|| tree.clone())
        }
        UseTree::Group(g) => {
            let mut g = g.clone();
            let items: Vec<UseTree> =
                g.items.iter().filter_map(|t| filter_tree(t, idx, drop, has_prefix)).collect();
            if items.is_empty() {
                return None;
            }
            g.items = items.into_iter().collect();
            Some(UseTree::Group(g))
        }
    }
}
