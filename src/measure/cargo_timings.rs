//! Reading the report of `cargo build --timings` (`cargo-timing.html`): its `UNIT_DATA` holds
//! every compiled unit with its duration. Pure: text in, units out.

use serde::{Deserialize, Serialize};

/// One unit cargo compiled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimedUnit {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub target: String,
    /// Seconds from the start of the build to the unit's start.
    #[serde(default)]
    pub start: f64,
    /// Seconds from start to end of the unit.
    pub duration: f64,
    /// Seconds until its metadata was ready (pipelined builds), when cargo recorded it.
    #[serde(default)]
    pub rmeta_time: Option<f64>,
    /// Named phases (`frontend`, `codegen`) with start and end, relative to the unit's start
    /// (`null` in the report for build scripts).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub sections: Vec<(String, Phase)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    pub start: f64,
    pub end: f64,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, Phase)>, D::Error> {
    Ok(Option::<Vec<(String, Phase)>>::deserialize(d)?.unwrap_or_default())
}

/// Why a `cargo-timing.html` cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum TimingsHtmlError {
    #[error("no UNIT_DATA in it (is it a `cargo build --timings` report?)")]
    NoUnitData,
    #[error("UNIT_DATA is not as expected: {0}")]
    Unexpected(#[source] serde_json::Error),
    #[error("UNIT_DATA is empty")]
    Empty,
}

/// The units of a `cargo-timing.html`.
pub fn parse(html: &str) -> Result<Vec<TimedUnit>, TimingsHtmlError> {
    const MARKER: &str = "const UNIT_DATA = ";
    let start = html.find(MARKER).ok_or(TimingsHtmlError::NoUnitData)?;
    let rest = &html[start + MARKER.len()..];
    // The array is followed by `;` and more script: read exactly one JSON value.
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Vec<TimedUnit>>();
    match values.next() {
        Some(Ok(units)) => Ok(units),
        Some(Err(e)) => Err(TimingsHtmlError::Unexpected(e)),
        None => Err(TimingsHtmlError::Empty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_real_report() {
        let html = include_str!("../../tests/fixtures/cargo_timings/cargo-timing.html");
        let units = parse(html).unwrap();
        let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
        for expected in ["resolution", "serde", "serde_derive", "syn", "quote", "unicode-ident"] {
            assert!(names.contains(&expected), "{expected} missing from {names:?}");
        }
        let own = units.iter().find(|u| u.name == "resolution").unwrap();
        assert!(own.duration > 0.0);
        assert!(own.sections.iter().any(|(name, p)| name == "frontend" && p.end >= p.start));
    }

    #[test]
    fn says_what_is_wrong() {
        assert!(matches!(parse("<html></html>").unwrap_err(), TimingsHtmlError::NoUnitData));
        assert!(matches!(
            parse("const UNIT_DATA = [{\"name\": 3}];").unwrap_err(),
            TimingsHtmlError::Unexpected(_)
        ));
    }
}
