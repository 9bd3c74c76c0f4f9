//! The one permission table: role × action × scope. Deny by default.
//!
//! Every HTTP route names the [`Action`] it performs (see the web crate's route table), and
//! every check goes through [`scope_of`]. `docs/permissions.md` is rendered from this file
//! by [`render_markdown`] and a test keeps the two identical.

use crate::role::Role;
use serde::Serialize;

/// How far a grant reaches. Object-level checks (is this student in my class?) use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every school of the municipality the grant names.
    Municipality,
    /// The one school the grant names.
    School,
    /// The class the person is class teacher of.
    OwnClass,
    /// The classes and subgroups the person teaches, for the subjects they teach there.
    OwnSubjectGroups,
    /// The children linked to the parent.
    OwnChild,
    /// The person themself.
    SelfOnly,
}

impl Scope {
    pub fn api_name(self) -> &'static str {
        match self {
            Scope::Municipality => "municipality",
            Scope::School => "school",
            Scope::OwnClass => "own_class",
            Scope::OwnSubjectGroups => "own_subject_groups",
            Scope::OwnChild => "own_child",
            Scope::SelfOnly => "self",
        }
    }
}

/// Everything a person can do in Zhurnal, named after the regulation's duties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See one's own home page and profile.
    ViewHome,
    /// Change one's own password, see and end one's own sessions.
    ManageOwnAccount,
    /// See the schools in one's scope and their profiles.
    ViewSchools,
    /// §2.3–§2.6: school profile, calendar, curriculum, classes, timetable.
    EditSchoolSetup,
    /// §2.6: see the timetable of any class or teacher for any date.
    ViewTimetable,
    /// §2.4: staff records and self-government bodies.
    ManageStaff,
    /// §5.1–§5.2, §3.1–§3.2: register students and parents, access codes, departures.
    ManageRoster,
    /// §5.1, §5.2 for the whole school: enrol students (one by one or a roster at once)
    /// and give families their one-time access codes.
    EnrolStudents,
    /// §2.12: move students between classes by order, within 3 days.
    TransferStudents,
    /// See the class journal.
    ViewJournal,
    /// §4.1: fill the journal: topics, homework, marks, absences.
    EditJournal,
    /// Allow a change after the edit window; reopen a closed period.
    ApproveJournalCorrections,
    /// §3.3: the class teacher's twice-monthly check of the class journal.
    CheckClassJournal,
    /// §3.5: posts on the class wall.
    PostClassWall,
    /// §2.8, §3.6: parents' consents and refusals.
    RecordConsents,
    /// The electronic diary (the municipal service itself).
    ViewDiary,
    /// §3.4, §4.2: messages between school and family.
    UseMessages,
    /// §2.10, §2.13: monthly reports, accumulation of marks, deadlines.
    ViewReports,
    /// §2.14–§2.15: printed journal pages and grade sheets for the archive.
    ArchiveJournal,
    /// §6.1–§6.2: the director's monthly compliance check, in writing.
    RecordComplianceCheck,
    /// Accounts of the school: create, reset passwords, block.
    ManageAccounts,
    /// Read the audit log.
    ViewAudit,
    /// Schools of the municipality and their inspectors.
    ManageMunicipality,
    /// Register the school's third-party apps (OAuth2 clients) and withdraw them.
    ManageApps,
}

impl Action {
    pub const ALL: [Action; 24] = [
        Action::ViewHome,
        Action::ManageOwnAccount,
        Action::ViewSchools,
        Action::EditSchoolSetup,
        Action::ViewTimetable,
        Action::ManageStaff,
        Action::ManageRoster,
        Action::EnrolStudents,
        Action::TransferStudents,
        Action::ViewJournal,
        Action::EditJournal,
        Action::ApproveJournalCorrections,
        Action::CheckClassJournal,
        Action::PostClassWall,
        Action::RecordConsents,
        Action::ViewDiary,
        Action::UseMessages,
        Action::ViewReports,
        Action::ArchiveJournal,
        Action::RecordComplianceCheck,
        Action::ManageAccounts,
        Action::ViewAudit,
        Action::ManageMunicipality,
        Action::ManageApps,
    ];

