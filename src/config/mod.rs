//! Configuration: `teampulse.toml`, optional. Every key has a default, so a build works with no
//! config at all; unknown keys are errors that name the key and the line.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::model::error::Failure;
use crate::model::Category;

mod lines;
mod policy;
pub mod statuses;
mod validate;
mod values;
mod vocabulary;

pub use lines::key_line;
pub use policy::{looks_like_bot, Decision, Targets, WorkMixConfig};
pub use values::{DateOrder, Format, PeopleDisplay};

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// IANA zone for days and weeks, and for reading naive timestamps. When absent, days are
    /// UTC and naive timestamps are rejected (their instant would be a guess).
    pub timezone: Option<String>,
    /// Team for tasks that no team rule claims.
    pub default_team: String,
    /// Teams by slug.
    pub teams: BTreeMap<String, TeamConfig>,
    /// Raw status name → category; merged over the built-in defaults, case-insensitive.
    pub statuses: BTreeMap<String, Category>,
    /// Per-person settings by person id.
    pub people: BTreeMap<String, PersonConfig>,
    /// Defaults for people without their own entry.
    pub capacity: CapacityConfig,
    /// Actors that are automation, not people (not check-ins, not on the roster).
    pub bots: Vec<String>,
    /// Days off for every team, `YYYY-MM-DD`: not business days for check-ins and load.
    pub holidays: Vec<String>,
    /// KPI targets (team policy).
    pub targets: Targets,
    /// Seed of the forecast's random number generator.
    pub forecast_seed: u64,
    /// Per-input settings, keyed by file name or the end of its path.
    pub inputs: BTreeMap<String, InputConfig>,
    /// How people appear on the site: `named`, `pseudonym` or `hidden`.
    pub people_display: PeopleDisplay,
    /// Secret that keeps pseudonyms stable across runs and unguessable without it.
    pub pseudonym_secret: Option<String>,
    /// Folder of templates and `assets/style.css` overriding the built-in ones (relative to
    /// the config file's folder).
    pub templates: Option<std::path::PathBuf>,
    /// Status and label names that mean blocked, besides the built-in ones (blocked, blocker,
    /// impediment, on hold… in seven languages); compared ignoring case and accents.
    pub blocked: Vec<String>,
    /// What counts as unplanned work.
    pub work_mix: WorkMixConfig,
    /// Changes in how teams work, to compare the KPIs before and after.
    pub decisions: Vec<Decision>,
    /// Folder of the nightly history (`--history`), relative to the config file's folder.
    pub history: Option<std::path::PathBuf>,
    /// When the history used by this build begins (set by the build, not read from the file).
    #[serde(skip)]
    pub history_since: Option<crate::model::Ts>,
    /// Where the config came from (for line numbers in errors and relative paths).
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// The file a config was read from.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// Path of the file.
    pub path: std::path::PathBuf,
    /// Its text.
    pub text: String,
}

/// Shortest `pseudonym_secret` accepted: a short key can be guessed by trying them all.
pub const MIN_SECRET_CHARS: usize = 16;

/// Environment variable that holds the pseudonym secret (for CI secret stores).
pub const SECRET_ENV: &str = "TEAMPULSE_PSEUDONYM_SECRET";

/// How one input file is read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// Zone of the file's timestamps that carry no offset (tracker exports write local times).
    pub timezone: Option<String>,
    /// Format, when detection from the header is not wanted.
    pub format: Option<Format>,
    /// `dmy` or `mdy` for numeric dates such as `03-04-2026` (else decided from the data).
    pub date_order: Option<DateOrder>,
    /// Team of every task in the file, instead of the export's own field.
    pub team: Option<String>,
    /// Text encoding (`utf-8`, `windows-1252`, `windows-1251`…), instead of detecting it.
    pub encoding: Option<String>,
}

/// One team.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TeamConfig {
    /// Display name; defaults to the slug.
    pub name: Option<String>,
    /// Values of the `team` column (case-insensitive) that belong to this team.
    #[serde(rename = "match")]
    pub matches: Vec<String>,
    /// People on the team: the roster (idle members count) and, for tasks without a team
    /// value, the rule that assigns a task to the team of its assignee.
    pub members: Vec<String>,
    /// Overrides the global timezone for this team's days and weeks.
    pub timezone: Option<String>,
    /// The team's own days off, in addition to the global ones.
    pub holidays: Vec<String>,
}

