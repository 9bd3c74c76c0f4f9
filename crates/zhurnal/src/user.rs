//! `zhurnal user …`: accounts, passwords and roles without the UI. Every change is audited
//! as done from the command line.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::io::BufRead;
use zhurnal_core::Role;
use zhurnal_core::account::{Login, check_new_password};
use zhurnal_core::clock::{Clock, SystemClock};
use zhurnal_store::{AuditEntry, NewAccount, NewGrant, Store};
use zhurnal_web::security::{hash_password, random_token};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a person with a login account.
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        last_name: String,
        #[arg(long)]
        first_name: String,
        #[arg(long, default_value = "")]
        middle_name: String,
        /// Read the password from the first line of standard input; otherwise a random one
        /// is generated and printed once.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (random and printed once, unless --password-stdin).
    Passwd {
        #[arg(long)]
        login: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Grant a role in a school (or a class of it), or in a municipality.
    Grant {
        #[arg(long)]
        login: String,
        #[arg(long)]
        role: Role,
        #[arg(long, conflicts_with = "municipality")]
        school: Option<i64>,
        #[arg(long)]
        municipality: Option<i64>,
        /// For class_teacher: the class id.
        #[arg(long = "class", requires = "school")]
        class: Option<i64>,
    },
    /// Remove a role (in one school, or everywhere).
    Revoke {
        #[arg(long)]
        login: String,
        #[arg(long)]
        role: Role,
        #[arg(long)]
        school: Option<i64>,
    },
    /// End every session and API token of an account at once (it can log in again): after
    /// a lost phone, or when its owner asks.
    Logout {
        #[arg(long)]
        login: String,
    },
    /// Block an account: its sessions end at once and it cannot log in.
    Block {
        #[arg(long)]
        login: String,
    },
    Unblock {
        #[arg(long)]
        login: String,
    },
    /// List accounts (with their roles), or only the logins of one role.
    List {
        /// Only accounts holding this role.
        #[arg(long)]
        role: Option<Role>,
        /// At most this many, spread evenly over all that match (for load tests that need
        /// many different users across every school).
        #[arg(long)]
        limit: Option<usize>,
        /// Print only the logins, one a line.
        #[arg(long)]
        logins_only: bool,
    },
}

fn entry(action: &str, target: &str) -> AuditEntry {
    AuditEntry {
        at: SystemClock.now_ms(),
        ip: "cli".into(),
        action: action.into(),
        target_kind: "user".into(),
        target_id: target.into(),
        outcome: "success".into(),
        details: "{\"via\":\"cli\"}".into(),
        ..AuditEntry::default()
    }
}

/// The new password: from stdin (checked against the policy) or generated.
fn new_password(from_stdin: bool, login: &str) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from stdin")?;
        let password = line.trim_end_matches(['\n', '\r']).to_owned();
        check_new_password(&password, login)
            .map_err(|e| anyhow::anyhow!("password refused: {e}"))?;
        Ok((password, false))
    } else {
        // 20 hex characters: 80 bits, easy to type once and then change.
        Ok((random_token()[..20].to_owned(), true))
    }
}

