//! kiji-pipeline: reads a Japanese news article and returns every named
//! person and the addresses it states, as the output record of
//! `docs/annotation-guideline.md`.
//!
//! Build one [`Pipeline`] per process (it loads the embedded dictionaries
//! once) and share it across threads; call [`Pipeline::process`] per article
//! or [`Pipeline::process_batch`] for many (in parallel, in input order).
//!
//! ```
//! use kiji_pipeline::{ArticleInput, Config, Pipeline};
//!
//! let pipeline = Pipeline::new(&Config::default()).unwrap();
//! // From Japanese Wikinews (CC BY 2.5), dev article wn-1841.
//! let input = ArticleInput::new(
//!     "wn-1841",
//!     "大阪府警生安特捜隊は、著作権法違反(頒布目的所持)容疑で、雑貨卸売会社・『ライスフィールド』(大阪市東淀川区)社長・田中博之容疑者(44歳、大阪府箕面市在住)や同社社員ら12人を逮捕した。",
//! );
//! let out = pipeline.process(&input);
//! let p = &out.persons[0];
//! assert_eq!(p.name, "田中博之");
//! assert!(p.is_offender);
//! assert_eq!(p.age.as_deref(), Some("44"));
//! // Spans are char offsets into the article.
//! let m = p.mentions[0];
//! let name: String = input.article.chars().skip(m.start).take(m.end - m.start).collect();
//! assert_eq!(name, "田中博之");
//! ```
//!
//! The stages are traits of `kiji-core`; [`Pipeline::with_stages`] composes
//! other implementations (a transformer recogniser, say) with the same
//! morphology and output.

pub mod jsonl;

/// The address stage (its learned roles' models and examples, for training).
pub use kiji_address as address;

use kiji_core::{AddressExtractor, AttributeClassifier, Document, Linker, Recognizer};
pub use kiji_core::{ArticleInput, ArticleOutput, Category, Error, ErrorKind, OwnedAddress, Person, Result, Span};
use rayon::prelude::*;

/// How to build a [`Pipeline`].
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Worker threads for [`Pipeline::process_batch`]; `None` = rayon's default
    /// (one per core). Used only by callers that build a pool from it.
    pub threads: Option<usize>,
    /// Which NER backend recognises the mentions.
    pub ner: NerBackend,
    /// The transformer backends' model directory (Hugging Face layout);
    /// `None` = [`DEFAULT_TRANSFORMER_MODEL`].
    pub model: Option<std::path::PathBuf>,
    /// The transformer backends' device: `cpu`, `cuda` or `auto`.
    pub device: Option<String>,
    /// Windows per forward pass of the transformer backends (default: 8 on
    /// CPU, 64 on CUDA).
    pub batch_size: Option<usize>,
    /// Who decides which candidates are persons and which are offenders.
    pub persons: PersonMode,
    /// A directory with the person models (`person.kpm`, `offender.kpm`,
    /// written by `pipeline-run train`); `None` = the models embedded from
    /// `models/person`.
    pub person_models: Option<std::path::PathBuf>,
    /// Who chooses the offenders' positions, affiliations and acts.
    pub attributes: AttrMode,
    /// A directory with the field models (`position.kpm`, `affiliation.kpm`, `act.kpm`,
    /// written by `pipeline-run train`); `None` = the models embedded from
    /// `models/attr`.
    pub attr_models: Option<std::path::PathBuf>,
    /// Who assigns the address roles (head office, residence, crime location)
    /// and, with `Learned`, which police bodies found investigate the case.
    pub addresses: AddressMode,
    /// A directory with the address models (`crime.kpm`, `residence.kpm`,
    /// `head_office.kpm`, `police.kpm`, written by `pipeline-run train --address`); `None` =
    /// the models embedded from `models/address`.
    pub address_models: Option<std::path::PathBuf>,
}

/// Who chooses the span fields (position, affiliation, act) of offenders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AttrMode {
    /// `kiji_attr::fields::FieldStage`: chunks near the mentions, the
    /// article's offence names and the rules' values scored by trained
    /// models (the default).
    #[default]
    Learned,
    /// The attribute rules alone: the baseline.
    Rules,
}

impl std::str::FromStr for AttrMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "learned" => Ok(AttrMode::Learned),
            "rules" => Ok(AttrMode::Rules),
            _ => Err(Error::new(ErrorKind::Config, format!("unknown attribute mode {s:?} (learned, rules)"))),
        }
    }
}

