//! The splitter against the address test sets of ../shared/data/address/tests
//! (geolonia/normalize-japanese-addresses and YuukiToriyama/japanese-address-parser, MIT).
//! Prints the pass rate per file; asserts prefecture+municipality >= 0.98 overall.
mod common;
use std::path::Path;

struct Rates {
    n: usize,
    pref_muni: usize,
    town: usize,
}

fn run(path: &Path, town_col: usize, fails: &mut Vec<String>) -> Rates {
    let s = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut r = Rates { n: 0, pref_muni: 0, town: 0 };
    for line in s.lines().skip(1) {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        if f.len() <= town_col {
            continue;
        }
        let sp = kiji_address::split(f[0]);
        r.n += 1;
        if sp.prefecture == f[1] && sp.municipality == f[2] {
            r.pref_muni += 1;
            if sp.town == f[town_col] {
                r.town += 1;
            }
        } else if fails.len() < 40 {
            fails.push(format!("{} -> {:?} (want {} {})", f[0], sp, f[1], f[2]));
        }
    }
    r
}

#[test]
fn splitter_pass_rates_per_test_file() {
    let base = common::data_dir().join("address/tests");
    let mut files: Vec<(std::path::PathBuf, usize)> = vec![(base.join("geolonia_normalize/addresses.csv"), 3)];
    let mut yuuki: Vec<_> = std::fs::read_dir(base.join("yuuki_parser/tests/test_data"))
        .expect("yuuki test data")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    yuuki.sort();
    files.extend(yuuki.into_iter().map(|p| (p, 3)));
    let (mut n, mut pm, mut tw) = (0, 0, 0);
    let mut fails = Vec::new();
    for (p, col) in &files {
        let r = run(p, *col, &mut fails);
        println!(
            "{:60} n {:5}  pref+muni {:.3}  +town {:.3}",
            p.file_name().unwrap().to_string_lossy(),
            r.n,
            r.pref_muni as f64 / r.n.max(1) as f64,
            r.town as f64 / r.n.max(1) as f64
        );
        n += r.n;
        pm += r.pref_muni;
        tw += r.town;
    }
    let rate = pm as f64 / n as f64;
    println!("ALL n {n} pref+muni {rate:.4} +town {:.4}", tw as f64 / n as f64);
    for f in &fails {
        println!("  FAIL {f}");
    }
    assert!(rate >= 0.98, "prefecture+municipality pass rate {rate:.4} < 0.98");
    assert!(tw as f64 / n as f64 >= 0.90, "town pass rate {:.4} < 0.90", tw as f64 / n as f64);
}

#[test]
fn splitter_examples() {
    let s = kiji_address::split("茨城県竜ケ崎市馴馬町5387");
    assert_eq!((s.prefecture.as_str(), s.municipality.as_str(), s.town.as_str(), s.rest.as_str()), ("茨城県", "龍ヶ崎市", "馴馬町", "5387"));
    let s = kiji_address::split("北海道ニセコ町字富士見55番地");
    assert_eq!((s.municipality.as_str(), s.town.as_str(), s.rest.as_str()), ("虻田郡ニセコ町", "字富士見", "55番地"));
    let s = kiji_address::split("大阪府茨木市平田1-8-20");
    assert_eq!((s.town.as_str(), s.rest.as_str()), ("平田一丁目", "8-20"));
    let s = kiji_address::split("");
    assert_eq!(s, kiji_address::Split::default());
}
