//! Lowering expressions.

use super::{stmt, LowerCx, LowerError};
use crate::ast::Expr;
use crate::ir::{InstrKind, Terminator, ValueId};
use std::collections::HashMap;

pub(crate) fn lower_expr(cx: &mut LowerCx<'_>, expr: &Expr) -> Result<ValueId, LowerError> {
    Ok(match expr {
        Expr::Int(v) => cx.builder.push(InstrKind::Const(*v)),
        Expr::Var(name) => cx.lookup(name)?,
        Expr::Add(a, b) => {
            let (a, b) = (lower_expr(cx, a)?, lower_expr(cx, b)?);
            cx.builder.push(InstrKind::Add(a, b))
        }
        Expr::Mul(a, b) => {
            let (a, b) = (lower_expr(cx, a)?, lower_expr(cx, b)?);
            cx.builder.push(InstrKind::Mul(a, b))
        }
        Expr::Let(name, value, body) => {
            let v = lower_expr(cx, value)?;
            cx.scopes.push(HashMap::new());
            cx.bind(name, v);
            let result = lower_expr(cx, body);
            cx.scopes.pop();
            result?
        }
        Expr::If(cond, then, otherwise) => lower_if(cx, cond, then, otherwise)?,
        Expr::Call(name, args) => {
            let expected = *cx
                .arities
                .get(name)
                .ok_or_else(|| LowerError::UnknownFunction(name.clone()))?;
            if expected != args.len() {
                return Err(LowerError::Arity {
                    name: name.clone(),
                    expected,
                    found: args.len(),
                });
            }
            let values = args
                .iter()
                .map(|a| lower_expr(cx, a))
                .collect::<Result<Vec<_>, _>>()?;
            cx.builder.push(InstrKind::Call(name.clone(), values))
        }
        Expr::Block(stmts, tail) => {
            cx.scopes.push(HashMap::new());
            let result = stmts
                .iter()
                .try_for_each(|s| stmt::lower_stmt(cx, s))
                .and_then(|()| lower_expr(cx, tail));
            cx.scopes.pop();
            result?
        }
    })
}

fn lower_if(
    cx: &mut LowerCx<'_>,
    cond: &Expr,
    then: &Expr,
    otherwise: &Expr,
) -> Result<ValueId, LowerError> {
    let c = lower_expr(cx, cond)?;
    let (t, e, join) = (
        cx.builder.reserve(),
        cx.builder.reserve(),
        cx.builder.reserve(),
    );
    cx.builder.seal(Terminator::Branch(c, t, e));
    for (block, arm) in [(t, then), (e, otherwise)] {
        cx.builder.open(block, vec![]);
        let v = lower_expr(cx, arm)?;
        cx.builder.seal(Terminator::Jump(join, vec![v]));
    }
    let result = cx.builder.fresh();
    cx.builder.open(join, vec![result]);
    Ok(result)
}
