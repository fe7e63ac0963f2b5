//! Linting inputs in parallel while writing their results in input order, with
//! bounded memory.
//!
//! Workers take inputs in order from a shared counter (so the fastest worker
//! always takes the next one). A worker that finishes the result next in order
//! writes it, and every result after it that is already done; results that
//! finish early wait in a map. No thread waits only to write: with one small
//! file after another, handing each result to a writer thread cost a wake-up,
//! a pair of context switches, per file (a fifth of the time on 10,000 small
//! files). A worker that gets too far ahead of the writing waits, so at most a
//! window of results is held at once, however many inputs there are.
//!
//! There is one worker on each thread of rayon's pool, started with
//! `spawn_broadcast`, which runs a job on its own thread only, and no worker
//! takes an input before every thread's worker has started. Both matter:
//! `work` uses rayon itself on a large file, and a pool thread waiting in
//! `rayon::join` runs other jobs meanwhile, its own broadcast job among them.
//! Were the workers ordinary jobs, such a thread could pick up a worker not
//! started yet (seen, before this design); were they let loose one by one, a
//! thread that had not started its own could steal a piece of a file's work,
//! wait in a `join` inside it, and start its worker there (seen in a stress
//! test: 16 threads on 2 cores, after thousands of runs). Either way, a worker
//! on top of an unfinished piece takes inputs and waits for the window, while
//! the result it waits for needs the piece beneath it on the same thread: a
//! deadlock. Once every worker is at the bottom of its thread's stack, what a
//! waiting thread picks up can only be a piece of some file's work, which
//! never waits.
//!
//! A few threads of their own run `prefetch` on the inputs ahead of the
//! workers (up to `PREFETCH_AHEAD` beyond their window) and hand what it
//! returns (a small file's bytes) to the worker that takes the input, so that
//! waiting for a disk overlaps with linting instead of stalling the workers.
//! Each input is read once: a worker that reaches an input a prefetcher is
//! still reading waits for it, and a prefetcher skips an input whose worker
//! came first. With the page cache warm and both cores busy linting, the
//! prefetchers often fall behind; before, the worker then read the file
//! again, and 38,000 of 100,000 small files were read twice.
//!
//! Reading ahead pays only while reads wait for a disk. A prefetcher whose
//! reads keep coming back quickly (from the page cache) rests between
//! reads until one is slow again (`QUICK_STREAK`), and the workers read
//! their inputs themselves meanwhile.
//!
//! How far the writing has got is also kept in an atomic, so that a worker or
//! prefetcher within reach takes its next input without the lock; the lock is
//! taken to wait, and the atomic only changes under it, so no wake-up is lost.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Barrier, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Results held at most, per worker, before workers wait for the writing.
const WINDOW_PER_WORKER: usize = 8;
/// Threads that prefetch; they mostly wait for the disk.
const PREFETCH_THREADS: usize = 4;
/// How many inputs beyond the workers' window may be prefetched. What is
/// prefetched waits in one of `window + PREFETCH_AHEAD` slots (8 per worker
/// plus 128: 144 with two workers), each a small file of at most 64 KB (see
/// `walk::Input::prefetch`), until its worker takes it or the slot is reused.
const PREFETCH_AHEAD: usize = 128;
/// Waiting prefetchers are woken once per this many results written. Each
/// wake-up is a context switch per prefetcher: on 100,000 small files, waking
/// them every 16 results cost 60,000 switches and a tenth of the wall time.
/// A prefetcher may sleep through a batch, so a batch must not outrun what
/// may be prefetched.
const PREFETCH_BATCH: usize = 64;
const _: () = assert!(PREFETCH_BATCH <= PREFETCH_AHEAD);
/// A prefetch quicker than this found its input in memory (the page cache).
/// On this machine a small file takes about 5 µs from memory (90% within
/// 8 µs), and 90–160 µs from its disk; an NVMe disk takes 50–100 µs.
const QUICK_PREFETCH: Duration = Duration::from_micros(40);
/// After this many quick prefetches in a row, a prefetcher rests for `REST`
/// between prefetches, and goes back to work at the first slow one. With
/// the inputs in memory, reading ahead saves no waiting, and the workers
/// read them as cheaply themselves; the prefetchers' wake-ups and the
/// workers' waits for a read under way cost context switches instead (on
/// 100,000 small files with a cheap rule, 12,000 of them and a fifth of the
/// wall time).
const QUICK_STREAK: usize = 32;
const REST: Duration = Duration::from_millis(10);

