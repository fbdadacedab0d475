//! Jira issue CSV: Cloud and Server, "all fields" and "current fields", headers in English,
//! Spanish, Portuguese, French or German. One row per issue; repeated columns (Labels,
//! Components, Comment…) by occurrence; comments become check-ins with their authors.

use std::collections::BTreeMap;

use anyhow::Result;

use super::snapshot::{emit, Comment, TaskRow};
use super::table::{Row, Table};
use super::{ShapeGuard, Sink, Source};
use crate::config::statuses;
use crate::model::error::Failure;
use crate::model::Category;

/// Header names of the issue key, the column that identifies a Jira export.
pub const KEY_NAMES: &[&str] = &[
    "issue key",
    "clave de incidencia",
    "chave da item",
    "chave do item",
    "chave",
    "clé de ticket",
    "clé",
    "vorgangsschlüssel",
    "schlüssel",
];

const SUMMARY: &[&str] = &["Summary", "Resumen", "Resumo", "Résumé", "Zusammenfassung"];
const TYPE: &[&str] = &[
    "Issue Type",
    "Tipo de Incidencia",
    "Tipo de item",
    "Tipo de ticket",
    "Type de ticket",
    "Vorgangstyp",
];
const STATUS: &[&str] = &["Status", "Estado", "Statut"];
const CATEGORY: &[&str] = &[
    "Status Category",
    "Categoría de estado",
    "Categoria de status",
    "Catégorie de statut",
    "Catégorie d'état",
    "Statuskategorie",
];
const CATEGORY_CHANGED: &[&str] = &[
    "Status Category Changed",
    "Categoría de estado cambiada",
    "Categoria de status alterada",
    "Catégorie de statut modifiée",
    "Statuskategorie geändert",
];
const PROJECT_KEY: &[&str] = &[
    "Project key",
    "Clave del proyecto",
    "Chave do projeto",
    "Clé de projet",
    "Projektschlüssel",
];
const PROJECT_NAME: &[&str] = &[
    "Project name",
    "Nombre del proyecto",
    "Nome do projeto",
    "Nom du projet",
    "Projektname",
];
const PRIORITY: &[&str] = &[
    "Priority",
    "Prioridad",
    "Prioridade",
    "Priorité",
    "Priorität",
];
const RESOLUTION: &[&str] = &[
    "Resolution",
    "Resolución",
    "Resolução",
    "Résolution",
    "Lösung",
];
const ASSIGNEE: &[&str] = &[
    "Assignee",
    "Persona asignada",
    "Responsável",
    "Responsable",
    "Zugewiesene Person",
    "Bearbeiter",
];
const ASSIGNEE_ID: &[&str] = &[
    "Assignee Id",
    "ID de la persona asignada",
    "ID do responsável",
    "ID du responsable",
    "ID der zugewiesenen Person",
];
const REPORTER: &[&str] = &["Reporter", "Informador", "Relator", "Rapporteur", "Autor"];
const REPORTER_ID: &[&str] = &[
    "Reporter Id",
    "ID del informador",
    "ID do relator",
    "ID du rapporteur",
    "ID des Autors",
];
const CREATOR: &[&str] = &["Creator", "Creador", "Criador", "Créateur", "Ersteller"];
const CREATOR_ID: &[&str] = &[
    "Creator Id",
    "ID del creador",
    "ID do criador",
    "ID du créateur",
    "Ersteller-ID",
];
const CREATED: &[&str] = &[
    "Created",
    "Creada",
    "Criado",
    "Création",
    "Créé",
    "Erstellt",
];
const UPDATED: &[&str] = &[
    "Updated",
    "Actualizada",
    "Atualizado",
    "Mise à jour",
    "Mis à jour",
    "Aktualisiert",
];
const RESOLVED: &[&str] = &["Resolved", "Resuelta", "Resolvido", "Résolu", "Erledigt"];
const DUE: &[&str] = &[
    "Due date",
    "Due Date",
    "Fecha de vencimiento",
    "Data limite",
    "Date d'échéance",
    "Fälligkeitsdatum",
];
const LABELS: &[&str] = &[
    "Labels",
    "Etiquetas",
    "Rótulos",
    "Étiquettes",
    "Stichwörter",
];
const COMPONENTS: &[&str] = &[
    "Components",
    "Component/s",
    "Componentes",
    "Composants",
    "Komponenten",
];
const COMMENT: &[&str] = &[
    "Comment",
    "Comentario",
    "Comentário",
    "Commentaire",
    "Kommentar",
];
const TEAM: &[&str] = &[
    "Custom field (Team)",
    "Campo personalizado (Team)",
    "Campo personalizado (Equipe)",
    "Champ personnalisé (Team)",
    "Benutzerdefiniertes Feld (Team)",
];

