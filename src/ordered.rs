//! Linting files in parallel while writing their reports in input order, with
//! bounded memory: workers take files in order, and one that runs too far ahead
//! of the writer waits, so at most a window of rendered reports is held at once
//! (never the files themselves, which are dropped once linted).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

struct Shared<R> {
    done: BTreeMap<usize, R>,
    /// The index of the next result to write.
    written: usize,
}

/// Runs `work` on every input on `jobs` threads and passes the results to
/// `write` in input order, on the calling thread.
pub fn run<I: Sync, R: Send, E>(
    inputs: &[I],
    jobs: usize,
    work: impl Fn(&I) -> R + Sync,
    write: &mut impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    if jobs <= 1 || inputs.len() <= 1 {
        for input in inputs {
            write(work(input))?;
        }
        return Ok(());
    }
    let window = 8 * jobs + 16;
    let next = AtomicUsize::new(0);
    let shared = Mutex::new(Shared {
        done: BTreeMap::new(),
        written: 0,
    });
    let ready = Condvar::new(); // a result arrived: the writer may go on
    let room = Condvar::new(); // a result was written: workers may go on
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= inputs.len() || stop.load(Ordering::Relaxed) {
                    break;
                }
                {
                    let mut s = shared.lock().expect("no panics while holding it");
                    while i >= s.written + window && !stop.load(Ordering::Relaxed) {
                        s = room.wait(s).expect("no panics while holding it");
                    }
                }
                let result = work(&inputs[i]);
                let mut s = shared.lock().expect("no panics while holding it");
                s.done.insert(i, result);
                ready.notify_one();
            });
        }
        let mut result = Ok(());
        for i in 0..inputs.len() {
            let item = {
                let mut s = shared.lock().expect("no panics while holding it");
                loop {
                    if let Some(r) = s.done.remove(&i) {
                        s.written = i + 1;
                        room.notify_all();
                        break r;
                    }
                    s = ready.wait(s).expect("no panics while holding it");
                }
            };
            if let Err(e) = write(item) {
                result = Err(e);
                stop.store(true, Ordering::Relaxed);
                room.notify_all();
                break;
            }
        }
        result
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_order() {
        let inputs: Vec<u64> = (0..500).collect();
        let mut got = Vec::new();
        super::run(
            &inputs,
            4,
            |&i| {
                std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 300));
                i * 2
            },
            &mut |r| -> Result<(), ()> {
                got.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(got, inputs.iter().map(|i| i * 2).collect::<Vec<_>>());
    }
}
