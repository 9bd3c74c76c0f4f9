//! Tables as teachers bring them: a CSV saved from a spreadsheet (UTF-8 or, as Russian
//! Excel writes it, Windows-1251; `;`, `,` or tab separated) or an Excel workbook (XLSX,
//! its first sheet). Both become the same rows of trimmed text cells, so an importer
//! parses one shape and names lines the way the teacher sees them in the spreadsheet.

use std::collections::HashMap;

/// One non-empty row: its 1-based number in the file or sheet, and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is neither a CSV text nor an Excel workbook (XLSX)")]
    Unreadable,
    #[error("the Excel workbook is damaged: {0}")]
    Damaged(String),
}

/// Reads a CSV text or an XLSX workbook, told apart by content (XLSX is a ZIP archive).
pub fn read(bytes: &[u8]) -> Result<Vec<Row>, SheetError> {
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_rows(bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // The old binary .xls: say so rather than show mojibake.
        return Err(SheetError::Unreadable);
    } else {
        csv_rows(&decode_text(bytes))
    };
    if rows.is_empty() {
        return Err(SheetError::Empty);
    }
    Ok(rows)
}

/// UTF-8 when it is valid UTF-8 (with or without a BOM), otherwise Windows-1251.
pub fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => bytes.iter().map(|&b| cp1251(b)).collect(),
    }
}

/// Windows-1251 to Unicode.
fn cp1251(b: u8) -> char {
    const HIGH: [u16; 64] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409,
        0x2039, 0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0,
        0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB,
        0x00AC, 0x00AD, 0x00AE, 0x0407, 0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6,
        0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ];
    match b {
        0..=0x7F => b as char,
        0x80..=0xBF => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        // А…я are contiguous.
        _ => char::from_u32(0x0410 + u32::from(b - 0xC0)).unwrap_or('\u{FFFD}'),
    }
}

/// Splits one line by `sep`, honouring double quotes (`"a; b"`, `""` for a quote).
pub fn split(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out.into_iter().map(|f| f.trim().to_owned()).collect()
}

/// The separator of a CSV file, taken from its first line.
pub fn separator(first: &str) -> char {
    if first.contains('\t') {
        '\t'
    } else if first.contains(';') {
        ';'
    } else {
        ','
    }
}

/// The non-empty lines of a CSV text, split into cells.
pub fn csv_rows(text: &str) -> Vec<Row> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .peekable();
    let Some((_, first)) = lines.peek().copied() else {
        return Vec::new();
    };
    let sep = separator(first);
    lines
        .map(|(i, l)| Row {
            line: i + 1,
            cells: split(l, sep),
        })
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect()
}

/// Larger entries are refused: a planning table is kilobytes, a ZIP bomb is gigabytes.
const MAX_ENTRY: usize = 32 << 20;

/// The entries of a ZIP archive by name: (compression method, compressed bytes, size).
type Entries<'a> = HashMap<String, (u16, &'a [u8], usize)>;

fn zip_entries(bytes: &[u8]) -> Result<Entries<'_>, SheetError> {
    let bad = |what: &str| SheetError::Damaged(what.to_owned());
    let u16_at = |at: usize| -> Result<u16, SheetError> {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| bad("truncated"))
    };
    let u32_at = |at: usize| -> Result<usize, SheetError> {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .ok_or_else(|| bad("truncated"))
    };
    // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
    let lowest = bytes.len().saturating_sub(22 + 0xFFFF);
    let eocd = (lowest..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))
        .ok_or_else(|| bad("no central directory"))?;
    let count = usize::from(u16_at(eocd + 10)?);
    let mut at = u32_at(eocd + 16)?;
    let mut out = HashMap::new();
    for _ in 0..count {
        if !bytes
            .get(at..)
            .is_some_and(|b| b.starts_with(b"PK\x01\x02"))
        {
            return Err(bad("bad central directory entry"));
        }
        let method = u16_at(at + 10)?;
        let packed = u32_at(at + 20)?;
        let size = u32_at(at + 24)?;
        let name_len = usize::from(u16_at(at + 28)?);
        let extra_len = usize::from(u16_at(at + 30)?);
        let comment_len = usize::from(u16_at(at + 32)?);
        let local = u32_at(at + 42)?;
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| bad("truncated name"))?;
        let name = String::from_utf8_lossy(name).into_owned();
        at += 46 + name_len + extra_len + comment_len;
        if !bytes
            .get(local..)
            .is_some_and(|b| b.starts_with(b"PK\x03\x04"))
        {
            return Err(bad("bad local header"));
        }
        let start =
            local + 30 + usize::from(u16_at(local + 26)?) + usize::from(u16_at(local + 28)?);
        let data = bytes
            .get(start..start + packed)
            .ok_or_else(|| bad("truncated entry"))?;
        out.insert(name, (method, data, size));
    }
    Ok(out)
}

