//! midend: lowers a tiny expression language to a block IR, analyses it and optimizes it.
//!
//! The crate root both defines what every pass shares (`ValueClass`, the `Classify` trait) and
//! holds the driver that calls every pass, the shape that makes crate splitting interesting.

pub mod analysis;
pub mod ast;
pub mod diag;
pub mod ir;
pub mod lower;
pub mod passes;

#[cfg(feature = "trace")]
mod trace;

#[cfg(test)]
mod tests;

/// Utilities shared by every stage.
pub mod util {
    /// Interning of names, so passes compare symbols by number.
    pub mod interner {
        use std::collections::HashMap;

        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct Symbol(pub u32);

        #[derive(Default, Debug)]
        pub struct Interner {
            names: Vec<String>,
            ids: HashMap<String, Symbol>,
        }

        impl Interner {
            pub fn intern(&mut self, name: &str) -> Symbol {
                if let Some(&sym) = self.ids.get(name) {
                    return sym;
                }
                let sym = Symbol(self.names.len() as u32);
                self.names.push(name.to_owned());
                self.ids.insert(name.to_owned(), sym);
                sym
            }

            pub fn resolve(&self, sym: Symbol) -> &str {
                &self.names[sym.0 as usize]
            }
        }

        #[cfg(test)]
        mod tests {
            use super::*;

            #[test]
            fn interning_is_stable() {
                let mut i = Interner::default();
                let a = i.intern("a");
                assert_eq!(i.intern("a"), a);
                assert_eq!(i.resolve(a), "a");
            }
        }
    }

    /// Stable, sorted iteration over a map's keys.
    pub fn sorted_keys<K: Ord + Clone, V>(map: &std::collections::HashMap<K, V>) -> Vec<K> {
        let mut keys: Vec<K> = map.keys().cloned().collect();
        keys.sort();
        keys
    }
}

/// How a value is held at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueClass {
    Scalar,
    Boxed,
}

/// Anything that can say how its values are held.
pub trait Classify {
    fn class(&self) -> ValueClass;
}

/// Options of the pipeline.
#[derive(Clone, Debug)]
pub struct PipelineOptions {
    pub fold_constants: bool,
    pub inline_calls: bool,
    pub max_rounds: usize,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            fold_constants: true,
            inline_calls: true,
            max_rounds: 4,
        }
    }
}

/// Lowers a program, then runs every pass until nothing changes.
pub fn run_pipeline(
    program: &ast::Program,
    options: &PipelineOptions,
) -> Result<ir::Module, diag::Diagnostics> {
    let mut module = lower::lower_program(program)?;
    #[cfg(feature = "trace")]
    trace::log("lowered", &module);
    for _ in 0..options.max_rounds {
        let mut changed = false;
        if options.inline_calls {
            changed |= passes::inline::inline_small_calls(&mut module);
        }
        for func in &mut module.funcs {
            if options.fold_constants {
                changed |= passes::simplify::simplify(func);
            }
        }
        if !changed {
            break;
        }
    }
    for func in &module.funcs {
        let live = analysis::liveness::live_values(func);
        debug_assert!(live.len() <= func.value_count());
    }
    Ok(module)
}
