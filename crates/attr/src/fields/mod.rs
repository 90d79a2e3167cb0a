//! The learned span fields: a person's `position` and `affiliation` chosen
//! among the chunks written near its mentions by a trained scorer, the rule
//! stage's value being one candidate and a feature.
//!
//! * [`candidates`]: chunks of content morphemes around each mention (and the
//!   rules' value);
//! * [`features`]: what a chunk looks like and where it stands from the name;
//! * [`FieldModels`]: one logistic regression per field (`position.kpm`,
//!   `affiliation.kpm`), trained by `pipeline-run train`, shipped under
//!   `models/attr/` and embedded in the binary;
//! * constraints ([`FieldStage::refine`]): the most probable candidate
//!   replaces the rules' value when its probability reaches the model's
//!   threshold, else the rules' value stays (in CV over train this beats
//!   both the rules and the model alone: the model alone drops right rule
//!   values it is unsure of); only offenders' fields are redone (the CSV the
//!   reviewer reads), the other persons keep the rules' values.
pub mod candidates;
pub mod features;

use candidates::{candidates, key, FieldCandidate, FieldView};
use features::{FieldLexicon, FEATURE_VERSION};
use kiji_core::linear::{Example, FeatureBuf, LinearModel};
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

/// The trained field scorers.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldModels {
    pub position: LinearModel,
    pub affiliation: LinearModel,
}

impl FieldModels {
    /// The models shipped in `models/attr/`, embedded at build time.
    pub fn embedded() -> Result<Self> {
        Ok(FieldModels {
            position: LinearModel::from_bytes(EMBEDDED_POSITION, "embedded models/attr/position.kpm", FEATURE_VERSION)?,
            affiliation: LinearModel::from_bytes(EMBEDDED_AFFILIATION, "embedded models/attr/affiliation.kpm", FEATURE_VERSION)?,
        })
    }

    /// Models that know nothing (for computing features before training).
    pub fn untrained() -> Self {
        FieldModels { position: LinearModel::untrained("position", FEATURE_VERSION), affiliation: LinearModel::untrained("affiliation", FEATURE_VERSION) }
    }

    /// Trained models from the examples of each field.
    pub fn train(examples: &[&FieldExamples], opts: &kiji_core::linear::TrainOptions) -> Self {
        let pick = |f: Field| -> Vec<Example> { examples.iter().flat_map(|e| e.of(f).iter().cloned()).collect() };
        FieldModels {
            position: LinearModel::train("position", FEATURE_VERSION, &pick(Field::Position), opts),
            affiliation: LinearModel::train("affiliation", FEATURE_VERSION, &pick(Field::Affiliation), opts),
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
        })
    }

    /// Writes both files into `dir` (created if needed).
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::new(ErrorKind::Io, format!("cannot create {}: {e}", dir.display())))?;
        for f in Field::ALL {
            self.get(f).save(&dir.join(f.file()))?;
        }
        Ok(())
    }
}

/// Training examples of the field models from one article.
#[derive(Debug, Clone, Default)]
pub struct FieldExamples {
    pub position: Vec<Example>,
    pub affiliation: Vec<Example>,
    /// Per field: the gold values (non-null) of the persons matched, and how
    /// many of them are among the candidates.
    pub gold_values: [usize; 2],
    pub located: [usize; 2],
}

impl FieldExamples {
    pub fn of(&self, f: Field) -> &[Example] {
        match f {
            Field::Position => &self.position,
            Field::Affiliation => &self.affiliation,
        }
    }
}

/// The learned field stage. Immutable; share one across threads.
pub struct FieldStage {
    models: FieldModels,
    lex: FieldLexicon,
}

impl FieldStage {
    pub fn new(models: FieldModels) -> Self {
        let mut positions: std::collections::HashSet<String> = lexicon::words(super::POSITIONS).map(str::to_owned).collect();
        positions.extend(lexicon::pairs(super::SUFFIXES).filter(|(_, c)| *c == "title").map(|(w, _)| w.to_owned()));
        FieldStage { models, lex: FieldLexicon::new(positions) }
    }

    pub fn models(&self) -> &FieldModels {
        &self.models
    }

    /// The scored candidates of one field of one person.
    fn scored(&self, view: &FieldView, ms: &[&Mention], person: &Person, field: Field, cands: &mut Vec<FieldCandidate>, buf: &mut FeatureBuf) -> Vec<f32> {
        let rule = field.of(person);
        candidates(view, ms, rule, field == Field::Affiliation, cands);
        let model = self.models.get(field);
        cands
            .iter()
            .map(|c| {
                features::features(&self.lex, view, ms, person, rule, c, buf);
                model.probability(buf.finish())
            })
            .collect()
    }

    /// Redoes the offenders' positions and affiliations (`persons[k]` is the
    /// rules' record of `entities[k]`).
    pub fn refine(&self, doc: &Document, mentions: &[Mention], entities: &[PersonEntity], persons: &mut [Person]) {
        if entities.len() != persons.len() || !persons.iter().any(|p| p.is_offender) {
            return;
        }
        let view = FieldView::new(doc, mentions);
        let (mut cands, mut buf) = (Vec::new(), FeatureBuf::default());
        for (ent, person) in entities.iter().zip(persons.iter_mut()) {
            if !person.is_offender {
                continue;
            }
            let ms: Vec<&Mention> = ent.mentions.iter().filter_map(|&i| mentions.get(i)).collect();
            if ms.is_empty() {
                continue;
            }
            for field in Field::ALL {
                let probs = self.scored(&view, &ms, person, field, &mut cands, &mut buf);
                let best = probs.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)));
                // A candidate the model is sure of replaces the rules' value; else the rules' value stays.
                if let Some((i, _)) = best.filter(|(_, &p)| p >= self.models.get(field).threshold) {
                    field.set(person, Some(cands[i].text.clone()));
                }
            }
        }
    }

    /// Training examples: the candidates of every person that has a gold
    /// record (`gold(name)`), labelled by whether they are its gold value.
    pub fn examples<'g>(&self, doc: &Document, mentions: &[Mention], entities: &[PersonEntity], persons: &[Person], gold: impl Fn(&str) -> Option<&'g Person>) -> FieldExamples {
        let mut out = FieldExamples::default();
        if entities.len() != persons.len() {
            return out;
        }
        let view = FieldView::new(doc, mentions);
        let (mut cands, mut buf) = (Vec::new(), FeatureBuf::default());
        for (ent, person) in entities.iter().zip(persons) {
            let Some(g) = gold(&person.name) else { continue };
            let ms: Vec<&Mention> = ent.mentions.iter().filter_map(|&i| mentions.get(i)).collect();
            if ms.is_empty() {
                continue;
            }
            // The features read the gold offender flag: the stage runs after the offender decision.
            let mut person = person.clone();
            person.is_offender = g.is_offender;
            for (fi, field) in Field::ALL.into_iter().enumerate() {
                let rule = field.of(&person);
                candidates(&view, &ms, rule, field == Field::Affiliation, &mut cands);
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
                    features::features(&self.lex, &view, &ms, &person, rule, c, &mut buf);
                    into.push(Example { features: buf.finish().to_vec(), label: Some(key(&c.text)) == want });
                }
            }
        }
        out
    }
}
