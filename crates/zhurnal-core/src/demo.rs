//! A realistic, fictional school network generated deterministically from a seed.
//!
//! Pure data: the store loads a [`Network`] in a few batched transactions. IDs are assigned
//! here, densely from 1, so the same seed always gives the same rows. The benchmark generator
//! (`zhurnal gen`) will reuse [`Network::generate`] with bigger sizes.

use crate::bells::{Bell, standard_first_shift};
use crate::calendar::{Calendar, StudyWeek, recommended};
use crate::clock::study_year_of;
use crate::role::Role;
use crate::timetable::{Entry, Slot, Template};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashSet};

/// The fixed demo logins (password `demo`), in the order they are printed.
pub const DEMO_LOGINS: [(&str, Role); 10] = [
    ("director", Role::Director),
    ("deputy", Role::DeputyDirector),
    ("classteacher", Role::ClassTeacher),
    ("teacher", Role::Teacher),
    ("clerk", Role::Clerk),
    ("techadmin", Role::TechAdmin),
    ("student", Role::Student),
    ("parent", Role::Parent),
    ("inspector", Role::Inspector),
    ("operator", Role::MunicipalOperator),
];

pub const DEMO_PASSWORD: &str = "demo";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub id: i64,
    pub municipality_id: i64,
    pub short_name: String,
    pub full_name: String,
    pub city: String,
    pub time_zone: String,
}

/// A person's sex as the school's records keep it: one type for the demo and the roster.
pub use crate::roster::Sex;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub sex: Sex,
    pub birthday: Option<Date>,
}

/// A login account attached to a person. Only the demo creates accounts with a known password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub person_id: i64,
    pub login: String,
}

/// A role held in a scope: a school, a class within a school, or a whole municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub person_id: i64,
    pub role: Role,
    pub school_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub edu_group_id: Option<i64>,
}

/// A subgroup of a class (a language group…) with its own teacher and students.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subgroup {
    pub id: i64,
    pub school_id: i64,
    pub class_id: i64,
    pub name: String,
    pub study_year: i16,
}

/// A class (parallel + letter) of a school year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub id: i64,
    pub school_id: i64,
    pub parallel: i16,
    pub letter: String,
    pub study_year: i16,
    pub class_teacher_id: i64,
    pub capacity: i32,
}

impl Class {
    /// «7Б»: the name printed everywhere.
    pub fn name(&self) -> String {
        format!("{}{}", self.parallel, self.letter)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub school_id: i64,
    pub edu_group_id: i64,
    pub person_id: i64,
    pub since: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentLink {
    pub parent_id: i64,
    pub child_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    pub knowledge_area: String,
}

/// Teacher × subject × class × weekly hours (the teaching load).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub school_id: i64,
    pub teacher_id: i64,
    pub subject_id: i64,
    pub edu_group_id: i64,
    pub hours_per_week: i16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub id: i64,
    pub school_id: i64,
    pub study_year: i16,
    /// `quarters` (grades 1–9 by default) or `half_years` (grades 10–11).
    pub scheme: &'static str,
    /// `quarter`, `half_year` or `year`.
    pub kind: &'static str,
    pub number: i16,
    pub name: String,
    pub start: Date,
    pub finish: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkType {
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    pub abbreviation: String,
    pub weight: i16,
    pub is_final: bool,
}

/// Everything the demo creates.
#[derive(Debug, Clone, Default)]
pub struct Network {
    pub municipality: Option<Municipality>,
    pub schools: Vec<School>,
    pub persons: Vec<Person>,
    pub accounts: Vec<Account>,
    pub grants: Vec<Grant>,
    pub classes: Vec<Class>,
    /// From grade 5 English is taught in two subgroups of each class.
    pub subgroups: Vec<Subgroup>,
    pub memberships: Vec<Membership>,
    pub parent_links: Vec<ParentLink>,
    pub subjects: Vec<Subject>,
    pub assignments: Vec<Assignment>,
    pub periods: Vec<Period>,
    pub work_types: Vec<WorkType>,
    /// Per school: the academic year's calendar.
    pub calendars: Vec<(i64, Calendar)>,
    /// Per school: the first shift's bells.
    pub bells: Vec<(i64, Vec<Bell>)>,
    /// Per school: each class's weekly timetable from the first day of the year.
    pub templates: Vec<(i64, Template)>,
    /// Staff records: (school, person, position).
    pub staff: Vec<(i64, i64, String)>,
    /// The curriculum plan: (school, parallel, subject, weekly hours, grading).
    pub curriculum: Vec<(i64, i16, i64, i16, crate::curriculum::Grading)>,
}

/// How big the generated network is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Classes per parallel 1–11 of the main school.
    pub main_letters: [u8; 11],
    /// Students per class, inclusive range.
    pub class_size: (u32, u32),
    /// Further schools.
    pub other_schools: u32,
    /// Classes per parallel 1–11 of each further school.
    pub other_letters: [u8; 11],
    /// Whether every student, parent and teacher gets a login (`s…`, `p…`, `t…` and the
    /// person's id), as the benchmark's many different users need; the demo has its fixed
    /// logins only.
    pub every_account: bool,
}

impl Size {
    /// About 30 classes and 700 students in the main school, and a smaller second school.
    pub const DEMO: Size = Size {
        main_letters: [3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2],
        class_size: (20, 27),
        other_schools: 1,
        other_letters: [1; 11],
        every_account: false,
    };

    /// `schools` schools of about `students` students each (classes of 22–28, spread over
    /// the eleven grades, at most five classes a grade), everyone with a login.
    pub fn city(schools: u32, students: u32) -> Size {
        let classes = (students as f64 / 25.0).round().max(1.0) as u32;
        let mut letters = [0u8; 11];
        for k in 0..classes.min(11 * LETTERS.len() as u32) {
            letters[(k % 11) as usize] += 1;
        }
        // A school smaller than eleven classes still has every grade.
        for l in letters.iter_mut() {
            *l = (*l).max(1);
        }
        Size {
            main_letters: letters,
            class_size: (22, 28),
            other_schools: schools.saturating_sub(1),
            other_letters: letters,
            every_account: true,
        }
    }
}

/// A small deterministic generator (SplitMix64): no dependency, identical on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next_u64() % u64::from(hi - lo + 1)) as u32
    }

    pub fn chance(&mut self, percent: u32) -> bool {
        self.range(1, 100) <= percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}

