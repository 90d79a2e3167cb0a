//! The learned span fields of offenders: `position` and `affiliation`
//! chosen among the chunks written near their mentions, `act` among the
//! offence names of the article, by trained scorers; the rule stage's
//! values are candidates and features.
//!
//! * [`candidates`]: chunks of content morphemes around each mention (and the
//!   rules' value); `acts`: the article's offence names as the act rules
//!   read them, whether or not a cue follows (and the rules' pieces);
//! * [`features`] (and `acts`): what a candidate looks like and where it
//!   stands from the offender's mentions (and the other offenders');
//! * [`FieldModels`]: one logistic regression per field (`position.kpm`,
//!   `affiliation.kpm`, `act.kpm`), trained by `pipeline-run train`, shipped
//!   under `models/attr/` and embedded in the binary;
//! * constraints ([`FieldStage::refine`]): the most probable chunk replaces
//!   the rules' position/affiliation when its probability reaches the
//!   threshold, else the rules' value stays (in CV over train this beats both
//!   the rules and the model alone: the model alone drops right rule values
//!   it is unsure of); a chosen position written after 元/前 and its
//!   organisation keeps the 元/前 (「元会社社長」→ 元社長); the acts chosen, in article order, replace the rules'
//!   act, which stays when none is chosen or when the rules read a switched
//!   charge (guideline: every charge is kept); only offenders' fields are
//!   redone (the CSV the reviewer reads), the other persons keep the rules'.
mod acts;
pub mod candidates;
pub mod features;

use candidates::{candidates, key, FieldCandidate, FieldView};
use features::{FieldLexicon, FEATURE_VERSION};
use kiji_core::linear::{Example, FeatureBuf, LinearModel};
use kiji_core::Span;
use kiji_core::{lexicon, Document, Error, ErrorKind, Mention, Person, PersonEntity, Result};
use std::path::Path;

/// A span field of a person the stage decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Position,
    Affiliation,
}

impl Field {
    pub const ALL: [Field; 2] = [Field::Position, Field::Affiliation];

    pub fn name(self) -> &'static str {
        match self {
            Field::Position => "position",
            Field::Affiliation => "affiliation",
        }
    }
    /// The model file of the field inside a model directory.
    pub fn file(self) -> &'static str {
        match self {
            Field::Position => "position.kpm",
            Field::Affiliation => "affiliation.kpm",
        }
    }
    pub fn of(self, p: &Person) -> Option<&str> {
        match self {
            Field::Position => p.position.as_deref(),
            Field::Affiliation => p.affiliation.as_deref(),
        }
    }
    fn set(self, p: &mut Person, v: Option<String>) {
        match self {
            Field::Position => p.position = v,
            Field::Affiliation => p.affiliation = v,
        }
    }
}

const EMBEDDED_POSITION: &[u8] = include_bytes!("../../../../models/attr/position.kpm");
const EMBEDDED_AFFILIATION: &[u8] = include_bytes!("../../../../models/attr/affiliation.kpm");
const EMBEDDED_ACT: &[u8] = include_bytes!("../../../../models/attr/act.kpm");
/// The act model's file inside a model directory.
pub const ACT_FILE: &str = "act.kpm";

/// The trained field scorers.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldModels {
    pub position: LinearModel,
    pub affiliation: LinearModel,
    /// Is an offence name of the article (one of) the offender's act(s)?
    pub act: LinearModel,
}

impl FieldModels {
    /// The models shipped in `models/attr/`, embedded at build time.
    pub fn embedded() -> Result<Self> {
        Ok(FieldModels {
            position: LinearModel::from_bytes(EMBEDDED_POSITION, "embedded models/attr/position.kpm", FEATURE_VERSION)?,
            affiliation: LinearModel::from_bytes(EMBEDDED_AFFILIATION, "embedded models/attr/affiliation.kpm", FEATURE_VERSION)?,
            act: LinearModel::from_bytes(EMBEDDED_ACT, "embedded models/attr/act.kpm", FEATURE_VERSION)?,
        })
    }

    /// Models that know nothing (for computing features before training).
    pub fn untrained() -> Self {
        FieldModels {
            position: LinearModel::untrained("position", FEATURE_VERSION),
            affiliation: LinearModel::untrained("affiliation", FEATURE_VERSION),
            act: LinearModel::untrained("act", FEATURE_VERSION),
        }
    }

