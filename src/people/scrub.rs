//! Known names out of free text: under `pseudonym` and `hidden`, every name the data and the
//! config hold is replaced in labels, statuses, types and the other free-text values before
//! anything is computed from them.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap, FxHashSet};

use super::words::{fold, is_cjk, joins, words, Folded};
use super::{display, displayed_spans, PeopleDisplay, PART};
use crate::config::Config;
use crate::model::{split_list, EventLog, Sym};

/// Everyone the data and the config name: actors, assignees, other names of people in the
/// inputs, roster members and per-person settings — not the automation (the config's `bots`,
/// and accounts plainly named as automation, `Automation for Jira`): it is no one, and its
/// words (`for`, `incident`) are everyone's. Under `pseudonym` and `hidden` these are scrubbed
/// from free text.
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
    out.retain(|n| !n.trim().is_empty() && !config.is_bot(n) && !crate::config::looks_like_bot(n));
    out
}

/// Replaces known names in free text (labels, the raw values quoted by rejection reasons).
pub struct Scrubber {
    /// Folded name or name part → what replaces it, longest first.
    names: Vec<(String, String)>,
    /// The names (by index in `names`) under the first word of each (its leading run of
    /// letters and digits): a text is only tried against the names its own words can begin.
    by_first_word: FxHashMap<String, Vec<usize>>,
    /// Names that begin with neither letter nor digit, tried on every text.
    always: Vec<usize>,
    /// Words that named people on earlier nights, by keyed hash (see [`super::memory`]).
    remembered: FxHashSet<u64>,
    /// The key of those hashes.
    secret: String,
}

impl Scrubber {
    /// Whether there is no name to scrub (every name is shown as it is).
    pub fn is_idle(&self) -> bool {
        self.names.is_empty() && self.remembered.is_empty()
    }

    /// This scrubber, also hiding every word in `remembered` (keyed hashes of the words that
    /// named people on earlier nights): a team called after someone who has left the export is
    /// still hidden. Only under `pseudonym` and `hidden`.
    pub fn remembering(mut self, mode: PeopleDisplay, remembered: FxHashSet<u64>) -> Scrubber {
        if mode != PeopleDisplay::Named {
            self.remembered = remembered;
        }
        self
    }

