//! Features of an address-role candidate, as hashed keys `template \x1f value`
//! (`kiji_core::linear`).
//!
//! What the span is (its level, its last char, a resolved 同市), what is written around it
//! (chars, IPADIC tokens, the bracket it sits in and what comes before that bracket), the cue
//! words of the rule lists (在住, に本社を置く, crime cues, remote-offence words, stop words),
//! the persons near it (distance, offender), where it is in the article, whether the article
//! lists an offender, the rules' assignment, and for residences and head offices the owner
//! (where it was proposed, how far, what lies between).
//!
//! Bump [`FEATURE_VERSION`] whenever a template changes: model files carry the version they
//! were trained with and refuse to load into another.
use super::candidates::{bracket_open, Candidate, SRC_AFTER, SRC_AFTER_NO, SRC_BEFORE, SRC_BRACKET, SRC_NEAR, SRC_NO_READING, SRC_RULES};
use crate::recognize::{AddressSpan, Level};
use crate::roles::{crime_at, is_close, Ctx, Role, Roles};
use kiji_core::linear::{bucket, char_class, pos_name, shape, FeatureBuf};
use kiji_core::{Span, Token};
use std::collections::{HashMap, HashSet};

/// The version of the feature templates below.
pub const FEATURE_VERSION: u32 = 1;

/// What the features of one article share (computed once per article).
pub(crate) struct ArticleFx<'a> {
    pub tokens: &'a [Token],
    pub any_offender: bool,
    /// The rules' crime strength of each span (`crime_at`, whatever the cascade decided).
    pub crime_strength: Vec<Option<u8>>,
    /// Computed once per article (an address-heavy hostile article has tens of thousands of
    /// spans and candidates): how often each address text occurs; the roles the rules traced
    /// for each span; the rules' outputs as sets.
    occurrences: HashMap<&'a str, usize>,
    traced: Vec<Vec<Role>>,
    rule_crime: HashSet<&'a str>,
    rule_res: HashSet<(&'a str, &'a str)>,
    rule_hq: HashSet<(&'a str, &'a str)>,
}

impl<'a> ArticleFx<'a> {
    /// `crime`: whether crime candidates are featurised (else their strengths are not computed).
    pub fn new(ctx: &Ctx, tokens: &'a [Token], addrs: &'a [AddressSpan], rules: &'a Roles, crime: bool) -> Self {
        let any_offender = ctx.persons.iter().any(|p| p.is_offender);
        let crime_strength = addrs.iter().map(|a| if any_offender && crime { crime_at(ctx, a) } else { None }).collect();
        let mut occurrences: HashMap<&str, usize> = HashMap::new();
        for a in addrs {
            *occurrences.entry(a.text.as_str()).or_default() += 1;
        }
        let mut traced = vec![Vec::new(); addrs.len()];
        for t in &rules.trace {
            if let Some(v) = traced.get_mut(t.addr) {
                v.push(t.role);
            }
        }
        ArticleFx {
            tokens,
            any_offender,
            crime_strength,
            occurrences,
            traced,
            rule_crime: rules.crime.iter().map(String::as_str).collect(),
            rule_res: rules.res.iter().map(|o| (o.address.as_str(), o.owner.as_str())).collect(),
            rule_hq: rules.hq.iter().map(|o| (o.address.as_str(), o.owner.as_str())).collect(),
        }
    }
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Country => "country",
        Level::Prefecture => "pref",
        Level::Municipality => "muni",
        Level::Town => "town",
    }
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::HeadOffice => "hq",
        Role::Residence => "res",
        Role::Crime => "crime",
    }
}

/// Distance buckets (chars).
fn dist(d: usize) -> &'static str {
    match d {
        0 => "0",
        1..=2 => "1-2",
        3..=5 => "3-5",
        6..=10 => "6-10",
        11..=20 => "11-20",
        21..=40 => "21-40",
        _ => "40+",
    }
}

fn chars(ctx: &Ctx, lo: usize, hi: usize) -> String {
    let n = ctx.v.wf.len();
    ctx.v.wf[lo.min(n)..hi.min(n).max(lo.min(n))].iter().collect()
}