const FLAGGED: &[&str] = &[
    "Flagged",
    "Custom field (Flagged)",
    "Campo personalizado (Flagged)",
    "Campo personalizado (Marcado)",
    "Champ personnalisé (Flagged)",
    "Benutzerdefiniertes Feld (Flagged)",
];
const DESCRIPTION: &[&str] = &[
    "Description",
    "Descripción",
    "Descrição",
    "Beschreibung",
    "Descrizione",
];
const PARENT: &[&str] = &[
    "Parent key",
    "Custom field (Epic Link)",
    "Campo personalizado (Epic Link)",
    "Parent",
    "Clave principal",
    "Chave pai",
];
const SPRINT: &[&str] = &[
    "Sprint",
    "Custom field (Sprint)",
    "Campo personalizado (Sprint)",
];

/// A Status Category value in any of Jira's languages (`To Do`, `Itens Pendentes`, `En curso`,
/// `Listo`, `Itens concluídos`…): Jira has three categories, so a waiting name is in progress.
fn category(name: &str) -> Option<Category> {
    match statuses::builtin(name)? {
        Category::Waiting => Some(Category::Doing),
        Category::Cancelled => None,
        c => Some(c),
    }
}

/// The category of an issue whose export has no Status Category: an empty Resolution means
/// unresolved — never done or cancelled, whatever the status is called, unless the config maps
/// that status itself; a cancelling resolution means cancelled; any other means done.
fn resolution_category(
    status: Option<&str>,
    resolution: Option<&str>,
    cancelled: bool,
    sink: &Sink,
    line: u64,
) -> Option<Category> {
    match resolution {
        Some(_) if cancelled => Some(Category::Cancelled),
        Some(_) => Some(Category::Done),
        None => {
            let name = status?;
            if sink.settings.config.configured_category(name).is_some() {
                return None;
            }
            match sink.settings.config.category_of(name) {
                Some(Category::Done | Category::Cancelled) => {
                    sink.note(
                        line,
                        format!(
                            "status '{name}' without a Resolution: counted as open, not \
                             finished (map '{name}' under [statuses] if your workflow never \
                             sets a resolution)"
                        ),
                    );
                    Some(Category::Todo)
                }
                other => other,
            }
        }
    }
}

/// Reads a Jira issue CSV.
pub fn read(source: &Source, sink: &mut Sink) -> Result<()> {
    let table = Table::read(source, sink);
    let key = table
        .col(KEY_NAMES)
        .ok_or_else(|| Failure::Input(format!("{}: line 1: no issue key column", source.path)))?;
    let c = Cols::find(&table);
    let names = people_names(&table, &c);
    let others = table.other_people();
    let guard = ShapeGuard::default();
    for row in &table.rows {
        sink.line = row.line;
        row.keep_people(&[c.assignee, c.reporter, c.creator], sink);
        row.keep_people(&others, sink);
        match task_row(row, key, &c, &names, &guard, sink) {
            Ok(task) => emit(task, sink),
            Err(reason) => {
                // A kept row's comment authors are its events' actors.
                for text in row.all(&c.comments) {
                    let who = text.split(';').nth(1).unwrap_or("").trim();
                    sink.other_name(names.get(who).map_or(who, String::as_str));
                }
                sink.reject(source.path, row.line, reason)
            }
        }
    }
    Ok(())
}

struct Cols {
    summary: Option<usize>,
    item_type: Option<usize>,
    status: Option<usize>,
    category: Option<usize>,
    category_changed: Option<usize>,
    project_key: Option<usize>,
    project_name: Option<usize>,
    priority: Option<usize>,
    resolution: Option<usize>,
    assignee: Option<usize>,
    assignee_id: Option<usize>,
    reporter: Option<usize>,
    reporter_id: Option<usize>,
    creator: Option<usize>,
    creator_id: Option<usize>,
    created: Option<usize>,
    updated: Option<usize>,
    resolved: Option<usize>,
    due: Option<usize>,
    team: Option<usize>,
    labels: Vec<usize>,
    comments: Vec<usize>,
    flagged: Option<usize>,
    sprints: Vec<usize>,
    description: Option<usize>,
    parent: Option<usize>,
}

impl Cols {
    fn find(t: &Table) -> Cols {
        let mut labels = t.cols(LABELS);
        labels.extend(t.cols(COMPONENTS));
        Cols {
            summary: t.col(SUMMARY),
            item_type: t.col(TYPE),
            status: t.col(STATUS),
            category: t.col(CATEGORY),
            category_changed: t.col(CATEGORY_CHANGED),
            project_key: t.col(PROJECT_KEY),
            project_name: t.col(PROJECT_NAME),
            priority: t.col(PRIORITY),
            resolution: t.col(RESOLUTION),
            assignee: t.col(ASSIGNEE),
            assignee_id: t.col(ASSIGNEE_ID),
            reporter: t.col(REPORTER),
            reporter_id: t.col(REPORTER_ID),
            creator: t.col(CREATOR),
            creator_id: t.col(CREATOR_ID),
            created: t.col(CREATED),
            updated: t.col(UPDATED),
            resolved: t.col(RESOLVED),
            due: t.col(DUE),
            team: t.col(TEAM),
            labels,
            comments: t.cols(COMMENT),
            flagged: t.col(FLAGGED),
            sprints: t.cols(SPRINT),
            description: t.col(DESCRIPTION),
            parent: t.col(PARENT),
        }
    }
}

