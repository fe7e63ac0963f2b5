//! A searcher built on first use in a form quick to build, and rebuilt in a form
//! quick to search once it has been given enough text to pay for that.
//!
//! Checking one small file is mostly building: a regex's DFAs or an
//! Aho-Corasick DFA take longer to build than an NFA takes to search a few
//! kilobytes. A large text gets the fast form at once, and a run of many small
//! ones after their first `budget` bytes. Both forms must find exactly the same
//! matches; the caller's `build` says how each is made.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

#[derive(Debug)]
pub struct Staged<T> {
    /// Bytes of text the quick-to-build form is used for before the other one
    /// is built.
    budget: usize,
    /// Bytes of text asked for so far.
    searched: AtomicUsize,
    small: OnceLock<T>,
    full: OnceLock<T>,
}

impl<T> Staged<T> {
    pub fn new(budget: usize) -> Staged<T> {
        Staged {
            budget,
            searched: AtomicUsize::new(0),
            small: OnceLock::new(),
            full: OnceLock::new(),
        }
    }

    /// The form to search a text of `len` bytes with: `build(false)` (quick to
    /// build) while the texts so far fit the budget, then `build(true)`.
    pub fn get(&self, len: usize, build: impl FnOnce(bool) -> T) -> &T {
        if let Some(full) = self.full.get() {
            return full;
        }
        let searched = self.searched.fetch_add(len, Ordering::Relaxed) + len;
        if searched <= self.budget {
            self.small.get_or_init(|| build(false))
        } else {
            self.full.get_or_init(|| build(true))
        }
    }

    /// The form quick to search, if it is built.
    pub fn full(&self) -> Option<&T> {
        self.full.get()
    }

    /// The form quick to build, if it is built.
    #[cfg(test)]
    pub fn small(&self) -> Option<&T> {
        self.small.get()
    }

    /// Keeps `full` as the form quick to search (unless one is already built).
    pub fn set_full(&self, full: T) {
        let _ = self.full.set(full);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_form_takes_over_past_the_budget() {
        let staged = Staged::new(10);
        let form = |len| *staged.get(len, |full| if full { "full" } else { "small" });
        assert_eq!(form(4), "small");
        assert_eq!(form(6), "small");
        assert_eq!(form(1), "full");
        assert_eq!(form(0), "full");
        let big = Staged::new(10);
        assert!(*big.get(11, |full| full));
        assert!(big.small.get().is_none());
    }
}
