//! kiji-address: head offices, residences, crime locations and police bodies, offline, never
//! invented.
//!
//! * [`AddressStage`] implements [`kiji_core::AddressExtractor`]: built once (it loads the
//!   embedded gazetteer), immutable, `Send + Sync`.
//! * [`split`] splits one address string into prefecture / municipality / town / rest with the
//!   gazetteer's canonical spellings (the address test sets' columns).
//! * [`find_addresses`] recognises address spans in an article (char offsets), resolving
//!   「同市」「同県」「同区」「同町」 to the unit named last before them.
//! * [`find_police`] lists police and prosecution bodies as the guideline wants them.
//! * The roles (head office, residence, crime location) come from the rule cascade of `roles`
//!   (first rule wins; the default) or, with [`AddressStage::with_models`], from [`learned`]:
//!   candidates -> features -> three trained models (`models/address`) -> constraints, the
//!   rules' assignment one feature among many.
//!
//! Every string this crate outputs is a substring of the article, or a resolved 同-reference
//! made of the earlier unit as written plus what follows 「同市」 in the article.
//!
//! Data: `dictionaries/address/` (gazetteer compiled from ../shared/data/address: localgovjp
//! CC0, geolonia/japanese-addresses MIT; see the LICENSE note there) and the cue word lists.

mod gazetteer;
pub mod learned;
mod lexicon;
mod police;
mod recognize;
mod roles;
mod split;

use gazetteer::Gazetteer;
use kiji_core::{AddressExtractor, Addresses, ArticleOutput, Document, Error, ErrorKind, Mention, MentionKind, Person, Span, Text};
use std::sync::OnceLock;

pub use learned::{AddressExamples, AddressModels};
pub use lexicon::embedded_bytes;
pub use police::PoliceBody;
pub use recognize::{AddressSpan, Level};
pub use split::Split;

static GAZETTEER: OnceLock<Result<Gazetteer, String>> = OnceLock::new();

fn gazetteer() -> Result<&'static Gazetteer, Error> {
    GAZETTEER
        .get_or_init(Gazetteer::load)
        .as_ref()
        .map_err(|e| Error::new(ErrorKind::Resource, format!("address gazetteer: {e}")))
}

/// Split one address into prefecture / municipality / town / rest (canonical spellings; the
/// rest as written). Unknown parts are empty.
pub fn split(addr: &str) -> Split {
    match gazetteer() {
        Ok(g) => split::split_with(g, addr),
        Err(_) => Split { rest: addr.to_string(), ..Split::default() },
    }
}

/// Every address span of the text, in text order.
pub fn find_addresses(text: &Text) -> Vec<AddressSpan> {
    match gazetteer() {
        Ok(g) => recognize::find_with(g, text),
        Err(_) => Vec::new(),
    }
}

/// The police/prosecution bodies of the text as the guideline lists them (first appearance,
/// de-duplicated, less specific bodies dropped).
pub fn find_police(text: &Text) -> Vec<String> {
    let Ok(g) = gazetteer() else { return Vec::new() };
    let Ok(lx) = police::PoliceLexicon::new() else { return Vec::new() };
    let v = recognize::Views::new(g, text);
    police::dedupe(&police::find_bodies(g, &lx, text, &v, &[]))
}

/// Which roles the learned models decide when the stage has them (the rule cascade decides
/// the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearnedRoles {
    pub residence: bool,
    pub crime: bool,
    pub head_office: bool,
    /// Which of the police/prosecution bodies found investigate the case (else every one found).
    pub police: bool,
}

impl LearnedRoles {
    /// Every role learned.
    pub const ALL: LearnedRoles = LearnedRoles { residence: true, crime: true, head_office: true, police: true };
    /// Residences and crime places learned; head offices from the rules; every police body found kept.
    pub const PLACES: LearnedRoles = LearnedRoles { residence: true, crime: true, head_office: false, police: false };
    /// Residences learned; head offices, crime places and police bodies from the rules.
    pub const RESIDENCES: LearnedRoles = LearnedRoles { residence: true, crime: false, head_office: false, police: false };

    pub(crate) fn has(self, role: roles::Role) -> bool {
        match role {
            roles::Role::Residence => self.residence,
            roles::Role::Crime => self.crime,
            roles::Role::HeadOffice => self.head_office,
        }
    }
}

/// The address stage: the rule cascade of `roles` or, with models, the learned roles of
/// [`learned`] (all of them, or those [`AddressStage::with_roles`] names).
pub struct AddressStage {
    g: &'static Gazetteer,
    police: police::PoliceLexicon,
    /// The learned police role's cue words (police_cues.txt).
    police_cues: learned::police::PoliceCues,
    roles: roles::RoleLexicon,
    too_broad: Vec<&'static str>,
    models: Option<AddressModels>,
    learned_roles: LearnedRoles,
}

impl AddressStage {
    /// Load the embedded gazetteer and word lists.
    pub fn new() -> kiji_core::Result<Self> {
        let g = gazetteer()?;
        let police = police::PoliceLexicon::new().map_err(|e| Error::new(ErrorKind::Resource, e))?;
        Ok(AddressStage {
            g,
            police,
            police_cues: learned::police::PoliceCues::new(),
            roles: roles::RoleLexicon::new(),
            too_broad: lexicon::words(lexicon::TOO_BROAD),
            models: None,
            learned_roles: LearnedRoles::ALL,
        })
    }

    /// The same stage deciding the roles with these models (the learned roles).
    pub fn with_models(mut self, models: AddressModels) -> Self {
        self.models = Some(models);
        self
    }

