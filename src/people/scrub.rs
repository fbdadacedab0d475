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
    /// The names (by index in `names`) under the first word of each (its leading run of
    /// letters and digits): a text is only tried against the names its own words can begin.
    by_first_word: FxHashMap<String, Vec<usize>>,
    /// Names tried on every text: those that begin with neither letter nor digit, and those
    /// whose first word is a word of some replacement (a text gains that word when a name in
    /// it is replaced).
    always: Vec<usize>,
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
        let replacement_words: FxHashSet<String> = names
            .iter()
            .flat_map(|(_, with)| {
                words(&with.to_lowercase())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        let (mut by_first_word, mut always) = (FxHashMap::default(), Vec::new());
        for (i, (name, _)) in names.iter().enumerate() {
            match name.split(|c: char| !c.is_alphanumeric()).next() {
                Some(first) if !first.is_empty() && !replacement_words.contains(first) => {
                    by_first_word
                        .entry(first.to_string())
                        .or_insert_with(Vec::new)
                        .push(i)
                }
                _ => always.push(i),
            }
        }
        Scrubber {
            names,
            by_first_word,
            always,
        }
    }

    /// `text` with every known name (whole words, any case) replaced: the names tried in turn,
    /// longest first, each on the text the longer ones left. Only the names that can occur in
    /// the text are tried: a name can only match where a word of the text is its first word,
    /// or where a replacement put a word. So a text costs about its own length, not the number
    /// of names (40,000 people under `hidden` took minutes).
    pub fn scrub(&self, text: &str) -> String {
        if self.names.is_empty() {
            return text.to_string();
        }
        let mut tried = self.always.clone();
        for w in words(&text.to_lowercase()) {
            tried.extend(self.by_first_word.get(w).into_iter().flatten());
        }
        tried.sort_unstable();
        tried.dedup();
        let mut out = text.to_string();
        for i in tried {
            let (name, with) = &self.names[i];
            out = replace_words(&out, name, with);
        }
        out
    }
}

/// The words of a text: its runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Replaces case-insensitive whole-word occurrences of `lower` (lower case) in `text`. The
/// text is lower-cased a character at a time, each lower-cased byte remembering where its
/// character starts in `text`, so that a match maps back to whole characters even where
/// lower-casing changes their length (`İ` becomes three bytes, `ẞ` two).
fn replace_words(text: &str, lower: &str, with: &str) -> String {
    let mut hay = String::with_capacity(text.len());
    let mut from: Vec<usize> = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        let start = hay.len();
        hay.extend(c.to_lowercase());
        from.resize(from.len() + hay.len() - start, at);
    }
    from.push(text.len());
    if lower.is_empty() || !hay.contains(lower) {
        return text.to_string();
    }
    // Where a lower-cased character begins (a match must begin and end at one).
    let begins = |j: usize| j == 0 || j == hay.len() || from[j - 1] != from[j];
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (j, _) in hay.match_indices(lower) {
        let (i, end) = (from[j], from[j + lower.len()]);
        if i < last || !begins(j) || !begins(j + lower.len()) {
            continue;
        }
        if word(text[..i].chars().next_back()) || word(text[end..].chars().next()) {
            continue;
        }
        out.push_str(&text[last..i]);
        out.push_str(with);
        last = end;
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

    /// Every name tried on every text, longest first: the scrubbing as first written.
    fn every_name(s: &Scrubber, text: &str) -> String {
        let mut out = text.to_string();
        for (name, with) in &s.names {
            out = replace_words(&out, name, with);
        }
        out
    }

    #[test]
    fn trying_only_the_names_a_text_can_hold_changes_nothing() {
        // Random names and texts from pieces that meet at word edges, overlap and nest, in
        // several cases and scripts; some names begin with a sign, some are words of the
        // replacements ("person", "brave", "otter").
        let pieces = [
            "ana",
            "Ana",
            "ANA",
            "anabel",
            "maría",
            "MARÍA",
            "maria",
            "bea",
            "o'brien",
            "person",
            "brave",
            "otter",
            "ẞtraße",
            "İpek",
            "Σofia",
            "ben",
            "benefit",
            "-",
            " ",
            "_",
            ".",
            "[",
            "]",
            "@",
            "1",
            "x",
            ";",
        ];
        let mut seed = 11u64;
        let mut pick = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for round in 0..300 {
            let mut join =
                |k: usize| -> String { (0..k).map(|_| pieces[pick(pieces.len())]).collect() };
            let names: BTreeSet<String> = (0..1 + round % 7).map(|_| join(1 + round % 3)).collect();
            let mode = [PeopleDisplay::Hidden, PeopleDisplay::Pseudonym][round % 2];
            let s = Scrubber::new(mode, "0123456789abcdef", &names);
            for k in 0..20 {
                let text = join(1 + k % 8);
                assert_eq!(s.scrub(&text), every_name(&s, &text), "{names:?} {text:?}");
            }
        }
    }

    /// Whole-word replacement as first written, for texts whose lower-casing keeps the length of
    /// every character.
    fn replace_words_bytewise(text: &str, lower: &str, with: &str) -> String {
        let hay = text.to_lowercase();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let (mut out, mut last) = (String::new(), 0);
        for (i, _) in hay.match_indices(lower) {
            let after = text[i + lower.len()..].chars().next();
            if i < last || word(text[..i].chars().next_back()) || word(after) {
                continue;
            }
            out.push_str(&text[last..i]);
            out.push_str(with);
            last = i + lower.len();
        }
        out.push_str(&text[last..]);
        out
    }

    #[test]
    fn words_are_replaced_whole_and_in_any_case_in_every_script() {
        let cases = [
            ("Ana and ANA, anabel; ana-x", "ana"),
            ("MARÍA maría maríana", "maría"),
            ("o'brien O'BRIEN-fix", "o'brien"),
            ("Σofia σofia", "σofia"),
        ];
        for (text, name) in cases {
            assert_eq!(
                replace_words(text, name, "[p]"),
                replace_words_bytewise(text, name, "[p]"),
                "{text}"
            );
        }
        // Lower-casing `İ` adds a byte and `ẞ` drops one: the match still maps back to the
        // right characters (this panicked, or replaced inside words, before).
        assert_eq!(
            replace_words("bea] İpekẞtraße bea İpek", "i̇pek", "[p]"),
            "bea] İpekẞtraße bea [p]"
        );
        assert_eq!(
            replace_words("İpek ẞtraße-bea", "bea", "[p]"),
            "İpek ẞtraße-[p]"
        );
        assert_eq!(replace_words("ẞtraße İ", "ß", "[p]"), "ẞtraße İ");
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
