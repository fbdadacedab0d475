//! Checks of a parsed config that its types cannot express: numbers that must be finite and
//! positive, rates between 0 and 1, slugs, zones, encodings, secrets, teams that claim the same
//! value. Errors name the key and its line.

use std::collections::BTreeMap;

use super::{
    check_secret, fold, input_key_matches, is_slug, key_line, parse_tz, Config, SECRET_ENV,
};

impl Config {
    /// The pseudonym secret: `TEAMPULSE_PSEUDONYM_SECRET` when set (CI secret stores), else
    /// the config's. Checked for length; never printed.
    pub fn secret_from_env(&self) -> std::result::Result<Option<String>, String> {
        match std::env::var(SECRET_ENV) {
            Ok(v) if !v.is_empty() => {
                check_secret(&v).map_err(|e| format!("{SECRET_ENV} {e}"))?;
                Ok(Some(v))
            }
            _ => Ok(self.pseudonym_secret.clone()),
        }
    }

    /// Every `[inputs."<file>"]` must name an input that was read (a typo would otherwise
    /// quietly leave a file with the wrong zone or date order), and no input may be named by
    /// two entries (which of them applies would be a guess). `read` are the shown paths.
    pub fn check_input_keys(&self, read: &[String]) -> std::result::Result<(), String> {
        let line = |key: &str| {
            self.input_line(key)
                .map_or(String::new(), |n| format!(" (line {n})"))
        };
        let file = self
            .origin
            .as_ref()
            .map_or(String::new(), |o| format!("{}: ", o.path.display()));
        for path in read {
            let keys: Vec<&String> = self
                .inputs
                .keys()
                .filter(|k| input_key_matches(k, path))
                .collect();
            if let [a, b, ..] = keys.as_slice() {
                return Err(format!(
                    "{file}[inputs.\"{a}\"]{} and [inputs.\"{b}\"]{} both name {path}: keep one",
                    line(a),
                    line(b)
                ));
            }
        }
        for key in self.inputs.keys() {
            if !read.iter().any(|p| input_key_matches(key, p)) {
                let at = self
                    .input_line(key)
                    .map_or(String::new(), |n| format!("line {n}: "));
                return Err(format!(
                    "{file}{at}[inputs.\"{key}\"] matches none of the inputs ({})",
                    read.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// A configured templates folder must exist.
    pub fn check_templates(&self) -> std::result::Result<(), String> {
        match &self.templates {
            Some(dir) if !dir.is_dir() => {
                let line = self
                    .origin
                    .as_ref()
                    .map_or(String::new(), |o| Config::at(&o.text, "", "templates"));
                Err(format!(
                    "{line}templates folder {} does not exist",
                    dir.display()
                ))
            }
            _ => Ok(()),
        }
    }

    /// `line N: ` for a key of a table, when it can be found in the text.
    pub(super) fn at(text: &str, table: &str, key: &str) -> String {
        key_line(text, table, key).map_or(String::new(), |n| format!("line {n}: "))
    }

    pub(super) fn validate(&self, text: &str) -> std::result::Result<(), String> {
        let at = |table: &str, key: &str| Config::at(text, table, key);
        if let Some(tz) = &self.timezone {
            parse_tz(tz).map_err(|e| format!("{}{e}", at("", "timezone")))?;
        }
        for (slug, team) in &self.teams {
            let table = format!("teams.{slug}");
            if !is_slug(slug) {
                return Err(format!(
                    "{}team key `{slug}` must be a slug (lower-case letters, digits, `-`, at \
                     most 48 characters, not a name Windows reserves such as `con`)",
                    at(&table, "")
                ));
            }
            if let Some(tz) = &team.timezone {
                parse_tz(tz).map_err(|e| format!("{}{e}", at(&table, "timezone")))?;
            }
        }
        self.check_overlapping_teams(text)?;
        positive(
            self.capacity.default,
            &at("capacity", "default"),
            "capacity.default",
        )?;
        positive(
            self.capacity.wip_per_capacity,
            &at("capacity", "wip_per_capacity"),
            "capacity.wip_per_capacity",
        )?;
        let team_holidays = self
            .teams
            .iter()
            .flat_map(|(slug, t)| t.holidays.iter().map(move |h| (format!("teams.{slug}"), h)));
        let all_holidays = self
            .holidays
            .iter()
            .map(|h| (String::new(), h))
            .chain(team_holidays);
        for (table, h) in all_holidays {
            crate::model::timestamp::parse_due(&h.clone()).map_err(|_| {
                format!(
                    "{}holiday `{h}` is not a date (YYYY-MM-DD)",
                    at(&table, "holidays")
                )
            })?;
        }
        for d in &self.decisions {
            crate::model::timestamp::parse_due(&d.date).map_err(|_| {
                format!(
                    "{}decision date `{}` is not a date (YYYY-MM-DD)",
                    at("decisions", "date"),
                    d.date
                )
            })?;
            if let Some(team) = d
                .team
                .as_deref()
                .filter(|t| self.team_claiming(t).is_none())
            {
                if !self.teams.is_empty() && !self.teams.contains_key(team) {
                    return Err(format!(
                        "{}decision `{}`: no configured team `{team}`",
                        at("decisions", "team"),
                        d.text
                    ));
                }
            }
        }
        for (name, input) in &self.inputs {
            let table = format!("inputs.{name}");
            if let Some(tz) = &input.timezone {
                parse_tz(tz)
                    .map_err(|e| format!("{}inputs.\"{name}\": {e}", at(&table, "timezone")))?;
            }
            if let Some(label) = &input.encoding {
                if encoding_rs::Encoding::for_label(label.trim().as_bytes()).is_none() {
                    return Err(format!(
                        "{}inputs.\"{name}\": unknown encoding `{label}` (e.g. utf-8, \
                         windows-1252, windows-1251, iso-8859-2)",
                        at(&table, "encoding")
                    ));
                }
            }
        }
        for (person, p) in &self.people {
            if let Some(c) = p.capacity {
                let table = format!("people.{person}");
                positive(
                    c,
                    &at(&table, "capacity"),
                    &format!("people.{person}.capacity"),
                )?;
            }
        }
        let t = &self.targets;
        if t.sle_days == Some(0) {
            return Err(format!(
                "{}targets.sle_days must be at least 1",
                at("targets", "sle_days")
            ));
        }
        if self.capacity.wip_per_capacity > 100.0 || self.capacity.default > 100.0 {
            return Err(format!(
                "{}capacity values above 100 cannot be right (a full-time person is 1.0)",
                at("capacity", "")
            ));
        }
        for (key, v) in [
            ("sle_hit_rate", t.sle_hit_rate),
            ("aging_above_sle_max", t.aging_above_sle_max),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!(
                    "{}targets.{key} must be a fraction between 0 and 1, not {v}",
                    at("targets", key)
                ));
            }
        }
        if !(2..=520).contains(&t.throughput_weeks) {
            return Err(format!(
                "{}targets.throughput_weeks must be between 2 and 520",
                at("targets", "throughput_weeks")
            ));
        }
        if let Some(secret) = &self.pseudonym_secret {
            check_secret(secret)
                .map_err(|e| format!("{}pseudonym_secret {e}", at("", "pseudonym_secret")))?;
        }
        Ok(())
    }

    /// Two teams claiming the same `team` value would make the owner of a task depend on the
    /// order of the config: refused, naming both.
    fn check_overlapping_teams(&self, text: &str) -> std::result::Result<(), String> {
        let mut claimed: BTreeMap<String, &str> = BTreeMap::new();
        for (slug, team) in &self.teams {
            let mut mine: Vec<String> = vec![fold(slug)];
            mine.extend(team.name.iter().map(|n| fold(n)));
            mine.extend(team.matches.iter().map(|m| fold(m)));
            mine.sort();
            mine.dedup();
            for value in mine {
                if let Some(other) = claimed.insert(value.clone(), slug) {
                    return Err(format!(
                        "{}teams `{other}` and `{slug}` both claim the team value `{value}`: \
                         give it to one of them",
                        Config::at(text, &format!("teams.{slug}"), "")
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A number that must be finite and above zero.
fn positive(v: f64, at: &str, key: &str) -> std::result::Result<(), String> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(format!("{at}{key} must be a positive number, not {v}"))
    }
}
