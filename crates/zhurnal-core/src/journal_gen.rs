//! A realistic journal for lessons already given: the year's topic plans, homework, marks
//! at the rates Russian teachers give them (more per lesson in a subject of one hour a week
//! than in one of five, a test every few weeks), absences by whole days with the reasons
//! class teachers record, and the period marks of periods already over. Deterministic for a
//! seed; written to the database through the same operations as the teachers' own input
//! (the plans through the КТП import, everything with its history rows).

use crate::assessment::propose_for;
use crate::calendar::default_scheme;
use crate::curriculum::{Grading, default_grading};
use crate::demo::Rng;
use crate::grading::{Counted, MarkValue, Rules};
use crate::plan::PlannedTopic;
use jiff::civil::Date;
use std::collections::HashMap;

/// A lesson of the timetable, as the generator needs it.
#[derive(Debug, Clone)]
pub struct GenLesson {
    pub id: i64,
    pub date: Date,
    pub group_id: i64,
    pub subject_id: i64,
    pub subject: String,
    pub grade: i16,
    pub teacher_id: Option<i64>,
    pub cancelled: bool,
}

/// A work type of the school: id, abbreviation («КР»), weight.
#[derive(Debug, Clone)]
pub struct GenType {
    pub id: i64,
    pub abbreviation: String,
    pub weight: u8,
}

/// A reporting period: id, scheme (`quarters`/`half_years`), first and last day.
#[derive(Debug, Clone)]
pub struct GenPeriod {
    pub id: i64,
    pub scheme: String,
    pub start: Date,
    pub finish: Date,
}

#[derive(Debug, Clone)]
pub struct GenWork {
    pub lesson_id: i64,
    pub work_type_id: i64,
    /// `lesson` or `homework`.
    pub kind: &'static str,
    pub marks: Vec<(i64, String)>,
}

#[derive(Debug, Clone)]
pub struct GenPeriodMark {
    pub period_id: i64,
    pub subject_id: i64,
    pub person_id: i64,
    pub value: String,
    pub average_hundredths: Option<i32>,
    pub set_by: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// (group, subject) → the year's plan.
    pub plans: Vec<((i64, i64), Vec<PlannedTopic>)>,
    /// (lesson, homework text, due date).
    pub homework: Vec<(i64, String, Date)>,
    pub works: Vec<GenWork>,
    /// (lesson, student, `absent`/`late`, reason).
    pub absences: Vec<(i64, i64, &'static str, &'static str)>,
    pub period_marks: Vec<GenPeriodMark>,
}

/// Subjects without marks or homework in the first grade, and subjects without homework.
fn gives_homework(subject: &str) -> bool {
    ![
        "Физическая культура",
        "Музыка",
        "Изобразительное искусство",
        "Труд (технология)",
    ]
    .iter()
    .any(|s| subject.starts_with(s))
}