/// Who assigns the address roles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AddressMode {
    /// `kiji_address::learned`: every recognised address span is a candidate;
    /// trained `crime`, `residence` and `head_office` models decide, and the
    /// `police` model which police bodies found are kept. The police model
    /// loses to the rules (every body found) in cross-validation over train
    /// and on dev (docs/EVALUATION.md).
    Learned,
    /// The learned residences and crime places, the rule cascade's head
    /// offices, every police body found. The learned crime places win 5-fold
    /// cross-validation over train (F1 0.503 -> 0.598, seed 7 0.587) and lose
    /// dev by far (0.774 -> 0.484), missing plain 「<city>で…事件」 places the
    /// cascade reads (docs/EVALUATION.md).
    Places,
    /// The learned residences, the rule cascade's head offices and crime
    /// places, every police body found. The learned residences win 5-fold
    /// cross-validation on residences F1 (0.669 -> 0.717) but lose the
    /// offenders' CSV person_address (0.547 -> 0.522) and dev (F1 0.882 ->
    /// 0.841, person_address 0.688 -> 0.636) since the cascade reads the
    /// police release form and 「…の自宅」 (docs/EVALUATION.md).
    Residences,
    /// The rule cascade of `kiji_address` (first rule wins): the default, the
    /// best on the offenders' fields the compliance reviewer reads in CV
    /// (person_address, offender articles exact) and on dev.
    #[default]
    Rules,
}

impl AddressMode {
    pub const ALL: [AddressMode; 4] = [AddressMode::Rules, AddressMode::Residences, AddressMode::Places, AddressMode::Learned];

    pub fn name(self) -> &'static str {
        match self {
            AddressMode::Learned => "learned",
            AddressMode::Places => "places",
            AddressMode::Residences => "residences",
            AddressMode::Rules => "rules",
        }
    }

    /// The roles the learned models decide (None: the rule cascade alone).
    pub fn roles(self) -> Option<kiji_address::LearnedRoles> {
        match self {
            AddressMode::Learned => Some(kiji_address::LearnedRoles::ALL),
            AddressMode::Places => Some(kiji_address::LearnedRoles::PLACES),
            AddressMode::Residences => Some(kiji_address::LearnedRoles::RESIDENCES),
            AddressMode::Rules => None,
        }
    }
}

impl std::str::FromStr for AddressMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        AddressMode::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| Error::new(ErrorKind::Config, format!("unknown address mode {s:?} (learned, places, residences, rules)")))
    }
}

/// Who makes the person decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PersonMode {
    /// `kiji_person::PersonStage`: name candidates from the recogniser's
    /// names, their variants, IPADIC surnames, katakana and Latin words;
    /// trained `person` and `offender` models (the default).
    #[default]
    Learned,
    /// The rule stages alone (every lexicon full name is a person; the
    /// attribute rules decide offenders): the baseline.
    Rules,
}

impl std::str::FromStr for PersonMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "learned" => Ok(PersonMode::Learned),
            "rules" => Ok(PersonMode::Rules),
            _ => Err(Error::new(ErrorKind::Config, format!("unknown person mode {s:?} (learned, rules)"))),
        }
    }
}

/// Where the transformer backends look for their model when
/// [`Config::model`] is not set: `models/ner-transformer` of this checkout.
pub const DEFAULT_TRANSFORMER_MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/ner-transformer");

/// The NER backends [`Pipeline::new`] can build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NerBackend {
    /// `kiji_ner::LexiconRecognizer`: IPADIC tags + suffix patterns.
    #[default]
    Lexicon,
    /// `kiji_tagger::TaggerRecognizer`: the embedded perceptron model.
    Tagger,
    /// `kiji_tagger::EnsembleRecognizer`: lexicon persons (with suffixes),
    /// tagger for the other types and for persons the lexicon missed.
    Ensemble,
    /// `kiji_ner::transformer::TransformerRecognizer`: a fine-tuned encoder
    /// on LibTorch (feature `torch`) or on the native CPU engine.
    Transformer,
    /// Lexicon persons (with suffixes), the transformer for the other types
    /// and for persons the lexicon missed.
    TransformerEnsemble,
}

impl NerBackend {
    pub fn name(self) -> &'static str {
        match self {
            NerBackend::Lexicon => "lexicon",
            NerBackend::Tagger => "tagger",
            NerBackend::Ensemble => "ensemble",
            NerBackend::Transformer => "transformer",
            NerBackend::TransformerEnsemble => "transformer-ensemble",
        }
    }
}