    pub fn api_name(self) -> &'static str {
        match self {
            Action::ViewHome => "view_home",
            Action::ManageOwnAccount => "manage_own_account",
            Action::ViewSchools => "view_schools",
            Action::EditSchoolSetup => "edit_school_setup",
            Action::ViewTimetable => "view_timetable",
            Action::ManageStaff => "manage_staff",
            Action::ManageRoster => "manage_roster",
            Action::EnrolStudents => "enrol_students",
            Action::TransferStudents => "transfer_students",
            Action::ViewJournal => "view_journal",
            Action::EditJournal => "edit_journal",
            Action::ApproveJournalCorrections => "approve_journal_corrections",
            Action::CheckClassJournal => "check_class_journal",
            Action::PostClassWall => "post_class_wall",
            Action::RecordConsents => "record_consents",
            Action::ViewDiary => "view_diary",
            Action::UseMessages => "use_messages",
            Action::ViewReports => "view_reports",
            Action::ArchiveJournal => "archive_journal",
            Action::RecordComplianceCheck => "record_compliance_check",
            Action::ManageAccounts => "manage_accounts",
            Action::ViewAudit => "view_audit",
            Action::ManageMunicipality => "manage_municipality",
            Action::ManageApps => "manage_apps",
        }
    }

    /// Whether the action changes school data. Read-only roles never get such an action.
    /// Managing one's own account (password, sessions, logout) changes only the actor's own
    /// credentials, so an inspector may do it too.
    pub fn is_write(self) -> bool {
        !matches!(
            self,
            Action::ViewHome
                | Action::ManageOwnAccount
                | Action::ViewSchools
                | Action::ViewTimetable
                | Action::ViewJournal
                | Action::ViewDiary
                | Action::ViewReports
                | Action::ViewAudit
        )
    }

    /// The regulation clause the action exists for, if any.
    pub fn clause(self) -> &'static str {
        match self {
            Action::EditSchoolSetup => "§2.3, §2.5, §2.6",
            Action::ViewTimetable => "§2.6",
            Action::ManageStaff => "§2.4",
            Action::ManageRoster => "§3.1, §3.2, §5.1, §5.2",
            Action::EnrolStudents => "§5.1, §5.2",
            Action::TransferStudents => "§2.12",
            Action::EditJournal | Action::ViewJournal => "§4.1",
            Action::ApproveJournalCorrections => "§2.11",
            Action::CheckClassJournal => "§3.3",
            Action::PostClassWall => "§3.5",
            Action::RecordConsents => "§2.8, §3.6",
            Action::UseMessages => "§3.4, §4.2",
            Action::ViewReports => "§2.10, §2.13",
            Action::ArchiveJournal => "§2.14, §2.15",
            Action::RecordComplianceCheck => "§6.1, §6.2",
            Action::ViewSchools => "§2.3",
            Action::ViewDiary => "service",
            Action::ViewHome
            | Action::ManageOwnAccount
            | Action::ManageAccounts
            | Action::ViewAudit
            | Action::ManageMunicipality
            | Action::ManageApps => "",
        }
    }
}

use Action as A;
use Role as R;
use Scope as S;

