//! The one JSON writer of every file and output of splitcheck.

/// Pretty JSON with a final newline.
pub fn pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    write_pretty_json(value, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Pretty JSON with a final newline, written as it is made (a crate's graph can be tens of
/// megabytes: no copy of it in memory); [`pretty_json`] is this into a string.
pub fn write_pretty_json<T: serde::Serialize + ?Sized>(
    value: &T,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    std::io::Write::write_all(&mut out, b"\n")?;
    std::io::Write::flush(&mut out)
}
