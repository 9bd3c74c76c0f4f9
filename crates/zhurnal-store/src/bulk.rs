//! Loading many rows at once, the fastest way each backend has: multi-row INSERTs on SQLite,
//! `COPY … FROM STDIN` on PostgreSQL (a stream without a statement per row or per chunk).
//! Used by the generators (the demo's journal, `zhurnal gen`), inside their transaction.

use crate::{CHUNK, Result};
use sqlx::{Postgres, Sqlite, Transaction};

/// One value of a row.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    Int(i64),
    OptInt(Option<i64>),
    Text(&'a str),
}

pub(crate) trait Bulk {
    /// Inserts `rows` into `table (cols)`; every row has one cell per column.
    async fn bulk(&mut self, table: &str, cols: &[&str], rows: &[Vec<Cell<'_>>]) -> Result<()>;
}

impl Bulk for Transaction<'_, Sqlite> {
    async fn bulk(&mut self, table: &str, cols: &[&str], rows: &[Vec<Cell<'_>>]) -> Result<()> {
        // SQLite's bound variables are limited: as many rows a statement as CHUNK allows
        // for a table of eight columns.
        let per = (CHUNK * 8 / cols.len().max(1)).max(1);
        for chunk in rows.chunks(per) {
            let mut qb = sqlx::QueryBuilder::<Sqlite>::new(format!(
                "INSERT INTO {table} ({}) ",
                cols.join(", ")
            ));
            qb.push_values(chunk, |mut b, row| {
                for cell in row {
                    match *cell {
                        Cell::Int(v) => b.push_bind(v),
                        Cell::OptInt(v) => b.push_bind(v),
                        Cell::Text(v) => b.push_bind(v),
                    };
                }
            });
            qb.build().execute(&mut **self).await?;
        }
        Ok(())
    }
}

/// A value in COPY's text format: tabs, newlines and backslashes escaped, `\N` for NULL.
fn copy_text(out: &mut String, cell: &Cell<'_>) {
    match *cell {
        Cell::Int(v) | Cell::OptInt(Some(v)) => out.push_str(&v.to_string()),
        Cell::OptInt(None) => out.push_str("\\N"),
        Cell::Text(s) => {
            for ch in s.chars() {
                match ch {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

impl Bulk for Transaction<'_, Postgres> {
    async fn bulk(&mut self, table: &str, cols: &[&str], rows: &[Vec<Cell<'_>>]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut copy = self
            .copy_in_raw(&format!("COPY {table} ({}) FROM STDIN", cols.join(", ")))
            .await?;
        let mut buf = String::with_capacity(1 << 20);
        for row in rows {
            for (k, cell) in row.iter().enumerate() {
                if k > 0 {
                    buf.push('\t');
                }
                copy_text(&mut buf, cell);
            }
            buf.push('\n');
            if buf.len() >= 1 << 20 {
                copy.send(buf.as_bytes()).await?;
                buf.clear();
            }
        }
        if !buf.is_empty() {
            copy.send(buf.as_bytes()).await?;
        }
        copy.finish().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_reads_specially() {
        let mut s = String::new();
        for c in [
            Cell::Int(-5),
            Cell::OptInt(None),
            Cell::Text("a\tb\\c\nd"),
            Cell::OptInt(Some(7)),
        ] {
            copy_text(&mut s, &c);
            s.push('|');
        }
        assert_eq!(s, "-5|\\N|a\\tb\\\\c\\nd|7|");
    }
}
