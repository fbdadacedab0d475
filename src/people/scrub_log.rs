//! The log's free text without known names: team values, statuses, types, priorities, labels,
//! titles and iterations are scrubbed before anything is computed from them.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{keyed_hash, Scrubber};
use crate::config::Config;
use crate::model::{Category, Event, EventLog, Interner, Sym};

/// Under `pseudonym` and `hidden`, scrubs known names out of every free-text value of the log
/// — statuses, types, priorities, labels, titles and team values no configured team claims —
/// before anything is computed from it. Task ids and the people fields stay for
/// [`super::apply`]. Team values a configured team claims become its key, so the config still
/// places them; the category of each status is worked out from its original name and returned,
/// so status mappings keep working.
///
/// A value is scrubbed even where it is written exactly like a person or a task id (a ClickUp
/// Space named after its owner, a status spelt like an assignee): such a field gets a string of
/// its own first. Team values are shown as [`value_shown`] shows them. Scrubbing a scrubbed log
/// changes nothing, so a log that gained events (from the nightly history) is scrubbed again.
pub fn scrub_log(log: &mut EventLog, config: &Config, scrubber: &Scrubber) -> ScrubbedLog {
    let mut out = ScrubbedLog::default();
    if scrubber.is_idle() {
        return out;
    }
    separate(log);
    let mut teams: Vec<Sym> = Vec::new();
    let mut seen = FxHashSet::default();
    let (mut exact, mut lower) = (FxHashSet::default(), FxHashSet::default());
    let (mut statuses, mut labels, mut types): (FxHashSet<Sym>, FxHashSet<Sym>, FxHashSet<Sym>) =
        Default::default();
    for e in &log.events {
        if let Some(t) = e.team.filter(|t| seen.insert(*t)) {
            teams.push(t);
        }
        exact.extend(exact_fields(e).into_iter().flatten());
        lower.extend([e.labels, e.item_type].into_iter().flatten());
        statuses.extend(e.status);
        labels.extend(e.labels);
        types.extend(e.item_type);
        if let Some(s) = e.status {
            out.categories
                .entry(s)
                .or_insert_with(|| config.category_of(log.strings.resolve(s)));
        }
    }
    // Team, exact and lower-case fields share no string now: each is replaced where it is.
    let secret = config.pseudonym_secret.as_deref().unwrap_or_default();
    let unplanned = config.unplanned();
    for sym in exact {
        let was = log.strings.resolve(sym);
        let shown = marked(scrubber, secret, was, was);
        if statuses.contains(&sym) && shown != was && config.is_blocked_name(was) {
            out.blocked.push(shown.clone());
        }
        log.strings.replace(sym, &shown);
    }
    for sym in lower {
        let was = log.strings.resolve(sym);
        let mut shown = Vec::new();
        for v in was.split(';') {
            let s = lower_shown(scrubber, secret, v);
            if s != v && labels.contains(&sym) {
                if config.is_blocked_name(v) {
                    out.blocked.push(s.clone());
                }
                if unplanned.is(None, &[v]) {
                    out.unplanned_labels.push(s.clone());
                }
            }
            if s != v && types.contains(&sym) && unplanned.is(Some(v), &[] as &[&str]) {
                out.unplanned_types.push(s.clone());
            }
            shown.push(s);
        }
        log.strings.replace(sym, &shown.join(";"));
    }
    let values: Vec<String> = teams
        .iter()
        .map(|&t| log.strings.resolve(t).to_string())
        .collect();
    for (sym, shown) in teams
        .into_iter()
        .zip(team_texts(&values, config, scrubber, secret))
    {
        log.strings.replace(sym, &shown);
    }
    out
}

/// What [`scrub_log`] worked out from the names as written, for what reads the scrubbed log.
#[derive(Debug, Default)]
pub struct ScrubbedLog {
    /// The category of each status, from its name as written (status mappings keep working).
    pub categories: FxHashMap<Sym, Option<Category>>,
    /// Statuses and labels, as shown, whose names as written mean blocked.
    pub blocked: Vec<String>,
    /// Types and labels, as shown, whose names as written are unplanned work.
    pub unplanned_types: Vec<String>,
    pub unplanned_labels: Vec<String>,
}

