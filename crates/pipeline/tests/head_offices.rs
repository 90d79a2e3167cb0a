//! Head offices through the whole pipeline (IPADIC tokens, the recogniser's organisations).
use kiji_pipeline::{ArticleInput, Config, Pipeline};

// Train article wn-376 (Japanese Wikinews, CC BY 2.5), its first sentence: the recogniser reads
// トンボ鉛筆 as an organisation after 「日本の文房具メーカー・」; the home country is no head
// office (dictionaries/address/too_broad.txt), as it is no crime place or residence.
#[test]
fn the_home_country_is_no_head_office() {
    let text = "徳島新聞、読売新聞によると、日本の文房具メーカー・トンボ鉛筆会長・小川洋平容疑者(59歳)が覚せい剤を所持した疑いで警視庁に逮捕された。";
    let out = Pipeline::new(&Config::default()).unwrap().process(&ArticleInput::new("wn-376", text));
    assert!(out.persons.iter().any(|p| p.name == "小川洋平" && p.is_offender), "{:?}", out.persons);
    assert!(out.headquarters_locations.is_empty(), "{:?}", out.headquarters_locations);
}
