//! The cost model behind every priced number, per profile, and where it came from: assumed
//! defaults, flags, or a recording (`splitcheck record --workspace-fit`).
//!
//! Owns: turning a recording into a [`CostModel`] and per-module edit factors for one profile,
//! and the unit graph each profile is priced on. Must not: read files or run cargo (the caller
//! reads the recording and says where it came from).

use crate::data::graph::GraphReport;
use crate::data::timings::{FitRow, Timings};
use crate::partition::{CostIntervals, CostModel, CostSource, Profile, Shape, UnitGraph, units_with_factors};
use std::collections::BTreeMap;

/// Why a recording cannot price a crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("a recording of `{recorded}`, not of `{analyzed}`")]
    OtherCrate { recorded: String, analyzed: String },
    #[error(
        "no {profile} fit in it (record with --quick, or with --workspace-fit in a workspace of crates of different sizes)"
    )]
    NoFit { profile: &'static str },
}

/// Cost parameters given on the command line (each overrides the recording or the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct CostFlags {
    pub fixed: Option<f64>,
    pub per_line: Option<f64>,
    pub dep_fixed: Option<f64>,
    pub dep_per_line: Option<f64>,
}

/// One profile's price list: the cost model and the units with this profile's edit factors,
/// in both shapes of a split.
#[derive(Debug, Clone)]
pub struct Pricing {
    pub profile: Profile,
    pub cost: CostModel,
    /// The units with the root's unused items as a facade crate on top ([`Shape::Facade`]).
    pub units: UnitGraph,
    /// The same units with the original crate as the top part ([`Shape::CrateOnTop`]).
    pub top_units: UnitGraph,
}

impl Pricing {
    pub fn units_for(&self, shape: Shape) -> &UnitGraph {
        match shape {
            Shape::Facade => &self.units,
            Shape::CrateOnTop => &self.top_units,
        }
    }

    /// This profile's model of the units of `shape`.
    pub fn model(&self, shape: Shape) -> crate::partition::Model<'_> {
        crate::partition::Model::new(self.units_for(shape), self.cost.clone(), self.profile)
    }
}

/// Both profiles' prices; `primary` is the one searches optimize and tables rank by.
#[derive(Debug, Clone)]
pub struct Prices {
    pub primary: Profile,
    pub lib: Pricing,
    pub test: Pricing,
}

impl Prices {
    pub fn of(&self, profile: Profile) -> &Pricing {
        match profile {
            Profile::Lib => &self.lib,
            Profile::Test => &self.test,
        }
    }

    pub fn primary(&self) -> &Pricing {
        self.of(self.primary)
    }
}

/// Prices both profiles of `graph`. With a recording, the primary profile must have a fit (else
/// `Err` says what to record); a profile without one is priced like the primary and says so.
pub fn prices(
    graph: &GraphReport,
    timings: Option<&Timings>,
    flags: CostFlags,
    primary: Profile,
) -> Result<Prices, PricingError> {
    let other = primary.other();
    let recorded = |profile| timings.map(|t| recorded_cost(t, profile, graph)).transpose();
    let primary_recorded = recorded(primary)?;
    let other_recorded = match recorded(other) {
        Ok(found) => found,
        Err(why) => primary_recorded.as_ref().map(|(cost, factors)| {
            let mut cost = cost.clone();
            if let CostSource::Recorded(text) = &mut cost.source {
                text.push_str(&format!(" (priced with the {} fit: {why})", primary.as_str()));
            }
            (cost, factors.clone())
        }),
    };
    Ok(build(graph, primary, primary_recorded, other_recorded, flags, timings.is_some()))
}

/// Prices both profiles without a recording: flags where given, else the assumed defaults.
pub fn without_recording(graph: &GraphReport, flags: CostFlags, primary: Profile) -> Prices {
    build(graph, primary, None, None, flags, false)
}

type Recorded = Option<(CostModel, BTreeMap<String, f64>)>;