/// Runs `work` on every input on the threads of rayon's pool and passes
/// the results to `write` in input order, one at a time, on whichever worker
/// thread finished the next one. `prefetch` runs on the inputs ahead of the
/// workers, and `work` gets what it returned if it was done in time. Stops
/// taking new inputs after `write` fails, and returns its error. A single
/// input is linted on the calling thread, without prefetch.
pub fn run<I: Sync, P: Send, R: Send, E: Send>(
    inputs: &[I],
    prefetch: impl Fn(&I) -> Option<P> + Sync,
    work: impl Fn(&I, Option<P>) -> R + Sync,
    mut write: impl FnMut(R) -> Result<(), E> + Send,
) -> Result<(), E> {
    if inputs.len() <= 1 {
        return inputs.iter().try_for_each(|input| write(work(input, None)));
    }
    let window = WINDOW_PER_WORKER * rayon::current_num_threads();
    let queue = Queue {
        next: AtomicUsize::new(0),
        next_prefetch: AtomicUsize::new(0),
        written: AtomicUsize::new(0),
        stopped: AtomicBool::new(false),
        window,
        slots: (0..window + PREFETCH_AHEAD).map(|_| Slot::new()).collect(),
        state: Mutex::new(State {
            done: BTreeMap::new(),
            writing: false,
            workers_waiting: 0,
            prefetchers_waiting: 0,
        }),
        writer: Mutex::new(Writer {
            write: &mut write,
            error: None,
        }),
        room: Condvar::new(),
        ahead: Condvar::new(),
    };
    std::thread::scope(|threads| {
        for _ in 0..PREFETCH_THREADS {
            threads.spawn(|| {
                let mut quick = 0;
                while let Some(i) = queue.take_ahead(inputs.len()) {
                    if let Some(claim) = queue.slot(i).claim(i) {
                        let clock = Instant::now();
                        claim.hand_over(prefetch(&inputs[i]));
                        quick = match clock.elapsed() < QUICK_PREFETCH {
                            true => quick + 1,
                            false => 0,
                        };
                        if quick >= QUICK_STREAK {
                            queue.rest();
                        }
                    }
                }
            });
        }
        // Every pool thread's worker, before any takes an input (see above).
        let all_started = Barrier::new(rayon::current_num_threads());
        rayon::in_place_scope(|scope| {
            scope.spawn_broadcast(|_, _| {
                all_started.wait();
                // A panicking worker stops the run; rayon raises its panic
                // again when the scope ends.
                let _stop_on_panic = StopOnPanic(&queue);
                while let Some(i) = queue.take(inputs.len()) {
                    let result = work(&inputs[i], queue.slot(i).take(i));
                    queue.put(i, result);
                }
            });
        });
        // Every result is written; the prefetchers may be waiting still.
        queue.stop();
    });
    let writer = queue.writer.into_inner().unwrap_or_else(|e| e.into_inner());
    writer.error.map_or(Ok(()), Err)
}