// Names: (male form, female form) of surnames; first names with their patronymic forms.
const SURNAMES: &[(&str, &str)] = &[
    ("Иванов", "Иванова"),
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Васильев", "Васильева"),
    ("Петров", "Петрова"),
    ("Соколов", "Соколова"),
    ("Михайлов", "Михайлова"),
    ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Алексеев", "Алексеева"),
    ("Лебедев", "Лебедева"),
    ("Семёнов", "Семёнова"),
    ("Егоров", "Егорова"),
    ("Павлов", "Павлова"),
    ("Козлов", "Козлова"),
    ("Степанов", "Степанова"),
    ("Николаев", "Николаева"),
    ("Орлов", "Орлова"),
    ("Андреев", "Андреева"),
    ("Макаров", "Макарова"),
    ("Никитин", "Никитина"),
    ("Захаров", "Захарова"),
    ("Зайцев", "Зайцева"),
    ("Соловьёв", "Соловьёва"),
    ("Борисов", "Борисова"),
    ("Яковлев", "Яковлева"),
    ("Григорьев", "Григорьева"),
    ("Романов", "Романова"),
    ("Воробьёв", "Воробьёва"),
    ("Сергеев", "Сергеева"),
    ("Кузьмин", "Кузьмина"),
    ("Фролов", "Фролова"),
    ("Александров", "Александрова"),
    ("Дмитриев", "Дмитриева"),
    ("Королёв", "Королёва"),
    ("Гусев", "Гусева"),
    ("Киселёв", "Киселёва"),
    ("Ильин", "Ильина"),
    ("Максимов", "Максимова"),
    ("Поляков", "Полякова"),
    ("Сорокин", "Сорокина"),
    ("Виноградов", "Виноградова"),
    ("Ковалёв", "Ковалёва"),
    ("Белов", "Белова"),
    ("Медведев", "Медведева"),
    ("Антонов", "Антонова"),
    ("Тарасов", "Тарасова"),
    ("Жуков", "Жукова"),
    ("Баранов", "Баранова"),
    ("Филиппов", "Филиппова"),
    ("Комаров", "Комарова"),
    ("Давыдов", "Давыдова"),
    ("Беляев", "Беляева"),
    ("Герасимов", "Герасимова"),
    ("Богданов", "Богданова"),
    ("Осипов", "Осипова"),
    ("Сидоров", "Сидорова"),
    ("Матвеев", "Матвеева"),
    ("Титов", "Титова"),
    ("Марков", "Маркова"),
    ("Миронов", "Миронова"),
    ("Крылов", "Крылова"),
    ("Куликов", "Куликова"),
    ("Карпов", "Карпова"),
    ("Власов", "Власова"),
    ("Мельников", "Мельникова"),
    ("Денисов", "Денисова"),
    ("Гаврилов", "Гаврилова"),
    ("Тихонов", "Тихонова"),
    ("Ким", "Ким"),
    ("Шевченко", "Шевченко"),
    ("Бондаренко", "Бондаренко"),
    ("Ли", "Ли"),
    ("Черных", "Черных"),
    ("Седых", "Седых"),
];

