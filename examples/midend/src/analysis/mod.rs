//! Analyses over the IR that passes consult.

pub mod dominators;
pub mod liveness;

#[cfg(test)]
mod tests;

use crate::ir::{BlockId, Func};

/// Predecessors of every block, in block order.
pub fn predecessors(func: &Func) -> Vec<Vec<BlockId>> {
    let mut preds = vec![Vec::new(); func.blocks.len()];
    for (i, block) in func.blocks.iter().enumerate() {
        for succ in block.term.successors() {
            preds[succ.0 as usize].push(BlockId(i as u32));
        }
    }
    preds
}
