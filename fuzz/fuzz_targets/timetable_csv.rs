//! A timetable import: any text, parsed into lines with every problem named.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = zhurnal_core::sheet::decode_text(data);
    let _ = zhurnal_core::timetable_csv::parse(&text);
});