fn build(
    graph: &GraphReport,
    primary: Profile,
    primary_recorded: Recorded,
    other_recorded: Recorded,
    flags: CostFlags,
    recorded: bool,
) -> Prices {
    let costs = |found: Recorded| {
        let (cost, factors) = found.unwrap_or_else(|| (CostModel::assumed(), BTreeMap::new()));
        (with_flags(cost, flags, recorded), factors)
    };
    let ((cost_a, factors_a), (cost_b, factors_b)) = (costs(primary_recorded), costs(other_recorded));
    let units = |factors: &BTreeMap<String, f64>| {
        let units = units_with_factors(graph, false, factors);
        let top = units.crate_on_top();
        (units, top)
    };
    let (units_a, top_units_a) = units(&factors_a);
    // Without a recording (or with one fit for both) the two profiles' units are the same.
    let (units_b, top_units_b) =
        if factors_b == factors_a { (units_a.clone(), top_units_a.clone()) } else { units(&factors_b) };
    let a = Pricing { profile: primary, cost: cost_a, units: units_a, top_units: top_units_a };
    let b = Pricing { profile: primary.other(), cost: cost_b, units: units_b, top_units: top_units_b };
    let (lib, test) = match primary {
        Profile::Lib => (a, b),
        Profile::Test => (b, a),
    };
    Prices { primary, lib, test }
}

/// Flags override what was recorded or assumed; `d` follows `c` unless given or recorded.
fn with_flags(mut cost: CostModel, flags: CostFlags, recorded: bool) -> CostModel {
    let given = [flags.fixed, flags.per_line, flags.dep_fixed, flags.dep_per_line];
    if given.iter().any(Option::is_some) && cost.source == CostSource::Assumed {
        cost.source = CostSource::Flags;
    }
    cost.fixed = flags.fixed.unwrap_or(cost.fixed);
    cost.per_line = flags.per_line.unwrap_or(cost.per_line);
    // The priors' re-run cost stands unless a cost flag changes the picture.
    let keep_dep =
        recorded || (cost.source == CostSource::Assumed && flags.fixed.is_none() && flags.per_line.is_none());
    cost.dep_fixed = flags.dep_fixed.unwrap_or(if keep_dep { cost.dep_fixed } else { cost.fixed });
    cost.dep_per_line =
        flags.dep_per_line.unwrap_or(if keep_dep { cost.dep_per_line } else { cost.per_line });
    cost
}

/// The cost of one profile fitted across the workspace's crates in a recording (any crate's:
/// the fit is the workspace's), with the dependents' re-run cost where it was recorded.
pub fn workspace_cost(timings: &Timings, profile: Profile) -> Result<CostModel, PricingError> {
    // A fit from fewer samples than the cost module trusts (older recordings) is not used.
    let trusted = |f: &&FitRow| f.samples >= crate::cost::MIN_SAMPLES;
    let fit = timings
        .workspace_fit
        .as_ref()
        .and_then(|w| match profile {
            Profile::Lib => w.lib.as_ref(),
            Profile::Test => w.test.as_ref(),
        })
        .filter(trusted);
    let Some(fit) = fit else {
        return Err(PricingError::NoFit { profile: profile.as_str() });
    };
    let mut cost = CostModel::assumed();
    cost.fixed = fit.fixed_s.max(0.0);
    cost.per_line = fit.per_line_s.max(0.0);
    cost.intervals = Some(CostIntervals { fixed: fit.fixed_interval_s, per_line: fit.per_line_interval_s });
    let dep_fit = timings.dependents.as_ref().and_then(|d| d.lib.as_ref()).filter(trusted);
    let rerun_fit = timings.workspace_fit.as_ref().and_then(|w| w.rerun.as_ref()).filter(trusted);
    let dependents = match (dep_fit, rerun_fit) {
        (Some(d), _) => {
            cost.dep_fixed = d.fixed_s.max(0.0);
            cost.dep_per_line = d.per_line_s.max(0.0);
            cost.dep_tied = false;
            format!("dependent re-runs fitted from {} recorded crates, R² {:.2}", d.samples, d.r2)
        }
        (None, Some(r)) => {
            cost.dep_fixed = r.fixed_s.max(0.0);
            cost.dep_per_line = r.per_line_s.max(0.0);
            cost.dep_tied = false;
            format!(
                "dependent re-runs estimated from re-runs on unchanged code (comment touches) of {}, R² {:.2}",
                if timings.quick { "the two crates".to_owned() } else { format!("{} crates", r.samples) },
                r.r2
            )
        }
        (None, None) => {
            cost.dep_fixed = cost.fixed;
            cost.dep_per_line = cost.per_line;
            cost.dep_tied = true;
            "dependent re-runs not recorded, taken equal to an edit".to_owned()
        }
    };
    // Cargo's own part of a run: measured by the recording, else the prior.
    let noop = timings.noop_s.as_ref().and_then(|n| match profile {
        Profile::Lib => n.lib,
        Profile::Test => n.test,
    });
    let overhead = match noop {
        Some(n) => {
            cost.overhead = n.median;
            format!("cargo's own {:.2} s per run recorded", n.median)
        }
        None => format!("cargo's own {:.2} s per run assumed (not recorded)", cost.overhead),
    };
    let fitted = if timings.quick {
        // The scratch crate is the recording's smallest.
        let probe = timings.workspace_fit.iter().flat_map(|w| &w.crates).min_by_key(|c| c.src_lines);
        let (lines, place) = probe.map_or((0, ""), |c| {
            (
                c.src_lines,
                if c.name == crate::data::timings::QUICK_PROBE_ABOVE {
                    " above it (loading it and its dependencies)"
                } else {
                    ""
                },
            )
        });
        format!(
            "record --quick: {} edits each of this crate and of a {lines}-line scratch crate{place}, fitted over the two sizes, R² {:.2} \
             (a line through a tiny crate: mid-size crates cost more than it says, so the savings of a split are upper bounds; \
             a recording with --workspace-fit fits real crates)",
            timings.reps, fit.r2
        )
    } else {
        format!("fitted from {} recorded crates, R² {:.2}", fit.samples, fit.r2)
    };
    cost.source = CostSource::Recorded(format!("{fitted}; {dependents}; {overhead}"));
    Ok(cost)
}

