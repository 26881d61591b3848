//! The partition search against a brute-force oracle on random unit graphs: every assignment of
//! units to parts, kept when the parts depend on each other without a cycle, priced by a
//! separately written evaluation of the model. Two parts: the best candidate must be optimal on
//! every case. Three parts: the default search must be optimal; the heuristic alone (exact
//! enumeration switched off) is measured and must stay close. The Pareto frontier may hold no
//! dominated candidate.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use splitcheck::partition::{
    CostModel, CostSource, Model, Profile, SearchOptions, Shape, Unit, UnitGraph, best_partitions,
    pareto_frontier,
};
use std::collections::BTreeMap;

/// A random acyclic unit graph: unit i may use only units j < i, its tests any other unit;
/// a facade on top (the crate root's own items), which `crate_on_top` turns into an ordinary
/// unit of the top part.
fn unit_graph(max_units: usize) -> impl Strategy<Value = UnitGraph> {
    (2..=max_units).prop_flat_map(|n| {
        let unit = (1u32..400, 0u32..300, 0.0f64..1.0, 0.5f64..3.0);
        let edge = (1..n, 0..n, 1u32..20);
        let test_use = (0..n, 0..n);
        (
            proptest::collection::vec(unit, n),
            proptest::collection::vec(edge, 0..(2 * n)),
            proptest::collection::vec(test_use, 0..n),
        )
            .prop_map(|(units, edges, test_uses)| {
                let n = units.len();
                let mut units: Vec<Unit> = units
                    .into_iter()
                    .enumerate()
                    .map(|(i, (src, test, p, r))| Unit {
                        modules: vec![format!("crate::m{i}")],
                        src_lines: f64::from(src),
                        test_lines: f64::from(test),
                        p_edit: p + 0.01,
                        pr_edit: (p + 0.01) * r,
                        p_test_edit: f64::from(test) / 400.0,
                    })
                    .collect();
                let mut merged: BTreeMap<(usize, usize), u32> = BTreeMap::new();
                for (a, b, w) in edges {
                    let b = b % a; // b < a: acyclic
                    *merged.entry((a, b)).or_insert(0) += w;
                }
                let mut edges: Vec<(usize, usize, u32)> =
                    merged.into_iter().map(|((a, b), w)| (a, b, w)).collect();
                units.push(Unit {
                    modules: vec!["crate (facade)".into()],
                    src_lines: 30.0,
                    test_lines: 10.0,
                    p_edit: 0.2,
                    pr_edit: 0.2,
                    p_test_edit: 0.05,
                });
                edges.push((n, n - 1, 1));
                let mut uses = vec![Vec::new(); n + 1];
                for (a, b) in test_uses {
                    if a != b && !uses[a].contains(&b) {
                        uses[a].push(b);
                    }
                }
                UnitGraph {
                    units,
                    edges,
                    facade: Some(n),
                    facade_unit: Some(n),
                    test_uses: uses,
                    shape: Shape::Facade,
                    ..UnitGraph::default()
                }
            })
    })
}

/// Both shapes of a random graph.
fn shapes(graph: &UnitGraph) -> [UnitGraph; 2] {
    [graph.clone(), graph.crate_on_top()]
}

/// A runner with a fixed seed: the rates below are the same on every run.
fn runner(cases: u32) -> TestRunner {
    TestRunner::new_with_rng(
        Config { cases, ..Config::default() },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    )
}

fn cost() -> CostModel {
    CostModel {
        fixed: 0.4,
        per_line: 0.002,
        dep_fixed: 0.2,
        dep_per_line: 0.0007,
        source: CostSource::Flags,
        intervals: None,
        dep_tied: false,
        overhead: 0.05,
    }
}

