//! Tracing of the pipeline, compiled only with the `trace` feature.

use crate::ir::Module;

pub fn log(stage: &str, module: &Module) {
    let sizes: Vec<String> = module
        .funcs
        .iter()
        .map(|f| format!("{}={}", f.name, f.size()))
        .collect();
    eprintln!("[midend] {stage}: {}", sizes.join(" "));
}
