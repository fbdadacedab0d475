//! What changed since the previous build: every KPI whose status moved, per team, as
//! `data/changes.json` and a short `data/changes.md` fit to post into a chat channel.
//!
//! Each build keeps, in `changes.json`, the baseline it compared with (every KPI's status and
//! value, no names), so a rebuild for the same as-of time compares with the same baseline
//! again: byte-identical when nothing else changed, and right when the config did.

use serde::{Deserialize, Serialize};

use super::overview::{Overview, OverviewTeam};
use crate::kpi::Status;

/// `data/changes.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Changes {
    /// The previous build's as-of time; `None` on a first build.
    pub since: Option<String>,
    /// This build's as-of time.
    pub as_of: String,
    /// Teams with a change, in slug order.
    pub teams: Vec<TeamChanges>,
    /// Teams the previous build had and this one has not.
    pub gone: Vec<String>,
    /// What this build compared with: the previous build's statuses and values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
}

/// Every KPI's status and value in a build, by team: what the next build compares with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub as_of: String,
    pub teams: Vec<BaseTeam>,
}

/// One team of a baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaseTeam {
    pub team: String,
    pub slug: String,
    pub kpis: Vec<BaseKpi>,
}

/// One KPI of a baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaseKpi {
    pub id: String,
    #[serde(flatten)]
    pub state: State,
}

/// The seconds of an RFC 3339 time.
pub fn seconds(time: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(time)
        .ok()
        .map(|t| t.timestamp())
}

impl Baseline {
    /// Whether it is of a real time before `now` (a baseline read back from a file is checked
    /// before its time is quoted anywhere).
    pub fn before(&self, now: &str) -> bool {
        matches!((seconds(&self.as_of), seconds(now)), (Some(a), Some(b)) if a < b)
    }

