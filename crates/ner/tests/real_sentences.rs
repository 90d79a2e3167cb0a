//! The lexicon recogniser on real sentences from the dev set
//! (Japanese Wikinews, CC BY 2.5; livedoor news, CC BY-ND 2.1 JP, verbatim).
use kiji_core::{ArticleInput, Document, Mention, MentionKind, Recognizer, SuffixClass};

fn recognize(text: &str) -> (Vec<Mention>, Vec<char>) {
    let analyzer = kiji_morph::Analyzer::new().unwrap();
    let input = ArticleInput::new("t", text);
    let mut doc = Document::new(&input, vec![]);
    doc.tokens = analyzer.tokenize(&doc.text);
    (kiji_ner::LexiconRecognizer::new().recognize(&doc), text.chars().collect())
}

fn persons(ms: &[Mention]) -> Vec<&str> {
    ms.iter().filter(|m| m.kind == MentionKind::Person).map(|m| m.name.as_str()).collect()
}

#[test]
fn suspect_with_position_and_age() {
    // wn-1841
    let (ms, chars) = recognize("大阪府警生安特捜隊は、著作権法違反(頒布目的所持)容疑で、雑貨卸売会社・『ライスフィールド』(大阪市東淀川区)社長・田中博之容疑者(44歳、大阪府箕面市在住)や同社社員ら12人を逮捕した。");
    let p = ms.iter().find(|m| m.kind == MentionKind::Person).unwrap();
    assert_eq!(p.name, "田中博之");
    let written: String = chars[p.span.start..p.span.end].iter().collect();
    assert_eq!(written, "田中博之");
    assert_eq!(p.suffix_class, Some(SuffixClass::Suspect));
    let suffix: String = chars[p.suffix.unwrap().start..p.suffix.unwrap().end].iter().collect();
    assert_eq!(suffix, "容疑者");
}

#[test]
fn two_persons_in_a_list_the_second_with_full_width_age() {
    // ld-kaden-channel-6217634
    let (ms, _) = recognize("人気SNS「ミクシィ」内で覚せい剤を売ったとして、東京都新宿区の元同区議、俵正と台東区の無職、鈴木博司（４３）が逮捕された。");
    assert_eq!(persons(&ms), vec!["俵正", "鈴木博司"]);
}

#[test]
fn reading_and_former_name_in_brackets_are_dropped() {
    // ld-topic-news-6298461, wn-732
    let (ms, _) = recognize("当時18歳の元少年・大月(旧姓・福田)孝行被告の裁判で、最高裁は20日、被告側の上告を棄却した。");
    assert_eq!(persons(&ms), vec!["大月孝行"]);
    let (ms, _) = recognize("110番通報をした派遣社員・引寺利明(ひきじ・としあき)容疑者(40歳)を逮捕した。");
    assert_eq!(persons(&ms), vec!["引寺利明"]);
}

#[test]
fn a_katakana_reading_or_a_real_name_in_brackets_before_the_suffix() {
    // Train wn-2086 and wn-242 (Japanese Wikinews, CC BY 2.5): the suffix after the aside
    // vouches for the name before it.
    let (ms, _) = recognize("AV女優の倖田梨紗(本名・菊地有紗)容疑者(22歳)の自宅マンションに、乾燥大麻約0.7 gを隠し持っていた疑いが持たれ、11月5日、大麻取締法違反の容疑で逮捕された。");
    assert!(persons(&ms).contains(&"倖田梨紗"), "{:?}", persons(&ms));
    let (ms, _) = recognize("大韓民国検察は28日(現地時間、UTC+9)、現代自動車グループ会長の鄭夢九(チョン・モング)容疑者を横領と背任の容疑で逮捕した。");
    assert!(persons(&ms).contains(&"鄭夢九"), "{:?}", persons(&ms));
}

#[test]
fn real_names_in_brackets_after_stage_and_ring_names() {
    // wn-14: the stage name is the person; 本名 is an alias, not a second person.
    let (ms, _) = recognize("日刊スポーツによると、元タレント・大阪府知事だった横山ノック氏(本名・山田勇)が5月3日午前7時28分死去した。");
    assert_eq!(persons(&ms), vec!["横山ノック"]);
    // wn-3199: ring names written with their reading are not names; the real names are.
    let (ms, _) = recognize("逮捕されたのは元小結双津龍(ふたつりゅう)・時津風親方こと無職の山本順一(57歳)と、兄弟子の明義豊(あきゆたか本名:木村正和24歳)、怒涛(どとう本名:伊塚雄一郎25歳)、時王丸(ときおうまる本名:藤居正憲22歳)の4人の容疑者。");
    let found = persons(&ms);
    for name in ["山本順一", "木村正和", "伊塚雄一郎", "藤居正憲"] {
        assert!(found.contains(&name), "{name} not in {found:?}");
    }
}

