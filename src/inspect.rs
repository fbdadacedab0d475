//! `teampulse inspect` (what each input holds, as teampulse reads it) and `teampulse init` (a
//! commented starter config from the same findings).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;

use crate::config::Config;
use crate::ingest::{self, Format};
use crate::kpi::teams::slugify;
use crate::model::calendar::iso;
use crate::model::{split_list, Category, EventLog, UNDATED};
use crate::quality::{DataQuality, InputSummary};

/// What one input file holds.
#[derive(Debug, Clone)]
pub struct Findings {
    /// The file as read.
    pub summary: InputSummary,
    /// Rejected rows by reason.
    pub rejected: BTreeMap<String, usize>,
    /// First and last dated event.
    pub range: Option<(i64, i64)>,
    /// Statuses with their category (`None` = unmapped) and how many events carry them.
    pub statuses: BTreeMap<String, (Option<Category>, usize)>,
    /// Team values.
    pub teams: BTreeSet<String>,
    /// People: actors and assignees.
    pub people: BTreeSet<String>,
}

/// Reads each input on its own and describes it.
pub fn inspect(
    inputs: &[PathBuf],
    config: &Config,
    format: Option<Format>,
) -> Result<Vec<Findings>> {
    let mut out = Vec::new();
    let files = ingest::files::expand(inputs)?.files;
    // Each file by itself: its own dates, teams, people and statuses.
    for file in &files {
        let (log, quality) = ingest::load_files(
            std::slice::from_ref(file),
            config,
            format,
            crate::model::Window::until_now(),
            0,
            EventLog::default(),
            DataQuality::default(),
        )?;
        for summary in quality.inputs {
            let mine: Vec<_> = quality
                .rejections
                .iter()
                .filter(|r| r.path == summary.path)
                .collect();
            let mut rejected = BTreeMap::new();
            for r in mine {
                *rejected
                    .entry(crate::quality::reason_kind(&r.reason))
                    .or_default() += 1;
            }
            out.push(describe(summary, rejected, &log, config));
        }
    }
    Ok(out)
}

fn describe(
    summary: InputSummary,
    rejected: BTreeMap<String, usize>,
    log: &EventLog,
    config: &Config,
) -> Findings {
    let s = &log.strings;
    let dated = log.events.iter().map(|e| e.ts).filter(|&t| t != UNDATED);
    let range = dated.clone().min().zip(dated.max());
    let mut statuses: BTreeMap<String, (Option<Category>, usize)> = BTreeMap::new();
    let (mut teams, mut people) = (BTreeSet::new(), BTreeSet::new());
    for e in &log.events {
        if let Some(st) = e.status {
            let name = s.resolve(st).to_string();
            let cat = e.category.or_else(|| config.category_of(&name));
            let slot = statuses.entry(name).or_insert((cat, 0));
            slot.1 += 1;
            slot.0 = slot.0.or(cat);
        }
        if let Some(t) = e.team {
            teams.insert(s.resolve(t).to_string());
        }
        if let Some(a) = e.actor {
            people.insert(s.resolve(a).to_string());
        }
        if let Some(a) = e.assignee {
            people.extend(split_list(s.resolve(a)));
        }
    }
    Findings {
        summary,
        rejected,
        range,
        statuses,
        teams,
        people,
    }
}

fn day(ts: i64) -> String {
    iso(ts.div_euclid(86_400) as i32)
}

