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
    /// More than a school's table ever holds: refused before it costs memory or time.
    #[error("the table has more {what:?} than {limit}")]
    TooLarge { what: TooMuch, limit: usize },
}

/// What a table had too much of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooMuch {
    Rows,
    Columns,
    Cells,
    /// Text, after decompression: the bytes of one part of a workbook.
    Bytes,
}

/// The most a reader of outside tables accepts. A topic plan is a few hundred rows of a few
/// columns, a school's roster a few thousand; a file far beyond that is an attack or a
/// mistake, and is refused while it is read — never after it has been built in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub rows: usize,
    pub columns: usize,
    /// Cells of the sheet, and strings of a workbook's shared-strings part.
    pub cells: usize,
    /// Decompressed bytes of any one part of a workbook.
    pub bytes: usize,
}

impl Limits {
    /// For every import from a teacher's or a clerk's spreadsheet.
    pub const IMPORT: Limits = Limits {
        rows: 20_000,
        columns: 64,
        cells: 200_000,
        bytes: 8 << 20,
    };

    fn too(what: TooMuch, limit: usize) -> SheetError {
        SheetError::TooLarge { what, limit }
    }
}

/// Excel's own grid ends at column XFD: a reference beyond it is not a cell of any sheet.
const EXCEL_COLUMNS: usize = 16_384;

/// Reads a CSV text or an XLSX workbook, told apart by content (XLSX is a ZIP archive),
/// within [`Limits::IMPORT`].
pub fn read(bytes: &[u8]) -> Result<Vec<Row>, SheetError> {
    read_within(bytes, Limits::IMPORT)
}

/// [`read`] within other limits.
pub fn read_within(bytes: &[u8], limits: Limits) -> Result<Vec<Row>, SheetError> {
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_rows_within(bytes, limits)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // The old binary .xls: say so rather than show mojibake.
        return Err(SheetError::Unreadable);
    } else {
        if bytes.len() > limits.bytes {
            return Err(Limits::too(TooMuch::Bytes, limits.bytes));
        }
        // No text of a table holds NUL: a binary file, or UTF-16 that was not asked for.
        if bytes.contains(&0) {
            return Err(SheetError::Unreadable);
        }
        csv_rows_within(&decode_text(bytes), limits)?
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
    split_within(line, sep, usize::MAX).unwrap_or_default()
}

/// [`split`], giving up (`None`) as soon as the line has more than `columns` cells.
fn split_within(line: &str, sep: char, columns: usize) -> Option<Vec<String>> {
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
            c if c == sep && !quoted => {
                out.push(std::mem::take(&mut field));
                // The field after this separator makes one more.
                if out.len() >= columns {
                    return None;
                }
            }
            c => field.push(c),
        }
    }
    out.push(field);
    Some(out.into_iter().map(|f| f.trim().to_owned()).collect())
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
    let unlimited = Limits {
        rows: usize::MAX,
        columns: usize::MAX,
        cells: usize::MAX,
        bytes: usize::MAX,
    };
    csv_rows_within(text, unlimited).unwrap_or_default()
}

/// [`csv_rows`] within limits.
pub fn csv_rows_within(text: &str, limits: Limits) -> Result<Vec<Row>, SheetError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .peekable();
    let Some((_, first)) = lines.peek().copied() else {
        return Ok(Vec::new());
    };
    let sep = separator(first);
    let (mut rows, mut cells) = (Vec::new(), 0usize);
    for (i, l) in lines {
        let split = split_within(l, sep, limits.columns)
            .ok_or(Limits::too(TooMuch::Columns, limits.columns))?;
        if split.iter().all(String::is_empty) {
            continue;
        }
        cells += split.len();
        if cells > limits.cells {
            return Err(Limits::too(TooMuch::Cells, limits.cells));
        }
        if rows.len() == limits.rows {
            return Err(Limits::too(TooMuch::Rows, limits.rows));
        }
        rows.push(Row {
            line: i + 1,
            cells: split,
        });
    }
    Ok(rows)
}

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

fn unzip(entries: &Entries<'_>, name: &str, limit: usize) -> Result<Option<String>, SheetError> {
    let Some(&(method, data, size)) = entries.get(name) else {
        return Ok(None);
    };
    // The declared size is checked first and the inflation bounded too: the header may lie.
    if size > limit {
        return Err(Limits::too(TooMuch::Bytes, limit));
    }
    let raw = match method {
        0 => data.to_vec(),
        8 => {
            miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit).map_err(|e| match e
                .status
            {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                    Limits::too(TooMuch::Bytes, limit)
                }
                _ => SheetError::Damaged(format!("{name} does not inflate")),
            })?
        }
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

