//! Optimization passes over the IR.

pub mod const_fold;
pub mod dce;
#[path = "inline_calls.rs"]
pub mod inline;
pub mod simplify;

#[cfg(test)]
mod tests;

use crate::ir::Func;

/// A pass over one function that says whether it changed anything.
pub trait FuncPass {
    fn name(&self) -> &'static str;
    fn run(&self, func: &mut Func) -> bool;
}