#[test]
fn foreign_names_titles_and_back_references() {
    // wn-1010, wn-1033
    let (ms, _) = recognize("サッカーのナイジェリア代表の主将を務めていたセグン・オデグバミ氏が立候補する意向を示した。なお、オデグバミ氏はすでに伝えている。");
    assert_eq!(persons(&ms), vec!["セグン・オデグバミ"]);
    assert!(ms.iter().any(|m| m.kind == MentionKind::PartialName && m.name == "オデグバミ"));
    let (ms, _) = recognize("東京新聞の仙石誠総務局長は「事実関係を確認し、もしこの容疑が事実ならばきわめて遺憾」と話している。同氏によると");
    let p = ms.iter().find(|m| m.kind == MentionKind::Person).unwrap();
    assert_eq!((p.name.as_str(), p.suffix_class), ("仙石誠", Some(SuffixClass::Title)));
    assert!(ms.iter().any(|m| m.kind == MentionKind::Anaphor));
}

#[test]
fn bylines_are_names_and_offence_words_are_not() {
    // wn-1039
    let (ms, _) = recognize("威力業務妨害容疑』。読売新聞社、2015年9月15日。山崎征克、神保圭作、深津誠『JRケーブル不審火:品川変電所ぼやで42歳容疑者逮捕』。");
    assert_eq!(persons(&ms), vec!["山崎征克", "神保圭作", "深津誠"]);
    // wn-1707: Latin bylines, media names are not persons.
    let (ms, _) = recognize("August 14,2005 BrianWilliams\"121 dead in crash\" SkyNews\"Cypriot plane\"");
    assert_eq!(persons(&ms), vec!["BrianWilliams"]);
}

#[test]
fn a_surname_alone_is_a_partial_name() {
    // wn-1033
    let (ms, _) = recognize("山根容疑者は9月14日午前7:55ごろ、電車内で女子高生の下腹部を触った疑い。");
    assert!(persons(&ms).is_empty());
    assert!(ms.iter().any(|m| m.kind == MentionKind::PartialName && m.name == "山根"));
}

#[test]
fn a_reading_between_the_name_and_its_suffix() {
    // wn-3196, wn-648, wn-2347 (train)
    for (text, name) in [
        ("アイドルユニットSMAPの一員であり、俳優の草彅剛(くさなぎ・つよし)容疑者(34)が東京都内の公園で全裸になっていたとして逮捕された。", "草彅剛"),
        ("若麒麟容疑者とともに逮捕されたミュージシャンの平野力(ひらの・つとむ)容疑者(30歳)とは、「3年ほど前に知り合った」と話した。", "平野力"),
        ("佐賀県警察本部は5月24日、唐津市内に住む土木作業員・坂口三之治(さかぐち・さのじ)容疑者(53歳)を逮捕した。", "坂口三之治"),
    ] {
        let (ms, _) = recognize(text);
        let m = ms.iter().find(|m| m.kind == MentionKind::Person && m.name == name).unwrap_or_else(|| panic!("{name} not in {ms:?}"));
        assert_eq!(m.suffix_class, Some(SuffixClass::Suspect), "{name}");
    }
}

#[test]
fn a_reading_then_an_age_and_a_weak_name_before_a_suffix() {
    // wn-3421 (train)
    let (ms, _) = recognize("4年生の天王寺谷亮(てんのうじや・りょう)(22歳)と3年生の瀬貫将也(せぬき・まさや)(21歳)の2人の容疑者が証拠隠滅の疑いで逮捕された。");
    assert!(persons(&ms).contains(&"瀬貫将也"), "{ms:?}");
    // wn-111 (train): 押尾 is no IPADIC surname; the run before 容疑者 is a weak
    // name, which only the person model may list (the rules leave it out).
    let (ms, _) = recognize("\"俳優・押尾学容疑者が麻薬使用容疑で逮捕\"。ウィキニュース、2009年8月4日。");
    let m = ms.iter().find(|m| m.kind == MentionKind::Person && m.name == "押尾学").unwrap_or_else(|| panic!("{ms:?}"));
    assert!(m.score <= kiji_ner::WEAK_NAME_SCORE && m.suffix_class == Some(SuffixClass::Suspect));
}
