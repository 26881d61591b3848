//! Immediate dominators by the iterative algorithm of Cooper, Harvey and Kennedy.

use super::predecessors;
use crate::ir::{BlockId, Func};

/// `idom[b]` for every block reachable from the entry; `None` for the entry and unreachable ones.
pub fn immediate_dominators(func: &Func) -> Vec<Option<BlockId>> {
    let n = func.blocks.len();
    let order = reverse_postorder(func);
    let mut rpo_index = vec![usize::MAX; n];
    for (i, b) in order.iter().enumerate() {
        rpo_index[b.0 as usize] = i;
    }
    let preds = predecessors(func);
    let mut idom: Vec<Option<BlockId>> = vec![None; n];
    idom[0] = Some(BlockId(0));
    let mut changed = true;
    while changed {
        changed = false;
        for &b in order.iter().skip(1) {
            let mut new = None;
            for &p in &preds[b.0 as usize] {
                if idom[p.0 as usize].is_none() {
                    continue;
                }
                new = Some(match new {
                    None => p,
                    Some(cur) => intersect(&idom, &rpo_index, p, cur),
                });
            }
            if new.is_some() && idom[b.0 as usize] != new {
                idom[b.0 as usize] = new;
                changed = true;
            }
        }
    }
    idom[0] = None;
    idom
}

fn intersect(idom: &[Option<BlockId>], rpo: &[usize], mut a: BlockId, mut b: BlockId) -> BlockId {
    while a != b {
        while rpo[a.0 as usize] > rpo[b.0 as usize] {
            a = idom[a.0 as usize].expect("processed");
        }
        while rpo[b.0 as usize] > rpo[a.0 as usize] {
            b = idom[b.0 as usize].expect("processed");
        }
    }
    a
}

fn reverse_postorder(func: &Func) -> Vec<BlockId> {
    let mut seen = vec![false; func.blocks.len()];
    let mut post = Vec::new();
    let mut stack = vec![(BlockId(0), 0usize)];
    seen[0] = true;
    while let Some((b, i)) = stack.pop() {
        let succs = func.block(b).term.successors();
        if i < succs.len() {
            stack.push((b, i + 1));
            let s = succs[i];
            if !seen[s.0 as usize] {
                seen[s.0 as usize] = true;
                stack.push((s, 0));
            }
        } else {
            post.push(b);
        }
    }
    post.reverse();
    post
}
