//! The roster's outcomes in the person's language, for the page and the API alike.

use super::ops::Trouble;
use crate::i18n::{Tr, sheet_message};
use zhurnal_core::roster::{Fault, Field};
use zhurnal_store::RowFate;

/// A trouble as the clerk reads it: the row, the column's header as in the file, the
/// reason; and a stable code for programs.
pub struct Said {
    pub row: Option<usize>,
    pub column: Option<String>,
    pub code: &'static str,
    pub message: String,
}

pub fn trouble(t: &Tr, trouble: &Trouble) -> Said {
    match trouble {
        Trouble::Sheet(e) => Said {
            row: None,
            column: None,
            code: "unreadable",
            message: sheet_message(t, e),
        },
        Trouble::InAnotherClass { row, class } => Said {
            row: Some(*row),
            column: Some(Field::Class.header()),
            code: "in_another_class",
            message: format!("{} {class}", t.s("roster_import.in_another_class")),
        },
        Trouble::Row(p) => {
            let (code, message) = fault(t, &p.fault);
            Said {
                row: Some(p.row),
                column: p.column.clone(),
                code,
                message,
            }
        }
    }
}

fn fault(t: &Tr, f: &Fault) -> (&'static str, String) {
    let key = |k: &'static str| (k, t.s(&format!("roster_import.{k}")).to_owned());
    match f {
        Fault::MissingColumn(_) => key("missing_column"),
        Fault::DuplicateColumn(_) => key("duplicate_column"),
        Fault::Required => key("required"),
        Fault::BadClass => key("bad_class"),
        Fault::BadDate => key("bad_date"),
        Fault::ImplausibleBirthday => key("implausible_birthday"),
        Fault::BadSex => key("bad_sex"),
        Fault::BadRelation => key("bad_relation"),
        Fault::BadEmail => key("bad_email"),
        Fault::BadPhone => key("bad_phone"),
        Fault::TooLong => key("too_long"),
        Fault::BadCharacters => key("bad_characters"),
        Fault::IncompleteParent => key("incomplete_parent"),
        Fault::DuplicateFileNumber(first) => (
            "duplicate_file_number",
            format!("{} {first}", t.s("roster_import.duplicate_file_number")),
        ),
    }
}

/// What applying does (or did) with a row: «новый ученик», «без изменений»…
pub fn fate(t: &Tr, fate: &RowFate) -> (&'static str, &'static str) {
    match fate {
        RowFate::New => ("new", t.s("roster_import.fate_new")),
        RowFate::Unchanged => ("unchanged", t.s("roster_import.fate_unchanged")),
        RowFate::Updated => ("updated", t.s("roster_import.fate_updated")),
        RowFate::InAnotherClass(_) => ("refused", t.s("roster_import.fate_refused")),
    }
}

/// «мать», «ученик»… for the access list.
pub fn who(t: &Tr, kind: &str) -> &'static str {
    match kind {
        "student" => t.s("access.student"),
        "mother" => t.s("access.mother"),
        "father" => t.s("access.father"),
        "guardian" => t.s("access.guardian"),
        _ => t.s("access.other_parent"),
    }
}