struct Queue<'w, P, R, E> {
    /// The next input for a worker.
    next: AtomicUsize,
    /// The next input to prefetch.
    next_prefetch: AtomicUsize,
    /// The index of the next result to write. Changed only under `state`'s
    /// lock; read without it to see whether an input is within reach.
    written: AtomicUsize,
    /// The writing failed or a worker panicked: take no more inputs. Set
    /// under `state`'s lock.
    stopped: AtomicBool,
    /// How far ahead of the writing a worker may start an input.
    window: usize,
    /// The prefetch of input `i`, in slot `i % len`. The inputs within
    /// reach are fewer than the slots, so they never share one; a prefetcher
    /// held up past its reach finds the slot moved on (see `Slot`).
    slots: Vec<Slot<P>>,
    state: Mutex<State<R>>,
    /// Taken only by the one thread that is `writing`.
    writer: Mutex<Writer<'w, R, E>>,
    /// A result was written (or the run stopped): waiting workers may go on.
    room: Condvar,
    /// Results were written (or the run stopped): prefetchers may go on.
    ahead: Condvar,
}

/// Where the prefetch of one input at a time meets its worker.
///
/// The input a slot's state is about only grows: a prefetcher that took
/// input `i` from the counter may be held up until the slot has moved on to
/// `i + len` (its worker waiting there), and its late claim must then change
/// nothing, or that worker would never be woken.
struct Slot<P> {
    fetch: Mutex<Fetch<P>>,
    /// Signalled when a prefetch a worker waits for is done.
    done: Condvar,
}

impl<P> Slot<P> {
    fn new() -> Self {
        Slot {
            fetch: Mutex::new(Fetch::Unused),
            done: Condvar::new(),
        }
    }

    /// Claims input `i` for a prefetcher, unless its worker came first or
    /// the slot has moved on to a later input.
    fn claim(&self, i: usize) -> Option<Claim<'_, P>> {
        let mut fetch = lock(&self.fetch);
        if fetch.input().is_some_and(|j| j >= i) {
            return None;
        }
        *fetch = Fetch::Reading { i, waited: false };
        Some(Claim {
            slot: self,
            i,
            value: None,
        })
    }

    /// For input `i`'s worker: what was prefetched, once a prefetch under
    /// way is done. `None` if there is none: the worker reads the input
    /// itself.
    fn take(&self, i: usize) -> Option<P> {
        let mut fetch = lock(&self.fetch);
        while let Fetch::Reading { i: j, waited } = &mut *fetch {
            if *j != i {
                break;
            }
            *waited = true;
            fetch = self.done.wait(fetch).unwrap_or_else(|e| e.into_inner());
        }
        // A later input's state (which the window rules out) is left alone.
        if fetch.input().is_some_and(|j| j > i) {
            return None;
        }
        match std::mem::replace(&mut *fetch, Fetch::Taken(i)) {
            Fetch::Ready(j, value) if j == i => Some(value),
            _ => None,
        }
    }
}

/// What a slot holds, each state but the first tagged with its input.
enum Fetch<P> {
    /// No input yet.
    Unused,
    /// A prefetcher reads input `i`; `waited` once its worker waits for it.
    Reading { i: usize, waited: bool },
    /// What the prefetch of input `i` returned.
    Ready(usize, P),
    /// The prefetch of input `i` returned nothing (a large file, an error).
    Failed(usize),
    /// Input `i`'s worker took the slot: it reads the input itself if no
    /// prefetch was ready, and a prefetcher coming later skips the input.
    Taken(usize),
}

impl<P> Fetch<P> {
    /// The input the state is about.
    fn input(&self) -> Option<usize> {
        match *self {
            Fetch::Unused => None,
            Fetch::Reading { i, .. } | Fetch::Ready(i, _) | Fetch::Failed(i) | Fetch::Taken(i) => {
                Some(i)
            }
        }
    }
}

/// A prefetcher's claim on an input: handed over when the prefetch is done,
/// and on unwinding too (as nothing), so that no worker waits for ever.
struct Claim<'s, P> {
    slot: &'s Slot<P>,
    i: usize,
    value: Option<P>,
}

impl<P> Claim<'_, P> {
    fn hand_over(mut self, value: Option<P>) {
        self.value = value;
    }
}