    /// The keyed hashes of the one-word names and name parts this scrubber hides, and of those
    /// it remembered: what the next night remembers.
    pub fn to_remember(&self) -> FxHashSet<u64> {
        let mut out = self.remembered.clone();
        out.extend(
            self.names
                .iter()
                .filter(|(n, _)| n.chars().all(char::is_alphanumeric))
                .map(|(n, _)| super::memory::word_hash(&self.secret, n)),
        );
        out
    }

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
                    // An address's parts are its local part's: `acme` and `com` name no one.
                    let person = match spelling.split_once('@') {
                        Some((local, domain)) if domain.contains('.') => local,
                        _ => spelling.as_str(),
                    };
                    for part in person.split(|c: char| !c.is_alphanumeric()) {
                        if part.chars().count() >= 3 {
                            map.entry(fold(part)).or_insert_with(|| PART.to_string());
                        }
                    }
                }
            }
            // A plain spelling shared by two names stands for the first; a name as written
            // always for itself.
            for n in names {
                let [written, plain] = spellings(n);
                let shown = display(mode, secret, n);
                let plain = fold(&plain);
                if map.get(&plain).is_none_or(|v| v == PART) {
                    map.insert(plain, shown.clone());
                }
                map.insert(fold(&written), shown);
            }
        }
        let mut names: Vec<(String, String)> = map.into_iter().collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let (mut by_first_word, mut always) = (FxHashMap::default(), Vec::new());
        for (i, (name, _)) in names.iter().enumerate() {
            match name.split(|c: char| !c.is_alphanumeric()).next() {
                Some(first) if !first.is_empty() => by_first_word
                    .entry(first_key(first).to_string())
                    .or_insert_with(Vec::new)
                    .push(i),
                _ => always.push(i),
            }
        }
        Scrubber {
            names,
            by_first_word,
            always,
            remembered: FxHashSet::default(),
            secret: secret.to_string(),
        }
    }

    /// `text` with every known name (whole words, any case) replaced. The names are found in
    /// the text as it is, longest first, each where no longer one was found; what replaces a
    /// name is never searched again, and neither is what a scrubbing puts in that was in the
    /// text already, so scrubbing a scrubbed text changes nothing. Only the names a word of the
    /// text can begin are tried, so a text costs about its own length, not the number of names
    /// (40,000 people under `hidden` took minutes).
    pub fn scrub(&self, text: &str) -> String {
        if self.is_idle() {
            return text.to_string();
        }
        let folded = Folded::new(text);
        let mut tried = self.always.clone();
        for w in words(&folded.hay) {
            tried.extend(self.by_first_word.get(w).into_iter().flatten());
            // A CJK name can begin at any character of a word of such characters.
            for (at, c) in w.char_indices().filter(|(_, c)| is_cjk(*c)) {
                let key = &w[at..at + c.len_utf8()];
                tried.extend(self.by_first_word.get(key).into_iter().flatten());
            }
        }
        self.replace(&folded, tried)
    }

    /// The text of `folded` with the names `tried` (indices in `names`) replaced.
    fn replace(&self, folded: &Folded, mut tried: Vec<usize>) -> String {
        let text = folded.text;
        if tried.is_empty() && self.remembered.is_empty() {
            return text.to_string();
        }
        tried.sort_unstable();
        tried.dedup();
        // Byte ranges of `text` and the name found there (`None`: kept as it is).
        let mut found: Vec<(usize, usize, Option<usize>)> = displayed_spans(text)
            .into_iter()
            .map(|(a, b)| (a, b, None))
            .collect();
        // The character next to a match: the text's, or the edge of what replaced a longer name
        // right there (as when each name was searched in the text the longer ones left).
        let next_to = |found: &[(usize, usize, Option<usize>)], i: usize, at: usize, left: bool| {
            let replaced = found.iter().find_map(|&(x, y, n)| match n {
                Some(j) if j != i && (if left { y } else { x }) == at => Some(j),
                _ => None,
            });
            match (replaced, left) {
                (Some(j), true) => self.names[j].1.chars().next_back(),
                (Some(j), false) => self.names[j].1.chars().next(),
                (None, true) => text[..at].chars().next_back(),
                (None, false) => text[at..].chars().next(),
            }
        };
        for i in tried {
            for (a, b) in folded.find(&self.names[i].0) {
                let free = found.iter().all(|&(x, y, _)| b <= x || y <= a);
                if free
                    && !joins(text[a..].chars().next(), next_to(&found, i, a, true))
                    && !joins(text[..b].chars().next_back(), next_to(&found, i, b, false))
                {
                    found.push((a, b, Some(i)));
                }
            }
        }
        // Whole words that named people on earlier nights, where no name was found.
        if !self.remembered.is_empty() {
            for (a, b) in super::words::word_spans(text) {
                let free = found.iter().all(|&(x, y, _)| b <= x || y <= a);
                let word = fold(&text[a..b]);
                if free
                    && word.chars().count() >= 3
                    && self
                        .remembered
                        .contains(&super::memory::word_hash(&self.secret, &word))
                {
                    found.push((a, b, Some(REMEMBERED)));
                }
            }
        }
        found.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (a, b, name) in found {
            if let Some(i) = name {
                out.push_str(&text[last..a]);
                out.push_str(match i {
                    REMEMBERED => PART,
                    _ => &self.names[i].1,
                });
                last = b;
            }
        }
        out.push_str(&text[last..]);
        out
    }
}

/// The mark of a word found among the remembered ones (not an index of `names`).
const REMEMBERED: usize = usize::MAX;

