//! Tests of `crate::ir`.
use super::*;

fn add_one() -> Func {
    let mut b = FuncBuilder::new("add_one", 1);
    let one = b.push(InstrKind::Const(1));
    let p = b.param(0);
    let sum = b.push(InstrKind::Add(p, one));
    b.seal(Terminator::Return(sum));
    b.finish()
}

#[test]
fn builder_numbers_values_after_params() {
    let f = add_one();
    assert_eq!(f.blocks[0].instrs[0].dest, ValueId(1));
    assert_eq!(f.value_count(), 3);
}

#[test]
fn operands_and_successors() {
    let f = add_one();
    assert_eq!(
        f.blocks[0].instrs[1].operands(),
        vec![ValueId(0), ValueId(1)]
    );
    assert!(f.blocks[0].term.successors().is_empty());
}

#[test]
fn instrs_classify_by_type() {
    let f = add_one();
    assert_eq!(f.blocks[0].instrs[0].class(), crate::ValueClass::Scalar);
    assert_eq!(Ty::Str.class(), crate::ValueClass::Boxed);
}