/// Topics of a subject, as a teacher's plan lists them; a subject without its own list gets
/// numbered lessons.
fn topics_of(subject: &str, grade: i16) -> Vec<String> {
    let list: &[&str] = match subject {
        "Алгебра" if grade == 7 => &[
            "Повторение курса математики 5–6 классов",
            "Числа и вычисления: рациональные числа",
            "Степень с натуральным показателем",
            "Выражения с переменными",
            "Тождественные преобразования выражений",
            "Одночлены",
            "Многочлены: сложение и вычитание",
            "Умножение многочлена на одночлен",
            "Умножение многочленов",
            "Формулы сокращённого умножения",
            "Разложение многочлена на множители",
            "Линейное уравнение с одной переменной",
            "Решение задач с помощью уравнений",
            "Координатная прямая и плоскость",
            "Функция. График функции",
            "Линейная функция и её график",
            "Системы линейных уравнений",
            "Повторение и обобщение",
        ],
        "Алгебра" => &[
            "Повторение",
            "Квадратные корни",
            "Квадратные уравнения",
            "Рациональные выражения",
            "Неравенства",
            "Функции и их свойства",
            "Квадратичная функция",
            "Системы уравнений",
            "Последовательности и прогрессии",
            "Текстовые задачи",
            "Повторение и обобщение",
        ],
        "Геометрия" => &[
            "Начальные понятия геометрии",
            "Треугольники",
            "Признаки равенства треугольников",
            "Параллельные прямые",
            "Соотношения между сторонами и углами треугольника",
            "Окружность",
            "Четырёхугольники",
            "Площадь",
            "Подобные треугольники",
            "Повторение",
        ],
        "Русский язык" => &[
            "Повторение изученного",
            "Текст и его признаки",
            "Морфология и орфография",
            "Причастие",
            "Деепричастие",
            "Наречие",
            "Служебные части речи: предлог",
            "Союз",
            "Частица",
            "Междометие",
            "Синтаксис и пунктуация",
            "Развитие речи: изложение",
            "Развитие речи: сочинение",
            "Повторение и систематизация",
        ],
        "Литература" => &[
            "Введение. Литература как искусство слова",
            "Устное народное творчество",
            "Древнерусская литература",
            "А. С. Пушкин. Лирика",
            "М. Ю. Лермонтов. Стихотворения",
            "Н. В. Гоголь. Повесть",
            "И. С. Тургенев. Рассказ",
            "Н. А. Некрасов. Стихотворения",
            "Л. Н. Толстой. Рассказ",
            "А. П. Чехов. Рассказы",
            "Поэзия XX века",
            "Проза о Великой Отечественной войне",
            "Итоговый урок",
        ],
        "История" => &[
            "Введение",
            "Древний мир",
            "Средние века",
            "Русь в IX–XII веках",
            "Русские земли в XIII–XV веках",
            "Россия в XVI веке",
            "Смутное время",
            "Россия в XVII веке",
            "Повторение",
        ],
        "Физика" => &[
            "Физика и физические методы изучения природы",
            "Строение вещества",
            "Механическое движение",
            "Масса и плотность",
            "Сила. Виды сил",
            "Давление твёрдых тел, жидкостей и газов",
            "Архимедова сила",
            "Работа и мощность",
            "Простые механизмы",
            "Энергия",
            "Повторение",
        ],
        "Биология" => &[
            "Биология — наука о живой природе",
            "Клетка",
            "Ткани",
            "Органы и системы органов",
            "Растения",
            "Животные",
            "Экосистемы",
            "Повторение",
        ],
        "География" => &[
            "Географическая оболочка",
            "План и карта",
            "Литосфера",
            "Гидросфера",
            "Атмосфера",
            "Биосфера",
            "Население Земли",
            "Повторение",
        ],
        s if s.starts_with("Иностранный язык") => &[
            "Знакомство. Present Simple",
            "Моя семья",
            "Школьная жизнь",
            "Свободное время. Present Continuous",
            "Путешествия. Past Simple",
            "Природа и погода",
            "Город и транспорт",
            "Праздники и традиции",
            "Здоровый образ жизни",
            "Повторение",
        ],
        "Математика" => &[
            "Натуральные числа",
            "Действия с натуральными числами",
            "Делимость чисел",
            "Обыкновенные дроби",
            "Действия с обыкновенными дробями",
            "Десятичные дроби",
            "Действия с десятичными дробями",
            "Проценты",
            "Наглядная геометрия",
            "Решение текстовых задач",
            "Повторение",
        ],
        _ => &[],
    };
    if list.is_empty() {
        (1..=12).map(|n| format!("{subject}: тема {n}")).collect()
    } else {
        list.iter().map(|s| (*s).to_owned()).collect()
    }
}

/// A plan of `topics` over `lessons` lessons: each topic gets its share of hours.
fn plan_for(topics: &[String], lessons: usize) -> Vec<PlannedTopic> {
    let n = topics.len().max(1);
    let mut out = Vec::new();
    let mut given = 0usize;
    for (i, topic) in topics.iter().enumerate() {
        // Spread the lessons evenly; at most 10 hours a topic, the plan's limit.
        let share = (lessons * (i + 1) / n).saturating_sub(given).clamp(1, 10);
        given += share;
        out.push(PlannedTopic {
            line: i + 1,
            topic: topic.clone(),
            hours: share as u16,
            homework: String::new(),
        });
    }
    out
}

fn homework_text(subject: &str, rng: &mut Rng) -> String {
    let page = rng.range(10, 220);
    let n = rng.range(1, 600);
    match subject {
        "Русский язык" => format!("Упр. {n}"),
        "Литература" | "Литературное чтение" => {
            format!(
                "Прочитать с. {page}–{}, ответить на вопросы",
                page + rng.range(6, 20)
            )
        }
        s if s.starts_with("Иностранный язык") => {
            format!("Ex. {}, p. {page}", rng.range(1, 12))
        }
        "Алгебра" | "Геометрия" | "Математика" | "Физика" | "Вероятность и статистика" =>
        {
            format!("§ {}, № {n}–{}", rng.range(1, 40), n + rng.range(2, 6))
        }
        _ => format!("§ {}, вопросы на с. {page}", rng.range(1, 40)),
    }
}