/// The table. A row grants a role an action within a scope; anything absent is denied.
pub const TABLE: &[(Role, Action, Scope)] = &[
    // Everyone with an account.
    (R::Director, A::ViewHome, S::SelfOnly),
    (R::DeputyDirector, A::ViewHome, S::SelfOnly),
    (R::ClassTeacher, A::ViewHome, S::SelfOnly),
    (R::Teacher, A::ViewHome, S::SelfOnly),
    (R::Clerk, A::ViewHome, S::SelfOnly),
    (R::TechAdmin, A::ViewHome, S::SelfOnly),
    (R::Student, A::ViewHome, S::SelfOnly),
    (R::Parent, A::ViewHome, S::SelfOnly),
    (R::Inspector, A::ViewHome, S::SelfOnly),
    (R::MunicipalOperator, A::ViewHome, S::SelfOnly),
    (R::Director, A::ManageOwnAccount, S::SelfOnly),
    (R::DeputyDirector, A::ManageOwnAccount, S::SelfOnly),
    (R::ClassTeacher, A::ManageOwnAccount, S::SelfOnly),
    (R::Teacher, A::ManageOwnAccount, S::SelfOnly),
    (R::Clerk, A::ManageOwnAccount, S::SelfOnly),
    (R::TechAdmin, A::ManageOwnAccount, S::SelfOnly),
    (R::Student, A::ManageOwnAccount, S::SelfOnly),
    (R::Parent, A::ManageOwnAccount, S::SelfOnly),
    (R::Inspector, A::ManageOwnAccount, S::SelfOnly),
    (R::MunicipalOperator, A::ManageOwnAccount, S::SelfOnly),
    // Schools.
    (R::Director, A::ViewSchools, S::School),
    (R::DeputyDirector, A::ViewSchools, S::School),
    (R::TechAdmin, A::ViewSchools, S::School),
    (R::Clerk, A::ViewSchools, S::School),
    (R::Inspector, A::ViewSchools, S::Municipality),
    (R::MunicipalOperator, A::ViewSchools, S::Municipality),
    (R::DeputyDirector, A::EditSchoolSetup, S::School),
    (R::Director, A::ViewTimetable, S::School),
    (R::DeputyDirector, A::ViewTimetable, S::School),
    (R::ClassTeacher, A::ViewTimetable, S::School),
    (R::Teacher, A::ViewTimetable, S::School),
    (R::Clerk, A::ViewTimetable, S::School),
    (R::Inspector, A::ViewTimetable, S::Municipality),
    (R::DeputyDirector, A::ManageStaff, S::School),
    (R::Director, A::ManageStaff, S::School),
    // Roster.
    (R::Clerk, A::ManageRoster, S::School),
    (R::ClassTeacher, A::ManageRoster, S::OwnClass),
    (R::Clerk, A::EnrolStudents, S::School),
    (R::DeputyDirector, A::EnrolStudents, S::School),
    (R::DeputyDirector, A::TransferStudents, S::School),
    // Journal.
    (R::Director, A::ViewJournal, S::School),
    (R::DeputyDirector, A::ViewJournal, S::School),
    (R::ClassTeacher, A::ViewJournal, S::OwnClass),
    (R::Teacher, A::ViewJournal, S::OwnSubjectGroups),
    (R::Inspector, A::ViewJournal, S::Municipality),
    (R::Teacher, A::EditJournal, S::OwnSubjectGroups),
    (R::DeputyDirector, A::ApproveJournalCorrections, S::School),
    (R::ClassTeacher, A::CheckClassJournal, S::OwnClass),
    (R::ClassTeacher, A::PostClassWall, S::OwnClass),
    (R::ClassTeacher, A::RecordConsents, S::OwnClass),
    (R::DeputyDirector, A::RecordConsents, S::School),
    // The diary and messages.
    (R::Student, A::ViewDiary, S::SelfOnly),
    (R::Parent, A::ViewDiary, S::OwnChild),
    (R::Student, A::UseMessages, S::SelfOnly),
    (R::Parent, A::UseMessages, S::OwnChild),
    (R::Teacher, A::UseMessages, S::OwnSubjectGroups),
    (R::ClassTeacher, A::UseMessages, S::OwnClass),
    // Control, reports, archive.
    (R::Director, A::ViewReports, S::School),
    (R::DeputyDirector, A::ViewReports, S::School),
    (R::Inspector, A::ViewReports, S::Municipality),
    (R::MunicipalOperator, A::ViewReports, S::Municipality),
    (R::DeputyDirector, A::ArchiveJournal, S::School),
    (R::Director, A::RecordComplianceCheck, S::School),
    // Technical administration and audit.
    (R::TechAdmin, A::ManageAccounts, S::School),
    (R::TechAdmin, A::ManageApps, S::School),
    (R::MunicipalOperator, A::ManageAccounts, S::Municipality),
    (R::Director, A::ViewAudit, S::School),
    (R::TechAdmin, A::ViewAudit, S::School),
    (R::MunicipalOperator, A::ViewAudit, S::Municipality),
    (R::MunicipalOperator, A::ManageMunicipality, S::Municipality),
];

/// The scope in which `role` may perform `action`, or `None` (denied).
pub fn scope_of(role: Role, action: Action) -> Option<Scope> {
    TABLE
        .iter()
        .find(|(r, a, _)| *r == role && *a == action)
        .map(|(_, _, s)| *s)
}