/// The key a name is found by: its first word, or for a word that begins in a script
/// without spaces (CJK), its first character.
fn first_key(first: &str) -> &str {
    match first.chars().next() {
        Some(c) if is_cjk(c) => &first[..c.len_utf8()],
        _ => first,
    }
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

    /// Every name tried on every text.
    fn every_name(s: &Scrubber, text: &str) -> String {
        s.replace(&Folded::new(text), (0..s.names.len()).collect())
    }

    #[test]
    fn a_replacement_is_never_scrubbed_again() {
        // "person" is a part of one name and "otter" of another: neither eats into what replaced
        // another name, in one scrubbing or in a second one (this made `[[[person]]] work`).
        let names: BTreeSet<String> = ["Ghost Person", "Benjamin Smith", "Otter Jones", "Ana"]
            .map(String::from)
            .into();
        for mode in [PeopleDisplay::Hidden, PeopleDisplay::Pseudonym] {
            let s = Scrubber::new(mode, "0123456789abcdef", &names);
            let once = s.scrub("Benjamin work, ana fix, ghost person");
            let id = |n: &str| display(mode, "0123456789abcdef", n);
            let want = format!("[person] work, {} fix, {}", id("Ana"), id("Ghost Person"));
            assert_eq!(once, want);
            assert_eq!(s.scrub(&once), once);
        }
        // A name's own pseudonym, spelt out, is left alone.
        let s = Scrubber::new(PeopleDisplay::Pseudonym, "k", &names);
        assert_eq!(
            s.scrub("Brave Otter 3f2a9c01d4e5b7"),
            "Brave Otter 3f2a9c01d4e5b7"
        );
        assert_eq!(s.scrub("Brave Otter 3f2a"), "Brave [person] 3f2a");
    }

    #[test]
    fn a_pseudonym_after_a_sign_is_left_alone_by_a_second_scrubbing() {
        // With this secret, Ann's pseudonym is "Eager Otter …", and "otter" is a known part.
        let names: BTreeSet<String> = ["Ann", "Otter Jones", "Kim"].map(String::from).into();
        let s = Scrubber::new(PeopleDisplay::Pseudonym, "k", &names);
        let ann = display(PeopleDisplay::Pseudonym, "k", "Ann");
        assert!(ann.starts_with("Eager Otter "), "{ann}");
        for text in ["review-Ann", "(Ann)", "x\nAnn", "Ann/Kim", "fix, Ann"] {
            let once = s.scrub(text);
            assert!(once.contains(&ann), "{text:?} → {once:?}");
            assert_eq!(s.scrub(&once), once, "{text:?}");
        }
    }

    #[test]
    fn names_are_found_as_the_sequential_scrubbing_found_them() {
        let names: BTreeSet<String> = ["T.J.", "Anabel Lee", "Ab Jo", "Jo Jo"]
            .map(String::from)
            .into();
        let s = Scrubber::new(PeopleDisplay::Hidden, "k", &names);
        let id = |n: &str| display(PeopleDisplay::Hidden, "k", n);
        // A name with a sign at its edge is whole next to what replaced a longer name.
        assert_eq!(s.scrub("T.J.Anabel"), format!("{}[person]", id("T.J.")));
        // A name found inside one dropped for overlapping a longer one is still found.
        assert_eq!(
            s.scrub("ab jo jo jo"),
            format!("{} {}", id("Ab Jo"), id("Jo Jo"))
        );
        for text in ["T.J.Anabel", "ab jo jo jo", "anabel lee@t.j."] {
            let once = s.scrub(text);
            assert_eq!(s.scrub(&once), once, "{text:?}");
        }
    }

    #[test]
    fn a_name_ending_in_sigma_is_found_in_capitals() {
        let names: BTreeSet<String> = ["Κώστας".to_string()].into();
        let s = Scrubber::new(PeopleDisplay::Hidden, "k", &names);
        let id = display(PeopleDisplay::Hidden, "k", "Κώστας");
        assert_eq!(s.scrub("ΚΏΣΤΑΣ, κώστας"), format!("{id}, {id}"));
    }

    #[test]
    fn trying_only_the_names_a_text_can_hold_changes_nothing() {
        // Random names and texts from pieces that meet at word edges, overlap and nest, in
        // several cases and scripts; some names begin with a sign, some are words of the
        // replacements ("person", "brave", "otter"). A second scrubbing changes nothing.
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
            "王芳",
            "组",
            "Zoë",
            "IŞIK",
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
        let mut seeded = crate::model::seeded::Seeded::new(11);
        let mut pick = |n: usize| seeded.below(n);
        for round in 0..300 {
            let mut join =
                |k: usize| -> String { (0..k).map(|_| pieces[pick(pieces.len())]).collect() };
            let names: BTreeSet<String> = (0..1 + round % 7).map(|_| join(1 + round % 3)).collect();
            let mode = [PeopleDisplay::Hidden, PeopleDisplay::Pseudonym][round % 2];
            let s = Scrubber::new(mode, "0123456789abcdef", &names);
            for k in 0..20 {
                let text = join(1 + k % 8);
                let once = s.scrub(&text);
                assert_eq!(once, every_name(&s, &text), "{names:?} {text:?}");
                assert_eq!(s.scrub(&once), once, "{names:?} {text:?}");
            }
        }
    }

    #[test]
    fn an_address_hides_its_person_not_its_domain() {
        let names: BTreeSet<String> = ["ana.lima@acme.com".to_string()].into();
        let s = Scrubber::new(PeopleDisplay::Hidden, "k", &names);
        let id = display(PeopleDisplay::Hidden, "k", "ana.lima@acme.com");
        assert_eq!(
            s.scrub("Acme Mobile: ana, LIMA, ana.lima@acme.com, dot-com"),
            format!("Acme Mobile: [person], [person], {id}, dot-com")
        );
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
        // Two names compared alike (accents fold away): either is hidden, by one of the two.
        for text in ["jose", "José", "JOSÉ"] {
            let once = s.scrub(text);
            assert!(once == id("Jose") || once == id("José"), "{text}: {once}");
        }
    }
}