/// A deterministic number from a few keys, for decisions that must agree across lessons
/// (a student absent the whole day, a student's usual level).
fn hash(keys: &[i64], seed: u64) -> u64 {
    let mut r = Rng::new(seed);
    let mut h = r.next_u64();
    for k in keys {
        let mut r = Rng::new(h ^ (*k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        h = r.next_u64();
    }
    h
}

/// A student's usual level, in hundredths: most are «good», some strong, some weak.
fn level(person: i64, seed: u64) -> i64 {
    match hash(&[person, 1], seed) % 100 {
        0..=19 => 470,
        20..=54 => 410,
        55..=89 => 360,
        _ => 310,
    }
}

/// One mark around the student's level: mostly their usual mark, sometimes one off.
fn mark_for(person: i64, subject: i64, rng: &mut Rng, seed: u64) -> u8 {
    // Each student is a little better or worse in each subject.
    let bias = (hash(&[person, subject, 2], seed) % 81) as i64 - 40;
    let centre = level(person, seed) + bias;
    let spread = i64::from(rng.range(0, 120)) - 60 + i64::from(rng.range(0, 60)) - 30;
    ((centre + spread + 50) / 100).clamp(2, 5) as u8
}

/// Generates the journal of the lessons before `today` (and the plans of the whole year).
pub fn generate(
    lessons: &[GenLesson],
    students: &HashMap<i64, Vec<i64>>,
    types: &[GenType],
    periods: &[GenPeriod],
    today: Date,
    seed: u64,
) -> Generated {
    let mut out = Generated::default();
    let type_id = |abbr: &str| types.iter().find(|t| t.abbreviation == abbr).map(|t| t.id);
    let weight_of: HashMap<i64, u8> = types.iter().map(|t| (t.id, t.weight)).collect();
    let (Some(answer), Some(homework_type)) = (type_id("УО"), type_id("ДЗ")) else {
        return out;
    };
    let mut rng = Rng::new(seed ^ 0x4A4F_5552_4E41_4C00);
    // The lessons of each (group, subject), in order.
    let mut series: Vec<((i64, i64), Vec<&GenLesson>)> = Vec::new();
    let mut index: HashMap<(i64, i64), usize> = HashMap::new();
    let mut sorted: Vec<&GenLesson> = lessons.iter().filter(|l| !l.cancelled).collect();
    sorted.sort_by_key(|l| (l.date, l.id));
    for l in sorted {
        let key = (l.group_id, l.subject_id);
        let i = *index.entry(key).or_insert_with(|| {
            series.push((key, Vec::new()));
            series.len() - 1
        });
        series[i].1.push(l);
    }
    // (period, subject, person) → marks counted in the period.
    let mut counted: HashMap<(i64, i64, i64), Vec<Counted>> = HashMap::new();
    let mut teacher_of: HashMap<(i64, i64), Option<i64>> = HashMap::new();
    let mut grading_of: HashMap<i64, Grading> = HashMap::new();
    for ((group, subject), list) in &series {
        let Some(first) = list.first() else { continue };
        let grade = first.grade;
        out.plans.push((
            (*group, *subject),
            plan_for(&topics_of(&first.subject, grade), list.len()),
        ));
        let members = students.get(group).map_or(&[][..], Vec::as_slice);
        // Weekly hours: a study year has about 33 weeks.
        let per_week = (list.len() as f64 / 33.0).max(1.0);
        // As the curriculum assesses it: grade 1 without marks, ОРКСЭ by pass or fail.
        let grading = default_grading(grade, &first.subject);
        grading_of.insert(*subject, grading);
        let marked = grading != Grading::None;
        let with_homework = grade >= 2 && gives_homework(&first.subject);
        for (n, l) in list.iter().enumerate() {
            if l.date >= today {
                break;
            }
            teacher_of.insert((*group, *subject), l.teacher_id);
            let period = periods.iter().find(|p| {
                p.scheme == default_scheme(grade) && p.start <= l.date && l.date <= p.finish
            });
            let present: Vec<i64> = members
                .iter()
                .copied()
                .filter(|p| {
                    let day = i64::from(l.date.day()) + 100 * i64::from(l.date.month());
                    let absent = hash(&[*p, day, 3], seed) % 100 < 4;
                    if absent {
                        let reason = if (today - l.date).get_days() <= 3 {
                            "unknown"
                        } else {
                            match hash(&[*p, day, 4], seed) % 20 {
                                0..=11 => "illness",
                                12..=16 => "excused",
                                17..=18 => "unexcused",
                                _ => "unknown",
                            }
                        };
                        out.absences.push((l.id, *p, "absent", reason));
                    } else if hash(&[*p, l.id, 5], seed).is_multiple_of(150) {
                        out.absences.push((l.id, *p, "late", "unknown"));
                    }
                    !absent
                })
                .collect();
            if with_homework && let Some(next) = list.get(n + 1) {
                out.homework
                    .push((l.id, homework_text(&l.subject, &mut rng), next.date));
            }
            if !marked {
                continue;
            }
            let mut record = |work_type: i64, kind: &'static str, who: &[i64], rng: &mut Rng| {
                let marks: Vec<(i64, MarkValue)> = who
                    .iter()
                    .map(|p| {
                        let points = mark_for(*p, *subject, rng, seed);
                        let value = match grading {
                            Grading::PassFail if points >= 3 => MarkValue::Pass,
                            Grading::PassFail => MarkValue::Fail,
                            _ => MarkValue::Points {
                                value: points,
                                sign: 0,
                            },
                        };
                        (*p, value)
                    })
                    .collect();
                if let Some(period) = period {
                    for (p, value) in &marks {
                        counted
                            .entry((period.id, *subject, *p))
                            .or_default()
                            .push(Counted {
                                value: *value,
                                weight: weight_of.get(&work_type).copied().unwrap_or(1),
                            });
                    }
                }
                let marks = marks.into_iter().map(|(p, v)| (p, v.code())).collect();
                out.works.push(GenWork {
                    lesson_id: l.id,
                    work_type_id: work_type,
                    kind,
                    marks,
                });
            };
            // A test every eighth lesson (a dictation or an essay in Russian and literature).
            if n % 8 == 7 {
                let abbr = match first.subject.as_str() {
                    "Русский язык" if n % 16 == 15 => "Д",
                    "Литература" => "Соч",
                    "Алгебра" | "Геометрия" | "Математика" | "Русский язык" | "Физика" => {
                        "КР"
                    }
                    _ => "ПР",
                };
                if let Some(t) = type_id(abbr) {
                    let who: Vec<i64> =
                        present.iter().copied().filter(|_| !rng.chance(4)).collect();
                    record(t, "lesson", &who, &mut rng);
                }
            }
            // Answers in class: about six marks a student a quarter, whatever the hours.
            let percent = ((62.0 / per_week) as u32).clamp(12, 45);
            let who: Vec<i64> = present
                .iter()
                .copied()
                .filter(|_| rng.chance(percent))
                .collect();
            if !who.is_empty() {
                record(answer, "lesson", &who, &mut rng);
            }
            // Now and then homework is collected and marked.
            if with_homework && n > 0 && rng.chance(12) {
                let who: Vec<i64> = present.iter().copied().filter(|_| rng.chance(15)).collect();
                if !who.is_empty() {
                    record(homework_type, "homework", &who, &mut rng);
                }
            }
        }
    }
    // Period marks of the periods already over, as the teacher confirmed Zhurnal's proposal.
    let rules = Rules::default();
    let mut keys: Vec<_> = counted.keys().copied().collect();
    keys.sort_unstable();
    for (period_id, subject, person) in keys {
        let Some(period) = periods.iter().find(|p| p.id == period_id) else {
            continue;
        };
        if period.finish >= today {
            continue;
        }
        let grading = grading_of
            .get(&subject)
            .copied()
            .unwrap_or(Grading::FivePoint);
        let proposal = propose_for(grading, &counted[&(period_id, subject, person)], &rules);
        let Some(mark) = proposal.mark else { continue };
        let group = students
            .iter()
            .filter(|(_, m)| m.contains(&person))
            .map(|(g, _)| *g)
            .find(|g| teacher_of.contains_key(&(*g, subject)));
        out.period_marks.push(GenPeriodMark {
            period_id,
            subject_id: subject,
            person_id: person,
            value: mark.code(),
            average_hundredths: proposal.average.map(|a| i32::from(a.hundredths)),
            set_by: group.and_then(|g| teacher_of[&(g, subject)]),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week_lessons(subject: &str, per_week: usize, grade: i16) -> Vec<GenLesson> {
        let mut out = Vec::new();
        let mut d = Date::constant(2026, 9, 1);
        let mut id = 1;
        while d < Date::constant(2027, 5, 25) {
            if d.weekday().to_monday_one_offset() <= per_week as i8 {
                out.push(GenLesson {
                    id,
                    date: d,
                    group_id: 10,
                    subject_id: 3,
                    subject: subject.into(),
                    grade,
                    teacher_id: Some(99),
                    cancelled: false,
                });
                id += 1;
            }
            d = d.tomorrow().unwrap();
        }
        out
    }

    fn types() -> Vec<GenType> {
        [
            ("УО", 1),
            ("ДЗ", 1),
            ("КР", 3),
            ("ПР", 2),
            ("Д", 3),
            ("Соч", 3),
        ]
        .iter()
        .enumerate()
        .map(|(i, (a, w))| GenType {
            id: i as i64 + 1,
            abbreviation: (*a).into(),
            weight: *w,
        })
        .collect()
    }

    fn quarter() -> Vec<GenPeriod> {
        vec![GenPeriod {
            id: 7,
            scheme: "quarters".into(),
            start: Date::constant(2026, 9, 1),
            finish: Date::constant(2026, 10, 24),
        }]
    }

    #[test]
    fn realistic_rates_and_only_the_past() {
        let lessons = week_lessons("Алгебра", 3, 7);
        let students = HashMap::from([(10, (100..125).collect::<Vec<i64>>())]);
        let today = Date::constant(2026, 11, 27);
        let g = generate(&lessons, &students, &types(), &quarter(), today, 1);
        let past: Vec<i64> = lessons
            .iter()
            .filter(|l| l.date < today)
            .map(|l| l.id)
            .collect();
        assert!(g.works.iter().all(|w| past.contains(&w.lesson_id)));
        assert!(g.homework.iter().all(|h| past.contains(&h.0)));
        // Marks per student in the first quarter: enough for a proposal, not a flood.
        let q1: Vec<i64> = lessons
            .iter()
            .filter(|l| l.date <= Date::constant(2026, 10, 24))
            .map(|l| l.id)
            .collect();
        let marks = g
            .works
            .iter()
            .filter(|w| q1.contains(&w.lesson_id))
            .flat_map(|w| &w.marks)
            .count();
        let per_student = marks as f64 / 25.0;
        assert!((4.0..=14.0).contains(&per_student), "{per_student}");
        // Tests happen, and all marks are on the 2–5 scale.
        assert!(g.works.iter().any(|w| w.work_type_id == 3));
        assert!(
            g.works
                .iter()
                .flat_map(|w| &w.marks)
                .all(|(_, v)| ["2", "3", "4", "5"].contains(&v.as_str()))
        );
        // Some absences, mostly explained, none after today.
        assert!(!g.absences.is_empty());
        assert!(g.absences.iter().all(|a| past.contains(&a.0)));
        // The first quarter is over: every student has a period mark, set by the teacher.
        assert_eq!(g.period_marks.len(), 25);
        assert!(
            g.period_marks
                .iter()
                .all(|m| m.set_by == Some(99) && m.average_hundredths.is_some())
        );
        // The plan covers the year.
        let planned: usize = g.plans[0].1.iter().map(|t| usize::from(t.hours)).sum();
        assert_eq!(planned, lessons.len());
    }

    #[test]
    fn first_graders_get_no_marks_and_no_homework() {
        let lessons = week_lessons("Математика", 4, 1);
        let students = HashMap::from([(10, vec![1, 2, 3])]);
        let g = generate(
            &lessons,
            &students,
            &types(),
            &quarter(),
            Date::constant(2026, 11, 27),
            1,
        );
        assert!(g.works.is_empty());
        assert!(g.homework.is_empty());
        assert!(g.period_marks.is_empty());
    }

    #[test]
    fn deterministic_for_a_seed() {
        let lessons = week_lessons("Русский язык", 5, 5);
        let students = HashMap::from([(10, (1..20).collect::<Vec<i64>>())]);
        let today = Date::constant(2026, 11, 27);
        let a = generate(&lessons, &students, &types(), &quarter(), today, 5);
        let b = generate(&lessons, &students, &types(), &quarter(), today, 5);
        assert_eq!(a.works.len(), b.works.len());
        assert_eq!(a.absences, b.absences);
    }
}
