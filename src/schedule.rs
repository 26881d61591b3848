//! The wall time of a clean build on N cores: compiled units over a DAG with cargo's
//! pipelining, sharing the cores as rustc and cargo's jobserver share them.
//!
//! A unit (one rustc run) may wait for another's *metadata* (a library depending on a library
//! starts once the dependency's `.rmeta` is out) or for its *end* (a test binary links its
//! dependencies' `.rlib`s). While cores are free, the ready unit that the most units wait for,
//! directly or not, starts first, as cargo ranks its queue when every unit costs the same (ties:
//! the unit given first; `clean_build` gives libraries first, which is what cargo started first
//! in the recorded builds); at most `cores` units run at once.
//!
//! A unit is two phases of work, in seconds of one thread: the *frontend* (parsing, type
//! checking; one thread, its end is when the metadata is out) and the *codegen* (up to
//! [`Unit::threads`] threads). Every running unit holds one thread; the cores no unit holds go,
//! one at a time in priority order, to units in codegen.
//!
//! Two things keep `t` threads from doing `t` times the work, and they are told apart because
//! they act differently when units run side by side:
//! - the machine: `k` busy threads get through [`Machine::throughput`]`(k)` seconds of
//!   one-thread work per second (on a 2-core machine whose cores are two hyperthreads of one
//!   physical core, about 1.5, not 2), whoever runs them;
//! - the unit: rustc's codegen does not split evenly over its threads, so a unit's codegen on
//!   all its threads runs [`Unit::speedup`] times its one-thread rate on ideal cores, however
//!   idle the rest of the machine is.
//!
//! With one thread per unit and `throughput(k) = k` this is the plain list schedule.
//!
//! Owns: the simulation and the critical path. Pure: units in, times out.
//! Must not: know about crates, recordings or profiles.

/// One unit to schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// One-thread seconds until its metadata is ready (the whole unit for units nothing
    /// pipelines on may be frontend or codegen alike).
    pub frontend: f64,
    /// One-thread seconds after the metadata.
    pub codegen: f64,
    /// How many threads its codegen may use (at least 1).
    pub threads: usize,
    /// Its codegen's rate on all `threads` threads of ideal cores, in one-thread work per
    /// second (between 1 and `threads`); with fewer threads, linearly between.
    pub speedup: f64,
    /// Units whose metadata it waits for.
    pub after_metadata: Vec<usize>,
    /// Units whose end it waits for.
    pub after_end: Vec<usize>,
}

impl Unit {
    /// All its work, in one-thread seconds (its duration on one core).
    pub fn work(&self) -> f64 {
        self.frontend + self.codegen
    }

    /// Its rate on `t` threads of ideal cores, relative to one thread.
    fn rate_on(&self, t: usize) -> f64 {
        let max = self.threads.max(1);
        if t <= 1 || max == 1 {
            return 1.0;
        }
        let speedup = self.speedup.clamp(1.0, max as f64);
        1.0 + (t.min(max) - 1) as f64 * (speedup - 1.0) / (max - 1) as f64
    }
}

/// The cores the units share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Machine {
    pub cores: usize,
    /// One-thread work done per second with every core busy (`cores` for ideal cores; less
    /// where cores share a physical core or memory bandwidth). Between one busy thread and
    /// `cores`, the throughput grows linearly.
    pub full_throughput: f64,
}

impl Machine {
    /// Cores that each do a thread's work, whatever the others do.
    pub fn ideal(cores: usize) -> Machine {
        Machine { cores, full_throughput: cores as f64 }
    }

    /// One-thread work per second with `k` threads busy.
    pub fn throughput(&self, k: usize) -> f64 {
        match (k, self.cores) {
            (0, _) => 0.0,
            (_, 1) => 1.0,
            (k, n) => {
                let k = k.min(n) as f64;
                1.0 + (k - 1.0) * (self.full_throughput - 1.0) / (n as f64 - 1.0)
            }
        }
    }
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
    #[error("a schedule needs at least one core with some throughput")]
    NoCores,
}

/// Times and work equal to within this are equal (sums of float costs).
const EPSILON: f64 = 1e-9;

