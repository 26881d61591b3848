//! The one JSON writer of every file and output of splitcheck.

/// Pretty JSON with a final newline.
pub fn pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> std::io::Result<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::from)?;
    text.push('\n');
    Ok(text)
}
