//! The learned address roles: candidates -> features -> model -> constraints.
//!
//! * `candidates`: every address span the recogniser finds, per role, with the owners the
//!   rules and the nearest mentions offer (the rules' assignment is evidence, not the answer);
//! * `features`: the span, its surroundings (chars, IPADIC tokens, brackets, cue words,
//!   persons near it), its place in the article, the rules' assignment, the owner;
//! * model ([`AddressModels`]): three logistic regressions (`kiji_core::linear`): is the span
//!   a crime location? the owner's residence? the company's head office? Trained by
//!   `pipeline-run train --address`, shipped under `models/address/` and embedded;
//! * constraints (`decide`): the guideline's hard rules: only spans of the article (a
//!   resolved 同市 as the recogniser resolves it), no crime location unless a listed person
//!   is an offender, one municipality once among the crime locations (the rules' settling),
//!   one residence per owner, 「住所不定」 as the rules read it; the home country is dropped by
//!   the stage (too_broad.txt).
pub(crate) mod candidates;
pub(crate) mod features;
pub(crate) mod police;

use crate::police::PoliceBody;
use crate::LearnedRoles;
use crate::recognize::AddressSpan;
use crate::roles::{settle_crimes, CrimeCand, Ctx, Role, Roles};
use candidates::Candidate;
pub use features::FEATURE_VERSION;
use features::ArticleFx;
use kiji_core::linear::{Example, FeatureBuf, LinearModel};
use kiji_core::{ArticleOutput, Error, ErrorKind, OwnedAddress, Result, Span, Token};
use std::path::Path;

/// File names of the three models inside a model directory.
pub const CRIME_MODEL_FILE: &str = "crime.kpm";
pub const RESIDENCE_MODEL_FILE: &str = "residence.kpm";
pub const HEAD_OFFICE_MODEL_FILE: &str = "head_office.kpm";
pub const POLICE_MODEL_FILE: &str = "police.kpm";

const EMBEDDED_CRIME: &[u8] = include_bytes!("../../../../models/address/crime.kpm");
const EMBEDDED_RESIDENCE: &[u8] = include_bytes!("../../../../models/address/residence.kpm");
const EMBEDDED_HEAD_OFFICE: &[u8] = include_bytes!("../../../../models/address/head_office.kpm");
const EMBEDDED_POLICE: &[u8] = include_bytes!("../../../../models/address/police.kpm");

/// The trained heads: three address roles and the police role.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressModels {
    pub crime: LinearModel,
    pub residence: LinearModel,
    pub head_office: LinearModel,
    /// Does a police/prosecution body found investigate the case?
    pub police: LinearModel,
}

impl AddressModels {
    /// The models shipped in `models/address/`, embedded at build time.
    pub fn embedded() -> Result<Self> {
        Ok(AddressModels {
            crime: LinearModel::from_bytes(EMBEDDED_CRIME, "embedded models/address/crime.kpm", FEATURE_VERSION)?,
            residence: LinearModel::from_bytes(EMBEDDED_RESIDENCE, "embedded models/address/residence.kpm", FEATURE_VERSION)?,
            head_office: LinearModel::from_bytes(EMBEDDED_HEAD_OFFICE, "embedded models/address/head_office.kpm", FEATURE_VERSION)?,
            police: LinearModel::from_bytes(EMBEDDED_POLICE, "embedded models/address/police.kpm", FEATURE_VERSION)?,
        })
    }

    /// Models that know nothing (every probability 0.5).
    pub fn untrained() -> Self {
        AddressModels {
            crime: LinearModel::untrained("crime", FEATURE_VERSION),
            residence: LinearModel::untrained("residence", FEATURE_VERSION),
            head_office: LinearModel::untrained("head_office", FEATURE_VERSION),
            police: LinearModel::untrained("police", FEATURE_VERSION),
        }
    }

