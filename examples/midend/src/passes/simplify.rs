//! The simplification fixpoint: constant folding then dead-code removal.

use super::{const_fold::ConstFold, dce::Dce, FuncPass};
use crate::ir::Func;

/// Runs folding and dead-code removal until neither changes anything.
pub fn simplify(func: &mut Func) -> bool {
    let passes: [&dyn FuncPass; 2] = [&ConstFold, &Dce];
    let mut any = false;
    loop {
        let mut changed = false;
        for pass in passes {
            changed |= pass.run(func);
        }
        any |= changed;
        if !changed {
            return any;
        }
    }
}
