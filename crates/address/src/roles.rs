//! Role assignment from local syntax: head offices, residences and crime locations.
use crate::lexicon;
use crate::recognize::{is_kanji, is_katakana, AddressSpan, Level, Views};
use kiji_core::{Mention, MentionKind, OwnedAddress, Person, Span, Text};

pub(crate) struct RoleLexicon {
    pub(crate) hq_labels: Vec<&'static str>,
    pub(crate) hq_after: Vec<&'static str>,
    pub(crate) business: Vec<&'static str>,
    pub(crate) facility: Vec<&'static str>,
    pub(crate) res_after: Vec<&'static str>,
    pub(crate) res_none: Vec<&'static str>,
    pub(crate) res_all: Vec<&'static str>,
    pub(crate) res_relation: Vec<&'static str>,
    pub(crate) crime_cues: Vec<&'static str>,
    /// Foreign countries (countries.txt), longest first.
    pub(crate) countries: Vec<&'static str>,
    pub(crate) crime_stop: Vec<&'static str>,
    pub(crate) remote: Vec<&'static str>,
    pub(crate) office: Vec<&'static str>,
    pub(crate) hq_org: Vec<&'static str>,
    /// Owner endings that name a person or a role, not a company (hq_stop.txt, `role`).
    pub(crate) hq_role: Vec<&'static str>,
    pub(crate) hq_media: Vec<&'static str>,
    pub(crate) clause_after: Vec<&'static str>,
    pub(crate) clause_before: Vec<&'static str>,
    pub(crate) clause_alone: Vec<&'static str>,
    /// The crime-place phrase words (crime_phrases.txt): entering, taking, arrest, charge.
    pub(crate) enter: Vec<&'static str>,
    pub(crate) take: Vec<&'static str>,
    pub(crate) arrest: Vec<&'static str>,
    pub(crate) charge: Vec<&'static str>,
}

impl RoleLexicon {
    pub fn new() -> Self {
        let hq = lexicon::tagged(lexicon::HQ_CUES);
        let res = lexicon::tagged(lexicon::RESIDENCE_CUES);
        let hq_stop = lexicon::tagged(lexicon::HQ_STOP);
        let clause = lexicon::tagged(lexicon::CRIME_CLAUSE_STOP);
        let phrases = lexicon::tagged(lexicon::CRIME_PHRASES);
        let pick = |v: &[(&'static str, &'static str)], k: &str| v.iter().filter(|(a, _)| *a == k).map(|(_, b)| *b).collect::<Vec<_>>();
        RoleLexicon {
            hq_labels: pick(&hq, "label"),
            hq_after: pick(&hq, "after"),
            business: lexicon::words(lexicon::BUSINESS_WORDS),
            facility: lexicon::words(lexicon::FACILITY_WORDS),
            res_after: pick(&res, "after"),
            res_none: pick(&res, "none"),
            res_all: pick(&res, "all"),
            res_relation: pick(&res, "relation"),
            crime_cues: lexicon::words(lexicon::CRIME_CUES),
            countries: {
                let mut c: Vec<&'static str> = lexicon::words(lexicon::COUNTRIES);
                c.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
                c
            },
            crime_stop: lexicon::words(lexicon::CRIME_PLACE_STOP),
            remote: lexicon::words(lexicon::REMOTE_WORDS),
            office: lexicon::words(lexicon::OFFICE_TITLES),
            hq_org: pick(&hq_stop, "org"),
            hq_role: pick(&hq_stop, "role"),
            hq_media: pick(&hq_stop, "media"),
            clause_after: pick(&clause, "after"),
            clause_before: pick(&clause, "before"),
            clause_alone: pick(&clause, "alone"),
            enter: pick(&phrases, "enter"),
            take: pick(&phrases, "take"),
            arrest: pick(&phrases, "arrest"),
            charge: pick(&phrases, "charge"),
        }
    }
}

pub(crate) fn is_open(c: char) -> bool {
    matches!(c, '(' | '（')
}
pub(crate) fn is_close(c: char) -> bool {
    matches!(c, ')' | '）')
}
pub(crate) fn is_hiragana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F)
}
fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '&' || c == '.'
}

/// A person mention with the index of its person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PMention {
    pub span: Span,
    pub person: usize,
}

/// Occurrences of `needle` in the width-folded chars.
pub(crate) fn occurrences(wf: &[char], needle: &str) -> Vec<Span> {
    let nd: Vec<char> = needle.chars().map(kiji_core::fold_char).filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    if nd.is_empty() || nd.len() > wf.len() {
        return out;
    }
    for i in 0..=wf.len() - nd.len() {
        if wf[i..i + nd.len()] == nd[..] {
            out.push(Span::new(i, i + nd.len()));
        }
    }
    out
}

pub(crate) fn person_mentions(wf: &[char], mentions: &[Mention], persons: &[Person]) -> Vec<PMention> {
    let mut out = Vec::new();
    // NER full-name mentions by name, so each person finds its own in one lookup.
    let mut by_name: std::collections::HashMap<&str, Vec<Span>> = std::collections::HashMap::new();
    for m in mentions.iter().filter(|m| m.kind == MentionKind::Person) {
        by_name.entry(m.name.as_str()).or_default().push(m.span);
    }
    for (i, p) in persons.iter().enumerate() {
        for s in &p.mentions {
            if s.end <= wf.len() && s.start < s.end {
                out.push(PMention { span: *s, person: i });
            }
        }
        for &span in by_name.get(p.name.as_str()).into_iter().flatten() {
            out.push(PMention { span, person: i });
        }
        if p.mentions.is_empty() {
            for s in occurrences(wf, &p.name) {
                out.push(PMention { span: s, person: i });
            }
        }
    }
    out.sort_by_key(|m| (m.span.start, m.span.end));
    out.dedup_by_key(|m| (m.span.start, m.span.end));
    out
}

