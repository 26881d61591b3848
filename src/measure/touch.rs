//! The edits `record` makes to a module file before timing a rebuild. Pure: text in, text out.

use crate::data::timings::TouchKind;

/// The edited text for the `n`-th touch of a file (`n` makes every touch differ from the last
/// build), and the kind actually applied: a file without a function body gets a comment.
pub fn touched(text: &str, kind: TouchKind, n: u32) -> (String, TouchKind) {
    match kind {
        TouchKind::Mtime => (text.to_owned(), TouchKind::Mtime),
        TouchKind::Comment | TouchKind::Full => (with_comment(text, n), kind),
        TouchKind::Body => match first_body_offset(text) {
            Some(at) => {
                let mut out = String::with_capacity(text.len() + 40);
                out.push_str(&text[..at]);
                out.push_str(&format!(" let _splitcheck_touch = {n}u32;"));
                out.push_str(&text[at..]);
                (out, TouchKind::Body)
            }
            None => (with_comment(text, n), TouchKind::Comment),
        },
    }
}

fn with_comment(text: &str, n: u32) -> String {
    let sep = if text.ends_with('\n') || text.is_empty() { "" } else { "\n" };
    format!("{text}{sep}// splitcheck touch {n}\n")
}

/// The byte offset just after the opening brace of the first function with a body (free or in
/// an impl) that is not const: a `let` statement is valid there.
fn first_body_offset(text: &str) -> Option<usize> {
    let file = syn::parse_file(text).ok()?;
    let mut found = None;
    for item in &file.items {
        let brace = match item {
            syn::Item::Fn(f) if f.sig.constness.is_none() => Some(f.block.brace_token.span.open()),
            syn::Item::Impl(i) => i.items.iter().find_map(|ii| match ii {
                syn::ImplItem::Fn(f) if f.sig.constness.is_none() => Some(f.block.brace_token.span.open()),
                _ => None,
            }),
            _ => None,
        };
        if let Some(span) = brace {
            let end = span.end();
            found = crate::text::byte_offset(text, (end.line as u32, end.column as u32 + 1));
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_touch_adds_a_statement_to_the_first_function() {
        let src = "const X: u32 = 1;\nimpl S {\n    fn a(&self) -> u32 { 1 }\n}\nfn b() {}\n";
        let (out, kind) = touched(src, TouchKind::Body, 3);
        assert_eq!(kind, TouchKind::Body);
        assert_eq!(
            out,
            "const X: u32 = 1;\nimpl S {\n    fn a(&self) -> u32 { let _splitcheck_touch = 3u32; 1 }\n}\nfn b() {}\n"
        );
        assert!(syn::parse_file(&out).is_ok());
    }

    #[test]
    fn files_without_bodies_get_a_comment() {
        let (out, kind) = touched("pub struct S;", TouchKind::Body, 1);
        assert_eq!((out.as_str(), kind), ("pub struct S;\n// splitcheck touch 1\n", TouchKind::Comment));
        assert_eq!(touched("x\n", TouchKind::Mtime, 1).0, "x\n");
    }
}
