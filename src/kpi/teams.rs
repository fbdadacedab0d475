//! Which team owns each task, and who is on each team's roster.

use std::collections::{BTreeMap, BTreeSet};

use chrono_tz::Tz;

use crate::config::Config;
use crate::model::{Timeline, Ts};

/// A team and its tasks.
#[derive(Debug, Clone)]
pub struct Team {
    /// Folder name in the site.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Zone of its days and weeks.
    pub tz: Tz,
    /// People whose load counts, idle ones included, sorted.
    pub roster: Vec<String>,
    /// Whether the roster was inferred from activity (no members in the config).
    pub roster_inferred: bool,
    /// Indices into the timeline list its KPIs were computed from (a large log's: its batch's),
    /// in task-id order; that list is gone once the KPIs are computed.
    pub tasks: Vec<usize>,
}

/// Days of activity that put a person on an inferred roster.
const ROSTER_DAYS: i64 = 28;

/// Folder names of the teams the data names, worked out once from every `team` value of the
/// log (so the as-of time never changes them): configured teams keep their key; every other
/// value gets its own slug — two different names are never merged; a clash gets `-2`, `-3`…
/// in the order of the names.
#[derive(Debug, Clone, Default)]
pub struct TeamNames {
    /// Raw `team` value → slug, for values no configured team claims.
    by_value: BTreeMap<String, String>,
    /// Values whose slug needed a suffix, with the value that got the plain slug.
    pub clashes: Vec<(String, String, String)>,
}

impl TeamNames {
    /// Slugs for `values` (every `team` value of the log) and the default team.
    pub fn new<'a>(values: impl Iterator<Item = &'a str>, config: &Config) -> TeamNames {
        let mut values: BTreeSet<String> = values.map(str::to_string).collect();
        values.insert(config.default_team.clone());
        let mut taken: BTreeMap<String, String> = config
            .teams
            .iter()
            .map(|(slug, t)| (slug.clone(), t.name.clone().unwrap_or(slug.clone())))
            .collect();
        let mut out = TeamNames::default();
        for value in values {
            if config.team_claiming(&value).is_some() {
                continue;
            }
            let base = slugify(&value);
            let mut slug = base.clone();
            let mut n = 2;
            while taken.contains_key(&slug) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            if slug != base {
                out.clashes
                    .push((value.clone(), slug.clone(), taken[&base].clone()));
            }
            taken.insert(slug.clone(), value.clone());
            out.by_value.insert(value, slug);
        }
        out
    }

    /// The slugs of the teams `wanted` names (each a slug, a configured name or a `team`
    /// value, case-insensitive); an error names the ones that match no team and lists the
    /// slugs there are.
    pub fn select(&self, wanted: &[String], config: &Config) -> Result<BTreeSet<String>, String> {
        let mut known: BTreeMap<String, String> = BTreeMap::new();
        for (slug, team) in &config.teams {
            known.insert(slug.to_lowercase(), slug.clone());
            if let Some(name) = &team.name {
                known.insert(name.to_lowercase(), slug.clone());
            }
            for value in &team.matches {
                known.insert(value.to_lowercase(), slug.clone());
            }
        }
        for (value, slug) in &self.by_value {
            known.entry(slug.to_lowercase()).or_insert(slug.clone());
            known.entry(value.to_lowercase()).or_insert(slug.clone());
        }
        let mut out = BTreeSet::new();
        let mut unknown = Vec::new();
        for w in wanted.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
            match known.get(&w.to_lowercase()) {
                Some(slug) => {
                    out.insert(slug.clone());
                }
                None => unknown.push(format!("`{w}`")),
            }
        }
        if out.is_empty() && unknown.is_empty() {
            unknown.push("(none given)".to_string());
        }
        if !unknown.is_empty() {
            let slugs: BTreeSet<&String> = known.values().collect();
            let slugs: Vec<&str> = slugs.into_iter().map(String::as_str).collect();
            return Err(format!(
                "--teams: no team {} (the teams are: {})",
                unknown.join(", "),
                slugs.join(", ")
            ));
        }
        Ok(out)
    }

    fn slug_of(&self, value: &str) -> String {
        self.by_value
            .get(value)
            .cloned()
            .unwrap_or_else(|| slugify(value))
    }
}

/// Groups timelines into teams: the task's `team` value (matched against configured names,
/// slugs and `match` values), else the configured team of its assignee, else the default team.
pub fn assign(timelines: &[Timeline], config: &Config, names: &TeamNames, as_of: Ts) -> Vec<Team> {
    let mut by_slug: BTreeMap<String, Team> = BTreeMap::new();
    for (i, t) in timelines.iter().enumerate() {
        let (slug, name) = team_of(t, config, names);
        by_slug
            .entry(slug.clone())
            .or_insert_with(|| Team {
                tz: config.team_timezone(&slug),
                slug,
                name,
                roster: Vec::new(),
                roster_inferred: false,
                tasks: Vec::new(),
            })
            .tasks
            .push(i);
    }
    for team in by_slug.values_mut() {
        let members = config
            .teams
            .get(&team.slug)
            .map(|c| c.members.clone())
            .unwrap_or_default();
        if members.is_empty() {
            team.roster = infer_roster(team, timelines, config, as_of);
            team.roster_inferred = true;
        } else {
            let mut m = members;
            m.sort();
            m.dedup();
            team.roster = m;
        }
    }
    by_slug.into_values().collect()
}

