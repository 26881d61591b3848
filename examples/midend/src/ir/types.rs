//! Types of IR values.

use crate::{Classify, ValueClass};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Int,
    Bool,
    Str,
}

impl Classify for Ty {
    fn class(&self) -> ValueClass {
        match self {
            Ty::Int | Ty::Bool => ValueClass::Scalar,
            Ty::Str => ValueClass::Boxed,
        }
    }
}
