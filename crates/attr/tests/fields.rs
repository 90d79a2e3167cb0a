//! The learned field stage's candidates and decisions on real text (train
//! article wn-529, Japanese Wikinews, CC BY 2.5), through morphology, NER and
//! linking.
use kiji_attr::fields::candidates::{candidates, FieldView};
use kiji_attr::fields::{Field, FieldModels, FieldStage};
use kiji_core::{ArticleInput, AttributeClassifier, Document, Linker, Mention, Person, Recognizer};

const WN_529: &str = "読売新聞・時事通信によると、光学機器大手・オリンパスの粉飾決算事件で、東京地検特捜部は2月16日(UTC+9)に、同社の前会長・菊川剛(70歳)、前常勤監査役・山田秀雄(67歳)、前副社長・森久志(54歳)の3容疑者を金融商品取引法違反(有価証券報告書の虚偽記載)容疑で逮捕した。";

struct Analysed {
    input: ArticleInput,
}

impl Analysed {
    fn run<T>(&self, f: impl FnOnce(&Document, &[Mention], &[kiji_core::PersonEntity], Vec<Person>) -> T) -> T {
        let analyzer = kiji_morph::Analyzer::new().unwrap();
        let mut doc = Document::new(&self.input, vec![]);
        doc.tokens = analyzer.tokenize(&doc.text);
        let ms = kiji_ner::LexiconRecognizer::new().recognize(&doc);
        let ents = kiji_link::RuleLinker.link(&doc, &ms);
        let persons = kiji_attr::RuleAttributes::new().classify(&doc, &ms, &ents);
        f(&doc, &ms, &ents, persons)
    }
}

#[test]
fn candidates_hold_the_title_and_the_company_but_no_name_or_particle() {
    let a = Analysed { input: ArticleInput::new("wn-529", WN_529) };
    a.run(|doc, ms, ents, persons| {
        let k = persons.iter().position(|p| p.name == "菊川剛").expect("菊川剛 listed");
        let mine: Vec<&Mention> = ents[k].mentions.iter().map(|&i| &ms[i]).collect();
        let view = FieldView::new(doc, ms);
        let mut near = Vec::new();
        candidates(&view, &mine, None, false, &mut near);
        let texts: Vec<&str> = near.iter().map(|c| c.text.as_str()).collect();
        assert!(texts.contains(&"前会長"), "{texts:?}");
        assert!(texts.iter().all(|t| !t.contains("菊川") && !t.contains("山田秀雄") && !t.ends_with('の') && !t.contains('、')), "{texts:?}");
        // The company is named far from the name (「オリンパスの粉飾決算事件で、…同社の前会長・菊川剛」):
        // an organisation of the article, a candidate only for affiliations.
        let mut far = Vec::new();
        candidates(&view, &mine, None, true, &mut far);
        let c = far.iter().find(|c| c.text == "オリンパス").expect("オリンパス among the article's organisations");
        assert!(!c.rule && c.span.is_some());
        // The rules' value is a candidate even when it is not written near the person.
        candidates(&view, &mine, Some("オリンパス光学"), false, &mut near);
        assert!(near.iter().any(|c| c.rule && c.text == "オリンパス光学" && c.span.is_none()));
    });
}

/// The shipped models on an article they were trained on: the offenders'
/// titles come out as written, and a field the rules had keeps a value.
#[test]
fn shipped_models_keep_titles_of_the_offenders() {
    let a = Analysed { input: ArticleInput::new("wn-529", WN_529) };
    a.run(|doc, ms, ents, mut persons| {
        let rules = persons.clone();
        FieldStage::new(FieldModels::embedded().unwrap()).refine(doc, ms, ents, &mut persons);
        for (name, title) in [("菊川剛", "前会長"), ("山田秀雄", "前常勤監査役"), ("森久志", "前副社長")] {
            let p = persons.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("{name}"));
            assert!(p.is_offender, "{name}");
            assert_eq!(p.position.as_deref(), Some(title), "{name}");
        }
        for (p, r) in persons.iter().zip(&rules) {
            for f in Field::ALL {
                assert!(f.of(r).is_none() || f.of(p).is_some(), "{}: {} dropped", p.name, f.name());
            }
        }
    });
}