/// The team of a task whose `team` value is `value`: its slug and display name.
pub fn team_named(value: &str, config: &Config, names: &TeamNames) -> (String, String) {
    match config.team_claiming(value) {
        Some(slug) => (slug.clone(), display_name(slug, config)),
        None => (names.slug_of(value), value.to_string()),
    }
}

/// A configured team's display name (its slug when it has none).
fn display_name(slug: &str, config: &Config) -> String {
    config
        .teams
        .get(slug)
        .and_then(|c| c.name.clone())
        .unwrap_or_else(|| slug.to_string())
}

/// The team a task belongs to: its slug and display name (the rule [`assign`] uses).
pub fn team_of(t: &Timeline, config: &Config, names: &TeamNames) -> (String, String) {
    let display = |slug: &str| display_name(slug, config);
    if let Some(value) = t.team.as_deref() {
        return team_named(value, config, names);
    }
    let people = t
        .assignees
        .iter()
        .chain(t.assignments.iter().rev().flat_map(|a| a.to.iter()));
    for person in people {
        for (slug, team) in &config.teams {
            if team.members.iter().any(|m| **m == **person) {
                return (slug.clone(), display(slug));
            }
        }
    }
    match config.team_claiming(&config.default_team) {
        Some(slug) => (slug.clone(), display(slug)),
        None => (
            names.slug_of(&config.default_team),
            config.default_team.clone(),
        ),
    }
}

/// Everyone who was an assignee or a human actor on the team's tasks in the last 28 days, plus
/// everyone holding one of its open tasks.
fn infer_roster(team: &Team, timelines: &[Timeline], config: &Config, as_of: Ts) -> Vec<String> {
    let since = as_of - ROSTER_DAYS * 86_400;
    let mut people = BTreeSet::new();
    for &i in &team.tasks {
        let t = &timelines[i];
        if t.category.is_wip() {
            people.extend(t.assignees.iter().cloned());
        }
        for a in t.assignments.iter().filter(|a| a.ts >= since) {
            people.extend(a.to.iter().cloned());
        }
        for touch in t.touches.iter().filter(|x| x.ts >= since) {
            people.insert(touch.actor);
        }
    }
    people
        .into_iter()
        .filter(|p| !config.is_bot(p))
        .map(|p| p.to_string())
        .collect()
}

use crate::config::{MAX_SLUG, RESERVED_NAMES as RESERVED};

/// A folder-safe name, on every OS: transliterated to ASCII (`Команда Альфа` → `komanda-alfa`,
/// `Équipe` → `equipe`, `開発` → `kai-fa`), lower-case letters and digits with other runs made
/// `-`, at most 48 characters (a longer name is cut and keeps a hash of the whole, so two long
/// names never meet), never a reserved device name, never empty.
pub fn slugify(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let mut out = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if matches!(c, '\'' | '`') {
            // Apostrophes transliterate soft signs and elisions: `Al'fa` reads `alfa`.
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_matches('-').to_string();
    if out.len() > MAX_SLUG {
        let cut = out[..MAX_SLUG - 9].trim_end_matches('-').to_string();
        let hash = s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
        });
        out = format!("{cut}-{:08x}", hash as u32);
    }
    if out.is_empty() {
        "team".to_string()
    } else if RESERVED.contains(&out.as_str()) {
        format!("{out}-team")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_folder_safe() {
        let cases = [
            ("Platform Ops / EU", "platform-ops-eu"),
            ("<script>", "script"),
            ("Ünïcode", "unicode"),
            ("!!!", "team"),
            ("Команда Альфа", "komanda-alfa"),
            ("Équipe", "equipe"),
            ("..", "team"),
            ("CON", "con-team"),
        ];
        for (name, slug) in cases {
            assert_eq!(slugify(name), slug, "{name}");
        }
        assert!(!slugify("開発チーム").is_empty() && slugify("開発チーム") != "team");
        let long = "x".repeat(300);
        assert!(slugify(&long).len() <= MAX_SLUG);
        assert_ne!(slugify(&long), slugify(&format!("{long}y")));
    }
}

#[cfg(test)]
mod names_tests {
    use super::*;

    #[test]
    fn different_names_with_one_slug_are_kept_apart_in_name_order() {
        let config = Config::default();
        let names = TeamNames::new(
            ["team-a", "Team A", "TEAM_A", "a/b", "a\\b"].into_iter(),
            &config,
        );
        let mut slugs: Vec<String> = ["TEAM_A", "Team A", "team-a", "a/b", "a\\b"]
            .iter()
            .map(|v| names.slug_of(v))
            .collect();
        slugs.sort();
        assert_eq!(slugs, ["a-b", "a-b-2", "team-a", "team-a-2", "team-a-3"]);
        assert_eq!(names.slug_of("TEAM_A"), "team-a");
        assert_eq!(names.clashes.len(), 3);
    }
}
