//! How people appear on the site: by name, by a stable pseudonym, or as an opaque id. Applied to
//! the timelines and the config right after replay, so every KPI, page and file downstream
//! only ever sees the chosen form.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::config::Config;
pub use crate::config::PeopleDisplay;
use crate::model::error::Failure;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{split_list, Category, EventLog, Name, Sym, Timeline};

const ADJECTIVES: &[&str] = &[
    "Amber", "Bold", "Brave", "Bright", "Calm", "Clever", "Cosmic", "Crisp", "Daring", "Eager",
    "Fair", "Gentle", "Golden", "Happy", "Honest", "Jolly", "Keen", "Kind", "Lively", "Lucky",
    "Merry", "Mighty", "Noble", "Patient", "Plucky", "Proud", "Quick", "Quiet", "Rapid", "Sharp",
    "Shy", "Silver", "Steady", "Sunny", "Swift", "Witty",
];
const ANIMALS: &[&str] = &[
    "Badger", "Bison", "Crane", "Dolphin", "Eagle", "Falcon", "Ferret", "Finch", "Fox", "Gecko",
    "Heron", "Ibis", "Jaguar", "Koala", "Lemur", "Lynx", "Marten", "Moose", "Newt", "Ocelot",
    "Orca", "Otter", "Owl", "Panda", "Puffin", "Quail", "Raven", "Seal", "Stork", "Tapir", "Tern",
    "Tiger", "Toucan", "Walrus", "Wolf", "Yak",
];

