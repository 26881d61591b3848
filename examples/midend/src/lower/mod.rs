//! Lowering the AST to IR, one function at a time.

mod expr;
mod stmt;

#[cfg(test)]
mod tests;

use crate::ast::{FnDef, Program};
use crate::diag::{self, Diagnostics};
use crate::ir::{FuncBuilder, Module, Terminator, ValueId};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub enum LowerError {
    UnknownVariable(String),
    UnknownFunction(String),
    Arity {
        name: String,
        expected: usize,
        found: usize,
    },
}

/// State while lowering one function body.
pub(crate) struct LowerCx<'p> {
    pub builder: FuncBuilder,
    pub scopes: Vec<HashMap<String, ValueId>>,
    pub arities: &'p HashMap<String, usize>,
}

impl LowerCx<'_> {
    pub(crate) fn lookup(&self, name: &str) -> Result<ValueId, LowerError> {
        self.scopes
            .iter()
            .rev()
            .find_map(|s| s.get(name).copied())
            .ok_or_else(|| LowerError::UnknownVariable(name.to_owned()))
    }

    pub(crate) fn bind(&mut self, name: &str, value: ValueId) {
        self.scopes
            .last_mut()
            .expect("no scope")
            .insert(name.to_owned(), value);
    }
}

/// Lowers every function; collects one diagnostic per function that fails.
pub fn lower_program(program: &Program) -> Result<Module, Diagnostics> {
    let arities: HashMap<String, usize> = program
        .fns
        .iter()
        .map(|f| (f.name.clone(), f.params.len()))
        .collect();
    let mut module = Module::default();
    let mut diags = Diagnostics::default();
    for def in &program.fns {
        match lower_fn(def, &arities) {
            Ok(func) => module.funcs.push(func),
            Err(err) => diags.0.push(diag::from_lower_error(&err, def.span)),
        }
    }
    if diags.is_empty() {
        Ok(module)
    } else {
        Err(diags)
    }
}

fn lower_fn(def: &FnDef, arities: &HashMap<String, usize>) -> Result<crate::ir::Func, LowerError> {
    let builder = FuncBuilder::new(&def.name, def.params.len());
    let mut cx = LowerCx {
        builder,
        scopes: vec![HashMap::new()],
        arities,
    };
    for (i, p) in def.params.iter().enumerate() {
        let v = cx.builder.param(i);
        cx.bind(p, v);
    }
    let result = expr::lower_expr(&mut cx, &def.body)?;
    cx.builder.seal(Terminator::Return(result));
    Ok(cx.builder.finish())
}