pub(crate) struct Ctx<'a> {
    pub text: &'a Text,
    pub v: &'a Views,
    pub lx: &'a RoleLexicon,
    pub pm: Vec<PMention>,
    /// Company spans: NER Company/OtherOrg mentions and company hints found in the text.
    pub companies: Vec<Span>,
    pub persons: &'a [Person],
}

/// Person mentions longer than this are not looked for by position (names are short).
const MAX_MENTION_CHARS: usize = 64;

impl<'a> Ctx<'a> {
    /// The person mentions that start in `[lo, hi)` (`pm` is sorted by start).
    pub(crate) fn pm_starting_in(&self, lo: usize, hi: usize) -> &[PMention] {
        let a = self.pm.partition_point(|m| m.span.start < lo);
        let b = self.pm.partition_point(|m| m.span.start < hi);
        &self.pm[a..b.max(a)]
    }
    pub(crate) fn wf(&self, i: usize) -> Option<char> {
        self.v.wf.get(i).copied()
    }
    pub(crate) fn slice(&self, s: usize, e: usize) -> String {
        self.text.slice(Span::new(s, e.max(s))).to_string()
    }
    pub(crate) fn sentence(&self, pos: usize) -> Span {
        self.text.sentence_at(pos).unwrap_or(Span::new(0, self.v.wf.len()))
    }
    pub(crate) fn sentence_has(&self, pos: usize, words: &[&str]) -> bool {
        let s = self.sentence(pos);
        let st: String = self.v.wf[s.start.min(self.v.wf.len())..s.end.min(self.v.wf.len())].iter().collect();
        words.iter().any(|w| st.contains(w))
    }
    /// The person whose mention ends at `q`, allowing an honorific/role suffix (容疑者, さん)
    /// between.
    pub(crate) fn person_ending_at(&self, q: usize) -> Option<usize> {
        for m in self.pm_starting_in(q.saturating_sub(MAX_MENTION_CHARS + 4), q + 1) {
            if m.span.end <= q && q - m.span.end <= 4 {
                let gap: Vec<char> = self.v.wf[m.span.end..q].to_vec();
                if gap.iter().all(|&c| is_kanji(c) || is_hiragana(c)) && !gap.iter().any(|c| matches!(c, 'の' | 'は' | 'が' | 'を' | 'と' | 'に' | 'で')) {
                    return Some(m.person);
                }
            }
        }
        None
    }
    /// The person whose mention ends before `q` with only a suffix and bracket groups between
    /// (「加藤宗現(かとう・そうげん)さん」「馬場美次(ばば・みつぐ)(68歳)」).
    pub(crate) fn person_before(&self, q: usize) -> Option<usize> {
        if let Some(p) = self.person_ending_at(q) {
            return Some(p);
        }
        for m in self.pm_starting_in(q.saturating_sub(MAX_MENTION_CHARS + 30), q + 1).iter().rev() {
            if m.span.end > q || q - m.span.end > 30 {
                continue;
            }
            let mut depth = 0i32;
            let mut ok = true;
            for &c in &self.v.wf[m.span.end..q] {
                if is_open(c) {
                    depth += 1;
                } else if is_close(c) {
                    depth -= 1;
                    if depth < 0 {
                        ok = false;
                        break;
                    }
                } else if depth == 0 && !(is_kanji(c) || is_hiragana(c)) {
                    ok = false;
                    break;
                }
            }
            if ok && depth == 0 {
                return Some(m.person);
            }
        }
        None
    }
    /// The first person mention starting in [from, to).
    pub(crate) fn person_starting_in(&self, from: usize, to: usize) -> Option<PMention> {
        self.pm.iter().find(|m| m.span.start >= from && m.span.start < to).copied()
    }
    /// A relation written after a person's name (its suffix, の, then 母親/妻/長男 …:
    /// 「酒井さんの母親」): what is said there is said of someone else.
    pub(crate) fn relation_after(&self, end: usize) -> bool {
        let n = self.v.wf.len();
        let Some(no) = (end..(end + 4).min(n)).find(|&k| self.v.wf[k] == 'の') else { return false };
        self.v.wf[end..no].iter().all(|&c| kiji_core::lexicon::chars::is_hiragana(c) || is_kanji(c)) && self.lx.res_relation.iter().any(|w| self.v.starts_with(no + 1, w))
    }
    /// Skip back over bracket groups immediately before `q` (「馬場美次(ばば・みつぐ)(68歳)」).
    pub(crate) fn skip_brackets_back(&self, mut q: usize) -> usize {
        for _ in 0..4 {
            if q == 0 || !self.wf(q - 1).is_some_and(is_close) {
                break;
            }
            let mut k = q - 1;
            let lim = q.saturating_sub(40);
            while k > lim && !self.wf(k).is_some_and(is_open) {
                k -= 1;
            }
            if !self.wf(k).is_some_and(is_open) {
                break;
            }
            q = k;
        }
        q
    }
    /// A company name written right before `q` (the char before a bracket), as written.
    pub(crate) fn company_before(&self, q: usize) -> Option<(Span, String)> {
        if q == 0 {
            return None;
        }
        if let Some(c) = self.companies.iter().find(|c| c.end == q) {
            return Some((*c, self.slice(c.start, c.end)));
        }
        let last = self.wf(q - 1)?;
        if matches!(last, '』' | '」') {
            let open = if last == '』' { '『' } else { '「' };
            let mut k = q - 1;
            while k > 0 && q - k < 40 {
                k -= 1;
                if self.wf(k) == Some(open) {
                    return (k + 1 < q - 1).then(|| (Span::new(k + 1, q - 1), self.slice(k + 1, q - 1)));
                }
            }
            return None;
        }
        let mut k = q;
        while k > 0 && q - k < 30 {
            let c = self.v.wf[k - 1];
            let ok = is_kanji(c)
                || is_katakana(c)
                || is_latin(c)
                || (c == '・' && k >= 2 && (is_katakana(self.v.wf[k - 2]) || is_latin(self.v.wf[k - 2])) && k < q);
            if !ok {
                break;
            }
            k -= 1;
        }
        if k == q {
            return None;
        }
        // 「マンション販売業者ヒューザー」: a katakana/Latin name after a kanji role noun.
        let chars = &self.v.wf[k..q];
        let mut seg_start = chars.len();
        while seg_start > 0 && (is_katakana(chars[seg_start - 1]) || is_latin(chars[seg_start - 1]) || chars[seg_start - 1] == '・') {
            seg_start -= 1;
        }
        if seg_start == 0 || seg_start == chars.len() {
            // all one script, or ending in kanji: keep the whole run
        } else if matches!(chars[seg_start - 1], '者' | '業' | '社' | '店' | '体' | '会' | '元' | '系') {
            k += seg_start;
        }
        Some((Span::new(k, q), self.slice(k, q)))
    }
    /// A company name written from `p` on: 「X」, 『X』, a known company, or a name run.
    pub(crate) fn company_after(&self, p: usize) -> Option<(Span, String)> {
        if let Some(c) = self.companies.iter().find(|c| c.start == p) {
            return Some((*c, self.slice(c.start, c.end)));
        }
        let first = self.wf(p)?;
        if matches!(first, '『' | '「') {
            let close = if first == '『' { '』' } else { '」' };
            let mut k = p + 1;
            while k < self.v.wf.len() && k - p < 40 {
                if self.wf(k) == Some(close) {
                    return (k > p + 1).then(|| (Span::new(p + 1, k), self.slice(p + 1, k)));
                }
                k += 1;
            }
            return None;
        }
        let mut k = p;
        while k < self.v.wf.len() && k - p < 25 {
            let c = self.v.wf[k];
            if !(is_kanji(c) || is_katakana(c) || is_latin(c) || (c == '・' && k > p)) {
                break;
            }
            k += 1;
        }
        (k > p + 1).then(|| (Span::new(p, k), self.slice(p, k)))
    }
    /// An owner that names a person or a role (「…選手」「幹部1人」「社長」), not a company.
    pub(crate) fn is_role(&self, name: &str) -> bool {
        let counted = name.strip_suffix('人').is_some_and(|r| r.ends_with(char::is_numeric));
        counted || self.lx.hq_role.iter().any(|w| name.ends_with(w))
    }
    /// A public body (外務省, 国境警備隊), not a company.
    pub(crate) fn is_public_body(&self, name: &str) -> bool {
        self.lx.hq_org.iter().any(|w| name.ends_with(w))
    }
    /// 「<place>の<company>」 states the company's seat only when the company name stands on
    /// its own: not 「JR東日本・新宿駅」「JR東日本品川変電所」「山陽電鉄本線」 (the company
    /// names a facility's operator), not a public body, not a news source 「アメリカのCNNは…
    /// と伝えた」.
    pub(crate) fn seat_company_ok(&self, sp: Span, name: &str) -> bool {
        let next = self.wf(sp.end);
        if next.is_some_and(|c| is_kanji(c) || is_katakana(c) || is_latin(c) || c == '・') {
            return false;
        }
        if self.is_public_body(name) || self.is_facility(name) || self.is_person_span(sp) {
            return false;
        }
        if matches!(next, Some('は') | Some('が')) && self.sentence_has(sp.start, &self.lx.hq_media) {
            return false;
        }
        true
    }
    pub(crate) fn is_facility(&self, name: &str) -> bool {
        self.lx.facility.iter().any(|w| name.ends_with(w))
    }
    pub(crate) fn is_person_span(&self, s: Span) -> bool {
        self.pm.iter().any(|m| m.span.overlaps(s))
    }
}

