//! Known names out of free text: under `pseudonym` and `hidden`, every name the data and the
//! config hold is replaced in labels, statuses, types and the other free-text values before
//! anything is computed from them.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap, FxHashSet};

use super::{display, PeopleDisplay};
use crate::config::Config;
use crate::model::{split_list, Category, EventLog, Sym};

/// Everyone the data and the config name: actors, assignees, other names of people in the
/// inputs, roster members, per-person settings and bots. Under `pseudonym` and `hidden` these
/// are scrubbed from free text.
pub fn known_names(log: &EventLog, config: &Config) -> BTreeSet<String> {
    // Each distinct actor and assignee value is read once, not once an event.
    let (mut actor, mut assignee) = (
        vec![false; log.strings.len() + 1],
        vec![false; log.strings.len() + 1],
    );
    for e in &log.events {
        if let Some(a) = e.actor {
            actor[a.get() as usize] = true;
        }
        if let Some(a) = e.assignee {
            assignee[a.get() as usize] = true;
        }
    }
    for &id in &log.other_names {
        assignee[id.get() as usize] = true;
    }
    let mut out = BTreeSet::new();
    for id in (1..actor.len()).filter_map(|i| Sym::new(i as u32)) {
        if actor[id.get() as usize] {
            out.insert(log.strings.resolve(id).to_string());
        }
        if assignee[id.get() as usize] {
            out.extend(split_list(log.strings.resolve(id)));
        }
    }
    for team in config.teams.values() {
        out.extend(team.members.iter().cloned());
    }
    out.extend(config.people.keys().cloned());
    out.extend(config.bots.iter().cloned());
    out.retain(|n| !n.trim().is_empty());
    out
}

/// Replaces known names in free text (labels, the raw values quoted by rejection reasons).
pub struct Scrubber {
    /// Lower-case name or name part → what replaces it, longest first.
    names: Vec<(String, String)>,
}

impl Scrubber {
    /// A scrubber for `names` shown as `mode`: a full name becomes its displayed form, each
    /// part of three letters or more (a first name on its own) becomes `[person]`.
    pub fn new(mode: PeopleDisplay, secret: &str, names: &BTreeSet<String>) -> Scrubber {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        if mode != PeopleDisplay::Named {
            // Each name as written and in plain Latin letters ("Szénási" also as "szenasi", as a
            // label or a username would spell it).
            let spellings = |n: &String| [n.clone(), deunicode::deunicode(n)];
            for n in names {
                for spelling in spellings(n) {
                    for part in spelling.split(|c: char| !c.is_alphanumeric()) {
                        if part.chars().count() >= 3 {
                            map.entry(part.to_lowercase())
                                .or_insert_with(|| "[person]".to_string());
                        }
                    }
                }
            }
            // A plain spelling shared by two names stands for the first; a name as written
            // always for itself.
            for n in names {
                let [written, plain] = spellings(n);
                let shown = display(mode, secret, n);
                let plain = plain.to_lowercase();
                if map.get(&plain).is_none_or(|v| v == "[person]") {
                    map.insert(plain, shown.clone());
                }
                map.insert(written.to_lowercase(), shown);
            }
        }
        let mut names: Vec<(String, String)> = map.into_iter().collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Scrubber { names }
    }

    /// `text` with every known name (whole words, any case) replaced.
    pub fn scrub(&self, text: &str) -> String {
        if self.names.is_empty() {
            return text.to_string();
        }
        let mut out = text.to_string();
        for (name, with) in &self.names {
            out = replace_words(&out, name, with);
        }
        out
    }
}

