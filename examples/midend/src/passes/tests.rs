//! Tests of `crate::passes`.
use super::dce::remove_dead;
use super::inline::inline_small_calls;
use super::simplify::simplify;
use crate::ir::{FuncBuilder, InstrKind, Module, Terminator};

#[test]
fn dce_keeps_calls_and_returns() {
    let mut b = FuncBuilder::new("f", 0);
    let dead = b.push(InstrKind::Const(1));
    let _call = b.push(InstrKind::Call("g".into(), vec![dead]));
    let live = b.push(InstrKind::Const(2));
    b.seal(Terminator::Return(live));
    let mut f = b.finish();
    assert!(!remove_dead(&mut f));
    assert_eq!(f.size(), 3);
}

#[test]
fn simplify_reaches_a_fixpoint() {
    let mut b = FuncBuilder::new("f", 0);
    let a = b.push(InstrKind::Const(4));
    let c = b.push(InstrKind::Add(a, a));
    let _dead = b.push(InstrKind::Mul(c, c));
    b.seal(Terminator::Return(c));
    let mut f = b.finish();
    assert!(simplify(&mut f));
    assert_eq!(f.size(), 1);
    assert_eq!(f.blocks[0].instrs[0].kind, InstrKind::Const(8));
}

#[test]
fn small_functions_are_inlined() {
    let mut callee = FuncBuilder::new("double", 1);
    let p = callee.param(0);
    let d = callee.push(InstrKind::Add(p, p));
    callee.seal(Terminator::Return(d));
    let mut caller = FuncBuilder::new("main", 0);
    let three = caller.push(InstrKind::Const(3));
    let r = caller.push(InstrKind::Call("double".into(), vec![three]));
    caller.seal(Terminator::Return(r));
    let mut m = Module {
        funcs: vec![callee.finish(), caller.finish()],
    };
    assert!(inline_small_calls(&mut m));
    let main = m.func("main").unwrap();
    assert!(main.blocks[0]
        .instrs
        .iter()
        .all(|i| !matches!(i.kind, InstrKind::Call(..))));
}
