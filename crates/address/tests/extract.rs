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

/// (address, owner) pairs of a residence or head-office list, for comparing.
fn pairs(list: &[kiji_core::OwnedAddress]) -> Vec<(&str, &str)> {
    list.iter().map(|o| (o.address.as_str(), o.owner.as_str())).collect()
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
    let res = pairs(&out.residences);
    assert_eq!(res, vec![("東京都新宿区", "俵正"), ("台東区", "鈴木博司")]);
    assert!(out.physical_crime_occured_locations.is_empty(), "online sale: {:?}", out.physical_crime_occured_locations);
    let a = "23日午前11時ごろ、土浦市荒川沖東のJR常磐線荒川沖駅の改札口からショッピングセンターへの通路にかけて、同市中村東の無職・金川真広(かながわまさひろ)容疑者(24)が通行人を刺し、阿見町の会社員・山上高広さん(27)が死亡した。";
    let out = run(a, &[person("金川真広", true), person("山上高広", false)]);
    let res = pairs(&out.residences);
    assert_eq!(res, vec![("土浦市中村東", "金川真広"), ("阿見町", "山上高広")]);
}

/// Like `run`, with the IPADIC morphemes the pipeline gives every stage.
fn run_analysed(article: &str, persons: &[Person]) -> kiji_core::Addresses {
    let stage = AddressStage::new().expect("gazetteer");
    let input = ArticleInput::new("t", article);
    let mut doc = Document::new(&input, Vec::new());
    doc.tokens = kiji_morph::Analyzer::new().expect("IPADIC").tokenize(&doc.text);
    stage.extract(&doc, &[], persons)
}

#[test]
fn police_bodies_named_with_a_place_or_a_foreign_city() {
    // train articles (Wikinews, CC BY 2.5 / livedoor news, CC BY-ND 2.1 JP)
    // wn-2681: a station whose place is written with kana inside is not cut at the kana
    // (the gold joins it to 警視庁: 警視庁丸の内警察署; kiji still gives the two apart)
    let a = "路上販売したとして、警視庁丸の内警察署などは2月24日までに著作権法違反容疑で、山田太郎容疑者を逮捕した。";
    let police = run_analysed(a, &[person("山田太郎", true)]).police_departments;
    assert!(police.iter().any(|p| p.ends_with("丸の内警察署")) && !police.iter().any(|p| p == "内警察署"), "{police:?}");
    // wn-1604, wn-1593: a foreign city's police
    let a = "ロンドン警視庁は10日(現地時間、UTC)までに、山田太郎容疑者を逮捕した。";
    assert_eq!(run_analysed(a, &[person("山田太郎", true)]).police_departments, vec!["ロンドン警視庁"]);
    let a = "2007年5月1日、マカオの何厚カ行政長官に対する辞任要求デモがあり、デモ隊とマカオ警察が衝突した。";
    assert_eq!(run_analysed(a, &[]).police_departments, vec!["マカオ警察"]);
    // ld-sports-watch-6240692: 「部署」 is a common word, no police station
    let a = "静岡市がプロ野球球団創設に向け、4月に新部署を立ち上げる方針を決めたようだ。";
    assert!(run_analysed(a, &[]).police_departments.is_empty());
}

#[test]
fn a_head_office_belongs_to_a_company_not_to_a_person_or_a_role() {
    // train article wn-1818 (Wikinews, CC BY 2.5): a gymnast's country in brackets
    let a = "初出場となるブリジット・スローン選手(アメリカ合衆国)が合計57.525点で優勝、レベッカ・ブロス選手(アメリカ合衆国)が2位。";
    assert!(run(a, &[]).headquarters_locations.is_empty());
    // a company with its head office in brackets still is one
    let a = "雑貨卸売会社・『ライスフィールド』(大阪市東淀川区)社長・田中博之容疑者(44歳)を逮捕した。";
    assert_eq!(run(a, &[person("田中博之", true)]).headquarters_locations.len(), 1);
}

