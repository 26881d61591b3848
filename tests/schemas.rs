//! Every JSON splitcheck writes has a JSON Schema in `schemas/`, named by its `schema_version`
//! and generated from the types (schemars): this test keeps the committed schemas equal to the
//! generated ones (`SPLITCHECK_BLESS=1` rewrites them) and validates every JSON committed under
//! `reports/` against its schema.

use schemars::schema_for;
use splitcheck::data;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (file name, schema) for each output.
fn schemas() -> Vec<(String, serde_json::Value)> {
    let v = |name: &str, version: u32| format!("{name}.v{version}.schema.json");
    let json = |s: schemars::Schema| serde_json::to_value(s).unwrap();
    vec![
        (v("graph", data::graph::GRAPH_SCHEMA_VERSION), json(schema_for!(data::graph::GraphReport))),
        (v("timings", data::timings::TIMINGS_SCHEMA_VERSION), json(schema_for!(data::timings::Timings))),
        (
            v("partition", data::partition::PARTITION_SCHEMA_VERSION),
            json(schema_for!(data::partition::PartitionReport)),
        ),
        (
            v("report", data::trade_off::TRADE_OFF_SCHEMA_VERSION),
            json(schema_for!(data::trade_off::TradeOffReport)),
        ),
        (
            v("workspace", data::workspace::WORKSPACE_SCHEMA_VERSION),
            json(schema_for!(data::workspace::WorkspaceRanking)),
        ),
        (v("layers", data::layers::LAYERS_SCHEMA_VERSION), json(schema_for!(data::layers::LayerCheck))),
        (
            v("prediction-check", splitcheck::measure::prediction::PREDICTION_SCHEMA_VERSION),
            json(schema_for!(splitcheck::measure::prediction::PredictionCheck)),
        ),
        (v("clean", data::clean::CLEAN_SCHEMA_VERSION), json(schema_for!(data::clean::CleanRecording))),
        (
            v("clean-check", splitcheck::measure::clean::CLEAN_CHECK_SCHEMA_VERSION),
            json(schema_for!(splitcheck::measure::clean::CleanCheck)),
        ),
        (
            v("modules", splitcheck::report::MODULES_SCHEMA_VERSION),
            json(schema_for!(splitcheck::report::ModuleReport)),
        ),
    ]
}

#[test]
fn the_committed_schemas_are_the_generated_ones() {
    let dir = root().join("schemas");
    let bless = std::env::var_os("SPLITCHECK_BLESS").is_some();
    for (name, schema) in schemas() {
        let text = splitcheck::data::json::pretty_json(&schema).unwrap();
        let path = dir.join(&name);
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing (SPLITCHECK_BLESS=1 writes it)", path.display()));
        assert_eq!(committed, text, "{name} differs from the types (SPLITCHECK_BLESS=1 rewrites it)");
    }
}

/// The schema a committed JSON is written to, by its file name.
fn schema_of(file: &Path) -> Option<&'static str> {
    match file.file_name()?.to_str()? {
        "report.json" => Some("report"),
        "timings.json" => Some("timings"),
        "prediction-check.json" => Some("prediction-check"),
        "workspace.json" => Some("workspace"),
        "clean.json" => Some("clean"),
        "clean-check.json" => Some("clean-check"),
        _ => None,
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_committed_json_validates_against_its_schema() {
    let schemas = schemas();
    let mut files = Vec::new();
    json_files(&root().join("reports"), &mut files);
    files.sort();
    let mut checked = 0;
    for file in &files {
        let Some(kind) = schema_of(file) else { continue };
        let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let version = value["schema_version"].as_u64().expect("a schema_version");
        let name = format!("{kind}.v{version}.schema.json");
        let (_, schema) =
            schemas.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no schema {name}"));
        let validator = jsonschema::validator_for(schema).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(
            errors.is_empty(),
            "{} does not match {name}: {:?}",
            file.display(),
            &errors[..errors.len().min(5)]
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} committed JSON files checked");
}

/// The hand-written graph of the `graph_json` fixture (modules with path and lines, edges with
/// from and to) is a valid graph: every other field is optional.
#[test]
fn a_minimal_hand_written_graph_is_valid() {
    let (_, schema) = schemas().into_iter().find(|(n, _)| n.starts_with("graph.")).unwrap();
    let text = std::fs::read_to_string(root().join("tests/fixtures/graph_json/minimal.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(jsonschema::validator_for(&schema).unwrap().is_valid(&value));
}
