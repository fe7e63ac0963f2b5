//! The hidden `--timings` flag of `residue check`: where the time of a run went,
//! per stage and per rule, summed over all files, printed to standard error as a
//! table sorted by cost.

use residue::{RuleSet, Timings};
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// Time per stage, for one file or summed over many.
#[derive(Default)]
pub struct StageTimes {
    pub files: usize,
    pub bytes: u64,
    /// Reading files on the workers; files the prefetch threads read (see
    /// `ordered`) cost nothing here.
    pub read: Duration,
    pub decode: Duration,
    /// The whole check of the text: markup, the engine and suppression comments.
    pub lint: Duration,
    /// The engine's part of `lint`: the document model, each rule, sorting.
    pub engine: Timings,
    /// With --fix or --diff, the fix loop, its checks (`lint`) included.
    pub fix: Duration,
    /// Rendering the findings in the output format.
    pub emit: Duration,
    /// Each file from reading it to its outcome: the stages above and the rest
    /// (paths, configuration, baseline, counting).
    pub file: Duration,
}

#[derive(Clone, Copy)]
pub enum Stage {
    Read,
    Decode,
    Fix,
    Emit,
}

impl StageTimes {
    pub fn add(&mut self, other: &StageTimes) {
        self.files += other.files;
        self.bytes += other.bytes;
        self.read += other.read;
        self.decode += other.decode;
        self.lint += other.lint;
        self.engine.add(&other.engine);
        self.fix += other.fix;
        self.emit += other.emit;
        self.file += other.file;
    }

    fn slot(&mut self, stage: Stage) -> &mut Duration {
        match stage {
            Stage::Read => &mut self.read,
            Stage::Decode => &mut self.decode,
            Stage::Fix => &mut self.fix,
            Stage::Emit => &mut self.emit,
        }
    }
}

/// Runs `f`, adding its time to `stage` when timing.
pub fn time<T>(times: Option<&RefCell<StageTimes>>, stage: Stage, f: impl FnOnce() -> T) -> T {
    let Some(times) = times else {
        return f();
    };
    let start = Instant::now();
    let out = f();
    *times.borrow_mut().slot(stage) += start.elapsed();
    out
}

/// The costs of a whole run, beside those of its files.
pub struct RunTimes {
    pub files: StageTimes,
    /// Loading and compiling the rules.
    pub rules: Duration,
    /// Finding the files (wall time; the walk is parallel).
    pub walk: Duration,
    /// Writing the rendered output, on the main thread.
    pub write: Duration,
    pub wall: Duration,
    pub threads: usize,
}

impl RunTimes {
    /// The table, most expensive stage first. Stages that run per file are summed
    /// over all files, on whichever thread linted them.
    pub fn table(&self, set: &RuleSet) -> String {
        let f = &self.files;
        let engine_total = f.engine.document + f.engine.finish + f.engine.rules.iter().sum();
        let checking = if f.fix > Duration::ZERO {
            f.fix
        } else {
            f.lint
        };
        let mut rows: Vec<(String, &str, Duration)> = vec![
            ("load rules".into(), "-", self.rules),
            ("walk (wall)".into(), "-", self.walk),
            ("read (by workers)".into(), "-", f.read),
            ("decode".into(), "-", f.decode),
            (
                "markup + suppression".into(),
                "-",
                f.lint.saturating_sub(engine_total),
            ),
            ("document model".into(), "-", f.engine.document),
            ("sort diagnostics".into(), "-", f.engine.finish),
            ("emit (render)".into(), "-", f.emit),
            ("write output".into(), "-", self.write),
            (
                "other per file".into(),
                "-",
                f.file.saturating_sub(f.read + f.decode + checking + f.emit),
            ),
        ];
        if f.fix > Duration::ZERO {
            rows.push(("apply fixes".into(), "-", f.fix.saturating_sub(f.lint)));
        }
        for (rule, &d) in set.rules.iter().zip(&f.engine.rules) {
            rows.push((format!("rule: {}", rule.kind), &*rule.id, d));
        }
        rows.sort_by_key(|row| std::cmp::Reverse(row.2));
        let total: Duration = rows.iter().map(|row| row.2).sum();
        let total_secs = total.as_secs_f64().max(1e-9);
        let mb = f.bytes as f64 / 1e6;
        let wall = self.wall.as_secs_f64();
        let mut out = format!(
            "residue: timings: {} file(s), {mb:.1} MB in {wall:.3} s wall on {} thread(s) \
             ({:.1} MB/s); stages summed over threads: {total_secs:.3} s ({:.1} MB/s per thread)\n",
            f.files,
            self.threads,
            mb / wall.max(1e-9),
            mb / total_secs,
        );
        out += &format!(
            "{:<24} {:<28} {:>9} {:>6} {:>10}\n",
            "stage", "rule", "seconds", "share", "MB/s"
        );
        for (stage, rule, d) in rows {
            let secs = d.as_secs_f64();
            // Under a millisecond, a rate means nothing.
            let rate = if secs < 1e-3 {
                "-".to_string()
            } else {
                format!("{:.1}", mb / secs)
            };
            out += &format!(
                "{stage:<24} {rule:<28} {secs:>9.3} {:>5.1}% {rate:>10}\n",
                100.0 * secs / total_secs,
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_by_cost_and_names_the_rules() {
        let set = RuleSet::default_pack().unwrap();
        let ms = Duration::from_millis;
        let mut files = StageTimes {
            files: 2,
            bytes: 2_000_000,
            read: ms(5),
            decode: ms(1),
            lint: ms(100),
            emit: ms(3),
            file: ms(120),
            ..StageTimes::default()
        };
        files.engine.document = ms(20);
        files.engine.rules = vec![Duration::ZERO; set.rules.len()];
        files.engine.rules[1] = ms(60);
        let times = RunTimes {
            files,
            rules: ms(30),
            walk: ms(2),
            write: ms(4),
            wall: ms(200),
            threads: 2,
        };
        let table = times.table(&set);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("residue: timings: 2 file(s), 2.0 MB"));
        assert!(lines[1].starts_with("stage"));
        let second = &set.rules[1];
        assert!(lines[2].starts_with(&format!("rule: {}", second.kind)));
        assert!(lines[2].contains(&*second.id));
        assert!(lines[3].starts_with("load rules"));
        // markup + suppression: lint less the engine's 80 ms.
        assert!(table.contains(&format!(
            "{:<24} {:<28} {:>9.3}",
            "markup + suppression", "-", 0.02
        )));
        let seconds: Vec<f64> = lines[2..]
            .iter()
            .map(|l| l[54..63].trim().parse().unwrap())
            .collect();
        assert!(seconds.windows(2).all(|w| w[0] >= w[1]), "{table}");
        assert_eq!(lines.len(), 2 + 10 + set.rules.len());
    }
}