/// Per-person capacity and WIP limit.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PersonConfig {
    /// Share of a full-time person (1.0 = full time).
    pub capacity: Option<f64>,
    /// Explicit WIP limit; defaults to `wip_per_capacity × capacity`, rounded up.
    pub wip_limit: Option<u32>,
}

/// Defaults for capacity and WIP limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CapacityConfig {
    /// Capacity of a person with no entry in `[people]`.
    pub default: f64,
    /// WIP limit per unit of capacity (policy: 2 started tasks per full-time person).
    pub wip_per_capacity: f64,
}

impl Default for CapacityConfig {
    fn default() -> Self {
        CapacityConfig {
            default: 1.0,
            wip_per_capacity: 2.0,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            timezone: None,
            default_team: "Team".to_string(),
            teams: BTreeMap::new(),
            statuses: BTreeMap::new(),
            people: BTreeMap::new(),
            capacity: CapacityConfig::default(),
            bots: Vec::new(),
            holidays: Vec::new(),
            targets: Targets::default(),
            forecast_seed: 20_260_101,
            inputs: BTreeMap::new(),
            people_display: PeopleDisplay::Named,
            pseudonym_secret: None,
            templates: None,
            blocked: Vec::new(),
            work_mix: WorkMixConfig::default(),
            decisions: Vec::new(),
            history: None,
            history_since: None,
            origin: None,
        }
    }
}

impl Config {
    /// Reads and validates a config file. Errors name the file, key and line; `templates` and
    /// `history` are resolved against the file's folder.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config {}", path.display()))
            .map_err(|e| Failure::Usage(format!("{e:#}")))?;
        let mut config =
            Config::parse(&text).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
        if let Some(dir) = path.parent() {
            for folder in [&mut config.templates, &mut config.history] {
                if let Some(t) = folder.as_ref().filter(|t| t.is_relative()) {
                    *folder = Some(dir.join(t));
                }
            }
        }
        config.origin = Some(Origin {
            path: path.to_path_buf(),
            text,
        });
        config
            .check_templates()
            .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
        Ok(config)
    }

    /// Parses and validates config text.
    pub fn parse(text: &str) -> std::result::Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| describe_toml_error(text, &e))?;
        config.validate(text)?;
        Ok(config)
    }

    /// The line of `[inputs."<key>"]`, for messages.
    pub fn input_line(&self, key: &str) -> Option<usize> {
        let origin = self.origin.as_ref()?;
        key_line(&origin.text, &format!("inputs.{key}"), "")
    }

    /// Settings of the input at `path`: the entry whose key is the file name or the end of
    /// the path (two entries naming one input are refused before any is used).
    pub fn input(&self, path: &str) -> Option<&InputConfig> {
        self.inputs
            .iter()
            .filter(|(key, _)| input_key_matches(key, path))
            .max_by_key(|(key, _)| key.len())
            .map(|(_, c)| c)
    }

    /// The category of a raw status: the config first, then the built-in vocabulary; both
    /// matched case- and accent-insensitively (`TERMINÉ` is `Terminé`).
    pub fn category_of(&self, status: &str) -> Option<Category> {
        self.configured_category(status)
            .or_else(|| statuses::builtin(status))
    }

    /// The configured team that claims a `team` value: its key, name or a `match` value, in
    /// any case.
    pub fn team_claiming(&self, value: &str) -> Option<&String> {
        let v = fold(value);
        self.teams.iter().find_map(|(slug, team)| {
            let named = team.name.as_deref().is_some_and(|n| fold(n) == v);
            let matched = team.matches.iter().any(|m| fold(m) == v);
            (*slug == v || named || matched).then_some(slug)
        })
    }

    /// The category the config itself gives a status, if any.
    pub fn configured_category(&self, status: &str) -> Option<Category> {
        let wanted = statuses::fold(status);
        self.statuses
            .iter()
            .find(|(name, _)| statuses::fold(name) == wanted)
            .map(|(_, c)| *c)
    }

    /// The zone for reading naive timestamps, when one is configured.
    pub fn input_timezone(&self) -> Option<Tz> {
        self.timezone.as_deref().and_then(|tz| parse_tz(tz).ok())
    }

    /// The zone a team's days and weeks are counted in.
    pub fn team_timezone(&self, slug: &str) -> Tz {
        self.teams
            .get(slug)
            .and_then(|t| t.timezone.as_deref())
            .or(self.timezone.as_deref())
            .and_then(|tz| parse_tz(tz).ok())
            .unwrap_or(Tz::UTC)
    }

    /// A team's days off: the global holidays and its own.
    pub fn holidays_of(&self, slug: &str) -> std::collections::BTreeSet<i32> {
        let own = self
            .teams
            .get(slug)
            .map(|t| t.holidays.as_slice())
            .unwrap_or_default();
        self.holidays
            .iter()
            .chain(own)
            .filter_map(|h| crate::model::timestamp::parse_due(h).ok())
            .collect()
    }

    /// A person's capacity (share of full time).
    pub fn capacity_of(&self, person: &str) -> f64 {
        self.people
            .get(person)
            .and_then(|p| p.capacity)
            .unwrap_or(self.capacity.default)
    }

    /// A person's WIP limit: explicit, else `wip_per_capacity × capacity` rounded up.
    pub fn wip_limit_of(&self, person: &str) -> u32 {
        self.people
            .get(person)
            .and_then(|p| p.wip_limit)
            .unwrap_or_else(|| {
                (self.capacity.wip_per_capacity * self.capacity_of(person))
                    .ceil()
                    .max(1.0) as u32
            })
    }

    /// Whether an actor is automation.
    pub fn is_bot(&self, actor: &str) -> bool {
        self.bots.iter().any(|b| b.eq_ignore_ascii_case(actor))
    }
}