impl<P> Drop for Claim<'_, P> {
    fn drop(&mut self) {
        let mut fetch = lock(&self.slot.fetch);
        // Only a claim's own input can move the slot on while it reads (its
        // worker waits for it), so the state is still its own.
        let (i, waited) = match *fetch {
            Fetch::Reading { i, waited } if i == self.i => (i, waited),
            _ => return,
        };
        *fetch = match self.value.take() {
            Some(value) => Fetch::Ready(i, value),
            None => Fetch::Failed(i),
        };
        drop(fetch);
        if waited {
            self.slot.done.notify_all();
        }
    }
}

struct State<R> {
    /// Results not written yet, by input index.
    done: BTreeMap<usize, R>,
    /// Whether a worker is writing results (only one at a time does).
    writing: bool,
    /// How many workers and prefetchers wait: condition variables are only
    /// signalled for a waiter, as a signal is a system call and there is one
    /// result per file.
    workers_waiting: usize,
    prefetchers_waiting: usize,
}

struct Writer<'w, R, E> {
    write: &'w mut (dyn FnMut(R) -> Result<(), E> + Send),
    /// The first error `write` returned.
    error: Option<E>,
}

/// Locks a mutex whose data stays consistent even if a holder panicked (none
/// runs `work` or `prefetch` while holding one).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl<P, R, E> Queue<'_, P, R, E> {
    fn lock(&self) -> MutexGuard<'_, State<R>> {
        lock(&self.state)
    }

    /// Whether input `i` is within `reach` of the writing, or the run stopped.
    fn may_start(&self, i: usize, reach: usize) -> bool {
        i < self.written.load(Ordering::Acquire) + reach || self.stopped.load(Ordering::Acquire)
    }

    /// The next input index for a worker, once it is within the window.
    fn take(&self, len: usize) -> Option<usize> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        (i < len).then_some(i)?;
        self.wait_within(i, self.window, &self.room, |s| &mut s.workers_waiting)
    }

    /// The next input index to prefetch, once it is within reach: inputs the
    /// workers have already taken are skipped.
    fn take_ahead(&self, len: usize) -> Option<usize> {
        let taken = self.next.load(Ordering::Relaxed);
        self.next_prefetch.fetch_max(taken, Ordering::Relaxed);
        let i = self.next_prefetch.fetch_add(1, Ordering::Relaxed);
        (i < len).then_some(i)?;
        let reach = self.slots.len();
        self.wait_within(i, reach, &self.ahead, |s| &mut s.prefetchers_waiting)
    }

    /// Waits on `signal` until input `i` is within `reach` of the writing,
    /// counted meanwhile among the waiters that `waiting` picks out; `None` if
    /// the run stopped.
    fn wait_within(
        &self,
        i: usize,
        reach: usize,
        signal: &Condvar,
        waiting: fn(&mut State<R>) -> &mut usize,
    ) -> Option<usize> {
        if !self.may_start(i, reach) {
            let mut state = self.lock();
            while !self.may_start(i, reach) {
                *waiting(&mut state) += 1;
                state = signal.wait(state).unwrap_or_else(|e| e.into_inner());
                *waiting(&mut state) -= 1;
            }
        }
        (!self.stopped.load(Ordering::Acquire)).then_some(i)
    }

    fn slot(&self, i: usize) -> &Slot<P> {
        &self.slots[i % self.slots.len()]
    }

    /// Keeps result `i`, and writes it (and those after it that are done) if
    /// it is the next in order and no other worker is writing.
    fn put(&self, i: usize, result: R) {
        let mut state = self.lock();
        state.done.insert(i, result);
        if state.writing || i != self.written.load(Ordering::Relaxed) {
            return;
        }
        state.writing = true;
        drop(state);
        self.write_in_order();
    }

    /// Writes results in order until the next one is not done yet. The
    /// caller has set `writing`, so no other thread writes meanwhile; a
    /// result put while this runs is found by its next look into `done`.
    fn write_in_order(&self) {
        let mut writer = lock(&self.writer);
        loop {
            let mut state = self.lock();
            let next = self.written.load(Ordering::Relaxed);
            let result = match state.done.remove(&next) {
                Some(result) if !self.stopped.load(Ordering::Relaxed) => result,
                _ => {
                    state.writing = false;
                    return;
                }
            };
            self.written.store(next + 1, Ordering::Release);
            if state.workers_waiting > 0 {
                self.room.notify_all();
            }
            if state.prefetchers_waiting > 0 && (next + 1).is_multiple_of(PREFETCH_BATCH) {
                self.ahead.notify_all();
            }
            drop(state);
            if let Err(e) = (writer.write)(result) {
                writer.error = Some(e);
                self.stop();
            }
        }
    }

    /// A prefetcher's pause while the inputs come from memory (see
    /// `QUICK_STREAK`): up to `REST`, cut short by the run's end or by the
    /// wake-up of the prefetchers waiting for reach.
    fn rest(&self) {
        let state = self.lock();
        if !self.stopped.load(Ordering::Relaxed) {
            drop(self.ahead.wait_timeout(state, REST));
        }
    }

    fn stop(&self) {
        let _state = self.lock();
        self.stopped.store(true, Ordering::Release);
        self.room.notify_all();
        self.ahead.notify_all();
    }
}

