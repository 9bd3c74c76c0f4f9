//! A school's roster as its clerk keeps it in a spreadsheet: one row a student, with the
//! class, the personal file number, the student's names, birthday and sex, and up to two
//! parents or legal representatives. Headers are found by name (Russian or English, any
//! order, extra columns ignored); every problem is named by row and column, so the clerk
//! can fix the file and import it again. Nothing here touches the database: the importer
//! decides each row's fate against what the school already holds.

use crate::sheet::Row;
use jiff::civil::Date;

/// The longest name part, phone, email or file number a roster accepts.
pub const TEXT_MAX: usize = 100;

/// Up to this many parents per row.
pub const PARENTS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// As stored: `m` or `f`.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "m",
            Sex::Female => "f",
        }
    }

    /// «м», «ж», «М», «муж», «жен», `male`, `female`, `m`, `f`.
    pub fn parse(raw: &str) -> Option<Sex> {
        match raw.trim().to_lowercase().trim_end_matches('.') {
            "м" | "муж" | "мужской" | "m" | "male" => Some(Sex::Male),
            "ж" | "жен" | "женский" | "f" | "female" => Some(Sex::Female),
            _ => None,
        }
    }

    /// As a Russian spreadsheet writes it.
    pub fn letter(self) -> &'static str {
        match self {
            Sex::Male => "м",
            Sex::Female => "ж",
        }
    }
}

/// Who a parent or legal representative is to the child (DOMAIN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    Mother,
    Father,
    Guardian,
    Other,
}

impl Relation {
    pub const ALL: [Relation; 4] = [
        Relation::Mother,
        Relation::Father,
        Relation::Guardian,
        Relation::Other,
    ];

    /// As stored in `parent_links.relation`.
    pub fn code(self) -> &'static str {
        match self {
            Relation::Mother => "mother",
            Relation::Father => "father",
            Relation::Guardian => "guardian",
            Relation::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Relation {
        Relation::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .unwrap_or(Relation::Other)
    }

    /// «мать», «мама», «отец», «опекун», «попечитель», «бабушка»…, or the English words.
    pub fn parse(raw: &str) -> Option<Relation> {
        let s = raw.trim().to_lowercase().replace('ё', "е");
        match s.as_str() {
            "мать" | "мама" | "mother" => Some(Relation::Mother),
            "отец" | "папа" | "father" => Some(Relation::Father),
            "опекун" | "попечитель" | "приемный родитель" | "guardian" => {
                Some(Relation::Guardian)
            }
            "бабушка" | "дедушка" | "другое" | "иное" | "other" | "законный представитель" => {
                Some(Relation::Other)
            }
            _ => None,
        }
    }

    /// As the template and the export write it.
    pub fn russian(self) -> &'static str {
        match self {
            Relation::Mother => "мать",
            Relation::Father => "отец",
            Relation::Guardian => "опекун",
            Relation::Other => "другое",
        }
    }
}

/// A class as a roster names it: «1А», «1 а», «10-Б».
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassName {
    pub parallel: i16,
    pub letter: String,
}

impl ClassName {
    pub fn parse(raw: &str) -> Option<ClassName> {
        let s: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '«' && *c != '»')
            .collect();
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        let letter: String = s[digits.len()..].to_uppercase();
        let parallel: i16 = digits.parse().ok()?;
        let one_letter = letter.chars().count() == 1
            && letter.chars().all(|c| ('А'..='Я').contains(&c) || c == 'Ё');
        ((1..=11).contains(&parallel) && one_letter).then_some(ClassName { parallel, letter })
    }
}

impl std::fmt::Display for ClassName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.parallel, self.letter)
    }
}

/// Names, birthday and sex of a person as a roster row gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub last: String,
    pub first: String,
    pub middle: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    pub names: Names,
    pub relation: Relation,
    pub phone: String,
    pub email: String,
}

/// One student of the roster, as read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The row's number in the file or sheet, as the clerk sees it.
    pub row: usize,
    pub class: ClassName,
    pub file_number: String,
    pub names: Names,
    pub birthday: Date,
    pub sex: Sex,
    /// The first is the main contact.
    pub parents: Vec<Parent>,
}

