//! Attributes of persons in real sentences from the dev set (Japanese
//! Wikinews, CC BY 2.5), through morphology, NER and linking.
use kiji_core::{ArticleInput, AttributeClassifier, Category, Document, Linker, Person, Recognizer};

fn persons(text: &str) -> Vec<Person> {
    let analyzer = kiji_morph::Analyzer::new().unwrap();
    let input = ArticleInput::new("t", text);
    let mut doc = Document::new(&input, vec![]);
    doc.tokens = analyzer.tokenize(&doc.text);
    let ms = kiji_ner::LexiconRecognizer::new().recognize(&doc);
    let ents = kiji_link::RuleLinker.link(&doc, &ms);
    kiji_attr::RuleAttributes::new().classify(&doc, &ms, &ents)
}

fn find<'a>(ps: &'a [Person], name: &str) -> &'a Person {
    ps.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("{name} not in {ps:?}"))
}

#[test]
fn the_guideline_example_wn_1841() {
    let text = "大阪府警生安特捜隊は、著作権法違反(頒布目的所持)容疑で、雑貨卸売会社・『ライスフィールド』(大阪市東淀川区)社長・田中博之容疑者(44歳、大阪府箕面市在住)や同社社員ら12人を逮捕した。";
    let ps = persons(text);
    let p = find(&ps, "田中博之");
    assert!(p.is_offender && p.is_real);
    assert_eq!(p.age.as_deref(), Some("44"));
    assert_eq!(p.position.as_deref(), Some("社長"));
    assert_eq!(p.affiliation.as_deref(), Some("ライスフィールド"));
    assert_eq!(p.category, Category::LawViolation);
    assert_eq!(p.act.as_deref(), Some("著作権法違反(頒布目的所持)"));
    assert_eq!(p.reason.as_deref(), Some(text));
}

#[test]
fn arrest_after_a_list_of_names() {
    // ld-kaden-channel-6217634
    let ps = persons("人気SNS「ミクシィ」内で覚せい剤を売ったとして、東京都新宿区の元同区議、俵正と台東区の無職、鈴木博司（４３）が逮捕された。");
    for name in ["俵正", "鈴木博司"] {
        assert!(find(&ps, name).is_offender, "{name}");
    }
    let s = find(&ps, "鈴木博司");
    assert_eq!((s.age.as_deref(), s.position.as_deref()), (Some("43"), Some("無職")));
}

#[test]
fn a_victim_is_not_the_offender() {
    // wn-103 (shortened)
    let ps = persons("同病院に勤務していた看護師の井ヶ田治さん(33)が、入院していた予備校生の少年(18)に切り出しナイフで腹部を刺された。管轄の警視庁石神井警察署によると、殺人未遂の現行犯で少年を逮捕した。");
    let p = find(&ps, "井ヶ田治");
    assert!(!p.is_offender);
    assert_eq!(p.category, Category::Other);
    assert_eq!((p.age.as_deref(), p.position.as_deref()), (Some("33"), Some("看護師")));
    assert!(p.act.is_none());
}

#[test]
fn group_suffix_makes_each_listed_person_a_defendant() {
    // wn-3520
    let ps = persons("犯人隠避罪に問われた元同地検特捜部長・大坪弘道(58歳)、元副部長・佐賀元明(51歳)両被告(いずれも懲戒免職処分済)の判決公判が開かれた。");
    for name in ["大坪弘道", "佐賀元明"] {
        let p = find(&ps, name);
        assert!(p.is_offender, "{name}");
        assert_eq!(p.act.as_deref(), Some("犯人隠避"));
    }
    assert_eq!(find(&ps, "佐賀元明").age.as_deref(), Some("51"));
}

#[test]
fn politicians_are_peps_and_judges_never_offenders() {
    // wn-2398, wn-1902
    let ps = persons("河村たかし名古屋市長は運営会社に対して抗議した。");
    let p = find(&ps, "河村たかし");
    assert_eq!((p.position.as_deref(), p.affiliation.as_deref()), (Some("市長"), Some("名古屋市")));
    assert_eq!(p.category, Category::Peps);
    let ps = persons("両報道によると、登石郁朗裁判長は、衆議院議員・石川知裕被告(38歳)に禁錮2年・執行猶予3年を言い渡した。");
    assert!(!find(&ps, "登石郁朗").is_offender);
    let k = find(&ps, "石川知裕");
    assert!(k.is_offender);
    assert_eq!(k.position.as_deref(), Some("衆議院議員"));
}

#[test]
fn a_byline_before_a_cited_headline_is_not_an_offender() {
    // wn-1033
    let ps = persons("東京新聞、2009年9月14日。毎日jp(町田徳丈)『痴漢:容疑で東京新聞社員を現行犯逮捕JR埼京線内』。毎日新聞、2009年9月14日。");
    assert!(!find(&ps, "町田徳丈").is_offender);
}

#[test]
fn a_child_named_before_the_arrested_mother_is_not_the_offender() {
    // wn-2068
    let ps = persons("東京新聞によると、秋田県大仙市で保育園児・進藤諒介君(当時4つ)が遺体で発見された事件で、秋田県警察本部は11月13日、諒介君の母親とその知人の男を殺人容疑で逮捕した。逮捕されたのは諒介君の母親・美香容疑者(31歳)と、美香容疑者の知人で高校の非常勤技師・畠山博容疑者(43歳)の2人。");
    let child = find(&ps, "進藤諒介");
    assert!(!child.is_offender, "{:?}", child.reason);
    assert!(find(&ps, "畠山博").is_offender);
}