struct StopOnPanic<'a, 'w, P, R, E>(&'a Queue<'w, P, R, E>);

impl<P, R, E> Drop for StopOnPanic<'_, '_, P, R, E> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{run, QUICK_PREFETCH};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    fn no_prefetch(_: &usize) -> Option<()> {
        None
    }

    #[test]
    fn results_come_in_order() {
        let inputs: Vec<usize> = (0..500).collect();
        let mut got = Vec::new();
        pool(4)
            .install(|| {
                run(
                    &inputs,
                    no_prefetch,
                    |&i, _| {
                        let micros = (i as u64 * 7919) % 300;
                        std::thread::sleep(std::time::Duration::from_micros(micros));
                        i * 2
                    },
                    |r| -> Result<(), ()> {
                        got.push(r);
                        Ok(())
                    },
                )
            })
            .unwrap();
        assert_eq!(got, inputs.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    /// Whoever finishes the next result writes it: a result put while
    /// another worker is writing must not be left unwritten (the run would
    /// then wait for it forever, or end without it). Many short runs of
    /// uneven work, each checked for every result in order.
    #[test]
    fn no_result_is_left_unwritten() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let inputs: Vec<usize> = (0..200).collect();
            for threads in [2, 3, 4] {
                let pool = pool(threads);
                for run_number in 0..100 {
                    let mut got = Vec::with_capacity(inputs.len());
                    let work = |&i: &usize, _| {
                        // Uneven work: results finish out of order.
                        for n in 0..(i * 7919 + run_number * 104_729) % 2000 {
                            std::hint::black_box(n);
                        }
                        i
                    };
                    let write = |r| -> Result<(), ()> {
                        got.push(r);
                        Ok(())
                    };
                    pool.install(|| run(&inputs, no_prefetch, work, write))
                        .unwrap();
                    if got != inputs {
                        let _ = done.send(Err(format!("{threads} threads, run {run_number}")));
                        return;
                    }
                }
            }
            let _ = done.send(Ok(()));
        });
        let outcome = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("every run ends");
        assert_eq!(outcome, Ok(()), "every result written, in order");
    }

    #[test]
    fn workers_stay_within_the_window() {
        let inputs: Vec<usize> = (0..300).collect();
        let started = AtomicUsize::new(0);
        let mut written = 0;
        pool(3)
            .install(|| {
                run(
                    &inputs,
                    no_prefetch,
                    |&i, _| {
                        started.fetch_max(i, Ordering::SeqCst);
                        i
                    },
                    |i| -> Result<(), ()> {
                        // Slow writer: workers must wait for it.
                        std::thread::sleep(std::time::Duration::from_micros(200));
                        let window = 3 * super::WINDOW_PER_WORKER;
                        assert!(started.load(Ordering::SeqCst) < i + 1 + window);
                        written += 1;
                        Ok(())
                    },
                )
            })
            .unwrap();
        assert_eq!(written, inputs.len());
    }

    #[test]
    fn prefetched_values_reach_their_own_input_within_reach() {
        let inputs: Vec<usize> = (0..2000).collect();
        let written = AtomicUsize::new(0);
        let handed_over = AtomicUsize::new(0);
        // One more than the slots: the result being written counts as written.
        let reach = 2 * super::WINDOW_PER_WORKER + super::PREFETCH_AHEAD + 1;
        pool(2)
            .install(|| {
                run(
                    &inputs,
                    |&i| {
                        assert!(i < written.load(Ordering::SeqCst) + reach);
                        Some(i * 10)
                    },
                    |&i, prefetched| {
                        if let Some(value) = prefetched {
                            assert_eq!(value, i * 10);
                            handed_over.fetch_add(1, Ordering::SeqCst);
                        }
                        std::thread::sleep(std::time::Duration::from_micros(20));
                        i
                    },
                    |_| -> Result<(), ()> {
                        written.fetch_add(1, Ordering::SeqCst);
                        Ok(())
                    },
                )
            })
            .unwrap();
        assert_eq!(written.load(Ordering::SeqCst), inputs.len());
        assert!(handed_over.load(Ordering::SeqCst) > 0);
    }

    /// Each input is read once: a worker that finds no prefetched value is
    /// one whose input no prefetcher read, then or later. Prefetches of
    /// random length, some longer than a worker's, make the race common.
    #[test]
    fn no_input_is_read_twice() {
        let inputs: Vec<usize> = (0..3000).collect();
        let fetched: Vec<AtomicUsize> = inputs.iter().map(|_| AtomicUsize::new(0)).collect();
        let read_by_worker: Vec<AtomicUsize> = inputs.iter().map(|_| AtomicUsize::new(0)).collect();
        pool(2)
            .install(|| {
                run(
                    &inputs,
                    |&i| {
                        fetched[i].fetch_add(1, Ordering::SeqCst);
                        // Slower than `QUICK_PREFETCH`: prefetchers that
                        // rested would meet their workers less often.
                        std::thread::sleep(std::time::Duration::from_micros(
                            250 + (i as u64 * 7919) % 100,
                        ));
                        // Some inputs are not prefetched (too large, unreadable).
                        (i % 7 != 0).then_some(i * 10)
                    },
                    |&i, prefetched| {
                        std::thread::sleep(std::time::Duration::from_micros(30));
                        match prefetched {
                            Some(value) => assert_eq!(value, i * 10),
                            None => {
                                read_by_worker[i].fetch_add(1, Ordering::SeqCst);
                            }
                        }
                        i
                    },
                    |_| -> Result<(), ()> { Ok(()) },
                )
            })
            .unwrap();
        let mut handed_over = 0;
        for i in inputs {
            let (f, w) = (
                fetched[i].load(Ordering::SeqCst),
                read_by_worker[i].load(Ordering::SeqCst),
            );
            // Read by the worker: never prefetched with a value.
            assert!(
                w == 0 || f == 0 || i % 7 == 0,
                "input {i} read by its worker and prefetched"
            );
            handed_over += usize::from(w == 0);
        }
        assert!(handed_over > 0);
    }

    /// How many of `count` inputs were prefetched when each prefetch takes
    /// `prefetch` and each input's work `work`; checks the results too.
    fn prefetched(count: usize, prefetch: Duration, work: Duration) -> usize {
        let inputs: Vec<usize> = (0..count).collect();
        let fetched = AtomicUsize::new(0);
        let mut got = Vec::new();
        pool(2)
            .install(|| {
                run(
                    &inputs,
                    |&i| {
                        fetched.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(prefetch);
                        Some(i * 10)
                    },
                    |&i, prefetched| {
                        std::thread::sleep(work);
                        assert!(prefetched.is_none_or(|v| v == i * 10));
                        i
                    },
                    |r| -> Result<(), ()> {
                        got.push(r);
                        Ok(())
                    },
                )
            })
            .unwrap();
        assert_eq!(got, inputs);
        fetched.into_inner()
    }

    /// Inputs that come from memory are not read ahead for long: the
    /// prefetchers rest after `QUICK_STREAK` quick reads, probing once per
    /// `REST` (about 4 × (32 + 25) prefetches in a run of 250 ms or so).
    /// Without the rests, nearly every input is prefetched.
    #[test]
    fn prefetchers_rest_while_reads_are_quick() {
        let count = 4000;
        let fetched = prefetched(count, Duration::ZERO, Duration::from_micros(40));
        assert!(fetched < count / 4, "{fetched} of {count} prefetched");
    }

    /// Slow reads (a cold page cache) keep the prefetchers reading ahead:
    /// resting then would leave the workers waiting for the disk.
    #[test]
    fn prefetchers_keep_on_while_reads_are_slow() {
        let count = 2000;
        let fetched = prefetched(count, QUICK_PREFETCH * 2, Duration::from_micros(100));
        assert!(fetched > count / 3, "only {fetched} of {count} prefetched");
    }

    /// A worker that reaches an input a prefetcher is reading waits for it
    /// and gets what it read; one that finds the prefetch failed gets nothing.
    #[test]
    fn a_worker_waits_for_the_prefetch_under_way() {
        let slot = super::Slot::new();
        std::thread::scope(|s| {
            let claim = slot.claim(5).expect("nobody took input 5");
            s.spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(50));
                claim.hand_over(Some(50));
            });
            assert_eq!(slot.take(5), Some(50));
        });
        let claim = slot.claim(6).expect("nobody took input 6");
        drop(claim); // the prefetch failed, or panicked
        assert_eq!(slot.take(6), None);
    }

    /// A prefetcher does not read an input its worker already took; a value
    /// left for an earlier input in the slot is not handed to a later one.
    #[test]
    fn a_prefetcher_skips_an_input_its_worker_took() {
        let slot = super::Slot::new();
        assert_eq!(slot.take(3), None);
        assert!(slot.claim(3).is_none());
        slot.claim(4)
            .expect("nobody took input 4")
            .hand_over(Some(40));
        assert_eq!(slot.take(5), None);
    }

    /// A prefetcher held up until the slot has moved on to a later input
    /// (whose worker waits for its prefetch) claims nothing, and that worker
    /// is woken with its own value.
    #[test]
    fn a_prefetcher_that_slept_through_its_input_claims_nothing() {
        let slot = std::sync::Arc::new(super::Slot::new());
        assert_eq!(slot.take(3), None); // input 3's worker came first
        let later = slot.claim(3 + 144).expect("nobody took input 147");
        let (took, taken) = std::sync::mpsc::channel();
        let worker = slot.clone();
        std::thread::spawn(move || took.send(worker.take(3 + 144)));
        std::thread::sleep(std::time::Duration::from_millis(50));
        drop(slot.claim(3)); // a late prefetcher of input 3 that got nothing
        later.hand_over(Some(1470));
        let woken = taken.recv_timeout(std::time::Duration::from_secs(5));
        assert_eq!(woken, Ok(Some(1470)), "the waiting worker was not woken");
        assert!(slot.claim(3).is_none());
    }

    #[test]
    fn a_failed_write_stops_the_run() {
        let inputs: Vec<usize> = (0..10_000).collect();
        let linted = AtomicUsize::new(0);
        let result = pool(2).install(|| {
            run(
                &inputs,
                no_prefetch,
                |&i, _| {
                    linted.fetch_add(1, Ordering::SeqCst);
                    i
                },
                |i| if i == 5 { Err("closed") } else { Ok(()) },
            )
        });
        assert_eq!(result, Err("closed"));
        assert!(linted.load(Ordering::SeqCst) < 100);
    }

    #[test]
    #[should_panic(expected = "worker failed")]
    fn a_worker_panic_reaches_the_caller() {
        let inputs: Vec<usize> = (0..100).collect();
        pool(2).install(|| {
            let _ = run(
                &inputs,
                no_prefetch,
                |&i, _| {
                    if i == 7 {
                        panic!("worker failed");
                    }
                    i
                },
                |_| -> Result<(), ()> { Ok(()) },
            );
        });
    }

    /// A thread whose worker has not started yet could otherwise steal a piece
    /// of a file's work and start its worker on top of it (see the module
    /// comment): with one pool thread busy elsewhere when the run starts, no
    /// input may be taken until it is free and its worker has started.
    #[test]
    fn no_input_is_taken_before_every_worker_has_started() {
        use std::sync::atomic::AtomicBool;
        let pool = pool(4);
        let busy_done = std::sync::Arc::new(AtomicBool::new(false));
        let (sleeping, asleep) = std::sync::mpsc::channel();
        let done = busy_done.clone();
        pool.spawn(move || {
            sleeping.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(100));
            done.store(true, Ordering::SeqCst);
        });
        asleep.recv().unwrap();
        let inputs: Vec<usize> = (0..50).collect();
        let early = AtomicUsize::new(0);
        pool.install(|| {
            run(
                &inputs,
                no_prefetch,
                |&i, _| {
                    if !busy_done.load(Ordering::SeqCst) {
                        early.fetch_add(1, Ordering::SeqCst);
                    }
                    i
                },
                |_| -> Result<(), ()> { Ok(()) },
            )
        })
        .unwrap();
        assert_eq!(
            early.load(Ordering::SeqCst),
            0,
            "inputs taken while a thread was busy"
        );
    }

    /// `work` may itself run on rayon (a large file's document model and rules
    /// do): a worker waiting for the window must never sit on top of another
    /// input's unfinished work on the same thread, or neither finishes.
    #[test]
    fn work_that_uses_rayon_does_not_deadlock() {
        let (done, finished) = std::sync::mpsc::channel();
        // More inputs than the window holds, so that workers do wait for it,
        // however many threads the machine gives the pool.
        let count = 40.max(10 * rayon::current_num_threads());
        std::thread::spawn(move || {
            let inputs: Vec<usize> = (0..count).collect();
            // Many short runs: the danger is at the start of a run, while a
            // worker has not started yet.
            let written: usize = (0..300)
                .map(|_| {
                    let mut written = 0;
                    // From a thread outside any pool, as `residue check` calls
                    // it: the workers and the joins share rayon's global pool.
                    let result = run(
                        &inputs,
                        no_prefetch,
                        |&i, _| {
                            // The second half is stolen while the first runs,
                            // and takes longer: the thread that called join
                            // waits for it, and looks for other work meanwhile.
                            let nap = |micros| {
                                std::thread::sleep(std::time::Duration::from_micros(micros))
                            };
                            let (a, b) = rayon::join(
                                || {
                                    nap(100);
                                    i
                                },
                                || {
                                    nap(300);
                                    i
                                },
                            );
                            a + b
                        },
                        |_| -> Result<(), ()> {
                            written += 1;
                            Ok(())
                        },
                    );
                    assert_eq!(result, Ok(()));
                    written
                })
                .sum();
            let _ = done.send(written);
        });
        let written = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the runs finish (no deadlock)");
        assert_eq!(written, 300 * count);
    }
}