/// A field of the roster, found by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Class,
    FileNumber,
    Last,
    First,
    Middle,
    Birthday,
    Sex,
    Parent(usize, ParentField),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParentField {
    Last,
    First,
    Middle,
    Relation,
    Phone,
    Email,
}

impl ParentField {
    const ALL: [ParentField; 6] = [
        ParentField::Last,
        ParentField::First,
        ParentField::Middle,
        ParentField::Relation,
        ParentField::Phone,
        ParentField::Email,
    ];

    fn russian(self) -> &'static str {
        match self {
            ParentField::Last => "фамилия",
            ParentField::First => "имя",
            ParentField::Middle => "отчество",
            ParentField::Relation => "кем приходится",
            ParentField::Phone => "телефон",
            ParentField::Email => "email",
        }
    }
}

impl Field {
    /// The header the template writes (and the export, so an export imports back).
    pub fn header(self) -> String {
        match self {
            Field::Class => "Класс".into(),
            Field::FileNumber => "Номер личного дела".into(),
            Field::Last => "Фамилия".into(),
            Field::First => "Имя".into(),
            Field::Middle => "Отчество".into(),
            Field::Birthday => "Дата рождения".into(),
            Field::Sex => "Пол".into(),
            Field::Parent(n, f) => format!("Родитель {}: {}", n + 1, f.russian()),
        }
    }

    /// Every field in the template's order.
    pub fn all() -> Vec<Field> {
        let mut out = vec![
            Field::Class,
            Field::FileNumber,
            Field::Last,
            Field::First,
            Field::Middle,
            Field::Birthday,
            Field::Sex,
        ];
        for n in 0..PARENTS {
            out.extend(ParentField::ALL.iter().map(|f| Field::Parent(n, *f)));
        }
        out
    }

    /// The field a header names, if any: the template's words, their common variants and
    /// the English ones, in any case, with «ё» as «е».
    pub fn recognise(header: &str) -> Option<Field> {
        let h = header
            .trim()
            .to_lowercase()
            .replace('ё', "е")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(f) = parent_field(&h) {
            return Some(f);
        }
        Some(match h.as_str() {
            "класс" | "class" => Field::Class,
            "номер личного дела"
            | "личное дело"
            | "№ личного дела"
            | "personal file number"
            | "file number" => Field::FileNumber,
            "фамилия" | "last name" | "surname" => Field::Last,
            "имя" | "first name" => Field::First,
            "отчество" | "middle name" | "patronymic" => Field::Middle,
            "дата рождения" | "birthday" | "date of birth" => Field::Birthday,
            "пол" | "sex" => Field::Sex,
            _ => return None,
        })
    }
}

/// «Родитель 1: фамилия», «родитель 2: телефон», «Parent 1: email»…
fn parent_field(h: &str) -> Option<Field> {
    let rest = h
        .strip_prefix("родитель")
        .or_else(|| h.strip_prefix("parent"))?;
    let (n, what) = rest.split_once(':')?;
    let n: usize = n.trim().parse().ok()?;
    if !(1..=PARENTS).contains(&n) {
        return None;
    }
    let f = match what.trim() {
        "фамилия" | "last name" => ParentField::Last,
        "имя" | "first name" => ParentField::First,
        "отчество" | "middle name" => ParentField::Middle,
        "кем приходится" | "степень родства" | "relation" => {
            ParentField::Relation
        }
        "телефон" | "phone" => ParentField::Phone,
        "email" | "e-mail" | "эл. почта" | "электронная почта" => {
            ParentField::Email
        }
        _ => return None,
    };
    Some(Field::Parent(n - 1, f))
}

/// What is wrong with a cell, a row or the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// A column the roster cannot do without is not in the header row.
    MissingColumn(Field),
    /// The same column twice in the header row.
    DuplicateColumn(Field),
    /// A required cell is empty.
    Required,
    /// Not a class of 1–11 with one letter.
    BadClass,
    /// Not a date as ДД.ММ.ГГГГ, ГГГГ-ММ-ДД or an Excel date.
    BadDate,
    /// A birthday in the future or more than 25 years ago.
    ImplausibleBirthday,
    BadSex,
    BadRelation,
    BadEmail,
    BadPhone,
    TooLong,
    /// A control character (a tab or line break pasted into a name).
    BadCharacters,
    /// A parent given only in part: a phone without a name, say.
    IncompleteParent,
    /// The same personal file number on another row of the file (that row's number).
    DuplicateFileNumber(usize),
}