pub async fn run(store: &Store, cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add {
            login,
            last_name,
            first_name,
            middle_name,
            password_stdin,
        } => {
            let login = Login::parse(&login)?;
            if last_name.trim().is_empty() || first_name.trim().is_empty() {
                bail!("--last-name and --first-name must not be empty");
            }
            let (password, generated) = new_password(password_stdin, login.as_str())?;
            let hash = hash_password(password.clone())
                .await
                .map_err(anyhow::Error::msg)?;
            let account = NewAccount {
                login: login.as_str(),
                last_name: last_name.trim(),
                first_name: first_name.trim(),
                middle_name: middle_name.trim(),
                password_hash: &hash,
            };
            let (user, person) = store
                .create_account(&account, &entry("account.create", login.as_str()))
                .await
                .map_err(|e| match e {
                    zhurnal_store::StoreError::Conflict(_) => {
                        anyhow::anyhow!("login «{login}» is taken")
                    }
                    other => other.into(),
                })?;
            println!("Created user {user} (person {person}) with login «{login}».");
            if generated {
                println!("Initial password (shown once): {password}");
            }
        }
        UserCommand::Passwd {
            login,
            password_stdin,
        } => {
            let account = find(store, &login).await?;
            let (password, generated) = new_password(password_stdin, &account.login)?;
            let hash = hash_password(password.clone())
                .await
                .map_err(anyhow::Error::msg)?;
            store
                .change_password(
                    account.user_id,
                    None,
                    &hash,
                    &entry("account.password", &account.user_id.to_string()),
                )
                .await?;
            println!(
                "Password of «{}» changed; its sessions were ended.",
                account.login
            );
            if generated {
                println!("New password (shown once): {password}");
            }
        }
        UserCommand::Grant {
            login,
            role,
            school,
            municipality,
            class,
        } => {
            let account = find(store, &login).await?;
            match (role.is_municipal(), school, municipality) {
                (true, _, Some(m)) => {
                    if !store.municipality_exists(m).await? {
                        bail!("no municipality with id {m}");
                    }
                }
                (true, _, None) => {
                    bail!("{role} is held in a municipality: give --municipality ID")
                }
                (false, Some(s), None) => {
                    if !store.school_exists(s).await? {
                        bail!("no school with id {s}");
                    }
                }
                (false, _, _) => bail!("{role} is held in a school: give --school ID"),
            }
            if role == Role::ClassTeacher && class.is_none() {
                bail!("class_teacher needs --class ID (the class they lead)");
            }
            let grant = NewGrant {
                role: role.api_name(),
                school_id: if role.is_municipal() { None } else { school },
                municipality_id: if role.is_municipal() {
                    municipality
                } else {
                    None
                },
                edu_group_id: class,
            };
            let mut e = entry("role.grant", &account.user_id.to_string());
            e.school_id = grant.school_id;
            e.details = format!("{{\"via\":\"cli\",\"role\":\"{role}\"}}");
            store
                .grant_role(account.person_id, &grant, &e)
                .await
                .map_err(|err| match err {
                    zhurnal_store::StoreError::NotFound => anyhow::anyhow!(
                        "class {} is not in school {}",
                        class.unwrap_or_default(),
                        school.unwrap_or_default()
                    ),
                    zhurnal_store::StoreError::Conflict(_) => {
                        anyhow::anyhow!("«{}» already holds {role} there", account.login)
                    }
                    other => other.into(),
                })?;
            println!("«{}» is now {role}.", account.login);
        }
        UserCommand::Revoke {
            login,
            role,
            school,
        } => {
            let account = find(store, &login).await?;
            let mut e = entry("role.revoke", &account.user_id.to_string());
            e.school_id = school;
            e.details = format!("{{\"via\":\"cli\",\"role\":\"{role}\"}}");
            let n = store
                .revoke_role(account.person_id, role.api_name(), school, &e)
                .await?;
            println!("Removed {n} grant(s) of {role} from «{}».", account.login);
        }
        UserCommand::Logout { login } => {
            let account = find(store, &login).await?;
            let ended = store
                .end_all_sessions(
                    account.user_id,
                    &entry("account.logout_everywhere", &account.user_id.to_string()),
                )
                .await?;
            println!("«{}»: {ended} sessions and tokens ended.", account.login);
        }
        UserCommand::Block { login } => {
            let account = find(store, &login).await?;
            store
                .set_blocked(
                    account.user_id,
                    true,
                    &entry("account.block", &account.user_id.to_string()),
                )
                .await?;
            println!("«{}» is blocked; its sessions have ended.", account.login);
        }
        UserCommand::Unblock { login } => {
            let account = find(store, &login).await?;
            store
                .set_blocked(
                    account.user_id,
                    false,
                    &entry("account.unblock", &account.user_id.to_string()),
                )
                .await?;
            println!("«{}» is unblocked.", account.login);
        }
        UserCommand::List {
            role,
            limit,
            logins_only,
        } => {
            let mut accounts = store.accounts().await?;
            if let Some(role) = role {
                let holders = store.persons_with_role(role.api_name()).await?;
                accounts.retain(|a| holders.contains(&a.person_id));
            }
            if let Some(limit) = limit.filter(|l| *l > 0 && *l < accounts.len()) {
                let step = accounts.len() as f64 / limit as f64;
                accounts = (0..limit)
                    .map(|k| accounts[(k as f64 * step) as usize].clone())
                    .collect();
            }
            if logins_only {
                for a in &accounts {
                    println!("{}", a.login);
                }
                return Ok(());
            }
            for a in accounts {
                let grants = store.grants_of(a.person_id).await?;
                let roles: Vec<String> = grants
                    .iter()
                    .map(|g| match (g.school_id, g.municipality_id) {
                        (Some(s), _) => format!("{}@school:{s}", g.role),
                        (_, Some(m)) => format!("{}@municipality:{m}", g.role),
                        _ => g.role.clone(),
                    })
                    .collect();
                let blocked = if a.blocked { " [blocked]" } else { "" };
                println!(
                    "{:<16} {} {} {}{}  {}",
                    a.login,
                    a.last_name,
                    a.first_name,
                    a.middle_name,
                    blocked,
                    roles.join(", ")
                );
            }
        }
    }
    Ok(())
}

async fn find(store: &Store, login: &str) -> Result<zhurnal_store::AccountRow> {
    let login = Login::parse(login)?;
    store
        .account_by_login(login.as_str())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account with login «{login}»"))
}
