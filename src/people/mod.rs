//! How people appear on the site: by name, by a stable pseudonym, or as an opaque id. Applied to
//! the timelines and the config right after replay, so every KPI, page and file downstream
//! only ever sees the chosen form.

mod memory;
mod scrub;
mod scrub_log;
mod words;

use std::collections::HashMap;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::config::Config;
pub use crate::config::PeopleDisplay;
use crate::model::error::Failure;
use crate::model::{Name, Timeline};
pub use memory::{remember, remembered};
pub use scrub::{known_names, Scrubber};
pub use scrub_log::{scrub_config, scrub_log, value_shown};

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

/// What a part of a name (a first name on its own) becomes in free text.
pub const PART: &str = "[person]";

/// Where `text` holds what the scrubbing of free text puts in for a name — [`PART`], a hidden
/// id ("person-3f2a9c01d4e5b7a6") or a pseudonym ("Brave Otter 3f2a9c01d4e5b7") — as byte
/// ranges. The scrubbing leaves these alone, so that scrubbing a text again changes nothing.
fn displayed_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = text
        .match_indices(PART)
        .map(|(i, s)| (i, i + s.len()))
        .collect();
    let words = words::word_spans(text);
    for (k, &(a, b)) in words.iter().enumerate() {
        // A hidden id begins a word. (What follows it cannot begin a whole word of its own.)
        let hidden = a + "person-".len() + 16;
        if text
            .get(a..hidden)
            .is_some_and(|s| is_displayed(PeopleDisplay::Hidden, s))
        {
            out.push((a, hidden));
        }
        // A pseudonym ends with its hex word, its adjective and animal the two words before.
        if let Some(&(start, _)) = k.checked_sub(2).and_then(|j| words.get(j)) {
            if is_displayed(PeopleDisplay::Pseudonym, &text[start..b]) {
                out.push((start, b));
            }
        }
    }
    out
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

/// Who each displayed form stands for, kept across the batches of one evaluation so that a
/// clash between batches is found too.
pub type Owners = HashMap<Name, Name>;

/// The error of two people with one displayed form. Never names them: the names are what the
/// mode hides.
fn clash() -> Failure {
    Failure::Usage(
        "two different people got the same displayed id: choose another pseudonym_secret".into(),
    )
}

/// Adds the owners of one batch (applied on its own) to those of the batches before it: a
/// displayed form that stands for another person there is the same error as within a batch.
pub fn merge(owners: &mut Owners, batch: Owners) -> Result<(), Failure> {
    for (shown, name) in batch {
        if owners
            .insert(shown, name)
            .is_some_and(|other| other != name)
        {
            return Err(clash());
        }
    }
    Ok(())
}

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
    // Each distinct label scrubbed once (and kept once).
    let mut labels: HashMap<Name, Name> = HashMap::new();
    let mut clashed: Option<(Name, Name)> = None;
    let mut map = |n: &Name| -> Name {
        if let Some(d) = cache.get(n) {
            return *d;
        }
        let shown = Name::keep(&display(mode, secret, n));
        // A name already in its displayed form (read back from a history) is the person it
        // stands for, not a second person.
        if *n != shown {
            if let Some(other) = owners.insert(shown, *n) {
                if other != *n {
                    clashed.get_or_insert((other, *n));
                }
            }
        }
        cache.insert(*n, shown);
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
            *l = *labels
                .entry(*l)
                .or_insert_with(|| Name::keep(&scrubber.scrub(l)));
        }
    }
    // Config names: a few per person, kept once per batch.
    let mut rename = |s: &String| map(&Name::keep(s)).to_string();
    for team in config.teams.values_mut() {
        team.members = team.members.iter().map(&mut rename).collect();
    }
    config.people = std::mem::take(&mut config.people)
        .into_iter()
        .map(|(k, v)| (rename(&k), v))
        .collect();
    config.bots = config.bots.iter().map(&mut rename).collect();
    match clashed {
        Some(_) => Err(clash()),
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
