//! Tables written for spreadsheets. CSV as Russian Excel opens it — UTF-8 with a BOM, `;`
//! between cells — quoted wherever a cell holds a separator, a quote or a line break, and
//! every text cell a spreadsheet would run as a formula neutralised: a period named
//! `=HYPERLINK(…)` by someone must reach the reader as that text, never as a live link.

use std::borrow::Cow;

/// A cell as a spreadsheet shows it: text that begins like a formula (`=`, `+`, `-`, `@`,
/// or a tab or carriage return before one) gets an apostrophe in front, which spreadsheets
/// take as «this is text»; numbers, even negative ones, stay numbers.
pub fn neutralised(cell: &str) -> Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    let number = cell.replace(',', ".").parse::<f64>().is_ok();
    if risky && !number {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The CSV file of a table: its header, then its rows, each cell neutralised and quoted as
/// needed.
pub fn csv<R, C>(header: &[&str], rows: R) -> Vec<u8>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    // Writing to memory cannot fail; a cell count that varies is the caller's bug, and the
    // row is still written as given.
    let _ = writer.write_record(header.iter().map(|h| neutralised(h).into_owned()));
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|c| neutralised(c.as_ref()).into_owned())
            .collect();
        let _ = writer.write_record(&cells);
    }
    let _ = writer.flush();
    drop(writer);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay() {
        assert_eq!(neutralised("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralised("+7 999"), "'+7 999");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("-"), "'-");
        assert_eq!(neutralised("\t=1+1"), "'\t=1+1");
        assert_eq!(neutralised("-5"), "-5");
        assert_eq!(neutralised("4,50"), "4,50");
        assert_eq!(neutralised("I четверть"), "I четверть");
        assert_eq!(neutralised(""), "");
    }

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        let bytes = csv(
            &["Класс", "Ученик"],
            [["7Б", "Иванов; Пётр"], ["7\"Б\"", "строка\nвторая"]],
        );
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}Класс;Ученик\r\n7Б;\"Иванов; Пётр\"\r\n\"7\"\"Б\"\"\";\"строка\nвторая\"\r\n"
        );
    }
}