impl std::str::FromStr for NerBackend {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "lexicon" => Ok(NerBackend::Lexicon),
            "tagger" => Ok(NerBackend::Tagger),
            "ensemble" => Ok(NerBackend::Ensemble),
            "transformer" => Ok(NerBackend::Transformer),
            "transformer-ensemble" => Ok(NerBackend::TransformerEnsemble),
            _ => Err(Error::new(
                ErrorKind::Config,
                format!("unknown NER backend {s:?} (lexicon, tagger, ensemble, transformer, transformer-ensemble)"),
            )),
        }
    }
}

/// The composed stages. Immutable after construction; `Send + Sync`.
pub struct Pipeline {
    analyzer: kiji_morph::Analyzer,
    recognizer: Box<dyn Recognizer>,
    linker: Box<dyn Linker>,
    attributes: Box<dyn AttributeClassifier>,
    addresses: Box<dyn AddressExtractor>,
    persons: Option<kiji_person::PersonStage>,
    fields: Option<kiji_attr::fields::FieldStage>,
}

impl Pipeline {
    /// The default pipeline: IPADIC morphology, lexicon NER (or the backend
    /// `config.ner` names), rule linking, rule attributes, gazetteer
    /// addresses. Needs no files at run time.
    pub fn new(config: &Config) -> Result<Self> {
        let recognizer: Box<dyn Recognizer> = match config.ner {
            NerBackend::Lexicon => Box::new(kiji_ner::LexiconRecognizer::new()),
            NerBackend::Tagger => Box::new(kiji_tagger::TaggerRecognizer::new()?),
            NerBackend::Ensemble => Box::new(kiji_tagger::EnsembleRecognizer::new(
                Box::new(kiji_ner::LexiconRecognizer::new()),
                Box::new(kiji_tagger::TaggerRecognizer::new()?),
            )),
            NerBackend::Transformer => transformer(config)?,
            NerBackend::TransformerEnsemble => {
                Box::new(kiji_tagger::EnsembleRecognizer::new(Box::new(kiji_ner::LexiconRecognizer::new()), transformer(config)?))
            }
        };
        let pipeline = Self::with_stages(
            kiji_morph::Analyzer::new()?,
            recognizer,
            Box::new(kiji_link::RuleLinker),
            Box::new(kiji_attr::RuleAttributes::new()),
            address_stage(config)?,
        );
        let pipeline = match config.persons {
            PersonMode::Rules => pipeline,
            PersonMode::Learned => {
                let models = match &config.person_models {
                    Some(dir) => kiji_person::PersonModels::load(dir)?,
                    None => kiji_person::PersonModels::embedded()?,
                };
                pipeline.with_person_models(models)
            }
        };
        Ok(match config.attributes {
            AttrMode::Rules => pipeline,
            AttrMode::Learned => {
                let models = match &config.attr_models {
                    Some(dir) => kiji_attr::fields::FieldModels::load(dir)?,
                    None => kiji_attr::fields::FieldModels::embedded()?,
                };
                pipeline.with_field_models(models)
            }
        })
    }

    /// The same pipeline with the learned field stage on these models.
    pub fn with_field_models(mut self, models: kiji_attr::fields::FieldModels) -> Self {
        self.fields = Some(kiji_attr::fields::FieldStage::new(models));
        self
    }

    /// The same pipeline with the address roles `mode` names learned by these models.
    pub fn with_address_models(mut self, models: kiji_address::AddressModels, mode: AddressMode) -> Result<Self> {
        let stage = kiji_address::AddressStage::new()?;
        self.addresses = Box::new(match mode.roles() {
            Some(roles) => stage.with_models(models).with_roles(roles),
            None => stage,
        });
        Ok(self)
    }

    /// The same pipeline with the learned person stage on these models.
    pub fn with_person_models(mut self, models: kiji_person::PersonModels) -> Self {
        self.persons = Some(kiji_person::PersonStage::new(models));
        self
    }

    /// The learned person stage, when the pipeline has one.
    pub fn person_stage(&self) -> Option<&kiji_person::PersonStage> {
        self.persons.as_ref()
    }

    /// Compose other stage implementations.
    pub fn with_stages(
        analyzer: kiji_morph::Analyzer,
        recognizer: Box<dyn Recognizer>,
        linker: Box<dyn Linker>,
        attributes: Box<dyn AttributeClassifier>,
        addresses: Box<dyn AddressExtractor>,
    ) -> Self {
        Pipeline { analyzer, recognizer, linker, attributes, addresses, persons: None, fields: None }
    }

