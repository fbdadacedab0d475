//! Plain values the config names and other stages read: input formats, the day-month order of
//! numeric dates, how people appear. Defined here so that the config needs nothing from the
//! stages that act on them.

use serde::Deserialize;

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// The canonical event log of DESIGN.md.
    Canonical,
    /// Jira issue CSV, Cloud or Server, all or current fields, any supported language.
    Jira,
    /// Jira change history: the jiraone layout or `key,from,to,changed_at,author`.
    JiraHistory,
    /// Trello board JSON export.
    TrelloJson,
    /// Trello CSV export.
    TrelloCsv,
    /// ServiceNow list export (incident, task, sc_task, sc_req_item…).
    Servicenow,
    /// ServiceNow one-row-per-update log (an incident event log).
    ServicenowLog,
    /// ServiceNow `sys_audit` export.
    ServicenowAudit,
    /// Linear CSV export.
    Linear,
    /// Azure DevOps Boards query CSV.
    AzureDevops,
    /// GitLab issues CSV.
    Gitlab,
    /// Asana project CSV.
    Asana,
    /// ClickUp list or workspace CSV.
    Clickup,
    /// GitHub issues as CSV from `gh issue list --json …`.
    Github,
}

impl Format {
    /// One row per task, its current state only: a snapshot, not a history of changes.
    pub fn one_row_per_task(self) -> bool {
        !matches!(
            self,
            Format::Canonical
                | Format::JiraHistory
                | Format::TrelloJson
                | Format::ServicenowLog
                | Format::ServicenowAudit
        )
    }

    /// Name shown in reports and `kpis.json`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Canonical => "canonical",
            Format::Jira => "jira",
            Format::JiraHistory => "jira-history",
            Format::TrelloJson => "trello-json",
            Format::TrelloCsv => "trello-csv",
            Format::Servicenow => "servicenow",
            Format::ServicenowLog => "servicenow-log",
            Format::ServicenowAudit => "servicenow-audit",
            Format::Linear => "linear",
            Format::AzureDevops => "azure-devops",
            Format::Gitlab => "gitlab",
            Format::Asana => "asana",
            Format::Clickup => "clickup",
            Format::Github => "github",
        }
    }
}

/// Order of day and month in numeric dates like `03-04-2026`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Day first (`dd-MM-yyyy`), as in Europe.
    Dmy,
    /// Month first (`MM-dd-yyyy`), as in the US.
    Mdy,
}

/// The `--people` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum PeopleDisplay {
    /// Names as the input writes them.
    #[default]
    Named,
    /// A readable pseudonym ("Brave Otter 3f2a9c01d4e5b7"), the same on every run with the
    /// same secret.
    Pseudonym,
    /// An opaque id ("person-3f2a9c01d4e5b7a6"), the same on every run with the same secret.
    Hidden,
}

impl PeopleDisplay {
    /// Its name, as `--people` takes it.
    pub fn name(self) -> &'static str {
        match self {
            PeopleDisplay::Named => "named",
            PeopleDisplay::Pseudonym => "pseudonym",
            PeopleDisplay::Hidden => "hidden",
        }
    }
}
