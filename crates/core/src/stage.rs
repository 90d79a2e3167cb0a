//! What the stages exchange, and the stage traits the pipeline composes.
use crate::{ArticleInput, ArticleOutput, OwnedAddress, Person, Span, Text};

/// Coarse part of speech of a morpheme, from the IPADIC categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pos {
    /// 名詞,固有名詞,人名,姓
    Surname,
    /// 名詞,固有名詞,人名,名
    GivenName,
    /// 名詞,固有名詞,人名,一般
    PersonName,
    /// 名詞,固有名詞,組織
    Organization,
    /// 名詞,固有名詞,地域
    Place,
    /// other 名詞,固有名詞
    ProperNoun,
    /// 名詞,数
    Number,
    /// 名詞,接尾
    NounSuffix,
    /// other nouns
    Noun,
    /// 動詞, 形容詞, 助動詞
    Predicate,
    /// 助詞
    Particle,
    /// 記号
    Symbol,
    /// 接頭詞
    Prefix,
    /// anything else
    Other,
}

/// One morpheme with its char span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub pos: Pos,
    /// Not in the dictionary (an unknown word the analyser guessed).
    pub unknown: bool,
}

/// The article and the analyses every stage shares, built once per article.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub input: &'a ArticleInput,
    pub text: Text,
    /// Morphemes in text order (may be empty when no analyser is configured).
    pub tokens: Vec<Token>,
}

impl<'a> Document<'a> {
    pub fn new(input: &'a ArticleInput, tokens: Vec<Token>) -> Self {
        Document { input, text: Text::new(&input.article), tokens }
    }
}

/// What kind of thing a mention names. The first eight are the Stockmark NER
/// types; the rest are what the person pipeline needs on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MentionKind {
    /// 人名: a full personal name (family + given, or a foreign name).
    Person,
    /// 法人名
    Company,
    /// 政治的組織名 (parties, governments, ministries, police, courts)
    PoliticalOrg,
    /// その他の組織名
    OtherOrg,
    /// 地名
    Location,
    /// 施設名
    Facility,
    /// 製品名
    Product,
    /// イベント名
    Event,
    /// A surname (or given name) alone followed by a suffix (「田中容疑者」).
    PartialName,
    /// 「同容疑者」「同被告」「同氏」: refers back to an earlier person.
    Anaphor,
}

impl MentionKind {
    /// The Stockmark label for the eight NER types.
    pub fn stockmark_label(self) -> Option<&'static str> {
        Some(match self {
            MentionKind::Person => "人名",
            MentionKind::Company => "法人名",
            MentionKind::PoliticalOrg => "政治的組織名",
            MentionKind::OtherOrg => "その他の組織名",
            MentionKind::Location => "地名",
            MentionKind::Facility => "施設名",
            MentionKind::Product => "製品名",
            MentionKind::Event => "イベント名",
            _ => return None,
        })
    }
    pub fn from_stockmark_label(label: &str) -> Option<Self> {
        Some(match label {
            "人名" => MentionKind::Person,
            "法人名" => MentionKind::Company,
            "政治的組織名" => MentionKind::PoliticalOrg,
            "その他の組織名" => MentionKind::OtherOrg,
            "地名" => MentionKind::Location,
            "施設名" => MentionKind::Facility,
            "製品名" => MentionKind::Product,
            "イベント名" => MentionKind::Event,
            _ => return None,
        })
    }
    pub fn is_person_like(self) -> bool {
        matches!(self, MentionKind::Person | MentionKind::PartialName | MentionKind::Anaphor)
    }
}

/// The class of a word written right after a person's name
/// (`dictionaries/person/suffixes.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuffixClass {
    /// 容疑者, 被疑者: a suspect.
    Suspect,
    /// 「…容疑」 in a headline: a suspect, weaker evidence.
    SuspectHeadline,
    /// 被告, 被告人: a defendant in a criminal case.
    Defendant,
    /// 氏, さん, 君: a plain reference.
    Honorific,
    /// 社長, 知事, 裁判長 ...: a position written after the name.
    Title,
}

