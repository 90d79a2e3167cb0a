//! Compiles the IPADIC sources of Debian's `mecab-ipadic` package into a
//! lindera dictionary under `OUT_DIR/ipadic`, which `src/dict.rs` embeds with
//! `include_bytes!`. Never touches the network.
//!
//! Source directory: `$KIJI_IPADIC_DIR`, else `/usr/share/mecab/dic/ipadic`
//! (`apt-get install mecab-ipadic`). The CSVs may be EUC-JP (Debian) or UTF-8
//! (lindera's own `mecab-ipadic-2.7.0-*` tarball); the encoding is detected,
//! or forced with `$KIJI_IPADIC_ENCODING`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::Metadata;
use lindera_dictionary::dictionary::schema::Schema;

const DEFAULT_DIR: &str = "/usr/share/mecab/dic/ipadic";

/// Files lindera needs besides the `*.csv` lexicon.
const REQUIRED: [&str; 3] = ["matrix.def", "char.def", "unk.def"];

/// Files `src/dict.rs` embeds; all must exist after a build.
const OUTPUTS: [&str; 9] = [
    "char_def.bin",
    "matrix.mtx",
    "dict.trie",
    "dict.valsidx",
    "dict.vals",
    "unk.bin",
    "dict.wordsidx",
    "dict.words",
    "metadata.json",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=KIJI_IPADIC_DIR");
    println!("cargo:rerun-if-env-changed=KIJI_IPADIC_ENCODING");

    let src = env::var_os("KIJI_IPADIC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR));
    check_source(&src);
    println!("cargo:rerun-if-changed={}", src.display());
    for f in REQUIRED {
        println!("cargo:rerun-if-changed={}", src.join(f).display());
    }

    let encoding = env::var("KIJI_IPADIC_ENCODING").unwrap_or_else(|_| detect_encoding(&src));

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let dict_dir = out_dir.join("ipadic");
    if dict_dir.exists() {
        fs::remove_dir_all(&dict_dir)
            .unwrap_or_else(|e| panic!("cannot clear {}: {e}", dict_dir.display()));
    }

    let start = Instant::now();
    DictionaryBuilder::new(metadata(&encoding))
        .build_dictionary(&src, &dict_dir)
        .unwrap_or_else(|e| {
            panic!(
                "kiji-morph: building IPADIC from {} ({encoding}) failed: {e}",
                src.display()
            )
        });
    let mut total = 0u64;
    for f in OUTPUTS {
        let p = dict_dir.join(f);
        let len = fs::metadata(&p)
            .unwrap_or_else(|e| panic!("lindera did not write {}: {e}", p.display()))
            .len();
        total += len;
    }
    // Reported by `Analyzer::dictionary_info()`; no cargo:warning so builds stay quiet.
    println!("cargo:rustc-env=KIJI_IPADIC_BYTES={total}");
    println!(
        "cargo:rustc-env=KIJI_IPADIC_BUILD_MS={}",
        start.elapsed().as_millis()
    );
    println!("cargo:rustc-env=KIJI_IPADIC_ENCODING={encoding}");
    println!("cargo:rustc-env=LINDERA_WORKDIR={}", out_dir.display());
    println!("cargo:rustc-env=KIJI_IPADIC_SOURCE={}", src.display());
}

fn check_source(src: &Path) {
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|f| !src.join(f).is_file())
        .collect();
    let has_csv = fs::read_dir(src)
        .map(|rd| {
            rd.flatten().any(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("csv"))
            })
        })
        .unwrap_or(false);
    if missing.is_empty() && has_csv {
        return;
    }
    panic!(
        "\n\nkiji-morph needs the IPADIC sources (CSV lexicon, matrix.def, char.def, unk.def) \
         in {dir}, but {what} missing.\n\
         Install them with:\n\n    sudo apt-get update && sudo apt-get install -y mecab-ipadic\n\n\
         (or run .ci/install-deps.sh), or point KIJI_IPADIC_DIR at a directory \
         holding an unpacked mecab-ipadic-2.7.0 source tree.\n\n",
        dir = src.display(),
        what = if missing.is_empty() {
            "the *.csv files are".to_owned()
        } else if has_csv {
            format!("{} is", missing.join(", "))
        } else {
            format!("{} and the *.csv files are", missing.join(", "))
        },
    );
}

/// Debian ships the sources in EUC-JP; lindera's tarball is UTF-8.
fn detect_encoding(src: &Path) -> String {
    let probe = ["Noun.csv", "Postp.csv", "char.def", "unk.def"];
    for f in probe {
        if let Ok(bytes) = fs::read(src.join(f)) {
            if !bytes.is_ascii() {
                return if std::str::from_utf8(&bytes).is_ok() {
                    "UTF-8"
                } else {
                    "EUC-JP"
                }
                .to_owned();
            }
        }
    }
    "EUC-JP".to_owned()
}

fn metadata(encoding: &str) -> Metadata {
    let fields = |v: &[&str]| Schema::new(v.iter().map(|s| s.to_string()).collect());
    Metadata::new(
        "ipadic".to_owned(),
        encoding.to_owned(),
        -10000,
        1288,
        1288,
        "*".to_owned(),
        true,
        false,
        false,
        fields(&[
            "surface",
            "left_context_id",
            "right_context_id",
            "cost",
            "part_of_speech",
            "part_of_speech_subcategory_1",
            "part_of_speech_subcategory_2",
            "part_of_speech_subcategory_3",
            "conjugation_type",
            "conjugation_form",
            "base_form",
            "reading",
            "pronunciation",
        ]),
        fields(&["surface", "part_of_speech", "reading"]),
    )
}