/// The model, priced from scratch: crates reachable through the crate graph re-run; each
/// unit's tests in its own crate when that crate sees all they use, else in the crate seeing
/// them all with the fewest crates below it; test edits rebuild that crate's test binary.
fn oracle_e(graph: &UnitGraph, model: &Model<'_>, parts: &[usize], k: usize) -> Option<f64> {
    let n = graph.units.len();
    // Crates: the parts, then the facade (index k) when there is one.
    let crates = k + usize::from(graph.facade.is_some());
    let crate_of = |u: usize| if Some(u) == graph.facade { k } else { parts[u] };
    let free: Vec<usize> = (0..n).filter(|u| Some(*u) != graph.facade).collect();
    if free.iter().map(|u| parts[*u]).collect::<std::collections::BTreeSet<_>>().len() != k {
        return None;
    }
    let mut edge = vec![vec![false; crates]; crates];
    for &(a, b, _) in &graph.edges {
        if Some(a) != graph.facade && Some(b) != graph.facade && parts[a] != parts[b] {
            edge[parts[a]][parts[b]] = true;
        }
    }
    if graph.facade.is_some() {
        (0..k).for_each(|p| edge[k][p] = true);
    }
    // Which crates depend on q: depth-first search backwards from q.
    let depends_on = |q: usize| -> Vec<bool> {
        let mut seen = vec![false; crates];
        let mut stack = vec![q];
        while let Some(x) = stack.pop() {
            for a in 0..crates {
                if edge[a][x] && !seen[a] {
                    seen[a] = true;
                    stack.push(a);
                }
            }
        }
        seen
    };
    let above: Vec<Vec<bool>> = (0..crates).map(depends_on).collect();
    if (0..crates).any(|q| above[q][q]) {
        return None; // a cycle through q
    }
    let sees = |a: usize, b: usize| above[b][a];
    let mut lines = vec![0.0; crates];
    let mut home = vec![0; n];
    for u in 0..n {
        let own = crate_of(u);
        let needed: Vec<usize> = graph.test_uses[u].iter().map(|&v| crate_of(v)).collect();
        let sees_all = |d: usize| needed.iter().all(|&x| x == d || sees(d, x));
        home[u] = if sees_all(own) {
            own
        } else {
            (0..crates)
                .filter(|&d| sees_all(d))
                .min_by_key(|&d| ((0..crates).filter(|&b| sees(d, b)).count(), d))
                .unwrap()
        };
        lines[own] += model.lines[u] - model.test_lines[u];
        lines[home[u]] += model.test_lines[u];
    }
    let mut e = 0.0;
    for u in 0..n {
        let own = crate_of(u);
        // Crates above re-run in the same cargo run: cargo's own part is paid once.
        let rerun: f64 = (0..crates)
            .filter(|&a| above[own][a])
            .map(|a| (model.cost.rerun(lines[a]) - model.cost.overhead).max(0.0))
            .sum();
        e += model.pr[u] * model.cost.rebuild(lines[own]) + model.p[u] * rerun;
        e += model.q[u]
            * match model.profile {
                Profile::Test => model.cost.rebuild(lines[home[u]]),
                Profile::Lib => model.cost.overhead,
            };
    }
    Some(e)
}