#[derive(Default)]
pub(crate) struct Roles {
    pub hq: Vec<OwnedAddress>,
    pub res: Vec<OwnedAddress>,
    pub crime: Vec<String>,
    /// Every assignment the cascade made, by address span (the learned stage's evidence).
    pub trace: Vec<RuleRole>,
}

/// The three roles an address can play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    HeadOffice,
    Residence,
    Crime,
}

/// One assignment of the rule cascade: address span `addr` (index into the recogniser's
/// spans) got `role`, with its owner (a person's or company's name; empty for crimes) and,
/// for a crime place, how directly the text ties it to the offence.
#[derive(Debug, Clone)]
pub(crate) struct RuleRole {
    pub addr: usize,
    pub role: Role,
    pub owner: String,
    pub strength: u8,
}

/// Does `span` overlap one of `sorted` (sorted by start, as a binary search)?
fn overlaps_any(sorted: &[Span], span: Span) -> bool {
    let i = sorted.partition_point(|p| p.start < span.end);
    // Only spans starting before `span.end` can overlap; police spans are short,
    // so looking back a few is enough when they do not nest.
    sorted[..i].iter().rev().take(8).any(|p| p.overlaps(span))
}

pub(crate) fn assign(ctx: &Ctx, addrs: &[AddressSpan], police_spans: &[Span]) -> Roles {
    let mut police = police_spans.to_vec();
    police.sort_unstable();
    let mut r = Roles::default();
    let n = ctx.v.wf.len();
    let any_offender = ctx.persons.iter().any(|p| p.is_offender);
    let mut crime: Vec<CrimeCand> = Vec::new();
    let push_res = |r: &mut Roles, ai: usize, addr: String, person: usize| {
        let owner = ctx.persons[person].name.clone();
        r.trace.push(RuleRole { addr: ai, role: Role::Residence, owner: owner.clone(), strength: 0 });
        if !r.res.iter().any(|o| o.owner == owner) {
            r.res.push(OwnedAddress { address: addr, owner });
        }
    };
    let push_hq = |r: &mut Roles, ai: usize, addr: String, owner: String| {
        let owner = without_reading(&owner).to_owned();
        r.trace.push(RuleRole { addr: ai, role: Role::HeadOffice, owner: owner.clone(), strength: 0 });
        if !owner.is_empty() && !r.hq.iter().any(|o| o.owner == owner && o.address == addr) {
            r.hq.push(OwnedAddress { address: addr, owner });
        }
    };
    for (ai, a) in addrs.iter().enumerate() {
        if a.attributive || overlaps_any(&police, a.span) {
            continue;
        }
        let (s, e) = (a.span.start, a.span.end);
        let mut used = false;
        // ---- 1. In a bracket: 「P(52歳、横浜市中区在住)」「X社(東京都大田区)」「X(本社:東京都)」
        let mut o = s;
        let mut label = false;
        while o > 0 && s - o < 12 {
            let c = ctx.v.wf[o - 1];
            if is_open(c) || is_close(c) || c == '。' || c == '\n' {
                break;
            }
            o -= 1;
        }
        if o > 0 && is_open(ctx.v.wf[o - 1]) {
            let before: String = ctx.v.wf[o..s].iter().collect();
            // 「川村昭允さん(29)と紙屋春樹さん(25)(両氏とも根室市在住)」
            if ctx.lx.res_all.iter().any(|w| before == *w) {
                let sent = ctx.sentence(s);
                let lo = o.saturating_sub(40).max(sent.start);
                let owners: Vec<usize> = ctx.pm_starting_in(lo, o).iter().filter(|m| m.span.end < o).map(|m| m.person).collect();
                for p in owners {
                    push_res(&mut r, ai, a.text.clone(), p);
                }
                continue;
            }
            let before_ok = before.is_empty()
                || before.chars().all(|c| c.is_ascii_digit() || matches!(c, '歳' | '、' | '・' | ',' | ' ' | '同'))
                || ctx.lx.hq_labels.iter().any(|l| {
                    let t = before.trim_end_matches([':', ':', '・', '、']);
                    let ok = t == *l;
                    if ok {
                        label = true;
                    }
                    ok
                });
            let mut c = e;
            while c < n && c - e < 30 && !is_close(ctx.v.wf[c]) && !is_open(ctx.v.wf[c]) && ctx.v.wf[c] != '。' {
                c += 1;
            }
            let after: String = ctx.v.wf[e..c].iter().collect();
            let resid_cue = ctx.lx.res_after.iter().any(|w| after.starts_with(w));
            let after_ok = after.is_empty() || resid_cue || after.starts_with('、') || after.starts_with('内');
            if before_ok && after_ok && c < n && is_close(ctx.v.wf[c]) {
                let q = ctx.skip_brackets_back(o - 1);
                if let Some(p) = ctx.person_before(q) {
                    if !label {
                        push_res(&mut r, ai, a.text.clone(), p);
                        used = true;
                    }
                } else if !resid_cue && (after.is_empty() || label || after.starts_with('、')) {
                    // a list of buildings 「X(江東区)Y(中央区)」 is not a head office
                    // (「ライブドア(東京都港区)グループによる」 is no list: the name after needs its own bracket)
                    let mut k = c + 1;
                    while k < n && k - c < 30 && ctx.wf(k).is_some_and(|x| is_katakana(x) || is_latin(x) || is_kanji(x) || x == '・') {
                        k += 1;
                    }
                    let listed = (ctx.wf(c + 1).is_some_and(|x| is_katakana(x) || is_latin(x)) && ctx.wf(k).is_some_and(is_open)) || (q > 0 && ctx.company_before(q).is_some_and(|(sp, _)| sp.start > 0 && ctx.wf(sp.start - 1).is_some_and(is_close)));
                    if let Some((mut sp, mut name)) = ctx.company_before(q).filter(|_| !listed) {
                        // 「神奈川県グランドステージ江川」: the name starts after a place
                        if let Some(x) = addrs.iter().filter(|x| x.span.overlaps(sp) && x.span.end < sp.end && !x.attributive && x.level >= Level::Prefecture).map(|x| x.span.end).max() {
                            sp = Span::new(x.max(sp.start), sp.end);
                            name = ctx.slice(sp.start, sp.end);
                        }
                        // A country alone in the bracket follows a city or a region as often as a
                        // company (「マドリード(スペイン)」「グラボボ(ウクライナ)」): the name must be
                        // one the recogniser read as an organisation, or end as companies do.
                        let organisation = a.level != Level::Country || ctx.companies.contains(&sp) || name.ends_with('社') || ctx.lx.business.iter().any(|b| name.ends_with(b));
                        if organisation && !ctx.is_facility(&name) && !ctx.is_public_body(&name) && !ctx.is_person_span(sp) && !addrs.iter().any(|x| x.span == sp) {
                            push_hq(&mut r, ai, a.text.clone(), name);
                            used = true;
                        }
                    }
                }
            }
        }
        if used {
            continue;
        }
        // ---- 2. 「A在住の…P」「Aに住む…P」, and with 内 between (「唐津市内に住む…P」, 「同市内在住の…P」)
        let within = if ctx.wf(e) == Some('内') { e + 1 } else { e };
        if let Some(w) = ctx.lx.res_after.iter().find(|w| ctx.v.starts_with(within, w)) {
            let from = within + w.chars().count();
            let to = (from + 25).min(ctx.sentence(s).end);
            if let Some(m) = ctx.person_starting_in(from, to) {
                let gap: String = ctx.v.wf[from..m.span.start].iter().collect();
                if !gap.contains('。') && !addrs.iter().any(|x| x.span.start >= from && x.span.start < m.span.start) && !ctx.relation_after(m.span.end) {
                    push_res(&mut r, ai, a.text.clone(), m.person);
                    continue;
                }
            }
        }
        // ---- 3. 「Aの会社員、P」「Aの無職・P容疑者」「AのP」「A内の無職、P」, and the police
        // release form 「A、会社員、P容疑者」「A、会社員P容疑者」 (an occupation between).
        let comma = ctx.wf(e) == Some('、');
        let no = if ctx.wf(e) == Some('の') { Some(e + 1) } else if ctx.v.starts_with(e, "内の") { Some(e + 2) } else if comma { Some(e + 1) } else { None };
        if let Some(from) = no {
            let mut k = from;
            while k < n && k - from < 16 {
                let c = ctx.v.wf[k];
                if !ctx.pm_starting_in(k, k + 1).is_empty() {
                    break;
                }
                if !(is_kanji(c) || is_katakana(c) || c == '・' || c == '、' || c.is_ascii_digit() || c == '歳' || c == 'の') {
                    break;
                }
                k += 1;
            }
            if let Some(m) = ctx.pm_starting_in(k, k + 1).first() {
                let gap: String = ctx.v.wf[from..k].iter().collect();
                let g2 = gap.trim_end_matches(['、', '・', 'の']);
                // 「北海道の食肉加工会社・ミートホープ社の田中稔社長」: a company between, its seat
                let company_like = ctx.lx.business.iter().any(|b| g2.ends_with(b) || g2.contains(&format!("{b}・")))
                    || (g2.ends_with('社') && g2.chars().count() >= 3)
                    || ctx.companies.iter().any(|c| c.start >= from && c.end <= k)
                    || ctx.lx.office.iter().any(|w| ctx.v.starts_with(m.span.end, w));
                // the release form needs an occupation and no other place in between (「大阪市、堺市、…」)
                let release_ok = !comma || (!g2.is_empty() && !addrs.iter().any(|x| x.span.start > e && x.span.start < k));
                if !company_like && gap.matches('、').count() <= 1 && release_ok {
                    push_res(&mut r, ai, a.text.clone(), m.person);
                    continue;
                }
            }
        }
        // ---- 3b. 「Pは…、東京都目黒区の自宅で」「P検事の大阪府枚方市内の自宅を」「東京都港区にある
        // 自宅のマンションで」: the home of the last person named before it in the sentence.
        if ["の自宅", "内の自宅", "にある自宅"].iter().any(|w| ctx.v.starts_with(e, w)) {
            let sent = ctx.sentence(s);
            // (no `continue`: the home may also be where the offence was committed, step 6)
            if let Some(m) = ctx.pm_starting_in(sent.start, s).iter().rev().find(|m| m.span.end <= s) {
                push_res(&mut r, ai, a.text.clone(), m.person);
            }
        }
        // ---- 4. 「Aに本社を置くX」
        if let Some(w) = ctx.lx.hq_after.iter().find(|w| ctx.v.starts_with(e, w)) {
            let mut p = e + w.chars().count();
            // skip a business noun phrase: 「…に本社を置く健康食品販売会社『X』」
            let mut k = p;
            while k < n && k - p < 15 && (is_kanji(ctx.v.wf[k]) || is_katakana(ctx.v.wf[k])) {
                k += 1;
            }
            if k > p && ctx.lx.business.iter().any(|b| ctx.v.ends_with_at(k, b)) {
                p = k;
                if matches!(ctx.wf(p), Some('・') | Some('の')) {
                    p += 1;
                }
            }
            if let Some((_, name)) = ctx.company_after(p) {
                push_hq(&mut r, ai, a.text.clone(), name);
                continue;
            }
        }
        // ---- 5. 「大阪市の料亭・船場吉兆」「大阪市の和服販売店「愛染蔵」」「岩手県の三陸鉄道は」
        // 「北海道苫小牧市にある食肉加工販売会社「ミートホープ」」
        let seat = if ctx.wf(e) == Some('の') { Some(e + 1) } else if ctx.v.starts_with(e, "にある") { Some(e + 3) } else { None };
        if let Some(from) = seat {
            if let Some(c) = ctx.companies.iter().find(|c| c.start == from) {
                let name = ctx.slice(c.start, c.end);
                if ctx.seat_company_ok(*c, &name) {
                    push_hq(&mut r, ai, a.text.clone(), name);
                    continue;
                }
            } else {
                // 「アメリカのナイアンティック社が」: a katakana/Latin name + 社
                let mut k = from;
                while k < n && k - from < 20 && (is_katakana(ctx.v.wf[k]) || is_latin(ctx.v.wf[k]) || (ctx.v.wf[k] == '・' && k > from)) {
                    k += 1;
                }
                if k >= from + 2 && ctx.wf(k) == Some('社') {
                    let sp = Span::new(from, k + 1);
                    let name = ctx.slice(sp.start, sp.end);
                    if ctx.seat_company_ok(sp, &name) {
                        push_hq(&mut r, ai, a.text.clone(), name);
                        continue;
                    }
                }
            }
            let mut k = from;
            while k < n && k - from < 20 && (is_kanji(ctx.v.wf[k]) || is_katakana(ctx.v.wf[k]) || (ctx.v.wf[k] == '・' && k > from)) {
                k += 1;
            }
            // the business noun may end inside the run: 「料亭・船場吉兆」
            let cut = (from + 1..=k).rev().find(|&j| {
                ctx.lx.business.iter().any(|b| ctx.v.ends_with_at(j, b))
                    && (j == k || matches!(ctx.wf(j), Some('・') | Some('の')))
            });
            if let Some(k) = cut {
                let mut p = k;
                let sep = ctx.wf(p);
                if matches!(sep, Some('・') | Some('の')) {
                    p += 1;
                }
                let named = matches!(ctx.wf(p), Some('「') | Some('『')) || matches!(sep, Some('・') | Some('の'));
                if named {
                    if let Some((sp, name)) = ctx.company_after(p) {
                        if !ctx.is_person_span(sp) && !ctx.is_facility(&name) {
                            push_hq(&mut r, ai, a.text.clone(), name);
                            continue;
                        }
                    }
                }
            }
        }
        // ---- 6. Crime location: 「Aの路上で」「A内のホテルで」「Aで」 in a sentence about an offence
        // (a prefecture alone only as 「東京都内の自宅で」: a bare prefecture names the police or the region).
        let prefecture_inside = a.level == Level::Prefecture && ctx.wf(a.span.end) == Some('内');
        if any_offender && (a.level >= Level::Municipality || a.level == Level::Country || prefecture_inside) {
            if let Some(strength) = crime_at(ctx, a) {
                r.trace.push(RuleRole { addr: ai, role: Role::Crime, owner: String::new(), strength });
                crime.push(CrimeCand { pos: s, a, strength });
            }
        }
    }
    // 「住所不定、無職、P容疑者」 -> residence "".
    for w in &ctx.lx.res_none {
        for sp in occurrences(&ctx.v.wf, w) {
            let to = (sp.end + 20).min(n);
            if let Some(m) = ctx.person_starting_in(sp.end, to) {
                let owner = ctx.persons[m.person].name.clone();
                if !r.res.iter().any(|o| o.owner == owner) {
                    r.res.push(OwnedAddress { address: String::new(), owner });
                }
            }
        }
    }
    if any_offender {
        crime.extend(home_crimes(ctx, addrs, &r.res));
    }
    r.crime = settle_crimes(ctx, crime);
    r
}

