//! Word lists embedded from `dictionaries/address/` (see the README there).

macro_rules! dict {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../dictionaries/address/", $name))
    };
}

pub(crate) const MUNICIPALITIES: &str = dict!("municipalities.tsv");
pub(crate) const TOWNS_GZ: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../dictionaries/address/towns.tsv.gz"));
pub(crate) const VARIANTS: &str = dict!("variants.tsv");
pub(crate) const COUNTRIES: &str = dict!("countries.txt");
pub(crate) const POLICE_HEADS: &str = dict!("police_heads.txt");
pub(crate) const POLICE_UNITS: &str = dict!("police_units.txt");
pub(crate) const POLICE_STOP: &str = dict!("police_stop.txt");
pub(crate) const HQ_CUES: &str = dict!("hq_cues.txt");
pub(crate) const BUSINESS_WORDS: &str = dict!("business_words.txt");
pub(crate) const FACILITY_WORDS: &str = dict!("facility_words.txt");
pub(crate) const RESIDENCE_CUES: &str = dict!("residence_cues.txt");
pub(crate) const CRIME_CUES: &str = dict!("crime_cues.txt");
pub(crate) const CRIME_PLACE_STOP: &str = dict!("crime_place_stop.txt");
pub(crate) const REMOTE_WORDS: &str = dict!("remote_words.txt");
pub(crate) const ATTRIBUTIVE: &str = dict!("attributive.txt");
pub(crate) const OFFICE_TITLES: &str = dict!("office_titles.txt");
pub(crate) const HQ_STOP: &str = dict!("hq_stop.txt");
pub(crate) const CRIME_CLAUSE_STOP: &str = dict!("crime_clause_stop.txt");
pub(crate) const CRIME_PHRASES: &str = dict!("crime_phrases.txt");
pub(crate) const POLICE_TRIM: &str = dict!("police_trim.txt");
pub(crate) const POLICE_CUES: &str = dict!("police_cues.txt");
pub(crate) const TOO_BROAD: &str = dict!("too_broad.txt");

/// Non-empty, non-comment lines.
pub(crate) fn lines(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// Plain word list.
pub(crate) fn words(src: &'static str) -> Vec<&'static str> {
    lines(src).map(str::trim).collect()
}

/// `kind<TAB>value` list.
pub(crate) fn tagged(src: &'static str) -> Vec<(&'static str, &'static str)> {
    lines(src).filter_map(|l| l.split_once('\t')).map(|(k, v)| (k.trim(), v.trim())).collect()
}

/// Total size in bytes of the embedded data.
pub fn embedded_bytes() -> usize {
    MUNICIPALITIES.len()
        + TOWNS_GZ.len()
        + VARIANTS.len()
        + COUNTRIES.len()
        + POLICE_HEADS.len()
        + POLICE_UNITS.len()
        + POLICE_STOP.len()
        + HQ_CUES.len()
        + BUSINESS_WORDS.len()
        + FACILITY_WORDS.len()
        + RESIDENCE_CUES.len()
        + CRIME_CUES.len()
        + CRIME_PLACE_STOP.len()
        + REMOTE_WORDS.len()
        + ATTRIBUTIVE.len()
        + OFFICE_TITLES.len()
        + HQ_STOP.len()
        + CRIME_CLAUSE_STOP.len()
        + CRIME_PHRASES.len()
        + POLICE_TRIM.len()
}
