//! Property: every address string output is a substring of the article, or a resolved
//! 同-reference built only from substrings of the article. Over ../shared/data/pool
//! (Japanese Wikinews, CC BY 2.5), with the named persons of each article guessed from
//! 「…容疑者」 so that residences and crime locations are exercised.
mod common;
use kiji_address::AddressStage;
use kiji_core::{AddressExtractor, ArticleInput, Category, Document, Person};

fn pieces_ok(article: &str, s: &str) -> bool {
    if s.is_empty() || article.contains(s) {
        return true;
    }
    // a resolved reference: a prefix that occurs in the article followed by a suffix that does
    let cs: Vec<char> = s.chars().collect();
    (1..cs.len()).any(|i| {
        let (a, b): (String, String) = (cs[..i].iter().collect(), cs[i..].iter().collect());
        article.contains(&a) && article.contains(&b)
    }) && article.contains('同')
}

#[test]
fn outputs_are_article_substrings_over_the_pool() {
    let stage = AddressStage::new().expect("gazetteer");
    let pool = common::read_jsonl(&common::data_dir().join("pool/wikinews.jsonl"));
    let mut n_out = 0;
    for rec in &pool {
        let article = rec["article"].as_str().unwrap_or("");
        let input = ArticleInput::new(rec["id"].as_str().unwrap_or(""), article);
        let doc = Document::new(&input, Vec::new());
        // crude persons: 2-4 kanji before 容疑者
        let chars: Vec<char> = article.chars().collect();
        let mut persons: Vec<Person> = Vec::new();
        for (i, _) in article.match_indices("容疑者") {
            let ci = article[..i].chars().count();
            let s = ci.saturating_sub(4);
            let name: String = chars[s..ci].iter().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(*c)).collect();
            if name.chars().count() >= 3 && !persons.iter().any(|p| p.name == name) {
                persons.push(Person {
                    name,
                    is_real: true,
                    is_offender: true,
                    age: None,
                    position: None,
                    affiliation: None,
                    category: Category::LawViolation,
                    act: None,
                    reason: None,
                    mentions: vec![],
                });
            }
        }
        let out = stage.extract(&doc, &[], &persons);
        for o in out.residences.iter().chain(&out.headquarters_locations) {
            assert!(pieces_ok(article, &o.address), "{}: address {:?}", rec["id"], o.address);
            assert!(article.contains(&o.owner), "{}: owner {:?}", rec["id"], o.owner);
            n_out += 1;
        }
        for s in out.physical_crime_occured_locations.iter().chain(&out.police_departments) {
            assert!(pieces_ok(article, s), "{}: {:?}", rec["id"], s);
            n_out += 1;
        }
    }
    println!("{} articles, {n_out} strings checked", pool.len());
    assert!(n_out > 100);
}
