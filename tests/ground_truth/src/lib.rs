//! Empty: this package only pins its dependencies.