#[test]
fn a_head_office_owner_drops_its_bracketed_reading() {
    // train article wn-3637 (Wikinews, CC BY 2.5): the adjudicated gold owner is 淡海一家
    let a = "時事通信が捜査関係者の調べとして報じたところ、高山会長は山口組系の「淡海一家(おうみ・いっか)」(大津市)と共謀して京都市内の土木業者の男性に対する恐喝を行った。";
    let out = run(a, &[person("高山清司", true)]);
    assert_eq!(pairs(&out.headquarters_locations), vec![("大津市", "淡海一家")]);
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

fn run_with_companies(article: &str, persons: &[Person], companies: &[&str]) -> kiji_core::Addresses {
    let stage = AddressStage::new().expect("gazetteer");
    let mut input = ArticleInput::new("t", article);
    input.company_hints = companies.iter().map(|c| c.to_string()).collect();
    let doc = Document::new(&input, Vec::new());
    stage.extract(&doc, &[], persons)
}

#[test]
fn one_crime_place_per_municipality() {
    // wn-2068 style (Wikinews): the lead 「…で…発見された事件で」 and the act 「大仙市内で…殴った」
    // are one place, given as the article writes it in full (the adjudicated gold of wn-2068 too)
    let a = "秋田県大仙市で保育園児が遺体で発見された事件で、秋田県警察本部は11月13日、畠山鈴香容疑者を逮捕した。2人は10月23日夕方、大仙市内で駐車中の車内で男児を殴った。";
    let out = run(a, &[person("畠山鈴香", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["秋田県大仙市"]);
    // wn-1547 style: the finer place of the same ward wins
    let a = "神戸市長田区で、遺体が見つかった事件で兵庫県警は山田太郎容疑者を逮捕した。9月23日午後4時10分ごろ、長田区長田天神町にあるマンションの近くの草むらで遺体が発見された。";
    let out = run(a, &[person("山田太郎", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["長田区長田天神町"]);
}

#[test]
fn city_and_ward_written_apart_are_one_place() {
    // wn-602 style (Wikinews)
    let a = "仙台市の「光が丘スペルマン病院」で1月6日未明、赤ちゃんが誘拐された事件で、知人で仙台市宮城野区在住の会社員・佐藤和美容疑者(32歳)を逮捕した。事件は1月6日午前3時40分ごろ、宮城野区の光が丘スペルマン病院で、何者かが病室に侵入し、赤ちゃんを連れ去った。";
    let out = run(a, &[person("佐藤和美", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["仙台市宮城野区"]);
}

#[test]
fn operator_of_a_facility_is_not_a_head_office() {
    // wn-1033 (Wikinews): 「新宿区のJR東日本・新宿駅」 is the station, the crime place is 新宿区
    let a = "山根勉容疑者は9月14日午前7:55ごろ、新宿区のJR東日本・新宿駅に停車していた埼京線の電車内で女子高生の下腹部をスカートの上から触った疑い。";
    let out = run_with_companies(a, &[person("山根勉", true)], &["JR東日本"]);
    assert!(out.headquarters_locations.is_empty(), "{:?}", out.headquarters_locations);
    assert_eq!(out.physical_crime_occured_locations, vec!["新宿区"]);
    // a public body and a cited news outlet are not companies with a head office
    let a = "日本の外務省などによると、2人が死亡した。アメリカのCNNは5月1日に、容疑者が死亡したと伝えた。";
    let out = run_with_companies(a, &[], &["外務省", "CNN"]);
    assert!(out.headquarters_locations.is_empty(), "{:?}", out.headquarters_locations);
    let a = "任天堂とポケモン、Ingressを開発したアメリカのナイアンティック社が共同開発したゲーム。";
    let out = run(a, &[]);
    let hq = pairs(&out.headquarters_locations);
    assert_eq!(hq, vec![("アメリカ", "ナイアンティック社")]);
}

#[test]
fn crime_place_phrases() {
    // wn-13: a town starting with 一; 「…内を…暴走し」
    let a = "12月25日午後6時50分頃、宮城県仙台市青葉区一番町の歩行者専用アーケード「マーブルロードおおまち」内を乗用車が暴走し、通行人7人を次々にはね負傷させた。千葉良文容疑者を逮捕した。";
    let out = run(a, &[person("千葉良文", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["宮城県仙台市青葉区一番町"]);
    // wn-732: a facility's bracketed place 「工場(広島市南区)に侵入」
    let a = "山田太郎容疑者は、警備員の制止を振り切り同社・宇品(うじな)工場(広島市南区)に侵入。11人を次々と撥ねた。";
    let out = run(a, &[person("山田太郎", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["広島市南区"]);
    // wn-712: 「自宅で」 is the offender's stated residence
    let a = "兵庫県警は、神戸市須磨区在住のアルバイト・木村亮太容疑者(20歳)を逮捕した。木村亮太容疑者は、3回に亘り自宅で、男子生徒の背中に入れ墨を彫った疑い。";
    let out = run(a, &[person("木村亮太", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["神戸市須磨区"]);
    // wn-1886: a purchase, another man's offence while fleeing
    let a = "小松被告は、滋賀県草津市内や京都市内などで覚醒剤を使用していたとされる。同月24日午後に、京都市東山区内で交通違反を犯し逃走中の軽トラックを発見した。小松被告は、「大阪市内で覚醒剤を購入し、公園のトイレで吸引した」と供述している。";
    let out = run(a, &[person("笑福亭小松", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["滋賀県草津市", "京都市"]);
    // wn-1426: 「…の老女が行方不明となった事件で」 is the case, not a place phrase
    let a = "札幌市中央区の73歳の老女が行方不明となった事件で、遺体が焼肉店の冷蔵庫で発見され、山田太郎容疑者を逮捕した。";
    assert!(run(a, &[person("山田太郎", true)]).physical_crime_occured_locations.is_empty());
}

#[test]
fn a_place_where_someone_died_or_was_found_is_no_crime_place_and_an_accident_is_an_offence() {
    // Train articles (Japanese Wikinews, CC BY 2.5). wn-1025: where the offender later died
    // (「和歌山市内の病院で死亡していた」) is not where the offence was committed.
    let a = "強盗殺人罪で無期懲役の判決を受け服役中だった福田和子(ふくだかずこ)受刑者が、2005年3月に和歌山市内の病院で死亡していたことがわかった。福田受刑者は、1982年8月19日、勤務していた愛媛県松山市のスナックで同僚であった、当時31歳の女性ホステスを絞殺し、現金等を奪った上愛媛県内の山中に遺体を遺棄した。";
    let out = run(a, &[person("福田和子", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["愛媛県松山市", "愛媛県"]);
    // wn-1080: a child found and taken into care (「東京都内で発見・保護された」).
    let a = "酒井容疑者の夫・高相祐一容疑者(41歳)が8月3日に覚醒剤所持で逮捕された後、酒井容疑者と長男(10歳)がともに行方不明となっていたが、8月6日夜に酒井容疑者の長男が東京都内で発見・保護された。";
    assert!(run(a, &[person("高相祐一", true)]).physical_crime_occured_locations.is_empty());
    // ... but a death the offence caused stays: 「…で刺され死亡した」.
    let a = "山田太郎容疑者は、東京都内で男性が刺され死亡した事件で逮捕された。";
    assert_eq!(run(a, &[person("山田太郎", true)]).physical_crime_occured_locations, vec!["東京都"]);
    // wn-2553: a traffic accident (事故) with a bracketed reading after the town.
    let a = "読売新聞によると、7月11日午前8時半ごろ(UTC+9)、大分県日出町(ひじまち)の大分自動車道日出ジャンクション付近で、地元の私立柳ヶ浦高校の野球部員らが乗った大型バスが横転する事故があった。この事故で、大分県警は同高校野球部副部長・不破大樹(ふわ・だいき)容疑者(26歳)を自動車運転過失致傷の疑いで逮捕した。";
    assert_eq!(run(a, &[person("不破大樹", true)]).physical_crime_occured_locations, vec!["大分県日出町"]);
}

#[test]
fn a_crime_place_is_given_in_its_fullest_written_form() {
    // train article wn-2347 (Wikinews, CC BY 2.5): the lead writes 佐賀県唐津市, the
    // sentence of the act 唐津市 alone; the place is the one the article names in full.
    let a = "毎日新聞によると、5月20日に佐賀県唐津市で起きた男児ひき逃げ事件で、佐賀県警察本部は5月24日、唐津市内に住む土木作業員・坂口三之治(さかぐち・さのじ)容疑者(53歳)を業務上過失傷害、並びにひき逃げによる道路交通法違反の容疑で逮捕した。調べに対し坂口容疑者は容疑を認めている。この事件は5月20日夕方、唐津市内の県道で同市内に住む小学5年生の家原毅君(11歳)を坂口容疑者が運転した会社保有の2トントラックではね、毅君を事故発生現場から3キロ離れた山中に放置したとされる事件である。";
    let out = run(a, &[person("坂口三之治", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["佐賀県唐津市"]);
    // Written without its prefecture only: as written.
    let b = a.replacen("佐賀県唐津市", "唐津市", 1);
    assert_eq!(run(&b, &[person("坂口三之治", true)]).physical_crime_occured_locations, vec!["唐津市"]);
}

#[test]
fn police_place_run_starts_after_a_procedure_word() {
    let t = Text::new("『柔道技で生徒重傷、教諭を不起訴横浜地検「指導の一環」』");
    assert_eq!(kiji_address::find_police(&t), vec!["横浜地検"]);
    let t = Text::new("河上和雄教授(元最高検察庁公判部長)は述べた。");
    assert!(kiji_address::find_police(&t).is_empty());
}

#[test]
fn police_heads_inside_other_words_and_foreign_bodies() {
    // wn-3472 / wn-3301 style (Wikinews)
    let t = Text::new("撮影しているところを、鉄道警察隊が見かけた。ロシアの検察当局は同船長を起訴する方針。ロシアの国境警備隊から銃撃を受けた。日本の警察は調べている。");
    assert_eq!(kiji_address::find_police(&t), vec!["鉄道警察隊", "ロシアの検察当局", "ロシアの国境警備隊"]);
    let t = Text::new("和歌山地検の庁舎1階にいた検事が切り付けられた。和歌山県警和歌山西署が逮捕した。");
    assert_eq!(kiji_address::find_police(&t), vec!["和歌山県警和歌山西署"]);
}

#[test]
fn foreign_bodies_written_with_no_and_international_bodies() {
    // Train articles (Japanese Wikinews, CC BY 2.5): wn-3619, wn-75, wn-2329, wn-3091.
    let t = Text::new("日経新聞が中国の新華社伝で伝えたところによると、中国の警察は3月26日(UTC+8)、冷凍餃子中毒事件で、天洋食品の元臨時工の男を拘束した。");
    assert_eq!(kiji_address::find_police(&t), vec!["中国の警察"]);
    let t = Text::new("NBCはこれらの物品を直ちに連邦捜査局(FBI)に提出した。インターポールはアシュネル氏を指名手配している。レバノン司法当局が捜査している。");
    assert_eq!(kiji_address::find_police(&t), vec!["連邦捜査局", "インターポール", "レバノン司法当局"]);
    // Not a country before の: no body; 「日本の警察」 is the country's police in general.
    let t = Text::new("サマーワの警察当局が発表した。日本の警察当局も調べている。");
    assert!(kiji_address::find_police(&t).is_empty(), "{:?}", kiji_address::find_police(&t));
}

#[test]
fn a_section_or_branch_joined_by_no_or_a_dot_is_part_of_the_body() {
    // Train articles (Japanese Wikinews, CC BY 2.5): wn-714, wn-3399, wn-1113 write the unit
    // after の or ・, and their gold keeps it as written.
    let t = Text::new("「警察鬼ごっこ」と称して嘘の110番通報を行い、東京都大田区の路上で信号無視などの暴走行為を行ったとして、警視庁の交通執行課が6月2日までに6人を逮捕、ほか5人を書類送検、合わせて11人が検挙された。");
    assert_eq!(kiji_address::find_police(&t), vec!["警視庁の交通執行課"]);
    let t = Text::new("計13名が被疑者として挙げられ釧路地方検察庁の帯広支部に書類送検されたことが、帯広警察署より米沢市長に対して連絡が入ってきた。容疑者の身柄は7月28日午後、警察を通して長崎地検・佐世保支部に送検された。");
    assert_eq!(kiji_address::find_police(&t), vec!["釧路地方検察庁の帯広支部", "帯広警察署", "長崎地検・佐世保支部"]);
    // wn-2056, wn-3645: a case's team or a rank after の is no unit.
    let t = Text::new("海田警察署の捜査本部は11月30日早朝、男を逮捕した。出張で神戸市を訪れていた千葉県警浦安署の男性警部補(37歳)が鞄を盗まれた。");
    assert_eq!(kiji_address::find_police(&t), vec!["海田警察署", "千葉県警浦安署"]);
}

#[test]
fn a_rank_after_a_unit_ends_the_unit() {
    // Train wn-350 (Japanese Wikinews, CC BY 2.5): 「交通課警部補」 is the section and a rank.
    let t = Text::new("大阪府警は3月6日(UTC+9)に、証拠隠滅・虚偽有印公文書作成・同行使容疑で、泉南署交通課警部補・山下清人容疑者(57歳)を逮捕した。");
    assert_eq!(kiji_address::find_police(&t), vec!["大阪府警", "泉南署交通課"]);
}

#[test]
fn a_unit_written_in_katakana_or_ending_in_shitsu() {
    // Train wn-3412 (Japanese Wikinews, CC BY 2.5) and ld-livedoor-homme-6475684 (livedoor news,
    // CC BY-ND 2.1 JP, verbatim): units with katakana in their names, one an office (室).
    let t = Text::new("読売新聞によると、コンピュータウイルスを自分で作って、無断で使ったとされるアニメの画像に組み込んでインターネットで公開・流出したとして、京都府警ハイテク犯罪対策室等は1月24日、大阪府泉佐野市の大学院学生を、公衆送信権侵害などの著作権法違反容疑で逮捕した。");
    assert_eq!(kiji_address::find_police(&t), vec!["京都府警ハイテク犯罪対策室"]);
    let t = Text::new("1月18日には、京都府警サイバー犯罪対策課により、ワンクリック詐欺サイトに関連する不正指令電磁的記録供用事件、通称“ウイルス作成罪”の供用容疑で被疑者6人が逮捕された。");
    assert_eq!(kiji_address::find_police(&t), vec!["京都府警サイバー犯罪対策課"]);
}

#[test]
fn honbu_right_after_a_police_body_is_its_headquarters_not_a_unit() {
    // Train wn-3116 (Japanese Wikinews, CC BY 2.5): the car park north of the headquarters.
    let t = Text::new("読売新聞が警視庁からの発表として伝えたところによると、小泉容疑者は11月22日午後9時半ごろ(同)、千代田区にある警視庁本部北側の駐車場に停めてあった自動車内で、刃渡り20センチのナイフ1本を所持していた疑いがもたれている。");
    assert_eq!(kiji_address::find_police(&t), vec!["警視庁"]);
}

#[test]
fn words_and_offices_with_sho_that_are_no_police() {
    // Japanese Wikinews articles (CC BY 2.5): train wn-3201 「代理署名」 (a proxy signature holds
    // 署); pool wn-500 a labour inspection office, wn-481 Taiwan's health department, wn-2960
    // every station of a prefecture.
    for a in [
        "時事によると、過去に沖縄では1995年に海兵隊員3人が小学生の女の子を誘拐・暴行する事件があって、この時大田昌秀元知事がアメリカ軍用地の強制使用を行うために必要な代理署名を拒否し、その後反基地感情から日米両政府が沖縄県の基地負担を軽減することになり、宜野湾市の海兵隊普天間基地を返還に合意するきっかけにもなった。",
        "毎日新聞によれば、東芝は5月に各原子力発電所を管轄する労働基準監督署へ報告したという。",
        "ロイター通信とのインタビューにこたえ、台湾の行政院衛生署疾病管制局の蘇益仁(SuIh-jen)局長は、次のように語った。",
        "両新聞によれば、同県警は、この問題はポルフィリン症への無知・無理解がもたらしたものと見て、ポルフィリン症を紹介するDVDを同県内全署に配布し、病気への理解を求めることにした。",
    ] {
        let out = run_analysed(a, &[]);
        assert!(out.police_departments.is_empty(), "{a}: {:?}", out.police_departments);
    }
}

#[test]
fn the_national_police_agency_named_as_a_source_is_no_investigating_body() {
    // Train wn-1266 (Japanese Wikinews, CC BY 2.5): 警視庁公安部 investigates; 警察庁 is quoted.
    let t = Text::new("警視庁公安部は22日、日本送還後に逮捕する方針を固め、同日、特別捜査本部を設置した。警察庁によると、受刑者の菊村憂は1988年4月12日、アメリカ・ニュージャージー州で、乗用車内に爆発物3本を隠し持っていた。");
    assert_eq!(kiji_address::find_police(&t), vec!["警視庁公安部"]);
}

#[test]
fn coast_guard_and_sheriff_offices_are_investigating_bodies() {
    // Train articles (Japanese Wikinews, CC BY 2.5): wn-489, wn-1087.
    let t = Text::new("現在捜索を行っている横須賀海上保安部は19日夕方、業務上過失往来危険の疑いであたごの艦内を捜索している。第3管区海上保安本部(3管)の調べでは船体の損傷状況から判断した。");
    assert_eq!(kiji_address::find_police(&t), vec!["横須賀海上保安部", "第3管区海上保安本部"]);
    let t = Text::new("親権妨害容疑でアメリカ・ハワイ州保安局に逮捕され身柄拘束されていたことが判明した。");
    assert_eq!(kiji_address::find_police(&t), vec!["ハワイ州保安局"]);
}

#[test]
fn crime_places_of_a_facility_that_was_there_and_offences_named_by_their_goods() {
    // Train articles (Japanese Wikinews, CC BY 2.5). wn-118: 「…にあった診療所…で」.
    let a = "毎日新聞・読売新聞によると、東京都中央区にあった診療所・『銀座眼科』(2009年4月(UTC+9)に閉鎖)で視力回復のためのレーシック手術を受けた患者が角膜炎に感染した事件で、警視庁捜査1課と築地署は、元同診療所院長の溝口朝雄(ともお)容疑者(49歳、茨城県日立市在住)を逮捕した。";
    let out = run_analysed(a, &[person("溝口朝雄", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["東京都中央区"]);
    // wn-498: the offence is named by what was held (大麻).
    let a = "若ノ鵬容疑者は当時19歳だった6月24日午後1時ごろ(UTC+9)、東京都墨田区にある錦糸町駅近くの路上で、大麻が含まれた乾燥植物片0.368 g入りのタバコを1本持っていたとされる。";
    let out = run_analysed(a, &[person("若ノ鵬寿則", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["東京都墨田区"]);
    // wn-1913: 「…の旅館で…飲食を接待した」 (a vote bought over dinner).
    let a = "市長が以前社長をしていた会社の役員の長男とともに、亀岡市の旅館で、有権者にひとりあたり1万円相当の飲食を接待したとして、3月12日に逮捕された。";
    let out = run_analysed(a, &[person("中川圭一", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["亀岡市"]);
}

#[test]
fn crime_places_entered_or_taken_from() {
    // Train articles (Japanese Wikinews, CC BY 2.5; livedoor news, CC BY-ND 2.1 JP, verbatim).
    // wn-2211: 「…の建設現場から…を窃盗した」: the place things were taken from.
    let a = "警視庁・小松川警察署によると、後藤容疑者ら3人は今年7月15日に江戸川区にある都営住宅の建設現場から電気工事用のケーブル数十巻(100万円相当分)を窃盗したとされる。";
    let out = run_analysed(a, &[person("後藤祐樹", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["江戸川区"]);
    // wn-2096: 「…の回転寿司店「…」に、ワゴン車が…突っ込んだ」: the place driven into.
    let a = "産経新聞と47 NEWSによると、6月6日夕方6時半ごろ(UTC+9)、大津市の回転寿司店「スシロー瀬田店」に、ワゴン車が店内の待合室に突っ込んだ。";
    let out = run_analysed(a, &[person("山田太郎", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["大津市"]);
    // ld-sports-watch-6592154: driving without a licence (無免許) is an offence word.
    let a = "NOSAWA論外は、昨年2月にも仙台市内で泥酔し、無免許でタクシーを乗り逃げして逮捕されるなど、当時主戦場としていた新日本プロレスからは無期限の出場停止の処分を受けていた。";
    let out = run_analysed(a, &[person("野沢一茂", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["仙台市"]);
}

#[test]
fn a_prefecture_is_a_crime_place_only_written_with_nai() {
    // Train article wn-117 (Japanese Wikinews, CC BY 2.5): 「東京都内の自宅マンションで…所持」.
    let a = "警視庁の発表では、酒井容疑者は8月3日午前、東京都内の自宅マンションで覚醒剤の粉末0.008 g(1回の吸引量は0.030 gなので吸い残しと見られる)を所持していたとされる。";
    let out = run_analysed(a, &[person("酒井法子", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["東京都"]);
    // A bare prefecture is not: 「大阪府で…」 names the region the police speak for.
    let a = "大阪府警は、大阪府で覚醒剤を所持していたとして、山田太郎容疑者を逮捕した。";
    let out = run_analysed(a, &[person("山田太郎", true)]);
    assert!(out.physical_crime_occured_locations.is_empty(), "{:?}", out.physical_crime_occured_locations);
}

#[test]
fn the_place_of_an_arrest_is_no_crime_place_unless_the_act_is_told_first() {
    // Train articles (Japanese Wikinews, CC BY 2.5). wn-1283: 「大津市内で緊急逮捕した」.
    let a = "2月17日の報道によると、同日、滋賀県長浜市の国道8号線付近で男の子と女の子の幼稚園児2人が何者かによって刺される事件が起きた。滋賀県警察本部は直ちに捜査本部を設置し、2人を車で幼稚園に送った別の幼稚園児の母親を殺人の疑いで大津市内で緊急逮捕した。逮捕されたのは中華人民共和国国籍の鄭永善容疑者(34歳)。";
    let out = run_analysed(a, &[person("鄭永善", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["滋賀県長浜市"]);
    // wn-1181: 「東京都渋谷区で…日本刀を所持したとして…の疑いで現行犯逮捕」: the act comes first.
    let a = "3月8日の朝日新聞、サンケイスポーツ、中日新聞によると、俳優・木村一八(きむら・かずや)容疑者(36歳)が東京都渋谷区で無許可で日本刀を所持したとして銃刀法違反の疑いで現行犯逮捕された。";
    let out = run_analysed(a, &[person("木村一八", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["東京都渋谷区"]);
}

#[test]
fn residences_in_the_police_release_form_and_a_home_named_with_its_place() {
    // Train articles (Japanese Wikinews, CC BY 2.5). wn-2742: 「東京都新宿区歌舞伎町、会社員、P容疑者」.
    let a = "警視庁生活安全特捜隊と田園調布署は2008年11月8日(UTC+9)、東京都迷惑防止条例違反(常習ダフ屋行為の禁止)の疑いで、東京都新宿区歌舞伎町、会社員、関根健真容疑者(37)を逮捕した。";
    let out = run_analysed(a, &[person("関根健真", true)]);
    let res = pairs(&out.residences);
    assert_eq!(res, vec![("東京都新宿区歌舞伎町", "関根健真")]);
    // wn-3343: 「竹前容疑者は…、東京都目黒区の自宅で…所持していた」: the home is the residence
    // of the person named before it (and, with the offence there, the crime place too).
    let a = "同署によると、竹前容疑者は10日午後5時55分頃、東京都目黒区の自宅で乾燥大麻約2グラムをプラスチックケースなどに入れて所持していた。";
    // (the linker gives the person its surname mention 「竹前」; here it is given by hand)
    let at = a.chars().position(|c| c == '竹').expect("竹前");
    let takemae = Person { mentions: vec![kiji_core::Span::new(at, at + 2)], ..person("竹前裕", true) };
    let out = run_analysed(a, &[takemae]);
    let res = pairs(&out.residences);
    assert_eq!(res, vec![("東京都目黒区", "竹前裕")]);
    assert_eq!(out.physical_crime_occured_locations, vec!["東京都目黒区"]);
}

#[test]
fn a_residence_cue_after_nai_and_a_relative_named_after_it() {
    // Train articles (Japanese Wikinews, CC BY 2.5). wn-2347: 「唐津市内に住む…P容疑者」.
    let a = "毎日新聞によると、5月20日に佐賀県唐津市で起きた男児ひき逃げ事件で、佐賀県警察本部は5月24日、唐津市内に住む土木作業員・坂口三之治(さかぐち・さのじ)容疑者(53歳)を業務上過失傷害、並びにひき逃げによる道路交通法違反の容疑で逮捕した。";
    let out = run_analysed(a, &[person("坂口三之治", true)]);
    assert_eq!(pairs(&out.residences), vec![("唐津市", "坂口三之治")]);
    // wn-3326: 「同市内在住の…P容疑者」, 同市 resolved to the city named before.
    let a = "産経新聞とTBSによると、12月14日夜(日本時間)に起きた長崎県佐世保市のスポーツジムでの銃乱射事件で長崎県警佐世保署の捜査本部は15日(同)同市内の教会で死んだ男が容疑者と断定した。TBSによると、遺体で発見された犯人は同市内在住の職業不詳・馬込政義容疑者(37歳)。";
    let out = run_analysed(a, &[person("馬込政義", true)]);
    assert_eq!(pairs(&out.residences), vec![("佐世保市", "馬込政義")]);
    // wn-111: 「東京都内に住む酒井さんの母親」: the mother lives there, not 酒井法子.
    let a = "朝日新聞によると、女優の酒井法子さん(38歳)が、行方不明になっていることが8月4日わかった。また自宅にもいておらず、東京都内に住む酒井さんの母親とも連絡がないという状態である。";
    let at = a.char_indices().filter(|(_, c)| *c == '酒').nth(1).map(|(b, _)| a[..b].chars().count()).expect("酒井さん");
    let sakai = Person { mentions: vec![kiji_core::Span::new(at, at + 2)], ..person("酒井法子", false) };
    let out = run_analysed(a, &[sakai]);
    assert!(out.residences.is_empty(), "{:?}", out.residences);
}

#[test]
fn a_city_before_its_country_in_brackets_has_no_head_office() {
    // Train ld-topic-news-6608148 (livedoor news, CC BY-ND 2.1 JP, verbatim): two cities, each
    // with its country in brackets, as a company's seat is written; no company is named.
    let a = "今月23日、国際オリンピック委員会（IOC）は、2020年の五輪開催地を東京、マドリード（スペイン）、イスタンブール（トルコ）の3都市に絞った。";
    let out = run_analysed(a, &[]);
    assert!(out.headquarters_locations.is_empty(), "{:?}", out.headquarters_locations);
}

#[test]
fn head_offices_written_before_a_named_company_and_a_bracket_before_a_group() {
    // Train articles (Japanese Wikinews, CC BY 2.5). wn-1410: 「北海道の食肉加工会社・ミートホープ社の
    // 田中稔社長」: the place is the company's seat, not the president's residence.
    let a = "日本経済新聞によると、北海道の食肉加工会社・ミートホープ社の田中稔社長は7月10日、近く会社を自己破産申請する考えを示した。";
    let out = run_analysed(a, &[person("田中稔", false)]);
    let hq = pairs(&out.headquarters_locations);
    assert_eq!(hq, vec![("北海道", "ミートホープ社")]);
    assert!(out.residences.is_empty(), "{:?}", out.residences);
    // wn-239: 「…にある食肉加工販売会社「ミートホープ」」.
    let a = "千葉日報と苫小牧民報によると、北海道苫小牧市にある食肉加工販売会社「ミートホープ｣の偽装事件で、札幌地検は、ミートホープの元社長田中稔容疑者(69)を起訴した。";
    let out = run_analysed(a, &[person("田中稔", true)]);
    let hq = pairs(&out.headquarters_locations);
    assert_eq!(hq, vec![("北海道苫小牧市", "ミートホープ")]);
    // wn-1174: 「ライブドア(東京都港区)グループによる」: a word after the bracket is no list of buildings.
    let a = "毎日新聞によると、ライブドア(東京都港区)グループによる証券取引法違反事件で、東京地方検察庁特別捜査部は23日、堀江貴文ライブドア社長(33歳)を同法違反容疑で逮捕した、と発表した。";
    let out = run_analysed(a, &[person("堀江貴文", true)]);
    let hq = pairs(&out.headquarters_locations);
    assert_eq!(hq, vec![("東京都港区", "ライブドア")]);
}

#[test]
fn a_foreign_crime_place_keeps_the_country_written_before_it() {
    // Train article wn-1764 (Japanese Wikinews, CC BY 2.5): 「アメリカ合衆国オハイオ州で」.
    let a = "読売新聞によると、アメリカ合衆国オハイオ州で、26歳の母が、生後1ヶ月の娘を電子レンジで殺害したとして、27日、逮捕された。APによると、この母はチャイナ・アーノルド容疑者26歳。";
    let out = run_analysed(a, &[person("チャイナ・アーノルド", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["アメリカ合衆国オハイオ州"]);
    // wn-1266: 「アメリカ・ニュージャージー州で」, and 「アメリカで」 of the same act is then not listed apart.
    let a = "アメリカでパイプ爆弾3本を所持していたとして逮捕され同国で服役していた菊村憂受刑者(54)が、4月、出所することがわかった。菊村憂は1988年4月12日、アメリカ・ニュージャージー州で、乗用車内に爆発物3本を隠し持っていたとして州警察官によって逮捕された。";
    let out = run_analysed(a, &[person("菊村憂", true)]);
    assert_eq!(out.physical_crime_occured_locations, vec!["アメリカ・ニュージャージー州"]);
}