    /// The models of a directory (`crime.kpm`, `residence.kpm`, `head_office.kpm`, `police.kpm`); errors
    /// name the file.
    pub fn load(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return Err(Error::new(ErrorKind::Resource, format!("address model directory {} does not exist", dir.display())));
        }
        Ok(AddressModels {
            crime: LinearModel::load(&dir.join(CRIME_MODEL_FILE), FEATURE_VERSION)?,
            residence: LinearModel::load(&dir.join(RESIDENCE_MODEL_FILE), FEATURE_VERSION)?,
            head_office: LinearModel::load(&dir.join(HEAD_OFFICE_MODEL_FILE), FEATURE_VERSION)?,
            police: LinearModel::load(&dir.join(POLICE_MODEL_FILE), FEATURE_VERSION)?,
        })
    }

    /// Writes the four files into `dir` (created if needed).
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::new(ErrorKind::Io, format!("cannot create {}: {e}", dir.display())))?;
        self.crime.save(&dir.join(CRIME_MODEL_FILE))?;
        self.residence.save(&dir.join(RESIDENCE_MODEL_FILE))?;
        self.head_office.save(&dir.join(HEAD_OFFICE_MODEL_FILE))?;
        self.police.save(&dir.join(POLICE_MODEL_FILE))
    }

    fn model(&self, role: Role) -> &LinearModel {
        match role {
            Role::Crime => &self.crime,
            Role::Residence => &self.residence,
            Role::HeadOffice => &self.head_office,
        }
    }
}

/// The training examples of one article, per model.
#[derive(Debug, Clone, Default)]
pub struct AddressExamples {
    pub crime: Vec<Example>,
    pub residence: Vec<Example>,
    pub head_office: Vec<Example>,
    pub police: Vec<Example>,
}

/// Comparison key of an address or owner (width-folded, no spaces), as the evaluation
/// compares them.
fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).map(kiji_core::fold_char).collect()
}

/// Candidates and their features of one article.
fn featurize(ctx: &Ctx, tokens: &[Token], addrs: &[AddressSpan], police: &[Span], rules: &Roles, wanted: LearnedRoles) -> (Vec<Candidate>, Vec<Vec<u64>>) {
    let mut cands = candidates::candidates(ctx, addrs, police, rules);
    // Only the roles the models decide: the others' candidates would be scored for nothing.
    cands.retain(|c| wanted.has(c.role));
    let fx = ArticleFx::new(ctx, tokens, addrs, rules, wanted.crime);
    let mut buf = FeatureBuf::default();
    let feats = cands
        .iter()
        .map(|c| {
            features::features(ctx, &fx, addrs, rules, c, &mut buf);
            buf.finish().to_vec()
        })
        .collect();
    (cands, feats)
}

/// The examples of one article labelled by its gold record: a crime candidate is positive
/// when its address is a gold crime location, a residence or head-office candidate when its
/// (address, owner) pair is in the gold list.
/// A police body is positive when its text is in the gold list.
#[allow(clippy::too_many_arguments)]
pub(crate) fn examples(ctx: &Ctx, tokens: &[Token], addrs: &[AddressSpan], police: &[Span], bodies: &[PoliceBody], cues: &police::PoliceCues, rules: &Roles, gold: &ArticleOutput) -> AddressExamples {
    let (cands, feats) = featurize(ctx, tokens, addrs, police, rules, LearnedRoles::ALL);
    let crime: Vec<String> = gold.physical_crime_occured_locations.iter().map(|a| norm(a)).collect();
    let pair = |o: &OwnedAddress| (norm(&o.address), norm(&o.owner));
    let res: Vec<(String, String)> = gold.residences.iter().map(pair).collect();
    let hq: Vec<(String, String)> = gold.headquarters_locations.iter().map(pair).collect();
    let mut out = AddressExamples::default();
    for (c, features) in cands.iter().zip(feats) {
        let addr = norm(&addrs[c.addr].text);
        match c.role {
            Role::Crime => out.crime.push(Example { features, label: crime.contains(&addr) }),
            Role::Residence => out.residence.push(Example { features, label: res.contains(&(addr, norm(&c.owner))) }),
            Role::HeadOffice => out.head_office.push(Example { features, label: hq.contains(&(addr, norm(&c.owner))) }),
        }
    }
    let wanted: Vec<String> = gold.police_departments.iter().map(|p| norm(p)).collect();
    let cands = police::candidates(bodies);
    let mut buf = FeatureBuf::default();
    for (i, c) in cands.iter().enumerate() {
        police::features(ctx, cues, bodies, &cands, i, &mut buf);
        out.police.push(Example { features: buf.finish().to_vec(), label: wanted.contains(&c.text) });
    }
    out
}

