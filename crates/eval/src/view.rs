//! The compliance gold-CSV view of an article, and value normalisation.
use kiji_core::ArticleOutput;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// The eight columns of the compliance CSV, in this order.
pub const CSV_FIELDS: [&str; 8] = [
    "person_name",
    "person_age_at_published",
    "person_address",
    "person_belongs_company",
    "person_position_name",
    "person_violated_law",
    "occured_locations",
    "police_departments",
];

/// The columns of `pipeline-run extract --format csv` (and `kiji.csv_row`):
/// `id`, the eight [`CSV_FIELDS`], then `error` (empty but for error records).
/// [`crate::load_gold_csv`] reads such a file as gold.
pub const CSV_OUTPUT_COLUMNS: [&str; 10] = [
    "id",
    CSV_FIELDS[0],
    CSV_FIELDS[1],
    CSV_FIELDS[2],
    CSV_FIELDS[3],
    CSV_FIELDS[4],
    CSV_FIELDS[5],
    CSV_FIELDS[6],
    CSV_FIELDS[7],
    "error",
];

/// The [`CSV_OUTPUT_COLUMNS`] row of an error record (`{"id", "line",
/// "error"}`): its id (empty for none), eight empty cells, and
/// `line N: <error>`.
pub fn csv_error_row(id: Option<&str>, line: u64, error: &str) -> [String; 10] {
    let mut row: [String; 10] = Default::default();
    row[0] = id.unwrap_or_default().to_owned();
    row[9] = format!("line {line}: {error}");
    row
}

/// One CSV record as RFC 4180 writes it: cells joined with ",", a cell
/// quoted (its quotes doubled) when it holds a quote, a comma, CR or LF,
/// and a CRLF at the end.
pub fn csv_record<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = String::new();
    for (i, cell) in cells.iter().enumerate() {
        let cell = cell.as_ref();
        if i > 0 {
            out.push(',');
        }
        if cell.contains(['"', ',', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
    out
}

/// Index in [`CSV_FIELDS`] of the first list column (joined with ","); the
/// columns before it are per-offender columns (joined with "/").
const FIRST_LIST_FIELD: usize = 6;

/// Unicode NFKC, then every whitespace char removed: how every compared value
/// is normalised (「（４３）」 → 「(43)」, 「山田 太郎」 → 「山田太郎」).
pub fn normalize(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// One article in the compliance CSV view: the eight [`CSV_FIELDS`] as raw
/// (not normalised) strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CsvView {
    pub id: String,
    pub fields: [String; 8],
}

impl CsvView {
    /// The view of an output record: its offenders (`is_offender`), in the
    /// order of the persons list, one "/"-separated slot each for name, age,
    /// address (the `residences` entry whose owner is the offender, compared
    /// after [`normalize`]; the first one), affiliation, position and act
    /// ("" for null); crime locations and police departments joined with ",".
    pub fn from_output(id: impl Into<String>, out: &ArticleOutput) -> Self {
        let offenders: Vec<_> = out.persons.iter().filter(|p| p.is_offender).collect();
        let join = |f: &dyn Fn(&kiji_core::Person) -> String| {
            offenders.iter().map(|p| f(p)).collect::<Vec<_>>().join("/")
        };
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let address = |p: &kiji_core::Person| {
            let name = normalize(&p.name);
            out.residences
                .iter()
                .find(|r| normalize(&r.owner) == name)
                .map(|r| r.address.clone())
                .unwrap_or_default()
        };
        CsvView {
            id: id.into(),
            fields: [
                join(&|p| p.name.clone()),
                join(&|p| opt(&p.age)),
                join(&address),
                join(&|p| opt(&p.affiliation)),
                join(&|p| opt(&p.position)),
                join(&|p| opt(&p.act)),
                out.physical_crime_occured_locations.join(","),
                out.police_departments.join(","),
            ],
        }
    }

    /// This view as a [`CSV_OUTPUT_COLUMNS`] row (an empty `error`).
    pub fn output_row(&self) -> [String; 10] {
        std::array::from_fn(|i| match i {
            0 => self.id.clone(),
            1..=8 => self.fields[i - 1].clone(),
            _ => String::new(),
        })
    }

    /// The value of a column by its name in [`CSV_FIELDS`].
    pub fn get(&self, field: &str) -> Option<&str> {
        CSV_FIELDS
            .iter()
            .position(|f| *f == field)
            .map(|i| self.fields[i].as_str())
    }

    /// Append a further CSV row of the same article (see [`crate::load_gold_csv`]).
    pub(crate) fn append_row(&mut self, row: &[String; 8]) {
        if row[..FIRST_LIST_FIELD].iter().any(|c| !c.trim().is_empty()) {
            let had_persons = self.fields[..FIRST_LIST_FIELD]
                .iter()
                .any(|c| !c.trim().is_empty());
            for (mine, new) in self.fields[..FIRST_LIST_FIELD].iter_mut().zip(row) {
                if had_persons {
                    mine.push('/');
                    mine.push_str(new);
                } else {
                    mine.clone_from(new);
                }
            }
        }
        for (mine, new) in self.fields[FIRST_LIST_FIELD..]
            .iter_mut()
            .zip(&row[FIRST_LIST_FIELD..])
        {
            for item in new.split(',').filter(|s| !s.trim().is_empty()) {
                let present = mine.split(',').any(|m| normalize(m) == normalize(item));
                if !present {
                    if !mine.trim().is_empty() {
                        mine.push(',');
                    }
                    mine.push_str(item);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_and_whitespace() {
        assert_eq!(normalize("（４３）"), "(43)");
        assert_eq!(normalize(" 山田\u{3000}太郎 \n"), "山田太郎");
        assert_eq!(normalize("ｶﾀｶﾅ･ﾃｽﾄ"), "カタカナ・テスト");
    }

    #[test]
    fn csv_records_quote_what_rfc_4180_needs() {
        assert_eq!(csv_record(&["a", "", "b c"]), "a,,b c\r\n");
        assert_eq!(csv_record(&["x,y", "say \"hi\"", "1\n2"]), "\"x,y\",\"say \"\"hi\"\"\",\"1\n2\"\r\n");
        let row = csv_error_row(None, 3, "invalid_json: EOF");
        assert_eq!(row[0], "");
        assert_eq!(row[9], "line 3: invalid_json: EOF");
        assert_eq!(CSV_OUTPUT_COLUMNS[1..9], CSV_FIELDS);
    }

    #[test]
    fn rows_are_concatenated() {
        let row = |a: &str, l: &str| -> [String; 8] {
            std::array::from_fn(|i| if i < 6 { a.to_owned() } else { l.to_owned() })
        };
        let mut v = CsvView {
            id: "x".into(),
            fields: row("", ""),
        };
        v.append_row(&row("A", "警視庁"));
        assert_eq!(v.fields[0], "A");
        assert_eq!(v.fields[7], "警視庁");
        v.append_row(&row("B", "警視庁,大阪府警"));
        v.append_row(&row("", ""));
        assert_eq!(v.fields[0], "A/B");
        assert_eq!(v.fields[7], "警視庁,大阪府警");
    }
}