/// Both profiles priced with the workspace fit of another crate's recording, for a crate whose
/// own edits were not recorded (no calibration, no per-module factors).
pub fn from_workspace_fit(graph: &GraphReport, timings: &Timings, primary: Profile) -> Option<Prices> {
    let cost = |profile| {
        let mut cost = workspace_cost(timings, profile).ok()?;
        if let CostSource::Recorded(text) = &mut cost.source {
            text.push_str(&format!(
                " (the workspace fit of `{}`'s recording; this crate's edits not recorded)",
                timings.krate
            ));
        }
        Some((cost, BTreeMap::new()))
    };
    let (primary_cost, other_cost) = (cost(primary)?, cost(primary.other())?);
    Some(build(graph, primary, Some(primary_cost), Some(other_cost), CostFlags::default(), true))
}

/// The fitted cost of one profile from a recording, calibrated to the crate's own recorded
/// edits, and each recorded module's edit factor (`r_m`, by module path).
pub fn recorded_cost(
    timings: &Timings,
    profile: Profile,
    graph: &GraphReport,
) -> Result<(CostModel, BTreeMap<String, f64>), PricingError> {
    if timings.krate.replace('-', "_") != graph.krate.replace('-', "_") {
        return Err(PricingError::OtherCrate {
            recorded: timings.krate.clone(),
            analyzed: graph.krate.clone(),
        });
    }
    let mut cost = workspace_cost(timings, profile)?;
    // The fit is across crates; this crate's own recorded edits calibrate its level (its code
    // may compile slower or faster per line than the workspace's average): the median of its
    // modules' measured rebuild over the fit's prediction scales every cost of its parts. Each
    // module's factor `r_m` is then its own residual against that level.
    let crate_lines: f64 = graph
        .modules
        .iter()
        .map(|m| {
            f64::from(m.src_lines) + if profile == Profile::Test { f64::from(m.test_lines) } else { 0.0 }
        })
        .sum();
    let predicted = cost.rebuild(crate_lines);
    let measured: Vec<(&str, f64)> = timings
        .modules
        .iter()
        .filter(|t| !t.test_only)
        .filter_map(|t| {
            let s = match profile {
                Profile::Lib => t.spread_s.lib,
                Profile::Test => t.spread_s.test,
            }?;
            Some((t.path.as_str(), s.median))
        })
        .collect();
    let level = match crate::cost::spread(&measured.iter().map(|m| m.1).collect::<Vec<_>>()) {
        Some(s) if predicted > 0.0 => s.median / predicted,
        _ => 1.0,
    };
    cost.fixed *= level;
    cost.per_line *= level;
    if let Some(iv) = &mut cost.intervals {
        iv.fixed = (iv.fixed.0 * level, iv.fixed.1 * level);
        iv.per_line = (iv.per_line.0 * level, iv.per_line.1 * level);
    }
    if cost.dep_tied {
        cost.dep_fixed = cost.fixed;
        cost.dep_per_line = cost.per_line;
    }
    if let CostSource::Recorded(text) = &mut cost.source
        && !measured.is_empty()
    {
        text.push_str(&format!(
            "; calibrated ×{level:.2} to this crate's {} recorded module edits",
            measured.len()
        ));
    }
    let factors = measured
        .iter()
        .filter(|_| predicted > 0.0)
        .map(|(path, seconds)| ((*path).to_owned(), seconds / (predicted * level)))
        .collect();
    Ok((cost, factors))
}