/// HMAC-SHA-256 of `name` keyed with `secret` (RFC 2104).
fn keyed_hash(secret: &str, name: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(name.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Hex digits of the hash shown after a pseudonym's two words: 14 digits (56 bits) plus the
/// words' 10 bits make 66 bits, so two people of even a very large organisation never meet.
const PSEUDONYM_HEX: usize = 14;

/// The displayed form of one person. A name that already has the displayed form of `mode` (a
/// nightly history written under that mode) is kept as it is.
pub fn display(mode: PeopleDisplay, secret: &str, name: &str) -> String {
    if is_displayed(mode, name) {
        return name.to_string();
    }
    let h = keyed_hash(secret, name);
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    match mode {
        PeopleDisplay::Named => name.to_string(),
        PeopleDisplay::Pseudonym => format!(
            "{} {} {}",
            ADJECTIVES[h[0] as usize % ADJECTIVES.len()],
            ANIMALS[h[1] as usize % ANIMALS.len()],
            &hex(&h[2..10])[..PSEUDONYM_HEX]
        ),
        // 64 bits.
        PeopleDisplay::Hidden => format!("person-{}", hex(&h[10..18])),
    }
}

/// Whether `name` has the form `display` gives under `mode`: "Brave Otter 3f2a9c01d4e5b7" or
/// "person-3f2a9c01d4e5b7a6".
fn is_displayed(mode: PeopleDisplay, name: &str) -> bool {
    let hex = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    match mode {
        PeopleDisplay::Named => true,
        PeopleDisplay::Hidden => name.strip_prefix("person-").is_some_and(|h| hex(h, 16)),
        PeopleDisplay::Pseudonym => {
            let words: Vec<&str> = name.split(' ').collect();
            words.len() == 3
                && ADJECTIVES.contains(&words[0])
                && ANIMALS.contains(&words[1])
                && hex(words[2], PSEUDONYM_HEX)
        }
    }
}

/// The form a name has: "pseudonym" or "hidden" when it looks like one `display` gives, else
/// "named".
pub fn form_of(name: &str) -> &'static str {
    if is_displayed(PeopleDisplay::Pseudonym, name) {
        "pseudonym"
    } else if is_displayed(PeopleDisplay::Hidden, name) {
        "hidden"
    } else {
        "named"
    }
}

/// What a nightly history written under `mode` must be read under: the mode and, for the
/// pseudonymous ones, a check of the secret (the displayed form of a fixed name), so a later
/// build with another mode or secret cannot mix two forms of one person.
pub fn history_key(mode: PeopleDisplay, secret: &str) -> String {
    match mode {
        PeopleDisplay::Named => "named".to_string(),
        PeopleDisplay::Pseudonym | PeopleDisplay::Hidden => format!(
            "{} {}",
            if mode == PeopleDisplay::Hidden {
                "hidden"
            } else {
                "pseudonym"
            },
            display(mode, secret, "teampulse history check")
        ),
    }
}

/// Everyone the data and the config name: actors, assignees, other names of people in the
/// inputs, roster members, per-person settings and bots. Under `pseudonym` and `hidden` these are scrubbed from free text.
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
        actor[id.get() as usize] = true;
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
            for n in names {
                for part in n.split(|c: char| !c.is_alphanumeric()) {
                    if part.chars().count() >= 3 {
                        map.entry(part.to_lowercase())
                            .or_insert_with(|| "[person]".to_string());
                    }
                }
            }
            for n in names {
                map.insert(n.to_lowercase(), display(mode, secret, n));
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

/// Who each displayed form stands for, kept across the batches of one evaluation so that a
/// clash between batches is found too.
pub type Owners = HashMap<Name, Name>;

/// Rewrites every person in the timelines and the config (rosters, per-person settings, bots);
/// drops titles and scrubs labels. Two people who would get the same displayed form (here or
/// in an earlier batch of `owners`) are an error, never merged.
pub fn apply(
    mode: PeopleDisplay,
    secret: &str,
    scrubber: &Scrubber,
    timelines: &mut [Timeline],
    config: &mut Config,
    owners: &mut Owners,
) -> Result<(), Failure> {
    if mode == PeopleDisplay::Named {
        return Ok(());
    }
    let mut cache: HashMap<Name, Name> = HashMap::new();
    let mut clash: Option<(Name, Name)> = None;
    let mut map = |n: &Name| -> Name {
        if let Some(d) = cache.get(n) {
            return d.clone();
        }
        let shown = Name::from(display(mode, secret, n));
        // A name already in its displayed form (read back from a history) is the person it
        // stands for, not a second person.
        if *n != shown {
            if let Some(other) = owners.insert(shown.clone(), n.clone()) {
                if other != *n {
                    clash.get_or_insert((other, n.clone()));
                }
            }
        }
        cache.insert(n.clone(), shown.clone());
        shown
    };
    for t in timelines.iter_mut() {
        let list = |v: &mut Vec<Name>, map: &mut dyn FnMut(&Name) -> Name| {
            v.iter_mut().for_each(|p| *p = map(p))
        };
        list(&mut t.assignees, &mut map);
        list(&mut t.assignees_at_done, &mut map);
        if let Some(a) = &t.done_actor {
            t.done_actor = Some(map(a));
        }
        for a in &mut t.assignments {
            a.actor = a.actor.as_ref().map(&mut map);
            list(&mut a.from, &mut map);
            list(&mut a.to, &mut map);
        }
        for x in &mut t.touches {
            x.actor = map(&x.actor);
        }
        for x in &mut t.transitions {
            x.actor = x.actor.as_ref().map(&mut map);
        }
        t.title = None;
        for l in &mut t.labels {
            *l = scrubber.scrub(l);
        }
    }
    let mut rename = |s: &String| map(&Name::from(s.as_str())).to_string();
    for team in config.teams.values_mut() {
        team.members = team.members.iter().map(&mut rename).collect();
    }
    config.people = std::mem::take(&mut config.people)
        .into_iter()
        .map(|(k, v)| (rename(&k), v))
        .collect();
    config.bots = config.bots.iter().map(&mut rename).collect();
    match clash {
        // Never printed: the names are what the mode hides.
        Some(_) => Err(Failure::Usage(
            "two different people got the same displayed id: choose another pseudonym_secret"
                .into(),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_rfc_4231_test_vector() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let h = keyed_hash("Jefe", "what do ya want for nothing?");
        let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_displayed_name_is_displayed_as_it_is() {
        for mode in [PeopleDisplay::Pseudonym, PeopleDisplay::Hidden] {
            let once = display(mode, "s3cret-s3cret-s3cret", "ana");
            assert_eq!(display(mode, "s3cret-s3cret-s3cret", &once), once);
            assert_ne!(display(mode, "s3cret-s3cret-s3cret", "Ana"), once);
        }
        // Not the form of the mode: a name like any other.
        let hidden = display(PeopleDisplay::Hidden, "k", "ana");
        assert_ne!(display(PeopleDisplay::Pseudonym, "k", &hidden), hidden);
    }

    #[test]
    fn pseudonyms_are_stable_per_secret_and_hide_the_name() {
        let a = display(PeopleDisplay::Pseudonym, "s3cret", "ana");
        assert_eq!(a, display(PeopleDisplay::Pseudonym, "s3cret", "ana"));
        assert_ne!(a, display(PeopleDisplay::Pseudonym, "other", "ana"));
        assert!(!a.contains("ana") && a.split(' ').count() == 3, "{a}");
        assert_eq!(a.split(' ').nth(2).unwrap().len(), PSEUDONYM_HEX);
        let h = display(PeopleDisplay::Hidden, "s3cret", "ana");
        assert_eq!(h.len(), "person-".len() + 16, "{h}");
        assert!(display(PeopleDisplay::Hidden, "s3cret", "ana").starts_with("person-"));
        assert_eq!(display(PeopleDisplay::Named, "s3cret", "ana"), "ana");
    }
}

#[cfg(test)]
mod scrub_tests {
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
}
