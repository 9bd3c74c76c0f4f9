//! The roles of the regulation (§1.3, §2–§6) with their API names.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A role a person holds, always within a scope (a school, a class, a municipality).
/// One person can hold several (a deputy director who also teaches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// §6: checks compliance monthly, signs the results.
    Director,
    /// §2: the person responsible for the system at the school.
    DeputyDirector,
    /// §3: form tutor of one class.
    ClassTeacher,
    /// §4: subject teacher.
    Teacher,
    /// §5: registers and removes students.
    Clerk,
    /// §1.3: the school's technical specialist.
    TechAdmin,
    Student,
    /// A legal representative, linked to their children.
    Parent,
    /// §1.3: a representative of the education authority; read-only.
    Inspector,
    /// The municipality's operator of the service.
    MunicipalOperator,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Director,
        Role::DeputyDirector,
        Role::ClassTeacher,
        Role::Teacher,
        Role::Clerk,
        Role::TechAdmin,
        Role::Student,
        Role::Parent,
        Role::Inspector,
        Role::MunicipalOperator,
    ];

    /// The name used in the API, the database and the CLI.
    pub fn api_name(self) -> &'static str {
        match self {
            Role::Director => "director",
            Role::DeputyDirector => "deputy_director",
            Role::ClassTeacher => "class_teacher",
            Role::Teacher => "teacher",
            Role::Clerk => "clerk",
            Role::TechAdmin => "tech_admin",
            Role::Student => "student",
            Role::Parent => "parent",
            Role::Inspector => "inspector",
            Role::MunicipalOperator => "municipal_operator",
        }
    }

    /// Roles held at the level of a municipality rather than one school.
    pub fn is_municipal(self) -> bool {
        matches!(self, Role::Inspector | Role::MunicipalOperator)
    }

    /// Roles that may never change anything (§1.3: inspectors only look).
    pub fn is_read_only(self) -> bool {
        matches!(self, Role::Inspector)
    }

    /// Staff roles get the stricter session timeouts of SECURITY.md R13.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Student | Role::Parent)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role «{0}»; expected one of: director, deputy_director, class_teacher, teacher, clerk, tech_admin, student, parent, inspector, municipal_operator"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.api_name() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.api_name().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }
}