/// The police bodies the police model keeps (in text order; the stage de-duplicates them).
pub(crate) fn decide_police(ctx: &Ctx, cues: &police::PoliceCues, bodies: &[PoliceBody], models: &AddressModels) -> Vec<PoliceBody> {
    let cands = police::candidates(bodies);
    let mut buf = FeatureBuf::default();
    let keep: Vec<bool> = (0..cands.len())
        .map(|i| {
            police::features(ctx, cues, bodies, &cands, i, &mut buf);
            models.police.probability(buf.finish()) >= models.police.threshold
        })
        .collect();
    police::kept(bodies, &cands, |i| keep[i])
}

/// The learned decision of one article: each candidate's probability, then the constraints.
/// The roles `wanted` as the models decide them (the other lists stay empty).
pub(crate) fn decide(ctx: &Ctx, tokens: &[Token], addrs: &[AddressSpan], police: &[Span], rules: &Roles, models: &AddressModels, wanted: LearnedRoles) -> Roles {
    let (cands, feats) = featurize(ctx, tokens, addrs, police, rules, wanted);
    let probs: Vec<f32> = cands.iter().zip(&feats).map(|(c, f)| models.model(c.role).probability(f)).collect();
    let mut out = Roles::default();
    // Crime locations: the kept candidates, one per municipality as the rules settle them
    // (only articles with an offender have candidates).
    let mut crime: Vec<CrimeCand> = Vec::new();
    for (c, &p) in cands.iter().zip(&probs) {
        if c.role == Role::Crime && p >= models.crime.threshold {
            let strength = if c.home { 0 } else if c.rule > 0 { c.rule - 1 } else { 2 };
            crime.push(CrimeCand { pos: c.pos, a: &addrs[c.addr], strength });
        }
    }
    out.crime = settle_crimes(ctx, crime);
    // Residences: one per owner, the most probable.
    let mut best: Vec<(usize, usize, f32)> = Vec::new(); // (person, candidate, p)
    for (i, (c, &p)) in cands.iter().zip(&probs).enumerate() {
        let Some(person) = c.person.filter(|_| c.role == Role::Residence && p >= models.residence.threshold) else { continue };
        match best.iter_mut().find(|b| b.0 == person) {
            Some(b) if b.2 < p => *b = (person, i, p),
            Some(_) => {}
            None => best.push((person, i, p)),
        }
    }
    best.sort_by_key(|b| cands[b.1].pos);
    for (_, i, _) in best {
        out.res.push(OwnedAddress { address: addrs[cands[i].addr].text.clone(), owner: cands[i].owner.clone() });
    }
    // 「住所不定」: the rules' reading, for owners without a residence.
    for o in rules.res.iter().filter(|o| o.address.is_empty()) {
        if !out.res.iter().any(|x| x.owner == o.owner) {
            out.res.push(o.clone());
        }
    }
    // Head offices: every kept (address, company) pair once.
    for (c, &p) in cands.iter().zip(&probs) {
        if c.role == Role::HeadOffice && p >= models.head_office.threshold {
            let o = OwnedAddress { address: addrs[c.addr].text.clone(), owner: c.owner.clone() };
            if !out.hq.contains(&o) {
                out.hq.push(o);
            }
        }
    }
    out
}