/// An XML event reduced to what a sheet needs: element starts (with attributes), ends,
/// and text with entities resolved.
enum Xml {
    Open(String, Vec<(String, String)>, bool),
    Close(String),
    Text(String),
}

/// Hands each event of an XML text to `each` as it is read, so a part of a workbook costs
/// memory for what is kept of it, not for its events.
fn each_xml(
    xml: &str,
    mut each: impl FnMut(Xml) -> Result<(), SheetError>,
) -> Result<(), SheetError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
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
        let event = match reader.read_event().map_err(|e| damaged(&e))? {
            Event::Start(e) => Xml::Open(name(e.local_name()), attrs(&e), false),
            Event::Empty(e) => Xml::Open(name(e.local_name()), attrs(&e), true),
            Event::End(e) => Xml::Close(name(e.local_name())),
            Event::Text(t) => Xml::Text(t.xml10_content().into_owned()),
            Event::CData(t) => Xml::Text(t.xml10_content().into_owned()),
            Event::GeneralRef(r) => {
                Xml::Text(match r.resolve_char_ref().map_err(|e| damaged(&e))? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .unwrap_or_default()
                        .to_owned(),
                })
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        each(event)?;
    }
}

/// The first event for which `pick` answers something.
fn find_xml<T>(xml: &str, mut pick: impl FnMut(Xml) -> Option<T>) -> Result<Option<T>, SheetError> {
    let mut found = None;
    each_xml(xml, |e| {
        if found.is_none() {
            found = pick(e);
        }
        Ok(())
    })?;
    Ok(found)
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Where a cell reference's column lies: `A1` → 0, `AB7` → 27; `None` without letters;
/// beyond Excel's last column (XFD) an error, whatever the letters add up to.
fn column_of(reference: &str) -> Result<Option<usize>, SheetError> {
    let mut column = 0usize;
    let mut letters = 0;
    for b in reference.bytes().take_while(u8::is_ascii_alphabetic) {
        letters += 1;
        column = column * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1);
        if column > EXCEL_COLUMNS {
            return Err(SheetError::Damaged(format!(
                "the cell reference {} lies beyond the sheet",
                reference.chars().take(24).collect::<String>()
            )));
        }
    }
    Ok((letters > 0).then(|| column - 1))
}

/// The path of the workbook's first sheet, from the workbook and its relations.
fn first_sheet(entries: &Entries<'_>, limit: usize) -> Result<String, SheetError> {
    let fallback = "xl/worksheets/sheet1.xml".to_owned();
    let (Some(book), Some(rels)) = (
        unzip(entries, "xl/workbook.xml", limit)?,
        unzip(entries, "xl/_rels/workbook.xml.rels", limit)?,
    ) else {
        return Ok(fallback);
    };
    let rid = find_xml(&book, |e| match e {
        Xml::Open(n, a, _) if n == "sheet" => attr(&a, "id").map(str::to_owned),
        _ => None,
    })?;
    let Some(rid) = rid else {
        return Ok(fallback);
    };
    let target = find_xml(&rels, |e| match e {
        Xml::Open(n, a, _) if n == "Relationship" && attr(&a, "Id") == Some(&rid) => {
            attr(&a, "Target").map(str::to_owned)
        }
        _ => None,
    })?;
    Ok(match target {
        Some(t) if t.starts_with('/') => t.trim_start_matches('/').to_owned(),
        Some(t) => format!("xl/{t}"),
        None => fallback,
    })
}