    /// A build's statuses and values, from its `kpis.json`.
    pub fn of(o: &Overview) -> Baseline {
        Baseline {
            as_of: o.as_of.clone(),
            teams: o
                .teams
                .iter()
                .map(|t| BaseTeam {
                    team: t.team.clone(),
                    slug: t.slug.clone(),
                    kpis: t
                        .kpis
                        .iter()
                        .map(|k| BaseKpi {
                            id: k.id.as_str().to_string(),
                            state: state(k),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// One team's changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamChanges {
    pub team: String,
    pub slug: String,
    /// Not on the previous build.
    pub new_team: bool,
    pub kpis: Vec<KpiChange>,
}

/// A KPI whose status moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiChange {
    pub id: String,
    pub name: String,
    /// Before (absent: the KPI is new).
    pub from: Option<State>,
    pub to: State,
    /// Why it has its status now, in a few words (as the team page says it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The first few tasks or people behind it now.
    pub flagged: Vec<String>,
}

/// A KPI's status and value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub status: Status,
    pub value: Option<f64>,
}

/// Most flagged items a change names.
const SHOWN: usize = 3;

fn state(k: &crate::kpi::Kpi) -> State {
    State {
        status: k.status,
        value: k.value,
    }
}

/// A team's changes; a team new since the baseline is listed with the KPIs it has off target.
fn team_changes(now: &OverviewTeam, before: Option<&BaseTeam>) -> Option<TeamChanges> {
    let kpis: Vec<KpiChange> = now
        .kpis
        .iter()
        .filter_map(|k| {
            let was = before.and_then(|b| b.kpis.iter().find(|p| p.id == k.id.as_str()));
            let moved = match was {
                Some(p) => p.state.status != k.status,
                None => matches!(k.status, Status::Alert | Status::Warn),
            };
            moved.then(|| KpiChange {
                id: k.id.as_str().to_string(),
                name: k.name.to_string(),
                from: was.map(|p| p.state.clone()),
                to: state(k),
                reason: k.reason.clone(),
                flagged: k.flagged.iter().take(SHOWN).cloned().collect(),
            })
        })
        .collect();
    (before.is_none() || !kpis.is_empty()).then(|| TeamChanges {
        team: now.team.clone(),
        slug: now.slug.clone(),
        new_team: before.is_none(),
        kpis,
    })
}

/// The changes from `baseline` (what the previous build published) to `now`; without one
/// (a first build), nothing is said.
pub fn compare(baseline: Option<&Baseline>, now: &Overview) -> Changes {
    let Some(prev) = baseline else {
        return Changes {
            since: None,
            as_of: now.as_of.clone(),
            teams: Vec::new(),
            gone: Vec::new(),
            baseline: None,
        };
    };
    let mut teams: Vec<TeamChanges> = now
        .teams
        .iter()
        .filter_map(|t| team_changes(t, prev.teams.iter().find(|p| p.slug == t.slug)))
        .collect();
    teams.sort_by(|a, b| a.slug.cmp(&b.slug));
    let mut gone: Vec<String> = prev
        .teams
        .iter()
        .filter(|p| !now.teams.iter().any(|t| t.slug == p.slug))
        .map(|p| p.team.clone())
        .collect();
    gone.sort();
    Changes {
        since: Some(prev.as_of.clone()),
        as_of: now.as_of.clone(),
        teams,
        gone,
        baseline: Some(prev.clone()),
    }
}

/// The part of `c` about one team (a `--split-teams` site, which holds nothing of other
/// teams), or all of it.
pub fn only(mut c: Changes, slug: Option<&str>) -> Changes {
    if let Some(slug) = slug {
        c.teams.retain(|t| t.slug == slug);
        c.gone.clear();
        if let Some(b) = &mut c.baseline {
            b.teams.retain(|t| t.slug == slug);
        }
    }
    c
}

/// The baseline of several shards (`teampulse index`): their teams together, as of the
/// earliest; `None` when no shard has one.
pub fn merge(parts: Vec<Baseline>, now: &str) -> Option<Baseline> {
    let parts: Vec<Baseline> = parts.into_iter().filter(|b| b.before(now)).collect();
    let as_of = parts.iter().map(|b| b.as_of.clone()).min()?;
    let mut teams: Vec<BaseTeam> = parts.into_iter().flat_map(|b| b.teams).collect();
    teams.sort_by(|a, b| a.slug.cmp(&b.slug));
    Some(Baseline { as_of, teams })
}

/// `data/changes.json` and `data/changes.md`.
pub fn files(c: &Changes) -> serde_json::Result<(Vec<u8>, Vec<u8>)> {
    let mut json = serde_json::to_vec_pretty(c)?;
    json.push(b'\n');
    Ok((json, markdown(c).into_bytes()))
}

/// `data/changes.md`: one line per team with a change, plain words.
pub fn markdown(c: &Changes) -> String {
    let Some(since) = &c.since else {
        return format!(
            "teampulse, as of {}: no earlier build here to compare with; later builds say what \
             changed since.\n",
            c.as_of
        );
    };
    let mut out = format!(
        "teampulse: what changed since {} (as of {})\n\n",
        chat_text(since),
        chat_text(&c.as_of)
    );
    let lines = lines(c);
    if lines.is_empty() {
        out.push_str("No KPI changed status.\n");
    }
    for line in lines {
        out.push_str(&format!("- {}\n", chat_text(&line.head)));
        for k in line.kpis {
            out.push_str(&format!("  - {}\n", chat_text(&k)));
        }
    }
    out
}

/// Text safe to post into a chat channel: `&`, `<` and `>` as entities (Slack's `<!channel>`
/// and `<url|text>`), `[` and `]` escaped (Markdown links), a zero-width space after an `@`
/// that starts a word (`@everyone`, `@here`) and inside `://` and `www.` (bare links), and line
/// and paragraph separators as spaces, so that no team, person or label can mention anyone or
/// make a link.
fn chat_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous = ' ';
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '@' if !previous.is_alphanumeric() => out.push_str("@\u{200B}"),
            // `https://x` and `www.x`: no longer a link a chat would make.
            '/' if previous == ':' => out.push_str("/\u{200B}"),
            '.' if out.ends_with("www") => out.push_str("\u{200B}."),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => out.push(' '),
            c => out.push(c),
        }
        previous = c;
    }
    out
}

/// What changed for one team, in plain words: a line for the team, and one per KPI.
#[derive(Serialize)]
pub struct Lines {
    pub head: String,
    pub kpis: Vec<String>,
}

/// Per team with a change: "Mobile:" and "Load balance back to ok (from warn)."…; a new team
/// with the KPIs it has off target, a team gone in its head alone.
pub fn lines(c: &Changes) -> Vec<Lines> {
    let mut out = Vec::new();
    for t in &c.teams {
        out.push(Lines {
            head: match t.new_team {
                true => format!("{}: new on the site.", t.team),
                false => format!("{}:", t.team),
            },
            kpis: t.kpis.iter().map(sentence).collect(),
        });
    }
    for g in &c.gone {
        out.push(Lines {
            head: format!("{g}: no longer on the site."),
            kpis: Vec::new(),
        });
    }
    out
}

/// "Stale work went from ok to alert: 1 of 5 tasks untouched for more than 5 days; longest
/// PLAT-105, 17 days." A KPI back to ok needs no reason.
pub fn sentence(k: &KpiChange) -> String {
    let why = match (&k.reason, k.flagged.is_empty()) {
        _ if k.to.status == Status::Ok => String::new(),
        (Some(r), _) => format!(": {r}"),
        (None, true) => String::new(),
        (None, false) => format!(": {}", k.flagged.join(", ")),
    };
    let (to, na) = (k.to.status.as_str(), Status::NotAvailable);
    let head = match &k.from {
        Some(f) if f.status == na || k.to.status == na => {
            format!("{} now {to} (was {})", k.name, f.status.as_str())
        }
        Some(f) if k.to.status == Status::Ok => {
            format!("{} back to ok (from {})", k.name, f.status.as_str())
        }
        Some(f) => format!("{} went from {} to {to}", k.name, f.status.as_str()),
        None => format!("{} in {to}", k.name),
    };
    format!("{head}{why}.")
}

/// KPIs that newly reached `threshold` or beyond (n/a aside): the ones a nightly gate should
/// fail on once, not every night.
pub fn newly_failing(c: &Changes, threshold: Status) -> Vec<String> {
    let failing = |s: &State| s.status.reaches(threshold);
    c.teams
        .iter()
        .flat_map(|t| {
            t.kpis
                .iter()
                .filter(|k| failing(&k.to) && !k.from.as_ref().is_some_and(failing))
                .map(move |k| format!("{}/{}", t.slug, k.id))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn chat_text_can_neither_mention_nor_link() {
        assert_eq!(
            super::chat_text("[pay](https://x) @everyone <!channel> a@b.c\u{2028}& www.y"),
            "\\[pay\\](https:/\u{200B}/x) @\u{200B}everyone &lt;!channel&gt; a@b.c &amp; www\u{200B}.y"
        );
    }
}
