//! kiji-link: groups person mentions into persons.
//!
//! * Full-name mentions with the same name are one person; persons are listed
//!   in order of their first full-name mention.
//! * A full name that is the head or tail of exactly one other full name
//!   (「勇貴容疑者」 beside 「武藤勇貴容疑者」) is that person.
//! * A partial mention (「田中容疑者」, 「オデグバミ氏」, 「博之さん」) joins the
//!   closest preceding person whose name starts (surname) or ends (given
//!   name, katakana family name) with it; failing that, the first later one.
//! * A back-reference (「同容疑者」, 「同被告」, 「同氏」) joins the last person
//!   mentioned before it whose own suffixes are of the same class, else the
//!   last person mentioned.
//! * A person is only listed when its full name occurs at least once
//!   (guideline: surname-only people are not listed).

use kiji_core::{Document, Linker, Mention, MentionKind, PersonEntity, SuffixClass};
use std::collections::HashMap;

/// The rule-based linker. Stateless.
#[derive(Debug, Default, Clone, Copy)]
pub struct RuleLinker;

fn name_key(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace() && *c != '・' && *c != '=').collect()
}

impl Linker for RuleLinker {
    fn link(&self, _doc: &Document, mentions: &[Mention]) -> Vec<PersonEntity> {
        let mut entities: Vec<PersonEntity> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        // Full names first, in text order.
        for (i, m) in mentions.iter().enumerate() {
            if m.kind != MentionKind::Person || m.name.is_empty() {
                continue;
            }
            let key = name_key(&m.name);
            match by_key.get(&key) {
                Some(&e) => entities[e].mentions.push(i),
                None => {
                    by_key.insert(key.clone(), entities.len());
                    keys.push(key);
                    entities.push(PersonEntity { name: m.name.clone(), mentions: vec![i] });
                }
            }
        }
        merge_contained_names(&mut entities, &mut keys);
        // One pass in text order: partial names and back-references join the
        // person seen most recently that fits them (linear in the mentions).
        let mut owner: Vec<Option<usize>> = vec![None; mentions.len()];
        for (e, ent) in entities.iter().enumerate() {
            for &i in &ent.mentions {
                owner[i] = Some(e);
            }
        }
        let mut last_seen: Vec<Option<usize>> = vec![None; entities.len()];
        let mut last_by_class: HashMap<Option<SuffixClass>, usize> = HashMap::new();
        let mut last_any: Option<usize> = None;
        let mut candidates: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in mentions.iter().enumerate() {
            if owner[i].is_none() {
                owner[i] = match m.kind {
                    MentionKind::PartialName => {
                        let part = name_key(&m.name);
                        let fits = candidates.entry(part.clone()).or_insert_with(|| {
                            keys.iter().enumerate().filter(|(_, full)| matches_partial(full, &part)).map(|(e, _)| e).collect()
                        });
                        // The closest preceding fitting person, else the first one.
                        fits.iter().copied().max_by_key(|&e| last_seen[e]).filter(|&e| last_seen[e].is_some()).or(fits.first().copied())
                    }
                    MentionKind::Anaphor => last_by_class.get(&m.suffix_class).copied().filter(|_| m.suffix_class.is_some()).or(last_any),
                    _ => None,
                };
                if let Some(e) = owner[i] {
                    entities[e].mentions.push(i);
                }
            }
            if let Some(e) = owner[i] {
                last_seen[e] = Some(i);
                last_any = Some(e);
                if m.kind != MentionKind::Anaphor {
                    last_by_class.insert(m.suffix_class, e);
                }
            }
        }
        for ent in &mut entities {
            ent.mentions.sort_unstable();
        }
        entities
    }
}

