//! Year-end promotion by the school's order (§2.12): whole classes move up a parallel
//! (5А → 6А), the 11th grade graduates, and single students are retained, promoted
//! conditionally (with an academic debt, 273-ФЗ ст. 58) or leave. The plan is pure; the
//! store applies it in one transaction.

use std::collections::HashMap;

/// What happens to one student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    Promote,
    /// Stays in the same parallel (повторное обучение).
    Retain,
    /// Moves up with an academic debt (условный перевод).
    Conditional,
    /// Leaves the school (graduation after 11th grade, or after 9th).
    Leave,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Promote => "promote",
            Decision::Retain => "retain",
            Decision::Conditional => "conditional",
            Decision::Leave => "leave",
        }
    }

    /// Reads a decision as people write it in a list (Russian or English).
    pub fn parse(s: &str) -> Option<Decision> {
        match s.trim().to_lowercase().as_str() {
            "promote" | "переведён" | "переведен" | "перевести" => {
                Some(Decision::Promote)
            }
            "retain" | "оставлен" | "оставить" | "повторное обучение" => {
                Some(Decision::Retain)
            }
            "conditional" | "условно" | "условный перевод" => {
                Some(Decision::Conditional)
            }
            "leave" | "выбывает" | "выбыл" | "выпуск" => Some(Decision::Leave),
            _ => None,
        }
    }
}

/// A class of the year that ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldClass {
    pub id: i64,
    pub parallel: i16,
    pub letter: String,
    pub class_teacher_id: Option<i64>,
    pub capacity: Option<i32>,
    pub students: Vec<i64>,
}

/// A class of the new year, named by parallel and letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NewClassKey {
    pub parallel: i16,
    pub letter: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub person_id: i64,
    pub from_class: i64,
    pub to: NewClassKey,
    pub conditional: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// New-year classes with the class teacher and capacity they take over.
    pub classes: Vec<(NewClassKey, Option<i64>, Option<i32>)>,
    pub moves: Vec<Move>,
    /// (person, class they leave).
    pub leavers: Vec<(i64, i64)>,
}

/// Builds the plan. Students without a decision are promoted; the 11th grade leaves.
/// A promoted class keeps its class teacher; retained students join the class of the same
/// parallel and letter in the new year.
pub fn plan(classes: &[OldClass], decisions: &HashMap<i64, Decision>) -> Plan {
    let mut p = Plan::default();
    let add_class = |p: &mut Plan,
                     key: NewClassKey,
                     teacher: Option<i64>,
                     capacity: Option<i32>| {
        match p.classes.iter_mut().find(|(k, ..)| *k == key) {
            Some(existing) => {
                if existing.1.is_none() {
                    existing.1 = teacher;
                }
            }
            None => p.classes.push((key, teacher, capacity)),
        }
    };
    let mut sorted: Vec<&OldClass> = classes.iter().collect();
    sorted.sort_by(|a, b| (a.parallel, &a.letter).cmp(&(b.parallel, &b.letter)));
    for c in sorted {
        let up = NewClassKey {
            parallel: c.parallel + 1,
            letter: c.letter.clone(),
        };
        let same = NewClassKey {
            parallel: c.parallel,
            letter: c.letter.clone(),
        };
        for &person in &c.students {
            let decision = decisions
                .get(&person)
                .copied()
                .unwrap_or(if c.parallel >= 11 {
                    Decision::Leave
                } else {
                    Decision::Promote
                });
            match decision {
                Decision::Leave => p.leavers.push((person, c.id)),
                Decision::Promote | Decision::Conditional if c.parallel >= 11 => {
                    p.leavers.push((person, c.id))
                }
                Decision::Promote | Decision::Conditional => {
                    add_class(&mut p, up.clone(), c.class_teacher_id, c.capacity);
                    p.moves.push(Move {
                        person_id: person,
                        from_class: c.id,
                        to: up.clone(),
                        conditional: decision == Decision::Conditional,
                    });
                }
                Decision::Retain => {
                    add_class(&mut p, same.clone(), None, c.capacity);
                    p.moves.push(Move {
                        person_id: person,
                        from_class: c.id,
                        to: same.clone(),
                        conditional: false,
                    });
                }
            }
        }
    }
    p.classes.sort();
    p
}

/// Whole days from the order to its application, for the regulation's 3-day rule (§2.12).
pub fn days_late(order_date: jiff::civil::Date, applied_on: jiff::civil::Date) -> i64 {
    i64::from((applied_on - order_date).get_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(id: i64, parallel: i16, letter: &str, students: Vec<i64>) -> OldClass {
        OldClass {
            id,
            parallel,
            letter: letter.into(),
            class_teacher_id: Some(100 + id),
            capacity: Some(25),
            students,
        }
    }

    #[test]
    fn classes_move_up_and_the_eleventh_graduates() {
        let classes = vec![class(1, 5, "А", vec![1, 2]), class(2, 11, "Б", vec![3])];
        let p = plan(&classes, &HashMap::new());
        assert_eq!(
            p.classes,
            vec![(
                NewClassKey {
                    parallel: 6,
                    letter: "А".into()
                },
                Some(101),
                Some(25)
            )]
        );
        assert_eq!(p.moves.len(), 2);
        assert!(p.moves.iter().all(|m| m.to.parallel == 6 && !m.conditional));
        assert_eq!(p.leavers, vec![(3, 2)]);
    }

    #[test]
    fn exceptions_per_student() {
        let classes = vec![
            class(1, 5, "А", vec![1, 2, 3, 4]),
            class(2, 6, "А", vec![5]),
        ];
        let decisions = HashMap::from([
            (2, Decision::Retain),
            (3, Decision::Conditional),
            (4, Decision::Leave),
        ]);
        let p = plan(&classes, &decisions);
        let to = |person: i64| {
            p.moves
                .iter()
                .find(|m| m.person_id == person)
                .map(|m| (m.to.parallel, m.conditional))
        };
        assert_eq!(to(1), Some((6, false)));
        assert_eq!(to(2), Some((5, false)), "retained in the fifth grade");
        assert_eq!(to(3), Some((6, true)), "promoted with a debt");
        assert_eq!(to(4), None);
        assert_eq!(p.leavers, vec![(4, 1)]);
        // The new 6А takes 5А's class teacher; the new 5А exists only for the retained student
        // and has no class teacher until the deputy names one.
        let keys: Vec<(i16, Option<i64>)> =
            p.classes.iter().map(|(k, t, _)| (k.parallel, *t)).collect();
        assert_eq!(keys, vec![(5, None), (6, Some(101)), (7, Some(102))]);
    }

    #[test]
    fn decisions_are_read_as_written() {
        assert_eq!(Decision::parse("Условно"), Some(Decision::Conditional));
        assert_eq!(Decision::parse("оставлен"), Some(Decision::Retain));
        assert_eq!(Decision::parse("выбывает"), Some(Decision::Leave));
        assert_eq!(Decision::parse("?"), None);
        assert_eq!(
            days_late(
                jiff::civil::Date::constant(2027, 5, 28),
                jiff::civil::Date::constant(2027, 5, 31)
            ),
            3
        );
    }
}
