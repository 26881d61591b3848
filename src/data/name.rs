//! A shared, immutable string: an item path made once and named by every reference to it; and
//! a reference's site, a shared file name and a line.
//!
//! The graph names the same item in every edge and reference site that touches it; each of
//! those holds a pointer to one allocation instead of its own copy. It reads, compares, orders,
//! hashes and serializes exactly as the text it holds (a JSON string), so the bytes written do
//! not change.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Name(Arc<str>);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name(Arc::from(text))
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name(Arc::from(text))
    }
}

impl From<&Name> for String {
    fn from(name: &Name) -> String {
        name.as_str().to_owned()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        String::deserialize(deserializer).map(Name::from)
    }
}

/// Where a reference is written: a file (one shared `Name` per file) and a line. It is text only
/// when printed or serialized, as `file:line` (a JSON string).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Site {
    pub file: Name,
    /// `None` for a site read from JSON whose text does not end in `:line`.
    pub line: Option<u32>,
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

impl From<&str> for Site {
    /// Reads `file:line`; any other text is kept whole as the file, so it prints back the same.
    fn from(text: &str) -> Site {
        let line = text.rsplit_once(':').and_then(|(file, line)| {
            line.parse::<u32>().ok().filter(|n| n.to_string() == line).map(|n| (file, n))
        });
        match line {
            Some((file, line)) => Site { file: Name::from(file), line: Some(line) },
            None => Site { file: Name::from(text), line: None },
        }
    }
}

impl Serialize for Site {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Site {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Site, D::Error> {
        String::deserialize(deserializer).map(|text| Site::from(text.as_str()))
    }
}

/// A type that serializes as a JSON string has a string's schema.
macro_rules! string_schema {
    ($($ty:ty),*) => {$(
        impl schemars::JsonSchema for $ty {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                String::schema_name()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                String::json_schema(generator)
            }
        }
    )*};
}

string_schema!(Name, Site);

#[cfg(test)]
mod tests {
    use super::{Name, Site};

    #[test]
    fn a_site_prints_and_reads_back_as_the_same_text() {
        for text in ["src/a.rs:12", "src/a.rs", "C:/x.rs:3", "src/a.rs:07", "src/a.rs:", "a:b"] {
            let site = Site::from(text);
            assert_eq!(site.to_string(), text);
            assert_eq!(serde_json::to_string(&site).unwrap(), format!("\"{text}\""));
            let back: Site = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(back, site);
        }
        assert_eq!(Site::from("src/a.rs:12"), Site { file: Name::from("src/a.rs"), line: Some(12) });
    }

    #[test]
    fn reads_orders_and_serializes_as_its_text() {
        let (a, b) = (Name::from("crate::a::Z"), Name::from("crate::b".to_owned()));
        assert!(a < b, "ordered by text");
        assert_eq!(a, "crate::a::Z");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"crate::a::Z\"");
        let back: Name = serde_json::from_str("\"crate::a::Z\"").unwrap();
        assert_eq!(back, a);
        assert_eq!(format!("{a} {a:?}"), "crate::a::Z \"crate::a::Z\"");
    }
}