fn brute_force_min(graph: &UnitGraph, model: &Model<'_>, k: usize) -> Option<f64> {
    let n = graph.units.len();
    let free: Vec<usize> = (0..n).filter(|u| Some(*u) != graph.facade).collect();
    let mut best: Option<f64> = None;
    let total = k.pow(free.len() as u32);
    let mut parts = vec![0usize; n];
    for code in 0..total {
        let mut c = code;
        for &u in &free {
            parts[u] = c % k;
            c /= k;
        }
        if let Some(e) = oracle_e(graph, model, &parts, k) {
            best = Some(best.map_or(e, |b: f64| b.min(e)));
        }
    }
    best
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

#[test]
fn two_parts_are_optimal_on_every_case() {
    let mut runner = runner(64);
    runner
        .run(&unit_graph(12), |graph| {
            for (graph, profile) in
                shapes(&graph).iter().flat_map(|g| [(g, Profile::Lib), (g, Profile::Test)])
            {
                let model = Model::new(graph, cost(), profile);
                let result = best_partitions(&model, &SearchOptions { k: 2, ..SearchOptions::default() });
                let oracle = brute_force_min(graph, &model, 2);
                match (result.candidates.first(), oracle) {
                    (Some(best), Some(min)) => {
                        prop_assert!(close(best.expected_rebuild, min), "{} vs {min}", best.expected_rebuild);
                        prop_assert!(result.exact);
                        let priced = oracle_e(graph, &model, &best.parts, 2).unwrap();
                        prop_assert!(close(priced, best.expected_rebuild));
                    }
                    (None, None) => {}
                    (found, oracle) => prop_assert!(
                        false,
                        "search {:?} vs oracle {oracle:?}",
                        found.map(|c| c.expected_rebuild)
                    ),
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn two_parts_up_to_twenty_modules() {
    let mut runner = runner(4);
    runner
        .run(&unit_graph(20).prop_filter("large", |g| g.units.len() >= 18), |graph| {
            for graph in shapes(&graph) {
                let model = Model::new(&graph, cost(), Profile::Test);
                let result = best_partitions(&model, &SearchOptions { k: 2, ..SearchOptions::default() });
                let min = brute_force_min(&graph, &model, 2).unwrap();
                prop_assert!(close(result.candidates[0].expected_rebuild, min));
            }
            Ok(())
        })
        .unwrap();
}

/// Runs the k-part search (optionally without exact enumeration) on random graphs of up to 9
/// units: how often its best is optimal, and the worst relative gap.
fn part_stats(k: usize, exact_limit: u64, cases: u32) -> (u32, u32, f64) {
    let mut runner = runner(cases);
    let stats = std::cell::RefCell::new((0u32, 0u32, 0.0f64));
    runner
        .run(&unit_graph(9).prop_flat_map(|g| (Just(g), any::<bool>())), |(graph, top)| {
            let graph = if top { graph.crate_on_top() } else { graph };
            let model = Model::new(&graph, cost(), Profile::Test);
            let Some(min) = brute_force_min(&graph, &model, k) else { return Ok(()) };
            let result = best_partitions(&model, &SearchOptions { k, exact_limit });
            let mut s = stats.borrow_mut();
            s.0 += 1;
            if let Some(best) = result.candidates.first() {
                let priced = oracle_e(&graph, &model, &best.parts, k).unwrap();
                prop_assert!(close(priced, best.expected_rebuild));
                if close(best.expected_rebuild, min) {
                    s.1 += 1;
                }
                let gap = (best.expected_rebuild - min) / min;
                if gap > 0.02 && std::env::var_os("ORACLE_DEBUG").is_some() {
                    eprintln!(
                        "GAP {gap}: units {:?}\nedges {:?} facade {:?}\nfound {:?}",
                        graph
                            .units
                            .iter()
                            .map(|u| (u.src_lines, u.test_lines, u.p_edit, u.pr_edit))
                            .collect::<Vec<_>>(),
                        graph.edges,
                        graph.facade,
                        best.parts
                    );
                }
                s.2 = s.2.max(gap);
            } else {
                s.2 = f64::INFINITY;
            }
            Ok(())
        })
        .unwrap();
    stats.into_inner()
}

#[test]
fn three_parts_default_search_is_optimal() {
    let (cases, optimal, worst) = part_stats(3, SearchOptions::default().exact_limit, 48);
    println!("k=3, default search: {optimal}/{cases} optimal, worst gap {:.3}%", worst * 100.0);
    assert_eq!(optimal, cases);
}

/// The search with exact enumeration switched off (min-cut, beam, local moves, exact polish)
/// on 400 random graphs: optimal in at least 95% of cases, never more than 2% off.
fn heuristic_alone_stays_close(k: usize) {
    let (cases, optimal, worst) = part_stats(k, 0, 400);
    let rate = f64::from(optimal) / f64::from(cases.max(1));
    println!(
        "k={k}, min-cut + local search alone: {optimal}/{cases} optimal ({:.1}%), worst gap {:.2}%",
        rate * 100.0,
        worst * 100.0
    );
    assert!(rate >= 0.95, "optimal in {:.1}% of cases", rate * 100.0);
    assert!(worst <= 0.02, "worst gap {:.2}%", worst * 100.0);
}

#[test]
fn three_parts_heuristic_alone_stays_close() {
    heuristic_alone_stays_close(3);
}

#[test]
fn two_parts_min_cut_alone_stays_close() {
    heuristic_alone_stays_close(2);
}

#[test]
fn pareto_frontier_holds_no_dominated_candidate() {
    let mut runner = runner(32);
    runner
        .run(&unit_graph(10), |graph| {
            let model = Model::new(&graph, cost(), Profile::Test);
            let result = best_partitions(&model, &SearchOptions { k: 2, ..SearchOptions::default() });
            let frontier = pareto_frontier(&result.candidates);
            for &i in &frontier {
                let c = &result.candidates[i];
                for o in &result.candidates {
                    let dominates = o.expected_rebuild <= c.expected_rebuild
                        && o.crossing_weight <= c.crossing_weight
                        && (o.expected_rebuild < c.expected_rebuild || o.crossing_weight < c.crossing_weight);
                    prop_assert!(!dominates);
                }
            }
            // And every candidate off the frontier is dominated by one on it (or equal to one).
            for (i, c) in result.candidates.iter().enumerate() {
                if frontier.contains(&i) {
                    continue;
                }
                let covered = frontier.iter().any(|&j| {
                    let o = &result.candidates[j];
                    o.expected_rebuild <= c.expected_rebuild && o.crossing_weight <= c.crossing_weight
                });
                prop_assert!(covered, "candidate {} is neither on the frontier nor dominated by it", i);
            }
            Ok(())
        })
        .unwrap();
}
