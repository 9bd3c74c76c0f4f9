//! Russian by default, English on request: the message catalogue, plural forms and dates.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use zhurnal_core::{Action, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, offered by the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ru => Lang::En,
            Lang::En => Lang::Ru,
        }
    }

    /// The name of the language in itself, for the switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }
}

/// The translator handed to templates: `{{ t.s("login.title") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The message for `key`; an unknown key shows itself, and a test keeps that from happening.
    pub fn s(&self, key: &str) -> &'static str {
        match lookup(key) {
            Some((ru, en)) => match self.lang {
                Lang::Ru => ru,
                Lang::En => en,
            },
            None => "⟦missing message⟧",
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        let (ru, en) = role_names(role);
        match self.lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    pub fn action(&self, action: Action) -> &'static str {
        let (ru, en) = action_names(action);
        match self.lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// «5 минут», «21 минуту», «2 минуты»; "1 minute", "5 minutes".
    pub fn minutes(&self, n: i64) -> String {
        match self.lang {
            Lang::Ru => format!("{n}\u{a0}{}", ru_plural(n, "минуту", "минуты", "минут")),
            Lang::En => format!("{n}\u{a0}{}", if n == 1 { "minute" } else { "minutes" }),
        }
    }

    pub fn students(&self, n: i64) -> String {
        match self.lang {
            Lang::Ru => format!("{n}\u{a0}{}", ru_plural(n, "ученик", "ученика", "учеников")),
            Lang::En => format!("{n}\u{a0}{}", if n == 1 { "student" } else { "students" }),
        }
    }

    pub fn classes(&self, n: i64) -> String {
        match self.lang {
            Lang::Ru => format!("{n}\u{a0}{}", ru_plural(n, "класс", "класса", "классов")),
            Lang::En => format!("{n}\u{a0}{}", if n == 1 { "class" } else { "classes" }),
        }
    }

    /// «Пн, 16 ноября»; "Mon, 16 November".
    pub fn weekday_date(&self, d: jiff::civil::Date) -> String {
        let w = usize::try_from(d.weekday().to_monday_zero_offset()).unwrap_or(0);
        let m = usize::try_from(d.month() - 1).unwrap_or(0);
        match self.lang {
            Lang::Ru => format!(
                "{}, {}\u{a0}{}",
                RU_WEEKDAYS[w],
                d.day(),
                RU_MONTHS_GENITIVE[m]
            ),
            Lang::En => format!("{}, {}\u{a0}{}", EN_WEEKDAYS[w], d.day(), EN_MONTHS[m]),
        }
    }

    /// «2-й урок»; "lesson 2".
    pub fn lesson_number(&self, n: i32) -> String {
        match self.lang {
            Lang::Ru => format!("{n}-й урок"),
            Lang::En => format!("lesson {n}"),
        }
    }

    /// «Пн»; "Mon" — 1 = Monday … 7 = Sunday.
    pub fn weekday_short(&self, weekday: i8) -> &'static str {
        let w = usize::try_from(weekday.clamp(1, 7) - 1).unwrap_or(0);
        match self.lang {
            Lang::Ru => RU_WEEKDAYS[w],
            Lang::En => EN_WEEKDAYS[w],
        }
    }

    /// «28 ноября 2026»; "28 November 2026".
    pub fn date(&self, d: jiff::civil::Date) -> String {
        let m = usize::try_from(d.month() - 1).unwrap_or(0);
        let name = match self.lang {
            Lang::Ru => RU_MONTHS_GENITIVE[m],
            Lang::En => EN_MONTHS[m],
        };
        format!("{}\u{a0}{}\u{a0}{}", d.day(), name, d.year())
    }

    /// A stored YYYY-MM-DD as [`Tr::date`] writes it (or the text as it is, should it not
    /// be a date).
    pub fn date_text(&self, s: &str) -> String {
        s.parse::<jiff::civil::Date>()
            .map_or_else(|_| s.to_owned(), |d| self.date(d))
    }

    /// «28 ноября 2026, 14:05» in the given zone; "28 November 2026, 14:05".
    pub fn datetime(&self, ms: i64, tz: &str) -> String {
        let zone = TimeZone::get(tz).unwrap_or(TimeZone::UTC);
        let Ok(ts) = Timestamp::from_millisecond(ms) else {
            return String::new();
        };
        let z = ts.to_zoned(zone);
        let month = usize::try_from(z.month() - 1).unwrap_or(0);
        let name = match self.lang {
            Lang::Ru => RU_MONTHS_GENITIVE[month],
            Lang::En => EN_MONTHS[month],
        };
        format!(
            "{}\u{a0}{}\u{a0}{}, {:02}:{:02}",
            z.day(),
            name,
            z.year(),
            z.hour(),
            z.minute()
        )
    }
}

const RU_WEEKDAYS: [&str; 7] = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];
const EN_WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const RU_MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Russian plural: 1 минута, 2–4 минуты, 5–20 минут, 21 минута, 111 минут.
pub fn ru_plural<'a>(n: i64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let n = n.abs();
    let (d10, d100) = (n % 10, n % 100);
    if d10 == 1 && d100 != 11 {
        one
    } else if (2..=4).contains(&d10) && !(12..=14).contains(&d100) {
        few
    } else {
        many
    }
}

fn role_names(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Director => ("Директор", "Director"),
        Role::DeputyDirector => ("Заместитель директора", "Deputy director"),
        Role::ClassTeacher => ("Классный руководитель", "Class teacher"),
        Role::Teacher => ("Учитель", "Teacher"),
        Role::Clerk => ("Секретарь", "Clerk"),
        Role::TechAdmin => ("Технический администратор", "Technical administrator"),
        Role::Student => ("Ученик", "Student"),
        Role::Parent => ("Родитель", "Parent"),
        Role::Inspector => (
            "Инспектор органа управления образованием",
            "Education authority inspector",
        ),
        Role::MunicipalOperator => ("Оператор муниципалитета", "Municipal operator"),
    }
}

fn action_names(action: Action) -> (&'static str, &'static str) {
    match action {
        Action::ViewHome => ("Главная страница", "Home page"),
        Action::ManageOwnAccount => ("Моя учётная запись: пароль", "My account: password"),
        Action::ViewSchools => ("Школы и их профили", "Schools and their profiles"),
        Action::EditSchoolSetup => (
            "Настройка школы: профиль, календарь, учебный план, классы, расписание",
            "School setup: profile, calendar, curriculum, classes, timetable",
        ),
        Action::ViewTimetable => (
            "Расписание уроков классов и учителей",
            "Timetable of classes and teachers",
        ),
        Action::ManageStaff => (
            "Сотрудники и органы самоуправления",
            "Staff and self-government bodies",
        ),
        Action::ManageRoster => (
            "Контингент: ученики, родители, коды доступа, выбытие",
            "Roster: students, parents, access codes, departures",
        ),
        Action::EnrolStudents => (
            "Зачисление: список учеников из таблицы, коды доступа семьям",
            "Enrolment: the roster from a spreadsheet, access codes for families",
        ),
        Action::TransferStudents => (
            "Перевод учеников по приказу (в течение 3 дней)",
            "Transfers by order (within 3 days)",
        ),
        Action::ViewJournal => ("Классный журнал: просмотр", "Class journal: view"),
        Action::EditJournal => (
            "Классный журнал: темы, задания, отметки, пропуски",
            "Class journal: topics, homework, marks, absences",
        ),
        Action::ApproveJournalCorrections => (
            "Разрешения на исправления в журнале",
            "Approving journal corrections",
        ),
        Action::CheckClassJournal => (
            "Проверка заполнения журнала класса (дважды в месяц)",
            "Checking the class journal (twice a month)",
        ),
        Action::PostClassWall => ("Стена класса", "Class wall"),
        Action::RecordConsents => (
            "Согласия и отказы родителей",
            "Parents' consents and refusals",
        ),
        Action::ViewDiary => ("Электронный дневник", "Electronic diary"),
        Action::UseMessages => ("Сообщения", "Messages"),
        Action::ViewReports => (
            "Отчёты: заполнение журнала, накопляемость отметок, сроки",
            "Reports: journal filling, accumulation of marks, deadlines",
        ),
        Action::ArchiveJournal => (
            "Печать страниц журнала и ведомостей для архива",
            "Printing journal pages and grade sheets for the archive",
        ),
        Action::RecordComplianceCheck => (
            "Ежемесячная проверка соблюдения регламента",
            "Monthly compliance check",
        ),
        Action::ManageAccounts => ("Учётные записи и доступ", "Accounts and access"),
        Action::ViewAudit => ("Журнал аудита", "Audit log"),
        Action::ManageApps => (
            "Приложения школы: подключение и отзыв",
            "The school's apps: registering and withdrawing",
        ),
        Action::ManageMunicipality => (
            "Школы муниципалитета и инспекторы",
            "Schools of the municipality and inspectors",
        ),
    }
}

/// The catalogue: key → (Russian, English).
/// Why an uploaded table could not be read, in the person's language.
pub fn sheet_message(t: &Tr, e: &zhurnal_core::sheet::SheetError) -> String {
    match e {
        zhurnal_core::sheet::SheetError::Empty => t.s("plan.empty").to_owned(),
        zhurnal_core::sheet::SheetError::Unreadable => t.s("plan.unreadable").to_owned(),
        zhurnal_core::sheet::SheetError::Damaged(why) => format!("{} ({why})", t.s("plan.damaged")),
        zhurnal_core::sheet::SheetError::TooLarge { what, limit } => {
            let key = match what {
                zhurnal_core::sheet::TooMuch::Rows => "sheet.too_many_rows",
                zhurnal_core::sheet::TooMuch::Columns => "sheet.too_many_columns",
                zhurnal_core::sheet::TooMuch::Cells => "sheet.too_many_cells",
                zhurnal_core::sheet::TooMuch::Bytes => "sheet.too_much_text",
            };
            let limit = match what {
                zhurnal_core::sheet::TooMuch::Bytes => limit >> 20,
                _ => *limit,
            };
            format!("{} {limit}", t.s(key))
        }
    }
}

fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "app.name" => ("Журнал", "Zhurnal"),
        "app.tagline" => (
            "Электронный журнал и дневник",
            "Electronic school journal and diary",
        ),
        "skip" => ("Перейти к содержанию", "Skip to content"),
        "nav.label" => ("Основное меню", "Main menu"),
        "nav.home" => ("Главная", "Home"),
        "nav.schools" => ("Школы", "Schools"),
        "nav.audit" => ("Аудит", "Audit"),
        "nav.timetable" => ("Расписание", "Timetable"),
        "nav.setup" => ("Настройка школы", "School setup"),
        "nav.account" => ("Учётная запись", "Account"),
        "nav.logout" => ("Выйти", "Log out"),
        "nav.language" => ("Язык", "Language"),
        "login.title" => ("Вход в Журнал", "Log in to Zhurnal"),
        "login.login" => ("Логин", "Login"),
        "login.password" => ("Пароль", "Password"),
        "login.submit" => ("Войти", "Log in"),
        "login.failed" => ("Неверный логин или пароль.", "Wrong login or password."),
        "login.locked" => (
            "Слишком много неудачных попыток входа. Вход временно заблокирован; попробуйте снова через",
            "Too many failed attempts. Logging in is blocked for now; try again in",
        ),
        "login.required" => ("Введите логин и пароль.", "Enter your login and password."),
        "login.expired" => (
            "Сеанс завершён. Войдите снова.",
            "Your session has ended. Please log in again.",
        ),
        "login.intro" => (
            "Журнал — электронный классный журнал и дневник школы. Войдите с логином и паролем, которые выдала школа.",
            "Zhurnal is the school's electronic class journal and diary. Log in with the login and password your school gave you.",
        ),
        "home.title" => ("Главная", "Home"),
        "home.greeting" => ("Здравствуйте", "Hello"),
        "home.your_roles" => ("Ваши роли", "Your roles"),
        "home.can" => ("Что вы можете делать", "What you can do"),
        "home.not_yet" => ("пока недоступно", "not available yet"),
        "home.children" => ("Ваши дети", "Your children"),
        "home.no_class" => ("класс не указан", "no class"),
        "home.in_school" => ("школа", "school"),
        "home.class" => ("класс", "class"),
        "home.municipality" => ("муниципалитет", "municipality"),
        "account.title" => ("Учётная запись", "Account"),
        "account.login" => ("Логин", "Login"),
        "account.change_password" => ("Смена пароля", "Change password"),
        "account.current" => ("Текущий пароль", "Current password"),
        "account.new" => ("Новый пароль", "New password"),
        "account.repeat" => ("Новый пароль ещё раз", "Repeat the new password"),
        "account.hint" => (
            "Не короче 12 символов. Удобно взять фразу из нескольких слов.",
            "At least 12 characters. A phrase of several words works well.",
        ),
        "account.save" => ("Сменить пароль", "Change password"),
        "account.changed" => (
            "Пароль изменён. Остальные сеансы этой учётной записи завершены.",
            "Password changed. Your other sessions have been ended.",
        ),
        "account.wrong_current" => (
            "Текущий пароль указан неверно.",
            "The current password is wrong.",
        ),
        "account.mismatch" => ("Пароли не совпадают.", "The passwords do not match."),
        "account.too_short" => (
            "Пароль должен быть не короче 12 символов.",
            "The password must be at least 12 characters long.",
        ),
        "account.too_long" => (
            "Пароль должен быть не длиннее 128 символов.",
            "The password must be at most 128 characters long.",
        ),
        "account.too_common" => (
            "Этот пароль слишком распространён, выберите другой.",
            "This password is too common; choose another.",
        ),
        "account.contains_login" => (
            "Пароль не должен содержать логин.",
            "The password must not contain your login.",
        ),
        "account.locked" => (
            "Слишком много неверных паролей. Смена пароля и вход временно заблокированы; попробуйте снова через",
            "Too many wrong passwords. Changing the password and logging in are blocked for now; try again in",
        ),
        "account.form_errors" => (
            "Исправьте ошибки в форме.",
            "Please correct the errors in the form.",
        ),
        "schools.title" => ("Школы", "Schools"),
        "schools.name" => ("Школа", "School"),
        "schools.city" => ("Город", "City"),
        "schools.tz" => ("Часовой пояс", "Time zone"),
        "schools.size" => ("Классы и ученики", "Classes and students"),
        "school.profile" => ("Профиль школы", "School profile"),
        "school.full_name" => ("Полное наименование", "Full name"),
        "audit.title" => ("Журнал аудита", "Audit log"),
        "audit.when" => ("Когда", "When"),
        "audit.who" => ("Кто", "Who"),
        "audit.what" => ("Событие", "Event"),
        "audit.target" => ("Объект", "Target"),
        "audit.outcome" => ("Итог", "Outcome"),
        "audit.ip" => ("IP-адрес", "IP address"),
        "audit.empty" => ("Событий нет.", "No events."),
        "audit.older" => ("Более ранние события", "Older events"),
        "audit.school" => ("Школа", "School"),
        "audit.show" => ("Показать", "Show"),
        "audit.all_schools" => (
            "Все школы муниципалитета",
            "All schools of the municipality",
        ),
        "outcome.success" => ("успешно", "success"),
        "outcome.failure" => ("ошибка", "failure"),
        "outcome.denied" => ("отказано", "denied"),
        "timetable.title" => ("Расписание", "Timetable"),
        "timetable.of_class" => ("Расписание класса", "Timetable of class"),
        "timetable.of_teacher" => ("Расписание уроков:", "Timetable:"),
        "timetable.school" => ("Школа", "School"),
        "timetable.class" => ("Класс", "Class"),
        "timetable.teacher" => ("Учитель", "Teacher"),
        "timetable.date" => ("Неделя, включающая дату", "Week including the date"),
        "timetable.show" => ("Показать", "Show"),
        "timetable.prev" => ("Предыдущая неделя", "Previous week"),
        "timetable.next" => ("Следующая неделя", "Next week"),
        "timetable.this_week" => ("Текущая неделя", "This week"),
        "timetable.number" => ("Урок", "Lesson"),
        "timetable.empty" => ("На этой неделе уроков нет.", "No lessons this week."),
        "timetable.weekend" => ("выходной", "day off"),
        "timetable.outside_year" => ("вне учебного года", "outside the school year"),
        "timetable.instead_of" => ("замена, вместо", "substitute for"),
        "timetable.replaced_by" => ("замена: ведёт", "substituted by"),
        "timetable.substitution" => ("замена", "substitution"),
        "timetable.cancelled" => ("отменён", "cancelled"),
        "timetable.room" => ("каб.", "room"),
        "timetable.today" => ("сегодня", "today"),
        "nav.changes" => ("Изменения в расписании", "Timetable changes"),
        "changes.title" => ("Изменения в расписании", "Timetable changes"),
        "changes.date" => ("Дата", "Date"),
        "changes.open" => ("Открыть", "Open"),
        "changes.done" => (
            "Изменение сохранено. Расписание и журнал обновлены.",
            "The change is saved. The timetable and the journal are updated.",
        ),
        "changes.kind" => ("Что изменить", "What to change"),
        "changes.kind_substitute" => ("Замена учителя", "Substitute teacher"),
        "changes.kind_cancel" => ("Отмена урока", "Cancel the lesson"),
        "changes.kind_move" => ("Перенос урока", "Move the lesson"),
        "changes.kind_extra" => ("Дополнительный урок", "Extra lesson"),
        "changes.lesson" => (
            "Урок (для замены, отмены и переноса)",
            "Lesson (to substitute, cancel or move)",
        ),
        "changes.no_lessons" => (
            "В этот день у класса нет уроков.",
            "The class has no lessons on this day.",
        ),
        "changes.teacher" => (
            "Учитель (для замены и дополнительного урока)",
            "Teacher (substitute or extra lesson)",
        ),
        "changes.subject" => (
            "Предмет (для дополнительного урока)",
            "Subject (extra lesson)",
        ),
        "changes.to_date" => ("Новая дата (для переноса)", "New date (to move)"),
        "changes.number" => (
            "Номер урока (для переноса и дополнительного урока)",
            "Lesson number (to move, or the extra lesson)",
        ),
        "changes.reason" => ("Причина", "Reason"),
        "changes.save" => ("Сохранить изменение", "Save the change"),
        "changes.see_timetable" => (
            "Расписание класса на эту неделю",
            "The class's timetable for this week",
        ),
        "changes.not_study_day" => (
            "В этот день у класса нет занятий (выходной или каникулы).",
            "The class does not study on this day (a day off or a holiday).",
        ),
        "changes.pick_lesson" => ("Выберите урок.", "Choose a lesson."),
        "changes.same_teacher" => (
            "Этот учитель и так ведёт урок.",
            "This teacher already gives the lesson.",
        ),
        "changes.teacher_busy" => (
            "У этого учителя в это время другой урок.",
            "This teacher has another lesson at that time.",
        ),
        "changes.teacher_busy_then" => (
            "У учителя этого урока в новое время другой урок.",
            "The lesson's teacher has another lesson at the new time.",
        ),
        "changes.pick_teacher" => ("Выберите учителя.", "Choose a teacher."),
        "changes.slot_taken" => (
            "У класса в это время уже есть урок.",
            "The class already has a lesson at that time.",
        ),
        "changes.bad_move" => (
            "Укажите новую дату и номер урока (1–12).",
            "Give the new date and the lesson number (1–12).",
        ),
        "changes.bad_number" => (
            "Укажите номер урока (1–12).",
            "Give the lesson number (1–12).",
        ),
        "changes.pick_subject" => ("Выберите предмет.", "Choose a subject."),
        "changes.reason_too_long" => (
            "Причина — не длиннее 500 символов.",
            "The reason must be at most 500 characters.",
        ),
        "nav.calendar" => ("Календарь года", "School year calendar"),
        "calendar.title" => ("Календарь учебного года", "School year calendar"),
        "calendar.saved" => (
            "Календарь сохранён, уроки года пересчитаны.",
            "The calendar is saved and the year's lessons are updated.",
        ),
        "calendar.not_saved" => (
            "Календарь этого года ещё не сохранён: показан рекомендуемый Минпросвещения. Сохраните его, изменив что-нибудь или нажав «Сохранить».",
            "This year's calendar is not saved yet: the ministry's recommended one is shown. Saving any change stores it.",
        ),
        "calendar.year" => ("Учебный год", "School year"),
        "calendar.first_day" => ("Первый учебный день", "First school day"),
        "calendar.last_day" => ("Последний учебный день", "Last school day"),
        "calendar.week" => ("Учебная неделя", "School week"),
        "calendar.five_days" => ("пятидневная", "five days"),
        "calendar.six_days" => (
            "шестидневная (1 класс всегда учится пять дней)",
            "six days (grade 1 always studies five)",
        ),
        "calendar.save_year" => ("Сохранить", "Save"),
        "calendar.holidays" => ("Каникулы", "Holidays"),
        "calendar.name" => ("Название", "Name"),
        "calendar.dates" => ("Даты", "Dates"),
        "calendar.grades" => ("Классы", "Grades"),
        "calendar.all_grades" => ("все", "all"),
        "calendar.actions" => ("Действия", "Actions"),
        "calendar.delete" => ("Удалить", "Delete"),
        "calendar.add_holiday" => ("Добавить каникулы", "Add a holiday"),
        "calendar.from" => ("С", "From"),
        "calendar.to" => ("По", "To"),
        "calendar.from_grade" => ("С класса", "From grade"),
        "calendar.to_grade" => ("По класс", "To grade"),
        "calendar.add" => ("Добавить", "Add"),
        "calendar.moved" => ("Перенесённые и праздничные дни", "Moved days and days off"),
        "calendar.what" => ("Что за день", "What the day is"),
        "calendar.works_as" => (
            "рабочий, по расписанию дня:",
            "a school day, on the timetable of",
        ),
        "calendar.day_off" => ("выходной", "day off"),
        "calendar.working_day" => (
            "рабочий день по расписанию другого дня недели",
            "a school day on another weekday's timetable",
        ),
        "calendar.timetable_of" => (
            "По расписанию какого дня (для рабочего дня)",
            "On which weekday's timetable (for a school day)",
        ),
        "calendar.day_off_name" => ("Название (для выходного)", "Name (for a day off)"),
        "calendar.add_moved" => ("Добавить день", "Add a day"),
        "calendar.monday" => ("понедельник", "Monday"),
        "calendar.tuesday" => ("вторник", "Tuesday"),
        "calendar.wednesday" => ("среда", "Wednesday"),
        "calendar.thursday" => ("четверг", "Thursday"),
        "calendar.friday" => ("пятница", "Friday"),
        "calendar.saturday" => ("суббота", "Saturday"),
        "calendar.next_year" => ("Следующий учебный год", "Next school year"),
        "calendar.next_year_hint" => (
            "Календарь следующего года создаётся из этого: те же каникулы годом позже и государственные праздники; перенесённые рабочие дни не переносятся. Потом его можно поправить.",
            "The next year's calendar is made from this one: the same holidays a year later and the public holidays; moved school days do not carry over. You can adjust it afterwards.",
        ),
        "calendar.create_next" => ("Создать календарь", "Create the calendar for"),
        "calendar.bad_dates" => (
            "Укажите даты в формате ГГГГ-ММ-ДД.",
            "Give the dates as YYYY-MM-DD.",
        ),
        "calendar.bad_grades" => (
            "Классы — числа от 1 до 11, «по» не меньше «с».",
            "Grades are numbers from 1 to 11, the second not below the first.",
        ),
        "calendar.start_in_year" => (
            "Первый учебный день должен быть в этом учебном году (с 1 сентября).",
            "The first school day must fall in this school year (from 1 September).",
        ),
        "calendar.year_reversed" => (
            "Учебный год заканчивается раньше, чем начинается.",
            "The school year ends before it starts.",
        ),
        "calendar.holiday_reversed" => (
            "Каникулы заканчиваются раньше, чем начинаются.",
            "The holiday ends before it starts.",
        ),
        "calendar.holiday_outside" => (
            "Каникулы выходят за пределы учебного года.",
            "The holiday lies outside the school year.",
        ),
        "calendar.holiday_unnamed" => ("Укажите название каникул.", "Name the holiday."),
        "calendar.working_sunday" => (
            "Рабочий день не может идти по расписанию воскресенья.",
            "A school day cannot follow Sunday's timetable.",
        ),
        "calendar.moved_outside" => (
            "Этот день вне учебного года.",
            "This day lies outside the school year.",
        ),
        "calendar.moved_twice" => (
            "Для этой даты уже есть запись.",
            "This date already has an entry.",
        ),
        "calendar.pick_weekday" => (
            "Выберите день недели, по расписанию которого работать.",
            "Choose the weekday whose timetable to follow.",
        ),
        "calendar.name_day_off" => (
            "Укажите название выходного (например, праздник).",
            "Name the day off (a public holiday, for example).",
        ),
        "calendar.next_exists" => (
            "Календарь следующего года уже есть.",
            "The next year's calendar already exists.",
        ),
        "nav.bells" => ("Звонки", "Bells"),
        "bells.title" => ("Расписание звонков", "Bell schedule"),
        "bells.intro" => (
            "Время начала и конца каждого урока первой смены. Правила СанПиН проверяются при сохранении: нарушение обязательного правила не даст сохранить, местные отличия отмечаются предупреждением.",
            "Start and end of each lesson of the first shift. The sanitary rules are checked on saving: a broken fixed rule blocks the save, local differences get a warning.",
        ),
        "bells.start" => ("Начало урока", "Lesson start"),
        "bells.end" => ("Конец урока", "Lesson end"),
        "bells.remarks" => ("Замечания", "Remarks"),
        "bells.save" => ("Сохранить звонки", "Save the bells"),
        "bells.saved" => (
            "Расписание звонков сохранено.",
            "The bell schedule is saved.",
        ),
        "bells.not_saved" => (
            "Звонки не сохранены: исправьте отмеченные уроки.",
            "The bells are not saved: correct the marked lessons.",
        ),
        "bells.msg_empty" => ("Укажите хотя бы один урок.", "Give at least one lesson."),
        "bells.msg_gap" => (
            "Уроки нумеруются подряд: не оставляйте пустых строк между ними.",
            "Lessons are numbered in a row: leave no empty rows between them.",
        ),
        "bells.msg_reversed" => (
            "Урок заканчивается раньше, чем начинается.",
            "The lesson ends before it starts.",
        ),
        "bells.msg_too_early" => (
            "Уроки начинаются не раньше 8:00.",
            "Lessons start no earlier than 8:00.",
        ),
        "bells.msg_too_late" => (
            "Уроки заканчиваются не позже 19:00.",
            "Lessons end no later than 19:00.",
        ),
        "bells.msg_too_long" => (
            "Урок длится не больше 45 минут.",
            "A lesson lasts at most 45 minutes.",
        ),
        "bells.msg_short" => (
            "Урок короче 30 минут.",
            "The lesson is shorter than 30 minutes.",
        ),
        "bells.msg_overlap" => (
            "Урок начинается раньше, чем закончился предыдущий.",
            "The lesson starts before the previous one ends.",
        ),
        "bells.msg_short_break" => (
            "Перемена перед этим уроком короче 10 минут.",
            "The break before this lesson is shorter than 10 minutes.",
        ),
        "bells.msg_no_big_break" => (
            "Нет большой перемены (20–30 минут) после 2-го или 3-го урока.",
            "There is no long break (20–30 minutes) after the 2nd or 3rd lesson.",
        ),
        "bells.msg_too_many" => ("Больше 7 уроков в день.", "More than 7 lessons a day."),
        "bells.msg_bad_time" => (
            "Укажите начало и конец в формате ЧЧ:ММ.",
            "Give the start and the end as HH:MM.",
        ),
        "nav.load" => ("Нагрузка", "Teaching load"),
        "load.title" => (
            "Учебная нагрузка и расписание",
            "Teaching load and timetable",
        ),
        "load.saved" => ("Нагрузка изменена.", "The load is changed."),
        "load.add" => ("Добавить нагрузку", "Add to the load"),
        "load.add_button" => ("Добавить", "Add"),
        "load.group" => ("Класс или группа", "Class or group"),
        "load.exists" => (
            "Такая строка нагрузки уже есть.",
            "This line of the load already exists.",
        ),
        "load.pick_all" => (
            "Выберите класс или группу, предмет и учителя этой школы.",
            "Choose a class or group, a subject and a teacher of this school.",
        ),
        "load.bad_hours" => ("Часы в неделю — от 1 до 10.", "Hours a week: from 1 to 10."),
        "load.all_classes" => ("все классы", "all classes"),
        "load.mismatches" => (
            "Строк, где часы в расписании не совпадают с нагрузкой",
            "Lines where the timetable's hours differ from the load",
        ),
        "load.all_match" => (
            "Часы в расписании совпадают с нагрузкой.",
            "The timetable's hours match the load.",
        ),
        "load.by_class" => ("По классам", "By class"),
        "load.by_teacher" => ("По учителям", "By teacher"),
        "load.subject" => ("Предмет", "Subject"),
        "load.hours_load" => ("Часов в неделю по нагрузке", "Weekly hours in the load"),
        "load.hours_timetable" => (
            "Часов в неделю в расписании",
            "Weekly hours in the timetable",
        ),
        "nav.import" => ("Импорт расписания", "Timetable import"),
        "api.bad_weekday" => (
            "день недели вне учебной недели школы",
            "the weekday is outside the school's study week",
        ),
        "api.bad_number" => (
            "номер урока должен быть от 1 до 12",
            "the lesson number must be 1–12",
        ),
        "api.not_this_class" => (
            "это не класс и не его подгруппа",
            "neither the class nor one of its subgroups",
        ),
        "api.week_days" => (
            "учебная неделя — 5 или 6 дней",
            "the study week is 5 or 6 days",
        ),
        "api.moved_kind" => (
            "вид дня: working или day_off",
            "the kind is working or day_off",
        ),
        "api.subject_twice" => ("предмет указан дважды", "the subject is given twice"),
        "api.grading" => (
            "оценивание: five_point, pass_fail или none",
            "grading is five_point, pass_fail or none",
        ),
        "nav.bodies" => ("Органы управления", "Governing bodies"),
        "bodies.title" => (
            "Органы управления и самоуправления",
            "Governing and self-government bodies",
        ),
        "bodies.saved" => ("Сохранено.", "Saved."),
        "bodies.none" => (
            "Органы управления ещё не внесены.",
            "No bodies entered yet.",
        ),
        "bodies.no_members" => ("Состав не внесён.", "No members entered."),
        "bodies.governing_council" => ("Управляющий совет", "Governing council"),
        "bodies.teachers_council" => ("Педагогический совет", "Teachers' council"),
        "bodies.student_council" => ("Совет обучающихся", "Student council"),
        "bodies.parents_council" => ("Совет родителей", "Parents' council"),
        "bodies.other" => ("Другой орган", "Other body"),
        "bodies.chair" => ("Председатель", "Chair"),
        "bodies.secretary" => ("Секретарь", "Secretary"),
        "bodies.member" => ("Член", "Member"),
        "bodies.role" => ("Роль", "Role"),
        "bodies.represents" => ("Кого представляет", "Represents"),
        "bodies.represents_hint" => (
            "Например: родители 7Б, обучающиеся 10А, учредитель. Для сотрудника по умолчанию — должность.",
            "For example: parents of 7B, students of 10A, the founder. For a staff member, their position by default.",
        ),
        "bodies.since" => ("С", "Since"),
        "bodies.remove" => ("Вывести из состава", "Remove"),
        "bodies.add_member" => ("Добавить члена органа", "Add a member"),
        "bodies.member_hint" => (
            "Выберите сотрудника школы или впишите ФИО (родитель, обучающийся, представитель учредителя).",
            "Pick a staff member or type a name (a parent, a student, a representative of the founder).",
        ),
        "bodies.body" => ("Орган", "Body"),
        "bodies.staff_member" => ("Сотрудник школы", "Staff member"),
        "bodies.or_name" => ("…или ФИО", "…or a name"),
        "bodies.add_member_button" => ("Добавить в состав", "Add to the body"),
        "bodies.add" => ("Новый орган", "A new body"),
        "bodies.kind" => ("Вид", "Kind"),
        "bodies.name" => ("Название", "Name"),
        "bodies.add_button" => ("Создать", "Create"),
        "bodies.bad_kind" => ("Выберите вид органа.", "Choose the kind of body."),
        "bodies.bad_name" => (
            "Укажите название (до 120 знаков).",
            "Give a name (up to 120 characters).",
        ),
        "bodies.exists" => (
            "Орган с таким названием уже есть.",
            "A body with this name exists.",
        ),
        "bodies.bad_role" => ("Выберите роль.", "Choose a role."),
        "bodies.bad_person" => (
            "Такого сотрудника в школе нет.",
            "No such staff member at the school.",
        ),
        "bodies.person_or_name" => (
            "Выберите сотрудника или впишите ФИО — не то и другое сразу.",
            "Pick a staff member or type a name, not both.",
        ),
        "bodies.no_person" => (
            "Выберите сотрудника или впишите ФИО (до 120 знаков).",
            "Pick a staff member or type a name (up to 120 characters).",
        ),
        "bodies.bad_represents" => ("Не длиннее 120 знаков.", "Up to 120 characters."),
        "bodies.role_taken" => (
            "У органа уже есть председатель или секретарь: сначала выведите прежнего из состава.",
            "The body already has a chair or a secretary: remove the current one first.",
        ),
        "bells.shift" => ("Смена", "Shift"),
        "bells.shift_suffix" => ("смена", "shift"),
        "bells.day" => ("День", "Day"),
        "bells.every_day" => ("все дни", "every day"),
        "bells.schedules" => ("Расписания звонков школы", "The school's bell schedules"),
        "bells.inherited_day" => (
            "У этого дня нет своего расписания звонков: показано расписание смены. Сохраните, чтобы задать особое расписание дня (сокращённый день, «Разговоры о важном»).",
            "This day has no bells of its own: the shift's are shown. Save to give the day its own (a shortened day, a Monday assembly).",
        ),
        "bells.inherited_shift" => (
            "У этой смены ещё нет своего расписания звонков: показано расписание первой смены. Сохраните, чтобы задать его.",
            "This shift has no bells yet: the first shift's are shown. Save to set its own.",
        ),
        "bells.remove" => ("Удалить это расписание", "Remove this schedule"),
        "classes.shift" => ("Смена", "Shift"),
        "classes.bad_shift" => (
            "Классы 1, 5, 9, 10 и 11 учатся только в первую смену.",
            "Grades 1, 5, 9, 10 and 11 study in the first shift only.",
        ),
        "classes.no_second_shift" => (
            "В профиле школы одна смена: сначала укажите две смены.",
            "The school's profile has one shift: set two shifts there first.",
        ),
        "classes.edit" => ("Изменить класс", "Edit a class"),
        "classes.edit_button" => ("Сохранить изменения", "Save changes"),
        "classes.class_updated" => ("Класс изменён.", "The class is changed."),
        "journal.not_yet" => (
            "Урок ещё не прошёл: отметки и пропуски ставятся с его дня.",
            "The lesson has not taken place yet: marks and absences can be entered from its day.",
        ),
        "journal.window_closed" => (
            "Срок исправлений истёк: изменение вносит заместитель директора с указанием причины.",
            "The edit window has closed: the deputy director makes the change, with a reason.",
        ),
        "journal.reason_needed" => (
            "Укажите причину исправления.",
            "Give the reason for the correction.",
        ),
        "journal.cancelled" => (
            "Урок отменён: заполнять нечего.",
            "The lesson was cancelled: there is nothing to fill.",
        ),
        "journal.no_one" => ("В школе не ставят «1».", "The school does not give «1»."),
        "journal.no_signs" => (
            "В школе не ставят «+» и «−».",
            "The school does not use «+» and «−».",
        ),
        "journal.bad_mark" => (
            "Это не отметка: 5, 4, 3, 2, зач, незач, н/а, осв.",
            "Not a mark: 5, 4, 3, 2, зач, незач, н/а, осв.",
        ),
        "journal.comment_long" => (
            "Комментарий длиннее 500 знаков.",
            "The comment is longer than 500 characters.",
        ),
        "journal.bad_reason" => (
            "Причина пропуска: unknown, illness, excused или unexcused.",
            "The absence reason is unknown, illness, excused or unexcused.",
        ),
        "journal.bad_status" => (
            "Отметка о посещении: absent или late.",
            "The attendance status is absent or late.",
        ),
        "journal.topic_long" => (
            "Тема длиннее 500 знаков.",
            "The topic is longer than 500 characters.",
        ),
        "journal.homework_long" => (
            "Домашнее задание длиннее 4000 знаков.",
            "The homework is longer than 4000 characters.",
        ),
        "journal.bad_due" => (
            "Срок сдачи — дата не раньше урока.",
            "The due date must be a date on or after the lesson.",
        ),
        "nav.journal" => ("Журнал", "Journal"),
        "diary.title" => ("Дневник", "Diary"),
        "wall.title" => ("Стена класса", "Class wall of"),
        "wall.new" => ("Новая запись", "New post"),
        "wall.hint" => (
            "Её увидят ученики и родители класса; каждая семья получит уведомление. Пустая строка начинает новый абзац.",
            "The class's students and parents will see it; every family gets a notice. A blank line starts a new paragraph.",
        ),
        "wall.publish" => ("Опубликовать", "Publish"),
        "wall.posts" => ("Записи", "Posts"),
        "wall.nothing" => ("На стене пока нет записей.", "Nothing on the wall yet."),
        "wall.remove" => ("Убрать запись", "Remove the post"),
        "wall.posted" => (
            "Запись опубликована, семьи получат уведомление.",
            "Posted; the families will get a notice.",
        ),
        "wall.removed" => (
            "Запись убрана со стены.",
            "The post is removed from the wall.",
        ),
        "wall.empty" => ("напишите текст записи", "write the text of the post"),
        "wall.too_long" => ("не длиннее 4000 знаков", "at most 4000 characters"),
        "notify.wall" => ("запись на стене класса", "a post on the class wall"),
        "nav.wall" => ("Стена класса", "Class wall"),
        "roster.title" => ("Ученики и родители класса", "Students and parents of class"),
        "roster.students" => ("Ученики", "Students"),
        "roster.parents" => (
            "Родители (законные представители)",
            "Parents (legal representatives)",
        ),
        "roster.access" => ("Сведения в электронном виде", "Information electronically"),
        "roster.empty" => ("В классе нет учеников.", "The class has no students."),
        "roster.consent" => ("согласие", "consent"),
        "roster.refusal" => ("отказ", "refusal"),
        "roster.no_statement" => ("заявления нет", "no statement"),
        "roster.parent_of" => ("родитель:", "parent of"),
        "roster.statement" => (
            "Заявление родителя о согласии или отказе",
            "A parent's statement of consent or refusal",
        ),
        "roster.statement_hint" => (
            "Родитель подаёт заявление о согласии или отказе получать сведения об успеваемости ребёнка через Zhurnal. При отказе дневник, уведомления и календарь ребёнка закрываются для семьи; сведения выдаёт школа. Действует последнее заявление.",
            "A parent states whether they agree to receive the child's performance through Zhurnal. On refusal the child's diary, notices and calendar close to the family; the school gives the information in person. The latest statement counts.",
        ),
        "roster.no_parents" => (
            "У учеников класса нет родителей в системе.",
            "No parents of the class's students are in the system.",
        ),
        "roster.who_signed" => ("Кто подал заявление", "Who made the statement"),
        "roster.decision" => ("Решение", "Decision"),
        "roster.signed_on" => ("Дата заявления", "Date of the statement"),
        "roster.record_statement" => ("Записать заявление", "Record the statement"),
        "roster.statements" => ("Заявления", "Statements"),
        "roster.statement_recorded" => ("Заявление записано.", "The statement is recorded."),
        "roster.departure" => ("Выбытие ученика", "A student leaves the school"),
        "roster.departure_hint" => (
            "Записывается в день выбытия. С этой даты ученик исключается из класса и всех групп школы, а дневник для семьи закрывается.",
            "Recorded on the day the student leaves. From that day the student is out of the class and every group of the school, and the family's diary closes.",
        ),
        "roster.left_on" => ("Дата выбытия", "Day of leaving"),
        "roster.reason" => ("Причина", "Reason"),
        "roster.reason.transfer" => ("перевод в другую школу", "transfer to another school"),
        "roster.reason.graduation" => ("окончание обучения", "completion of studies"),
        "roster.reason.family" => ("по заявлению родителей", "at the parents' request"),
        "roster.reason.other" => ("иная причина", "other reason"),
        "roster.order" => ("Номер приказа", "Order number"),
        "roster.order_short" => ("приказ №", "order no."),
        "roster.order_long" => ("не длиннее 50 знаков", "at most 50 characters"),
        "roster.record_departure" => ("Записать выбытие", "Record the departure"),
        "roster.departures" => ("Выбывшие", "Departed"),
        "roster.departure_recorded" => ("Выбытие записано.", "The departure is recorded."),
        "roster.date_needed" => ("введите дату", "enter a date"),
        "roster.date_future" => (
            "дата не может быть позже сегодняшней",
            "the date cannot be later than today",
        ),
        "roster.entries_after" => (
            "с этой даты у ученика есть отметки или пропуски в журнале; выбытие не может быть раньше",
            "the student has marks or absences in the journal from this date on; the departure cannot be earlier",
        ),
        "nav.roster" => ("Ученики и родители", "Students and parents"),
        "diary.refused" => (
            "родители отказались получать сведения об успеваемости через Zhurnal",
            "the parents refused to receive the child's performance through Zhurnal",
        ),
        "diary.statement_of" => ("заявление от", "statement of"),
        "diary.refused_how" => (
            "Сведения об успеваемости выдаёт школа. Изменить решение можно заявлением классному руководителю.",
            "The school gives the performance information in person. To change the decision, give a statement to the class teacher.",
        ),
        "diary.left_on" => ("выбытие из школы", "left the school on"),
        "diary.left_how" => (
            "Сведения об успеваемости за время учёбы можно получить в школе.",
            "The records of the time at school can be requested from the school.",
        ),
        "error.withheld" => (
            "Сведения не предоставляются в электронном виде.",
            "This information is not provided electronically.",
        ),
        "diary.marks" => ("Отметки за период", "Marks of the period"),
        "diary.week" => ("← Неделя в дневнике", "← The week in the diary"),
        "diary.weeks" => ("Недели", "Weeks"),
        "diary.date" => ("Неделя с датой", "Week of the date"),
        "diary.today" => ("сегодня", "today"),
        "diary.no_lessons" => ("Уроков нет.", "No lessons."),
        "diary.subject" => ("Предмет", "Subject"),
        "diary.lesson" => ("Тема и задание", "Topic and homework"),
        "diary.marks_col" => ("Отметки", "Marks"),
        "diary.cancelled" => ("отменён", "cancelled"),
        "diary.room" => ("каб.", "room"),
        "diary.due" => ("сдать к", "due"),
        "diary.weight" => ("вес", "weight"),
        "diary.absent" => ("н — отсутствовал(а)", "absent"),
        "diary.late" => ("опоздание", "late"),
        "diary.children" => ("Дети", "Children"),
        "diary.no_marks" => ("Отметок за период пока нет.", "No marks in the period yet."),
        "diary.trend" => ("Динамика среднего", "Trend of the average"),
        "diary.confirmed" => ("Выставлено учителем", "Set by the teacher"),
        "diary.year" => (
            "Отметки за периоды учебного года",
            "Period marks of the study year",
        ),
        "diary.changes" => ("Изменения отметок", "Changes of marks"),
        "diary.period_mark" => ("отметка за период", "period mark"),
        "diary.removed" => ("удалена", "removed"),
        "diary.homework" => ("Домашние задания", "Homework"),
        "diary.upcoming" => (
            "Задано на ближайшие две недели",
            "Due in the next two weeks",
        ),
        "diary.overdue" => ("Срок прошёл (последняя неделя)", "Past due (last week)"),
        "diary.given" => ("задано", "given"),
        "diary.no_homework" => ("Заданий нет.", "No homework."),
        "diary.calendar" => ("Календарь", "Calendar"),
        "diary.calendar_how" => (
            "Уроки (с кабинетами и темами) и сроки домашних заданий можно видеть в календаре телефона: создайте секретный адрес и добавьте его в календарь как подписку. Адрес показывается один раз; если он попал к чужим, отзовите его.",
            "Lessons (with rooms and topics) and homework due dates can appear in your phone's calendar: make a secret address and subscribe to it. The address is shown once; if it reaches someone else, revoke it.",
        ),
        "diary.calendar_new" => (
            "Адрес создан. Скопируйте его сейчас — потом он не показывается.",
            "The address is made. Copy it now: it is not shown again.",
        ),
        "diary.calendar_url" => ("Адрес календаря", "Calendar address"),
        "diary.calendar_create" => ("Создать адрес календаря", "Make a calendar address"),
        "diary.calendar_feeds" => ("Созданные адреса", "Addresses made"),
        "diary.calendar_created" => ("Создан", "Made"),
        "diary.calendar_state" => ("Состояние", "State"),
        "diary.calendar_revoke" => ("Отозвать", "Revoke"),
        "diary.calendar_revoked" => ("отозван", "revoked"),
        "notify.title" => ("Уведомления", "Notifications"),
        "nav.notices" => ("Уведомления", "Notifications"),
        "notify.unread" => ("непрочитанных", "unread"),
        "notify.mark_read" => ("Отметить все прочитанными", "Mark all read"),
        "notify.none" => ("Уведомлений пока нет.", "No notifications yet."),
        "notify.new" => ("Новое:", "New:"),
        "notify.settings" => ("Как получать уведомления", "How to receive notifications"),
        "notify.email" => ("Адрес электронной почты", "Email address"),
        "notify.how" => (
            "Письма об отметках, пропусках и итоговых отметках",
            "Emails about marks, absences and period marks",
        ),
        "notify.mode_digest" => (
            "Одна сводка в день на каждого ребёнка (после уроков)",
            "One digest a day per child (after school)",
        ),
        "notify.mode_immediate" => ("Сразу после каждого изменения", "At once after each change"),
        "notify.mode_off" => (
            "Не присылать писем — только здесь, на сайте",
            "No emails, only here on the site",
        ),
        "notify.own" => (
            "Сообщать и мне самому (ученику) о моих отметках",
            "Tell me (the student) about my own marks too",
        ),
        "notify.save" => ("Сохранить", "Save"),
        "notify.saved" => (
            "Настройки уведомлений сохранены.",
            "Notification settings saved.",
        ),
        "notify.bad_email" => (
            "Это не похоже на адрес почты: нужен вид name@example.ru.",
            "This does not look like an email address: name@example.org.",
        ),
        "notify.bad_mode" => (
            "Выберите, как присылать уведомления.",
            "Choose how to send notifications.",
        ),
        "notify.email_needed" => (
            "Чтобы получать письма, укажите адрес почты.",
            "To receive emails, give an email address.",
        ),
        "notify.subject" => ("Дневник", "Diary"),
        "notify.digest" => ("Сводка дневника за", "Diary digest for"),
        "notify.footer" => (
            "Это письмо отправил электронный журнал школы. Настроить или отключить письма можно на странице «Уведомления».",
            "This message was sent by the school's electronic journal. Change or stop these emails on the Notifications page.",
        ),
        "notify.mark" => ("отметка", "mark"),
        "notify.period_mark" => ("отметка за период", "period mark"),
        "notify.was" => ("была", "was"),
        "notify.removed" => ("отметка удалена", "mark removed"),
        "notify.absent" => ("отсутствовал(а) на уроке", "absent from the lesson"),
        "notify.late" => ("опоздал(а) на урок", "late for the lesson"),
        "notify.absence_removed" => ("отметка об отсутствии снята", "absence removed"),
        "messages.title" => ("Сообщения", "Messages"),
        "nav.messages" => ("Сообщения", "Messages"),
        "messages.none" => ("Переписки пока нет.", "No messages yet."),
        "messages.unread" => ("новых", "new"),
        "messages.new" => ("Новое сообщение", "New message"),
        "messages.to" => ("Кому", "To"),
        "messages.topic" => ("Тема", "Subject"),
        "messages.body" => ("Сообщение", "Message"),
        "messages.send" => ("Отправить", "Send"),
        "messages.reply" => ("Ответ", "Reply"),
        "messages.back" => ("← Все сообщения", "← All messages"),
        "messages.about" => ("Об ученике", "About the student"),
        "messages.class_teacher" => ("классный руководитель", "class teacher"),
        "messages.all_families" => (
            "Всем родителям класса (каждой семье отдельно)",
            "All the class's families (each separately)",
        ),
        "messages.family_of" => ("Родителям ученика", "The parents of"),
        "messages.bad_to" => ("Выберите, кому написать.", "Choose whom to write to."),
        "messages.bad_topic" => (
            "Укажите тему (не длиннее 200 символов).",
            "Give a subject (at most 200 characters).",
        ),
        "messages.bad_body" => (
            "Напишите сообщение (не длиннее 5000 символов).",
            "Write the message (at most 5000 characters).",
        ),
        "messages.complain" => (
            "Пожаловаться администрации школы",
            "Raise a complaint with the school's administration",
        ),
        "messages.complain_how" => (
            "Жалоба открывает эту переписку директору и заместителю директора; они увидят всю переписку.",
            "A complaint opens this thread to the director and deputy director; they will see all of it.",
        ),
        "messages.complaint_raised" => ("подана жалоба", "complaint raised"),
        "messages.complaints" => ("Жалобы в переписке", "Complaints in messages"),
        "messages.no_complaints" => ("Жалоб нет.", "No complaints."),
        "notify.message" => ("новое сообщение", "new message"),
        "nav.diary" => ("Дневник", "Diary"),
        "year.title" => ("Годовые и итоговые отметки", "Year and final marks"),
        "year.link" => ("Годовые и итоговые отметки", "Year and final marks"),
        "year.no_periods" => (
            "Для класса не заданы учебные периоды.",
            "The class has no reporting periods.",
        ),
        "year.not_yet" => (
            "Годовые отметки выставляются с начала последнего периода учебного года.",
            "Year marks are set from the start of the year's last period.",
        ),
        "year.closed" => (
            "Последний период закрыт: годовые и итоговые отметки заблокированы.",
            "The last period is closed: year and final marks are locked.",
        ),
        "year.proposed" => ("предложение", "proposed"),
        "year.year" => ("Годовая", "Year"),
        "year.exam" => ("Экзамен", "Exam"),
        "year.final" => ("Итоговая", "Final"),
        "year.accept" => ("Принять все предложения", "Accept all proposals"),
        "year.how" => (
            "Годовая — среднее отметок за периоды (половина округляется в пользу ученика). Итоговая в 9 классе — среднее годовой и экзаменационной, в 11 классе — среднее полугодовых и годовых отметок 10 и 11 классов (Приказ Минпросвещения № 546), по правилам математики.",
            "The year mark is the mean of the period marks (a half in the student's favour). The final mark: grade 9 — the mean of the year and exam marks; grade 11 — the mean of the half-year and year marks of grades 10 and 11 (order № 546), rounded by the rules of mathematics.",
        ),
        "plan.title" => ("Тематическое планирование (КТП)", "Topic plan"),
        "plan.link" => ("Тематическое планирование (КТП)", "Topic plan"),
        "plan.back" => ("← К журналу", "← Back to the journal"),
        "plan.empty" => ("В файле нет ни одной темы.", "The file has no topics."),
        "plan.unreadable" => (
            "Файл не похож ни на таблицу CSV, ни на книгу Excel (XLSX). Старый формат .xls сохраните как .xlsx или CSV.",
            "The file is neither a CSV table nor an Excel workbook (XLSX). Save an old .xls as .xlsx or CSV.",
        ),
        "journal.key_long" => (
            "Ключ повтора длиннее 200 знаков.",
            "The idempotency key is longer than 200 characters.",
        ),
        "calendar.name_long" => (
            "Название длиннее 100 знаков.",
            "The name is longer than 100 characters.",
        ),
        "journal.reason_long" => (
            "Причина длиннее 500 знаков; опишите короче.",
            "The reason is longer than 500 characters; make it shorter.",
        ),
        "calendar.short_holiday" => (
            "короче 7 дней: Минпросвещения рекомендует каникулы не менее недели",
            "shorter than 7 days: the Ministry recommends holidays of at least a week",
        ),
        "year.exam_missing" => (
            "итоговая — после отметки за экзамен (ОГЭ)",
            "the final mark follows the exam (OGE) mark",
        ),
        "year.exam_failed" => (
            "экзамен не сдан: итоговая отметка не выставляется до пересдачи",
            "the exam was failed: no final mark until it is retaken",
        ),
        "promotion.debts" => (
            "Условно переводятся (академическая задолженность, ст. 58 273-ФЗ; иное решение — строкой в исключениях):",
            "Promoted conditionally (an academic debt, 273-FZ art. 58; another decision goes in the exceptions):",
        ),
        "nav.transfer" => ("Перевод в другой класс", "Transfer to another class"),
        "nav.movement" => ("Движение обучающихся", "Student movement"),
        "transfer.title" => ("Перевод в другой класс", "Transfer to another class"),
        "transfer.intro" => (
            "Перевод оформляется приказом и вносится в течение 3 дней (§2.12). Отметки до дня перевода остаются в журнале прежнего класса и видны в дневнике; в журнале нового класса ученик появляется с этого дня.",
            "A transfer is made by order and entered within 3 days (§2.12). Marks before the day stay in the old class's journal and in the diary; the new class's journal has the student from that day.",
        ),
        "transfer.from_class" => ("Из класса", "From class"),
        "transfer.student" => ("Ученик", "Student"),
        "transfer.to_class" => ("В класс", "To class"),
        "transfer.on" => ("Первый день в новом классе", "First day in the new class"),
        "transfer.order_number_label" => ("Номер приказа", "Order number"),
        "transfer.order_date" => ("Дата приказа", "Order date"),
        "transfer.submit" => ("Перевести", "Transfer"),
        "transfer.done" => ("Переведён", "Transferred"),
        "transfer.bad_date" => (
            "Дата записывается как ГГГГ-ММ-ДД.",
            "A date is written as YYYY-MM-DD.",
        ),
        "transfer.choose_student" => ("Выберите ученика.", "Choose a student."),
        "transfer.choose_class" => ("Выберите класс.", "Choose a class."),
        "transfer.same_class" => (
            "Ученик уже учится в этом классе.",
            "The student is in this class already.",
        ),
        "transfer.before_enrolment" => (
            "Дата перевода должна быть позже дня, с которого ученик учится в нынешнем классе.",
            "The transfer must be dated after the day the student joined the current class.",
        ),
        "transfer.entries_after" => (
            "С этого дня у ученика уже есть отметки или пропуски в журнале прежнего класса: укажите более позднюю дату или сначала исправьте журнал.",
            "The student has marks or absences in the old class's journal from that day: choose a later day or correct the journal first.",
        ),
        "transfer.order_number" => (
            "Укажите номер приказа (до 50 знаков).",
            "Give the order's number (up to 50 characters).",
        ),
        "movement.title" => ("Движение обучающихся", "Student movement"),
        "movement.caption" => (
            "Движение обучающихся за период по классам; последняя строка — по школе",
            "Student movement over the period by class; the last line is the school",
        ),
        "movement.from" => ("С", "From"),
        "movement.to" => ("По", "To"),
        "movement.csv" => ("Скачать CSV", "Download CSV"),
        "movement.bad_dates" => (
            "Укажите даты ГГГГ-ММ-ДД одного учебного года, начало не позже конца.",
            "Give dates as YYYY-MM-DD within one school year, the start not after the end.",
        ),
        "movement.total" => ("Всего по школе", "School total"),
        "movement.class" => ("Класс", "Class"),
        "movement.at_start" => ("На начало", "At the start"),
        "movement.arrived" => ("Прибыло", "Arrived"),
        "movement.enrolled" => ("в т. ч. зачислено", "of them enrolled"),
        "movement.transferred_in" => ("в т. ч. из другого класса", "of them from another class"),
        "movement.left" => ("Выбыло", "Left"),
        "movement.transferred_out" => ("в т. ч. в другой класс", "of them to another class"),
        "movement.to_other_school" => ("в т. ч. в другую школу", "of them to another school"),
        "movement.graduated" => ("в т. ч. окончили", "of them graduated"),
        "movement.family" => (
            "в т. ч. по семейным обстоятельствам",
            "of them for family reasons",
        ),
        "movement.left_other" => ("в т. ч. по другим причинам", "of them otherwise"),
        "movement.at_end" => ("На конец", "At the end"),
        "nav.consents" => ("Согласия и заявления", "Consents and statements"),
        "consents.title" => (
            "Согласия и заявления семей",
            "Families' consents and statements",
        ),
        "consents.intro" => (
            "Согласие на обработку персональных данных ребёнка (§2.8) и заявление о получении сведений об успеваемости в электронной форме (§3.6). В списке — ученики, у которых чего-то не хватает.",
            "The consent to processing the child's personal data (§2.8) and the statement on receiving performance information electronically (§3.6). The list shows the students for whom something is missing.",
        ),
        "consents.summary_no_consent" => (
            "без согласия на обработку",
            "without a consent to processing",
        ),
        "consents.summary_refused" => (
            "отказались от электронной формы",
            "refused electronic information",
        ),
        "consents.summary_no_statement" => ("заявление не сдано", "no statement handed over"),
        "consents.show_all" => ("Показать всех учеников", "Show every student"),
        "consents.show_missing" => (
            "Показать только тех, у кого чего-то не хватает",
            "Show only those missing something",
        ),
        "consents.caption" => (
            "Ученики и документы их семей",
            "Students and their families' papers",
        ),
        "consents.student" => ("Ученик", "Student"),
        "consents.class" => ("Класс", "Class"),
        "consents.consent" => ("Согласие на обработку", "Consent to processing"),
        "consents.statement" => ("Заявление (§3.6)", "Statement (§3.6)"),
        "consents.record" => ("Записать согласие", "Record a consent"),
        "consents.signer" => ("Кто подписал", "Signed by"),
        "consents.signed_on" => ("Дата", "Date"),
        "consents.document" => ("Рег. номер документа", "Document reference"),
        "consents.given" => ("есть, от", "given on"),
        "consents.withdrawn" => ("отозвано", "withdrawn on"),
        "consents.none" => ("нет", "none"),
        "consents.statement_consent" => ("согласие", "consent"),
        "consents.statement_refusal" => (
            "отказ: нужна бумажная выписка",
            "refusal: a paper extract is needed",
        ),
        "consents.statement_none" => ("не сдано", "not handed over"),
        "consents.recorded" => ("Согласие записано.", "The consent is recorded."),
        "consents.nobody" => (
            "У всех учеников документы в порядке.",
            "Every student's papers are in order.",
        ),
        "consents.bad_document" => (
            "Номер документа — до 100 знаков без управляющих символов.",
            "A document reference has up to 100 characters without control characters.",
        ),
        "nav.roster_import" => ("Загрузка списка учеников", "Roster import"),
        "nav.access_codes" => ("Коды доступа", "Access codes"),
        "roster_import.title" => ("Загрузка списка учеников", "Roster import"),
        "roster_import.intro" => (
            "Загрузите таблицу учеников школы (XLSX или CSV): класс, номер личного дела, фамилия, имя, отчество, дата рождения, пол и до двух родителей. Столбцы узнаются по заголовкам в любом порядке, лишние не мешают. Сначала проверьте файл: загрузка выполняется целиком или не выполняется совсем, а повторная загрузка того же файла ничего не меняет.",
            "Upload the school's list of students (XLSX or CSV): class, personal file number, last, first and middle name, birthday, sex, and up to two parents. Columns are found by their headers in any order; extra columns do no harm. Check the file first: an import is applied whole or not at all, and importing the same file again changes nothing.",
        ),
        "roster_import.template" => ("Скачать шаблон таблицы", "Download the template"),
        "roster_import.file_label" => ("Файл со списком", "Roster file"),
        "roster_import.file_hint" => (
            "XLSX или CSV (UTF-8 или Windows-1251, разделитель «;», «,» или табуляция); первая строка — заголовки.",
            "XLSX or CSV (UTF-8 or Windows-1251, separated by «;», «,» or tab); the first row holds the headers.",
        ),
        "roster_import.no_file" => (
            "Выберите файл со списком учеников.",
            "Choose the roster file.",
        ),
        "roster_import.check" => ("Проверить", "Check"),
        "roster_import.apply" => ("Загрузить", "Import"),
        "roster_import.applied" => ("Список загружен.", "The roster is imported."),
        "roster_import.clean" => (
            "Ошибок нет, можно загружать.",
            "No problems: the roster can be imported.",
        ),
        "roster_import.problems" => (
            "Ничего не загружено: исправьте файл и загрузите его снова",
            "Nothing was imported: correct the file and upload it again",
        ),
        "roster_import.rows" => ("Строки файла", "The file's rows"),
        "roster_import.row" => ("Строка", "Row"),
        "roster_import.file" => ("Файл", "File"),
        "roster_import.class" => ("Класс", "Class"),
        "roster_import.name" => ("Ученик", "Student"),
        "roster_import.fate" => ("Что будет сделано", "What happens"),
        "roster_import.fate_new" => ("новых учеников", "new students"),
        "roster_import.fate_updated" => ("обновлено", "updated"),
        "roster_import.fate_unchanged" => ("без изменений", "unchanged"),
        "roster_import.fate_refused" => ("не загружается", "refused"),
        "roster_import.new_classes" => ("новые классы", "new classes"),
        "roster_import.missing_column" => (
            "нет такого столбца: без него список не загрузить",
            "this column is missing and the roster needs it",
        ),
        "roster_import.duplicate_column" => ("столбец повторяется", "the column appears twice"),
        "roster_import.required" => ("не заполнено", "empty"),
        "roster_import.bad_class" => (
            "класс записывается как «1А»: номер от 1 до 11 и одна русская буква",
            "a class is written like «1А»: a number 1–11 and one Russian letter",
        ),
        "roster_import.bad_date" => (
            "дата записывается как ДД.ММ.ГГГГ, например 03.05.2019",
            "a date is written as DD.MM.YYYY, for example 03.05.2019",
        ),
        "roster_import.implausible_birthday" => (
            "дата рождения в будущем или более 25 лет назад",
            "the birthday is in the future or more than 25 years ago",
        ),
        "roster_import.bad_sex" => (
            "пол записывается как «м» или «ж»",
            "sex is written as «м» or «ж» (m/f)",
        ),
        "roster_import.bad_relation" => (
            "укажите «мать», «отец», «опекун» или «другое»",
            "write «мать», «отец», «опекун» or «другое» (mother, father, guardian, other)",
        ),
        "roster_import.bad_email" => ("это не адрес электронной почты", "not an email address"),
        "roster_import.bad_phone" => (
            "в телефоне должно быть от 10 до 15 цифр",
            "a phone number has 10 to 15 digits",
        ),
        "roster_import.too_long" => ("длиннее 100 знаков", "longer than 100 characters"),
        "roster_import.bad_characters" => (
            "содержит управляющие символы (перенос строки, табуляцию)",
            "holds control characters (a line break, a tab)",
        ),
        "roster_import.incomplete_parent" => (
            "у родителя должны быть указаны фамилия и имя",
            "a parent needs a last and a first name",
        ),
        "roster_import.duplicate_file_number" => (
            "этот номер личного дела уже есть в строке",
            "this personal file number is already on row",
        ),
        "roster_import.in_another_class" => (
            "ученик уже учится в другом классе; перевод оформляется приказом, а не загрузкой. Сейчас он в классе",
            "the student is in another class already; a transfer is made by order, not by an import. The student is now in",
        ),
        "access.title" => ("Коды доступа для семей", "Access codes for families"),
        "access.intro" => (
            "Родитель или ученик подаёт заявление на доступ; в течение 3 дней выдайте ему одноразовый код и бланк. С кодом человек сам создаёт логин и пароль на странице «Регистрация по коду». Новый код отменяет прежний.",
            "A parent or a student applies for access; within 3 days give them a one-time code on a slip. With the code they create their own login and password at «Регистрация по коду». A new code cancels the one before.",
        ),
        "access.class" => ("Класс", "Class"),
        "access.show" => ("Показать", "Show"),
        "access.nobody" => (
            "В классе пока нет учеников.",
            "The class has no students yet.",
        ),
        "access.student" => ("ученик", "student"),
        "access.mother" => ("мать", "mother"),
        "access.father" => ("отец", "father"),
        "access.guardian" => ("опекун", "guardian"),
        "access.other_parent" => ("законный представитель", "legal representative"),
        "access.has_login" => ("вход в Журнал есть", "has a login"),
        "access.code_until" => ("код выдан, действует до", "a code is issued, valid until"),
        "access.applied_on" => ("заявление от", "applied on"),
        "access.overdue" => ("код не выдан более 3 дней", "no code for more than 3 days"),
        "access.no_application" => ("заявления нет", "no application"),
        "access.applied_label" => ("Дата заявления", "Applied on"),
        "access.issue" => ("Выдать код", "Issue a code"),
        "access.bad_date" => (
            "Дата записывается как ГГГГ-ММ-ДД.",
            "A date is written as YYYY-MM-DD.",
        ),
        "access.slip_title" => (
            "Код доступа к электронному дневнику",
            "Access code for the electronic diary",
        ),
        "access.slip_for" => ("Для", "For"),
        "access.slip_code" => ("Код", "Code"),
        "access.slip_until" => ("Действует до", "Valid until"),
        "access.slip_where" => ("Адрес", "Address"),
        "access.slip_step1" => ("Откройте страницу", "Open the page"),
        "access.slip_step2" => (
            "Введите код, придумайте логин и пароль (не короче 12 знаков).",
            "Type the code, choose a login and a password (at least 12 characters).",
        ),
        "access.slip_step3" => (
            "Войдите в Журнал с этим логином и паролем.",
            "Sign in to Zhurnal with that login and password.",
        ),
        "access.slip_once" => (
            "Код действует один раз. Не передавайте его другим: он даёт доступ к сведениям о ребёнке. Если код потерян, обратитесь в школу за новым.",
            "The code works once. Do not pass it on: it gives access to the child's records. If it is lost, ask the school for a new one.",
        ),
        "access.print" => (
            "Распечатайте эту страницу (Ctrl+P) и передайте заявителю: код показан только сейчас.",
            "Print this page (Ctrl+P) and hand it to the applicant: the code is shown only now.",
        ),
        "access.back" => ("К списку класса", "Back to the class list"),
        "login.have_code" => (
            "Впервые, с кодом из школы?",
            "First time, with a code from the school?",
        ),
        "register.title" => ("Регистрация по коду", "Sign up with a code"),
        "register.intro" => (
            "Введите код из бланка, выданного школой, и придумайте логин и пароль.",
            "Type the code from the slip the school gave you, and choose a login and a password.",
        ),
        "register.code" => ("Код из бланка", "Code from the slip"),
        "register.login" => ("Логин", "Login"),
        "register.login_hint" => (
            "От 3 до 64 латинских букв, цифр и знаков . _ - @",
            "3 to 64 Latin letters, digits and . _ - @",
        ),
        "register.password" => ("Пароль", "Password"),
        "register.password_hint" => (
            "Не короче 12 знаков; удобно взять несколько слов.",
            "At least 12 characters; a few words are easy to remember.",
        ),
        "register.password2" => ("Пароль ещё раз", "Password again"),
        "register.submit" => ("Создать вход", "Create my login"),
        "register.done" => ("Вход создан. Ваш логин:", "Your login is created:"),
        "register.sign_in" => ("Войти в Журнал", "Sign in to Zhurnal"),
        "register.bad_code" => (
            "Код не подходит: он неверен, уже использован или истёк. Проверьте буквы или попросите в школе новый.",
            "The code does not work: it is wrong, used or expired. Check the letters or ask the school for a new one.",
        ),
        "register.locked" => (
            "Слишком много неверных кодов. Попробуйте позже.",
            "Too many wrong codes. Try again later.",
        ),
        "register.login_length" => (
            "Логин — от 3 до 64 знаков.",
            "A login has 3 to 64 characters.",
        ),
        "register.login_characters" => (
            "В логине допустимы только латинские буквы, цифры и . _ - @",
            "A login may hold only Latin letters, digits and . _ - @",
        ),
        "register.login_taken" => (
            "Этот логин уже занят, выберите другой.",
            "This login is taken: choose another.",
        ),
        "sessions.title" => ("Сеансы и входы", "Sessions and sign-ins"),
        "sessions.intro" => (
            "Где выполнен вход в вашу учётную запись. Если какой-то вход вам незнаком, завершите его и смените пароль.",
            "Where your account is signed in. If you do not recognise one, end it and change your password.",
        ),
        "sessions.ended" => ("Сеанс завершён.", "The session has ended."),
        "sessions.device" => ("Устройство", "Device"),
        "sessions.address" => ("Адрес", "Address"),
        "sessions.started" => ("Вход", "Signed in"),
        "sessions.last_seen" => ("Последнее действие", "Last active"),
        "sessions.actions" => ("Действия", "Actions"),
        "sessions.this" => ("этот сеанс", "this session"),
        "sessions.end" => ("Завершить", "End"),
        "sessions.app" => ("Приложение", "App"),
        "sessions.token" => ("Токен API", "API token"),
        "sessions.unknown" => ("Неизвестное устройство", "Unknown device"),
        "periods.uncovered" => (
            "учебные дни не входят ни в один период, отметки за них не попадут в итог:",
            "study days fall in no period, so their marks would count nowhere:",
        ),
        "journal.two_marks" => (
            "В клетке может быть одна отметка (и «оп» рядом с ней).",
            "A cell holds one mark (and «оп» beside it).",
        ),
        "journal.mark_while_absent" => (
            "Отсутствующему («н») отметка за урок не ставится; опоздавшему — «5 оп».",
            "An absent pupil («н») gets no mark for the lesson; a late one can: «5 оп».",
        ),
        "journal.without_marks" => (
            "Предмет в этом классе изучается без отметок: ставятся только посещаемость, темы и задания.",
            "The subject is taught without marks in this grade: only attendance, topics and homework.",
        ),
        "journal.pass_fail_only" => (
            "Предмет оценивается «зачтено»/«не зачтено»: «зач», «незач», «н/а» или «осв».",
            "The subject is assessed pass or fail: «зач», «незач», «н/а» or «осв».",
        ),
        "journal.points_only" => (
            "Предмет оценивается отметками по пятибалльной шкале, а не «зач»/«незач».",
            "The subject is assessed on the five-point scale, not pass or fail.",
        ),
        "journal.whole_only" => (
            "Отметка за период — целая: без «+» и «−».",
            "A period mark is a whole mark: no «+» or «−».",
        ),
        "plan.damaged" => ("Книга Excel повреждена", "The Excel workbook is damaged"),
        "sheet.too_many_rows" => (
            "В таблице слишком много строк; наибольшее число —",
            "The table has too many rows; the most allowed is",
        ),
        "sheet.too_many_columns" => (
            "В таблице слишком много столбцов; наибольшее число —",
            "The table has too many columns; the most allowed is",
        ),
        "sheet.too_many_cells" => (
            "В таблице слишком много ячеек; наибольшее число —",
            "The table has too many cells; the most allowed is",
        ),
        "sheet.too_much_text" => (
            "В таблице слишком много текста; наибольший объём, МБ, —",
            "The table holds too much text; the most allowed, MB, is",
        ),
        "plan.blank_topic" => ("не указана тема", "the topic is empty"),
        "plan.bad_hours" => (
            "число часов должно быть от 1 до 10, а не",
            "hours must be 1 to 10, not",
        ),
        "plan.bad_number" => (
            "номер урока должен быть числом, а не",
            "the lesson number must be a number, not",
        ),
        "plan.out_of_order" => (
            "номера уроков должны идти по порядку:",
            "lesson numbers must go in order:",
        ),
        "plan.too_long" => (
            "слишком длинный текст, не больше символов",
            "the text is too long, at most characters",
        ),
        "plan.too_many" => (
            "В плане больше уроков, чем помещается в учебный год (не больше 400)",
            "The plan has more lessons than a study year holds (at most 400)",
        ),
        "plan.refused" => (
            "План не загружен, ничего не изменено:",
            "The plan was not loaded; nothing was changed:",
        ),
        "plan.loaded" => ("Загружено тем", "Topics loaded"),
        "plan.filled" => ("заполнено тем уроков", "lesson topics filled"),
        "plan.file" => (
            "Файл планирования (CSV или XLSX)",
            "Plan file (CSV or XLSX)",
        ),
        "plan.how" => (
            "Столбцы с заголовками «№», «Тема», «Часы», «Домашнее задание» в любом порядке (лишние, например даты, не мешают), или без заголовка: номер; тема; часы; задание. Темы встанут в пустые темы уроков по порядку; темы, которые вы уже написали, не меняются. Загрузка заменяет прежний план.",
            "Columns headed «№», «Topic», «Hours», «Homework» in any order (extra ones such as dates are ignored), or without a header: number; topic; hours; homework. Topics fill the lessons without a topic in order; topics you have written stay. Loading replaces the earlier plan.",
        ),
        "plan.upload" => ("Загрузить план", "Load the plan"),
        "plan.apply" => (
            "Заполнить пустые темы по плану",
            "Fill empty topics from the plan",
        ),
        "plan.none" => ("План ещё не загружен.", "No plan has been loaded yet."),
        "plan.coverage" => (
            "Уроков в плане / уроков в году",
            "Lessons in the plan / lessons in the year",
        ),
        "plan.topic" => ("Тема", "Topic"),
        "plan.hours" => ("Часы", "Hours"),
        "plan.homework" => ("Домашнее задание", "Homework"),
        "plan.dates" => ("Уроки", "Lessons"),
        "journal.title" => ("Классный журнал", "Class journal"),
        "journal.none" => (
            "Нет журналов, которые вам доступны.",
            "There are no journals you may open.",
        ),
        "journal.which" => ("Класс и предмет", "Class and subject"),
        "journal.period" => ("Период", "Period"),
        "journal.saved" => ("Сохранено ячеек", "Cells saved"),
        "journal.cells_refused" => (
            "Не сохранено ячеек (причина — в самой ячейке)",
            "Cells not saved (the reason is in the cell)",
        ),
        "journal.how" => (
            "В ячейку урока впишите отметку (5, 4, 3, 2, зач, н/а, осв), «н» — отсутствовал, «оп» — опоздал (опоздавшему можно поставить отметку: «5 оп»); пустая ячейка снимает всё. Сохраняются только изменённые ячейки.",
            "Type a mark into a lesson's cell (5, 4, 3, 2, зач, н/а, осв), «н» for absent, «оп» for late (a late pupil can be marked: «5 оп»); an empty cell clears it. Only changed cells are saved.",
        ),
        "journal.no_lessons" => (
            "В этом периоде уроков нет.",
            "There are no lessons in this period.",
        ),
        "journal.student" => ("Ученик", "Student"),
        "journal.average" => ("Средний балл", "Average"),
        "journal.proposed" => ("Отметка за период (предложение)", "Period mark (proposed)"),
        "journal.below_minimum" => ("мало отметок", "too few marks"),
        "journal.period_mark" => ("Отметка за период", "Period mark"),
        "journal.accept" => (
            "Выставить предложенные отметки за период",
            "Set the proposed period marks",
        ),
        "journal.changed_meanwhile" => (
            "Ячейку тем временем изменил другой пользователь, сейчас в ней",
            "Someone else changed this cell meanwhile; it now holds",
        ),
        "journal.js_saving" => ("Сохраняется…", "Saving…"),
        "journal.js_saved" => ("Сохранено", "Saved"),
        "journal.js_offline" => ("Нет связи, повторим попытку…", "No connection, retrying…"),
        "journal.js_failed" => ("Не сохранено", "Not saved"),
        "journal.js_undone" => ("Отменено", "Undone"),
        "journal.keys" => (
            "Клавиши: стрелки и Enter — переход по ячейкам, Ctrl+Z — отменить последнее изменение. Отметка сохраняется сразу.",
            "Keys: arrows and Enter move between cells, Ctrl+Z undoes the last change. A mark is saved at once.",
        ),
        "journal.period_closed" => (
            "Период закрыт: отметки не меняются. Исправление вносит заместитель директора с указанием причины.",
            "The period is closed: its marks are locked. The deputy director corrects them, with a reason.",
        ),
        "journal.closed_note" => ("Период закрыт", "The period is closed"),
        "periods.closing" => ("Закрытие периодов", "Closing periods"),
        "periods.closing_hint" => (
            "Закрытый период запирает отметки и темы своих уроков и отметки за период; исправления — только с причиной.",
            "A closed period locks its lessons' marks and topics and its period marks; corrections need a reason.",
        ),
        "periods.close" => ("Закрыть", "Close"),
        "periods.reopen" => ("Открыть снова", "Reopen"),
        "periods.closed" => ("закрыт", "closed"),
        "periods.open" => ("открыт", "open"),
        "journal.save" => ("Сохранить изменения", "Save changes"),
        "lesson.title" => ("Урок в журнале", "A lesson in the journal"),
        "lesson.back" => ("к журналу", "back to the journal"),
        "lesson.text" => ("Тема и домашнее задание", "Topic and homework"),
        "lesson.topic" => ("Тема урока", "Topic"),
        "lesson.homework" => ("Домашнее задание", "Homework"),
        "lesson.due" => ("Срок сдачи", "Due"),
        "lesson.save_text" => ("Сохранить тему и задание", "Save the topic and homework"),
        "lesson.works" => ("Работы и отметки", "Works and marks"),
        "lesson.no_works" => (
            "На уроке пока нет работ с отметками.",
            "The lesson has no marked works yet.",
        ),
        "lesson.work_type" => ("Вид работы", "Kind of work"),
        "lesson.kind" => ("Где выполнялась", "Done"),
        "lesson.in_class" => ("на уроке", "in class"),
        "lesson.homework_kind" => ("домашняя", "as homework"),
        "lesson.add_work" => ("Добавить работу", "Add a work"),
        "lesson.history" => ("История изменений", "History of changes"),
        "lesson.no_history" => ("Изменений не было.", "No changes yet."),
        "lesson.when" => ("Когда", "When"),
        "lesson.who" => ("Кто", "Who"),
        "lesson.what" => ("Что", "What"),
        "lesson.change" => ("Было → стало", "Before → after"),
        "lesson.reason" => ("Причина", "Reason"),
        "lesson.correct" => ("Исправление отметки", "Correcting a mark"),
        "lesson.correct_hint" => (
            "Срок исправлений для учителя истёк. Исправление вносится с причиной; прежняя отметка остаётся в истории.",
            "The teacher's edit window has closed. A correction needs a reason; the earlier mark stays in the history.",
        ),
        "lesson.answer_in_class" => ("Ответ на уроке", "Answer in class"),
        "lesson.new_value" => (
            "Новая отметка (пусто — снять)",
            "New mark (empty removes it)",
        ),
        "lesson.correct_button" => ("Исправить", "Correct"),
        "files.title" => ("Файлы к заданию", "Files for the homework"),
        "files.no_files" => ("Файлов нет.", "No files."),
        "files.add" => ("Прикрепить файл", "Attach a file"),
        "files.upload" => ("Загрузить", "Upload"),
        "files.remove" => ("Удалить", "Remove"),
        "files.limits" => (
            "PDF, изображения PNG и JPEG, документы DOCX, XLSX, PPTX, ODT, текст; до 10 МБ, не больше 5 файлов к уроку.",
            "PDF, PNG and JPEG images, DOCX, XLSX, PPTX, ODT documents, text; up to 10 MB, at most 5 files per lesson.",
        ),
        "files.none" => ("Выберите файл.", "Choose a file."),
        "files.empty" => ("Файл пуст.", "The file is empty."),
        "files.too_big" => ("Файл больше 10 МБ.", "The file is larger than 10 MB."),
        "files.too_many" => (
            "К уроку уже прикреплено 5 файлов.",
            "The lesson already has 5 files.",
        ),
        "files.bad_type" => (
            "Такой тип файла не принимается: PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT или TXT.",
            "This type of file is not accepted: PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT or TXT.",
        ),
        "files.not_what_it_says" => (
            "Содержимое файла не соответствует его расширению.",
            "The file's content does not match its extension.",
        ),
        "nav.class_check" => ("Журнал класса", "Class journal check"),
        "class_check.title" => ("Проверка журнала класса", "Checking the journal of class"),
        "class_check.fill" => (
            "Как заполняются журналы с начала периода",
            "How the journals are kept since the period began",
        ),
        "class_check.lessons" => ("Уроков", "Lessons"),
        "class_check.no_topic" => ("Без темы", "No topic"),
        "class_check.no_homework" => ("Без задания", "No homework"),
        "class_check.marks" => ("Отметок", "Marks"),
        "class_check.late" => ("Отметок внесено позже срока", "Marks entered late"),
        "class_check.checks" => (
            "Проверки классного руководителя",
            "The class teacher's checks",
        ),
        "class_check.none" => ("Проверок ещё не было.", "No checks yet."),
        "class_check.never" => ("проверок не было", "there has been no check"),
        "class_check.days_ago" => (
            "последняя проверка дней назад:",
            "days since the last check:",
        ),
        "class_check.overdue" => (
            "Журнал проверяется дважды в месяц",
            "The journal is checked twice a month",
        ),
        "class_check.comment" => ("Замечания по проверке", "Remarks on the check"),
        "class_check.record" => ("Отметить проверку", "Record the check"),
        "class_check.recorded" => ("Проверка записана.", "The check is recorded."),
        "class_check.comment_long" => ("Не длиннее 1000 знаков.", "Up to 1000 characters."),
        "class_check.absences" => (
            "Пропуски и опоздания: причины",
            "Absences and lateness: reasons",
        ),
        "class_check.no_absences" => ("Пропусков нет.", "No absences."),
        "class_check.when" => ("Урок", "Lesson"),
        "class_check.what" => ("Отметка", "Entry"),
        "class_check.reason" => ("Причина", "Reason"),
        "class_check.save_reasons" => ("Сохранить причины", "Save the reasons"),
        "class_check.absent_status" => ("отсутствовал (н)", "absent (н)"),
        "class_check.late_status" => ("опоздал (оп)", "late (оп)"),
        "reason.unknown" => ("не указана", "not given"),
        "reason.illness" => ("болезнь", "illness"),
        "reason.excused" => ("уважительная", "excused"),
        "reason.unexcused" => ("неуважительная", "unexcused"),
        "nav.mine" => ("Мои уроки", "My lessons"),
        "mine.title" => ("Мои уроки", "My lessons"),
        "mine.today" => ("Сегодня", "Today"),
        "mine.no_lessons" => ("Сегодня уроков нет.", "No lessons today."),
        "mine.no_topic" => ("тема не указана", "no topic yet"),
        "mine.missing" => ("Не указана тема урока", "Lessons without a topic"),
        "mine.all_filled" => ("Темы всех уроков указаны.", "Every lesson has its topic."),
        "mine.until" => ("можно указать до", "can be filled until"),
        "mine.few" => (
            "Мало отметок в текущем периоде",
            "Too few marks in the current period",
        ),
        "mine.min" => ("наименьшее число —", "the minimum is"),
        "mine.enough" => (
            "У всех учеников достаточно отметок.",
            "Every student has enough marks.",
        ),
        "lesson.h_mark" => ("отметка", "mark"),
        "lesson.h_absence" => ("посещение", "attendance"),
        "lesson.h_text" => ("тема и задание", "topic and homework"),
        "nav.grading" => ("Правила оценивания", "Grading rules"),
        "grading.title" => ("Правила оценивания", "Grading rules"),
        "grading.intro" => (
            "По положению о текущем контроле школы: как Журнал предлагает отметку за период и сколько дней учитель может исправлять урок.",
            "As the school's assessment regulations say: how Zhurnal proposes the period mark and for how many days a teacher may correct a lesson.",
        ),
        "grading.saved" => ("Правила сохранены.", "The rules are saved."),
        "grading.method" => ("Средний балл", "The average"),
        "grading.weighted" => (
            "средневзвешенный: Σ(отметка × вес вида работы) / Σ весов",
            "weighted: Σ(mark × the work type's weight) / Σ weights",
        ),
        "grading.arithmetic" => ("среднее арифметическое", "arithmetic mean"),
        "grading.bounds" => (
            "С какого среднего балла ставится отметка",
            "The lowest average for each mark",
        ),
        "grading.from" => ("с", "from"),
        "grading.bounds_hint" => (
            "Например, «5» с 4.65, «4» с 3.65, «3» с 2.65; ниже — «2».",
            "For example «5» from 4.65, «4» from 3.65, «3» from 2.65; below, «2».",
        ),
        "grading.min_marks" => (
            "Наименьшее число отметок за период",
            "The fewest marks in a period",
        ),
        "grading.window" => (
            "Сколько дней после урока учитель может исправлять его",
            "Days after a lesson its teacher may correct it",
        ),
        "grading.window_hint" => (
            "Позже исправления вносит заместитель директора с указанием причины.",
            "Later, the deputy director makes corrections, with a reason.",
        ),
        "grading.options" => ("Дополнительно", "Options"),
        "grading.no_top" => (
            "При «2» за период нельзя получить высшую отметку",
            "With a «2» in the period the top mark cannot be given",
        ),
        "grading.with_one" => ("Ставится отметка «1»", "The mark «1» is used"),
        "grading.with_signs" => (
            "Ставятся «+» и «−» (например, «4+»)",
            "«+» and «−» are used (e.g. «4+»)",
        ),
        "grading.save" => ("Сохранить правила", "Save the rules"),
        "grading.bad_method" => ("Выберите способ.", "Choose a method."),
        "grading.bad_bound" => (
            "Число от 1.00 до 5.00, например 4.65.",
            "A number from 1.00 to 5.00, e.g. 4.65.",
        ),
        "grading.bounds_order" => (
            "Границы должны убывать: для «5» выше, чем для «4», для «4» выше, чем для «3».",
            "The bounds must fall: «5» above «4», «4» above «3».",
        ),
        "grading.bad_min" => ("Число от 0 до 20.", "A number from 0 to 20."),
        "grading.bad_window" => ("Число дней от 0 до 60.", "A number of days from 0 to 60."),
        "nav.grid" => ("Сетка расписания", "Timetable grid"),
        "grid.title" => ("Расписание класса: сетка", "A class's weekly timetable"),
        "grid.intro" => (
            "В каждой клетке выберите строку нагрузки класса (предмет и учителя) и кабинет. Вторая строка клетки — для деления класса на подгруппы. «Проверить» покажет накладки с другими классами и расхождения с нагрузкой, ничего не сохраняя; «Сохранить» вводит неделю в действие с указанной даты.",
            "In each cell choose a line of the class's teaching load (subject and teacher) and a room. The cell's second line is for splitting the class into subgroups. «Check» shows double bookings with other classes and differences from the load without saving anything; «Save» puts the week in force from the date given.",
        ),
        "grid.open" => ("Открыть", "Open"),
        "grid.from" => ("Действует с", "In force from"),
        "grid.in_force" => (
            "Сейчас показана неделя, действующая с",
            "Shown: the week in force since",
        ),
        "grid.empty_week" => (
            "На эту дату у класса нет расписания: сетка пуста.",
            "The class has no timetable on this date: the grid is empty.",
        ),
        "grid.no_load" => (
            "У класса нет нагрузки: сначала распределите её на странице «Нагрузка».",
            "The class has no teaching load: assign it on the «Teaching load» page first.",
        ),
        "grid.lesson" => ("урок", "lesson"),
        "grid.number" => ("Урок", "Lesson"),
        "grid.second_line" => ("вторая подгруппа", "second subgroup"),
        "grid.room" => ("кабинет", "room"),
        "grid.room_short" => ("каб.", "room"),
        "grid.split" => ("+ подгруппа", "+ subgroup"),
        "grid.not_in_load" => ("нет в нагрузке класса", "not in the class's load"),
        "grid.room_too_long" => (
            "номер кабинета длиннее 20 знаков",
            "the room is longer than 20 characters",
        ),
        "grid.check" => ("Проверить", "Check"),
        "grid.save" => ("Проверить и сохранить", "Check and save"),
        "grid.saved" => (
            "Расписание сохранено, уроки пересчитаны.",
            "The timetable is saved and the lessons derived again.",
        ),
        "grid.load" => (
            "Нагрузка класса и часы в сетке",
            "The class's load and hours in the grid",
        ),
        "grid.load_line" => ("Предмет и учитель", "Subject and teacher"),
        "grid.hours_grid" => ("В сетке", "In the grid"),
        "import.title" => ("Импорт расписания из CSV", "Importing a timetable from CSV"),
        "import.intro" => (
            "Одна строка — один урок: класс, день недели (1–6 или пн–сб), номер урока, предмет, учитель (ФИО или «Фамилия И. О.»), кабинет. Разделитель — точка с запятой, запятая или табуляция (можно вставить прямо из таблицы). Сначала проверьте: ничего не сохранится, пока в файле есть ошибки, и сохраняется всё сразу.",
            "One line per lesson: class, weekday (1–6 or Mon–Sat), lesson number, subject, teacher (full name or «Surname I. O.»), room. Separated by semicolons, commas or tabs (paste straight from a spreadsheet). Check first: nothing is saved while the file has errors, and everything is saved at once.",
        ),
        "import.valid_from" => ("Расписание действует с", "The timetable applies from"),
        "import.csv" => ("Строки расписания (CSV)", "Timetable lines (CSV)"),
        "import.check" => ("Проверить", "Check"),
        "import.apply" => ("Проверить и сохранить", "Check and save"),
        "import.result" => ("Результат проверки", "Check result"),
        "import.read" => ("Прочитано уроков", "Lessons read"),
        "import.classes" => ("классов", "classes"),
        "import.ok" => (
            "Ошибок нет: расписание можно сохранить.",
            "No errors: the timetable can be saved.",
        ),
        "import.has_errors" => (
            "Ничего не сохранено. Исправьте строки:",
            "Nothing was saved. Correct these lines:",
        ),
        "import.warnings" => (
            "Часы не совпадают с нагрузкой (это не мешает сохранению):",
            "Hours differ from the load (this does not prevent saving):",
        ),
        "import.done" => (
            "Расписание сохранено, уроки пересчитаны. Уроков в файле:",
            "The timetable is saved and the lessons updated. Lessons in the file:",
        ),
        "import.line" => ("Строка", "Line"),
        "import.lines" => ("Строки", "Lines"),
        "import.empty" => ("Файл пуст.", "The file is empty."),
        "import.columns" => (
            "нужно 5 или 6 столбцов: класс, день, урок, предмет, учитель, кабинет",
            "5 or 6 columns are needed: class, day, lesson, subject, teacher, room",
        ),
        "import.weekday" => ("не день недели", "not a weekday"),
        "import.number" => ("не номер урока (0–12)", "not a lesson number (0–12)"),
        "import.blank" => ("пустое поле", "empty field"),
        "import.unknown_class" => ("нет такого класса", "no such class"),
        "import.unknown_subject" => ("нет такого предмета", "no such subject"),
        "import.unknown_teacher" => ("нет такого учителя", "no such teacher"),
        "import.ambiguous_teacher" => (
            "подходит нескольким учителям — укажите ФИО полностью",
            "matches several teachers; give the full name",
        ),
        "import.teacher_busy" => (
            "у учителя два урока одновременно",
            "the teacher has two lessons at once",
        ),
        "import.room_busy" => ("кабинет занят дважды", "the room is used twice"),
        "import.class_busy" => (
            "у класса два урока одновременно",
            "the class has two lessons at once",
        ),
        "import.orphaned_changes" => (
            "Замены, отмены и переносы с этой даты, которые относятся к прежнему расписанию этих классов и перестанут действовать",
            "Substitutions, cancellations and moves from this date that belong to these classes' previous timetable and will stop applying",
        ),
        "import.in_file" => ("в файле", "in the file"),
        "import.in_load" => ("по нагрузке", "in the load"),
        "import.bad_date" => (
            "Укажите дату начала действия (в учебном году с сохранённым календарём).",
            "Give the start date (in a school year whose calendar is saved).",
        ),
        "import.no_calendar" => (
            "Для этого учебного года нет календаря: сначала сохраните его.",
            "This school year has no calendar: save it first.",
        ),
        "import.changes_refer" => (
            "С этой даты уже действует расписание, на уроки которого ссылаются замены. Выберите другую дату начала.",
            "A timetable from this date already has substitutions referring to it. Choose another start date.",
        ),
        "nav.classes" => ("Классы", "Classes"),
        "classes.title" => ("Классы и группы", "Classes and groups"),
        "classes.teacher" => ("Классный руководитель", "Class teacher"),
        "classes.students" => ("Учеников", "Students"),
        "classes.capacity" => ("Наполняемость (мест)", "Capacity (places)"),
        "classes.subgroups" => ("Группы", "Groups"),
        "classes.over" => ("больше мест", "over capacity"),
        "classes.new_class" => ("Новый класс", "New class"),
        "classes.parallel" => ("Параллель (1–11)", "Grade (1–11)"),
        "classes.letter" => ("Литера (например, А или «-1»)", "Letter (e.g. A, or «-1»)"),
        "classes.none" => ("— не назначен —", "— none —"),
        "classes.create" => ("Создать класс", "Create the class"),
        "classes.new_subgroup" => ("Новая группа в классе", "New group in a class"),
        "classes.subgroup_intro" => (
            "Группа — часть класса со своим учителем и журналом: иностранный язык, информатика, технология. Ученик может быть в разных группах по разным предметам.",
            "A group is part of a class with its own teacher and journal: a foreign language, informatics, technology. A student can be in different groups for different subjects.",
        ),
        "classes.pick_class" => ("Класс", "Class"),
        "classes.show_students" => ("Показать учеников", "Show the students"),
        "classes.subgroup_name" => ("Название группы", "Group name"),
        "classes.members" => ("Ученики группы", "Students of the group"),
        "classes.create_subgroup" => ("Создать группу", "Create the group"),
        "classes.class_created" => ("Класс создан.", "The class is created."),
        "classes.subgroup_created" => ("Группа создана.", "The group is created."),
        "classes.bad_parallel" => (
            "Параллель — число от 1 до 11.",
            "The grade is a number from 1 to 11.",
        ),
        "classes.bad_letter" => (
            "Укажите литеру класса (до 10 символов).",
            "Give the class letter (up to 10 characters).",
        ),
        "classes.bad_capacity" => (
            "Наполняемость — число от 1 до 40.",
            "Capacity is a number from 1 to 40.",
        ),
        "classes.bad_teacher" => (
            "Выберите учителя этой школы.",
            "Choose a teacher of this school.",
        ),
        "classes.exists" => (
            "Класс или группа с таким названием в этом году уже есть.",
            "A class or group of that name already exists this year.",
        ),
        "classes.bad_subgroup_name" => (
            "Укажите название группы (до 80 символов).",
            "Give the group a name (up to 80 characters).",
        ),
        "classes.no_members" => (
            "Отметьте учеников группы.",
            "Tick the students of the group.",
        ),
        "nav.profile" => ("Профиль школы", "School profile"),
        "profile.title" => ("Профиль школы", "School profile"),
        "profile.saved" => ("Профиль сохранён.", "The profile is saved."),
        "profile.short_name" => ("Краткое наименование", "Short name"),
        "profile.full_name" => ("Полное наименование", "Full name"),
        "profile.kind" => ("Тип организации", "Type"),
        "profile.city" => ("Населённый пункт", "Town"),
        "profile.address" => ("Адрес", "Address"),
        "profile.phone" => ("Телефон", "Phone"),
        "profile.email" => ("Электронная почта", "Email"),
        "profile.time_zone" => ("Часовой пояс", "Time zone"),
        "profile.time_zone_hint" => (
            "По нему считаются «сегодня», сроки и время уроков школы.",
            "The school's \"today\", deadlines and lesson times follow it.",
        ),
        "profile.shifts" => ("Смены", "Shifts"),
        "profile.one_shift" => ("одна смена", "one shift"),
        "profile.two_shifts" => ("две смены", "two shifts"),
        "profile.save" => ("Сохранить профиль", "Save the profile"),
        "profile.need_short_name" => (
            "Укажите краткое наименование (до 100 символов).",
            "Give the short name (up to 100 characters).",
        ),
        "profile.need_full_name" => (
            "Укажите полное наименование (до 500 символов).",
            "Give the full name (up to 500 characters).",
        ),
        "profile.pick_kind" => ("Выберите тип организации.", "Choose the type."),
        "profile.too_long" => (
            "Слишком длинно: населённый пункт до 100, адрес до 300 символов.",
            "Too long: the town up to 100, the address up to 300 characters.",
        ),
        "profile.bad_phone" => (
            "Телефон — цифры, пробелы и знаки + - ( ), до 40 символов.",
            "A phone number has digits, spaces and + - ( ), up to 40 characters.",
        ),
        "profile.bad_email" => (
            "Адрес почты должен быть вида name@example.ru.",
            "An email address looks like name@example.org.",
        ),
        "profile.pick_zone" => (
            "Выберите часовой пояс из списка.",
            "Choose a time zone from the list.",
        ),
        "profile.pick_shifts" => ("Выберите число смен.", "Choose the number of shifts."),
        "kind.general" => ("общеобразовательная школа", "general school"),
        "kind.gymnasium" => ("гимназия", "gymnasium"),
        "kind.lyceum" => ("лицей", "lyceum"),
        "kind.boarding" => ("школа-интернат", "boarding school"),
        "nav.curriculum" => ("Учебный план", "Curriculum"),
        "curriculum.title" => ("Учебный план", "Curriculum plan"),
        "curriculum.parallels" => ("Параллели", "Grades"),
        "curriculum.parallel" => ("Параллель", "Grade"),
        "curriculum.primary" => (
            "начальное общее образование (1–4)",
            "primary education (1–4)",
        ),
        "curriculum.basic" => ("основное общее образование (5–9)", "basic education (5–9)"),
        "curriculum.secondary" => (
            "среднее общее образование (10–11)",
            "secondary education (10–11)",
        ),
        "curriculum.total" => ("Часов в неделю", "Hours a week"),
        "curriculum.of_max" => ("при допустимом максимуме", "against the allowed maximum of"),
        "curriculum.hours" => ("Часов в неделю", "Hours a week"),
        "curriculum.grading" => ("Оценивание", "Assessment"),
        "curriculum.five_point" => ("пятибалльное", "five-point"),
        "curriculum.pass_fail" => ("зачёт / незачёт", "pass / fail"),
        "curriculum.not_marked" => ("без отметок", "not marked"),
        "curriculum.save" => ("Сохранить план параллели", "Save the grade's plan"),
        "curriculum.saved" => (
            "Учебный план параллели сохранён.",
            "The grade's plan is saved.",
        ),
        "curriculum.new_subject" => ("Новый предмет", "New subject"),
        "curriculum.subject_name" => ("Название предмета", "Subject name"),
        "curriculum.subject_area" => ("Предметная область", "Subject area"),
        "curriculum.add_subject" => ("Добавить предмет", "Add the subject"),
        "curriculum.bad_subject" => (
            "Укажите название предмета (до 80 символов).",
            "Give the subject's name (up to 80 characters).",
        ),
        "curriculum.subject_exists" => ("Такой предмет уже есть.", "This subject already exists."),
        "curriculum.bad_hours" => (
            "Часы — целые числа от 0 до 10; пустое поле значит, что предмет не изучается.",
            "Hours are whole numbers from 0 to 10; an empty field means the subject is not taught.",
        ),
        "curriculum.over_max" => (
            "Недельная нагрузка больше допустимой по СанПиН для этой параллели:",
            "The weekly load exceeds the sanitary maximum for this grade:",
        ),
        "nav.staff" => ("Сотрудники", "Staff"),
        "staff.title" => ("Сотрудники и администрация", "Staff and administration"),
        "staff.added" => ("Сотрудник добавлен.", "The staff member is added."),
        "staff.name" => ("ФИО", "Name"),
        "staff.position" => ("Должность", "Position"),
        "staff.roles" => ("Роли в Журнале", "Roles in Zhurnal"),
        "staff.subjects" => ("Предметы", "Subjects"),
        "staff.login" => ("Учётная запись", "Account"),
        "staff.yes" => ("есть", "yes"),
        "staff.no" => ("нет", "no"),
        "staff.add" => ("Новый сотрудник", "New staff member"),
        "staff.add_intro" => (
            "Здесь можно дать роли учителя и секретаря. Роли администрации и технического администратора назначает муниципалитет.",
            "The teacher and clerk roles can be given here. Administrative and technical roles are granted by the municipality.",
        ),
        "staff.last_name" => ("Фамилия", "Surname"),
        "staff.first_name" => ("Имя", "First name"),
        "staff.middle_name" => ("Отчество (если есть)", "Patronymic (if any)"),
        "staff.add_button" => ("Добавить сотрудника", "Add the staff member"),
        "staff.need_name" => (
            "Укажите фамилию и имя (до 60 символов каждое).",
            "Give the surname and the first name (up to 60 characters each).",
        ),
        "staff.need_position" => (
            "Укажите должность (до 120 символов).",
            "Give the position (up to 120 characters).",
        ),
        "staff.role_not_allowed" => (
            "Эту роль здесь дать нельзя.",
            "This role cannot be given here.",
        ),
        "nav.promotion" => ("Перевод", "Promotion"),
        "promotion.title" => ("Перевод учеников по приказу", "Promotion by order"),
        "promotion.done" => (
            "Приказ проведён: ученики переведены.",
            "The order is applied: the students are transferred.",
        ),
        "promotion.orders" => ("Приказы о переводе", "Transfer orders"),
        "promotion.no_orders" => ("Приказов ещё нет.", "No orders yet."),
        "promotion.number" => ("Номер приказа", "Order number"),
        "promotion.order_date" => ("Дата приказа", "Order date"),
        "promotion.applied_on" => ("Проведён в Журнале", "Applied in Zhurnal"),
        "promotion.moved" => ("Переведено", "Transferred"),
        "promotion.leavers" => ("Выбыли (выпуск)", "Left (graduated)"),
        "promotion.deadline" => ("Срок (3 дня, §2.12)", "Deadline (3 days, §2.12)"),
        "promotion.on_time" => ("в срок", "on time"),
        "promotion.late" => ("с опозданием, дней", "late, days"),
        "promotion.new_order" => ("Новый приказ:", "New order:"),
        "promotion.intro" => (
            "Все классы переходят в следующую параллель (5А → 6А) с тем же классным руководителем, 11 класс выпускается. Исключения укажите списком.",
            "Every class moves up a grade (5A → 6A) with its class teacher; the 11th grade graduates. List the exceptions.",
        ),
        "promotion.exceptions" => ("Исключения", "Exceptions"),
        "promotion.exceptions_hint" => (
            "По строке на ученика: класс; фамилия имя; решение (оставлен, условно, выбывает). Например: 7Б; Иванов Пётр; условно",
            "One line per student: class; surname first name; decision (оставлен, условно, выбывает). For example: 7Б; Иванов Пётр; условно",
        ),
        "promotion.apply" => ("Проверить и провести", "Check and apply"),
        "promotion.new_classes" => ("Классов нового года", "Classes of the new year"),
        "promotion.retained" => ("Оставлены", "Retained"),
        "promotion.conditional" => ("переведены условно", "promoted conditionally"),
        "promotion.columns" => (
            "нужно три поля через «;»: класс, ученик, решение",
            "three fields separated by «;» are needed: class, student, decision",
        ),
        "promotion.unknown_student" => (
            "нет такого ученика в классе",
            "no such student in the class",
        ),
        "promotion.ambiguous_student" => (
            "подходит нескольким ученикам — укажите отчество",
            "matches several students; add the patronymic",
        ),
        "promotion.unknown_decision" => (
            "решение должно быть: оставлен, условно или выбывает",
            "the decision must be: оставлен, условно or выбывает",
        ),
        "promotion.need_number" => ("Укажите номер приказа.", "Give the order number."),
        "promotion.bad_dates" => (
            "Укажите дату приказа, не позже сегодняшней.",
            "Give the order date, not later than today.",
        ),
        "promotion.no_classes" => (
            "В этом учебном году нет классов.",
            "There are no classes this school year.",
        ),
        "promotion.already" => (
            "Перевод за этот год уже проведён.",
            "This year's promotion is already applied.",
        ),
        "nav.periods" => ("Учебные периоды", "Reporting periods"),
        "periods.title" => ("Учебные периоды", "Reporting periods"),
        "periods.quarters" => ("Четверти", "Quarters"),
        "periods.half_years" => ("Полугодия", "Half-years"),
        "periods.trimesters" => ("Триместры", "Trimesters"),
        "periods.by_grade" => (
            "По каким периодам учится параллель",
            "The periods each grade follows",
        ),
        "periods.grade" => ("Параллель", "Grade"),
        "periods.save" => ("Сохранить периоды", "Save the periods"),
        "periods.saved" => (
            "Учебные периоды сохранены.",
            "The reporting periods are saved.",
        ),
        "periods.pick_scheme" => (
            "выберите четверти, полугодия или триместры",
            "choose quarters, half-years or trimesters",
        ),
        "periods.fill_used" => (
            "по ним учится параллель — укажите даты всех периодов",
            "a grade follows them: give the dates of every period",
        ),
        "periods.bad_period" => (
            "укажите название и даты начала и конца",
            "give the name and the start and end dates",
        ),
        "periods.overlap" => (
            "начинается раньше, чем закончился предыдущий период",
            "starts before the previous period ends",
        ),
        "periods.outside" => (
            "выходит за пределы учебного года",
            "lies outside the school year",
        ),
        "error.title" => ("Ошибка", "Error"),
        "api.not_found" => (
            "Не найдено: такого объекта нет или он вам недоступен.",
            "Not found: no such object, or it is not yours to see.",
        ),
        "api.no_method" => ("В API нет такого метода:", "The API has no such method:"),
        "apps.title" => ("Приложения школы", "The school's apps"),
        "apps.intro" => (
            "Приложения других разработчиков (боты, виджеты, мобильные приложения) получают доступ к данным только с согласия человека и только в пределах того, что вы здесь разрешите. Как подключать — в docs/api.md.",
            "Apps by other developers (bots, widgets, phone apps) get access to data only with a person's consent and only within what you allow here. How to connect them: docs/api.md.",
        ),
        "apps.registered" => (
            "Приложение подключено. Передайте разработчику:",
            "The app is registered. Give its developer:",
        ),
        "apps.secret_once" => (
            "Секрет показан один раз и нигде не хранится в открытом виде: сохраните его сейчас.",
            "The secret is shown once and is not stored in the clear: keep it now.",
        ),
        "apps.withdrawn" => (
            "Приложение отключено: все его доступы и токены прекращены.",
            "The app is withdrawn: all its access and tokens have ended.",
        ),
        "apps.list" => ("Подключённые приложения", "Registered apps"),
        "apps.none" => (
            "Школа пока не подключила ни одного приложения.",
            "The school has not registered any app yet.",
        ),
        "apps.name" => ("Название", "Name"),
        "apps.redirects" => ("Адреса возврата", "Return addresses"),
        "apps.redirects_hint" => (
            "По одному на строке, не больше десяти; https://…, или http://127.0.0.1:… для программ на компьютере.",
            "One per line, at most ten; https://…, or http://127.0.0.1:… for programs on a computer.",
        ),
        "apps.scopes" => ("Что приложение может запросить", "What the app may ask for"),
        "apps.state" => ("Состояние", "State"),
        "apps.confidential_short" => ("с секретом", "with a secret"),
        "apps.confidential" => (
            "Приложение работает на сервере и хранит секрет (иначе — только PKCE: мобильные и браузерные приложения)",
            "The app runs on a server and keeps a secret (otherwise PKCE only: phone and browser apps)",
        ),
        "apps.revoked_on" => ("отключено", "withdrawn on"),
        "apps.since" => ("подключено", "registered on"),
        "apps.withdraw" => ("Отключить", "Withdraw"),
        "apps.new" => ("Подключить приложение", "Register an app"),
        "apps.register" => ("Подключить", "Register"),
        "apps.name_required" => (
            "Укажите название (до 100 знаков).",
            "Give a name (up to 100 characters).",
        ),
        "apps.redirects_required" => (
            "Укажите от одного до десяти адресов возврата.",
            "Give one to ten return addresses.",
        ),
        "apps.scopes_required" => ("Отметьте хотя бы одну область.", "Tick at least one area."),
        "apps.mine_title" => ("Приложения", "Apps"),
        "apps.mine_none" => (
            "Вы не давали доступ ни одному приложению.",
            "You have not given access to any app.",
        ),
        "apps.access_withdrawn" => (
            "Доступ отозван: приложение больше не получает ваших данных.",
            "Access withdrawn: the app gets none of your data any more.",
        ),
        "apps.granted_on" => ("доступ с", "access since"),
        "apps.last_used" => ("последнее обращение", "last used"),
        "apps.children" => ("Сведения о детях", "Children's data"),
        "apps.withdraw_access" => ("Отозвать доступ", "Withdraw access of"),
        "oauth.redirect_bad" => (
            "не похоже на адрес https://…",
            "does not look like an https://… address",
        ),
        "oauth.redirect_fragment" => (
            "адрес не может содержать «#»",
            "the address cannot contain «#»",
        ),
        "oauth.redirect_https" => (
            "нужен https:// (http:// — только для 127.0.0.1 и localhost)",
            "https:// is required (http:// only for 127.0.0.1 and localhost)",
        ),
        "nav.apps" => ("Приложения школы", "School apps"),
        "messages.no_complaint" => (
            "Жалобу может подать только родитель или ученик, о котором переписка, и только один раз.",
            "Only a parent or the student the thread is about may complain, and only once.",
        ),
        "oauth.consent_title" => ("Доступ для приложения", "Access for an app"),
        "oauth.app" => ("Приложение", "The app"),
        "oauth.registered_by" => ("подключено школой", "registered by"),
        "oauth.asks" => ("просит доступ:", "asks for access to:"),
        "oauth.scope_profile" => (
            "ваше имя, роль и школа, имена детей",
            "your name, role and school, your children's names",
        ),
        "oauth.scope_diary" => (
            "дневник: отметки, домашние задания, расписание, пропуски, итоговые отметки",
            "the diary: marks, homework, timetable, absences, final marks",
        ),
        "oauth.scope_journal" => (
            "чтение журналов ваших классов",
            "reading the journals of your classes",
        ),
        "oauth.scope_journal_write" => (
            "заполнение журнала от вашего имени: отметки, пропуски, темы, домашние задания",
            "filling the journal in your name: marks, absences, topics, homework",
        ),
        "oauth.scope_school" => (
            "расписание, календарь и профиль школы",
            "the school's timetable, calendar and profile",
        ),
        "oauth.which_children" => (
            "Сведения о каких детях передать приложению",
            "Which children's data the app may read",
        ),
        "oauth.choose_child" => (
            "Выберите хотя бы одного ребёнка или откажите в доступе.",
            "Choose at least one child, or deny access.",
        ),
        "oauth.whose_self" => (
            "Приложение увидит только ваши сведения.",
            "The app sees only your own data.",
        ),
        "oauth.whose_staff" => (
            "Приложение увидит только то, что видите вы: ваши классы и предметы.",
            "The app sees only what you see: your classes and subjects.",
        ),
        "oauth.withdraw_hint" => (
            "Доступ можно отозвать в любой момент: «Учётная запись» → «Приложения».",
            "You can withdraw access at any time: «Account» → «Apps».",
        ),
        "oauth.allow" => ("Разрешить", "Allow"),
        "oauth.deny" => ("Отказать", "Deny"),
        "oauth.unknown_app" => (
            "Приложение не найдено: школа его не подключала или отозвала. Доступ не выдан.",
            "Unknown app: the school has not registered it or has withdrawn it. No access was given.",
        ),
        "oauth.unknown_redirect" => (
            "Адрес возврата не совпадает ни с одним из адресов, подключённых для этого приложения. Доступ не выдан.",
            "The return address is not one registered for this app. No access was given.",
        ),
        "oauth.result_title" => ("Вход для приложения", "Signing in an app"),
        "oauth.result_success" => (
            "Вход выполнен: приложение получило доступ. Это окно можно закрыть.",
            "Signed in: the app has got access. You can close this window.",
        ),
        "oauth.result_failure" => (
            "Войти не удалось: неверный логин или пароль, или вход временно заблокирован после неудачных попыток.",
            "Could not sign in: wrong login or password, or signing in is locked for a while after failed attempts.",
        ),
        "oauth.sign_in" => ("Войти в Zhurnal", "Sign in to Zhurnal"),
        "error.not_found" => ("Страница не найдена.", "Page not found."),
        "error.forbidden" => (
            "У вас нет доступа к этой странице.",
            "You do not have access to this page.",
        ),
        "error.csrf" => (
            "Форма устарела или отправлена с другого сайта. Обновите страницу и попробуйте снова.",
            "The form has expired or was sent from another site. Reload the page and try again.",
        ),
        "error.internal" => (
            "Что-то пошло не так. Мы уже записали ошибку; попробуйте позже.",
            "Something went wrong. The error has been recorded; please try again later.",
        ),
        "error.bad_request" => (
            "Запрос не может быть обработан.",
            "The request cannot be processed.",
        ),
        "error.conflict" => (
            "Такая запись уже есть, или её только что изменили. Обновите страницу и проверьте.",
            "Such a record already exists, or it was just changed. Reload the page and check.",
        ),
        "error.unavailable" => (
            "Сервис временно недоступен. Попробуйте через минуту.",
            "The service is temporarily unavailable. Try again in a minute.",
        ),
        "error.back_home" => ("На главную", "Back to home"),
        "error.reference" => ("Код ошибки", "Error reference"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals() {
        let f = |n| ru_plural(n, "минута", "минуты", "минут");
        assert_eq!(f(1), "минута");
        assert_eq!(f(2), "минуты");
        assert_eq!(f(5), "минут");
        assert_eq!(f(11), "минут");
        assert_eq!(f(14), "минут");
        assert_eq!(f(21), "минута");
        assert_eq!(f(22), "минуты");
        assert_eq!(f(111), "минут");
        assert_eq!(f(0), "минут");
    }

    #[test]
    fn minutes_and_dates() {
        let ru = Tr::new(Lang::Ru);
        assert_eq!(ru.minutes(21), "21\u{a0}минуту");
        assert_eq!(Tr::new(Lang::En).minutes(1), "1\u{a0}minute");
        // 28 Nov 2026 05:00 UTC is 15:00 in Vladivostok time.
        let ms = "2026-11-28T05:00:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_millisecond();
        assert_eq!(
            ru.datetime(ms, "Asia/Vladivostok"),
            "28\u{a0}ноября\u{a0}2026, 15:00"
        );
    }

    #[test]
    fn every_role_and_action_is_named_in_both_languages() {
        for lang in [Lang::Ru, Lang::En] {
            let t = Tr::new(lang);
            for r in Role::ALL {
                assert!(!t.role(r).is_empty());
            }
            for a in Action::ALL {
                assert!(!t.action(a).is_empty());
            }
        }
    }
}