/// A problem with its place: the row (1-based, as in the spreadsheet) and the column's
/// header as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub column: Option<String>,
    pub fault: Fault,
}

/// A roster read from a table: the lines that are right and the problems of the rest.
#[derive(Debug, Clone, Default)]
pub struct Read {
    pub lines: Vec<Line>,
    pub problems: Vec<Problem>,
}

const REQUIRED: [Field; 6] = [
    Field::Class,
    Field::FileNumber,
    Field::Last,
    Field::First,
    Field::Birthday,
    Field::Sex,
];

/// Reads the roster from a table's rows (the first non-empty row is the header). `today`
/// bounds a plausible birthday.
pub fn read(rows: &[Row], today: Date) -> Read {
    let Some((header, body)) = rows.split_first() else {
        return Read::default();
    };
    let mut out = Read::default();
    let columns = match columns(header) {
        Ok(c) => c,
        Err(problems) => {
            out.problems = problems;
            return out;
        }
    };
    for row in body {
        let cells = Cells {
            row,
            columns: &columns,
        };
        match cells.line(today) {
            Ok(line) => out.lines.push(line),
            Err(mut p) => out.problems.append(&mut p),
        }
    }
    duplicates(&mut out);
    out
}

/// Which column holds which field, with the header as written.
type Columns = Vec<(Field, usize, String)>;