/// (first name, patronymic from it for a son, for a daughter).
const MALE_NAMES: &[(&str, &str, &str)] = &[
    ("Александр", "Александрович", "Александровна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Андрей", "Андреевич", "Андреевна"),
    ("Артём", "Артёмович", "Артёмовна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Иван", "Иванович", "Ивановна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Илья", "Ильич", "Ильинична"),
    ("Кирилл", "Кириллович", "Кирилловна"),
    ("Максим", "Максимович", "Максимовна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Никита", "Никитич", "Никитична"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Олег", "Олегович", "Олеговна"),
    ("Павел", "Павлович", "Павловна"),
    ("Роман", "Романович", "Романовна"),
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Тимофей", "Тимофеевич", "Тимофеевна"),
    ("Фёдор", "Фёдорович", "Фёдоровна"),
    ("Юрий", "Юрьевич", "Юрьевна"),
    ("Матвей", "Матвеевич", "Матвеевна"),
    ("Степан", "Степанович", "Степановна"),
    ("Лев", "Львович", "Львовна"),
    ("Глеб", "Глебович", "Глебовна"),
    ("Егор", "Егорович", "Егоровна"),
    ("Даниил", "Даниилович", "Данииловна"),
    ("Константин", "Константинович", "Константиновна"),
    ("Виктор", "Викторович", "Викторовна"),
];

const FEMALE_NAMES: &[&str] = &[
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Екатерина",
    "Юлия",
    "Анастасия",
    "Дарья",
    "Полина",
    "Софья",
    "Виктория",
    "Алиса",
    "Ксения",
    "Варвара",
    "Вероника",
    "Арина",
    "Ева",
    "Милана",
    "Валерия",
    "Людмила",
    "Галина",
    "Надежда",
    "Марина",
    "Оксана",
    "Алёна",
    "Кира",
];

/// Subjects with the parallels they are taught in, weekly hours and knowledge area.
const SUBJECTS: &[(&str, &str, i16, i16, i16)] = &[
    ("Русский язык", "Филология", 1, 11, 4),
    ("Литературное чтение", "Филология", 1, 4, 3),
    ("Литература", "Филология", 5, 11, 3),
    (
        "Иностранный язык (английский)",
        "Иностранные языки",
        2,
        11,
        3,
    ),
    ("Математика", "Математика и информатика", 1, 6, 5),
    ("Алгебра", "Математика и информатика", 7, 11, 3),
    ("Геометрия", "Математика и информатика", 7, 11, 2),
    (
        "Вероятность и статистика",
        "Математика и информатика",
        7,
        11,
        1,
    ),
    ("Информатика", "Математика и информатика", 7, 11, 1),
    ("Окружающий мир", "Обществознание и естествознание", 1, 4, 2),
    ("История", "Общественно-научные предметы", 5, 11, 2),
    ("Обществознание", "Общественно-научные предметы", 6, 11, 1),
    ("География", "Общественно-научные предметы", 5, 11, 1),
    ("Биология", "Естественно-научные предметы", 5, 11, 1),
    ("Физика", "Естественно-научные предметы", 7, 11, 2),
    ("Химия", "Естественно-научные предметы", 8, 11, 2),
    ("Музыка", "Искусство", 1, 8, 1),
    ("Изобразительное искусство", "Искусство", 1, 7, 1),
    ("Труд (технология)", "Технология", 1, 9, 1),
    ("Физическая культура", "Физическая культура", 1, 11, 2),
    (
        "Основы безопасности и защиты Родины",
        "Физическая культура",
        8,
        11,
        1,
    ),
    (
        "ОРКСЭ",
        "Основы религиозных культур и светской этики",
        4,
        4,
        1,
    ),
];

/// Default work types and weights (DOMAIN.md §1.2), editable per school later.
const WORK_TYPES: &[(&str, &str, i16, bool)] = &[
    ("Ответ на уроке", "УО", 1, false),
    ("Домашняя работа", "ДЗ", 1, false),
    ("Самостоятельная работа", "СР", 2, false),
    ("Проверочная работа", "ПР", 2, false),
    ("Тест", "Т", 2, false),
    ("Практическая работа", "ПрР", 2, false),
    ("Лабораторная работа", "ЛР", 2, false),
    ("Диктант", "Д", 3, false),
    ("Сочинение", "Соч", 3, false),
    ("Контрольная работа", "КР", 3, false),
    ("Проект", "Пр", 2, false),
    ("Четвертная отметка", "Чет", 0, true),
    ("Полугодовая отметка", "Пол", 0, true),
    ("Годовая отметка", "Год", 0, true),
    ("Итоговая отметка", "Ит", 0, true),
];

const LETTERS: [&str; 5] = ["А", "Б", "В", "Г", "Д"];

/// The demo classes: the demo student studies in 7Б, whose class teacher is `classteacher`.
const DEMO_PARALLEL: i16 = 7;
/// A subject to place in a class's week: (subject, the (group, teacher) pairs that have it at
/// the same time, weekly hours).
type Unit = (i64, Vec<(i64, i64)>, i16);

/// Taught in two subgroups from grade 5.
const ENGLISH: &str = "Иностранный язык (английский)";
const DEMO_LETTER: &str = "Б";

struct Builder {
    rng: Rng,
    net: Network,
    next_person: i64,
    next_group: i64,
    next_subject: i64,
    next_period: i64,
    next_work_type: i64,
    study_year: i16,
}

impl Network {
    /// The network for the academic year that contains `today`.
    pub fn generate(seed: u64, size: Size, today: Date) -> Network {
        let mut b = Builder {
            rng: Rng::new(seed),
            net: Network::default(),
            next_person: 1,
            next_group: 1,
            next_subject: 1,
            next_period: 1,
            next_work_type: 1,
            study_year: study_year_of(today),
        };
        b.net.municipality = Some(Municipality {
            id: 1,
            name: "Городской округ «Город Светлоярск»".into(),
            time_zone: "Asia/Vladivostok".into(),
        });
        b.school(1, "МБОУ СОШ № 7", "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 7» г. Светлоярска", &size.main_letters, size.class_size, true);
        for k in 0..size.other_schools {
            let id = 2 + i64::from(k);
            let number = 12 + 3 * k;
            b.school(
                id,
                &format!("МБОУ СОШ № {number}"),
                &format!("Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № {number}» г. Светлоярска"),
                &size.other_letters,
                size.class_size,
                false,
            );
        }
        b.municipal_staff();
        if size.every_account {
            b.every_account();
        }
        b.net
    }

    /// The person a demo login belongs to.
    pub fn demo_person(&self, login: &str) -> Option<i64> {
        self.accounts
            .iter()
            .find(|a| a.login == login)
            .map(|a| a.person_id)
    }
}

impl Builder {
    fn person(
        &mut self,
        sex: Sex,
        surname: (&str, &str),
        father: Option<usize>,
        birth_year: i16,
    ) -> i64 {
        let id = self.next_person;
        self.next_person += 1;
        let father_name =
            father.unwrap_or_else(|| self.rng.range(0, MALE_NAMES.len() as u32 - 1) as usize);
        let (first, middle) = match sex {
            Sex::Male => {
                let n = self.rng.pick(MALE_NAMES).0;
                (n, MALE_NAMES[father_name].1)
            }
            Sex::Female => (*self.rng.pick(FEMALE_NAMES), MALE_NAMES[father_name].2),
        };
        let month = self.rng.range(1, 12) as i8;
        let day = self.rng.range(1, 28) as i8;
        self.net.persons.push(Person {
            id,
            last_name: match sex {
                Sex::Male => surname.0.into(),
                Sex::Female => surname.1.into(),
            },
            first_name: first.into(),
            middle_name: middle.into(),
            sex,
            birthday: Date::new(birth_year, month, day).ok(),
        });
        id
    }

    fn random_adult(&mut self, born_from: u32, born_to: u32) -> i64 {
        let sex = if self.rng.chance(80) {
            Sex::Female
        } else {
            Sex::Male
        };
        let surname = *self.rng.pick(SURNAMES);
        let year = self.rng.range(born_from, born_to) as i16;
        self.person(sex, surname, None, year)
    }

    fn grant(&mut self, person_id: i64, role: Role, school_id: i64, group: Option<i64>) {
        self.net.grants.push(Grant {
            person_id,
            role,
            school_id: Some(school_id),
            municipality_id: None,
            edu_group_id: group,
        });
    }

    fn account(&mut self, login: &str, person_id: i64) {
        let id = self.net.accounts.len() as i64 + 1;
        self.net.accounts.push(Account {
            id,
            person_id,
            login: login.into(),
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn school(
        &mut self,
        id: i64,
        short: &str,
        full: &str,
        letters: &[u8; 11],
        class_size: (u32, u32),
        main: bool,
    ) {
        self.net.schools.push(School {
            id,
            municipality_id: 1,
            short_name: short.into(),
            full_name: full.into(),
            city: "Светлоярск".into(),
            time_zone: "Asia/Vladivostok".into(),
        });
        self.reference_data(id);
        self.curriculum(id);
        let y = self.study_year;

        // Administration.
        let director = self.random_adult(1965, 1980);
        self.grant(director, Role::Director, id, None);
        let deputy = self.random_adult(1970, 1985);
        self.grant(deputy, Role::DeputyDirector, id, None);
        self.grant(deputy, Role::Teacher, id, None);
        let deputy2 = self.random_adult(1970, 1988);
        self.grant(deputy2, Role::DeputyDirector, id, None);
        let clerk = self.random_adult(1975, 1998);
        self.grant(clerk, Role::Clerk, id, None);
        let tech = self.random_adult(1985, 2000);
        self.grant(tech, Role::TechAdmin, id, None);
        if main {
            self.account("director", director);
            self.account("deputy", deputy);
            self.account("clerk", clerk);
            self.account("techadmin", tech);
        }

        // Classes, each with a class teacher who also teaches in it.
        let mut classes = Vec::new();
        for (i, &count) in letters.iter().enumerate() {
            let parallel = i as i16 + 1;
            for letter in LETTERS.iter().take(count as usize) {
                let teacher = self.random_adult(1960, 1999);
                self.grant(teacher, Role::Teacher, id, None);
                let gid = self.next_group;
                self.next_group += 1;
                self.grant(teacher, Role::ClassTeacher, id, Some(gid));
                if main && parallel == DEMO_PARALLEL && *letter == DEMO_LETTER {
                    self.account("classteacher", teacher);
                }
                self.net.classes.push(Class {
                    id: gid,
                    school_id: id,
                    parallel,
                    letter: (*letter).into(),
                    study_year: y,
                    class_teacher_id: teacher,
                    capacity: 30,
                });
                classes.push((gid, parallel, teacher));
            }
        }

        // Subject teachers: one per subject per level band, plus the class teachers of 1–4
        // who teach most primary subjects themselves (as Russian primary schools do).
        let school_subjects: Vec<(i64, i16, i16, i16)> = self
            .net
            .subjects
            .iter()
            .filter(|s| s.school_id == id)
            .map(|s| {
                let spec = SUBJECTS
                    .iter()
                    .find(|t| t.0 == s.name)
                    .map(|t| (t.2, t.3, t.4))
                    .unwrap_or((1, 11, 1));
                (s.id, spec.0, spec.1, spec.2)
            })
            .collect();
        let mut specialists: Vec<(i64, i64)> = Vec::new(); // (subject, teacher) for grades 5–11
        let math_demo_subject = school_subjects
            .iter()
            .find(|s| {
                self.net
                    .subjects
                    .iter()
                    .any(|x| x.id == s.0 && x.name == "Алгебра")
            })
            .map(|s| s.0);
        for (k, (gid, parallel, class_teacher)) in classes.clone().into_iter().enumerate() {
            // From grade 5 the class teacher teaches one subject in their class (and so
            // takes it in other classes too while they have hours to spare).
            const OWN: [&str; 5] = [
                "Русский язык",
                "Литература",
                "История",
                "География",
                "Биология",
            ];
            let own = OWN[k % OWN.len()];
            for &(sid, from, to, hours) in &school_subjects {
                if parallel < from || parallel > to {
                    continue;
                }
                if parallel >= 5 && self.subject_name(sid) == own {
                    if !specialists.contains(&(sid, class_teacher)) {
                        specialists.insert(0, (sid, class_teacher));
                    }
                    self.net.assignments.push(Assignment {
                        school_id: id,
                        teacher_id: class_teacher,
                        subject_id: sid,
                        edu_group_id: gid,
                        hours_per_week: hours,
                    });
                    continue;
                }
                if parallel >= 5 && self.subject_name(sid) == ENGLISH {
                    // Two language groups, each with its own teacher (DOMAIN.md §3).
                    let first = self.specialist(&mut specialists, sid, id, None);
                    let second = self.specialist(&mut specialists, sid, id, Some(first));
                    for (k, teacher) in [first, second].into_iter().enumerate() {
                        let group = self.next_group;
                        self.next_group += 1;
                        self.net.subgroups.push(Subgroup {
                            id: group,
                            school_id: id,
                            class_id: gid,
                            name: format!("Английский, гр. {}", k + 1),
                            study_year: y,
                        });
                        self.net.assignments.push(Assignment {
                            school_id: id,
                            teacher_id: teacher,
                            subject_id: sid,
                            edu_group_id: group,
                            hours_per_week: hours,
                        });
                    }
                    continue;
                }
                let teacher = if parallel <= 4
                    && !matches!(
                        self.subject_name(sid),
                        ENGLISH | "Физическая культура" | "Музыка"
                    ) {
                    class_teacher
                } else {
                    self.specialist(&mut specialists, sid, id, None)
                };
                self.net.assignments.push(Assignment {
                    school_id: id,
                    teacher_id: teacher,
                    subject_id: sid,
                    edu_group_id: gid,
                    hours_per_week: hours,
                });
            }
        }
        if main {
            // The demo teacher teaches algebra in the demo class.
            let demo_class = classes.iter().find(|c| c.1 == DEMO_PARALLEL).map(|c| c.0);
            let demo_class = self
                .net
                .classes
                .iter()
                .find(|c| {
                    c.school_id == id && c.parallel == DEMO_PARALLEL && c.letter == DEMO_LETTER
                })
                .map(|c| c.id)
                .or(demo_class);
            if let (Some(subject), Some(class)) = (math_demo_subject, demo_class) {
                let teacher = self
                    .net
                    .assignments
                    .iter()
                    .find(|a| a.edu_group_id == class && a.subject_id == subject)
                    .map(|a| a.teacher_id);
                if let Some(t) = teacher {
                    self.account("teacher", t);
                }
            }
        }

        self.timetable(id);
        self.staff(id);

        // Students and their families.
        let since = Date::new(y, 9, 1).unwrap_or(Date::constant(2026, 9, 1));
        let mut first_child_of_demo_parent = None;
        for (gid, parallel, _) in classes {
            let n = self.rng.range(class_size.0, class_size.1);
            let birth_year = y - 6 - parallel;
            let groups: Vec<i64> = self
                .net
                .subgroups
                .iter()
                .filter(|g| g.class_id == gid)
                .map(|g| g.id)
                .collect();
            for k in 0..n {
                let surname = *self.rng.pick(SURNAMES);
                let father_name = self.rng.range(0, MALE_NAMES.len() as u32 - 1) as usize;
                let sex = if self.rng.chance(50) {
                    Sex::Male
                } else {
                    Sex::Female
                };
                let child = self.person(sex, surname, Some(father_name), birth_year);
                self.grant(child, Role::Student, id, None);
                self.net.memberships.push(Membership {
                    school_id: id,
                    edu_group_id: gid,
                    person_id: child,
                    since,
                });
                // Alternately into the class's language groups.
                if !groups.is_empty() {
                    self.net.memberships.push(Membership {
                        school_id: id,
                        edu_group_id: groups[k as usize % groups.len()],
                        person_id: child,
                        since,
                    });
                }
                // Mother almost always on file, father often.
                let mother_age = self.rng.range(22, 38) as i16;
                let mother = self.person(Sex::Female, surname, None, birth_year - mother_age);
                self.grant(mother, Role::Parent, id, None);
                self.net.parent_links.push(ParentLink {
                    parent_id: mother,
                    child_id: child,
                });
                if self.rng.chance(55) {
                    let father_age = self.rng.range(24, 42) as i16;
                    let father = self.person(Sex::Male, surname, None, birth_year - father_age);
                    // The father's first name is the child's patronymic source (he is the
                    // person just added).
                    if let Some(p) = self.net.persons.last_mut().filter(|p| p.id == father) {
                        p.first_name = MALE_NAMES[father_name].0.into();
                    }
                    self.grant(father, Role::Parent, id, None);
                    self.net.parent_links.push(ParentLink {
                        parent_id: father,
                        child_id: child,
                    });
                }
                if main
                    && parallel == DEMO_PARALLEL
                    && k == 0
                    && self.class_letter(gid) == DEMO_LETTER
                {
                    self.account("student", child);
                    self.account("parent", mother);
                    first_child_of_demo_parent = Some((mother, surname, father_name));
                }
            }
        }
        // The demo parent has a second child, in 3А, so switching between children can be shown.
        if let Some((mother, surname, father_name)) = first_child_of_demo_parent
            && let Some(class) = self
                .net
                .classes
                .iter()
                .find(|c| c.school_id == id && c.parallel == 3 && c.letter == "А")
                .map(|c| c.id)
        {
            let sibling = self.person(Sex::Female, surname, Some(father_name), y - 9);
            self.grant(sibling, Role::Student, id, None);
            self.net.memberships.push(Membership {
                school_id: id,
                edu_group_id: class,
                person_id: sibling,
                since,
            });
            self.net.parent_links.push(ParentLink {
                parent_id: mother,
                child_id: sibling,
            });
        }
    }

    /// A login for every student, parent and teacher without one: `s`, `p` or `t` and the
    /// person's id.
    fn every_account(&mut self) {
        let mut seen: std::collections::HashSet<i64> =
            self.net.accounts.iter().map(|a| a.person_id).collect();
        let grants: Vec<(i64, Role)> = self
            .net
            .grants
            .iter()
            .map(|g| (g.person_id, g.role))
            .collect();
        for (person, role) in grants {
            let prefix = match role {
                Role::Student => "s",
                Role::Parent => "p",
                Role::Teacher => "t",
                _ => continue,
            };
            if seen.insert(person) {
                self.account(&format!("{prefix}{person}"), person);
            }
        }
    }

    fn class_letter(&self, gid: i64) -> &str {
        self.net
            .classes
            .iter()
            .find(|c| c.id == gid)
            .map(|c| c.letter.as_str())
            .unwrap_or("")
    }

    fn subject_name(&self, sid: i64) -> &str {
        self.net
            .subjects
            .iter()
            .find(|s| s.id == sid)
            .map(|s| s.name.as_str())
            .unwrap_or("")
    }

    /// A subject teacher for grades 5–11 (other than `not`, for the second group of a split
    /// class): reuse one with spare capacity, else hire.
    fn specialist(
        &mut self,
        specialists: &mut Vec<(i64, i64)>,
        subject: i64,
        school: i64,
        not: Option<i64>,
    ) -> i64 {
        let load = |t: i64, a: &[Assignment]| {
            a.iter()
                .filter(|x| x.teacher_id == t)
                .map(|x| i32::from(x.hours_per_week))
                .sum::<i32>()
        };
        for &(s, t) in specialists.iter() {
            if s == subject && Some(t) != not && load(t, &self.net.assignments) < 24 {
                return t;
            }
        }
        let t = self.random_adult(1960, 1999);
        self.grant(t, Role::Teacher, school, None);
        specialists.push((subject, t));
        t
    }

    /// A position for every staff member of the school, from their roles.
    fn staff(&mut self, school_id: i64) {
        let mut seen: Vec<i64> = Vec::new();
        for role in [
            Role::Director,
            Role::DeputyDirector,
            Role::Clerk,
            Role::TechAdmin,
            Role::Teacher,
        ] {
            let people: Vec<i64> = self
                .net
                .grants
                .iter()
                .filter(|g| g.school_id == Some(school_id) && g.role == role)
                .map(|g| g.person_id)
                .collect();
            for p in people {
                if seen.contains(&p) {
                    continue;
                }
                seen.push(p);
                let position = match role {
                    Role::Director => "Директор",
                    Role::DeputyDirector => "Заместитель директора по учебной работе",
                    Role::Clerk => "Секретарь учебной части",
                    Role::TechAdmin => "Инженер-программист",
                    _ => "Учитель",
                };
                self.net.staff.push((school_id, p, position.to_owned()));
            }
        }
    }

    /// The curriculum plan from the subject table: hours per parallel, grade 1 not marked.
    fn curriculum(&mut self, school_id: i64) {
        let rows: Vec<(i64, i16, i64, i16, crate::curriculum::Grading)> = self
            .net
            .subjects
            .iter()
            .filter(|s| s.school_id == school_id)
            .filter_map(|s| SUBJECTS.iter().find(|t| t.0 == s.name).map(|t| (s, t)))
            .flat_map(|(s, t)| {
                (t.2..=t.3).map(move |g| {
                    (
                        school_id,
                        g,
                        s.id,
                        t.4,
                        crate::curriculum::default_grading(g, &s.name),
                    )
                })
            })
            .collect();
        self.net.curriculum.extend(rows);
    }

    /// A weekly timetable for every class of the school, built greedily from the teaching
    /// load: each lesson goes to the least busy day of the class, at the first number where
    /// both the class and the teacher are free, within the day's limit for the grade
    /// (DOMAIN.md §3). Every teacher has their own room, so rooms never clash.
    fn timetable(&mut self, school_id: i64) {
        let calendar = recommended(self.study_year, StudyWeek::Five);
        let start = calendar.start;
        self.net.calendars.push((school_id, calendar));
        self.net.bells.push((school_id, standard_first_shift()));
        let mut rooms: BTreeMap<i64, String> = BTreeMap::new();
        let mut teacher_busy: HashSet<(i64, i8, i16)> = HashSet::new();
        let classes: Vec<(i64, i16)> = self
            .net
            .classes
            .iter()
            .filter(|c| c.school_id == school_id)
            .map(|c| (c.id, c.parallel))
            .collect();
        let mut next_entry = self
            .net
            .templates
            .iter()
            .map(|(_, t)| t.entries.len() as i64)
            .sum::<i64>()
            + 1;
        for (class_id, parallel) in classes {
            let max_per_day: i16 = match parallel {
                1 => 4,
                2..=4 => 5,
                5 | 6 => 6,
                _ => 7,
            };
            // A unit is a subject with the (group, teacher) pairs that have it at the same
            // time: the whole class, or its subgroups side by side.
            let subgroups: Vec<i64> = self
                .net
                .subgroups
                .iter()
                .filter(|g| g.class_id == class_id)
                .map(|g| g.id)
                .collect();
            let mut units: Vec<Unit> = Vec::new();
            for a in self
                .net
                .assignments
                .iter()
                .filter(|a| a.edu_group_id == class_id || subgroups.contains(&a.edu_group_id))
            {
                match units.iter_mut().find(|u| {
                    u.0 == a.subject_id && a.edu_group_id != class_id && u.1[0].0 != class_id
                }) {
                    Some(u) => u.1.push((a.edu_group_id, a.teacher_id)),
                    None => units.push((
                        a.subject_id,
                        vec![(a.edu_group_id, a.teacher_id)],
                        a.hours_per_week,
                    )),
                }
            }
            units.sort_by_key(|u| std::cmp::Reverse(u.2));
            let mut class_busy: HashSet<(i8, i16)> = HashSet::new();
            let mut per_day = [0i16; 6];
            let mut entries = Vec::new();
            for (subject_id, pairs, hours) in units {
                let teachers: Vec<i64> = pairs.iter().map(|p| p.1).collect();
                let free = |busy: &HashSet<(i64, i8, i16)>, d: i8, n: i16| {
                    teachers.iter().all(|t| !busy.contains(&(*t, d, n)))
                };
                let mut used_days: Vec<i8> = Vec::new();
                for _ in 0..hours {
                    let mut days: Vec<i8> = (1..=5).collect();
                    // Spread a subject over the week before doubling up on a day.
                    days.sort_by_key(|d| (used_days.contains(d), per_day[*d as usize], *d));
                    let placed = days.iter().find_map(|&d| {
                        (1..=max_per_day)
                            .find(|&n| !class_busy.contains(&(d, n)) && free(&teacher_busy, d, n))
                            .map(|n| (d, n))
                    });
                    // No free place: move one of the class's lessons aside to make room.
                    let placed = placed.or_else(|| {
                        let all: Vec<(i8, i16)> = (1..=5)
                            .flat_map(|d| (1..=max_per_day).map(move |n| (d, n)))
                            .collect();
                        for &(d, n) in &all {
                            if !free(&teacher_busy, d, n) {
                                continue;
                            }
                            let here = Slot {
                                weekday: d,
                                number: n,
                            };
                            // Only a whole-class lesson is moved aside, never half a split.
                            if entries.iter().filter(|e: &&Entry| e.slot == here).count() != 1 {
                                continue;
                            }
                            let Some(pos) = entries.iter().position(|e: &Entry| e.slot == here)
                            else {
                                continue;
                            };
                            let other = entries[pos].teacher_id;
                            let free = all.iter().find(|(d2, n2)| {
                                !class_busy.contains(&(*d2, *n2))
                                    && !teacher_busy.contains(&(other, *d2, *n2))
                            });
                            if let Some(&(d2, n2)) = free {
                                teacher_busy.remove(&(other, d, n));
                                teacher_busy.insert((other, d2, n2));
                                class_busy.insert((d2, n2));
                                per_day[d2 as usize] += 1;
                                per_day[d as usize] -= 1;
                                class_busy.remove(&(d, n));
                                entries[pos].slot = Slot {
                                    weekday: d2,
                                    number: n2,
                                };
                                return Some((d, n));
                            }
                        }
                        None
                    });
                    let Some((d, n)) = placed else { continue };
                    class_busy.insert((d, n));
                    per_day[d as usize] += 1;
                    used_days.push(d);
                    for &(group_id, teacher_id) in &pairs {
                        teacher_busy.insert((teacher_id, d, n));
                        let room_count = rooms.len();
                        let room = rooms
                            .entry(teacher_id)
                            .or_insert_with(|| format!("{}", 101 + room_count))
                            .clone();
                        entries.push(Entry {
                            id: next_entry,
                            group_id,
                            subject_id,
                            teacher_id,
                            room,
                            slot: Slot {
                                weekday: d,
                                number: n,
                            },
                        });
                        next_entry += 1;
                    }
                }
            }
            entries.sort_by_key(|e| e.slot);
            self.net.templates.push((
                school_id,
                Template {
                    class_id,
                    valid_from: start,
                    entries,
                },
            ));
        }
    }

    fn reference_data(&mut self, school_id: i64) {
        for (name, area, ..) in SUBJECTS {
            let id = self.next_subject;
            self.next_subject += 1;
            self.net.subjects.push(Subject {
                id,
                school_id,
                name: (*name).into(),
                knowledge_area: (*area).into(),
            });
        }
        for (name, abbr, weight, is_final) in WORK_TYPES {
            let id = self.next_work_type;
            self.next_work_type += 1;
            self.net.work_types.push(WorkType {
                id,
                school_id,
                name: (*name).into(),
                abbreviation: (*abbr).into(),
                weight: *weight,
                is_final: *is_final,
            });
        }
        let y = self.study_year;
        let d = |year: i16, m: i8, day: i8| {
            Date::new(year, m, day).unwrap_or(Date::constant(2026, 9, 1))
        };
        // Each quarter runs to the last study day before the next holiday, so every study
        // day of the calendar belongs to one.
        let quarters = [
            ("I четверть", d(y, 9, 1), d(y, 10, 24)),
            ("II четверть", d(y, 11, 3), d(y, 12, 30)),
            ("III четверть", d(y + 1, 1, 12), d(y + 1, 3, 27)),
            ("IV четверть", d(y + 1, 3, 30), d(y + 1, 5, 26)),
        ];
        for (n, (name, start, finish)) in quarters.into_iter().enumerate() {
            self.period(
                school_id,
                "quarters",
                "quarter",
                n as i16 + 1,
                name,
                start,
                finish,
            );
        }
        let halves = [
            ("I полугодие", d(y, 9, 1), d(y, 12, 30)),
            ("II полугодие", d(y + 1, 1, 12), d(y + 1, 5, 26)),
        ];
        for (n, (name, start, finish)) in halves.into_iter().enumerate() {
            self.period(
                school_id,
                "half_years",
                "half_year",
                n as i16 + 1,
                name,
                start,
                finish,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn period(
        &mut self,
        school_id: i64,
        scheme: &'static str,
        kind: &'static str,
        number: i16,
        name: &str,
        start: Date,
        finish: Date,
    ) {
        let id = self.next_period;
        self.next_period += 1;
        self.net.periods.push(Period {
            id,
            school_id,
            study_year: self.study_year,
            scheme,
            kind,
            number,
            name: name.into(),
            start,
            finish,
        });
    }

    fn municipal_staff(&mut self) {
        let inspector = self.random_adult(1965, 1990);
        let operator = self.random_adult(1975, 1995);
        for (person, role, login) in [
            (inspector, Role::Inspector, "inspector"),
            (operator, Role::MunicipalOperator, "operator"),
        ] {
            self.net.grants.push(Grant {
                person_id: person,
                role,
                school_id: None,
                municipality_id: Some(1),
                edu_group_id: None,
            });
            self.account(login, person);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Network {
        Network::generate(42, Size::DEMO, Date::constant(2026, 11, 28))
    }

    #[test]
    fn same_seed_same_network() {
        let a = demo();
        let b = demo();
        assert_eq!(a.persons, b.persons);
        assert_eq!(a.grants, b.grants);
        let c = Network::generate(43, Size::DEMO, Date::constant(2026, 11, 28));
        assert_ne!(a.persons, c.persons);
    }

    #[test]
    fn main_school_is_realistic() {
        let net = demo();
        let main_classes = net.classes.iter().filter(|c| c.school_id == 1).count();
        assert_eq!(main_classes, 30);
        let main_students = net
            .memberships
            .iter()
            .filter(|m| m.school_id == 1 && net.classes.iter().any(|c| c.id == m.edu_group_id))
            .count();
        assert!(
            (600..=800).contains(&main_students),
            "{main_students} students"
        );
        let staff: std::collections::HashSet<i64> = net
            .grants
            .iter()
            .filter(|g| g.school_id == Some(1) && g.role.is_staff())
            .map(|g| g.person_id)
            .collect();
        assert!((40..=70).contains(&staff.len()), "{} staff", staff.len());
        assert!(net.schools.len() >= 2);
        assert!(net.classes.iter().all(|c| c.study_year == 2026));
    }

    #[test]
    fn every_demo_login_exists_with_its_role() {
        let net = demo();
        for (login, role) in DEMO_LOGINS {
            let person = net
                .demo_person(login)
                .unwrap_or_else(|| panic!("no {login}"));
            assert!(
                net.grants
                    .iter()
                    .any(|g| g.person_id == person && g.role == role),
                "{login} lacks {role}"
            );
        }
    }

    #[test]
    fn demo_relationships_hold() {
        let net = demo();
        let student = net.demo_person("student").unwrap();
        let parent = net.demo_person("parent").unwrap();
        let class_teacher = net.demo_person("classteacher").unwrap();
        let teacher = net.demo_person("teacher").unwrap();
        let class = net
            .memberships
            .iter()
            .find(|m| m.person_id == student)
            .map(|m| m.edu_group_id)
            .unwrap();
        let c = net.classes.iter().find(|c| c.id == class).unwrap();
        assert_eq!(c.name(), "7Б");
        assert_eq!(c.class_teacher_id, class_teacher);
        assert!(
            net.assignments
                .iter()
                .any(|a| a.teacher_id == class_teacher && a.edu_group_id == class),
            "the class teacher teaches in their class"
        );
        assert!(
            net.assignments
                .iter()
                .any(|a| a.teacher_id == teacher && a.edu_group_id == class)
        );
        let children: Vec<i64> = net
            .parent_links
            .iter()
            .filter(|l| l.parent_id == parent)
            .map(|l| l.child_id)
            .collect();
        assert!(children.contains(&student));
        assert_eq!(children.len(), 2, "the demo parent has two children");
        let logins: std::collections::HashSet<i64> =
            net.accounts.iter().map(|a| a.person_id).collect();
        assert_eq!(
            logins.len(),
            DEMO_LOGINS.len(),
            "each demo login is a different person"
        );
    }

    #[test]
    fn patronymics_agree_with_sex() {
        let net = demo();
        for p in &net.persons {
            match p.sex {
                Sex::Male => assert!(p.middle_name.ends_with("ич"), "{p:?}"),
                Sex::Female => assert!(p.middle_name.ends_with("на"), "{p:?}"),
            }
        }
    }

    #[test]
    fn periods_cover_the_year_in_order() {
        let net = demo();
        for scheme in ["quarters", "half_years"] {
            let ps: Vec<&Period> = net
                .periods
                .iter()
                .filter(|p| p.school_id == 1 && p.scheme == scheme)
                .collect();
            assert!(ps.windows(2).all(|w| w[0].finish < w[1].start));
            assert_eq!(ps[0].start, Date::constant(2026, 9, 1));
            assert_eq!(ps.last().unwrap().finish, Date::constant(2027, 5, 26));
            let dates: Vec<(Date, Date)> = ps.iter().map(|p| (p.start, p.finish)).collect();
            let grades = if scheme == "quarters" { 1..=9 } else { 10..=11 };
            let calendar = crate::calendar::recommended(2026, crate::calendar::StudyWeek::Five);
            let uncovered = crate::calendar::uncovered_days(&calendar, &dates, grades);
            assert!(uncovered.is_empty(), "{scheme}: {uncovered:?}");
        }
    }

    #[test]
    fn the_timetable_is_conflict_free_and_mostly_complete() {
        use crate::timetable::{conflicts, hours_against_load};
        use std::collections::HashMap;
        let net = demo();
        let mut groups: HashMap<i64, (i64, i16)> = net
            .classes
            .iter()
            .map(|c| (c.id, (c.id, c.parallel)))
            .collect();
        for g in &net.subgroups {
            let parallel = groups[&g.class_id].1;
            groups.insert(g.id, (g.class_id, parallel));
        }
        for school in &net.schools {
            let entries: Vec<Entry> = net
                .templates
                .iter()
                .filter(|(s, _)| *s == school.id)
                .flat_map(|(_, t)| t.entries.clone())
                .collect();
            assert_eq!(conflicts(&entries, &groups), vec![], "school {}", school.id);
            let load: Vec<(i64, i64, i64, i16)> = net
                .assignments
                .iter()
                .filter(|a| a.school_id == school.id)
                .map(|a| (a.edu_group_id, a.subject_id, a.teacher_id, a.hours_per_week))
                .collect();
            let total: i32 = load.iter().map(|l| i32::from(l.3)).sum();
            let missing: i32 = hours_against_load(&entries, &load)
                .iter()
                .map(|(_, planned, wanted)| i32::from(wanted - planned))
                .sum();
            assert!(
                missing * 50 <= total,
                "school {}: {missing} of {total} hours unplaced",
                school.id
            );
        }
        // The demo class has lessons every weekday, none on Saturday.
        let class = net
            .classes
            .iter()
            .find(|c| c.school_id == 1 && c.name() == "7Б")
            .unwrap();
        let t = net
            .templates
            .iter()
            .find(|(_, t)| t.class_id == class.id)
            .unwrap();
        let days: HashSet<i8> = t.1.entries.iter().map(|e| e.slot.weekday).collect();
        assert_eq!(days, HashSet::from([1, 2, 3, 4, 5]));
    }

    #[test]
    fn english_is_taught_in_two_groups_from_grade_five() {
        let net = demo();
        let class = net
            .classes
            .iter()
            .find(|c| c.school_id == 1 && c.name() == "7Б")
            .unwrap();
        let groups: Vec<&Subgroup> = net
            .subgroups
            .iter()
            .filter(|g| g.class_id == class.id)
            .collect();
        assert_eq!(groups.len(), 2);
        // Every student of the class is in exactly one of the groups.
        let in_class: HashSet<i64> = net
            .memberships
            .iter()
            .filter(|m| m.edu_group_id == class.id)
            .map(|m| m.person_id)
            .collect();
        let in_groups: Vec<i64> = net
            .memberships
            .iter()
            .filter(|m| groups.iter().any(|g| g.id == m.edu_group_id))
            .map(|m| m.person_id)
            .collect();
        assert_eq!(in_groups.len(), in_class.len());
        assert_eq!(in_groups.iter().copied().collect::<HashSet<_>>(), in_class);
        // The two groups have different teachers, side by side in the same slots.
        let (_, week) = net
            .templates
            .iter()
            .find(|(_, t)| t.class_id == class.id)
            .unwrap();
        let slots = |g: i64| -> Vec<(Slot, i64)> {
            week.entries
                .iter()
                .filter(|e| e.group_id == g)
                .map(|e| (e.slot, e.teacher_id))
                .collect()
        };
        let (a, b) = (slots(groups[0].id), slots(groups[1].id));
        assert!(!a.is_empty());
        assert_eq!(
            a.iter().map(|x| x.0).collect::<Vec<_>>(),
            b.iter().map(|x| x.0).collect::<Vec<_>>()
        );
        assert_ne!(a[0].1, b[0].1);
        // Primary classes are not split.
        assert!(net.subgroups.iter().all(|g| {
            net.classes
                .iter()
                .find(|c| c.id == g.class_id)
                .is_some_and(|c| c.parallel >= 5)
        }));
    }

    #[test]
    fn the_curriculum_fits_the_week() {
        use crate::calendar::StudyWeek;
        use crate::curriculum::{Grading, max_weekly_hours};
        let net = demo();
        for g in 1..=11 {
            let total: i16 = net
                .curriculum
                .iter()
                .filter(|c| c.0 == 1 && c.1 == g)
                .map(|c| c.3)
                .sum();
            assert!(
                total > 0 && total <= max_weekly_hours(g, StudyWeek::Five),
                "grade {g}: {total} hours"
            );
        }
        assert!(
            net.curriculum
                .iter()
                .filter(|c| c.1 == 1)
                .all(|c| c.4 == Grading::None)
        );
    }
}