/// The units in an order where each comes after what it waits for, and each one's dependents
/// (`true`: waiting for its metadata).
type Order = (Vec<usize>, Vec<Vec<(usize, bool)>>);

fn topological(units: &[Unit]) -> Result<Order, ScheduleError> {
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
    // Kahn's algorithm.
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
    Ok((order, dependents))
}

/// Each unit's rank in cargo's queue: how many units wait for it, directly or not.
fn priorities(units: &[Unit]) -> Result<Vec<f64>, ScheduleError> {
    let (order, dependents) = topological(units)?;
    let n = units.len();
    // Units are few (a crate's parts, twice): a set of waiting units per unit.
    let mut waiting: Vec<Vec<bool>> = vec![Vec::new(); n];
    for &u in order.iter().rev() {
        let mut set = vec![false; n];
        for &(v, _) in &dependents[u] {
            set[v] = true;
            for (s, w) in set.iter_mut().zip(&waiting[v]) {
                *s |= *w;
            }
        }
        waiting[u] = set;
    }
    Ok(waiting.iter().map(|w| w.iter().filter(|&&x| x).count() as f64).collect())
}

/// Threads per running unit (`running` in priority order, `in_codegen` whether each is past
/// its frontend): one each, the rest of the cores one at a time to units in codegen.
fn threads(units: &[Unit], running: &[usize], in_codegen: &[bool], cores: usize) -> Vec<usize> {
    let mut threads = vec![1usize; running.len()];
    let mut spare = cores.saturating_sub(running.len());
    while spare > 0 {
        let before = spare;
        for (i, &u) in running.iter().enumerate() {
            if spare > 0 && in_codegen[i] && threads[i] < units[u].threads.max(1) {
                threads[i] += 1;
                spare -= 1;
            }
        }
        if spare == before {
            break;
        }
    }
    threads
}