/// A company name without the bracketed kana reading written after it
/// (「淡海一家(おうみ・いっか)」 → 淡海一家), as names drop their readings.
fn without_reading(name: &str) -> &str {
    let Some(body) = name.strip_suffix(')').or_else(|| name.strip_suffix('）')) else { return name };
    let Some(open) = body.rfind(['(', '（']) else { return name };
    let reading = body[open..].trim_start_matches(['(', '（']);
    if open > 0 && !reading.is_empty() && reading.chars().all(|c| kiji_core::lexicon::chars::is_kana(c) || matches!(c, '・' | ' ')) {
        &name[..open]
    } else {
        name
    }
}

/// At most this many crime-place candidates (and 「自宅」 phrases) per article are weighed.
const MAX_CRIME_CANDS: usize = 64;

/// A crime-place candidate: the address, where it was found, and how directly the text ties
/// it to the offence (2: the place phrase of an offence; 1: a place in a 「…事件で」 lead
/// clause; 0: the offender's stated residence, for 「自宅で」).
pub(crate) struct CrimeCand<'a> {
    pub pos: usize,
    pub a: &'a AddressSpan,
    pub strength: u8,
}

/// 「自宅で」「自宅マンションに」 in a sentence about an offence, after a mention of an offender
/// whose residence the article states: that residence is where the offence was committed.
pub(crate) fn home_crimes<'a>(ctx: &Ctx, addrs: &'a [AddressSpan], res: &[OwnedAddress]) -> Vec<CrimeCand<'a>> {
    let mut out = Vec::new();
    for sp in occurrences(&ctx.v.wf, "自宅").into_iter().take(MAX_CRIME_CANDS) {
        let mut p = sp.end;
        if ctx.v.starts_with(p, "マンション") {
            p += 5;
        }
        if !(ctx.wf(p) == Some('で') || ctx.wf(p) == Some('に') || ctx.v.starts_with(p, "において")) {
            continue;
        }
        let sent = ctx.sentence(sp.start);
        let after: String = ctx.v.wf[p.min(sent.end)..sent.end].iter().collect();
        if !ctx.lx.crime_cues.iter().any(|w| after.contains(w)) || ctx.lx.remote.iter().any(|w| after.contains(w)) {
            continue;
        }
        let Some(m) = ctx.pm_starting_in(sent.start, sp.start).iter().rev().find(|m| m.span.end <= sp.start && ctx.persons[m.person].is_offender) else { continue };
        let owner = &ctx.persons[m.person].name;
        let Some(home) = res.iter().find(|o| o.owner == *owner && !o.address.is_empty()) else { continue };
        if let Some(a) = addrs.iter().find(|a| a.text == home.address && a.level >= Level::Municipality) {
            out.push(CrimeCand { pos: sp.start, a, strength: 0 });
        }
    }
    out
}

