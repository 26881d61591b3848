//! Which lines of a Rust source file hold code, found by a small lexer over the bytes.
//!
//! A line is a *code line* when it has at least one character outside comments and whitespace
//! (string contents count as code). Doc comments (`///`, `//!`, `/** */`) are comments here, as a
//! reader would count them. The lexer never fails: on odd input it still returns an answer for
//! every line, which is what a line counter must do for files that do not parse.

/// Per-line facts of one file, index 0 = line 1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap {
    is_code: Vec<bool>,
}

impl LineMap {
    /// Number of physical lines (a final line without a newline counts; an empty file has none).
    pub fn len(&self) -> u32 {
        self.is_code.len() as u32
    }

    pub fn is_empty(&self) -> bool {
        self.is_code.is_empty()
    }

    /// Whether 1-based `line` holds code; lines past the end hold none.
    pub fn is_code(&self, line: u32) -> bool {
        line >= 1 && self.is_code.get(line as usize - 1).copied().unwrap_or(false)
    }

    pub fn scan(text: &str) -> LineMap {
        scan(text.as_bytes())
    }
}

#[derive(Clone, Copy)]
enum State {
    Normal,
    LineComment,
    BlockComment(u32),
    Str,
    RawStr(usize),
}

fn scan(bytes: &[u8]) -> LineMap {
    let mut is_code = Vec::with_capacity(bytes.len() / 30 + 1);
    let mut line_has_code = false;
    let mut state = State::Normal;
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        let b = bytes[i];
        if b == b'\n' {
            is_code.push(line_has_code);
            line_has_code = false;
            if let State::LineComment = state {
                state = State::Normal;
            }
            i += 1;
            continue;
        }
        match state {
            State::LineComment => i += 1,
            State::BlockComment(depth) => {
                if b == b'*' && bytes.get(i + 1) == Some(&b'/') {
                    state = if depth == 1 { State::Normal } else { State::BlockComment(depth - 1) };
                    i += 2;
                } else if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
                    state = State::BlockComment(depth + 1);
                    i += 2;
                } else {
                    i += 1;
                }
            }
            State::Str => {
                if !b.is_ascii_whitespace() {
                    line_has_code = true;
                }
                if b == b'\\' && i + 1 < n && bytes[i + 1] != b'\n' {
                    i += 2;
                } else {
                    if b == b'"' {
                        state = State::Normal;
                    }
                    i += 1;
                }
            }
            State::RawStr(hashes) => {
                if !b.is_ascii_whitespace() {
                    line_has_code = true;
                }
                if b == b'"' && bytes[i + 1..].iter().take(hashes).filter(|&&c| c == b'#').count() == hashes {
                    state = State::Normal;
                    i += 1 + hashes;
                } else {
                    i += 1;
                }
            }
            State::Normal => {
                if b.is_ascii_whitespace() {
                    i += 1;
                    continue;
                }
                if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
                    state = State::LineComment;
                    i += 2;
                    continue;
                }
                if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
                    state = State::BlockComment(1);
                    i += 2;
                    continue;
                }
                line_has_code = true;
                let prev_is_ident = i > 0 && is_ident_byte(bytes[i - 1]);
                if b == b'"' {
                    state = State::Str;
                    i += 1;
                } else if !prev_is_ident && let Some((hashes, len)) = raw_string_start(&bytes[i..]) {
                    state = State::RawStr(hashes);
                    i += len;
                } else if b == b'\'' {
                    i += char_literal_len(&bytes[i..]);
                } else {
                    i += 1;
                }
            }
        }
    }
    if i > 0 && bytes[n - 1] != b'\n' {
        is_code.push(line_has_code);
    }
    LineMap { is_code }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// `r"`, `r#"`, `br##"`, `cr"`: returns the number of `#` and the length of the opener.
fn raw_string_start(s: &[u8]) -> Option<(usize, usize)> {
    let prefix = match s {
        [b'r', ..] => 1,
        [b'b' | b'c', b'r', ..] => 2,
        _ => return None,
    };
    let hashes = s[prefix..].iter().take_while(|&&c| c == b'#').count();
    (s.get(prefix + hashes) == Some(&b'"')).then_some((hashes, prefix + hashes + 1))
}

/// Length to skip at a `'`: a whole char literal (`'a'`, `'\n'`, `'\u{1F600}'`, `'é'`) or just the
/// quote of a lifetime or label (`'a`), which the caller then reads as ordinary code.
fn char_literal_len(s: &[u8]) -> usize {
    match s.get(1) {
        Some(b'\\') => {
            // Escape: run to the closing quote on this line.
            let end = s[2..].iter().position(|&c| c == b'\'' || c == b'\n').map(|p| p + 2);
            match end {
                Some(p) if s[p] == b'\'' => p + 1,
                _ => 1,
            }
        }
        Some(&c) if c != b'\n' => {
            let width = utf8_width(c);
            if s.get(1 + width) == Some(&b'\'') { 2 + width } else { 1 }
        }
        _ => 1,
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::LineMap;

    fn code_lines(text: &str) -> Vec<u32> {
        let map = LineMap::scan(text);
        (1..=map.len()).filter(|&l| map.is_code(l)).collect()
    }

    #[test]
    fn blank_and_comment_lines_are_not_code() {
        let text = "fn a() {}\n\n// note\n/// doc\n//! inner doc\n    let x = 1; // trailing\n";
        assert_eq!(code_lines(text), vec![1, 6]);
        assert_eq!(LineMap::scan(text).len(), 6);
    }

    #[test]
    fn nested_block_comments_end_at_the_matching_close() {
        let text = "/* a /* b */\nstill comment */ code\n/*\n*/\nx";
        assert_eq!(code_lines(text), vec![2, 5]);
    }

    #[test]
    fn comment_markers_inside_strings_are_code() {
        let text = "let s = \"/* not a comment\n// still string\n\";\nlet r = r#\"\"// x\"#;\n// real";
        assert_eq!(code_lines(text), vec![1, 2, 3, 4]);
    }

    #[test]
    fn lifetimes_do_not_open_char_literals() {
        let text = "fn f<'a>(x: &'a str) -> char { '\"' }\n// c\nlet q = '\\'';\n";
        assert_eq!(code_lines(text), vec![1, 3]);
    }

    #[test]
    fn identifiers_ending_in_r_do_not_start_raw_strings() {
        let text = "let ptr\"x\";\nlet y = 2;\n";
        // `ptr"x"` is an error for rustc, but the counter must not swallow the next lines.
        assert_eq!(code_lines(text), vec![1, 2]);
    }

    #[test]
    fn empty_and_unterminated_input() {
        assert!(LineMap::scan("").is_empty());
        assert_eq!(code_lines("/* never closed\nfn x() {}"), Vec::<u32>::new());
        assert_eq!(LineMap::scan("a\nb").len(), 2);
    }
}