    /// Trained models from the examples of each field.
    pub fn train(examples: &[&FieldExamples], opts: &kiji_core::linear::TrainOptions) -> Self {
        let pick = |f: Field| -> Vec<Example> { examples.iter().flat_map(|e| e.of(f).iter().cloned()).collect() };
        FieldModels {
            position: LinearModel::train("position", FEATURE_VERSION, &pick(Field::Position), opts),
            affiliation: LinearModel::train("affiliation", FEATURE_VERSION, &pick(Field::Affiliation), opts),
            act: LinearModel::train("act", FEATURE_VERSION, &examples.iter().flat_map(|e| e.act.iter().cloned()).collect::<Vec<_>>(), opts),
        }
    }

    pub fn get(&self, field: Field) -> &LinearModel {
        match field {
            Field::Position => &self.position,
            Field::Affiliation => &self.affiliation,
        }
    }

    /// The models of a directory; errors name the file.
    pub fn load(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return Err(Error::new(ErrorKind::Resource, format!("attribute model directory {} does not exist", dir.display())));
        }
        Ok(FieldModels {
            position: LinearModel::load(&dir.join(Field::Position.file()), FEATURE_VERSION)?,
            affiliation: LinearModel::load(&dir.join(Field::Affiliation.file()), FEATURE_VERSION)?,
            act: LinearModel::load(&dir.join(ACT_FILE), FEATURE_VERSION)?,
        })
    }

    /// Writes both files into `dir` (created if needed).
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::new(ErrorKind::Io, format!("cannot create {}: {e}", dir.display())))?;
        for f in Field::ALL {
            self.get(f).save(&dir.join(f.file()))?;
        }
        self.act.save(&dir.join(ACT_FILE))
    }
}

/// Training examples of the field models from one article.
#[derive(Debug, Clone, Default)]
pub struct FieldExamples {
    pub position: Vec<Example>,
    pub affiliation: Vec<Example>,
    /// Every offence name of the article for each gold offender matched.
    pub act: Vec<Example>,
    /// Per field (position, affiliation, each act): the gold values
    /// (non-null) of the persons matched, and how many of them are among the
    /// candidates.
    pub gold_values: [usize; 3],
    pub located: [usize; 3],
}

impl FieldExamples {
    pub fn of(&self, f: Field) -> &[Example] {
        match f {
            Field::Position => &self.position,
            Field::Affiliation => &self.affiliation,
        }
    }
}

/// Where a field value of a person comes from (for `pipeline-run explain`).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Source {
    /// The rules' value, untouched (not an offender: the stage redoes offenders only).
    #[default]
    Rules,
    /// A model choice with its probability (for acts: the lowest of those
    /// chosen), and the rules' value it replaced.
    Model { p: f32, rules: Option<String> },
    /// The rules' value: the model's best candidate was under its threshold.
    RulesModelUnsure { best: Option<(String, f32)> },
    /// The rules' act: they read a switched or added charge (every charge kept).
    RulesSwitchedCharge,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Rules => write!(f, "rules"),
            Source::Model { p, rules } => write!(f, "model p={p:.2} (rules: {})", rules.as_deref().unwrap_or("none")),
            Source::RulesModelUnsure { best: Some((b, p)) } => write!(f, "rules (model unsure: best {b} p={p:.2})"),
            Source::RulesModelUnsure { best: None } => write!(f, "rules (no candidate)"),
            Source::RulesSwitchedCharge => write!(f, "rules (a switched charge keeps every charge)"),
        }
    }
}

/// The sources of a person's position, affiliation and act.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldWhy {
    pub fields: [Source; 3],
}

/// Offenders per article whose fields the stage redoes (news articles name
/// a handful; train's most is 7).
const MAX_REFINED: usize = 64;

/// The learned field stage. Immutable; share one across threads.
pub struct FieldStage {
    models: FieldModels,
    lex: FieldLexicon,
    /// The act rules, whose offence names are the act candidates.
    rules: crate::RuleAttributes,
}

impl FieldStage {
    pub fn new(models: FieldModels) -> Self {
        let mut positions: std::collections::HashSet<String> = lexicon::words(super::POSITIONS).map(str::to_owned).collect();
        positions.extend(lexicon::pairs(super::SUFFIXES).filter(|(_, c)| *c == "title").map(|(w, _)| w.to_owned()));
        FieldStage { models, lex: FieldLexicon::new(positions), rules: crate::RuleAttributes::new() }
    }

    pub fn models(&self) -> &FieldModels {
        &self.models
    }

