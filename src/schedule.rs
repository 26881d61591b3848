//! The wall time of a clean build on N cores: a list schedule of compiled units over a DAG
//! with cargo's pipelining.
//!
//! A unit (one rustc run) may wait for another's *metadata* (a library depending on a library
//! starts once the dependency's `.rmeta` is out) or for its *end* (a test binary links its
//! dependencies' `.rlib`s). With free cores, the ready unit with the longest remaining path
//! starts first (cargo ranks its queue the same way); each unit holds one core.
//!
//! Owns: the simulation and the critical path. Pure: units in, times out.
//! Must not: know about crates, recordings or profiles.

/// One unit to schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Seconds from its start to its end.
    pub cost: f64,
    /// Seconds from its start until its metadata is ready (≤ `cost`; `cost` for units nothing
    /// pipelines on).
    pub metadata: f64,
    /// Units whose metadata it waits for.
    pub after_metadata: Vec<usize>,
    /// Units whose end it waits for.
    pub after_end: Vec<usize>,
}

/// When each unit ran.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    pub start: f64,
    pub metadata: f64,
    pub end: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub slots: Vec<Slot>,
    /// The end of the last unit (0 with none).
    pub wall: f64,
    /// Units on the critical path: from the unit that ends last, back through the wait that
    /// held each one's start (a dependency; none when it waited for a core).
    pub critical: Vec<bool>,
}

/// Why units cannot be scheduled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("the units wait for each other in a cycle")]
    Cycle,
    #[error("a unit waits for unit {0}, which does not exist")]
    Unknown(usize),
    #[error("a schedule needs at least one core")]
    NoCores,
}

/// Times equal to within this are equal (sums of float costs).
const EPSILON: f64 = 1e-9;

/// Each unit's longest path to the end of the build, itself included (its priority).
fn remaining_paths(units: &[Unit]) -> Result<Vec<f64>, ScheduleError> {
    let n = units.len();
    let mut dependents: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n];
    let mut waits = vec![0usize; n];
    for (u, unit) in units.iter().enumerate() {
        for (deps, on_metadata) in [(&unit.after_metadata, true), (&unit.after_end, false)] {
            for &d in deps {
                if d >= n {
                    return Err(ScheduleError::Unknown(d));
                }
                dependents[d].push((u, on_metadata));
                waits[u] += 1;
            }
        }
    }
    // Topological order (Kahn), then paths from the sinks back.
    let mut order: Vec<usize> = (0..n).filter(|&u| waits[u] == 0).collect();
    let mut i = 0;
    while i < order.len() {
        for &(v, _) in &dependents[order[i]] {
            waits[v] -= 1;
            if waits[v] == 0 {
                order.push(v);
            }
        }
        i += 1;
    }
    if order.len() < n {
        return Err(ScheduleError::Cycle);
    }
    let mut path = vec![0.0; n];
    for &u in order.iter().rev() {
        let after = dependents[u]
            .iter()
            .map(|&(v, on_metadata)| if on_metadata { units[u].metadata } else { units[u].cost } + path[v])
            .fold(units[u].cost, f64::max);
        path[u] = after;
    }
    Ok(path)
}