/// The workbook's shared strings, at most `limits.cells` of them.
fn shared_strings(entries: &Entries<'_>, limits: Limits) -> Result<Vec<String>, SheetError> {
    let mut shared = Vec::new();
    let Some(xml) = unzip(entries, "xl/sharedStrings.xml", limits.bytes)? else {
        return Ok(shared);
    };
    let mut current: Option<String> = None;
    let (mut in_text, mut phonetic) = (false, false);
    each_xml(&xml, |e| {
        match e {
            Xml::Open(n, _, empty) if n == "si" => {
                if shared.len() == limits.cells {
                    return Err(Limits::too(TooMuch::Cells, limits.cells));
                }
                if empty {
                    shared.push(String::new());
                } else {
                    current = Some(String::new());
                }
            }
            Xml::Close(n) if n == "si" => shared.push(current.take().unwrap_or_default()),
            // Phonetic runs (<rPh>) carry readings, not the text.
            Xml::Open(n, _, false) if n == "rPh" => phonetic = true,
            Xml::Close(n) if n == "rPh" => phonetic = false,
            Xml::Open(n, _, false) if n == "t" => in_text = true,
            Xml::Close(n) if n == "t" => in_text = false,
            Xml::Text(t) if in_text && !phonetic => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(shared)
}

/// The non-empty rows of the first sheet of an XLSX workbook, cells as displayed text
/// (numbers as written in the file, shared and inline strings resolved), within
/// [`Limits::IMPORT`].
pub fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Row>, SheetError> {
    xlsx_rows_within(bytes, Limits::IMPORT)
}

/// The cell being read: its column, type, and text gathered from `<v>` or `<is><t>`.
struct Cell {
    column: usize,
    kind: String,
    text: String,
}

/// A sheet's rows as its XML is read, every limit checked as a row or cell arrives.
struct SheetReader<'a> {
    limits: Limits,
    shared: &'a [String],
    rows: Vec<Row>,
    row: Option<Row>,
    cell: Option<Cell>,
    in_value: bool,
    cells: usize,
}

impl SheetReader<'_> {
    fn take(&mut self, e: Xml) -> Result<(), SheetError> {
        match e {
            Xml::Open(n, a, empty) if n == "row" => {
                let line = attr(&a, "r")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(self.rows.len() + 1);
                self.row = (!empty).then(|| Row {
                    line,
                    cells: Vec::new(),
                });
            }
            Xml::Close(n) if n == "row" => self.end_row()?,
            Xml::Open(n, a, empty) if n == "c" => {
                let column = match attr(&a, "r") {
                    Some(r) => column_of(r)?,
                    None => None,
                }
                .unwrap_or_else(|| self.row.as_ref().map_or(0, |r| r.cells.len()));
                if column >= self.limits.columns {
                    return Err(Limits::too(TooMuch::Columns, self.limits.columns));
                }
                let kind = attr(&a, "t").unwrap_or("n").to_owned();
                self.cell = (!empty).then(|| Cell {
                    column,
                    kind,
                    text: String::new(),
                });
            }
            Xml::Open(n, _, false) if n == "v" || n == "t" => self.in_value = true,
            Xml::Close(n) if n == "v" || n == "t" => self.in_value = false,
            Xml::Text(t) if self.in_value => {
                if let Some(c) = self.cell.as_mut() {
                    c.text.push_str(&t);
                }
            }
            Xml::Close(n) if n == "c" => self.end_cell()?,
            _ => {}
        }
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), SheetError> {
        if let Some(r) = self.row.take()
            && r.cells.iter().any(|c| !c.is_empty())
        {
            if self.rows.len() == self.limits.rows {
                return Err(Limits::too(TooMuch::Rows, self.limits.rows));
            }
            self.rows.push(r);
        }
        Ok(())
    }

    fn end_cell(&mut self) -> Result<(), SheetError> {
        let (Some(cell), Some(row)) = (self.cell.take(), self.row.as_mut()) else {
            return Ok(());
        };
        self.cells += 1;
        if self.cells > self.limits.cells {
            return Err(Limits::too(TooMuch::Cells, self.limits.cells));
        }
        let value = match cell.kind.as_str() {
            "s" => cell
                .text
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| self.shared.get(i).cloned())
                .unwrap_or_default(),
            "b" => if cell.text.trim() == "1" {
                "ИСТИНА"
            } else {
                "ЛОЖЬ"
            }
            .to_owned(),
            _ => cell.text,
        };
        if value.contains('\0') {
            return Err(SheetError::Damaged(
                "a cell holds a NUL character".to_owned(),
            ));
        }
        // The column is below `limits.columns`, so the row grows at most that far.
        if row.cells.len() <= cell.column {
            row.cells.resize(cell.column + 1, String::new());
        }
        row.cells[cell.column] = value.trim().to_owned();
        Ok(())
    }
}