    /// The candidates of one field of one person: for affiliations, a
    /// 同-reference (「同社の前会長・菊川剛」) stands for the organisation it
    /// names earlier, as the rules resolve it; one they cannot resolve is
    /// no candidate.
    ///
    /// `position`: the rules' position of the person; a police or
    /// prosecution body is an affiliation only of one who holds their rank
    /// (the bodies investigating the case stand next to its offenders).
    #[allow(clippy::too_many_arguments)]
    fn candidates(&self, cx: &crate::Ctx, view: &FieldView, ms: &[&Mention], rule: Option<&str>, position: Option<&str>, field: Field, cands: &mut Vec<FieldCandidate>) {
        candidates(view, ms, rule, field == Field::Affiliation, cands);
        if field != Field::Affiliation {
            return;
        }
        let rule_key = rule.map(key);
        cands.retain_mut(|c| {
            let Some(span) = c.span else { return true };
            if !c.text.trim_start_matches(['元', '前']).starts_with('同') {
                return true;
            }
            match self.rules.resolve_same_prefix(cx, span.start, &c.text) {
                // What it resolves to must still name an organisation (checked below).
                Some(org) => {
                    c.rule = rule_key.as_deref() == Some(key(&org).as_str());
                    c.text = org;
                    c.same_ref = true;
                    true
                }
                None => false,
            }
        });
        // Constraint: what names no organisation (a kind of business
        // 「コンサルタント会社」, a nationality, a relation, an unresolved 同) is no candidate.
        cands.retain(|c| self.rules.names_an_organisation(&c.text));
        if !position.is_some_and(|p| self.rules.investigator_rank(p)) {
            cands.retain(|c| !self.rules.names_an_investigator(&c.text));
        }
    }

    /// The candidates of one field of the `k`-th person (`persons[k]` the
    /// rules' record of `entities[k]`), after the constraints, as `refine`
    /// scores them.
    pub fn field_candidates(&self, doc: &Document, mentions: &[Mention], entities: &[PersonEntity], persons: &[Person], k: usize, field: Field) -> Vec<FieldCandidate> {
        let (Some(ent), Some(person)) = (entities.get(k), persons.get(k)) else { return Vec::new() };
        let ms: Vec<&Mention> = ent.mentions.iter().filter_map(|&i| mentions.get(i)).collect();
        let view = FieldView::new(doc, mentions);
        let cx = crate::Ctx::new(doc, mentions);
        let mut cands = Vec::new();
        if !ms.is_empty() {
            self.candidates(&cx, &view, &ms, field.of(person), person.position.as_deref(), field, &mut cands);
        }
        cands
    }

    /// The scored candidates of one field of one person.
    #[allow(clippy::too_many_arguments)]
    fn scored(&self, cx: &crate::Ctx, view: &FieldView, ms: &[&Mention], person: &Person, rules_position: Option<&str>, titled: &[String], field: Field, cands: &mut Vec<FieldCandidate>, buf: &mut FeatureBuf) -> Vec<f32> {
        let rule = field.of(person);
        self.candidates(cx, view, ms, rule, rules_position, field, cands);
        let model = self.models.get(field);
        cands
            .iter()
            .map(|c| {
                features::features(&self.lex, view, ms, person, rule, titled, c, buf);
                model.probability(buf.finish())
            })
            .collect()
    }

