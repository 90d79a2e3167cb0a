//! Offenders' positions through the whole pipeline (the learned field stage and its constraints).
use kiji_pipeline::{ArticleInput, Config, Pipeline};

// Train articles wn-118 and wn-1302 (Japanese Wikinews, CC BY 2.5), their first sentence: a
// position written after 元 and the organisation it was held in is the former position, the
// bare noun without the organisation (guideline `position`: 元社長; 「近鉄ビルサービス社長」→ 社長).
#[test]
fn a_position_after_moto_and_its_organisation_is_the_former_position() {
    let pipeline = Pipeline::new(&Config::default()).unwrap();
    for (id, text, name, want) in [
        ("wn-118", "毎日新聞・読売新聞によると、東京都中央区にあった診療所・『銀座眼科』(2009年4月(UTC+9)に閉鎖)で視力回復のためのレーシック手術を受けた患者が角膜炎に感染した事件で、警視庁捜査1課と築地署は、元同診療所院長の溝口朝雄(ともお)容疑者(49歳、茨城県日立市在住)を12月7日に業務上過失傷害容疑で逮捕した。", "溝口朝雄", "元院長"),
        ("wn-1302", "ロス疑惑の銃撃事件でサイパンにて逮捕され、アメリカ・ロサンゼルスへ移送された元会社社長三浦和義容疑者(61歳)がアメリカ太平洋地域時間10月10日夜(UTC-7。日本時間(UTC+9)では10月11日午後)にロサンゼルス市内にある同市警察本部の留置施設で自殺したとして、同市警が記者会見で明らかにした。", "三浦和義", "元社長"),
    ] {
        let out = pipeline.process(&ArticleInput::new(id, text));
        let p = out.persons.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("{name} not in {:?}", out.persons));
        assert!(p.is_offender, "{p:?}");
        assert_eq!(p.position.as_deref(), Some(want), "{id}");
    }
}