/// One place per municipality, the most specific and most directly tied to the offence
/// (「秋田県大仙市で…発見された事件で」 + 「大仙市内で…殴った」 -> 大仙市); a city and a ward of
/// it named apart (「仙台市の…病院」「宮城野区の…病院で」) become the city + ward when the
/// article writes that string.
pub(crate) fn settle_crimes(ctx: &Ctx, mut cands: Vec<CrimeCand>) -> Vec<String> {
    cands.sort_by_key(|c| c.pos);
    // the pairwise steps below stay linear in the article: a news article names a handful
    cands.truncate(MAX_CRIME_CANDS);
    let muni_key = |a: &AddressSpan| -> Option<(Option<String>, String)> {
        if a.level >= Level::Municipality {
            a.municipality.clone().map(|m| (a.prefecture.clone(), m))
        } else {
            None
        }
    };
    // city + ward written apart
    let mut texts: Vec<Option<String>> = cands.iter().map(|c| Some(c.a.text.clone())).collect();
    for i in 0..cands.len() {
        let a = cands[i].a;
        if a.level != Level::Municipality || a.ward_text.is_some() || a.resolved {
            continue;
        }
        let (Some(city), Some(am)) = (a.city_text.as_ref(), a.municipality.as_ref()) else { continue };
        for j in 0..cands.len() {
            let b = cands[j].a;
            if i == j || texts[j].is_none() || b.resolved || b.prefecture != a.prefecture {
                continue;
            }
            let Some(bm) = b.municipality.as_ref() else { continue };
            if !(bm.starts_with(am.as_str()) && bm.len() > am.len() && b.city_text.is_none() && b.ward_text.is_some()) {
                continue;
            }
            let merged = format!("{city}{}", b.text);
            if let Some(sp) = occurrences(&ctx.v.wf, &merged).first() {
                texts[i] = Some(ctx.slice(sp.start, sp.end));
                texts[j] = None;
                cands[i].strength = cands[i].strength.max(cands[j].strength);
                break;
            }
        }
    }
    // one candidate per municipality (or per country / text)
    let mut keep = vec![true; cands.len()];
    // a place only in a 「…事件で」 clause gives way to places tied to the act itself: it is
    // a related or earlier case (「2007年に南部・バージニア州の…大学で…犠牲となった事件に次ぐ」)
    let strong = cands.iter().zip(&texts).any(|(c, t)| t.is_some() && c.strength >= 2);
    for i in 0..cands.len() {
        if texts[i].is_none() || (strong && cands[i].strength == 1) {
            keep[i] = false;
            continue;
        }
        for j in 0..cands.len() {
            if i == j || texts[j].is_none() || !keep[j] {
                continue;
            }
            let same = match (muni_key(cands[i].a), muni_key(cands[j].a)) {
                (Some(x), Some(y)) => x == y,
                _ => texts[i] == texts[j],
            };
            if !same {
                continue;
            }
            let rank = |k: usize| (cands[k].a.level, cands[k].strength, std::cmp::Reverse(cands[k].pos));
            if rank(j) > rank(i) {
                keep[i] = false;
                break;
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for (i, t) in texts.into_iter().enumerate() {
        if let (true, Some(t)) = (keep[i], t) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// Crime locations in their fullest written form: a place written without
/// its prefecture that the article also writes with it (「千葉県市川市で…事件」,
/// later 「市川市のマンションで」) is given with it, when the article writes it
/// with one prefecture only. (Where an article writes both forms, train's gold
/// keeps the prefecture 17 times and the short form 2 times; docs/DECISIONS.md.)
pub(crate) fn fullest_forms(addrs: &[AddressSpan], crime: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(crime.len());
    for t in crime {
        let mut longer: Vec<&str> = addrs
            .iter()
            .filter(|a| a.pref_text.as_deref().is_some_and(|p| a.text.len() == p.len() + t.len() && a.text.starts_with(p) && a.text.ends_with(t.as_str())))
            .map(|a| a.text.as_str())
            .collect();
        longer.sort_unstable();
        longer.dedup();
        let full = match longer[..] {
            [one] => one.to_owned(),
            _ => t,
        };
        if !out.contains(&full) {
            out.push(full);
        }
    }
    out
}

/// A foreign region's crime place with the country written right before it, as the article
/// writes them (「アメリカ合衆国オハイオ州で」, 「アメリカ・ニュージャージー州で」).
pub(crate) fn with_country(ctx: &Ctx, addrs: &[AddressSpan], crime: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(crime.len());
    for t in crime {
        let full = addrs.iter().filter(|a| a.level == Level::Country && a.text == t).find_map(|a| {
            let s = a.span.start;
            let dot = s > 0 && ctx.wf(s - 1) == Some('・');
            let end = if dot { s - 1 } else { s };
            let before: String = ctx.v.wf[end.saturating_sub(12)..end].iter().collect();
            let c = ctx.lx.countries.iter().find(|c| before.ends_with(**c) && **c != t)?;
            Some(format!("{c}{}{t}", if dot { "・" } else { "" }))
        });
        let full = full.unwrap_or(t);
        if !out.contains(&full) {
            out.push(full);
        }
    }
    // The country alone goes when a place inside it is listed with it (「アメリカ」 beside
    // 「アメリカ・ニュージャージー州」), as a police body under its more specific unit.
    let joined = out.clone();
    out.retain(|t| !(ctx.lx.countries.contains(&t.as_str()) && joined.iter().any(|o| o.len() > t.len() && o.starts_with(t.as_str()))));
    out
}

pub(crate) fn crime_at(ctx: &Ctx, a: &AddressSpan) -> Option<u8> {
    let (s, e) = (a.span.start, a.span.end);
    let n = ctx.v.wf.len();
    let sent = ctx.sentence(a.span.start);
    let offender_here = ctx.pm_starting_in(sent.start, sent.end).iter().any(|m| sent.contains(m.span) && ctx.persons[m.person].is_offender);
    if !(offender_here || ctx.sentence_has(a.span.start, &ctx.lx.crime_cues)) {
        return None;
    }
    let mut p = e;
    // 「宇品工場(広島市南区)に侵入」: a facility's bracketed place
    if s > 0 && is_open(ctx.v.wf[s - 1]) && ctx.wf(e).is_some_and(is_close) {
        p = e + 1;
    }
    // 「大分県日出町(ひじまち)の…付近で」: a bracketed reading after the place
    if ctx.wf(p).is_some_and(is_open) {
        let close = (p + 1..(p + 14).min(n)).find(|&k| !kiji_core::lexicon::chars::is_kana(ctx.v.wf[k]));
        if let Some(k) = close.filter(|&k| k > p + 1 && is_close(ctx.v.wf[k])) {
            p = k + 1;
        }
    }
    let inside = ctx.wf(p) == Some('内');
    if inside {
        p += 1;
    }
    // One of `words` within `len` chars from `i`, before the sentence's end.
    let word_within = |i: usize, len: usize, words: &[&str]| -> bool {
        let from = i.min(n);
        let t: String = ctx.v.wf[from..(i + len).min(sent.end).min(n).max(from)].iter().collect();
        words.iter().any(|w| t.contains(w))
    };
    let cue_within = |i: usize, len: usize| word_within(i, len, &ctx.lx.crime_cues);
    let locative = |i: usize| -> Option<usize> {
        if ctx.v.starts_with(i, "において") {
            Some(4)
        } else if ctx.v.starts_with(i, "にて") {
            Some(2)
        } else if ctx.v.starts_with(i, "に侵入") || ctx.v.starts_with(i, "に押し入") {
            Some(1)
        } else if ctx.wf(i) == Some('で') && !matches!(ctx.wf(i + 1), Some('は' | 'も' | 'あ' | 'き' | 'す' | 'し' | 'な' | 'の')) {
            Some(1)
        } else if ctx.v.starts_with(i, "での") && cue_within(i + 2, 6) {
            // 「東京都内での犯行」, not 「ペルーでの公職」
            Some(2)
        } else if inside && ctx.wf(i) == Some('に') && cue_within(i + 1, 12) {
            // 「調布市内の自宅マンションに覚醒剤…を隠していた」
            Some(1)
        } else if ctx.wf(i) == Some('に') && word_within(i + 1, 20, &ctx.lx.enter) {
            // 「…の横浜銀行磯子支店に男が侵入し」: the place entered
            Some(1)
        } else if ctx.v.starts_with(i, "から") && word_within(i + 2, 30, &ctx.lx.take) {
            // 「…の建設現場からケーブル数十巻を窃盗した」: the place things were taken from
            Some(2)
        } else {
            None
        }
    };
    let end_of_phrase;
    if let Some(l) = locative(p) {
        end_of_phrase = p + l;
    } else if ctx.wf(p) == Some('の') || ctx.v.starts_with(p, "にある") || ctx.v.starts_with(p, "にあった") || ctx.wf(p) == Some('や') || ctx.v.starts_with(p, "など") {
        // a place phrase ending in で/において/を (the next locative within the sentence)
        let mut k = p + 1;
        let lim = (p + 45).min(sent.end).min(n);
        let mut found = None;
        while k < lim {
            let c = ctx.v.wf[k];
            if c == '。' || (c == '、' && ctx.wf(p) != Some('や')) {
                break;
            }
            if let Some(l) = locative(k) {
                // 「…老女が行方不明となった事件で」: the case, not a place
                if ctx.v.ends_with_at(k, "事件") || ctx.v.ends_with_at(k, "事故") {
                    return None;
                }
                found = Some(k + l);
                break;
            }
            if ctx.v.starts_with(k, "にかけて") {
                found = Some(k + 4);
                break;
            }
            if ctx.v.starts_with(k, "内を") || ctx.v.starts_with(k, "を放火") {
                found = Some(k + 2);
                break;
            }
            k += 1;
        }
        end_of_phrase = found?;
    } else {
        return None;
    }
    // what follows the locative must not be the arrest, a court or a press conference
    let phrase: String = ctx.v.wf[e..end_of_phrase.min(n)].iter().collect();
    let tail: String = ctx.v.wf[end_of_phrase.min(n)..(end_of_phrase + 6).min(n)].iter().collect();
    let both = format!("{phrase}{tail}");
    if ctx.lx.crime_stop.iter().any(|w| both.contains(w)) {
        return None;
    }
    // the clause around the place: not another event, not a remote offence
    let mut ce = end_of_phrase.min(n);
    while ce < sent.end.min(n) && ce - end_of_phrase < 40 && !matches!(ctx.v.wf[ce], '、' | '。') {
        ce += 1;
    }
    let mut cs = s;
    while cs > sent.start && s - cs < 15 && !matches!(ctx.v.wf[cs - 1], '、' | '。') {
        cs -= 1;
    }
    // 「大津市内で緊急逮捕した」「鈴鹿市内で殺人と死体遺棄の疑いで逮捕した」: where the
    // arrest was made (guideline: not a crime place), unless the act is told first
    // (「東京都渋谷区で無許可で日本刀を所持したとして銃刀法違反の疑いで現行犯逮捕」).
    let rest: String = ctx.v.wf[end_of_phrase.min(ce)..ce].iter().collect();
    let arrested = ctx.lx.arrest.iter().any(|w| rest.starts_with(w))
        || ctx.lx.charge.iter().any(|w| rest.find(w).is_some_and(|i| !rest[..i].contains("として") && ctx.lx.arrest.iter().any(|a| rest[i + w.len()..].starts_with(a))));
    if arrested {
        return None;
    }
    let clause: String = ctx.v.wf[s..ce].iter().collect();
    let before: String = ctx.v.wf[cs..s].iter().collect();
    // a stop word ends the clause's business unless an offence word follows it
    // (「白山市の「桑島神社」で行われた秋祭りの会場内の境内に…突っ込み」)
    let last_stop = ctx.lx.clause_after.iter().filter_map(|w| clause.rfind(w).map(|i| i + w.len())).max();
    if let Some(i) = last_stop {
        if !ctx.lx.crime_cues.iter().any(|w| clause[i..].contains(w)) {
            return None;
        }
    }
    if ctx.lx.clause_before.iter().any(|w| before.contains(w)) {
        return None;
    }
    // 「岡山市内で死亡していた」「東京都内で発見・保護された」: what happened there is no
    // offence unless an offence word is in the clause too (「…で刺され死亡」).
    if ctx.lx.clause_alone.iter().any(|w| clause.contains(w)) && !ctx.lx.crime_cues.iter().any(|w| clause.contains(w)) {
        return None;
    }
    if ctx.lx.remote.iter().any(|w| clause.contains(w) || before.contains(w)) {
        return None;
    }
    let lead = clause.contains("事件") || clause.contains("事故");
    Some(if lead { 1 } else { 2 })
}