    /// Tokenise and build the shared document view (the first step of [`Pipeline::process`]).
    pub fn document<'a>(&self, input: &'a ArticleInput) -> Document<'a> {
        let mut doc = Document::new(input, Vec::new());
        doc.tokens = self.analyzer.tokenize(&doc.text);
        doc
    }

    /// Run every stage over one article.
    pub fn process(&self, input: &ArticleInput) -> ArticleOutput {
        let doc = self.document(input);
        let mentions = self.recognizer.recognize(&doc);
        self.finish(&doc, &mentions)
    }

    /// The stages after NER.
    fn finish(&self, doc: &Document, mentions: &[kiji_core::Mention]) -> ArticleOutput {
        let (mentions, _, persons) = self.persons(doc, mentions);
        self.record(doc, &mentions, persons)
    }

    /// The output record: the persons and the address lists read with them.
    fn record(&self, doc: &Document, mentions: &[kiji_core::Mention], persons: Vec<Person>) -> ArticleOutput {
        let addresses = self.addresses.extract(doc, mentions, &persons);
        ArticleOutput::assemble(doc.input.id.clone(), persons, addresses)
    }

    /// Linking and attributes after NER, with the learned person stage when
    /// the pipeline has one: the mentions the later stages read, the persons'
    /// mention groups, and their records.
    pub fn persons(&self, doc: &Document, mentions: &[kiji_core::Mention]) -> (Vec<kiji_core::Mention>, Vec<kiji_core::PersonEntity>, Vec<Person>) {
        let (mentions, entities, persons, _) = self.persons_and_sources(doc, mentions);
        (mentions, entities, persons)
    }

    /// [`Pipeline::persons`] and where each person's fields came from (empty
    /// without the learned field stage).
    fn persons_and_sources(&self, doc: &Document, mentions: &[kiji_core::Mention]) -> (Vec<kiji_core::Mention>, Vec<kiji_core::PersonEntity>, Vec<Person>, Vec<kiji_attr::fields::FieldWhy>) {
        let (mentions, entities, mut persons) = self.ruled_persons(doc, mentions);
        let sources = match &self.fields {
            Some(fields) => fields.refine(doc, &mentions, &entities, &mut persons),
            None => Vec::new(),
        };
        (mentions, entities, persons, sources)
    }

    /// [`Pipeline::persons`] before the learned field stage: the rules' fields.
    fn ruled_persons(&self, doc: &Document, mentions: &[kiji_core::Mention]) -> (Vec<kiji_core::Mention>, Vec<kiji_core::PersonEntity>, Vec<Person>) {
        let Some(stage) = &self.persons else {
            // The rules list the recogniser's names, not the weak candidates only a model decides on.
            let mentions: Vec<kiji_core::Mention> = mentions.iter().filter(|m| !(m.kind == kiji_core::MentionKind::Person && m.score <= kiji_ner::WEAK_NAME_SCORE)).cloned().collect();
            let entities = self.linker.link(doc, &mentions);
            let persons = self.attributes.classify(doc, &mentions, &entities);
            return (mentions, entities, persons);
        };
        let decided = stage.decide(doc, mentions, self.linker.as_ref());
        let (mentions, entities) = (decided.mentions, decided.entities);
        let mut persons = self.attributes.classify(doc, &mentions, &entities);
        // The rules' record of each person is evidence for the offender model;
        // where the model decides otherwise, the dependent fields are redone.
        if persons.len() == entities.len() {
            let offenders = stage.offenders(doc, &mentions, &entities, &persons);
            if persons.iter().zip(&offenders).any(|(p, &o)| p.is_offender != o) {
                persons = self.attributes.classify_with_offenders(doc, &mentions, &entities, &offenders);
            }
        }
        (mentions, entities, persons)
    }

    /// Training examples of the two person models from one annotated
    /// article: every name candidate labelled by whether it is a gold
    /// person's name, and every gold person the candidates hold labelled by
    /// its gold `is_offender` (its features read the rule stages' record).
    pub fn person_examples(&self, input: &ArticleInput, gold: &[Person]) -> (Vec<kiji_person::Example>, Vec<kiji_person::Example>) {
        use kiji_person::{features, Example};
        let Some(stage) = &self.persons else { return Default::default() };
        let key = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).map(kiji_core::fold_char).collect() };
        let gold_by_name: std::collections::HashMap<String, bool> = gold.iter().map(|p| (key(&p.name), p.is_offender)).collect();
        let doc = self.document(input);
        let recognised = self.recognizer.recognize(&doc);
        let scored = stage.candidates(&doc, &recognised);
        let labels: Vec<bool> = scored.cands.iter().map(|c| gold_by_name.contains_key(&key(&c.name))).collect();
        let person: Vec<Example> = stage.features(&scored, &recognised).into_iter().zip(&labels).map(|(features, &label)| Example { features, label }).collect();
        // The offender model learns on the gold persons as the span model would keep them.
        let probs: Vec<f32> = labels.iter().map(|&l| if l { 1.0 } else { 0.0 }).collect();
        let kept = kiji_person::candidates::select(&scored.cands, &probs, 0.5);
        let decided = kiji_person::PersonStage::link(&doc, &recognised, &scored, &kept, &probs, self.linker.as_ref());
        let rules = self.attributes.classify(&doc, &decided.mentions, &decided.entities);
        let mut buf = features::FeatureBuf::default();
        let mut offender = Vec::new();
        let article = features::ArticleCues::new(&scored.view, stage.cues(), decided.entities.iter().map(|e| e.mentions.as_slice()));
        for (k, (ent, rule)) in decided.entities.iter().zip(&rules).enumerate() {
            let Some(&label) = gold_by_name.get(&key(&ent.name)) else { continue };
            features::offender_features(&scored.view, stage.cues(), &article, k, &decided.mentions, &ent.mentions, rule, &mut buf);
            offender.push(Example { features: buf.finish().to_vec(), label });
        }
        (person, offender)
    }

    /// One article's output record and where each person and field of it
    /// came from (which model and probability, or which rule or constraint):
    /// `pipeline-run explain`, read by `eval --diff --explain`.
    pub fn explain(&self, input: &ArticleInput) -> (ArticleOutput, Explanation) {
        let doc = self.document(input);
        let recognised = self.recognizer.recognize(&doc);
        let (mentions, entities, persons, sources) = self.persons_and_sources(&doc, &recognised);
        let mut why: Vec<PersonWhy> = persons
            .iter()
            .map(|p| PersonWhy { name: p.name.clone(), listed: "lexicon (rules)".into(), offender: "rules".into(), position: "rules".into(), affiliation: "rules".into(), act: "rules".into() })
            .collect();
        if let Some(stage) = &self.persons {
            let names = stage.explain_names(&doc, &recognised);
            let rules = self.attributes.classify(&doc, &mentions, &entities);
            let offender = if rules.len() == entities.len() { stage.offender_probabilities(&doc, &mentions, &entities, &rules) } else { Vec::new() };
            for (k, w) in why.iter_mut().enumerate() {
                w.listed = match names.get(&w.name) {
                    Some(&(p, Some(why))) => format!("kept: {why} (person model p={p:.2})"),
                    Some(&(p, None)) => format!("person model p={p:.2}"),
                    None => "linked name".into(),
                };
                if let Some(p) = offender.get(k) {
                    let kept = if entities.get(k).is_some_and(|e| kiji_person::named_suspect(&mentions, e)) { "kept: read with 容疑者; " } else { "" };
                    w.offender = format!("{kept}offender model p={p:.2} (rules: {})", rules[k].is_offender);
                }
            }
        }
        for (w, f) in why.iter_mut().zip(sources) {
            let [position, affiliation, act] = f.fields;
            (w.position, w.affiliation, w.act) = (position.to_string(), affiliation.to_string(), act.to_string());
        }
        (self.record(&doc, &mentions, persons), Explanation { id: input.id.clone(), persons: why })
    }

    /// Training examples of the field models from one annotated article:
    /// the candidates of each person this pipeline lists that has a gold
    /// record (matched by name), labelled by the gold value.
    /// `stage` computes the candidates and features (its weights are not read).
    pub fn field_examples(&self, stage: &kiji_attr::fields::FieldStage, input: &ArticleInput, gold: &[Person]) -> kiji_attr::fields::FieldExamples {
        let key = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).map(kiji_core::fold_char).collect() };
        let by_name: std::collections::HashMap<String, &Person> = gold.iter().map(|p| (key(&p.name), p)).collect();
        let doc = self.document(input);
        let recognised = self.recognizer.recognize(&doc);
        let (mentions, entities, persons) = self.ruled_persons(&doc, &recognised);
        stage.examples(&doc, &mentions, &entities, &persons, |name| by_name.get(&key(name)).copied())
    }

    /// Training examples of the three address-role models from one annotated
    /// article: the persons and mentions as this pipeline gives them, the
    /// candidates of `stage` labelled by the gold address lists.
    pub fn address_examples(&self, stage: &kiji_address::AddressStage, input: &ArticleInput, gold: &ArticleOutput) -> kiji_address::AddressExamples {
        let doc = self.document(input);
        let recognised = self.recognizer.recognize(&doc);
        let (mentions, _, persons) = self.persons(&doc, &recognised);
        stage.examples(&doc, &mentions, &persons, gold)
    }

    /// Process many articles in parallel on the current rayon pool, in input
    /// order. Rule backends: identical to [`Pipeline::process`] on each.
    /// Model backends that batch (the transformer) get all the articles in
    /// one call; their scores can differ from one-at-a-time runs in the last
    /// bits of floating point.
    pub fn process_batch(&self, inputs: &[ArticleInput]) -> Vec<ArticleOutput> {
        if !self.recognizer.batched() {
            return inputs.par_iter().map(|a| self.process(a)).collect();
        }
        let docs: Vec<Document> = inputs.par_iter().map(|a| self.document(a)).collect();
        let mentions = self.mentions(&docs);
        docs.par_iter().zip(mentions.par_iter()).map(|(d, m)| self.finish(d, m)).collect()
    }

    /// The NER stage over many documents: one call for a batching
    /// recogniser, else one per document in parallel.
    pub fn mentions(&self, docs: &[Document]) -> Vec<Vec<kiji_core::Mention>> {
        if self.recognizer.batched() {
            let refs: Vec<&Document> = docs.iter().collect();
            self.recognizer.recognize_batch(&refs)
        } else {
            docs.par_iter().map(|d| self.recognizer.recognize(d)).collect()
        }
    }

    /// The stages by name, for benches and diagnostics.
    pub fn stages(&self) -> Stages<'_> {
        Stages {
            analyzer: &self.analyzer,
            recognizer: self.recognizer.as_ref(),
            linker: self.linker.as_ref(),
            attributes: self.attributes.as_ref(),
            addresses: self.addresses.as_ref(),
        }
    }
}

