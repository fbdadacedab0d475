//! How people appear on the site: by name, by a stable pseudonym, or as an opaque id. Applied to
//! the timelines and the config right after replay, so every KPI, page and file downstream
//! only ever sees the chosen form.

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::model::{Name, Timeline};

/// The `--people` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum PeopleDisplay {
    /// Names as the input writes them.
    #[default]
    Named,
    /// A readable pseudonym ("Brave Otter 3f2"), the same on every run with the same secret.
    Pseudonym,
    /// An opaque id ("person-3f2a"), the same on every run with the same secret.
    Hidden,
}

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
    let mut key = [0u8; 64];
    if secret.len() > 64 {
        key[..32].copy_from_slice(&Sha256::digest(secret.as_bytes()));
    } else {
        key[..secret.len()].copy_from_slice(secret.as_bytes());
    }
    let pad = |byte: u8| key.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(name.as_bytes())
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// The displayed form of one person.
pub fn display(mode: PeopleDisplay, secret: &str, name: &str) -> String {
    let h = keyed_hash(secret, name);
    match mode {
        PeopleDisplay::Named => name.to_string(),
        PeopleDisplay::Pseudonym => format!(
            "{} {} {:02x}{:x}",
            ADJECTIVES[h[0] as usize % ADJECTIVES.len()],
            ANIMALS[h[1] as usize % ANIMALS.len()],
            h[2],
            h[3] >> 4
        ),
        PeopleDisplay::Hidden => format!("person-{:02x}{:02x}", h[4], h[5]),
    }
}

/// Rewrites every person in the timelines and the config (rosters, per-person settings, bots).
pub fn apply(mode: PeopleDisplay, secret: &str, timelines: &mut [Timeline], config: &mut Config) {
    if mode == PeopleDisplay::Named {
        return;
    }
    let mut cache: std::collections::HashMap<Name, Name> = std::collections::HashMap::new();
    let mut map = |n: &Name| -> Name {
        cache
            .entry(n.clone())
            .or_insert_with(|| Name::from(display(mode, secret, n)))
            .clone()
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
    }
    let rename = |s: &String| display(mode, secret, s);
    for team in config.teams.values_mut() {
        team.members = team.members.iter().map(rename).collect();
    }
    config.people = std::mem::take(&mut config.people)
        .into_iter()
        .map(|(k, v)| (rename(&k), v))
        .collect();
    config.bots = config.bots.iter().map(rename).collect();
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
    fn pseudonyms_are_stable_per_secret_and_hide_the_name() {
        let a = display(PeopleDisplay::Pseudonym, "s3cret", "ana");
        assert_eq!(a, display(PeopleDisplay::Pseudonym, "s3cret", "ana"));
        assert_ne!(a, display(PeopleDisplay::Pseudonym, "other", "ana"));
        assert!(!a.contains("ana") && a.split(' ').count() == 3, "{a}");
        assert!(display(PeopleDisplay::Hidden, "s3cret", "ana").starts_with("person-"));
        assert_eq!(display(PeopleDisplay::Named, "s3cret", "ana"), "ana");
    }
}
