//! Building functions block by block.

use super::{Block, BlockId, Func, Instr, InstrKind, Terminator, Ty, ValueId};

/// Builds one function. Block ids are handed out when a block is reserved, so forward jumps can
/// name blocks that are filled later; exactly one block is open at a time.
pub struct FuncBuilder {
    func: Func,
    current: Option<BlockId>,
}

impl FuncBuilder {
    /// A builder with the entry block open.
    pub fn new(name: &str, arity: usize) -> FuncBuilder {
        let params = (0..arity as u32).map(ValueId).collect();
        let func = Func {
            name: name.to_owned(),
            params,
            blocks: Vec::new(),
            next_value: arity as u32,
        };
        let mut b = FuncBuilder {
            func,
            current: None,
        };
        let entry = b.reserve();
        b.open(entry, Vec::new());
        b
    }

    pub fn param(&self, index: usize) -> ValueId {
        self.func.params[index]
    }

    pub fn fresh(&mut self) -> ValueId {
        let v = ValueId(self.func.next_value);
        self.func.next_value += 1;
        v
    }

    pub fn push(&mut self, kind: InstrKind) -> ValueId {
        let dest = self.fresh();
        let block = self.current.expect("no open block");
        self.func.blocks[block.0 as usize].instrs.push(Instr {
            dest,
            kind,
            ty: Ty::Int,
        });
        dest
    }

    /// Reserves a block id to open later.
    pub fn reserve(&mut self) -> BlockId {
        let placeholder = ValueId(u32::MAX);
        self.func.blocks.push(Block {
            params: vec![],
            instrs: vec![],
            term: Terminator::Return(placeholder),
        });
        BlockId(self.func.blocks.len() as u32 - 1)
    }

    pub fn open(&mut self, block: BlockId, params: Vec<ValueId>) {
        assert!(self.current.is_none(), "a block is already open");
        self.func.blocks[block.0 as usize].params = params;
        self.current = Some(block);
    }

    pub fn seal(&mut self, term: Terminator) -> BlockId {
        let block = self.current.take().expect("no open block");
        self.func.blocks[block.0 as usize].term = term;
        block
    }

    pub fn finish(self) -> Func {
        assert!(self.current.is_none(), "unsealed block");
        self.func
    }
}
