//! Candidates of the learned address roles.
//!
//! Every address span the recogniser finds (police bodies excepted) is a candidate for each
//! role it can play:
//!
//! * crime location: every span (the rules take municipalities or finer; the model sees the
//!   level), and the offender's
//!   stated residence where the article says 「自宅で」 (the rules' `home_crimes`), only in
//!   articles that list an offender;
//! * residence: the span with each person the rules attach to it, and the person mentioned
//!   nearest before and after it in its sentence;
//! * head office: the span with each company the rules attach to it, the company written
//!   right before its bracket, and a company mention right after 「…の」.
//!
//! The rules' assignment is kept on the candidate as evidence ([`Candidate::rule`]), never as
//! the answer.
use crate::recognize::AddressSpan;
use crate::roles::{home_crimes, is_open, Ctx, Role, Roles};
use kiji_core::Span;

/// Where an owner candidate comes from (a candidate proposed by several sources has several).
pub(crate) const SRC_RULES: u8 = 1;
pub(crate) const SRC_BEFORE: u8 = 2;
pub(crate) const SRC_AFTER: u8 = 4;
pub(crate) const SRC_BRACKET: u8 = 8;
pub(crate) const SRC_AFTER_NO: u8 = 16;
/// Head office: a company name or quoted name shortly after the span (「Aにある食肉加工販売会社「X」」「AのX」).
pub(crate) const SRC_NEAR: u8 = 32;
/// Head office: an owner name without its bracketed reading (「淡海一家(おうみ・いっか)」).
pub(crate) const SRC_NO_READING: u8 = 64;

/// A person mention this far (chars) from the span at most proposes the person as its owner.
const OWNER_WINDOW_BEFORE: usize = 40;
const OWNER_WINDOW_AFTER: usize = 30;

/// One (address span, role, owner) candidate.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// Index into the recogniser's spans.
    pub addr: usize,
    pub role: Role,
    /// Residence: the owner's index in the persons.
    pub person: Option<usize>,
    /// The owner as output (a person's full name, a company name); empty for crimes.
    pub owner: String,
    /// The owner's mention nearest to the span (distance features).
    pub owner_span: Option<Span>,
    /// `SRC_*` bits.
    pub sources: u8,
    /// Crime: the offender's residence named by 「自宅で」 at `pos`.
    pub home: bool,
    /// Where the evidence is: the span's start, or the 「自宅」 phrase.
    pub pos: usize,
    /// The rules gave this span this role with this owner (crimes: the rules' strength + 1;
    /// 0 = not assigned).
    pub rule: u8,
}

/// Does the span overlap a police body (those are not places of the roles)?
fn overlaps(police: &[Span], s: Span) -> bool {
    police.iter().any(|p| p.overlaps(s))
}

/// The position of the bracket opening right before `s` (within 12 chars, no bracket or
/// sentence end between), as the rules read 「P(52歳、横浜市中区在住)」.
pub(crate) fn bracket_open(ctx: &Ctx, s: usize) -> Option<usize> {
    let mut o = s;
    while o > 0 && s - o < 12 {
        let c = ctx.v.wf[o - 1];
        if is_open(c) || matches!(c, ')' | '）' | '。' | '\n') {
            break;
        }
        o -= 1;
    }
    (o > 0 && is_open(ctx.v.wf[o - 1])).then(|| o - 1)
}

