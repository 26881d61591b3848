//! Tests of `crate::lower`.
use super::*;
use crate::ast::build::*;
use crate::ast::{Expr, FnDef, Program, Stmt};
use crate::diag::Span;

fn program(body: Expr, params: &[&str]) -> Program {
    Program {
        fns: vec![FnDef {
            name: "f".into(),
            params: params.iter().map(|p| p.to_string()).collect(),
            body,
            span: Span::default(),
        }],
    }
}

#[test]
fn lowers_arithmetic_into_one_block() {
    let m = lower_program(&program(add(var("x"), mul(int(2), int(3))), &["x"])).unwrap();
    assert_eq!(m.funcs[0].blocks.len(), 1);
    assert_eq!(m.funcs[0].size(), 4);
}

#[test]
fn if_makes_a_diamond() {
    let body = Expr::If(Box::new(var("x")), Box::new(int(1)), Box::new(int(2)));
    let m = lower_program(&program(body, &["x"])).unwrap();
    assert_eq!(m.funcs[0].blocks.len(), 4);
}

#[test]
fn unknown_variable_is_a_diagnostic() {
    let err = lower_program(&program(var("y"), &[])).unwrap_err();
    assert_eq!(err.0[0].message, "unknown variable `y`");
}

#[test]
fn block_statements_bind_names() {
    let body = Expr::Block(
        vec![Stmt::Let("y".into(), int(4))],
        Box::new(add(var("y"), var("y"))),
    );
    let m = lower_program(&program(body, &[])).unwrap();
    assert_eq!(m.funcs[0].size(), 2);
}

#[test]
fn wrong_arity_is_reported() {
    let err = lower_program(&program(call("f", vec![]), &["x"])).unwrap_err();
    assert!(err.0[0].message.contains("takes 1 arguments"));
}