/// The act choice on the same article: the charge written once for the
/// three (with its bracketed detail) is each one's act.
#[test]
fn shipped_models_give_the_charge_to_each_offender() {
    let a = Analysed { input: ArticleInput::new("wn-529", WN_529) };
    a.run(|doc, ms, ents, mut persons| {
        FieldStage::new(FieldModels::embedded().unwrap()).refine(doc, ms, ents, &mut persons);
        for name in ["菊川剛", "山田秀雄", "森久志"] {
            let p = persons.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(p.act.as_deref(), Some("金融商品取引法違反(有価証券報告書の虚偽記載)"), "{name}");
        }
    });
}

/// Train wn-2768 (shortened): the company of the executive is written with
/// his title far from his name (「大倉容疑者はノエビアの副社長」); the view
/// finds it before every occurrence of the title, joiners dropped.
#[test]
fn the_organisation_of_a_title_is_read_before_each_occurrence_of_the_title() {
    let text = "2月3日、東証2部上場の大手化粧品メーカー・ノエビアは同社ウェブサイトで大倉尚(おおくら・ひさし)副社長の退任を発表した。兵庫県警は、大倉尚容疑者(43歳)を逮捕した。逮捕時、大倉容疑者はノエビアの副社長また同社子会社常盤薬品工業社長を務めていた。";
    let a = Analysed { input: ArticleInput::new("wn-2768", text) };
    a.run(|doc, ms, _, _| {
        let view = FieldView::new(doc, ms);
        let before = view.before_occurrences("副社長", 40);
        assert_eq!(before.len(), 2, "{before:?}");
        assert!(before[0].ends_with("ひさし)"), "{before:?}");
        assert!(before[1].ends_with("大倉容疑者はノエビア"), "{before:?}");
        assert!(view.before_occurrences("", 40).is_empty());
    });
}

/// Train wn-2553 (one sentence): 「自動車運転過失致傷」 is in no dictionary (its
/// 致死/致死傷/傷害 forms are); written right before の疑い it is a guessed charge
/// phrase, an act candidate of the learned choice (the gold act is among the
/// candidates), while the act rules, which read the dictionary's names only, do
/// not take it.
#[test]
fn a_charge_phrase_before_its_cue_is_an_act_candidate_the_rules_do_not_read() {
    let text = "この事故で、大分県警は同高校野球部副部長・不破大樹(ふわ・だいき)容疑者(26歳)を自動車運転過失致傷の疑いで逮捕した。";
    let a = Analysed { input: ArticleInput::new("wn-2553", text) };
    a.run(|doc, ms, ents, persons| {
        let p = persons.iter().find(|p| p.name == "不破大樹").expect("不破大樹 listed");
        assert!(p.act.as_deref().is_none_or(|a| !a.contains("致傷")), "{:?}", p.act);
        let gold: Vec<Person> = persons.iter().map(|p| Person { is_offender: true, act: Some("自動車運転過失致傷".into()), ..p.clone() }).collect();
        let stage = FieldStage::new(FieldModels::untrained());
        let ex = stage.examples(doc, ms, ents, &persons, |n| gold.iter().find(|g| g.name == n));
        assert_eq!(ex.gold_values[2], persons.len());
        assert_eq!(ex.located[2], persons.len(), "the gold act is a candidate of every offender");
        assert_eq!(ex.act.iter().filter(|e| e.label).count(), persons.len());
    });
}