/// Replaces case-insensitive whole-word occurrences of `lower` (lower case) in `text`.
fn replace_words(text: &str, lower: &str, with: &str) -> String {
    let hay = text.to_lowercase();
    if hay.len() != text.len() || !hay.contains(lower) {
        // Lower-casing changed byte lengths (rare scripts): compare char by char instead.
        if !hay.contains(lower) {
            return text.to_string();
        }
        return text.replace(lower, with);
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, _) in hay.match_indices(lower) {
        if i < last {
            continue;
        }
        let before = text[..i].chars().next_back();
        let after = text[i + lower.len()..].chars().next();
        if word(before) || word(after) {
            continue;
        }
        out.push_str(&text[last..i]);
        out.push_str(with);
        last = i + lower.len();
    }
    out.push_str(&text[last..]);
    out
}

/// Under `pseudonym` and `hidden`, scrubs known names out of every free-text value of the log
/// — statuses, types, priorities, labels, titles and team values no configured team claims —
/// before anything is computed from it. Task ids and the people fields stay for [`apply`].
/// Team values a configured team claims become its key, so the config still places them; the
/// category of each status is worked out from its original name and returned, so status
/// mappings keep working.
pub fn scrub_log(
    log: &mut EventLog,
    config: &Config,
    scrubber: &Scrubber,
) -> FxHashMap<Sym, Option<Category>> {
    let mut categories = FxHashMap::default();
    if scrubber.names.is_empty() {
        return categories;
    }
    let mut keep: FxHashSet<Sym> = FxHashSet::default();
    let (mut teams, mut texts) = (FxHashSet::default(), FxHashSet::default());
    for e in &log.events {
        keep.insert(e.task);
        keep.extend(e.actor);
        keep.extend(e.assignee);
        teams.extend(e.team);
        texts.extend(
            [
                e.status,
                e.title,
                e.item_type,
                e.priority,
                e.labels,
                e.iteration,
            ]
            .into_iter()
            .flatten(),
        );
        if let Some(s) = e.status {
            categories
                .entry(s)
                .or_insert_with(|| config.category_of(log.strings.resolve(s)));
        }
    }
    for sym in teams {
        if keep.contains(&sym) {
            continue;
        }
        let value = log.strings.resolve(sym).to_string();
        let shown = config
            .team_claiming(&value)
            .cloned()
            .unwrap_or_else(|| scrubber.scrub(&value));
        log.strings.replace(sym, &shown);
    }
    for sym in texts {
        if keep.contains(&sym) {
            continue;
        }
        let scrubbed = scrubber.scrub(log.strings.resolve(sym));
        log.strings.replace(sym, &scrubbed);
    }
    categories
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_scrubbed_as_whole_words_in_any_case() {
        let names: BTreeSet<String> = ["Ana López".to_string(), "ben".to_string()].into();
        let s = Scrubber::new(PeopleDisplay::Hidden, "0123456789abcdef", &names);
        let out = s.scrub("ask ANA LÓPEZ or Ben; not benefit; ana-review");
        assert!(!out.to_lowercase().contains("ana"), "{out}");
        assert!(out.contains("benefit") && out.contains("person-"), "{out}");
        assert!(out.contains("[person]-review"), "{out}");
        let named = Scrubber::new(PeopleDisplay::Named, "", &names);
        assert_eq!(named.scrub("ana"), "ana");
    }

    #[test]
    fn names_are_also_scrubbed_as_spelt_in_plain_latin_letters() {
        let names: BTreeSet<String> = ["Ágota Szénási", "Иван Петров", "Jose", "José"]
            .map(String::from)
            .into();
        let s = Scrubber::new(PeopleDisplay::Hidden, "0123456789abcdef", &names);
        let id = |n: &str| display(PeopleDisplay::Hidden, "0123456789abcdef", n);
        assert_eq!(
            s.scrub("szenasi-fix, IVAN, petrov-review"),
            "[person]-fix, [person], [person]-review"
        );
        assert_eq!(
            s.scrub("agota szenasi; Szénási"),
            format!("{}; [person]", id("Ágota Szénási"))
        );
        // Two names with one plain spelling: each as written stands for itself.
        assert_eq!(s.scrub("jose"), id("Jose"));
        assert_eq!(s.scrub("José"), id("José"));
    }
}
