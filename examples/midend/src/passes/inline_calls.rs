//! Inlining of small single-block functions at their call sites (a `#[path]` module).

use super::simplify;
use crate::ir::{Func, InstrKind, Module, ValueId};
use std::collections::HashMap;

/// Functions with at most this many instructions are inlined.
pub const INLINE_LIMIT: usize = 8;

/// Inlines calls to small single-block functions. Returns whether anything changed.
pub fn inline_small_calls(module: &mut Module) -> bool {
    let candidates: HashMap<String, Func> = module
        .funcs
        .iter()
        .filter(|f| f.blocks.len() == 1 && f.size() <= INLINE_LIMIT && !calls_itself(f))
        .map(|f| (f.name.clone(), f.clone()))
        .collect();
    let mut changed = false;
    for func in &mut module.funcs {
        changed |= inline_into(func, &candidates);
        if changed {
            simplify::simplify(func);
        }
    }
    changed
}

fn calls_itself(f: &Func) -> bool {
    f.blocks
        .iter()
        .flat_map(|b| &b.instrs)
        .any(|i| matches!(&i.kind, InstrKind::Call(name, _) if *name == f.name))
}

fn inline_into(func: &mut Func, candidates: &HashMap<String, Func>) -> bool {
    let mut changed = false;
    let mut next_value = func.next_value;
    for block in &mut func.blocks {
        let mut out = Vec::with_capacity(block.instrs.len());
        for instr in block.instrs.drain(..) {
            let InstrKind::Call(name, args) = &instr.kind else {
                out.push(instr);
                continue;
            };
            let Some(callee) = candidates.get(name).filter(|c| c.name != func.name) else {
                out.push(instr);
                continue;
            };
            let mut rename: HashMap<ValueId, ValueId> = callee
                .params
                .iter()
                .copied()
                .zip(args.iter().copied())
                .collect();
            for body_instr in &callee.blocks[0].instrs {
                let dest = ValueId(next_value);
                next_value += 1;
                rename.insert(body_instr.dest, dest);
                let mut copy = body_instr.clone();
                copy.dest = dest;
                copy.kind = rename_operands(&copy.kind, &rename);
                out.push(copy);
            }
            let ret = match &callee.blocks[0].term {
                crate::ir::Terminator::Return(v) => rename[v],
                _ => unreachable!("single-block functions return"),
            };
            out.push(crate::ir::Instr {
                dest: instr.dest,
                kind: InstrKind::Copy(ret),
                ty: instr.ty,
            });
            changed = true;
        }
        block.instrs = out;
    }
    func.next_value = next_value;
    changed
}

fn rename_operands(kind: &InstrKind, map: &HashMap<ValueId, ValueId>) -> InstrKind {
    let r = |v: &ValueId| *map.get(v).unwrap_or(v);
    match kind {
        InstrKind::Const(c) => InstrKind::Const(*c),
        InstrKind::Add(a, b) => InstrKind::Add(r(a), r(b)),
        InstrKind::Mul(a, b) => InstrKind::Mul(r(a), r(b)),
        InstrKind::Call(n, args) => InstrKind::Call(n.clone(), args.iter().map(r).collect()),
        InstrKind::Copy(v) => InstrKind::Copy(r(v)),
    }
}
