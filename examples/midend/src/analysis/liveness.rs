//! Which values are used at all (a flow-insensitive liveness, enough for dead-code removal).

use crate::ir::{Func, ValueId};
use std::collections::BTreeSet;

/// Values read by some instruction with an effect, or by a terminator, transitively.
pub fn live_values(func: &Func) -> BTreeSet<ValueId> {
    let mut live: BTreeSet<ValueId> = BTreeSet::new();
    let mut work: Vec<ValueId> = Vec::new();
    for block in &func.blocks {
        work.extend(block.term.operands());
        for instr in block.instrs.iter().filter(|i| i.has_side_effects()) {
            work.push(instr.dest);
        }
    }
    let defs: std::collections::HashMap<ValueId, Vec<ValueId>> = func
        .blocks
        .iter()
        .flat_map(|b| b.instrs.iter())
        .map(|i| (i.dest, i.operands()))
        .collect();
    let block_params: std::collections::HashMap<ValueId, Vec<ValueId>> = jump_arguments(func);
    while let Some(v) = work.pop() {
        if !live.insert(v) {
            continue;
        }
        work.extend(defs.get(&v).into_iter().flatten().copied());
        work.extend(block_params.get(&v).into_iter().flatten().copied());
    }
    live
}

/// For each block parameter, the arguments jumps pass to it.
fn jump_arguments(func: &Func) -> std::collections::HashMap<ValueId, Vec<ValueId>> {
    let mut map: std::collections::HashMap<ValueId, Vec<ValueId>> = Default::default();
    for block in &func.blocks {
        if let crate::ir::Terminator::Jump(target, args) = &block.term {
            for (param, arg) in func.block(*target).params.iter().zip(args) {
                map.entry(*param).or_default().push(*arg);
            }
        }
    }
    map
}