/// Schedules `units` on `machine`.
pub fn schedule(units: &[Unit], machine: Machine) -> Result<Schedule, ScheduleError> {
    if machine.cores == 0 || machine.full_throughput <= 0.0 {
        return Err(ScheduleError::NoCores);
    }
    let n = units.len();
    let priority = priorities(units)?;
    let by_priority = |a: &usize, b: &usize| priority[*b].total_cmp(&priority[*a]).then(a.cmp(b));
    let mut start: Vec<Option<f64>> = vec![None; n];
    let mut metadata: Vec<Option<f64>> = vec![None; n];
    let mut end: Vec<Option<f64>> = vec![None; n];
    let mut left: Vec<(f64, f64)> = units.iter().map(|u| (u.frontend.max(0.0), u.codegen.max(0.0))).collect();
    let mut running: Vec<usize> = Vec::new();
    let mut now = 0.0_f64;
    let mut ended = 0;
    while ended < n {
        // Phases with no work left end now (a zero-cost unit ends as it starts).
        let mut changed = true;
        while changed {
            changed = false;
            for &u in &running {
                if metadata[u].is_none() && left[u].0 <= EPSILON {
                    metadata[u] = Some(now);
                    changed = true;
                }
                if metadata[u].is_some() && end[u].is_none() && left[u].1 <= EPSILON {
                    end[u] = Some(now);
                    ended += 1;
                    changed = true;
                }
            }
            running.retain(|&u| end[u].is_none());
            let mut ready: Vec<usize> = (0..n)
                .filter(|&u| start[u].is_none())
                .filter(|&u| units[u].after_metadata.iter().all(|&d| metadata[d].is_some()))
                .filter(|&u| units[u].after_end.iter().all(|&d| end[d].is_some()))
                .collect();
            ready.sort_by(by_priority);
            for u in ready.into_iter().take(machine.cores.saturating_sub(running.len())) {
                start[u] = Some(now);
                running.push(u);
                changed = true;
            }
        }
        if ended == n {
            break;
        }
        if running.is_empty() {
            return Err(ScheduleError::Cycle);
        }
        running.sort_by(by_priority);
        let in_codegen: Vec<bool> = running.iter().map(|&u| metadata[u].is_some()).collect();
        let threads = threads(units, &running, &in_codegen, machine.cores);
        let busy: usize = threads.iter().sum();
        let per_thread = machine.throughput(busy) / busy as f64;
        let rates: Vec<f64> =
            running.iter().zip(&threads).map(|(&u, &t)| units[u].rate_on(t) * per_thread).collect();
        // Until the next phase ends.
        let step = running
            .iter()
            .zip(&in_codegen)
            .zip(&rates)
            .map(|((&u, &cg), &rate)| if cg { left[u].1 } else { left[u].0 } / rate)
            .fold(f64::INFINITY, f64::min);
        for ((&u, &cg), &rate) in running.iter().zip(&in_codegen).zip(&rates) {
            let phase = if cg { &mut left[u].1 } else { &mut left[u].0 };
            *phase -= rate * step;
        }
        now += step;
    }
    let slots: Vec<Slot> = (0..n)
        .map(|u| Slot {
            start: start[u].expect("every unit started"),
            metadata: metadata[u].expect("every unit's metadata"),
            end: end[u].expect("every unit ended"),
        })
        .collect();
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
            deps.iter().copied().find(|&d| (time(&slots[d]) - start).abs() <= 1e-6)
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

    /// Each unit's longest path to the end of the build in one-thread work, itself included.
    fn remaining_paths(units: &[Unit]) -> Result<Vec<f64>, ScheduleError> {
        let (order, dependents) = topological(units)?;
        let n = units.len();
        let mut path = vec![0.0; n];
        for &u in order.iter().rev() {
            let after = dependents[u]
                .iter()
                .map(|&(v, on_metadata)| if on_metadata { units[u].frontend } else { units[u].work() } + path[v])
                .fold(units[u].work(), f64::max);
            path[u] = after;
        }
        Ok(path)
    }

    fn unit(cost: f64, metadata: f64, after_metadata: &[usize], after_end: &[usize]) -> Unit {
        Unit {
            frontend: metadata,
            codegen: cost - metadata,
            threads: 1,
            speedup: 1.0,
            after_metadata: after_metadata.to_vec(),
            after_end: after_end.to_vec(),
        }
    }

    /// The plain list schedule stepped one time unit at a time over integer costs: at every
    /// tick, end what ends, then start the ready units by priority while cores are free.
    fn list_brute_force(units: &[Unit], cores: usize) -> f64 {
        let priority = priorities(units).unwrap();
        let n = units.len();
        let mut start: Vec<Option<u64>> = vec![None; n];
        let cost = |u: usize| units[u].work() as u64;
        let meta = |u: usize| units[u].frontend as u64;
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

    /// The shared-core policy stepped in small time steps: every step, start the ready units by
    /// priority while fewer than `cores` run, share the threads, and take `dt` of work off each
    /// running unit's phase. Returns the wall time (within a few `dt` of the exact one).
    fn shared_brute_force(units: &[Unit], machine: Machine, dt: f64) -> f64 {
        let priority = priorities(units).unwrap();
        let n = units.len();
        let mut left: Vec<(f64, f64)> = units.iter().map(|u| (u.frontend, u.codegen)).collect();
        let mut started = vec![false; n];
        let mut t = 0.0;
        let meta_done = |left: &[(f64, f64)], started: &[bool], d: usize| started[d] && left[d].0 <= 1e-12;
        let done = |left: &[(f64, f64)], started: &[bool], d: usize| {
            started[d] && left[d].0 <= 1e-12 && left[d].1 <= 1e-12
        };
        loop {
            let mut running: Vec<usize> =
                (0..n).filter(|&u| started[u] && !done(&left, &started, u)).collect();
            let mut ready: Vec<usize> = (0..n)
                .filter(|&u| !started[u])
                .filter(|&u| units[u].after_metadata.iter().all(|&d| meta_done(&left, &started, d)))
                .filter(|&u| units[u].after_end.iter().all(|&d| done(&left, &started, d)))
                .collect();
            ready.sort_by(|&a, &b| priority[b].total_cmp(&priority[a]).then(a.cmp(&b)));
            for u in ready.into_iter().take(machine.cores.saturating_sub(running.len())) {
                started[u] = true;
                running.push(u);
            }
            if running.is_empty() {
                return t;
            }
            running.sort_by(|&a, &b| priority[b].total_cmp(&priority[a]).then(a.cmp(&b)));
            let in_codegen: Vec<bool> = running.iter().map(|&u| left[u].0 <= 1e-12).collect();
            let threads = threads(units, &running, &in_codegen, machine.cores);
            let busy: usize = threads.iter().sum();
            let per_thread = machine.throughput(busy) / busy as f64;
            for (i, &u) in running.iter().enumerate() {
                let phase = if in_codegen[i] { &mut left[u].1 } else { &mut left[u].0 };
                *phase = (*phase - units[u].rate_on(threads[i]) * per_thread * dt).max(0.0);
            }
            t += dt;
        }
    }

    /// A random DAG of `n` units with integer costs (edges only from later to earlier units).
    fn random_units(rng: &mut fastrand::Rng, n: usize, max_threads: usize) -> Vec<Unit> {
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
                let threads = rng.usize(1..=max_threads);
                Unit {
                    frontend: metadata,
                    codegen: cost - metadata,
                    threads,
                    speedup: 1.0 + (threads - 1) as f64 * rng.f64(),
                    after_metadata,
                    after_end,
                }
            })
            .collect()
    }

    #[test]
    fn one_thread_per_unit_on_ideal_cores_is_the_list_schedule() {
        let mut rng = fastrand::Rng::with_seed(19);
        for case in 0..400 {
            let n = rng.usize(1..9);
            let units = random_units(&mut rng, n, 1);
            let cores = rng.usize(1..5);
            let s = schedule(&units, Machine::ideal(cores)).unwrap();
            assert!(
                (s.wall - list_brute_force(&units, cores)).abs() < 1e-6,
                "case {case}: {units:?} on {cores} cores"
            );
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
    fn shared_cores_agree_with_a_small_step_simulation_on_random_dags() {
        let mut rng = fastrand::Rng::with_seed(23);
        for case in 0..150 {
            let n = rng.usize(1..7);
            let cores = rng.usize(1..5);
            // Costs off the integers: phases that end together in exact arithmetic could end a
            // step apart in the stepped run and start different units.
            let units: Vec<Unit> = random_units(&mut rng, n, cores)
                .into_iter()
                .map(|u| Unit {
                    frontend: u.frontend * (1.0 + 0.1 * rng.f64()),
                    codegen: u.codegen * (1.0 + 0.1 * rng.f64()),
                    ..u
                })
                .collect();
            let machine = Machine { cores, full_throughput: 1.0 + (cores as f64 - 1.0) * rng.f64() };
            let exact = schedule(&units, machine).unwrap().wall;
            let stepped = shared_brute_force(&units, machine, 0.001);
            // The stepped run overshoots each phase end by under a step.
            assert!(
                (exact - stepped).abs() < 0.004 * (2 * n + 1) as f64,
                "case {case}: {exact} vs {stepped}"
            );
        }
    }

    #[test]
    fn enough_cores_give_the_longest_path_and_one_core_the_sum() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..200 {
            let n = rng.usize(1..8);
            let units = random_units(&mut rng, n, 1);
            let longest = remaining_paths(&units).unwrap().into_iter().fold(0.0, f64::max);
            assert!((schedule(&units, Machine::ideal(n)).unwrap().wall - longest).abs() < 1e-9);
            let sum: f64 = units.iter().map(Unit::work).sum();
            // One core: every unit's work in a row, whatever its threads.
            let threaded = random_units(&mut fastrand::Rng::with_seed(n as u64), n, 4);
            let threaded_sum: f64 = threaded.iter().map(Unit::work).sum();
            assert!((schedule(&units, Machine::ideal(1)).unwrap().wall - sum).abs() < 1e-9);
            assert!((schedule(&threaded, Machine::ideal(1)).unwrap().wall - threaded_sum).abs() < 1e-9);
        }
    }

    #[test]
    fn pipelining_lets_a_dependent_start_at_the_metadata() {
        // b uses a's metadata; t (a test binary) links a.
        let units = [unit(10.0, 4.0, &[], &[]), unit(5.0, 2.0, &[0], &[]), unit(3.0, 3.0, &[], &[0])];
        let s = schedule(&units, Machine::ideal(2)).unwrap();
        assert_eq!((s.slots[1].start, s.slots[2].start, s.wall), (4.0, 10.0, 13.0));
        assert_eq!(s.critical, vec![true, false, true]);
        // On one core the dependents wait for a's core.
        assert_eq!(schedule(&units, Machine::ideal(1)).unwrap().wall, 18.0);
    }

    #[test]
    fn a_unit_alone_takes_its_codegen_in_parallel_and_two_share_the_cores() {
        // 1 s of frontend, 3 s of codegen on up to 2 threads; two busy threads do 1.5 s of
        // work per second.
        let machine = Machine { cores: 2, full_throughput: 1.5 };
        let alone = Unit {
            frontend: 1.0,
            codegen: 3.0,
            threads: 2,
            speedup: 2.0,
            after_metadata: vec![],
            after_end: vec![],
        };
        assert!((schedule(std::slice::from_ref(&alone), machine).unwrap().wall - 3.0).abs() < 1e-9);
        // Two at once: each runs on one thread at 0.75; frontends end at 4/3, both end at 16/3.
        let s = schedule(&[alone.clone(), alone], machine).unwrap();
        assert!((s.slots[0].metadata - 4.0 / 3.0).abs() < 1e-9);
        assert!((s.wall - 16.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_unit_that_uses_its_threads_poorly_leaves_the_machine_to_others() {
        // Ideal cores, but the unit's codegen on 2 threads is only 1.5× one: alone, 1 + 3/1.5.
        let lumpy = Unit {
            frontend: 1.0,
            codegen: 3.0,
            threads: 2,
            speedup: 1.5,
            after_metadata: vec![],
            after_end: vec![],
        };
        let machine = Machine::ideal(2);
        assert!((schedule(std::slice::from_ref(&lumpy), machine).unwrap().wall - 3.0).abs() < 1e-9);
        // Beside a one-thread unit of 2 s each runs at full speed on its core; then the lumpy
        // one has 2 s of codegen left, on both threads: 2 + 2/1.5.
        let other = Unit { threads: 1, speedup: 1.0, frontend: 2.0, codegen: 0.0, ..lumpy.clone() };
        let s = schedule(&[lumpy, other], machine).unwrap();
        assert!((s.wall - (2.0 + 2.0 / 1.5)).abs() < 1e-9);
    }

    #[test]
    fn the_unit_others_wait_for_starts_first_as_in_cargo() {
        // One core; a (unit 1, 1 s) has a dependent, b (unit 0, 5 s) none: a first, though b is
        // longer. Then b and a's dependent rank alike: the unit given first, b.
        let units = [unit(5.0, 5.0, &[], &[]), unit(1.0, 1.0, &[], &[]), unit(1.0, 1.0, &[], &[1])];
        let s = schedule(&units, Machine::ideal(1)).unwrap();
        assert_eq!((s.slots[1].start, s.slots[0].start, s.slots[2].start), (0.0, 1.0, 6.0));
        assert_eq!(priorities(&units).unwrap(), [0.0, 1.0, 0.0]);
    }

    #[test]
    fn bad_input_is_an_error() {
        let cycle = [unit(1.0, 1.0, &[1], &[]), unit(1.0, 1.0, &[], &[0])];
        assert_eq!(schedule(&cycle, Machine::ideal(2)).unwrap_err(), ScheduleError::Cycle);
        assert_eq!(
            schedule(&[unit(1.0, 1.0, &[3], &[])], Machine::ideal(2)).unwrap_err(),
            ScheduleError::Unknown(3)
        );
        assert_eq!(schedule(&[], Machine::ideal(0)).unwrap_err(), ScheduleError::NoCores);
        assert_eq!(schedule(&[], Machine::ideal(2)).unwrap().wall, 0.0);
    }
}
