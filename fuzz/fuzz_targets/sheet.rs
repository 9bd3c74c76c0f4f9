//! A teacher's or clerk's upload: any bytes, read as a CSV text or an XLSX workbook within
//! the import limits, then as a topic plan. Must never panic, abort or run away.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhurnal_core::sheet::{Limits, read_within};

fuzz_target!(|data: &[u8]| {
    // Smaller limits than an import's keep each run fast; the code paths are the same.
    let limits = Limits {
        rows: 2_000,
        columns: 64,
        cells: 20_000,
        bytes: 1 << 20,
    };
    if let Ok(rows) = read_within(data, limits) {
        let _ = zhurnal_core::plan::parse(&rows);
    }
});
