//! The one JSON writer of every file and output of splitcheck.
//!
//! Owns: pretty JSON as `serde_json` writes it (two-space indent, a final newline), and
//! [`PrettyObject`], the same bytes for an object written field by field, a long array's
//! elements rendered in parallel (a crate's graph is tens of megabytes of JSON).

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// Pretty JSON with a final newline.
pub fn pretty_json<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    let mut bytes = Vec::new();
    write_pretty_json(value, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Pretty JSON with a final newline, written as it is made (a crate's graph can be tens of
/// megabytes: no copy of it in memory); [`pretty_json`] is this into a string.
pub fn write_pretty_json<T: Serialize + ?Sized>(value: &T, out: impl Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut out, value).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A top-level JSON object written one field at a time, byte for byte what
/// [`write_pretty_json`] writes for a struct with those fields in that order (a test holds the
/// two equal on the graph). [`PrettyObject::array_field`] renders an array's elements on
/// rayon's workers, a batch at a time, so memory holds one batch of text, not the document.
pub struct PrettyObject<W: Write> {
    out: io::BufWriter<W>,
    fields: usize,
}

/// Elements rendered per batch of [`PrettyObject::array_field`], and per worker task in it:
/// small tasks, as one element can be a module of a thousand items (libc's graph JSON: 85 ms
/// on one thread, 45 ms so, where 128 per task gave 65 ms and 8192 per batch 70).
const BATCH: usize = 1024;
const PER_TASK: usize = 16;

impl<W: Write> PrettyObject<W> {
    pub fn new(out: W) -> io::Result<PrettyObject<W>> {
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        out.write_all(b"{")?;
        Ok(PrettyObject { out, fields: 0 })
    }

    /// `"key": value`.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> io::Result<()> {
        self.key(key)?;
        value.serialize(&mut serde_json::Serializer::with_formatter(&mut self.out, Indented::at(1)))?;
        Ok(())
    }

    /// `"key": [...]`, the elements rendered in parallel.
    pub fn array_field<T: Serialize + Sync>(&mut self, key: &str, items: &[T]) -> io::Result<()> {
        self.key(key)?;
        if items.is_empty() {
            return self.out.write_all(b"[]");
        }
        self.out.write_all(b"[")?;
        for (batch_index, batch) in items.chunks(BATCH).enumerate() {
            let rendered: Vec<io::Result<Vec<u8>>> = batch
                .par_chunks(PER_TASK)
                .enumerate()
                .map(|(task, elements)| {
                    let mut text = Vec::new();
                    for (i, element) in elements.iter().enumerate() {
                        let first = batch_index == 0 && task == 0 && i == 0;
                        text.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                        element.serialize(&mut serde_json::Serializer::with_formatter(
                            &mut text,
                            Indented::at(2),
                        ))?;
                    }
                    Ok(text)
                })
                .collect();
            for text in rendered {
                self.out.write_all(&text?)?;
            }
        }
        self.out.write_all(b"\n  ]")
    }

    /// The closing brace and the final newline.
    pub fn finish(mut self) -> io::Result<()> {
        self.out.write_all(if self.fields == 0 { b"}\n" } else { b"\n}\n" })?;
        self.out.flush()
    }

    fn key(&mut self, key: &str) -> io::Result<()> {
        self.out.write_all(if self.fields == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut self.out, key)?;
        self.fields += 1;
        self.out.write_all(b": ")
    }
}

/// `serde_json`'s `PrettyFormatter` (two-space indent) starting `depth` levels in, for a value
/// written inside an object or array that is not its own.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn at(depth: usize) -> Indented {
        Indented { depth, has_value: false }
    }

    fn indent<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    fn next<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.next(writer, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.next(writer, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Doc {
        name: &'static str,
        empty: Vec<u32>,
        nested: Vec<Vec<(u32, &'static str)>>,
        objects: Vec<std::collections::BTreeMap<&'static str, Vec<u32>>>,
        last: Option<f64>,
    }

    fn doc(n: u32) -> Doc {
        Doc {
            name: "a \"quoted\"\nname",
            empty: Vec::new(),
            nested: (0..n).map(|i| (0..i % 4).map(|j| (j, "x")).collect()).collect(),
            objects: (0..n).map(|i| [("k", vec![i; (i % 3) as usize]), ("e", vec![])].into()).collect(),
            last: Some(0.5),
        }
    }

    fn by_fields(d: &Doc) -> Vec<u8> {
        let mut out = Vec::new();
        let mut o = PrettyObject::new(&mut out).unwrap();
        o.field("name", &d.name).unwrap();
        o.array_field("empty", &d.empty).unwrap();
        o.array_field("nested", &d.nested).unwrap();
        o.array_field("objects", &d.objects).unwrap();
        o.field("last", &d.last).unwrap();
        o.finish().unwrap();
        out
    }

    #[test]
    fn an_object_by_fields_is_serde_jsons_pretty_bytes() {
        // Past one batch, so batches and tasks join as one array.
        for n in [0, 1, 5, (BATCH + PER_TASK + 3) as u32] {
            let d = doc(n);
            let mut whole = Vec::new();
            write_pretty_json(&d, &mut whole).unwrap();
            assert_eq!(
                String::from_utf8(by_fields(&d)).unwrap(),
                String::from_utf8(whole).unwrap(),
                "n = {n}"
            );
        }
    }

    #[test]
    fn an_object_without_fields_is_empty_braces() {
        let mut out = Vec::new();
        PrettyObject::new(&mut out).unwrap().finish().unwrap();
        assert_eq!(out, b"{}\n");
    }
}
