//! Lowering statements inside blocks.

use super::{expr, LowerCx, LowerError};
use crate::ast::Stmt;

pub(crate) fn lower_stmt(cx: &mut LowerCx<'_>, stmt: &Stmt) -> Result<(), LowerError> {
    match stmt {
        Stmt::Let(name, value) => {
            let v = expr::lower_expr(cx, value)?;
            cx.bind(name, v);
        }
        Stmt::Expr(e) => {
            expr::lower_expr(cx, e)?;
        }
    }
    Ok(())
}