/// The report `inspect` prints.
pub fn report(findings: &[Findings]) -> String {
    let mut out = String::new();
    for f in findings {
        let s = &f.summary;
        let _ = writeln!(out, "{}", s.path);
        let _ = writeln!(
            out,
            "  format    {} ({}), local times read in {}",
            s.format, s.encoding, s.timezone
        );
        let _ = writeln!(
            out,
            "  records   {} read, {} rejected, {} tasks",
            s.records, s.rejected, s.tasks
        );
        for (reason, n) in &f.rejected {
            let _ = writeln!(out, "            {n} × {reason}");
        }
        match f.range {
            Some((a, b)) => {
                let _ = writeln!(out, "  dates     {} to {} (UTC)", day(a), day(b));
            }
            None => {
                let _ = writeln!(out, "  dates     none: give --as-of when building");
            }
        }
        let _ = writeln!(out, "  statuses");
        for (name, (cat, n)) in &f.statuses {
            let cat = cat.map_or("UNMAPPED — add it under [statuses]".to_string(), |c| {
                c.as_str().to_string()
            });
            let _ = writeln!(out, "            {name} → {cat} ({n} events)");
        }
        if !f.teams.is_empty() {
            let _ = writeln!(
                out,
                "  teams     {}",
                f.teams.iter().cloned().collect::<Vec<_>>().join(", ")
            );
        }
        let _ = writeln!(
            out,
            "  people    {} ({})",
            f.people.len(),
            f.people
                .iter()
                .take(12)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
        out.push('\n');
    }
    out
}

/// A TOML basic string: quotes, backslashes and every control character escaped.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A proposal for a status nothing placed, from its place on a Trello board. Against the lists
/// the vocabulary knows: left of every known list, todo; between the first started or todo list
/// and the first done list, doing; after the done lists, nothing (a parking or archive list
/// there is anyone's guess). On a board with no known list: leftmost todo, rightmost done, in
/// between doing. Never a blind `todo`.
fn propose(status: &str, findings: &[Findings]) -> Option<(Category, String)> {
    use crate::config::statuses::{builtin, fold};
    let wanted = fold(status);
    let lists = findings
        .iter()
        .map(|f| &f.summary.board_lists)
        .find(|l| l.iter().any(|n| fold(n) == wanted))?;
    let i = lists.iter().position(|n| fold(n) == wanted)?;
    let known: Vec<(usize, Category)> = lists
        .iter()
        .enumerate()
        .filter_map(|(j, n)| Some((j, builtin(n)?)))
        .collect();
    let n = lists.len();
    if known.is_empty() {
        return Some(match i {
            0 => (Category::Todo, "the leftmost list of the board".to_string()),
            i if i == n - 1 => (
                Category::Done,
                "the rightmost list of the board".to_string(),
            ),
            _ => (
                Category::Doing,
                format!(
                    "list {} of {n}, between the first and the last (waiting if it is a queue)",
                    i + 1
                ),
            ),
        });
    }
    let first_known = known[0].0;
    let first_done = known
        .iter()
        .find(|(_, c)| matches!(c, Category::Done | Category::Cancelled))
        .map(|(j, _)| *j);
    if i < first_known {
        return Some((
            Category::Todo,
            format!(
                "left of every list teampulse knows on the board (list {} of {n})",
                i + 1
            ),
        ));
    }
    match first_done {
        Some(d) if i < d => Some((
            Category::Doing,
            format!(
                "between the board's first known list and its done list (list {} of {n}; waiting if it is a queue)",
                i + 1
            ),
        )),
        None => Some((
            Category::Doing,
            format!("after the board's first known list, with no done list (list {} of {n})", i + 1),
        )),
        Some(_) => None,
    }
}

/// The `[statuses]` section: every status the inputs hold, with its category and why.
fn status_section(findings: &[Findings]) -> String {
    let mut out = String::from(
        "# Statuses: todo, doing (being worked), waiting (started but idle: review, blocked),\n\
         # done or cancelled. Names match in any case and with or without accents.\n[statuses]\n",
    );
    let unmapped: BTreeSet<&String> = findings
        .iter()
        .flat_map(|f| {
            f.statuses
                .iter()
                .filter(|(_, (c, _))| c.is_none())
                .map(|(n, _)| n)
        })
        .collect();
    for status in &unmapped {
        match propose(status, findings) {
            Some((cat, why)) => {
                let _ = writeln!(out, "{} = \"{}\"  # {why}", quoted(status), cat.as_str());
            }
            None => {
                let _ = writeln!(
                    out,
                    "# {} = \"\"  # not recognised: pick todo, doing, waiting, done or cancelled",
                    quoted(status)
                );
            }
        }
    }
    let mapped: BTreeMap<&String, Category> = findings
        .iter()
        .flat_map(|f| f.statuses.iter().filter_map(|(n, (c, _))| Some((n, (*c)?))))
        .collect();
    if !mapped.is_empty() {
        out.push_str("# Already placed (change any of them here):\n");
        for (status, cat) in mapped {
            let why = crate::config::statuses::explain(status)
                .map_or("the export's own category".to_string(), |(_, w)| w);
            let _ = writeln!(out, "# {} = \"{}\"  # {why}", quoted(status), cat.as_str());
        }
    }
    out
}

/// A commented starter config from the findings; it parses as it is.
pub fn starter_config(findings: &[Findings]) -> String {
    let mut out = String::from(
        "# teampulse.toml — a starter written by `teampulse init` from what the inputs hold.\n\
         # Every key is optional; delete what you do not need. See the README for all keys.\n\n\
         # Zone of timestamps without an offset (Jira, ServiceNow and most exports write local\n\
         # times). Without it they are read as UTC.\n# timezone = \"Europe/Berlin\"\n\n",
    );
    let people: BTreeSet<&String> = findings.iter().flat_map(|f| f.people.iter()).collect();
    let bots: Vec<&&String> = people
        .iter()
        .filter(|p| crate::config::looks_like_bot(p))
        .collect();
    out.push_str(
        "# Automation accounts: never check-ins, never on a roster. Names that look like\n\
         # automation are proposed here, commented out: check them, then remove the `#`.\n",
    );
    let list: Vec<String> = bots.iter().map(|b| quoted(b)).collect();
    let _ = writeln!(out, "# bots = [{}]\n", list.join(", "));
    let teams: BTreeSet<&String> = findings.iter().flat_map(|f| f.teams.iter()).collect();
    let mut slugs = BTreeSet::new();
    for team in teams {
        let slug = slugify(team);
        if !slugs.insert(slug.clone()) {
            continue;
        }
        let _ = writeln!(
            out,
            "[teams.{slug}]\nname = {}\nmatch = [{}]",
            quoted(team),
            quoted(team)
        );
        out.push_str("# members = [] # the roster: idle members count in load balance\n# timezone = \"UTC\"\n\n");
    }
    out.push_str(&status_section(findings));
    out.push_str("\n[capacity]\ndefault = 1.0\nwip_per_capacity = 2.0\n\n[targets]\n# sle_days = 10\nsle_hit_rate = 0.85\n");
    for f in findings {
        let name = std::path::Path::new(&f.summary.path)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n# {} was read as {}.\n# [inputs.{}]\n# timezone = \"UTC\"\n# format = \"{}\"",
            f.summary.path,
            f.summary.format,
            quoted(&name),
            f.summary.format
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clear_automation_accounts_look_like_bots() {
        for name in [
            "Talbot",
            "Abbott",
            "Ramsbottom",
            "Cabot",
            "Automation Annie",
        ] {
            assert!(!crate::config::looks_like_bot(name), "{name}");
        }
        for name in [
            "renovate[bot]",
            "Jira Automation",
            "system",
            "tracker-bot",
            "jenkins",
        ] {
            assert!(crate::config::looks_like_bot(name), "{name}");
        }
    }

    #[test]
    fn toml_strings_escape_control_characters() {
        let q = quoted("a\0b\"c\\\u{1b}");
        let parsed: toml::Table = toml::from_str(&format!("x = {q}")).unwrap();
        assert_eq!(parsed["x"].as_str(), Some("a\0b\"c\\\u{1b}"));
    }
}
