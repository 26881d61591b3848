//! Tests of `crate::analysis`.
use super::dominators::immediate_dominators;
use super::liveness::live_values;
use crate::ir::{BlockId, FuncBuilder, InstrKind, Terminator, ValueId};

fn diamond() -> crate::ir::Func {
    let mut b = FuncBuilder::new("d", 1);
    let (t, e, j) = (b.reserve(), b.reserve(), b.reserve());
    let p = b.param(0);
    b.seal(Terminator::Branch(p, t, e));
    b.open(t, vec![]);
    let one = b.push(InstrKind::Const(1));
    b.seal(Terminator::Jump(j, vec![one]));
    b.open(e, vec![]);
    let two = b.push(InstrKind::Const(2));
    b.seal(Terminator::Jump(j, vec![two]));
    let r = b.fresh();
    b.open(j, vec![r]);
    let _unused = b.push(InstrKind::Const(9));
    b.seal(Terminator::Return(r));
    b.finish()
}

#[test]
fn join_is_dominated_by_entry() {
    let idom = immediate_dominators(&diamond());
    assert_eq!(
        idom,
        vec![None, Some(BlockId(0)), Some(BlockId(0)), Some(BlockId(0))]
    );
}

#[test]
fn unused_constant_is_dead() {
    let f = diamond();
    let live = live_values(&f);
    assert!(live.contains(&ValueId(1)) || live.contains(&f.params[0]));
    assert!(!live.contains(&ValueId(6)));
}

#[test]
fn predecessors_of_join() {
    let preds = super::predecessors(&diamond());
    assert_eq!(preds[3], vec![BlockId(1), BlockId(2)]);
}