/// The features of one candidate into `buf` (cleared first).
pub(crate) fn features(ctx: &Ctx, fx: &ArticleFx, addrs: &[AddressSpan], rules: &Roles, c: &Candidate, buf: &mut FeatureBuf) {
    buf.clear();
    let a = &addrs[c.addr];
    let (s, e) = (a.span.start, a.span.end);
    let n = ctx.v.wf.len();
    buf.add("bias", "");
    // ---- the span
    let lvl = level_name(a.level);
    buf.add("lvl", lvl);
    buf.add("last", &a.text.chars().last().map(String::from).unwrap_or_default());
    buf.add("len", &bucket(a.text.chars().count(), 12));
    if a.resolved {
        buf.add("resolved", "");
    }
    if a.attributive {
        buf.add("attributive", "");
    }
    if c.home {
        buf.add("home", "");
    }
    let occ = fx.occurrences.get(a.text.as_str()).copied().unwrap_or(0);
    buf.add("occ", &bucket(occ, 4));
    // ---- the rules
    buf.add("rule", &c.rule.to_string());
    buf.add("rule.lvl", &format!("{}|{lvl}", c.rule));
    for &role in fx.traced[c.addr].iter().filter(|&&r| r != c.role) {
        buf.add("rule.other", role_name(role));
    }
    match c.role {
        Role::Crime => {
            if fx.rule_crime.contains(a.text.as_str()) {
                buf.add("rule.out", "");
            }
            buf.add("crime_at", &fx.crime_strength[c.addr].map_or("-".to_string(), |x| x.to_string()));
        }
        Role::Residence => {
            if fx.rule_res.contains(&(a.text.as_str(), c.owner.as_str())) {
                buf.add("rule.out", "");
            }
        }
        Role::HeadOffice => {
            if fx.rule_hq.contains(&(a.text.as_str(), c.owner.as_str())) {
                buf.add("rule.out", "");
            }
        }
    }
    // ---- chars around
    let before = chars(ctx, s.saturating_sub(3), s);
    let after = chars(ctx, e, e + 4);
    let b: Vec<char> = before.chars().collect();
    let f: Vec<char> = after.chars().collect();
    buf.add("L1", &b.last().map(|c| c.to_string()).unwrap_or_default());
    buf.add("L2", &b[b.len().saturating_sub(2)..].iter().collect::<String>());
    buf.add("Lcls", &before.chars().map(char_class).collect::<String>());
    for k in 1..=4 {
        buf.add(&format!("R{k}"), &f[..k.min(f.len())].iter().collect::<String>());
    }
    buf.add("Rcls", &shape(&after));
    buf.add("R1.lvl", &format!("{}|{lvl}", f.first().copied().unwrap_or(' ')));
    // ---- tokens around
    let ti = fx.tokens.partition_point(|t| t.span.end <= s);
    if ti > 0 {
        let t = &fx.tokens[ti - 1];
        buf.add("Tprev", ctx.text.slice(t.span));
        buf.add("Pprev", pos_name(t.pos));
    } else {
        buf.add("Pprev", "BOS");
    }
    let tj = fx.tokens.partition_point(|t| t.span.start < e);
    for (k, t) in fx.tokens[tj.min(fx.tokens.len())..].iter().take(3).enumerate() {
        buf.add(&format!("Tnext{k}"), ctx.text.slice(t.span));
        buf.add(&format!("Pnext{k}"), pos_name(t.pos));
    }
    // ---- the bracket it sits in: 「X社(大阪市東淀川区)」「P(44歳、大阪府箕面市在住)」
    if let Some(o) = bracket_open(ctx, s) {
        let inner_before = chars(ctx, o + 1, s);
        buf.add("br", &shape(&inner_before));
        if inner_before.ends_with('、') || inner_before.ends_with(':') || inner_before.ends_with('：') {
            buf.add("br.sep", &inner_before.chars().rev().skip(1).take(2).collect::<String>());
        }
        let mut k = e;
        while k < n && k - e < 30 && !is_close(ctx.v.wf[k]) && ctx.v.wf[k] != '。' {
            k += 1;
        }
        let inner_after = chars(ctx, e, k);
        buf.add("br.after", &inner_after.chars().take(3).collect::<String>());
        buf.add("br.closed", &(k < n && is_close(ctx.v.wf[k])).to_string());
        let q = ctx.skip_brackets_back(o);
        buf.add("br.prev", &chars(ctx, q.saturating_sub(1), q).chars().map(char_class).collect::<String>());
        if ctx.person_before(q).is_some() {
            buf.add("br.person", "");
        }
        if ctx.company_before(q).is_some() {
            buf.add("br.company", "");
        }
        buf.add("br.role", role_name(c.role));
    }
    // ---- cue words of the rule lists
    if let Some(w) = ctx.lx.res_after.iter().find(|w| ctx.v.starts_with(e, w)) {
        buf.add("cue.res", w);
    }
    if let Some(w) = ctx.lx.hq_after.iter().find(|w| ctx.v.starts_with(e, w)) {
        buf.add("cue.hq", w);
    }
    let ahead = chars(ctx, e, e + 15);
    if ctx.lx.business.iter().any(|w| ahead.contains(w)) {
        buf.add("cue.business", "");
    }
    if ctx.lx.facility.iter().any(|w| ahead.contains(w)) {
        buf.add("cue.facility", "");
    }
    if ctx.lx.crime_stop.iter().any(|w| ahead.contains(w)) {
        buf.add("cue.crime_stop", "");
    }
    if ctx.lx.office.iter().any(|w| ahead.contains(w)) {
        buf.add("cue.office", "");
    }
    let sent = ctx.sentence(s);
    let st = chars(ctx, sent.start, sent.end);
    if ctx.lx.crime_cues.iter().any(|w| st.contains(w)) {
        buf.add("sent.crime_cue", "");
    }
    if ctx.lx.remote.iter().any(|w| st.contains(w)) {
        buf.add("sent.remote", "");
    }
    if ctx.lx.clause_before.iter().any(|w| st.contains(w)) {
        buf.add("sent.clause_stop", "");
    }
    for w in ["事件", "逮捕", "送検", "起訴", "判決", "本社", "在住", "住む", "自宅", "路上", "店", "現場"] {
        if ahead.contains(w) {
            buf.add("ahead", w);
        }
    }
    // ---- persons near it
    let prev = ctx.pm_starting_in(s.saturating_sub(100), s).iter().rev().find(|m| m.span.end <= s).copied();
    let next = ctx.pm_starting_in(e, e + 60).first().copied();
    if let Some(m) = prev {
        let off = ctx.persons[m.person].is_offender;
        buf.add("p.prev", &format!("{}|{off}|{}", dist(s - m.span.end), sent.contains(m.span)));
    } else {
        buf.add("p.prev", "none");
    }
    if let Some(m) = next {
        let off = ctx.persons[m.person].is_offender;
        buf.add("p.next", &format!("{}|{off}|{}", dist(m.span.start - e), sent.contains(m.span)));
    } else {
        buf.add("p.next", "none");
    }
    let off_here = ctx.pm_starting_in(sent.start, sent.end).iter().any(|m| ctx.persons[m.person].is_offender);
    buf.add("sent.offender", &off_here.to_string());
    // ---- position in the article
    let si = ctx.text.sentences().partition_point(|x| x.end <= s);
    buf.add("sent.index", &bucket(si, 4));
    buf.add("pos", &bucket(s * 5 / n.max(1), 5));
    buf.add("any_offender", &fx.any_offender.to_string());
    buf.add("rule.sent", &format!("{}|{}", c.rule, off_here));
    // ---- the owner
    if matches!(c.role, Role::Residence | Role::HeadOffice) {
        for (bit, name) in [(SRC_RULES, "rules"), (SRC_BEFORE, "before"), (SRC_AFTER, "after"), (SRC_BRACKET, "bracket"), (SRC_AFTER_NO, "after_no"), (SRC_NEAR, "near"), (SRC_NO_READING, "no_reading")] {
            if c.sources & bit != 0 {
                buf.add("o.src", name);
            }
        }
        buf.add("o.srcs", &c.sources.to_string());
        buf.add("o.shape", &shape(&c.owner));
        buf.add("o.last", &c.owner.chars().last().map(String::from).unwrap_or_default());
        if let Some(p) = c.person {
            buf.add("o.offender", &ctx.persons[p].is_offender.to_string());
            let n_res = rules.res.iter().filter(|o| o.owner == c.owner).count();
            buf.add("o.rule_res", &bucket(n_res, 2));
        }
        if let Some(sp) = c.owner_span {
            let (gap, dir) = if sp.end <= s { (Span::new(sp.end, s), "before") } else { (Span::new(e, sp.start.max(e)), "after") };
            let g = chars(ctx, gap.start, gap.end);
            buf.add("o.dir", dir);
            buf.add("o.dist", &format!("{dir}|{}", dist(gap.len())));
            buf.add("o.gap_shape", &format!("{dir}|{}", shape(&g)));
            let gc: Vec<char> = g.chars().collect();
            buf.add("o.gap_first", &format!("{dir}|{}", gc.iter().take(2).collect::<String>()));
            buf.add("o.gap_last", &format!("{dir}|{}", gc[gc.len().saturating_sub(2)..].iter().collect::<String>()));
            for ch in ['、', 'の', 'は', 'が', '(', ')', '・'] {
                if gc.contains(&ch) {
                    buf.add("o.gap_has", &format!("{dir}|{ch}"));
                }
            }
            if ctx.companies.iter().any(|x| x.start >= gap.start && x.end <= gap.end) {
                buf.add("o.gap_company", dir);
            }
        } else {
            buf.add("o.dir", "unknown");
        }
        if c.role == Role::HeadOffice {
            if ctx.is_facility(&c.owner) {
                buf.add("o.facility", "");
            }
            if ctx.is_public_body(&c.owner) {
                buf.add("o.public", "");
            }
            if let Some(sp) = c.owner_span {
                if ctx.companies.contains(&sp) {
                    buf.add("o.ner_company", "");
                }
            }
        }
    }
}