/// Every candidate of an article, per role, in span order.
pub(crate) fn candidates(ctx: &Ctx, addrs: &[AddressSpan], police: &[Span], rules: &Roles) -> Vec<Candidate> {
    let any_offender = ctx.persons.iter().any(|p| p.is_offender);
    let mut out = Vec::new();
    let rule_of = |ai: usize, role: Role| rules.trace.iter().filter(move |t| t.addr == ai && t.role == role);
    for (ai, a) in addrs.iter().enumerate() {
        if overlaps(police, a.span) {
            continue;
        }
        let (s, e) = (a.span.start, a.span.end);
        // ---- crime location
        if any_offender {
            let rule = rule_of(ai, Role::Crime).map(|t| t.strength + 1).max().unwrap_or(0);
            out.push(Candidate { addr: ai, role: Role::Crime, person: None, owner: String::new(), owner_span: None, sources: 0, home: false, pos: s, rule });
        }
        // ---- residence: owners from the rules and the nearest mentions of the sentence
        let sent = ctx.sentence(s);
        let mut owners: Vec<(usize, u8, Option<Span>)> = Vec::new();
        let add = |owners: &mut Vec<(usize, u8, Option<Span>)>, p: usize, src: u8, sp: Option<Span>| {
            if let Some(o) = owners.iter_mut().find(|o| o.0 == p) {
                o.1 |= src;
                if o.2.is_none() {
                    o.2 = sp;
                }
            } else {
                owners.push((p, src, sp));
            }
        };
        let before = ctx.pm_starting_in(s.saturating_sub(OWNER_WINDOW_BEFORE + 64).max(sent.start), s).iter().rev().find(|m| m.span.end <= s && s - m.span.end <= OWNER_WINDOW_BEFORE).copied();
        let after = ctx.pm_starting_in(e, (e + OWNER_WINDOW_AFTER).min(sent.end)).first().copied();
        for t in rule_of(ai, Role::Residence) {
            if let Some(p) = ctx.persons.iter().position(|p| p.name == t.owner) {
                let sp = [before, after].into_iter().flatten().find(|m| m.person == p).map(|m| m.span);
                add(&mut owners, p, SRC_RULES, sp);
            }
        }
        if let Some(m) = before {
            add(&mut owners, m.person, SRC_BEFORE, Some(m.span));
        }
        if let Some(m) = after {
            add(&mut owners, m.person, SRC_AFTER, Some(m.span));
        }

        for (p, sources, owner_span) in owners {
            let rule = u8::from(sources & SRC_RULES != 0);
            out.push(Candidate { addr: ai, role: Role::Residence, person: Some(p), owner: ctx.persons[p].name.clone(), owner_span, sources, home: false, pos: s, rule });
        }
        // ---- head office: companies from the rules, before the bracket, after 「の」
        let mut cos: Vec<(String, u8, Option<Span>)> = Vec::new();
        let add_co = |cos: &mut Vec<(String, u8, Option<Span>)>, name: String, src: u8, sp: Option<Span>| {
            if name.is_empty() {
                return;
            }
            if let Some(o) = cos.iter_mut().find(|o| o.0 == name) {
                o.1 |= src;
                if o.2.is_none() {
                    o.2 = sp;
                }
            } else {
                cos.push((name, src, sp));
            }
        };
        for t in rule_of(ai, Role::HeadOffice) {
            add_co(&mut cos, t.owner.clone(), SRC_RULES, None);
        }
        if let Some(o) = bracket_open(ctx, s) {
            let q = ctx.skip_brackets_back(o);
            if let Some((sp, name)) = ctx.company_before(q) {
                if !ctx.is_person_span(sp) {
                    add_co(&mut cos, name, SRC_BRACKET, Some(sp));
                }
            }
        }
        if ctx.wf(e) == Some('の') {
            if let Some(c) = ctx.companies.iter().find(|c| c.start == e + 1) {
                add_co(&mut cos, ctx.slice(c.start, c.end), SRC_AFTER_NO, Some(*c));
            }
        }
        for (sp, name) in companies_after(ctx, addrs, s, e) {
            add_co(&mut cos, name, SRC_NEAR, Some(sp));
        }
        let readings: Vec<(String, u8, Option<Span>)> = cos
            .iter()
            .filter_map(|(name, src, sp)| name.find(['(', '（']).filter(|&i| i > 0).map(|i| (name[..i].to_string(), *src, *sp)))
            .collect();
        for (name, src, sp) in readings {
            add_co(&mut cos, name, src | SRC_NO_READING, sp);
        }
        for (owner, sources, owner_span) in cos {
            let rule = u8::from(sources & SRC_RULES != 0);
            out.push(Candidate { addr: ai, role: Role::HeadOffice, person: None, owner, owner_span, sources, home: false, pos: s, rule });
        }
    }
    // ---- crime location: 「自宅で」 after an offender whose residence the rules read
    if any_offender {
        for h in home_crimes(ctx, addrs, &rules.res) {
            let Some(ai) = addrs.iter().position(|x| std::ptr::eq(x, h.a)) else { continue };
            out.push(Candidate { addr: ai, role: Role::Crime, person: None, owner: String::new(), owner_span: None, sources: 0, home: true, pos: h.pos, rule: 1 });
        }
    }
    out
}

/// Company names shortly after the span `[s, e)`: after 「の」「にある」「にあった」「内の」, a
/// name (a company mention, a quoted name, a kanji/katakana/Latin run), or the name after a
/// business noun (「…の食肉加工会社・ミートホープ社」「…にある食肉加工販売会社「ミートホープ」」);
/// and the company mentions starting within 25 chars in the same clause.
fn companies_after(ctx: &Ctx, addrs: &[AddressSpan], s: usize, e: usize) -> Vec<(Span, String)> {
    let n = ctx.v.wf.len();
    let mut out: Vec<(Span, String)> = Vec::new();
    let starts: Vec<usize> = [("の", 1), ("にある", 3), ("にあった", 4), ("内の", 2), ("・", 1)]
        .iter()
        .filter(|(w, _)| ctx.v.starts_with(e, w))
        .map(|(_, l)| e + l)
        .collect();
    for p0 in starts {
        if let Some(x) = ctx.company_after(p0) {
            out.push(x);
        }
        // skip a noun phrase up to 「・」「の」 or a quote
        let mut k = p0;
        while k < n && k - p0 < 20 && !matches!(ctx.v.wf[k], '・' | '「' | '『' | '、' | '。') {
            k += 1;
        }
        if k < n && k > p0 {
            let p = if ctx.v.wf[k] == '・' { k + 1 } else { k };
            if matches!(ctx.v.wf[k], '・' | '「' | '『') {
                if let Some(x) = ctx.company_after(p) {
                    out.push(x);
                }
            }
        }
    }
    let sent = ctx.sentence(s);
    let lim = (e + 25).min(sent.end);
    let mut clause_end = e;
    while clause_end < lim && !matches!(ctx.v.wf[clause_end], '、' | '。') {
        clause_end += 1;
    }
    for c in ctx.companies.iter().filter(|c| c.start > e && c.start < clause_end) {
        if !addrs.iter().any(|a| a.span.start > e && a.span.start < c.start) {
            out.push((*c, ctx.slice(c.start, c.end)));
        }
    }
    out.retain(|(sp, name)| !name.is_empty() && !ctx.is_person_span(*sp) && !addrs.iter().any(|a| a.span == *sp));
    out
}