fn columns(header: &Row) -> Result<Columns, Vec<Problem>> {
    let mut found: Columns = Vec::new();
    let mut problems = Vec::new();
    for (i, h) in header.cells.iter().enumerate() {
        let Some(f) = Field::recognise(h) else {
            continue;
        };
        if found.iter().any(|(g, _, _)| *g == f) {
            problems.push(Problem {
                row: header.line,
                column: Some(h.clone()),
                fault: Fault::DuplicateColumn(f),
            });
        } else {
            found.push((f, i, h.clone()));
        }
    }
    for f in REQUIRED {
        if !found.iter().any(|(g, _, _)| *g == f) {
            problems.push(Problem {
                row: header.line,
                column: Some(f.header()),
                fault: Fault::MissingColumn(f),
            });
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

struct Cells<'a> {
    row: &'a Row,
    columns: &'a Columns,
}

impl Cells<'_> {
    fn get(&self, f: Field) -> &str {
        self.columns
            .iter()
            .find(|(g, _, _)| *g == f)
            .and_then(|(_, i, _)| self.row.cells.get(*i))
            .map_or("", |s| unneutralised(s.trim()))
    }

    fn problem(&self, f: Field, fault: Fault) -> Problem {
        let column = self
            .columns
            .iter()
            .find(|(g, _, _)| *g == f)
            .map_or_else(|| f.header(), |(_, _, h)| h.clone());
        Problem {
            row: self.row.line,
            column: Some(column),
            fault,
        }
    }

    /// A text cell: required or not, within [`TEXT_MAX`].
    fn text(&self, f: Field, required: bool, problems: &mut Vec<Problem>) -> String {
        let v = self.get(f);
        if required && v.is_empty() {
            problems.push(self.problem(f, Fault::Required));
        } else if v.chars().count() > TEXT_MAX {
            problems.push(self.problem(f, Fault::TooLong));
        } else if v.chars().any(char::is_control) {
            problems.push(self.problem(f, Fault::BadCharacters));
        }
        v.to_owned()
    }

    fn line(&self, today: Date) -> Result<Line, Vec<Problem>> {
        let mut p = Vec::new();
        let class = ClassName::parse(self.get(Field::Class));
        if class.is_none() {
            let fault = if self.get(Field::Class).is_empty() {
                Fault::Required
            } else {
                Fault::BadClass
            };
            p.push(self.problem(Field::Class, fault));
        }
        let file_number = self.text(Field::FileNumber, true, &mut p);
        let names = Names {
            last: self.text(Field::Last, true, &mut p),
            first: self.text(Field::First, true, &mut p),
            middle: self.text(Field::Middle, false, &mut p),
        };
        let birthday = self.birthday(today, &mut p);
        let sex = match self.get(Field::Sex) {
            "" => {
                p.push(self.problem(Field::Sex, Fault::Required));
                None
            }
            raw => Sex::parse(raw).or_else(|| {
                p.push(self.problem(Field::Sex, Fault::BadSex));
                None
            }),
        };
        let parents: Vec<Parent> = (0..PARENTS)
            .filter_map(|n| self.parent(n, &mut p))
            .collect();
        match (class, birthday, sex) {
            (Some(class), Some(birthday), Some(sex)) if p.is_empty() => Ok(Line {
                row: self.row.line,
                class,
                file_number,
                names,
                birthday,
                sex,
                parents,
            }),
            _ => Err(p),
        }
    }

    fn birthday(&self, today: Date, p: &mut Vec<Problem>) -> Option<Date> {
        let raw = self.get(Field::Birthday);
        if raw.is_empty() {
            p.push(self.problem(Field::Birthday, Fault::Required));
            return None;
        }
        let Some(date) = parse_date(raw) else {
            p.push(self.problem(Field::Birthday, Fault::BadDate));
            return None;
        };
        let oldest = today.saturating_sub(jiff::Span::new().years(25));
        if date > today || date < oldest {
            p.push(self.problem(Field::Birthday, Fault::ImplausibleBirthday));
            return None;
        }
        Some(date)
    }

    /// Parent `n` of the row: none when all of their cells are empty.
    fn parent(&self, n: usize, p: &mut Vec<Problem>) -> Option<Parent> {
        let f = |pf| Field::Parent(n, pf);
        if ParentField::ALL
            .iter()
            .all(|pf| self.get(f(*pf)).is_empty())
        {
            return None;
        }
        let before = p.len();
        let names = Names {
            last: self.text(f(ParentField::Last), false, p),
            first: self.text(f(ParentField::First), false, p),
            middle: self.text(f(ParentField::Middle), false, p),
        };
        for part in [ParentField::Last, ParentField::First] {
            if self.get(f(part)).is_empty() {
                p.push(self.problem(f(part), Fault::IncompleteParent));
            }
        }
        let relation = match self.get(f(ParentField::Relation)) {
            "" => Relation::Other,
            raw => Relation::parse(raw).unwrap_or_else(|| {
                p.push(self.problem(f(ParentField::Relation), Fault::BadRelation));
                Relation::Other
            }),
        };
        let phone = self.text(f(ParentField::Phone), false, p);
        if !phone.is_empty() && !plausible_phone(&phone) {
            p.push(self.problem(f(ParentField::Phone), Fault::BadPhone));
        }
        let email = self.text(f(ParentField::Email), false, p);
        if !email.is_empty() && !plausible_email(&email) {
            p.push(self.problem(f(ParentField::Email), Fault::BadEmail));
        }
        (p.len() == before).then_some(Parent {
            names,
            relation,
            phone,
            email,
        })
    }
}

/// A cell as Zhurnal's own export wrote it: the apostrophe that keeps `+7 914…` from being
/// taken as a formula is not part of the value.
fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// The same personal file number on two rows: the later row is the problem.
fn duplicates(read: &mut Read) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut keep = Vec::with_capacity(read.lines.len());
    for line in std::mem::take(&mut read.lines) {
        let key = line.file_number.clone();
        if let Some(first) = seen.get(&key) {
            read.problems.push(Problem {
                row: line.row,
                column: Some(Field::FileNumber.header()),
                fault: Fault::DuplicateFileNumber(*first),
            });
        } else {
            seen.insert(key, line.row);
            keep.push(line);
        }
    }
    read.lines = keep;
    read.problems.sort_by_key(|p| p.row);
}

/// The template: the header row a roster is read by, as CSV any spreadsheet opens.
pub fn template_csv() -> Vec<u8> {
    let headers: Vec<String> = Field::all().into_iter().map(Field::header).collect();
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    crate::export::csv(&refs, Vec::<Vec<String>>::new())
}