/// The actions a role may perform, in table order of [`Action::ALL`].
pub fn actions_of(role: Role) -> impl Iterator<Item = (Action, Scope)> {
    Action::ALL
        .into_iter()
        .filter_map(move |a| scope_of(role, a).map(|s| (a, s)))
}

/// `docs/permissions.md`, rendered from [`TABLE`].
pub fn render_markdown() -> String {
    let mut out = String::from(
        "# Permissions\n\n\
         Generated from `crates/zhurnal-core/src/permission.rs` (the one permission table); \
         a test fails when this file and the table differ. Regenerate with \
         `ZHURNAL_BLESS=1 cargo test -p zhurnal-core permissions_doc`.\n\n\
         Deny by default: an empty cell means the role may not perform the action. A cell names \
         the scope of the grant: `school` (the school of the role), `municipality` (every school of \
         the municipality), `own_class` (the class the person is class teacher of), \
         `own_subject_groups` (the classes and subgroups the person teaches), `own_child` (the \
         parent's linked children), `self`. An object outside the scope answers 404, exactly like \
         an object that does not exist, and the attempt is audited.\n\n",
    );
    out.push_str("| action | clause | writes |");
    for role in Role::ALL {
        out.push_str(&format!(" {} |", role.api_name()));
    }
    out.push_str("\n|---|---|---|");
    for _ in Role::ALL {
        out.push_str("---|");
    }
    out.push('\n');
    for action in Action::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |",
            action.api_name(),
            action.clause(),
            if action.is_write() { "yes" } else { "no" }
        ));
        for role in Role::ALL {
            match scope_of(role, action) {
                Some(s) => out.push_str(&format!(" {} |", s.api_name())),
                None => out.push_str(" |"),
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_duplicate_grants() {
        let mut seen = HashSet::new();
        for (r, a, _) in TABLE {
            assert!(seen.insert((*r, *a)), "{r} has {a:?} twice");
        }
    }

    #[test]
    fn inspector_is_read_only() {
        for (action, _) in actions_of(Role::Inspector) {
            assert!(!action.is_write(), "inspector may {action:?}, which writes");
        }
    }

    #[test]
    fn every_role_has_a_home_and_every_action_a_holder() {
        for role in Role::ALL {
            assert_eq!(scope_of(role, Action::ViewHome), Some(Scope::SelfOnly));
        }
        for action in Action::ALL {
            assert!(
                Role::ALL.iter().any(|r| scope_of(*r, action).is_some()),
                "{action:?} is held by nobody"
            );
        }
    }

    #[test]
    fn families_never_reach_staff_tools() {
        for role in [Role::Student, Role::Parent] {
            for action in [
                Action::EditJournal,
                Action::ViewJournal,
                Action::ViewAudit,
                Action::ManageAccounts,
                Action::ManageRoster,
                Action::ViewReports,
            ] {
                assert_eq!(scope_of(role, action), None, "{role} may {action:?}");
            }
        }
    }

    #[test]
    fn only_teachers_fill_the_journal() {
        let holders: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| scope_of(*r, Action::EditJournal).is_some())
            .collect();
        assert_eq!(holders, vec![Role::Teacher]);
        // The tech admin runs the system but does not read grades (SECURITY.md, kanidm pattern).
        assert_eq!(scope_of(Role::TechAdmin, Action::ViewJournal), None);
    }

    #[test]
    fn all_lists_every_action_once() {
        let set: HashSet<_> = Action::ALL.iter().collect();
        assert_eq!(set.len(), Action::ALL.len());
        let names: HashSet<_> = Action::ALL.iter().map(|a| a.api_name()).collect();
        assert_eq!(names.len(), Action::ALL.len());
    }

    #[test]
    fn permissions_doc_matches_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/permissions.md");
        let rendered = render_markdown();
        if std::env::var_os("ZHURNAL_BLESS").is_some() {
            std::fs::write(path, &rendered).expect("write docs/permissions.md");
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == rendered,
            "docs/permissions.md differs from the permission table; \
             run `ZHURNAL_BLESS=1 cargo test -p zhurnal-core permissions_doc`"
        );
    }
}