/// The candidates of an article as (role, address, owner, readable features), for tests and
/// diagnostics.
pub(crate) fn explain(ctx: &Ctx, tokens: &[Token], addrs: &[AddressSpan], police: &[Span], rules: &Roles) -> Vec<(String, String, String, Vec<String>)> {
    let cands = candidates::candidates(ctx, addrs, police, rules);
    let fx = ArticleFx::new(ctx, tokens, addrs, rules, true);
    let mut buf = FeatureBuf { explain: true, ..FeatureBuf::default() };
    cands
        .iter()
        .map(|c| {
            features::features(ctx, &fx, addrs, rules, c, &mut buf);
            let role = match c.role {
                Role::Crime => "crime",
                Role::Residence => "residence",
                Role::HeadOffice => "head_office",
            };
            (role.to_string(), addrs[c.addr].text.clone(), c.owner.clone(), buf.names.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AddressStage;
    use kiji_core::{AddressExtractor, ArticleInput, Category, Document, Person};

    fn person(name: &str, offender: bool) -> Person {
        Person { name: name.into(), is_real: true, is_offender: offender, age: None, position: None, affiliation: None, category: Category::Other, act: None, reason: None, mentions: Vec::new() }
    }

    // Train article wn-1662 (Japanese Wikinews, CC BY 2.5), one sentence.
    const TEXT: &str = "逮捕されたのは貝塚市の食品卸会社元役員・直本治郎(62歳)と、同市在住の卸売業・加藤弘行(46歳)、それに大阪市の食品販売会社長・高橋浩幸(47歳)の3容疑者。大阪府内にある倉庫でラベルを貼付して偽装した疑いがもたれている。";

    fn explain(offender: bool) -> Vec<(String, String, String, Vec<String>)> {
        let input = ArticleInput::new("t", TEXT);
        let doc = Document::new(&input, Vec::new());
        let persons: Vec<Person> = ["直本治郎", "加藤弘行", "高橋浩幸"].iter().map(|n| person(n, offender)).collect();
        AddressStage::new().unwrap().explain(&doc, &[], &persons)
    }

    fn has(c: &(String, String, String, Vec<String>), f: &str) -> bool {
        c.3.iter().any(|x| x == f)
    }

    #[test]
    fn residence_candidates_pair_each_span_with_the_persons_around_it() {
        let cands = explain(true);
        let find = |role: &str, addr: &str, owner: &str| cands.iter().find(|c| c.0 == role && c.1 == addr && c.2 == owner);
        // 「貝塚市の…直本治郎」: the person after the span, proposed by the rules too.
        let c = find("residence", "貝塚市", "直本治郎").expect("貝塚市 / 直本治郎");
        assert!(has(c, "o.src=after") && has(c, "o.src=rules") && has(c, "rule=1"), "{:?}", c.3);
        assert!(has(c, "R1=の") && has(c, "lvl=muni"), "{:?}", c.3);
        // 「同市在住の…加藤弘行」: the 同市 resolved to 貝塚市, with its residence cue.
        let c = find("residence", "貝塚市", "加藤弘行").expect("同市 / 加藤弘行");
        assert!(has(c, "resolved=") && has(c, "cue.res=在住") && has(c, "o.src=after"), "{:?}", c.3);
        // the person before 同市 is a candidate owner too, not proposed by the rules
        let c = find("residence", "貝塚市", "直本治郎");
        assert!(c.is_some());
        assert!(cands.iter().any(|c| c.0 == "residence" && c.1 == "大阪市" && c.2 == "高橋浩幸"));
        // crime candidates: municipalities, with the offence sentence's cue
        let c = cands.iter().find(|c| c.0 == "crime" && c.1 == "大阪市").expect("crime 大阪市");
        assert!(has(c, "any_offender=true") && has(c, "p.next=6-10|true|true"), "{:?}", c.3);
    }

    #[test]
    fn no_crime_candidates_without_an_offender() {
        let cands = explain(false);
        assert!(!cands.is_empty());
        assert!(cands.iter().all(|c| c.0 != "crime"), "{cands:?}");
    }

    // Train wn-93 (Japanese Wikinews, CC BY 2.5), shortened: the body that sent the case to
    // the prosecutors, the prosecutors, and the national agency named for a notice.
    const WN_93: &str = "毎日新聞・朝日新聞によると、両輪にブレーキを装備していない競技用自転車・『ピスト』に乗って公道を走行したとして、大阪府警交通指導課は、大阪市内在住の20代の飲食店経営の男性を、道路交通法違反(制動装置不良自転車運転)の容疑で大阪区検に書類送検したと、11月22日(UTC+9)に発表した。朝日新聞によると、同区検は、男性を同罪で略式起訴。同府警の話では、男性は大阪簡裁から罰金6,000円の略式命令を受けた。毎日新聞によると、ピストは若者から人気があるが、警察庁が10月に、各警察本部に対し取締りを強化するよう通達を出していた。";

    #[test]
    fn police_bodies_are_grouped_once_and_read_with_their_sentences_cues() {
        let input = ArticleInput::new("wn-93", WN_93);
        let doc = Document::new(&input, Vec::new());
        let stage = AddressStage::new().unwrap();
        let found = stage.with_context(&doc, &[], &[], |ctx, _, _, _, bodies| {
            let cands = police::candidates(&bodies);
            let cues = police::PoliceCues::new();
            let mut buf = FeatureBuf { explain: true, ..FeatureBuf::default() };
            cands
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    police::features(ctx, &cues, &bodies, &cands, i, &mut buf);
                    (bodies[c.first].text.clone(), c.members.len(), buf.names.clone())
                })
                .collect::<Vec<_>>()
        });
        let names: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        // 「同府警」 is 大阪府警, a body the more specific unit named first holds; 警察庁, named
        // for a circular to every prefecture's police, is no body (police_heads.txt).
        assert_eq!(names, ["大阪府警交通指導課", "大阪区検", "大阪府警"], "{found:?}");
        let has = |i: usize, f: &str| found[i].2.iter().any(|x| x == f);
        assert!(has(0, "cue=書類送検") && has(0, "cue=発表") && has(0, "holds_other=1") && !has(0, "cue=通達"), "{:?}", found[0].2);
        assert!(has(2, "inside_other=1") && has(2, "after1=の"), "{:?}", found[2].2);
        // The learned police role keeps bodies of the found ones only, in order, once each.
        let learned = AddressStage::new().unwrap().with_models(AddressModels::embedded().unwrap()).with_roles(LearnedRoles::ALL);
        let rules = AddressStage::new().unwrap().extract(&doc, &[], &[]).police_departments;
        let kept = learned.extract(&doc, &[], &[]).police_departments;
        assert_eq!(rules, ["大阪府警交通指導課", "大阪区検"]);
        let mut it = rules.iter();
        assert!(kept.iter().all(|k| it.any(|r| r == k)), "{kept:?} is no subsequence of {rules:?}");
    }

    #[test]
    fn shipped_models_round_trip_byte_identically() {
        let m = AddressModels::embedded().unwrap();
        assert_eq!(m.crime.to_bytes(), EMBEDDED_CRIME);
        assert_eq!(m.residence.to_bytes(), EMBEDDED_RESIDENCE);
        assert_eq!(m.head_office.to_bytes(), EMBEDDED_HEAD_OFFICE);
        assert_eq!(m.police.to_bytes(), EMBEDDED_POLICE);
        assert!(m.crime.n_weights() > 100 && m.residence.n_weights() > 100 && m.head_office.n_weights() > 100 && m.police.n_weights() > 50, "the shipped models are trained");
        let dir = std::env::temp_dir().join(format!("kiji-address-models-{}", std::process::id()));
        m.save(&dir).unwrap();
        assert_eq!(AddressModels::load(&dir).unwrap(), m);
        // a missing file is an error naming it
        std::fs::remove_file(dir.join(POLICE_MODEL_FILE)).unwrap();
        let e = AddressModels::load(&dir).unwrap_err().to_string();
        assert!(e.contains("police.kpm"), "{e}");
        // a corrupt file is an error naming it
        std::fs::write(dir.join(RESIDENCE_MODEL_FILE), b"KIJIPLM1\x01").unwrap();
        let e = AddressModels::load(&dir).unwrap_err().to_string();
        assert!(e.contains("residence.kpm"), "{e}");
        std::fs::remove_file(dir.join(CRIME_MODEL_FILE)).unwrap();
        let e = AddressModels::load(&dir).unwrap_err().to_string();
        assert!(e.contains("crime.kpm"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
