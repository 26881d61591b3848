//! End-to-end tests of the pipeline.

use crate::ast::build::*;
use crate::ast::{Expr, FnDef, Program};
use crate::diag::Span;
use crate::ir::InstrKind;
use crate::{run_pipeline, PipelineOptions};

fn def(name: &str, params: &[&str], body: Expr) -> FnDef {
    FnDef {
        name: name.into(),
        params: params.iter().map(|p| p.to_string()).collect(),
        body,
        span: Span::default(),
    }
}

#[test]
fn pipeline_folds_an_inlined_call() {
    let program = Program {
        fns: vec![
            def("double", &["x"], add(var("x"), var("x"))),
            def("main", &[], call("double", vec![int(21)])),
        ],
    };
    let module = run_pipeline(&program, &PipelineOptions::default()).unwrap();
    let main = module.func("main").unwrap();
    assert!(main.blocks[0]
        .instrs
        .iter()
        .any(|i| i.kind == InstrKind::Const(42)));
}

#[test]
fn pipeline_reports_errors() {
    let program = Program {
        fns: vec![def("main", &[], var("nope"))],
    };
    let err = run_pipeline(&program, &PipelineOptions::default()).unwrap_err();
    assert_eq!(err.0.len(), 1);
}

#[test]
fn options_can_turn_passes_off() {
    let program = Program {
        fns: vec![def("main", &[], add(int(1), int(2)))],
    };
    let options = PipelineOptions {
        fold_constants: false,
        inline_calls: false,
        max_rounds: 1,
    };
    let module = run_pipeline(&program, &options).unwrap();
    assert_eq!(module.func("main").unwrap().size(), 3);
}