/// Account id → display name, from every (id, name) column pair in the file: comment authors
/// are written as account ids in Jira Cloud.
fn people_names(t: &Table, c: &Cols) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for (id, name) in [
        (c.assignee_id, c.assignee),
        (c.reporter_id, c.reporter),
        (c.creator_id, c.creator),
    ] {
        for row in &t.rows {
            if let (Some(i), Some(n)) = (row.get(id), row.get(name)) {
                names.insert(i.to_string(), n.to_string());
            }
        }
    }
    names
}

fn task_row(
    row: &Row,
    key: usize,
    c: &Cols,
    names: &BTreeMap<String, String>,
    guard: &ShapeGuard,
    sink: &Sink,
) -> Result<TaskRow, String> {
    let dates = sink.settings.dates;
    let date = |col: Option<usize>, what: &str| -> Result<Option<i64>, String> {
        row.get(col)
            .map(|v| {
                guard.check(what, v, row.line)?;
                dates.instant(v).map_err(|e| format!("{what}: {e}"))
            })
            .transpose()
    };
    let key = row.get(Some(key)).ok_or("empty issue key")?.to_string();
    let created = date(c.created, "Created")?;
    let resolved = date(c.resolved, "Resolved")?;
    let changed = date(c.category_changed, "Status Category Changed")?;
    let status = row.get(c.status);
    let resolution = row.get(c.resolution);
    let cancelled_res = resolution.is_some_and(statuses::cancelled_resolution);
    let category = match row.get(c.category).and_then(category) {
        // The export's Status Category wins; a cancelling resolution makes done cancelled.
        Some(Category::Done) if cancelled_res => Some(Category::Cancelled),
        Some(cat) => Some(cat),
        // Without it, the Resolution decides whether the issue is finished and how.
        None if c.resolution.is_some() => {
            resolution_category(status, resolution, cancelled_res, sink, row.line)
        }
        None => None,
    };
    let finished_at = resolved.or(changed
        .filter(|_| category == Some(Category::Done) || category == Some(Category::Cancelled)));
    let person =
        |name: Option<usize>, id: Option<usize>| row.get(name).or(row.get(id)).map(str::to_string);
    let mut comments = Vec::new();
    for text in row.all(&c.comments) {
        // `date;author;body`: split on the first two `;` only, the body may hold more.
        let mut parts = text.splitn(3, ';');
        let (when, who) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or("").trim(),
        );
        let ts = dates.instant(when).map_err(|e| format!("Comment: {e}"))?;
        let author =
            (!who.is_empty()).then(|| names.get(who).cloned().unwrap_or_else(|| who.to_string()));
        comments.push(Comment { ts, author });
    }
    Ok(TaskRow {
        key,
        title: row.get(c.summary).map(str::to_string),
        item_type: row.get(c.item_type).map(str::to_string),
        priority: row.get(c.priority).map(str::to_string),
        team: sink.team(
            row.get(c.team)
                .or(row.get(c.project_name))
                .or(row.get(c.project_key)),
        ),
        status: status.map(str::to_string),
        category,
        assignees: person(c.assignee, c.assignee_id).into_iter().collect(),
        reporter: person(c.reporter, c.reporter_id).or(person(c.creator, c.creator_id)),
        created,
        // Status Category Changed dates the last move into the in-progress category.
        started: changed.filter(|_| category.is_some_and(Category::is_wip)),
        done: finished_at.filter(|_| category != Some(Category::Cancelled)),
        cancelled: finished_at.filter(|_| category == Some(Category::Cancelled)),
        updated: date(c.updated, "Updated")?,
        due: row
            .get(c.due)
            .map(|d| dates.due(d).map_err(|e| format!("Due date: {e}")))
            .transpose()?,
        labels: row.all(&c.labels).into_iter().map(str::to_string).collect(),
        comments,
        starts_recorded: false,
        // Jira's Flagged field holds "Impediment" (in the site's language) when set.
        blocked: row.get(c.flagged).is_some(),
        // Every sprint the issue was in, oldest first: the last one is its sprint now.
        iterations: row
            .all(&c.sprints)
            .into_iter()
            .map(str::to_string)
            .collect(),
        // Only the description's length and structure are kept, never its text.
        description: c
            .description
            .map(|_| crate::model::Desc::of(row.get(c.description).unwrap_or(""))),
        parent: c
            .parent
            .map(|_| row.get(c.parent).unwrap_or("").to_string()),
    })
}