fn unzip(entries: &Entries<'_>, name: &str) -> Result<Option<String>, SheetError> {
    let Some(&(method, data, size)) = entries.get(name) else {
        return Ok(None);
    };
    if size > MAX_ENTRY {
        return Err(SheetError::Damaged(format!("{name} is too large")));
    }
    let raw = match method {
        0 => data.to_vec(),
        8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, MAX_ENTRY)
            .map_err(|_| SheetError::Damaged(format!("{name} does not inflate")))?,
        m => {
            return Err(SheetError::Damaged(format!(
                "{name}: compression method {m}"
            )));
        }
    };
    String::from_utf8(raw)
        .map(Some)
        .map_err(|_| SheetError::Damaged(format!("{name} is not UTF-8")))
}

/// An XML event stream reduced to what a sheet needs: element starts (with attributes),
/// ends, and text with entities resolved.
enum Xml {
    Open(String, Vec<(String, String)>, bool),
    Close(String),
    Text(String),
}

fn xml_events(xml: &str) -> Result<Vec<Xml>, SheetError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let damaged = |e: &dyn std::fmt::Display| SheetError::Damaged(e.to_string());
    let attrs = |e: &quick_xml::events::BytesStart| {
        e.attributes()
            .with_checks(false)
            .flatten()
            .map(|a| {
                let key = a.key.local_name().as_ref().to_owned();
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| a.value.clone().into_owned());
                (key, value)
            })
            .collect::<Vec<_>>()
    };
    let name = |n: quick_xml::name::LocalName| n.as_ref().to_owned();
    loop {
        match reader.read_event().map_err(|e| damaged(&e))? {
            Event::Start(e) => out.push(Xml::Open(name(e.local_name()), attrs(&e), false)),
            Event::Empty(e) => out.push(Xml::Open(name(e.local_name()), attrs(&e), true)),
            Event::End(e) => out.push(Xml::Close(name(e.local_name()))),
            Event::Text(t) => out.push(Xml::Text(t.xml10_content().into_owned())),
            Event::CData(t) => out.push(Xml::Text(t.xml10_content().into_owned())),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().map_err(|e| damaged(&e))? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .unwrap_or_default()
                        .to_owned(),
                };
                out.push(Xml::Text(text));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The column index of a cell reference: `A1` → 0, `AB7` → 27.
fn column_of(reference: &str) -> Option<usize> {
    let letters: String = reference
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    if letters.is_empty() {
        return None;
    }
    Some(
        letters.bytes().fold(0usize, |n, b| {
            n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1)
        }) - 1,
    )
}

/// The path of the workbook's first sheet, from the workbook and its relations.
fn first_sheet(entries: &Entries<'_>) -> Result<String, SheetError> {
    let fallback = "xl/worksheets/sheet1.xml".to_owned();
    let (Some(book), Some(rels)) = (
        unzip(entries, "xl/workbook.xml")?,
        unzip(entries, "xl/_rels/workbook.xml.rels")?,
    ) else {
        return Ok(fallback);
    };
    let rid = xml_events(&book)?.into_iter().find_map(|e| match e {
        Xml::Open(n, a, _) if n == "sheet" => attr(&a, "id").map(str::to_owned),
        _ => None,
    });
    let Some(rid) = rid else {
        return Ok(fallback);
    };
    let target = xml_events(&rels)?.into_iter().find_map(|e| match e {
        Xml::Open(n, a, _) if n == "Relationship" && attr(&a, "Id") == Some(&rid) => {
            attr(&a, "Target").map(str::to_owned)
        }
        _ => None,
    });
    Ok(match target {
        Some(t) if t.starts_with('/') => t.trim_start_matches('/').to_owned(),
        Some(t) => format!("xl/{t}"),
        None => fallback,
    })
}

