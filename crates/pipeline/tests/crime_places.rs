//! Crime places through the whole pipeline (the offender's mentions in the sentence of the place).
use kiji_pipeline::{ArticleInput, Config, Pipeline};

// Train article wn-3657 (Japanese Wikinews, CC BY 2.5), its first two sentences: an office
// (事業所) is where the data were copied, not a business started there (the clause stop of
// dictionaries/address/crime_clause_stop.txt is 「事業を」, as in 「大阪市内で事業を起こしている」).
#[test]
fn an_office_where_the_act_was_done_is_a_crime_place() {
    let text = "警視庁は7月17日、府中市のシステムエンジニア・松崎正臣(まさおみ)容疑者(39)を不正競争防止法違反の営業秘密の複製容疑で逮捕した。捜査関係者によると、松崎容疑者は去る6月、多摩市にあるベネッセのグループ会社「シンフォーム」の事業所で、顧客のデータベースから、子供やその保護者の個人情報を複製して持ち出したとされている。";
    let out = Pipeline::new(&Config::default()).unwrap().process(&ArticleInput::new("wn-3657", text));
    assert!(out.persons.iter().any(|p| p.name == "松崎正臣" && p.is_offender), "{:?}", out.persons);
    assert_eq!(out.physical_crime_occured_locations, vec!["多摩市"]);
    assert!(out.headquarters_locations.is_empty(), "{:?}", out.headquarters_locations);
}