/// Where the persons of one output record and their fields came from.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Explanation {
    pub id: Option<String>,
    pub persons: Vec<PersonWhy>,
}

/// Where one person and its fields came from, in words.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PersonWhy {
    pub name: String,
    /// Why the person is listed.
    pub listed: String,
    pub offender: String,
    pub position: String,
    pub affiliation: String,
    pub act: String,
}

impl PersonWhy {
    /// One line: `name: listed …; offender …; position …; affiliation …; act …`.
    pub fn line(&self) -> String {
        format!("{}: listed {}; offender {}; position {}; affiliation {}; act {}", self.name, self.listed, self.offender, self.position, self.affiliation, self.act)
    }
}

/// Borrowed access to each stage of a [`Pipeline`].
pub struct Stages<'p> {
    pub analyzer: &'p kiji_morph::Analyzer,
    pub recognizer: &'p dyn Recognizer,
    pub linker: &'p dyn Linker,
    pub attributes: &'p dyn AttributeClassifier,
    pub addresses: &'p dyn AddressExtractor,
}

/// The address stage `config.addresses` names.
fn address_stage(config: &Config) -> Result<Box<dyn AddressExtractor>> {
    let stage = kiji_address::AddressStage::new()?;
    Ok(Box::new(match config.addresses.roles() {
        None => stage,
        Some(roles) => {
            let models = match &config.address_models {
                Some(dir) => kiji_address::AddressModels::load(dir)?,
                None => kiji_address::AddressModels::embedded()?,
            };
            stage.with_models(models).with_roles(roles)
        }
    }))
}

/// The transformer backend: LibTorch in a torch build, else the native engine.
fn transformer(config: &Config) -> Result<Box<dyn Recognizer>> {
    use kiji_ner::transformer::{InferenceOptions, TransformerRecognizer};
    let dir = config.model.clone().unwrap_or_else(|| DEFAULT_TRANSFORMER_MODEL.into());
    let mut opts = InferenceOptions::default();
    if let Some(d) = &config.device {
        opts.device = d.parse()?;
    }
    if let Some(b) = config.batch_size {
        opts.batch_size = b.max(1);
    }
    Ok(Box::new(TransformerRecognizer::load(&dir, opts)?))
}