/// Train wn-676 (one sentence): 「覚醒剤使用」 is in no dictionary; written right
/// before の罪 (「…の罪に問われた」) it is a guessed charge phrase too, so the gold act
/// is among the act candidates.
#[test]
fn a_charge_phrase_before_no_tsumi_is_an_act_candidate() {
    let text = "毎日新聞によると、覚醒剤使用の罪に問われた女優・酒井法子(本名・高相法子=たかそう・のりこ)被告(38歳)に対し、東京地方裁判所は11月9日、懲役1年6ヶ月・執行猶予3年の有罪を言い渡した。";
    let a = Analysed { input: ArticleInput::new("wn-676", text) };
    a.run(|doc, ms, ents, persons| {
        assert!(persons.iter().any(|p| p.name == "酒井法子"), "{persons:?}");
        let gold: Vec<Person> = persons.iter().map(|p| Person { is_offender: true, act: Some("覚醒剤使用".into()), ..p.clone() }).collect();
        let stage = FieldStage::new(FieldModels::untrained());
        let ex = stage.examples(doc, ms, ents, &persons, |n| gold.iter().find(|g| g.name == n));
        assert_eq!(ex.gold_values[2], persons.len());
        assert_eq!(ex.located[2], persons.len(), "the gold act is a candidate of every offender");
    });
}

/// Train wn-473 (two sentences): 「覚せい剤取締法の疑い」 holds no charge phrase
/// starting inside a word (IPADIC 覚せい|剤|取締|法: 「剤取締法」 starts with a
/// suffix), so the only act candidate is the offence the arrest names.
#[test]
fn a_guessed_charge_phrase_starts_a_word() {
    let text = "女優の三田佳子さん(66)の二男で、歌手の高橋祐也容疑者(27)が16日までに覚せい剤取締法違反の疑いで現行犯逮捕された。これまでの調べによれば、高橋容疑者は、2000年にも覚せい剤取締法の疑いで逮捕されており、今回の逮捕が2度目となる。";
    let a = Analysed { input: ArticleInput::new("wn-473", text) };
    a.run(|doc, ms, ents, persons| {
        let gold: Vec<Person> = persons.iter().filter(|p| p.name == "高橋祐也").map(|p| Person { is_offender: true, act: Some("覚せい剤取締法違反".into()), ..p.clone() }).collect();
        assert_eq!(gold.len(), 1, "{persons:?}");
        let stage = FieldStage::new(FieldModels::untrained());
        let ex = stage.examples(doc, ms, ents, &persons, |n| gold.iter().find(|g| g.name == n));
        assert_eq!(ex.located[2], 1, "the gold act is a candidate");
        assert_eq!(ex.act.len(), 1, "one act candidate, no 「剤取締法」");
    });
}

/// The police and prosecution bodies next to an offender arrest or charge
/// them: one is an affiliation candidate only of an offender holding their
/// rank (train articles wn-118 and wn-350, Japanese Wikinews, CC BY 2.5).
#[test]
fn a_police_body_is_the_affiliation_only_of_one_of_its_officers() {
    let stage = FieldStage::new(FieldModels::untrained());
    let affiliations = |text: &str, name: &str| -> Vec<String> {
        let a = Analysed { input: ArticleInput::new("t", text) };
        a.run(|doc, ms, ents, persons| {
            let k = persons.iter().position(|p| p.name == name).unwrap_or_else(|| panic!("{name} listed: {persons:?}"));
            stage.field_candidates(doc, ms, ents, &persons, k, Field::Affiliation).into_iter().map(|c| c.text).collect()
        })
    };
    let doctor = affiliations("毎日新聞・読売新聞によると、東京都中央区にあった診療所・『銀座眼科』(2009年4月(UTC+9)に閉鎖)で視力回復のためのレーシック手術を受けた患者が角膜炎に感染した事件で、警視庁捜査1課と築地署は、元同診療所院長の溝口朝雄(ともお)容疑者(49歳、茨城県日立市在住)を12月7日に業務上過失傷害容疑で逮捕した。", "溝口朝雄");
    assert!(!doctor.is_empty() && doctor.iter().all(|c| !c.contains("築地署") && !c.contains("警視庁")), "{doctor:?}");
    let officer = affiliations("共同通信・時事通信によると、飲酒運転の取締りの際に、呼気のアルコール濃度について数値などを捏造したとして、大阪府警は3月6日(UTC+9)に、証拠隠滅・虚偽有印公文書作成・同行使容疑で、泉南署交通課警部補・山下清人容疑者(57歳)を逮捕した。", "山下清人");
    assert!(officer.iter().any(|c| c == "泉南署"), "{officer:?}");
}