/// [`xlsx_rows`] within other limits.
pub fn xlsx_rows_within(bytes: &[u8], limits: Limits) -> Result<Vec<Row>, SheetError> {
    let entries = zip_entries(bytes)?;
    let shared = shared_strings(&entries, limits)?;
    let sheet_path = first_sheet(&entries, limits.bytes)?;
    let xml = unzip(&entries, &sheet_path, limits.bytes)?
        .ok_or_else(|| SheetError::Damaged("no worksheet".to_owned()))?;
    let mut reader = SheetReader {
        limits,
        shared: &shared,
        rows: Vec::new(),
        row: None,
        cell: None,
        in_value: false,
        cells: 0,
    };
    each_xml(&xml, |e| reader.take(e))?;
    Ok(reader.rows)
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
    fn nul_characters_are_refused() {
        assert_eq!(read(b"a;b\n1;\0"), Err(SheetError::Unreadable));
        let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a&#0;b</t></is></c></row></sheetData></worksheet>"#;
        let book = zip(&[("xl/worksheets/sheet1.xml", sheet)], false);
        assert!(matches!(read(&book), Err(SheetError::Damaged(_))));
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_of("A1"), Ok(Some(0)));
        assert_eq!(column_of("Z9"), Ok(Some(25)));
        assert_eq!(column_of("AB7"), Ok(Some(27)));
        assert_eq!(column_of("XFD1"), Ok(Some(16_383)));
        assert_eq!(column_of("7"), Ok(None));
        assert!(column_of("XFE1").is_err());
        assert!(column_of("ZZZZZZZ1").is_err());
        assert!(column_of("AAAAAAAAAAAAAAAAAAAA1").is_err());
    }

    fn one_cell_sheet(reference: &str) -> Vec<u8> {
        let sheet = format!(
            r#"<worksheet><sheetData><row r="1"><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#
        );
        zip(&[("xl/worksheets/sheet1.xml", &sheet)], true)
    }

    /// The outside test's finding: a 500-byte workbook whose cell lies at `ZZZZZZZ1` made
    /// the reader allocate 200 GB and abort the server; a longer one overflowed.
    #[test]
    fn references_far_beyond_the_sheet_are_refused_not_allocated() {
        for reference in ["ZZZZZZZ1", "AAAAAAAAAAAAAAAAAAAA1", "XFE1"] {
            let book = one_cell_sheet(reference);
            assert!(book.len() < 600);
            assert!(
                matches!(read(&book), Err(SheetError::Damaged(_))),
                "{reference}"
            );
        }
        // Inside Excel's grid but wider than any import: refused by the limit.
        assert_eq!(
            read(&one_cell_sheet("XFD1")),
            Err(SheetError::TooLarge {
                what: TooMuch::Columns,
                limit: Limits::IMPORT.columns
            })
        );
        assert_eq!(read(&one_cell_sheet("BL1")).unwrap()[0].cells.len(), 64);
    }

    /// The outside test's finding: 48 KB of ZIP held 31 MB of empty shared strings, and the
    /// server's memory grew by 800 MB reading them.
    #[test]
    fn millions_of_empty_shared_strings_are_refused_while_read() {
        let strings = format!("<sst>{}</sst>", "<si/>".repeat(3_000_000));
        let book = zip(
            &[
                ("xl/sharedStrings.xml", &strings),
                ("xl/worksheets/sheet1.xml", "<worksheet/>"),
            ],
            true,
        );
        assert!(book.len() < 100_000, "{}", book.len());
        // 15 MB of text: over the bytes limit before a string is read.
        assert_eq!(
            read(&book),
            Err(SheetError::TooLarge {
                what: TooMuch::Bytes,
                limit: Limits::IMPORT.bytes
            })
        );
        // Within the bytes, over the count of strings.
        let small = Limits {
            bytes: 64 << 20,
            ..Limits::IMPORT
        };
        assert_eq!(
            read_within(&book, small),
            Err(SheetError::TooLarge {
                what: TooMuch::Cells,
                limit: Limits::IMPORT.cells
            })
        );
    }

    #[test]
    fn rows_and_cells_are_counted_as_they_arrive() {
        let tight = Limits {
            rows: 2,
            columns: 3,
            cells: 5,
            bytes: 1 << 20,
        };
        let too = |what, limit| Err(SheetError::TooLarge { what, limit });
        assert_eq!(read_within(b"a\n1\n3", tight), too(TooMuch::Rows, 2));
        assert_eq!(read_within(b"a;b;c;d", tight), too(TooMuch::Columns, 3));
        assert_eq!(read_within(b"a;b;c\n1;2;3", tight), too(TooMuch::Cells, 5));
        assert_eq!(read_within(b"a;b;c\n\n1;2", tight).unwrap().len(), 2);
        assert_eq!(
            read_within(&xlsx(&[&["a"], &["1"], &["3"]]), tight),
            too(TooMuch::Rows, 2)
        );
        assert_eq!(
            read_within(&xlsx(&[&["a", "b", "c"], &["1", "2", "3"]]), tight),
            too(TooMuch::Cells, 5)
        );
        let long = vec![b';'; 5_000_000];
        assert_eq!(
            read_within(
                &long,
                Limits {
                    bytes: 8 << 20,
                    ..tight
                }
            ),
            too(TooMuch::Columns, 3)
        );
        assert_eq!(read(&long), too(TooMuch::Columns, Limits::IMPORT.columns));
    }
}
