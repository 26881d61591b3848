//! Measuring real rebuilds: recordings (`record`, `quick`), the edit journal that makes every
//! edit reversible, the touches, churn from git history, `cargo build --timings` reports, and
//! `apply --measure`'s prediction check.

pub mod cargo_timings;
pub mod churn;
pub mod clean;
pub mod journal;
pub mod prediction;
pub mod quick;
pub mod record;
pub mod touch;
