//! The formats teampulse reads: detection from the header or JSON shape, and one `match` to
//! dispatch to each adapter.

use anyhow::Result;

pub use crate::config::Format;

use super::{canonical, jira, jira_history, servicenow, simple, trello, Sink, Source};

impl Format {
    /// What a file of this format needs to date finished work, for n/a reasons.
    pub fn finish_hint(self) -> &'static str {
        match self {
            Format::Canonical => "add the status events that move tasks into a done status",
            Format::Jira => "add the Resolved column to the export (or a changelog export)",
            Format::JiraHistory => "add status changes into a done status to the changelog",
            Format::TrelloJson => "export the board with its actions (list moves into Done)",
            Format::TrelloCsv => {
                "Trello's CSV has no finish dates: export the board as JSON (it has list moves)"
            }
            Format::Servicenow => {
                "add the Resolved column to the list export (ServiceNow: resolved_at, or closed_at)"
            }
            Format::ServicenowLog | Format::ServicenowAudit => {
                "add the state changes into Resolved or Closed"
            }
            Format::Linear => "add the Completed column to the export",
            Format::AzureDevops => "add the Closed Date column to the query",
            Format::Gitlab => "add the Closed At (UTC) column to the export",
            Format::Asana => "add the Completed At column to the export",
            Format::Clickup => "add the Date Done column to the export",
            Format::Github => "add closedAt to the `gh issue list --json` fields",
        }
    }

    /// Where a history of status changes comes from for this format, for n/a reasons.
    pub fn history_hint(self) -> &'static str {
        match self {
            Format::Canonical => "add status events for every change of status",
            Format::Jira => "add a changelog export (jira-history)",
            Format::JiraHistory => "add every status change to the changelog",
            Format::TrelloJson => "export the board with its actions",
            Format::TrelloCsv => "export the board as JSON (it has list moves)",
            Format::Servicenow => "add a sys_audit export of the state changes",
            Format::ServicenowLog | Format::ServicenowAudit => "add every state change",
            Format::Linear
            | Format::AzureDevops
            | Format::Gitlab
            | Format::Asana
            | Format::Clickup
            | Format::Github => "this export has no history of status changes",
        }
    }

    /// What a file of this format needs to date the start of work, for n/a reasons.
    pub fn start_hint(self) -> &'static str {
        match self {
            Format::Canonical => "add the status events that move tasks into a started status",
            Format::Jira => "add a changelog export (jira-history) for the dates work started",
            Format::JiraHistory => "add status changes into a started status to the changelog",
            Format::TrelloJson => "export the board with its actions (list moves)",
            Format::TrelloCsv => {
                "Trello's CSV has no start dates: export the board as JSON (it has list moves)"
            }
            Format::Servicenow => {
                "add the work_start column or a sys_audit export of the state changes"
            }
            Format::ServicenowLog | Format::ServicenowAudit => {
                "add the state changes into a started state"
            }
            Format::Linear => "add the Started column to the export",
            Format::AzureDevops => "add the Activated Date column to the query",
            Format::Gitlab | Format::Asana | Format::Clickup | Format::Github => {
                "this export has no start dates: a history of status changes is needed"
            }
        }
    }

    /// Detects the format of a decoded file, or says why none fits.
    pub fn detect(text: &str) -> Result<Format, String> {
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            return if trimmed.contains("\"actions\"") && trimmed.contains("\"cards\"") {
                Ok(Format::TrelloJson)
            } else {
                Err("JSON that is not a Trello board export (no \"actions\" and \"cards\")".into())
            };
        }
        let delimiter = super::table::sniff_delimiter(trimmed);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(trimmed.as_bytes());
        let mut record = csv::StringRecord::new();
        let header: Vec<String> = match reader.read_record(&mut record) {
            Ok(true) => record.iter().map(|h| h.trim().to_lowercase()).collect(),
            _ => Vec::new(),
        };
        let has = |name: &str| header.iter().any(|h| h == name);
        let any = |names: &[&str]| names.iter().any(|n| has(n));
        let format = if has("task_id") && any(&["timestamp", "event"]) {
            Format::Canonical
        } else if (has("issue key") && has("field") && any(&["to string", "tostring"]))
            || (any(&["key", "issue key", "issue"])
                && has("to")
                && any(&["changed_at", "changed", "created"])
                && has("from"))
        {
            Format::JiraHistory
        } else if has("task id")
            && has("task name")
            && any(&["date created", "date created (unix)"])
        {
            // Before the formats below: a ClickUp custom field may be called Number or State.
            Format::Clickup
        } else if has("documentkey") && has("fieldname") && has("newvalue") {
            Format::ServicenowAudit
        } else if has("number") && has("sys_mod_count") && has("sys_updated_at") {
            // List exports write `sys_updated_on`; the per-update log writes `sys_updated_at`.
            Format::ServicenowLog
        } else if has("number") && has("title") && has("state") && any(&["createdat", "created_at"])
        {
            Format::Github
        } else if any(&["number"]) && any(&["state", "incident_state"]) {
            Format::Servicenow
        } else if has("card id") && has("card name") {
            Format::TrelloCsv
        } else if has("id")
            && has("title")
            && has("status")
            && any(&["started", "completed", "canceled"])
        {
            Format::Linear
        } else if has("id") && has("work item type") && has("state") {
            Format::AzureDevops
        } else if any(&["issue id", "iid"]) && has("state") && has("created at (utc)") {
            Format::Gitlab
        } else if has("task id") && has("name") && has("created at") {
            Format::Asana
        } else if any(jira::KEY_NAMES) {
            Format::Jira
        } else {
            let shown: Vec<&str> = header.iter().take(12).map(String::as_str).collect();
            return Err(format!(
                "not a recognised export: the first line has none of the columns teampulse knows \
                 (it starts: {}); the canonical event log needs task_id, timestamp and event — or \
                 name the format with --format",
                shown.join(", ")
            ));
        };
        Ok(format)
    }

    /// Reads a file of this format.
    pub fn read(self, source: &Source, sink: &mut Sink) -> Result<()> {
        match self {
            Format::Canonical => canonical::read(source, sink),
            Format::Jira => jira::read(source, sink),
            Format::JiraHistory => jira_history::read(source, sink),
            Format::TrelloJson => trello::read_json(source, sink),
            Format::TrelloCsv => trello::read_csv(source, sink),
            Format::Servicenow => servicenow::read_list(source, sink),
            Format::ServicenowLog => servicenow::read_log(source, sink),
            Format::ServicenowAudit => servicenow::read_audit(source, sink),
            Format::Linear => simple::read_linear(source, sink),
            Format::AzureDevops => simple::read_azure(source, sink),
            Format::Gitlab => simple::read_gitlab(source, sink),
            Format::Asana => simple::read_asana(source, sink),
            Format::Clickup => simple::read_clickup(source, sink),
            Format::Github => simple::read_github(source, sink),
        }
    }
}
