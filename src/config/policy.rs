//! Team policy: KPI targets, what counts as unplanned work and what names mean blocked.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::statuses::fold;
use super::Config;

/// KPI targets. All are team policy, editable here.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Targets {
    /// Service level expectation: 85 % of tasks finish within this many days. Default: the P85
    /// of the previous 90 days.
    pub sle_days: Option<u32>,
    /// Share of finished tasks that should meet the SLE.
    pub sle_hit_rate: f64,
    /// Weeks of throughput history that define the team's normal range.
    pub throughput_weeks: usize,
    /// Share of WIP allowed above the SLE age.
    pub aging_above_sle_max: f64,
    /// Share of finished tasks' cycle time spent blocked: ok up to this, warn up to twice it.
    pub blocked_time_max: f64,
    /// Share of finished work that is unplanned: ok up to this, warn up to `unplanned_alert`.
    pub unplanned_max: f64,
    /// Share of finished work that is unplanned beyond which it is an alert.
    pub unplanned_alert: f64,
    /// Finished ÷ committed per iteration: ok within this band (low, high), warn within
    /// `iteration_warn`, else alert.
    pub iteration_ok: (f64, f64),
    /// Finished ÷ committed: warn within this band, alert outside it.
    pub iteration_warn: (f64, f64),
    /// Hand-offs with the what, the why and the expected outcome: ok from this share, warn
    /// from 20 points below.
    pub handoff_clarity_min: f64,
    /// Finished work new to whoever finished it: ok within this band, warn outside.
    pub stretch_band: (f64, f64),
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            sle_days: None,
            sle_hit_rate: 0.85,
            throughput_weeks: 12,
            aging_above_sle_max: 0.15,
            blocked_time_max: 0.10,
            unplanned_max: 0.30,
            unplanned_alert: 0.50,
            iteration_ok: (0.8, 1.2),
            iteration_warn: (0.6, 1.5),
            handoff_clarity_min: 0.8,
            stretch_band: (0.1, 0.3),
        }
    }
}

/// A change in how a team works (`[[decisions]]`): the KPIs are compared before and after it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// When it took effect, `YYYY-MM-DD`.
    pub date: String,
    /// The team it concerns (slug or name); every team when absent.
    #[serde(default)]
    pub team: Option<String>,
    /// What was decided, in a few words ("WIP limit of 2").
    pub text: String,
}

/// Status and label names that mean blocked, folded (lower case, no accents).
const BLOCKED_NAMES: &[&str] = &[
    "blocked",
    "blocker",
    "impediment",
    "impeded",
    "flagged",
    "bloqueado",
    "bloqueada",
    "impedimento",
    "bloque",
    "bloquee",
    "blockiert",
    "behindert",
    "bloccato",
    "bloccata",
    "impedito",
];

/// What counts as unplanned work (`[work_mix]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkMixConfig {
    /// Types of unplanned work (compared ignoring case and accents).
    pub unplanned_types: Vec<String>,
    /// Labels of unplanned work.
    pub unplanned_labels: Vec<String>,
}

impl Default for WorkMixConfig {
    fn default() -> Self {
        WorkMixConfig {
            unplanned_types: ["Bug", "Incident", "Defect", "Problem", "Hotfix"]
                .map(String::from)
                .to_vec(),
            unplanned_labels: ["unplanned", "hotfix", "incident"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl Config {
    /// Whether a status or label name means blocked.
    pub fn is_blocked_name(&self, name: &str) -> bool {
        let folded = fold(name);
        !folded.is_empty()
            && (BLOCKED_NAMES.contains(&folded.as_str())
                || self.blocked.iter().any(|b| fold(b) == folded))
    }

    /// What counts as unplanned work, its names folded once (a team's types and labels are
    /// then each folded once, not once per task or configured name).
    pub fn unplanned(&self) -> Unplanned {
        Unplanned {
            types: Folded::new(&self.work_mix.unplanned_types),
            labels: Folded::new(&self.work_mix.unplanned_labels),
        }
    }
}

/// Unplanned types and labels, folded (see [`Config::unplanned`]).
pub struct Unplanned {
    types: Folded,
    labels: Folded,
}

impl Unplanned {
    /// Whether a finished task of this type and these labels was unplanned work (names
    /// compared ignoring case and accents).
    pub fn is<L: AsRef<str>>(&self, item_type: Option<&str>, labels: &[L]) -> bool {
        item_type.is_some_and(|t| self.types.holds(t))
            || labels.iter().any(|l| self.labels.holds(l.as_ref()))
    }
}

/// Names folded once, and each text asked about with the answer: folding is three copies of
/// the text, and a team has a few types and labels over thousands of tasks.
struct Folded {
    names: Vec<String>,
    seen: RefCell<FxHashMap<String, bool>>,
}

impl Folded {
    fn new(names: &[String]) -> Folded {
        Folded {
            names: names.iter().map(|n| fold(n)).collect(),
            seen: Default::default(),
        }
    }

    /// Whether `raw` folds to one of the names.
    fn holds(&self, raw: &str) -> bool {
        if let Some(&known) = self.seen.borrow().get(raw) {
            return known;
        }
        let found = self.names.contains(&fold(raw));
        self.seen.borrow_mut().insert(raw.to_string(), found);
        found
    }
}

/// Names that are clearly automation accounts: one with the whole word `bot` (`[bot]`,
/// `tracker-bot`), or made only of automation words (`Jira Automation`, `system`,
/// `github-actions`) — never a surname like Talbot or a person called Automation Annie.
pub fn looks_like_bot(name: &str) -> bool {
    const AUTOMATION: &[&str] = &[
        "automation",
        "for",
        "jira",
        "system",
        "jenkins",
        "github",
        "actions",
        "integration",
        "service",
        "ci",
        "bot",
        "tracker",
        "workflow",
        "scheduler",
        "servicenow",
    ];
    let l = name.to_lowercase();
    let words: Vec<&str> = l
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.contains(&"bot")
        || (!words.is_empty()
            && words
                .iter()
                .all(|w| AUTOMATION.contains(w) || w.chars().all(|c| c.is_ascii_digit())))
}