impl ScrubbedLog {
    /// Adds what a later scrubbing of the same log worked out (the categories found first
    /// stand: they are of the names as written).
    pub fn add(&mut self, later: ScrubbedLog) {
        for (sym, c) in later.categories {
            self.categories.entry(sym).or_insert(c);
        }
        self.blocked.extend(later.blocked);
        self.unplanned_types.extend(later.unplanned_types);
        self.unplanned_labels.extend(later.unplanned_labels);
    }

    /// Tells the config the shown forms of its blocked and unplanned names, so that they are
    /// found in the scrubbed log whatever their capitals.
    pub fn teach(&self, config: &mut Config) {
        config.blocked.extend(self.blocked.iter().cloned());
        let mix = &mut config.work_mix;
        mix.unplanned_types
            .extend(self.unplanned_types.iter().cloned());
        mix.unplanned_labels
            .extend(self.unplanned_labels.iter().cloned());
    }
}

/// The fields compared as written: statuses (time in status), sprints, priorities, titles.
fn exact_fields(e: &Event) -> [Option<Sym>; 4] {
    [e.status, e.title, e.priority, e.iteration]
}

/// Gives team fields, fields compared as written, then fields compared in lower case, strings
/// of their own where they share one with a field that is not scrubbed like them (task ids and
/// people, for [`super::apply`]; each other kind of field): the interner keeps each distinct
/// text once, so `Space = "Ana Lima"` and `assignee = "Ana Lima"` were one string.
fn separate(log: &mut EventLog) {
    let (mut people, mut exact, mut lower, mut teams) = (
        FxHashSet::default(),
        FxHashSet::default(),
        FxHashSet::default(),
        FxHashSet::default(),
    );
    for e in &log.events {
        people.extend([Some(e.task), e.actor, e.assignee].into_iter().flatten());
        exact.extend(exact_fields(e).into_iter().flatten());
        lower.extend([e.labels, e.item_type].into_iter().flatten());
        teams.extend(e.team);
    }
    let shared = |set: &FxHashSet<Sym>, with: &dyn Fn(&Sym) -> bool| {
        let mut v: Vec<Sym> = set.iter().copied().filter(|s| with(s)).collect();
        v.sort_unstable();
        v
    };
    let team_copies = copies(
        &mut log.strings,
        shared(&teams, &|s| {
            people.contains(s) || exact.contains(s) || lower.contains(s)
        }),
    );
    let exact_copies = copies(&mut log.strings, shared(&exact, &|s| people.contains(s)));
    let lower_copies = copies(
        &mut log.strings,
        shared(&lower, &|s| people.contains(s) || exact.contains(s)),
    );
    if team_copies.is_empty() && exact_copies.is_empty() && lower_copies.is_empty() {
        return;
    }
    let own = |copies: &FxHashMap<Sym, Sym>, s: &mut Option<Sym>| {
        if let Some(copy) = s.and_then(|s| copies.get(&s)) {
            *s = Some(*copy);
        }
    };
    for e in &mut log.events {
        own(&team_copies, &mut e.team);
        for field in [
            &mut e.status,
            &mut e.title,
            &mut e.priority,
            &mut e.iteration,
        ] {
            own(&exact_copies, field);
        }
        for field in [&mut e.labels, &mut e.item_type] {
            own(&lower_copies, field);
        }
    }
}

/// A copy of each of `syms` (same text, an id of its own).
fn copies(strings: &mut Interner, syms: Vec<Sym>) -> FxHashMap<Sym, Sym> {
    syms.into_iter().map(|s| (s, strings.copy(s))).collect()
}

