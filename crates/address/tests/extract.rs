//! The address stage on real articles of ../shared/data (Japanese Wikinews, CC BY 2.5;
//! livedoor news, CC BY-ND 2.1 JP, quoted verbatim).
mod common;
use kiji_address::{find_addresses, AddressStage, Level};
use kiji_core::{AddressExtractor, ArticleInput, Category, Document, Person, Text};

fn person(name: &str, offender: bool) -> Person {
    Person {
        name: name.into(),
        is_real: true,
        is_offender: offender,
        age: None,
        position: None,
        affiliation: None,
        category: Category::Other,
        act: None,
        reason: None,
        mentions: vec![],
    }
}

fn run(article: &str, persons: &[Person]) -> kiji_core::Addresses {
    let stage = AddressStage::new().expect("gazetteer");
    let input = ArticleInput::new("t", article);
    let doc = Document::new(&input, Vec::new());
    stage.extract(&doc, &[], persons)
}

#[test]
fn guideline_example_wn_1841() {
    // dev article wn-1841 (Wikinews, CC BY 2.5)
    let a = "大阪府警生安特捜隊は、著作権法違反(頒布目的所持)容疑で、雑貨卸売会社・『ライスフィールド』(大阪市東淀川区)社長・田中博之容疑者(44歳、大阪府箕面市在住)や同社社員ら12人を逮捕したと、9月29日(UTC+9)に発表した。";
    let out = run(a, &[person("田中博之", true)]);
    assert_eq!(out.police_departments, vec!["大阪府警生安特捜隊"]);
    assert_eq!(out.residences.len(), 1);
    assert_eq!((out.residences[0].address.as_str(), out.residences[0].owner.as_str()), ("大阪府箕面市", "田中博之"));
    assert_eq!(out.headquarters_locations.len(), 1);
    assert_eq!(out.headquarters_locations[0].address, "大阪市東淀川区");
    assert_eq!(out.headquarters_locations[0].owner, "ライスフィールド");
}

#[test]
fn place_occupation_name_and_same_city() {
    // ld-kaden-channel-6217634 (livedoor news, verbatim) and wn-1217 (Wikinews)
    let a = "人気SNS「ミクシィ」内で覚せい剤を売ったとして、東京都新宿区の元同区議、俵正と台東区の無職、鈴木博司（４３）が逮捕された。";
    let out = run(a, &[person("俵正", true), person("鈴木博司", true)]);
    let res: Vec<(&str, &str)> = out.residences.iter().map(|o| (o.address.as_str(), o.owner.as_str())).collect();
    assert_eq!(res, vec![("東京都新宿区", "俵正"), ("台東区", "鈴木博司")]);
    assert!(out.physical_crime_occured_locations.is_empty(), "online sale: {:?}", out.physical_crime_occured_locations);
    let a = "23日午前11時ごろ、土浦市荒川沖東のJR常磐線荒川沖駅の改札口からショッピングセンターへの通路にかけて、同市中村東の無職・金川真広(かながわまさひろ)容疑者(24)が通行人を刺し、阿見町の会社員・山上高広さん(27)が死亡した。";
    let out = run(a, &[person("金川真広", true), person("山上高広", false)]);
    let res: Vec<(&str, &str)> = out.residences.iter().map(|o| (o.address.as_str(), o.owner.as_str())).collect();
    assert_eq!(res, vec![("土浦市中村東", "金川真広"), ("阿見町", "山上高広")]);
}

#[test]
fn police_bodies_are_deduplicated() {
    // wn-103 / wn-2600 style (Wikinews)
    let a = "警視庁石神井警察署によると、石神井警察署は捜査を続けている。警視庁池袋署が、夏田昌和容疑者(42、東京都調布市在住)を逮捕した。池袋署によると同署は";
    let t = Text::new(a);
    assert_eq!(kiji_address::find_police(&t), vec!["警視庁石神井警察署", "警視庁池袋署"]);
    let out = run(a, &[person("夏田昌和", true)]);
    assert_eq!(out.residences[0].address, "東京都調布市");
}

#[test]
fn recogniser_offsets_and_same_ref() {
    let a = "京都市内の金融機関で、馬場美次(68歳)(京都市右京区)、角尾直美(37歳)(同市北区)を逮捕。";
    let t = Text::new(a);
    let spans = find_addresses(&t);
    for s in &spans {
        if !s.resolved {
            assert_eq!(t.slice(s.span), s.text);
        }
    }
    let same = spans.iter().find(|s| s.resolved).expect("同市北区");
    assert_eq!(same.text, "京都市北区");
    assert_eq!(t.slice(same.span), "同市北区");
    assert_eq!(same.municipality.as_deref(), Some("京都市北区"));
    assert!(spans.iter().any(|s| s.text == "京都市右京区" && s.level == Level::Municipality));
}

#[test]
fn no_offender_no_crime_location_and_remote_crimes() {
    let a = "東京都新宿区歌舞伎町の路上で男性が刺される事件があった。";
    assert!(run(a, &[]).physical_crime_occured_locations.is_empty());
    let out = run(a, &[person("山田太郎", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["東京都新宿区歌舞伎町"]);
    let a = "山田太郎容疑者は東京都新宿区の自宅でインターネットを使って詐欺をした疑い。";
    assert!(run(a, &[person("山田太郎", true)]).physical_crime_occured_locations.is_empty());
}

#[test]
fn homeless_is_empty_residence() {
    let a = "警視庁は住所不定、無職、山田太郎容疑者(45)を逮捕した。";
    let out = run(a, &[person("山田太郎", true)]);
    assert_eq!(out.residences.len(), 1);
    assert_eq!(out.residences[0].address, "");
}

#[test]
fn never_panics_on_odd_input() {
    let long = "東京都".repeat(5000);
    let inputs = [
        "",
        "同市",
        "同県警",
        "(((((((東京都新宿区",
        "東京都新宿区)))))))在住",
        "🎌🗾東京都🎌新宿区😀在住の😀山田太郎😀",
        "警視庁・・・・署課部隊",
        "住所不定",
        "ｵｵｻｶﾌｹｲ大阪府警１２３課",
        long.as_str(),
        "\u{FE00}\u{E0100}葛󠄀飾区",
    ];
    for a in inputs {
        let out = run(a, &[person("山田太郎", true), person("", false)]);
        for s in out
            .residences
            .iter()
            .chain(&out.headquarters_locations)
            .map(|o| o.address.as_str())
            .chain(out.physical_crime_occured_locations.iter().map(|s| s.as_str()))
            .chain(out.police_departments.iter().map(|s| s.as_str()))
        {
            assert!(a.contains(s) || s.is_empty() || a.contains("同"), "{s:?} not in {a:?}");
        }
        let _ = kiji_address::split(a);
    }
}
