//! Compiles the word lists in rules/data/ into fst sets and maps (see src/data.rs).

use std::env;
use std::fs;
use std::path::Path;

#[path = "src/fingerprint.rs"]
mod fingerprint;

/// How many of the most frequent words `common.txt` holds.
const COMMON_WORDS: usize = 2_000;

fn words(name: &str) -> Vec<String> {
    let path = format!("rules/data/{name}.txt");
    println!("cargo:rerun-if-changed={path}");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn write_set(out: &Path, name: &str) {
    let mut list = words(name);
    list.sort();
    list.dedup();
    let set = fst::Set::from_iter(list).expect("sorted, deduplicated input");
    fs::write(out.join(format!("{name}.fst")), set.as_fst().as_bytes()).expect("write fst");
}

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    for name in ["lexicon", "verbs", "stopwords", "compounds"] {
        write_set(out, name);
    }
    // frequent.txt is in frequency order: the map stores each word's rank.
    let frequent = words("frequent");
    // The most frequent words again, in frequency order, for a table quicker
    // to build and search than the map (`data::common_rank`).
    let common = &frequent[..COMMON_WORDS.min(frequent.len())];
    let common = common.join("\n");
    fs::write(out.join("common.txt"), &common).expect("write list");
    analysis_code(&common);
    let mut ranked: Vec<(String, u64)> = Vec::new();
    for (rank, word) in frequent.into_iter().enumerate() {
        ranked.push((word, rank as u64));
    }
    ranked.sort();
    ranked.dedup_by(|a, b| a.0 == b.0);
    let map = fst::Map::from_iter(ranked).expect("sorted, deduplicated input");
    fs::write(out.join("frequent.fst"), map.as_fst().as_bytes()).expect("write fst");
}

/// Sets `RESIDUE_ANALYSIS_CODE` to the fingerprint of what the analysis of a
/// pattern depends on (`src/fingerprint.rs`): the sources, and the list of
/// common words written above.
fn analysis_code(common: &str) {
    let read = |path: &str| {
        println!("cargo:rerun-if-changed={path}");
        fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    };
    let code = fingerprint::of_analysis(read, common);
    println!("cargo:rustc-env=RESIDUE_ANALYSIS_CODE={code}");
}
