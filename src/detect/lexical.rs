//! Small word-class tests shared by detectors, built on the shipped word lists.

use crate::data;

/// Auxiliaries and modals: the verb right after a subject.
const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "can", "could", "must", "may", "might", "should", "shall", "will",
    "would", "has", "have", "had", "does", "do", "did",
];

/// "specifies" -> "specify": a third-person verb whose base form is only a verb.
pub fn is_third_person_verb(word: &str) -> bool {
    let verbs = data::verbs();
    let stems = [
        word.strip_suffix("ies").map(|s| format!("{s}y")),
        word.strip_suffix("es").map(str::to_owned),
        word.strip_suffix('s').map(str::to_owned),
    ];
    stems.into_iter().flatten().any(|s| verbs.contains(&s))
}

/// A word that shows a clause has begun: an auxiliary or a third-person verb.
pub fn is_finite_verb(word: &str) -> bool {
    AUXILIARIES.contains(&word) || word == "defaults" || is_third_person_verb(word)
}
