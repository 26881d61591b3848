//! Constant folding of arithmetic on known constants.

use super::FuncPass;
use crate::ir::{Func, InstrKind, ValueId};
use std::collections::HashMap;

pub struct ConstFold;

impl FuncPass for ConstFold {
    fn name(&self) -> &'static str {
        "const-fold"
    }

    fn run(&self, func: &mut Func) -> bool {
        fold(func)
    }
}

/// Replaces `Add`/`Mul` of two constants by a constant. Returns whether anything changed.
pub fn fold(func: &mut Func) -> bool {
    let mut known: HashMap<ValueId, i64> = HashMap::new();
    let mut changed = false;
    for block in &mut func.blocks {
        for instr in &mut block.instrs {
            let folded = match &instr.kind {
                InstrKind::Add(a, b) => known
                    .get(a)
                    .zip(known.get(b))
                    .map(|(x, y)| x.wrapping_add(*y)),
                InstrKind::Mul(a, b) => known
                    .get(a)
                    .zip(known.get(b))
                    .map(|(x, y)| x.wrapping_mul(*y)),
                InstrKind::Copy(v) => known.get(v).copied(),
                _ => None,
            };
            if let Some(value) = folded {
                instr.kind = InstrKind::Const(value);
                changed = true;
            }
            if let InstrKind::Const(c) = instr.kind {
                known.insert(instr.dest, c);
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{FuncBuilder, Terminator};

    #[test]
    fn folds_nested_arithmetic() {
        let mut b = FuncBuilder::new("k", 0);
        let two = b.push(InstrKind::Const(2));
        let three = b.push(InstrKind::Const(3));
        let six = b.push(InstrKind::Mul(two, three));
        let seven = b.push(InstrKind::Add(six, two));
        b.seal(Terminator::Return(seven));
        let mut f = b.finish();
        assert!(fold(&mut f));
        assert_eq!(f.blocks[0].instrs[3].kind, InstrKind::Const(8));
        assert!(!fold(&mut f));
    }
}