/// Whether an `[inputs."<key>"]` names the input at `path`: its file name or the end of its
/// path.
pub fn input_key_matches(key: &str, path: &str) -> bool {
    let path = path.replace('\\', "/");
    let key = key.replace('\\', "/");
    path == key || path.ends_with(&format!("/{key}"))
}

/// Checks a pseudonym secret without ever echoing it.
pub fn check_secret(secret: &str) -> std::result::Result<(), String> {
    let n = secret.chars().filter(|c| !c.is_whitespace()).count();
    if n < MIN_SECRET_CHARS {
        return Err(format!(
            "is too short ({n} characters besides spaces): use at least {MIN_SECRET_CHARS} random \
             characters"
        ));
    }
    Ok(())
}

/// Lower case, for comparing team values.
fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

fn parse_tz(name: &str) -> std::result::Result<Tz, String> {
    name.parse::<Tz>().map_err(|_| {
        format!("unknown timezone `{name}` (expected an IANA name such as Europe/Berlin)")
    })
}

/// Names Windows reserves for devices, whatever the extension.
pub const RESERVED_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Longest team slug: folder names stay well inside every file system's limit.
pub const MAX_SLUG: usize = 48;

/// Whether `s` is usable as a folder name in the site, on every OS.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG
        && !RESERVED_NAMES.contains(&s)
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// toml's message plus the line number of the offending key.
fn describe_toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().to_string();
    match err.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_config_has_every_default() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.default_team, "Team");
        assert_eq!(c.wip_limit_of("anyone"), 2);
        assert_eq!(c.targets.throughput_weeks, 12);
    }

    #[test]
    fn unknown_keys_are_errors_naming_key_and_line() {
        let err = Config::parse("timezone = \"UTC\"\n\n[targets]\nsle_dayz = 3\n").unwrap_err();
        assert!(err.contains("sle_dayz"), "{err}");
        assert!(err.contains("line 4"), "{err}");
    }

    #[test]
    fn default_status_names_map_case_insensitively_and_config_wins() {
        let c = Config::parse("[statuses]\n\"In Review\" = \"doing\"\nQA = \"waiting\"\n").unwrap();
        assert_eq!(
            c.category_of("SELECTED FOR DEVELOPMENT"),
            Some(Category::Todo)
        );
        assert_eq!(c.category_of("Won't Do"), Some(Category::Cancelled));
        assert_eq!(c.category_of("in review"), Some(Category::Doing));
        assert_eq!(c.category_of("qa"), Some(Category::Waiting));
        assert_eq!(c.category_of("Limbo"), None);
    }

    #[test]
    fn wip_limit_follows_capacity() {
        let c =
            Config::parse("[people.ana]\ncapacity = 0.5\n[people.raj]\nwip_limit = 5\n").unwrap();
        assert_eq!(c.wip_limit_of("ana"), 1);
        assert_eq!(c.wip_limit_of("raj"), 5);
    }

    #[test]
    fn a_bad_timezone_is_named() {
        let err = Config::parse("timezone = \"Mars/Olympus\"").unwrap_err();
        assert!(err.contains("Mars/Olympus"), "{err}");
    }
}