    /// With models: only these roles are the models'; the rule cascade gives the others.
    pub fn with_roles(mut self, roles: LearnedRoles) -> Self {
        self.learned_roles = roles;
        self
    }

    /// The learned roles' models, when the stage has them.
    pub fn models(&self) -> Option<&AddressModels> {
        self.models.as_ref()
    }

    /// Training examples of the three role models from one article, its mentions and
    /// persons (as the earlier stages give them) and its gold record.
    pub fn examples(&self, doc: &Document, mentions: &[Mention], persons: &[Person], gold: &ArticleOutput) -> AddressExamples {
        if doc.text.is_empty() {
            return AddressExamples::default();
        }
        self.with_context(doc, mentions, persons, |ctx, addrs, police_spans, r, bodies| learned::examples(ctx, &doc.tokens, addrs, police_spans, &bodies, &self.police_cues, &r, gold))
    }

    /// The learned roles' candidates of an article as (role, address, owner, readable
    /// features), for tests and diagnostics.
    pub fn explain(&self, doc: &Document, mentions: &[Mention], persons: &[Person]) -> Vec<(String, String, String, Vec<String>)> {
        if doc.text.is_empty() {
            return Vec::new();
        }
        self.with_context(doc, mentions, persons, |ctx, addrs, police_spans, r, _| learned::explain(ctx, &doc.tokens, addrs, police_spans, &r))
    }

    /// Builds what the rules and the learned roles read (views, address spans, police bodies,
    /// owners) and the rules' assignment, and hands them to `f`.
    pub(crate) fn with_context<R>(
        &self,
        doc: &Document,
        mentions: &[Mention],
        persons: &[Person],
        f: impl FnOnce(&roles::Ctx, &[AddressSpan], &[Span], roles::Roles, Vec<PoliceBody>) -> R,
    ) -> R {
        let text = &doc.text;
        let v = recognize::Views::new(self.g, text);
        let addrs = recognize::find_in_views(self.g, text, &v);
        let bodies = police::find_bodies(self.g, &self.police, text, &v, &doc.tokens);
        let police_spans: Vec<Span> = bodies.iter().map(|b| b.span).collect();
        let mut companies: Vec<Span> = mentions
            .iter()
            .filter(|m| matches!(m.kind, MentionKind::Company | MentionKind::OtherOrg) && m.span.end <= v.wf.len())
            .map(|m| m.span)
            .collect();
        for h in &doc.input.company_hints {
            companies.extend(roles::occurrences(&v.wf, h));
        }
        // Person hints are owners only through a person record; they help recognise the
        // person's name where the person stage gave no mentions.
        let mut pm = roles::person_mentions(&v.wf, mentions, persons);
        for h in &doc.input.person_hints {
            if let Some(i) = persons.iter().position(|p| p.name == *h) {
                for s in roles::occurrences(&v.wf, h) {
                    pm.push(roles::PMention { span: s, person: i });
                }
            }
        }
        pm.sort_by_key(|m| (m.span.start, m.span.end));
        pm.dedup_by_key(|m| (m.span.start, m.span.end));
        let ctx = roles::Ctx { text, v: &v, lx: &self.roles, pm, companies, persons };
        let r = roles::assign(&ctx, &addrs, &police_spans);
        f(&ctx, &addrs, &police_spans, r, bodies)
    }

    /// Address spans of a text (same as [`find_addresses`]).
    pub fn find_addresses(&self, text: &Text) -> Vec<AddressSpan> {
        recognize::find_with(self.g, text)
    }

    /// Split one address (same as [`split`]).
    pub fn split(&self, addr: &str) -> Split {
        split::split_with(self.g, addr)
    }
}

impl AddressExtractor for AddressStage {
    fn extract(&self, doc: &Document, mentions: &[Mention], persons: &[Person]) -> Addresses {
        let text = &doc.text;
        if text.is_empty() {
            return Addresses::default();
        }
        let (mut r, bodies) = self.with_context(doc, mentions, persons, |ctx, addrs, police_spans, r, bodies| {
            let mut r = match &self.models {
                Some(m) => {
                    let keep = self.learned_roles;
                    let mut l = learned::decide(ctx, &doc.tokens, addrs, police_spans, &r, m, keep);
                    if !keep.residence {
                        l.res = r.res;
                    }
                    if !keep.crime {
                        l.crime = r.crime;
                    }
                    if !keep.head_office {
                        l.hq = r.hq;
                    }
                    l
                }
                None => r,
            };
            r.crime = roles::with_country(ctx, addrs, roles::fullest_forms(addrs, std::mem::take(&mut r.crime)));
            // Constraint: a head office belongs to a company, not to a person or a role.
            r.hq.retain(|o| !ctx.is_role(&o.owner));
            let bodies = match &self.models {
                Some(m) if self.learned_roles.police => learned::decide_police(ctx, &self.police_cues, &bodies, m),
                _ => bodies,
            };
            (r, bodies)
        });
        // Constraint: the home country is no crime location, residence or head office
        // (too_broad.txt; 「日本の文房具メーカー・トンボ鉛筆」 says where the company is from).
        r.crime.retain(|a| !self.too_broad.contains(&a.as_str()));
        r.res.retain(|a| !self.too_broad.contains(&a.address.as_str()));
        r.hq.retain(|a| !self.too_broad.contains(&a.address.as_str()));
        Addresses {
            headquarters_locations: r.hq,
            residences: r.res,
            physical_crime_occured_locations: r.crime,
            police_departments: police::dedupe(&bodies),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<AddressStage>();
    }
}
