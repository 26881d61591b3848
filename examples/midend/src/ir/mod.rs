//! The block IR: functions of basic blocks of instructions over numbered values.

mod builder;
mod types;

#[cfg(test)]
mod tests;

pub use builder::FuncBuilder;
pub use types::Ty;

use crate::{Classify, ValueClass};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ValueId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

#[derive(Clone, Debug, PartialEq)]
pub enum InstrKind {
    Const(i64),
    Add(ValueId, ValueId),
    Mul(ValueId, ValueId),
    Call(String, Vec<ValueId>),
    Copy(ValueId),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Instr {
    pub dest: ValueId,
    pub kind: InstrKind,
    pub ty: Ty,
}

impl Instr {
    /// Values this instruction reads.
    pub fn operands(&self) -> Vec<ValueId> {
        match &self.kind {
            InstrKind::Const(_) => vec![],
            InstrKind::Add(a, b) | InstrKind::Mul(a, b) => vec![*a, *b],
            InstrKind::Call(_, args) => args.clone(),
            InstrKind::Copy(v) => vec![*v],
        }
    }

    pub fn has_side_effects(&self) -> bool {
        matches!(self.kind, InstrKind::Call(..))
    }
}

impl Classify for Instr {
    fn class(&self) -> ValueClass {
        self.ty.class()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Terminator {
    Return(ValueId),
    Jump(BlockId, Vec<ValueId>),
    Branch(ValueId, BlockId, BlockId),
}

impl Terminator {
    pub fn successors(&self) -> Vec<BlockId> {
        match self {
            Terminator::Return(_) => vec![],
            Terminator::Jump(b, _) => vec![*b],
            Terminator::Branch(_, t, e) => vec![*t, *e],
        }
    }

    pub fn operands(&self) -> Vec<ValueId> {
        match self {
            Terminator::Return(v) | Terminator::Branch(v, _, _) => vec![*v],
            Terminator::Jump(_, args) => args.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub params: Vec<ValueId>,
    pub instrs: Vec<Instr>,
    pub term: Terminator,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Func {
    pub name: String,
    pub params: Vec<ValueId>,
    pub blocks: Vec<Block>,
    pub next_value: u32,
}

impl Func {
    pub fn value_count(&self) -> usize {
        self.next_value as usize
    }

    pub fn block(&self, id: BlockId) -> &Block {
        &self.blocks[id.0 as usize]
    }

    /// Number of instructions, the size measure the inliner uses.
    pub fn size(&self) -> usize {
        self.blocks.iter().map(|b| b.instrs.len()).sum()
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Module {
    pub funcs: Vec<Func>,
}

impl Module {
    pub fn func(&self, name: &str) -> Option<&Func> {
        self.funcs.iter().find(|f| f.name == name)
    }
}