/// How each team value is shown: a configured team's key where one claims it; else
/// [`value_shown`].
fn team_texts(
    values: &[String],
    config: &Config,
    scrubber: &Scrubber,
    secret: &str,
) -> Vec<String> {
    values
        .iter()
        .map(|v| match config.team_claiming(v) {
            Some(slug) => slug.clone(),
            None => value_shown(scrubber, secret, v),
        })
        .collect()
}

/// A list of labels (`;`-separated) as [`scrub_log`] shows it: two labels that held different
/// names (`austin` and `sydney`) stay two.
#[cfg(test)]
fn text_shown(scrubber: &Scrubber, secret: &str, text: &str) -> String {
    let one = |v: &str| lower_shown(scrubber, secret, v);
    text.split(';').map(one).collect::<Vec<_>>().join(";")
}

/// A label or type as shown: marked by the value in lower case, as the KPIs compare them
/// (`Austin`, `austin` and `AUSTIN` are one label, as in a named build; `José` and `jose` two).
fn lower_shown(scrubber: &Scrubber, secret: &str, value: &str) -> String {
    marked(scrubber, secret, value, &value.to_lowercase())
}

/// A value as shown (a team's name, a file's path): as it is, or, where it holds a name,
/// scrubbed and marked with a keyed hash of the value as written
/// (`[person]'s Team (3f2a9c01d4e5)`). Two values never become one (`Ana's Team` and `Raj's
/// Team`; `Ana Lima` and `ana lima`, two teams in a named build), and a value keeps its form
/// from build to build with the same secret, whichever other values the data has that night.
pub fn value_shown(scrubber: &Scrubber, secret: &str, value: &str) -> String {
    marked(scrubber, secret, value, value)
}

