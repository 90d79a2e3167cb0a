//! Input and output records of the annotation guideline (docs/annotation-guideline.md).
use crate::Span;
use serde::{Deserialize, Serialize};

/// One input line: an article to read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleInput {
    /// Caller's identifier, echoed in the output. Any JSON scalar is accepted on
    /// input and kept as its JSON text when it is not a string.
    #[serde(default)]
    pub id: Option<String>,
    /// Publication date `YYYY-MM-DD` (or a longer ISO timestamp); used only to
    /// turn a birth year into an age.
    #[serde(default)]
    pub posted_at: Option<String>,
    /// The article body.
    pub article: String,
    /// Optional candidate person names (spelling help). Never output unless
    /// they occur in the article.
    #[serde(default)]
    pub person_hints: Vec<String>,
    /// Optional candidate company names.
    #[serde(default)]
    pub company_hints: Vec<String>,
}

impl ArticleInput {
    pub fn new(id: impl Into<String>, article: impl Into<String>) -> Self {
        ArticleInput { id: Some(id.into()), article: article.into(), ..Default::default() }
    }
}

/// `category` of a person, by the guideline's first applicable rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    #[serde(rename = "法令違反")]
    LawViolation,
    #[serde(rename = "破産")]
    Bankruptcy,
    #[serde(rename = "PEPS")]
    Peps,
    #[serde(rename = "その他")]
    Other,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::LawViolation => "法令違反",
            Category::Bankruptcy => "破産",
            Category::Peps => "PEPS",
            Category::Other => "その他",
        }
    }
}

/// One named person of the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub is_real: bool,
    pub is_offender: bool,
    pub age: Option<String>,
    pub position: Option<String>,
    pub affiliation: Option<String>,
    pub category: Category,
    pub act: Option<String>,
    pub reason: Option<String>,
    #[serde(default)]
    pub mentions: Vec<Span>,
}

/// An address with its owner (a company for head offices, a person for residences).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OwnedAddress {
    pub address: String,
    pub owner: String,
}

/// One output line: everything kiji extracted from one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleOutput {
    pub id: Option<String>,
    pub persons: Vec<Person>,
    pub headquarters_locations: Vec<OwnedAddress>,
    pub residences: Vec<OwnedAddress>,
    pub physical_crime_occured_locations: Vec<String>,
    pub police_departments: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_record_of_the_guideline_round_trips() {
        // The first person record of dev article wn-1841 (../shared/data/dev/gold.jsonl).
        let line = r#"{"name": "田中博之", "is_real": true, "is_offender": true, "age": "44", "position": "社長", "affiliation": "ライスフィールド", "category": "法令違反", "act": "著作権法違反(頒布目的所持)", "reason": "x", "mentions": [[3, 7]]}"#;
        let p: Person = serde_json::from_str(line).unwrap();
        assert_eq!(p.category, Category::LawViolation);
        assert_eq!(p.mentions, vec![Span::new(3, 7)]);
        let back = serde_json::to_string(&p).unwrap();
        assert!(back.contains(r#""category":"法令違反""#), "{back}");
        assert!(back.contains(r#""mentions":[[3,7]]"#), "{back}");
    }

    #[test]
    fn input_hints_are_optional() {
        let a: ArticleInput = serde_json::from_str(r#"{"id":"x","article":"本文"}"#).unwrap();
        assert!(a.person_hints.is_empty() && a.posted_at.is_none());
        assert!(serde_json::from_str::<ArticleInput>(r#"{"id":"x"}"#).is_err());
    }
}
