//! Word lists shipped in `rules/data/` (sources and licences in its README),
//! compiled into `fst` sets and maps by `build.rs`: nothing is parsed at start-up.

use fst::{Map, Set};
use std::sync::OnceLock;

static LEXICON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.fst"));
static FREQUENT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/frequent.fst"));
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
        assert!(verbs().contains("backpedal") && !verbs().contains("attack"));
        assert!(stopwords().contains("the") && !stopwords().contains("counter"));
        assert!(compounds().contains("hostname") && !compounds().contains("moneysenior"));
    }
}
