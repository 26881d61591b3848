//! The cost model fitted from recorded rebuild timings: `seconds = fixed + per_line × lines`.
//!
//! Owns: least-squares fits with R² and bootstrap intervals, medians with spread, and the
//! per-module edit-cost factors (measured over predicted). Pure: the recordings come in as data.
//! Must not: run cargo or touch files.

use crate::data::timings::{FitRow, Spread};

/// One measurement: the lines of what was rebuilt and how long it took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub lines: f64,
    pub seconds: f64,
}

/// `seconds = fixed + per_line × lines`, with how well it fits and how sure it is.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearFit {
    pub fixed: f64,
    pub per_line: f64,
    /// Coefficient of determination on the samples (1 = perfect; may be low when lines explain
    /// little of the time, e.g. incremental rebuilds).
    pub r2: f64,
    pub samples: usize,
    /// 95% bootstrap intervals (2.5th and 97.5th percentiles of refits on resampled data).
    pub fixed_interval: (f64, f64),
    pub per_line_interval: (f64, f64),
}

impl LinearFit {
    pub fn predict(&self, lines: f64) -> f64 {
        self.fixed + self.per_line * lines
    }
}

/// Ordinary least squares; `None` with fewer than two distinct line counts.
pub fn least_squares(samples: &[Sample]) -> Option<(f64, f64)> {
    let n = samples.len() as f64;
    if samples.len() < 2 {
        return None;
    }
    let mean_x = samples.iter().map(|s| s.lines).sum::<f64>() / n;
    let mean_y = samples.iter().map(|s| s.seconds).sum::<f64>() / n;
    let sxx: f64 = samples.iter().map(|s| (s.lines - mean_x).powi(2)).sum();
    if sxx <= f64::EPSILON * mean_x.abs().max(1.0) {
        return None;
    }
    let sxy: f64 = samples.iter().map(|s| (s.lines - mean_x) * (s.seconds - mean_y)).sum();
    let per_line = sxy / sxx;
    Some((mean_y - per_line * mean_x, per_line))
}

/// Fewer samples than this fit any line exactly: no R² or interval would mean anything.
pub const MIN_SAMPLES: usize = 3;

/// Fits the samples, with `rounds` bootstrap refits (seeded: the same data gives the same
/// intervals); `None` below [`MIN_SAMPLES`] or with a single size.
pub fn fit(samples: &[Sample], rounds: usize, seed: u64) -> Option<LinearFit> {
    if samples.len() < MIN_SAMPLES {
        return None;
    }
    let (fixed, per_line) = least_squares(samples)?;
    let mean_y = samples.iter().map(|s| s.seconds).sum::<f64>() / samples.len() as f64;
    let ss_tot: f64 = samples.iter().map(|s| (s.seconds - mean_y).powi(2)).sum();
    let ss_res: f64 = samples.iter().map(|s| (s.seconds - fixed - per_line * s.lines).powi(2)).sum();
    let r2 = if ss_tot > 0.0 { 1.0 - ss_res / ss_tot } else { 1.0 };
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut fixeds, mut slopes) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    let mut resample = Vec::with_capacity(samples.len());
    for _ in 0..rounds {
        resample.clear();
        resample.extend((0..samples.len()).map(|_| samples[rng.usize(..samples.len())]));
        if let Some((f, p)) = least_squares(&resample) {
            fixeds.push(f);
            slopes.push(p);
        }
    }
    let interval = |mut v: Vec<f64>, point: f64| -> (f64, f64) {
        if v.is_empty() {
            return (point, point);
        }
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        (at(0.025), at(0.975))
    };
    Some(LinearFit {
        fixed,
        per_line,
        r2,
        samples: samples.len(),
        fixed_interval: interval(fixeds, fixed),
        per_line_interval: interval(slopes, per_line),
    })
}

pub fn spread(values: &[f64]) -> Option<Spread> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 };
    Some(Spread { median, min: v[0], max: v[n - 1] })
}

/// A module's edit-cost factor `r_m`: its measured rebuild time over what the fit predicts for
/// a crate of the same lines (1 = as its size says; a widely used IR is often above 1).
pub fn edit_factor(fit: &LinearFit, sample: Sample) -> f64 {
    let predicted = fit.predict(sample.lines);
    if predicted > 0.0 { sample.seconds / predicted } else { 1.0 }
}

impl LinearFit {
    /// The fit as a recording stores it. (A method, not a `From` impl for the data type: an impl
    /// of `data`'s type here would tie the two modules into one for the partition.)
    pub fn row(&self) -> FitRow {
        FitRow {
            fixed_s: self.fixed,
            per_line_s: self.per_line,
            r2: self.r2,
            samples: self.samples,
            fixed_interval_s: self.fixed_interval,
            per_line_interval_s: self.per_line_interval,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fixed: f64, per_line: f64, xs: &[f64]) -> Vec<Sample> {
        xs.iter().map(|&x| Sample { lines: x, seconds: fixed + per_line * x }).collect()
    }

    #[test]
    fn exact_data_is_fitted_exactly() {
        let f = fit(&line(0.4, 0.002, &[100.0, 500.0, 2000.0, 8000.0]), 200, 7).unwrap();
        assert!((f.fixed - 0.4).abs() < 1e-9 && (f.per_line - 0.002).abs() < 1e-12);
        assert!((f.r2 - 1.0).abs() < 1e-12);
        assert!((f.fixed_interval.0 - 0.4).abs() < 1e-9 && (f.fixed_interval.1 - 0.4).abs() < 1e-9);
    }

    #[test]
    fn noisy_data_gets_an_interval_around_the_truth() {
        let mut samples = line(0.5, 0.001, &[100.0, 300.0, 900.0, 2700.0, 8100.0, 500.0, 4000.0, 6000.0]);
        let noise = [0.05, -0.04, 0.03, -0.06, 0.02, -0.01, 0.04, -0.03];
        samples.iter_mut().zip(noise).for_each(|(s, n)| s.seconds += n);
        let f = fit(&samples, 500, 1).unwrap();
        assert!(f.r2 > 0.99 && f.r2 < 1.0, "{}", f.r2);
        assert!(f.per_line_interval.0 <= f.per_line && f.per_line <= f.per_line_interval.1);
        assert!(f.per_line_interval.0 < 0.001 && 0.001 < f.per_line_interval.1);
        // Seeded: the same intervals every time.
        assert_eq!(fit(&samples, 500, 1).unwrap(), f);
    }

    #[test]
    fn one_size_or_two_points_cannot_be_fitted() {
        assert!(fit(&line(0.4, 0.002, &[100.0, 100.0, 100.0]), 10, 1).is_none());
        assert!(fit(&line(0.4, 0.002, &[100.0, 900.0]), 10, 1).is_none());
        assert!(fit(&[], 10, 1).is_none());
    }

    #[test]
    fn spread_and_edit_factor() {
        let s = spread(&[0.9, 0.3, 0.5, 0.4]).unwrap();
        assert_eq!((s.median, s.min, s.max), (0.45, 0.3, 0.9));
        let f = fit(&line(0.0, 0.001, &[1000.0, 2000.0, 3000.0]), 10, 1).unwrap();
        assert!((edit_factor(&f, Sample { lines: 1000.0, seconds: 2.0 }) - 2.0).abs() < 1e-9);
    }
}
