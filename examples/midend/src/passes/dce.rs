//! Dead-code elimination: drops instructions whose values nobody uses.

use super::FuncPass;
use crate::analysis::liveness::live_values;
use crate::ir::Func;

pub struct Dce;

impl FuncPass for Dce {
    fn name(&self) -> &'static str {
        "dce"
    }

    fn run(&self, func: &mut Func) -> bool {
        remove_dead(func)
    }
}

pub fn remove_dead(func: &mut Func) -> bool {
    let live = live_values(func);
    let mut changed = false;
    for block in &mut func.blocks {
        let before = block.instrs.len();
        block
            .instrs
            .retain(|i| i.has_side_effects() || live.contains(&i.dest));
        changed |= block.instrs.len() != before;
    }
    changed
}