/// `value` scrubbed, and where that changed it, marked with 48 bits of the keyed hash of
/// `key` (among a million values, two alike about once in 500 builds' worth of data).
fn marked(scrubber: &Scrubber, secret: &str, value: &str, key: &str) -> String {
    let scrubbed = scrubber.scrub(value);
    if scrubbed == value {
        return scrubbed;
    }
    let hex: String = keyed_hash(secret, key)[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{scrubbed} ({hex})")
}

/// Under `pseudonym` and `hidden`, the config's free text as the log's: team names and the
/// default team as [`value_shown`] shows them, decision texts scrubbed (its blocked and
/// unplanned names learn their shown forms from [`ScrubbedLog::teach`]). A decision's team, and
/// each `--teams` name in `wanted`, is first read as the original config reads it (a configured
/// team's name or `match` value becomes its key), then as a team value in any case or the folder
/// a named build gives it (`written`: either, in lower case → the value as written), else as
/// the team value it names is shown. Called once, after
/// [`scrub_log`] (which reads the config as it was).
pub fn scrub_config(
    config: &mut Config,
    scrubber: &Scrubber,
    secret: &str,
    wanted: &mut [String],
    written: &BTreeMap<String, String>,
) {
    if scrubber.is_idle() {
        return;
    }
    let shown = |config: &Config, name: &str| match config.team_claiming(name) {
        Some(slug) => slug.clone(),
        None => match written.get(&name.to_lowercase()) {
            Some(value) => value_shown(scrubber, secret, value),
            None => value_shown(scrubber, secret, name),
        },
    };
    for w in wanted.iter_mut() {
        *w = shown(config, w.trim());
    }
    let decisions = std::mem::take(&mut config.decisions);
    config.decisions = decisions
        .into_iter()
        .map(|mut d| {
            d.team = d.team.map(|t| shown(config, &t));
            d.text = scrubber.scrub(&d.text);
            d
        })
        .collect();
    config.default_team = shown(config, &config.default_team);
    for team in config.teams.values_mut() {
        team.name = team
            .name
            .as_deref()
            .map(|n| value_shown(scrubber, secret, n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventKind;
    use crate::people::PeopleDisplay;
    use std::collections::BTreeSet;

    fn log_of(rows: &[(&str, &str, &str, &str)]) -> EventLog {
        // (task, assignee, team, status)
        let mut log = EventLog::default();
        for (i, (task, who, team, status)) in rows.iter().enumerate() {
            let task = log.strings.intern(task);
            let mut e = Event::new(task, i as i64, EventKind::Status);
            e.assignee = Some(log.strings.intern(who));
            e.team = Some(log.strings.intern(team));
            e.status = Some(log.strings.intern(status));
            log.events.push(e);
        }
        log
    }

    fn shown(log: &EventLog, f: impl Fn(&Event) -> Option<Sym>) -> Vec<&str> {
        log.events
            .iter()
            .map(|e| log.strings.resolve(f(e).unwrap()))
            .collect()
    }

    #[test]
    fn a_value_written_like_a_person_is_scrubbed_and_the_person_kept() {
        let mut log = log_of(&[("T-1", "Quentin Tarbell", "Quentin Tarbell", "raj")]);
        let names: BTreeSet<String> = ["Quentin Tarbell", "raj"].map(String::from).into();
        let config = Config::default();
        let s = Scrubber::new(PeopleDisplay::Hidden, "0123456789abcdef", &names);
        scrub_log(&mut log, &config, &s);
        let team = shown(&log, |e| e.team)[0];
        assert!(
            team.starts_with("person-") && !team.contains("Quentin"),
            "{team}"
        );
        let raj = super::super::display(PeopleDisplay::Hidden, "0123456789abcdef", "raj");
        let status = shown(&log, |e| e.status)[0];
        assert!(status.starts_with(&format!("{raj} (")), "{status}");
        // The people field keeps the name, for `apply` to display.
        assert_eq!(shown(&log, |e| e.assignee), ["Quentin Tarbell"]);
    }

    #[test]
    fn labels_and_sprints_that_held_different_names_stay_apart() {
        let names: BTreeSet<String> = ["Austin Reed", "Sydney Park", "May Chen", "June Park"]
            .map(String::from)
            .into();
        let s = Scrubber::new(PeopleDisplay::Hidden, "k", &names);
        let (austin, sydney) = (text_shown(&s, "k", "austin"), text_shown(&s, "k", "sydney"));
        assert!(austin.starts_with("[person] (") && sydney.starts_with("[person] ("));
        assert_ne!(austin, sydney);
        assert_eq!(
            text_shown(&s, "k", "austin;backend;sydney"),
            format!("{austin};backend;{sydney}")
        );
        assert_ne!(
            text_shown(&s, "k", "May 2026"),
            text_shown(&s, "k", "June 2026")
        );
        // Without a name, a value is shown as it is.
        assert_eq!(text_shown(&s, "k", "Sprint 4"), "Sprint 4");
    }

    #[test]
    fn teams_shown_alike_are_told_apart_and_stay_two() {
        let mut log = log_of(&[
            ("T-1", "Ana Lima", "Ana's Team", "Done"),
            ("T-2", "Raj Patel", "Raj's Team", "Done"),
            ("T-3", "Ana Lima", "Ana's Team", "Done"),
            ("T-4", "Raj Patel", "Platform", "Done"),
        ]);
        let names: BTreeSet<String> = ["Ana Lima", "Raj Patel"].map(String::from).into();
        let config = Config::default();
        let s = Scrubber::new(PeopleDisplay::Hidden, "0123456789abcdef", &names);
        scrub_log(&mut log, &config, &s);
        let teams = shown(&log, |e| e.team);
        assert_eq!(teams[0], teams[2]);
        assert_ne!(teams[0], teams[1]);
        assert_eq!(teams[3], "Platform");
        for t in &teams[..3] {
            assert!(t.starts_with("[person]'s Team (") && t.len() == 30, "{t}");
        }
        // The same names in another build, in another order: the same teams.
        let mut again = log_of(&[
            ("T-2", "Raj Patel", "Raj's Team", "Done"),
            ("T-1", "Ana Lima", "Ana's Team", "Done"),
        ]);
        scrub_log(&mut again, &config, &s);
        assert_eq!(shown(&again, |e| e.team), [teams[1], teams[0]]);
    }
}