/// A date as Russian spreadsheets write it (ДД.ММ.ГГГГ, also with `/` or `-`), ISO
/// (ГГГГ-ММ-ДД), or an Excel date cell (days since 1899-12-30, as a workbook stores it).
pub fn parse_date(raw: &str) -> Option<Date> {
    let s = raw.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    if let Ok(serial) = s.parse::<f64>() {
        // A workbook's date cell: whole days from Excel's epoch (1900 system).
        if (1.0..80_000.0).contains(&serial) && serial.fract() == 0.0 {
            let epoch = Date::new(1899, 12, 30).ok()?;
            return epoch
                .checked_add(jiff::Span::new().days(serial as i64))
                .ok();
        }
        return None;
    }
    let parts: Vec<&str> = s.split(['.', '/', '-']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let (d, m, y): (i8, i8, i16) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    if y < 1900 {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// The date as a Russian spreadsheet writes it: ДД.ММ.ГГГГ.
pub fn russian_date(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

/// 10 to 15 digits once spaces, dashes, brackets and a leading `+` are set aside.
pub fn plausible_phone(raw: &str) -> bool {
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    raw.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+'))
        && (10..=15).contains(&digits)
}

/// One `@` with something on each side and a dot in the domain; no spaces.
pub fn plausible_email(raw: &str) -> bool {
    let Some((local, domain)) = raw.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: usize, cells: &[&str]) -> Row {
        Row {
            line,
            cells: cells.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn today() -> Date {
        Date::new(2026, 9, 1).unwrap()
    }

    #[test]
    fn headers_are_found_by_name_in_any_order_and_language() {
        assert_eq!(Field::recognise(" ФАМИЛИЯ "), Some(Field::Last));
        assert_eq!(Field::recognise("Date of birth"), Some(Field::Birthday));
        assert_eq!(
            Field::recognise("Родитель 2:  Кем приходится"),
            Some(Field::Parent(1, ParentField::Relation))
        );
        assert_eq!(
            Field::recognise("parent 1: e-mail"),
            Some(Field::Parent(0, ParentField::Email))
        );
        assert_eq!(Field::recognise("Родитель 3: имя"), None);
        assert_eq!(Field::recognise("Примечание"), None);
        for f in Field::all() {
            assert_eq!(Field::recognise(&f.header()), Some(f), "{}", f.header());
        }
    }

    #[test]
    fn a_good_row_is_read_with_its_parents() {
        let rows = [
            row(
                1,
                &[
                    "Примечание",
                    "Пол",
                    "Дата рождения",
                    "Отчество",
                    "Имя",
                    "Фамилия",
                    "Номер личного дела",
                    "Класс",
                    "Родитель 1: фамилия",
                    "Родитель 1: имя",
                    "Родитель 1: кем приходится",
                    "Родитель 1: телефон",
                ],
            ),
            row(
                2,
                &[
                    "любое",
                    "Ж",
                    "03.05.2019",
                    "Сергеевна",
                    "Алиса",
                    "Волкова",
                    "А-17",
                    "1 а",
                    "Волкова",
                    "Ирина",
                    "Мать",
                    "+7 (914) 123-45-67",
                ],
            ),
        ];
        let read = read(&rows, today());
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let line = &read.lines[0];
        assert_eq!(line.class.to_string(), "1А");
        assert_eq!(line.birthday, Date::new(2019, 5, 3).unwrap());
        assert_eq!(line.sex, Sex::Female);
        assert_eq!(line.parents.len(), 1);
        assert_eq!(line.parents[0].relation, Relation::Mother);
    }

    #[test]
    fn each_fault_is_named_by_row_and_column() {
        let header = row(
            1,
            &[
                "Класс",
                "Номер личного дела",
                "Фамилия",
                "Имя",
                "Дата рождения",
                "Пол",
                "Родитель 1: телефон",
            ],
        );
        let rows = [
            header,
            row(2, &["12В", "1", "Иванов", "Иван", "31.02.2018", "x", ""]),
            row(3, &["2Б", "2", "Петров", "", "2030-01-01", "м", "12"]),
            row(4, &["2Б", "1", "Сидоров", "Олег", "01.01.2018", "м", ""]),
        ];
        let read = read(&rows, today());
        let at = |r: usize, c: &str| {
            read.problems
                .iter()
                .find(|p| p.row == r && p.column.as_deref() == Some(c))
                .map(|p| p.fault.clone())
        };
        assert_eq!(at(2, "Класс"), Some(Fault::BadClass));
        assert_eq!(at(2, "Дата рождения"), Some(Fault::BadDate));
        assert_eq!(at(2, "Пол"), Some(Fault::BadSex));
        assert_eq!(at(3, "Имя"), Some(Fault::Required));
        assert_eq!(at(3, "Дата рождения"), Some(Fault::ImplausibleBirthday));
        // A parent with a phone and no name: the name's column is named, even though the
        // file has no such column, and the phone is checked as well.
        assert_eq!(at(3, "Родитель 1: фамилия"), Some(Fault::IncompleteParent));
        assert_eq!(at(3, "Родитель 1: телефон"), Some(Fault::BadPhone));
        // Row 2 was refused, so row 4's number is not a duplicate of a kept line.
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.lines[0].row, 4);
    }

    #[test]
    fn a_missing_column_is_named_and_no_row_is_read() {
        let rows = [
            row(1, &["Класс", "Фамилия", "Имя"]),
            row(2, &["1А", "Иванов", "Иван"]),
        ];
        let read = read(&rows, today());
        assert!(read.lines.is_empty());
        assert!(read.problems.contains(&Problem {
            row: 1,
            column: Some("Дата рождения".into()),
            fault: Fault::MissingColumn(Field::Birthday),
        }));
    }

    #[test]
    fn duplicate_file_numbers_point_at_the_first_row() {
        let header = row(
            1,
            &[
                "Класс",
                "Номер личного дела",
                "Фамилия",
                "Имя",
                "Дата рождения",
                "Пол",
            ],
        );
        let rows = [
            header,
            row(2, &["1А", "К-1", "Иванов", "Иван", "2019-01-01", "м"]),
            row(3, &["1Б", "К-1", "Петров", "Пётр", "2019-01-02", "м"]),
        ];
        let read = read(&rows, today());
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.problems[0].fault, Fault::DuplicateFileNumber(2));
        assert_eq!(read.problems[0].row, 3);
    }

    #[test]
    fn dates_as_spreadsheets_write_them() {
        let may3 = Date::new(2019, 5, 3).unwrap();
        assert_eq!(parse_date("03.05.2019"), Some(may3));
        assert_eq!(parse_date("3.5.2019"), Some(may3));
        assert_eq!(parse_date("2019-05-03"), Some(may3));
        assert_eq!(parse_date("03/05/2019"), Some(may3));
        // Excel's serial for 2019-05-03.
        assert_eq!(parse_date("43588"), Some(may3));
        assert_eq!(parse_date("43588.5"), None);
        assert_eq!(parse_date("31.02.2019"), None);
        assert_eq!(parse_date("03.05.19"), None);
        assert_eq!(russian_date(may3), "03.05.2019");
    }

    #[test]
    fn classes_sexes_relations_phones_emails() {
        assert_eq!(
            ClassName::parse("10-б"),
            Some(ClassName {
                parallel: 10,
                letter: "Б".into()
            })
        );
        assert_eq!(ClassName::parse("0А"), None);
        assert_eq!(ClassName::parse("5AB"), None);
        assert_eq!(
            ClassName::parse("5A"),
            None,
            "a Latin A is not a class letter"
        );
        assert_eq!(Sex::parse("Муж."), Some(Sex::Male));
        assert_eq!(Sex::parse("female"), Some(Sex::Female));
        assert_eq!(Relation::parse("Опекун"), Some(Relation::Guardian));
        assert_eq!(Relation::parse("сосед"), None);
        assert!(plausible_phone("+7 (914) 123-45-67"));
        assert!(!plausible_phone("12-34"));
        assert!(plausible_email("irina@example.ru"));
        assert!(!plausible_email("irina@example"));
        assert!(!plausible_email("iri na@example.ru"));
    }
}
