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
    /// Indices into the timeline list, in task-id order.
    pub tasks: Vec<usize>,
}

/// Days of activity that put a person on an inferred roster.
const ROSTER_DAYS: i64 = 28;

/// Groups timelines into teams: the task's `team` value (matched against configured names,
/// slugs and `match` values), else the configured team of its assignee, else the default team.
pub fn assign(timelines: &[Timeline], config: &Config, as_of: Ts) -> Vec<Team> {
    let mut by_slug: BTreeMap<String, Team> = BTreeMap::new();
    for (i, t) in timelines.iter().enumerate() {
        let (slug, name) = team_of(t, config);
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

fn team_of(t: &Timeline, config: &Config) -> (String, String) {
    let display = |slug: &str| {
        config
            .teams
            .get(slug)
            .and_then(|c| c.name.clone())
            .unwrap_or_else(|| slug.to_string())
    };
    if let Some(value) = t.team.as_deref() {
        let wanted = slugify(value);
        for (slug, team) in &config.teams {
            let named = team
                .name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(value));
            let matched = team.matches.iter().any(|m| m.eq_ignore_ascii_case(value));
            if *slug == wanted || named || matched {
                return (slug.clone(), display(slug));
            }
        }
        return (wanted, value.to_string());
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
    let slug = slugify(&config.default_team);
    let name = config
        .teams
        .get(&slug)
        .and_then(|c| c.name.clone())
        .unwrap_or(config.default_team.clone());
    (slug, name)
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
            people.insert(touch.actor.clone());
        }
    }
    people
        .into_iter()
        .filter(|p| !config.is_bot(p))
        .map(|p| p.to_string())
        .collect()
}

/// A folder-safe name: lower-case ASCII letters and digits, other runs become `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "team".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_folder_safe() {
        assert_eq!(slugify("Platform Ops / EU"), "platform-ops-eu");
        assert_eq!(slugify("<script>"), "script");
        assert_eq!(slugify("Ünïcode"), "n-code");
        assert_eq!(slugify("!!!"), "team");
    }
}
