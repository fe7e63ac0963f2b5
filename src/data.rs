//! Word lists shipped in `rules/data/` (sources and licences in its README),
//! compiled into `fst` sets and maps by `build.rs`: nothing is parsed at start-up.

use crate::document::words::FastState;
use fst::{Map, Set};
use std::collections::HashMap;
use std::sync::OnceLock;

static LEXICON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.fst"));
static FREQUENT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/frequent.fst"));
static COMMON: &str = include_str!(concat!(env!("OUT_DIR"), "/common.txt"));
static VERBS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/verbs.fst"));
static STOPWORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/stopwords.fst"));
static COMPOUNDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/compounds.fst"));

fn set(
    cell: &'static OnceLock<Set<&'static [u8]>>,
    bytes: &'static [u8],
) -> &'static Set<&'static [u8]> {
    cell.get_or_init(|| Set::new(bytes).expect("build.rs writes valid fst sets"))
}

/// Lowercase English words (SCOWL and SymSpell): "a known word".
pub fn lexicon() -> &'static Set<&'static [u8]> {
    static CELL: OnceLock<Set<&'static [u8]>> = OnceLock::new();
    set(&CELL, LEXICON)
}

/// Verbs that are only verbs in WordNet (never nouns or adjectives).
pub fn verbs() -> &'static Set<&'static [u8]> {
    static CELL: OnceLock<Set<&'static [u8]>> = OnceLock::new();
    set(&CELL, VERBS)
}

/// Function words (the jusText English stop-list).
pub fn stopwords() -> &'static Set<&'static [u8]> {
    static CELL: OnceLock<Set<&'static [u8]>> = OnceLock::new();
    set(&CELL, STOPWORDS)
}

/// Common two-word collocations written as one word ("hostname").
pub fn compounds() -> &'static Set<&'static [u8]> {
    static CELL: OnceLock<Set<&'static [u8]>> = OnceLock::new();
    set(&CELL, COMPOUNDS)
}

/// Frequency rank (0 = most frequent) among the 30,000 most frequent words.
pub fn frequency_rank(word: &str) -> Option<u64> {
    static CELL: OnceLock<Map<&'static [u8]>> = OnceLock::new();
    CELL.get_or_init(|| Map::new(FREQUENT).expect("build.rs writes a valid fst map"))
        .get(word)
}

/// Frequency rank among the 2,000 most frequent words, the same as
/// `frequency_rank`'s. Rules judge their needles with it while they load:
/// thousands of look-ups, each a few hundred instructions in an fst map and a
/// few dozen in this table.
pub fn common_rank(word: &str) -> Option<u64> {
    static CELL: OnceLock<HashMap<&'static str, u64, FastState>> = OnceLock::new();
    let table = CELL.get_or_init(|| {
        let mut table = HashMap::default();
        for (word, rank) in COMMON.lines().zip(0..) {
            table.entry(word).or_insert(rank);
        }
        table
    });
    table.get(word).copied()
}

pub fn is_word(word: &str) -> bool {
    lexicon().contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_answer() {
        assert!(is_word("senior") && is_word("counterterrorism"));
        assert!(!is_word("moneysenior"));
        assert!(frequency_rank("the").unwrap() < 5);
        assert_eq!(common_rank("this"), frequency_rank("this"));
        assert!(frequency_rank("cookies").is_some() && common_rank("cookies").is_none());
        assert!(verbs().contains("backpedal") && !verbs().contains("attack"));
        assert!(stopwords().contains("the") && !stopwords().contains("counter"));
        assert!(compounds().contains("hostname") && !compounds().contains("moneysenior"));
    }
}
