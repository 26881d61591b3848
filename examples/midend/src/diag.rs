//! Diagnostics: what went wrong, and where.

use crate::lower::LowerError;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub message: String,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, message: impl Into<String>, span: Span) {
        self.0.push(Diagnostic {
            message: message.into(),
            span,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Turns lowering errors into diagnostics.
pub fn from_lower_error(err: &LowerError, span: Span) -> Diagnostic {
    let message = match err {
        LowerError::UnknownVariable(name) => format!("unknown variable `{name}`"),
        LowerError::UnknownFunction(name) => format!("unknown function `{name}`"),
        LowerError::Arity {
            name,
            expected,
            found,
        } => {
            format!("`{name}` takes {expected} arguments, {found} given")
        }
    };
    Diagnostic { message, span }
}
