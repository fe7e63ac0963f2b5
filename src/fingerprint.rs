//! A fingerprint of the files the analysis of a pattern comes from, so that
//! `detect/analyses.json` is used only by the code that wrote it
//! (`detect::analysis`). `build.rs` includes this file and takes the
//! fingerprint at build time; the library's tests check it.

/// The sources whose code decides what analysing a pattern finds: the
/// analysis, the literals and gates it asks for, the parser settings
/// (`pattern::check_syntax`), which literals are rare (`detect::is_rare`) and
/// the word ranks (`data`). The list of common words those ranks come from is
/// added by `build.rs`, which writes it.
pub const ANALYSIS_SOURCES: [&str; 6] = [
    "src/detect/analysis.rs",
    "src/detect/prefilter.rs",
    "src/detect/gate.rs",
    "src/detect/pattern.rs",
    "src/detect/mod.rs",
    "src/data.rs",
];

/// 64-bit FNV-1a over each part, carriage returns left out (a checkout with
/// CRLF line ends gives the same fingerprint), each part followed by its
/// length (text moved from one part to the next changes it).
pub fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |b: u8| hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
    for part in parts {
        let mut len = 0u64;
        for &b in part.iter().filter(|&&b| b != b'\r') {
            add(b);
            len += 1;
        }
        len.to_le_bytes().into_iter().for_each(&mut add);
    }
    hash
}

/// The fingerprint of the analysis, in hexadecimal: of each of
/// `ANALYSIS_SOURCES` as `read` gives it, and of the list of common words.
pub fn of_analysis(mut read: impl FnMut(&str) -> Vec<u8>, common: &str) -> String {
    let sources: Vec<Vec<u8>> = ANALYSIS_SOURCES.iter().map(|path| read(path)).collect();
    let parts = sources.iter().map(Vec::as_slice);
    format!("{:016x}", fingerprint(parts.chain([common.as_bytes()])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_do_not_count_and_part_boundaries_do() {
        let parts = |p: &[&'static str]| fingerprint(p.iter().map(|s| s.as_bytes()));
        assert_eq!(parts(&["a\nb\n", "c"]), parts(&["a\r\nb\r\n", "c"]));
        assert_ne!(parts(&["ab", "c"]), parts(&["a", "bc"]));
        assert_ne!(parts(&["ab", "c"]), parts(&["ab", "d"]));
        assert_ne!(parts(&["ab"]), parts(&["ab", ""]));
    }

    /// The fingerprint the build took is that of the sources as they are.
    #[test]
    fn the_build_took_the_fingerprint_of_the_sources() {
        let read = |path: &str| std::fs::read(path).unwrap();
        let common = include_str!(concat!(env!("OUT_DIR"), "/common.txt"));
        assert_eq!(of_analysis(read, common), env!("RESIDUE_ANALYSIS_CODE"));
    }
}