impl SuffixClass {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "suspect" => SuffixClass::Suspect,
            "suspect_headline" => SuffixClass::SuspectHeadline,
            "defendant" => SuffixClass::Defendant,
            "honorific" => SuffixClass::Honorific,
            "title" => SuffixClass::Title,
            _ => return None,
        })
    }
    /// Does this suffix alone present the person as an offender?
    pub fn marks_offender(self) -> bool {
        matches!(self, SuffixClass::Suspect | SuffixClass::SuspectHeadline | SuffixClass::Defendant)
    }
}

/// A span found by a recogniser.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The name itself (without the suffix).
    pub span: Span,
    pub kind: MentionKind,
    /// The name as it should be output: spaces between family and given name
    /// and bracketed readings/former names removed (guideline `name` rule).
    pub name: String,
    /// The honorific/role suffix right after the name (容疑者, 被告, 氏, 社長 ...).
    pub suffix: Option<Span>,
    /// What the suffix says about the person.
    pub suffix_class: Option<SuffixClass>,
    /// Confidence in [0, 1]; lexicon rules use 1.0 for pattern-confirmed names.
    pub score: f32,
}

/// A person after linking: one canonical name and every mention of it.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonEntity {
    pub name: String,
    /// Indices into the mention list, in text order; the first is the first full-name mention.
    pub mentions: Vec<usize>,
}

/// The four address lists of the output record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Addresses {
    pub headquarters_locations: Vec<OwnedAddress>,
    pub residences: Vec<OwnedAddress>,
    pub physical_crime_occured_locations: Vec<String>,
    pub police_departments: Vec<String>,
}

impl ArticleOutput {
    /// The output record of one article from the persons and the address lists.
    pub fn assemble(id: Option<String>, persons: Vec<Person>, addresses: Addresses) -> Self {
        ArticleOutput {
            id,
            persons,
            headquarters_locations: addresses.headquarters_locations,
            residences: addresses.residences,
            physical_crime_occured_locations: addresses.physical_crime_occured_locations,
            police_departments: addresses.police_departments,
        }
    }
}

/// NER: finds mentions in an article.
pub trait Recognizer: Send + Sync {
    fn recognize(&self, doc: &Document) -> Vec<Mention>;

    /// Mentions of several documents at once; the same as [`Recognizer::recognize`]
    /// on each. Model backends override it to batch work across articles.
    fn recognize_batch(&self, docs: &[&Document]) -> Vec<Vec<Mention>> {
        docs.iter().map(|d| self.recognize(d)).collect()
    }

    /// Whether [`Recognizer::recognize_batch`] is faster than one call per
    /// document (the pipeline then hands it whole batches).
    fn batched(&self) -> bool {
        false
    }
}

/// Entity linking: groups person mentions into persons.
pub trait Linker: Send + Sync {
    fn link(&self, doc: &Document, mentions: &[Mention]) -> Vec<PersonEntity>;
}

/// Attribute classification: fills every field of each person.
pub trait AttributeClassifier: Send + Sync {
    fn classify(&self, doc: &Document, mentions: &[Mention], entities: &[PersonEntity]) -> Vec<Person>;

    /// The same with `is_offender` decided elsewhere (a learned model):
    /// `offenders[k]` for `entities[k]`; the fields that depend on it (act,
    /// category, reason) follow it. The default sets the flag and the
    /// category's first rule on [`AttributeClassifier::classify`]'s output.
    fn classify_with_offenders(&self, doc: &Document, mentions: &[Mention], entities: &[PersonEntity], offenders: &[bool]) -> Vec<Person> {
        let mut persons = self.classify(doc, mentions, entities);
        for (p, &o) in persons.iter_mut().zip(offenders) {
            if p.is_offender != o {
                p.is_offender = o;
                if o {
                    p.category = crate::Category::LawViolation;
                } else {
                    p.act = None;
                    if p.category == crate::Category::LawViolation {
                        p.category = crate::Category::Other;
                    }
                }
            }
        }
        persons
    }
}

/// Address extraction: head offices, residences, crime locations, police bodies.
pub trait AddressExtractor: Send + Sync {
    fn extract(&self, doc: &Document, mentions: &[Mention], persons: &[Person]) -> Addresses;
}
