//! What a teacher types into a journal cell: read as a cell, then its mark checked against
//! each kind of assessment; what is shown must read back as the same cell.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhurnal_core::assessment::{current, period};
use zhurnal_core::curriculum::Grading;
use zhurnal_core::grading::Scale;
use zhurnal_core::journal::CellText;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cell) = CellText::parse(text) else {
        return;
    };
    assert_eq!(CellText::parse(&cell.display()), Ok(cell.clone()));
    if let Some(mark) = &cell.mark {
        let scale = Scale {
            with_one: true,
            with_signs: true,
        };
        for grading in Grading::ALL {
            let _ = current(grading, mark, scale);
            let _ = period(grading, mark, scale);
        }
    }
});