    /// Redoes the offenders' positions and affiliations (`persons[k]` is the
    /// rules' record of `entities[k]`).
    pub fn refine(&self, doc: &Document, mentions: &[Mention], entities: &[PersonEntity], persons: &mut [Person]) -> Vec<FieldWhy> {
        let mut why = vec![FieldWhy::default(); persons.len()];
        if entities.len() != persons.len() || !persons.iter().any(|p| p.is_offender) {
            return why;
        }
        let view = FieldView::new(doc, mentions);
        let cx = crate::Ctx::new(doc, mentions);
        let (mut cands, mut buf) = (Vec::new(), FeatureBuf::default());
        // The first MAX_REFINED offenders only: past them (a hostile article
        // naming thousands), the rules' values stand and the work stays bounded.
        let refined: Vec<bool> = persons.iter().scan(0usize, |n, p| {
            *n += usize::from(p.is_offender);
            Some(p.is_offender && *n <= MAX_REFINED)
        }).collect();
        for (((ent, person), why), _) in entities.iter().zip(persons.iter_mut()).zip(why.iter_mut()).zip(&refined).filter(|x| *x.1) {
            let ms: Vec<&Mention> = ent.mentions.iter().filter_map(|&i| mentions.get(i)).collect();
            if ms.is_empty() {
                continue;
            }
            // The rules' position, read before the model may replace it (as in training).
            let titled = titled(&view, person.position.as_deref());
            let rules_position = person.position.clone();
            for (fi, field) in Field::ALL.into_iter().enumerate() {
                let titled = if field == Field::Affiliation { titled.as_slice() } else { &[] };
                let probs = self.scored(&cx, &view, &ms, person, rules_position.as_deref(), titled, field, &mut cands, &mut buf);
                let best = probs.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)));
                // A candidate the model is sure of replaces the rules' value; else the rules' value stays.
                why.fields[fi] = match best {
                    Some((i, &p)) if p >= self.models.get(field).threshold => {
                        let rules = field.of(person).map(str::to_owned);
                        let value = if field == Field::Affiliation { self.rules.trim_affiliation(&cands[i].text) } else { with_former(&view, &cands[i]) };
                        field.set(person, Some(value));
                        Source::Model { p, rules }
                    }
                    Some((i, &p)) => Source::RulesModelUnsure { best: Some((cands[i].text.clone(), p)) },
                    None => Source::RulesModelUnsure { best: None },
                };
            }
        }
        let acts = ActView::new(self, &cx, doc, mentions, entities, persons);
        for (k, person) in persons.iter_mut().enumerate() {
            if !refined[k] {
                continue;
            }
            let cands = acts::act_candidates(&acts.offences, person.act.as_deref());
            if acts::switched_charge(&cands, &acts.offences) {
                why[k].fields[2] = Source::RulesSwitchedCharge;
                continue;
            }
            let threshold = self.models.act.threshold;
            let scored: Vec<(usize, f32)> = (0..cands.len())
                .map(|i| {
                    acts.features(&cands, i, k, &mut buf);
                    (i, self.models.act.probability(buf.finish()))
                })
                .collect();
            let chosen: Vec<&str> = scored.iter().filter(|(_, p)| *p >= threshold).map(|&(i, _)| cands[i].text.as_str()).collect();
            let chosen = acts::without_bare_duplicates(&chosen);
            // None chosen: the rules' act stays.
            if chosen.is_empty() {
                let best = scored.iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|&(i, p)| (cands[i].text.clone(), p));
                why[k].fields[2] = Source::RulesModelUnsure { best };
            } else {
                let p = scored.iter().filter(|(_, p)| *p >= threshold).map(|x| x.1).fold(1.0f32, f32::min);
                why[k].fields[2] = Source::Model { p, rules: person.act.clone() };
                person.act = Some(chosen.join(","));
            }
        }
        why
    }

    /// Training examples: the candidates of every person that has a gold
    /// record (`gold(name)`), labelled by whether they are its gold value.
    pub fn examples<'g>(&self, doc: &Document, mentions: &[Mention], entities: &[PersonEntity], persons: &[Person], gold: impl Fn(&str) -> Option<&'g Person>) -> FieldExamples {
        let mut out = FieldExamples::default();
        if entities.len() != persons.len() {
            return out;
        }
        let view = FieldView::new(doc, mentions);
        let cx = crate::Ctx::new(doc, mentions);
        let (mut cands, mut buf) = (Vec::new(), FeatureBuf::default());
        // The acts of the gold offenders, read as the stage runs: after the offender decision.
        let mut decided: Vec<Person> = persons.to_vec();
        for p in decided.iter_mut() {
            p.is_offender = gold(&p.name).is_some_and(|g| g.is_offender);
        }
        let acts = ActView::new(self, &cx, doc, mentions, entities, &decided);
        for (k, person) in decided.iter().enumerate() {
            let Some(g) = gold(&person.name).filter(|g| g.is_offender) else { continue };
            let want: Vec<String> = g.act.iter().flat_map(|a| a.split(',')).filter(|a| !a.is_empty()).map(key).collect();
            let cands = acts::act_candidates(&acts.offences, person.act.as_deref());
            out.gold_values[2] += want.len();
            out.located[2] += want.iter().filter(|w| cands.iter().any(|c| key(&c.text) == **w)).count();
            for i in 0..cands.len() {
                acts.features(&cands, i, k, &mut buf);
                out.act.push(Example { features: buf.finish().to_vec(), label: want.contains(&key(&cands[i].text)) });
            }
        }
        for (ent, person) in entities.iter().zip(persons) {
            let Some(g) = gold(&person.name) else { continue };
            let ms: Vec<&Mention> = ent.mentions.iter().filter_map(|&i| mentions.get(i)).collect();
            if ms.is_empty() {
                continue;
            }
            // The features read the gold offender flag: the stage runs after the offender decision.
            let mut person = person.clone();
            person.is_offender = g.is_offender;
            let titled = titled(&view, person.position.as_deref());
            for (fi, field) in Field::ALL.into_iter().enumerate() {
                let titled = if field == Field::Affiliation { titled.as_slice() } else { &[] };
                let rule = field.of(&person);
                self.candidates(&cx, &view, &ms, rule, person.position.as_deref(), field, &mut cands);
                let want = field.of(g).map(key);
                if want.is_some() {
                    out.gold_values[fi] += 1;
                    if cands.iter().any(|c| Some(key(&c.text)) == want) {
                        out.located[fi] += 1;
                    }
                }
                let into = match field {
                    Field::Position => &mut out.position,
                    Field::Affiliation => &mut out.affiliation,
                };
                for c in &cands {
                    features::features(&self.lex, &view, &ms, &person, rule, titled, c, &mut buf);
                    into.push(Example { features: buf.finish().to_vec(), label: Some(key(&c.text)) == want });
                }
            }
        }
        out
    }
}