/// The non-empty rows of the first sheet of an XLSX workbook, cells as displayed text
/// (numbers as written in the file, shared and inline strings resolved).
pub fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Row>, SheetError> {
    let entries = zip_entries(bytes)?;
    let mut shared = Vec::new();
    if let Some(xml) = unzip(&entries, "xl/sharedStrings.xml")? {
        let mut current: Option<String> = None;
        let mut in_text = false;
        for e in xml_events(&xml)? {
            match e {
                Xml::Open(n, _, empty) if n == "si" => {
                    if empty {
                        shared.push(String::new());
                    } else {
                        current = Some(String::new());
                    }
                }
                Xml::Close(n) if n == "si" => shared.push(current.take().unwrap_or_default()),
                // Phonetic runs (<rPh>) carry readings, not the text.
                Xml::Open(n, _, false) if n == "t" => in_text = true,
                Xml::Close(n) if n == "t" => in_text = false,
                Xml::Open(n, _, false) if n == "rPh" => current = current.map(|c| c + "\u{0}"),
                Xml::Close(n) if n == "rPh" => {
                    current =
                        current.map(|c| c.split('\u{0}').next().unwrap_or_default().to_owned());
                }
                Xml::Text(t) if in_text => {
                    if let Some(c) = current.as_mut() {
                        c.push_str(&t);
                    }
                }
                _ => {}
            }
        }
    }
    let sheet_path = first_sheet(&entries)?;
    let xml = unzip(&entries, &sheet_path)?
        .ok_or_else(|| SheetError::Damaged("no worksheet".to_owned()))?;
    let mut rows = Vec::new();
    let mut row: Option<Row> = None;
    // The cell being read: its column, type, and text gathered from <v> or <is><t>.
    let mut cell: Option<(usize, String, String)> = None;
    let mut in_value = false;
    for e in xml_events(&xml)? {
        match e {
            Xml::Open(n, a, empty) if n == "row" => {
                let line = attr(&a, "r")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(rows.len() + 1);
                let r = Row {
                    line,
                    cells: Vec::new(),
                };
                if !empty {
                    row = Some(r);
                }
            }
            Xml::Close(n) if n == "row" => {
                if let Some(r) = row.take()
                    && r.cells.iter().any(|c| !c.is_empty())
                {
                    rows.push(r);
                }
            }
            Xml::Open(n, a, empty) if n == "c" => {
                let col = attr(&a, "r")
                    .and_then(column_of)
                    .unwrap_or_else(|| row.as_ref().map_or(0, |r| r.cells.len()));
                let kind = attr(&a, "t").unwrap_or("n").to_owned();
                if !empty {
                    cell = Some((col, kind, String::new()));
                }
            }
            Xml::Open(n, _, false) if n == "v" || n == "t" => in_value = true,
            Xml::Close(n) if n == "v" || n == "t" => in_value = false,
            Xml::Text(t) if in_value => {
                if let Some(c) = cell.as_mut() {
                    c.2.push_str(&t);
                }
            }
            Xml::Close(n) if n == "c" => {
                if let (Some((col, kind, text)), Some(r)) = (cell.take(), row.as_mut()) {
                    let value = match kind.as_str() {
                        "s" => text
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i).cloned())
                            .unwrap_or_default(),
                        "b" => if text.trim() == "1" {
                            "ИСТИНА"
                        } else {
                            "ЛОЖЬ"
                        }
                        .to_owned(),
                        _ => text,
                    };
                    if r.cells.len() <= col {
                        r.cells.resize(col + 1, String::new());
                    }
                    r.cells[col] = value.trim().to_owned();
                }
            }
            _ => {}
        }
    }
    Ok(rows)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal ZIP writer for tests: `deflate` packs entries the way Excel does.
    pub fn zip(files: &[(&str, &str)], deflate: bool) -> Vec<u8> {
        fn crc32(data: &[u8]) -> u32 {
            let mut crc = !0u32;
            for &b in data {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let (mut out, mut dir) = (Vec::new(), Vec::new());
        for (name, text) in files {
            let data = text.as_bytes();
            let packed = if deflate {
                miniz_oxide::deflate::compress_to_vec(data, 6)
            } else {
                data.to_vec()
            };
            let method: u16 = if deflate { 8 } else { 0 };
            let offset = out.len() as u32;
            let mut header = Vec::new();
            header.extend_from_slice(&[0, 0]); // flags
            header.extend_from_slice(&method.to_le_bytes());
            header.extend_from_slice(&[0, 0, 0, 0]); // time, date
            header.extend_from_slice(&crc32(data).to_le_bytes());
            header.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            header.extend_from_slice(&(data.len() as u32).to_le_bytes());
            header.extend_from_slice(&(name.len() as u16).to_le_bytes());
            header.extend_from_slice(&[0, 0]); // extra
            out.extend_from_slice(b"PK\x03\x04\x14\x00");
            out.extend_from_slice(&header);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&packed);
            dir.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00");
            dir.extend_from_slice(&header);
            dir.extend_from_slice(&[0; 10]); // comment, disk, attributes
            dir.extend_from_slice(&offset.to_le_bytes());
            dir.extend_from_slice(name.as_bytes());
        }
        let dir_offset = out.len() as u32;
        out.extend_from_slice(&dir);
        out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00");
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
        out.extend_from_slice(&dir_offset.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    /// A one-sheet workbook of `rows` as Excel writes it: shared strings for text,
    /// plain values for numbers.
    pub fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
        let mut shared: Vec<String> = Vec::new();
        let mut sheet = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        for (r, row) in rows.iter().enumerate() {
            sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, value) in row.iter().enumerate() {
                let reference = format!("{}{}", (b'A' + c as u8) as char, r + 1);
                if value.is_empty() {
                    continue;
                }
                if value.parse::<f64>().is_ok() {
                    sheet.push_str(&format!(r#"<c r="{reference}"><v>{value}</v></c>"#));
                } else {
                    shared.push(esc(value));
                    let i = shared.len() - 1;
                    sheet.push_str(&format!(r#"<c r="{reference}" t="s"><v>{i}</v></c>"#));
                }
            }
            sheet.push_str("</row>");
        }
        sheet.push_str("</sheetData></worksheet>");
        let strings = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">{1}</sst>"#,
            shared.len(),
            shared
                .iter()
                .map(|s| format!("<si><t>{s}</t></si>"))
                .collect::<String>()
        );
        let book = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="КТП" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
        zip(
            &[
                ("[Content_Types].xml", "<Types/>"),
                ("xl/workbook.xml", book),
                ("xl/_rels/workbook.xml.rels", rels),
                ("xl/sharedStrings.xml", &strings),
                ("xl/worksheets/sheet1.xml", &sheet),
            ],
            true,
        )
    }

    #[test]
    fn csv_separator_quotes_and_blank_lines() {
        let rows =
            csv_rows("\u{feff}№;Тема\n\n1;\"Дроби; сложение\"\n2;\"Тема \"\"в кавычках\"\"\"\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].cells, vec!["1", "Дроби; сложение"]);
        assert_eq!(rows[2].cells[1], "Тема \"в кавычках\"");
        assert_eq!(csv_rows("a,b\n1,2")[1].cells, vec!["1", "2"]);
        assert_eq!(csv_rows("a\tb\n1\t2")[1].cells, vec!["1", "2"]);
    }

    #[test]
    fn windows_1251_is_read_as_cyrillic() {
        // «Тема; Ёж» in Windows-1251.
        let bytes = [0xD2, 0xE5, 0xEC, 0xE0, b';', b' ', 0xA8, 0xE6];
        assert_eq!(decode_text(&bytes), "Тема; Ёж");
        assert_eq!(read(&bytes).unwrap()[0].cells, vec!["Тема", "Ёж"]);
    }

    #[test]
    fn xlsx_first_sheet_with_shared_strings_and_gaps() {
        let book = xlsx(&[
            &["№", "Тема", "Часы"],
            &["1", "Дроби & проценты", "2"],
            &["2", "", "1"],
        ]);
        let rows = read(&book).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].cells, vec!["№", "Тема", "Часы"]);
        assert_eq!(rows[1].cells, vec!["1", "Дроби & проценты", "2"]);
        // An empty cell in the middle keeps the columns in place.
        assert_eq!(rows[2].cells, vec!["2", "", "1"]);
        assert_eq!(rows[2].line, 3);
    }

    #[test]
    fn xlsx_inline_strings_and_stored_entries() {
        let sheet = r#"<worksheet><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>Привет</t></is></c></row></sheetData></worksheet>"#;
        let book = zip(&[("xl/worksheets/sheet1.xml", sheet)], false);
        let rows = xlsx_rows(&book).unwrap();
        assert_eq!(
            rows,
            vec![Row {
                line: 2,
                cells: vec![String::new(), "Привет".into()]
            }]
        );
    }

    #[test]
    fn damaged_and_foreign_files_are_refused_clearly() {
        assert_eq!(read(b""), Err(SheetError::Empty));
        assert_eq!(
            read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]),
            Err(SheetError::Unreadable)
        );
        assert!(matches!(
            read(b"PK\x03\x04garbage"),
            Err(SheetError::Damaged(_))
        ));
        let mut book = xlsx(&[&["a"]]);
        book.truncate(book.len() / 2);
        assert!(read(&book).is_err());
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_of("A1"), Some(0));
        assert_eq!(column_of("Z9"), Some(25));
        assert_eq!(column_of("AB7"), Some(27));
        assert_eq!(column_of("7"), None);
    }
}