/// Schedules `units` on `cores` cores.
pub fn schedule(units: &[Unit], cores: usize) -> Result<Schedule, ScheduleError> {
    if cores == 0 {
        return Err(ScheduleError::NoCores);
    }
    let n = units.len();
    let priority = remaining_paths(units)?;
    let mut slots: Vec<Option<Slot>> = vec![None; n];
    let mut running: Vec<usize> = Vec::new();
    let mut now = 0.0_f64;
    // When a unit's waits are all met, given the slots so far (None: some wait not yet known).
    let released = |u: usize, slots: &[Option<Slot>]| -> Option<f64> {
        let mut at = 0.0_f64;
        for &d in &units[u].after_metadata {
            at = at.max(slots[d]?.metadata);
        }
        for &d in &units[u].after_end {
            at = at.max(slots[d]?.end);
        }
        Some(at)
    };
    let mut started = 0;
    while started < n {
        running.retain(|&u| slots[u].is_some_and(|s| s.end > now + EPSILON));
        let mut ready: Vec<usize> = (0..n)
            .filter(|&u| slots[u].is_none())
            .filter(|&u| released(u, &slots).is_some_and(|at| at <= now + EPSILON))
            .collect();
        ready.sort_by(|&a, &b| priority[b].total_cmp(&priority[a]).then(a.cmp(&b)));
        for u in ready.into_iter().take(cores.saturating_sub(running.len())) {
            let unit = &units[u];
            slots[u] =
                Some(Slot { start: now, metadata: now + unit.metadata.min(unit.cost), end: now + unit.cost });
            running.push(u);
            started += 1;
        }
        if started == n {
            break;
        }
        // The next moment something changes: a running unit ends or its metadata comes out.
        let next = running
            .iter()
            .filter_map(|&u| slots[u])
            .flat_map(|s| [s.metadata, s.end])
            .filter(|&t| t > now + EPSILON)
            .fold(f64::INFINITY, f64::min);
        if !next.is_finite() {
            // Nothing running and nothing ready: only possible for zero-cost chains, which the
            // loop above starts at once; guard against a float corner all the same.
            return Err(ScheduleError::Cycle);
        }
        now = next;
    }
    let slots: Vec<Slot> = slots.into_iter().map(|s| s.expect("every unit started")).collect();
    let wall = slots.iter().map(|s| s.end).fold(0.0, f64::max);
    let mut critical = vec![false; n];
    let mut at = slots
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.end.total_cmp(&b.1.end).then(b.0.cmp(&a.0)))
        .map(|(u, _)| u);
    while let Some(u) = at {
        critical[u] = true;
        let start = slots[u].start;
        let binding = |deps: &[usize], time: &dyn Fn(&Slot) -> f64| {
            deps.iter().copied().find(|&d| (time(&slots[d]) - start).abs() <= EPSILON)
        };
        at = binding(&units[u].after_end, &|s| s.end)
            .or_else(|| binding(&units[u].after_metadata, &|s| s.metadata))
            .filter(|&d| !critical[d]);
    }
    Ok(Schedule { slots, wall, critical })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(cost: f64, metadata: f64, after_metadata: &[usize], after_end: &[usize]) -> Unit {
        Unit { cost, metadata, after_metadata: after_metadata.to_vec(), after_end: after_end.to_vec() }
    }

    /// The same policy stepped one time unit at a time over integer costs: at every tick, end
    /// what ends, then start the ready units by priority while cores are free.
    fn brute_force(units: &[Unit], cores: usize) -> f64 {
        let priority = remaining_paths(units).unwrap();
        let n = units.len();
        let mut start: Vec<Option<u64>> = vec![None; n];
        let cost = |u: usize| units[u].cost as u64;
        let meta = |u: usize| units[u].metadata as u64;
        let mut t = 0u64;
        loop {
            let done_meta = |d: usize, start: &[Option<u64>]| start[d].is_some_and(|s| s + meta(d) <= t);
            let done_end = |d: usize, start: &[Option<u64>]| start[d].is_some_and(|s| s + cost(d) <= t);
            let busy = (0..n).filter(|&u| start[u].is_some_and(|s| s + cost(u) > t)).count();
            let mut ready: Vec<usize> = (0..n)
                .filter(|&u| start[u].is_none())
                .filter(|&u| units[u].after_metadata.iter().all(|&d| done_meta(d, &start)))
                .filter(|&u| units[u].after_end.iter().all(|&d| done_end(d, &start)))
                .collect();
            ready.sort_by(|&a, &b| priority[b].total_cmp(&priority[a]).then(a.cmp(&b)));
            for u in ready.into_iter().take(cores.saturating_sub(busy)) {
                start[u] = Some(t);
            }
            if start.iter().all(Option::is_some) {
                return (0..n).map(|u| start[u].unwrap() + cost(u)).max().unwrap_or(0) as f64;
            }
            t += 1;
        }
    }

    /// A random DAG of `n` units with integer costs (edges only from later to earlier units).
    fn random_units(rng: &mut fastrand::Rng, n: usize) -> Vec<Unit> {
        (0..n)
            .map(|u| {
                let cost = rng.u32(1..20) as f64;
                let metadata = rng.u32(1..=cost as u32) as f64;
                let (mut after_metadata, mut after_end) = (Vec::new(), Vec::new());
                for d in 0..u {
                    match rng.u8(0..6) {
                        0 => after_metadata.push(d),
                        1 => after_end.push(d),
                        _ => {}
                    }
                }
                Unit { cost, metadata, after_metadata, after_end }
            })
            .collect()
    }

    #[test]
    fn agrees_with_a_tick_by_tick_simulation_on_random_dags() {
        let mut rng = fastrand::Rng::with_seed(19);
        for case in 0..400 {
            let n = rng.usize(1..9);
            let units = random_units(&mut rng, n);
            let cores = rng.usize(1..5);
            let s = schedule(&units, cores).unwrap();
            assert_eq!(s.wall, brute_force(&units, cores), "case {case}: {units:?} on {cores} cores");
            // Every wait holds and no more units than cores run at once.
            for (u, unit) in units.iter().enumerate() {
                let slot = s.slots[u];
                assert!(unit.after_metadata.iter().all(|&d| s.slots[d].metadata <= slot.start + EPSILON));
                assert!(unit.after_end.iter().all(|&d| s.slots[d].end <= slot.start + EPSILON));
                let overlapping = s
                    .slots
                    .iter()
                    .filter(|o| o.start <= slot.start + EPSILON && o.end > slot.start + EPSILON);
                assert!(overlapping.count() <= cores, "case {case}");
            }
        }
    }

    #[test]
    fn enough_cores_give_the_longest_path_and_one_core_the_sum() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..200 {
            let n = rng.usize(1..8);
            let units = random_units(&mut rng, n);
            let longest = remaining_paths(&units).unwrap().into_iter().fold(0.0, f64::max);
            assert_eq!(schedule(&units, units.len()).unwrap().wall, longest);
            let sum: f64 = units.iter().map(|u| u.cost).sum();
            assert_eq!(schedule(&units, 1).unwrap().wall, sum);
        }
    }

    #[test]
    fn pipelining_lets_a_dependent_start_at_the_metadata() {
        // b uses a's metadata; t (a test binary) links a.
        let units = [unit(10.0, 4.0, &[], &[]), unit(5.0, 2.0, &[0], &[]), unit(3.0, 3.0, &[], &[0])];
        let s = schedule(&units, 2).unwrap();
        assert_eq!((s.slots[1].start, s.slots[2].start, s.wall), (4.0, 10.0, 13.0));
        assert_eq!(s.critical, vec![true, false, true]);
        // On one core the dependents wait for a's core.
        assert_eq!(schedule(&units, 1).unwrap().wall, 18.0);
    }

    #[test]
    fn bad_input_is_an_error() {
        let cycle = [unit(1.0, 1.0, &[1], &[]), unit(1.0, 1.0, &[], &[0])];
        assert_eq!(schedule(&cycle, 2).unwrap_err(), ScheduleError::Cycle);
        assert_eq!(schedule(&[unit(1.0, 1.0, &[3], &[])], 2).unwrap_err(), ScheduleError::Unknown(3));
        assert_eq!(schedule(&[], 0).unwrap_err(), ScheduleError::NoCores);
        assert_eq!(schedule(&[], 2).unwrap().wall, 0.0);
    }
}