/// Constraint: a position written after 元/前 and the organisation it was held
/// in is the former position (guideline `position`: the bare noun without the
/// organisation, 「元会社社長」→ 元社長, 「前大阪府知事」→ 前知事). The 元/前 must be
/// a prefix morpheme (not the 前 of 前橋市) starting the unbroken run of
/// kanji, katakana and ・ that ends at the position.
fn with_former(view: &FieldView, c: &FieldCandidate) -> String {
    let Some(span) = c.span else { return c.text.clone() };
    if c.text.starts_with(['元', '前']) {
        return c.text.clone();
    }
    let run = |ch: char| kiji_core::lexicon::chars::is_kanji(ch) || kiji_core::lexicon::chars::is_katakana(ch) || ch == '・';
    let mut k = span.start;
    while k > 0 && span.start - k < 16 && run(view.chars[k - 1]) {
        k -= 1;
    }
    if span.start - k < 2 {
        return c.text.clone();
    }
    let tokens = &view.doc.tokens;
    let t = tokens.partition_point(|t| t.span.start < k);
    match tokens.get(t) {
        Some(t) if t.span == Span::new(k, k + 1) && t.pos == kiji_core::Pos::Prefix && matches!(view.chars[k], '元' | '前') => format!("{}{}", view.chars[k], c.text),
        _ => c.text.clone(),
    }
}

/// The texts before each occurrence of a position (without 元/前; two chars
/// at least), where the organisation holding it is written.
fn titled(view: &FieldView, position: Option<&str>) -> Vec<String> {
    let base: String = key(position.unwrap_or_default()).trim_start_matches(['元', '前']).to_owned();
    if base.chars().count() < 2 {
        return Vec::new();
    }
    view.before_occurrences(&base, candidates::BEFORE)
}

/// What the act choice reads of an article: its offence names, the
/// offenders' mention spans.
struct ActView {
    offences: Vec<crate::OffenceMention>,
    sentences: Vec<Span>,
    /// Per person: its mention extents when it is an offender, else empty.
    spans: Vec<Vec<Span>>,
}

impl ActView {
    fn new(stage: &FieldStage, cx: &crate::Ctx, doc: &Document, mentions: &[Mention], entities: &[PersonEntity], persons: &[Person]) -> Self {
        let offences = if persons.iter().any(|p| p.is_offender) { stage.rules.offence_mentions(cx, doc.text.sentences()) } else { Vec::new() };
        let spans = entities
            .iter()
            .zip(persons)
            .map(|(e, p)| if p.is_offender { e.mentions.iter().filter_map(|&i| mentions.get(i)).map(crate::extent).collect() } else { Vec::new() })
            .collect();
        ActView { offences, sentences: doc.text.sentences().to_vec(), spans }
    }

    fn features(&self, cands: &[acts::ActCandidate], i: usize, person: usize, buf: &mut FeatureBuf) {
        let others: Vec<Span> = self.spans.iter().enumerate().filter(|&(k, _)| k != person).flat_map(|(_, s)| s.iter().copied()).collect();
        let n = self.spans.iter().filter(|s| !s.is_empty()).count();
        acts::act_features(cands, i, &self.offences, &self.spans[person], &others, n, &self.sentences, buf);
    }
}