/// A full name that is the head or the tail of exactly one other full name
/// of the article (「勇貴容疑者」 beside 「武藤勇貴容疑者」, a family name the
/// recogniser took for a whole name) is that person: its mentions join the
/// longer name's person (guideline: a person is listed once, by its full
/// name). Names of one char are left alone.
fn merge_contained_names(entities: &mut Vec<PersonEntity>, keys: &mut Vec<String>) {
    // Every proper head and tail (two chars or more) of every name, to the
    // names it is part of: linear in the names (a hostile article may list
    // thousands), where comparing every pair would not be.
    let mut parts: HashMap<&str, Vec<usize>> = HashMap::new();
    for (l, key) in keys.iter().enumerate() {
        for (head, tail) in kiji_core::heads_and_tails(key, 2) {
            parts.entry(head).or_default().push(l);
            parts.entry(tail).or_default().push(l);
        }
    }
    let mut into: Vec<Option<usize>> = vec![None; keys.len()];
    for (e, key) in keys.iter().enumerate() {
        if key.chars().count() < 2 {
            continue;
        }
        if let Some(fits) = parts.get(key.as_str()) {
            let mut fits = fits.iter().copied().filter(|&l| l != e);
            let first = fits.next();
            if let (Some(l), true) = (first, fits.all(|x| Some(x) == first)) {
                into[e] = Some(l);
            }
        }
    }
    // A longer name that itself merges further (chains are rare): follow it.
    let target = |mut e: usize| {
        for _ in 0..keys.len() {
            match into[e] {
                Some(l) => e = l,
                None => break,
            }
        }
        e
    };
    let mut moved = false;
    for e in 0..entities.len() {
        let t = target(e);
        if t != e {
            let ms = std::mem::take(&mut entities[e].mentions);
            entities[t].mentions.extend(ms);
            moved = true;
        }
    }
    if moved {
        let mut k = 0;
        keys.retain(|_| {
            k += 1;
            !entities[k - 1].mentions.is_empty()
        });
        entities.retain(|e| !e.mentions.is_empty());
    }
}

/// Does a partial name (its key) fit a full name (its key): the start (a
/// surname) or the end (a given name, a foreign family name)?
fn matches_partial(full: &str, part: &str) -> bool {
    !part.is_empty() && full != part && (full.starts_with(part) || full.ends_with(part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiji_core::{ArticleInput, Span};

    fn m(kind: MentionKind, s: usize, e: usize, name: &str, class: Option<SuffixClass>) -> Mention {
        Mention { span: Span::new(s, e), kind, name: name.into(), suffix: None, suffix_class: class, score: 1.0 }
    }

    /// The persons of these mentions (the linker reads no text).
    fn link(ms: &[Mention]) -> Vec<PersonEntity> {
        let input = ArticleInput::new("t", "");
        RuleLinker.link(&Document::new(&input, vec![]), ms)
    }

    // Mentions as the recogniser finds them in dev article wn-1033 (Japanese
    // Wikinews, CC BY 2.5): 「…自動車部員・山根勉容疑者(30歳・横浜市)を…山根容疑者は…同容疑者…」.
    #[test]
    fn surname_and_back_reference_join_the_full_name() {
        let sus = Some(SuffixClass::Suspect);
        let ms = vec![
            m(MentionKind::Person, 10, 13, "山根勉", sus),
            m(MentionKind::Person, 40, 43, "仙石誠", Some(SuffixClass::Title)),
            m(MentionKind::PartialName, 60, 62, "山根", sus),
            m(MentionKind::Anaphor, 80, 81, "", sus),
            m(MentionKind::PartialName, 90, 92, "仙石", Some(SuffixClass::Honorific)),
            m(MentionKind::PartialName, 95, 97, "田中", sus),
        ];
        let ents = link(&ms);
        assert_eq!(ents.len(), 2);
        assert_eq!(ents[0].name, "山根勉");
        assert_eq!(ents[0].mentions, vec![0, 2, 3]);
        assert_eq!(ents[1].mentions, vec![1, 4]);
    }

    // Mentions as the recogniser finds them in train article wn-271 (Japanese
    // Wikinews, CC BY 2.5): 「再逮捕されたのは武藤勇貴容疑者(21歳)。勇貴容疑者は…」:
    // the given name alone, taken for a name, is the same person.
    #[test]
    fn a_name_inside_another_full_name_is_that_person() {
        let sus = Some(SuffixClass::Suspect);
        let ms = vec![
            m(MentionKind::Person, 10, 14, "武藤勇貴", sus),
            m(MentionKind::Person, 25, 27, "勇貴", sus),
            m(MentionKind::Person, 40, 42, "亜澄", Some(SuffixClass::Honorific)),
            m(MentionKind::Anaphor, 50, 51, "", sus),
        ];
        let ents = link(&ms);
        let names: Vec<&str> = ents.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["武藤勇貴", "亜澄"]);
        assert_eq!(ents[0].mentions, vec![0, 1, 3]);
    }

    #[test]
    fn katakana_family_name_links_to_foreign_full_name() {
        let ms = vec![
            m(MentionKind::Person, 0, 9, "セグン・オデグバミ", Some(SuffixClass::Honorific)),
            m(MentionKind::PartialName, 20, 25, "オデグバミ", Some(SuffixClass::Honorific)),
        ];
        let ents = link(&ms);
        assert_eq!(ents[0].mentions, vec![0, 1]);
    }
}
