//! The built-in status vocabulary: the status names teams write in English, Spanish,
//! Portuguese, French, German, Italian and Dutch, and the categories they mean. Names are
//! compared folded (case, accents and separators ignored: `EN PROGRESO`, `en_progreso` and
//! `En progreso` are one name). An exact name wins; otherwise the name's words are matched
//! against unambiguous keywords (`progress`, `curso`, `andamento`, `cours`, `Arbeit` → doing;
//! `review`, `revisión`, `bloqueado` → waiting…). A name whose keywords point to two categories,
//! or to none, stays unmapped and is reported: never guessed.

use crate::model::Category;

/// A status name folded for comparison: transliterated to ASCII, lower case, every run of
/// other characters one space; a leading step number (`3 - On Hold`, `5_Done`) dropped.
pub fn fold(s: &str) -> String {
    let ascii = deunicode::deunicode(s).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if matches!(c, '\'' | '`') {
            // `won't` is `wont`.
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    let out = out.trim_end().to_string();
    // A workflow step number in front: `3 - on hold`, `5 done`, `01 backlog`.
    match out.split_once(' ') {
        Some((n, rest)) if n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit()) => {
            rest.to_string()
        }
        _ => out,
    }
}

use Category::{Cancelled as C, Doing as D, Done as F, Todo as T, Waiting as W};

/// Whole status names (folded), by language.
const EXACT: &[(&str, Category)] = &[
    // English (and the trackers' own defaults).
    ("backlog", T),
    ("to do", T),
    ("todo", T),
    ("open", T),
    ("opened", T),
    ("new", T),
    ("selected for development", T),
    ("ready", T),
    ("ready for development", T),
    ("ready for dev", T),
    ("triage", T),
    ("icebox", T),
    ("ideas", T),
    ("idea", T),
    ("inbox", T),
    ("planned", T),
    ("assigned", T),
    ("in progress", D),
    ("doing", D),
    ("in development", D),
    ("development", D),
    ("work in progress", D),
    ("active", D),
    ("actief", D),
    ("aktiv", D),
    ("activo", D),
    ("activa", D),
    ("ativo", D),
    ("actif", D),
    ("attivo", D),
    ("started", D),
    ("testing", D),
    ("test", D),
    ("dev", D),
    ("in testing", D),
    ("in test", D),
    ("qa", D),
    ("in qa", D),
    ("in review", W),
    ("code review", W),
    ("review", W),
    ("blocked", W),
    ("on hold", W),
    ("parking", W),
    ("parked", W),
    ("waiting", W),
    ("pending", W),
    ("pending client", W),
    ("awaiting user info", W),
    ("awaiting problem", W),
    ("awaiting vendor", W),
    ("awaiting change", W),
    ("ready for review", W),
    ("ready for qa", W),
    ("ready for test", W),
    ("ready for testing", W),
    ("done", F),
    ("closed", F),
    ("resolved", F),
    ("complete", F),
    ("completed", F),
    ("closed complete", F),
    ("finished", F),
    ("released", F),
    ("deployed", F),
    ("wont do", C),
    ("wont fix", C),
    ("cancelled", C),
    ("canceled", C),
    ("duplicate", C),
    ("rejected", C),
    ("declined", C),
    ("obsolete", C),
    ("removed", C),
    ("closed incomplete", C),
    ("closed skipped", C),
    // Spanish.
    ("por hacer", T),
    ("tareas por hacer", T),
    ("cosas por hacer", T),
    ("pendiente", T),
    ("abierto", T),
    ("abierta", T),
    ("nuevo", T),
    ("nueva", T),
    ("en curso", D),
    ("en progreso", D),
    ("haciendo", D),
    ("en desarrollo", D),
    ("en proceso", D),
    ("pruebas", D),
    ("en pruebas", D),
    ("en revision", W),
    ("revision", W),
    ("bloqueado", W),
    ("bloqueada", W),
    ("en espera", W),
    ("hecho", F),
    ("hecha", F),
    ("listo", F),
    ("lista", F),
    ("terminado", F),
    ("terminada", F),
    ("finalizado", F),
    ("finalizada", F),
    ("completado", F),
    ("completada", F),
    ("cerrado", F),
    ("cerrada", F),
    ("resuelto", F),
    ("resuelta", F),
    ("cancelado", C),
    ("cancelada", C),
    ("descartado", C),
    ("descartada", C),
    ("rechazado", C),
    ("rechazada", C),
    ("duplicado", C),
    ("duplicada", C),
    // Portuguese.
    ("a fazer", T),
    ("tarefas pendentes", T),
    ("itens pendentes", T),
    ("pendente", T),
    ("aberto", T),
    ("aberta", T),
    ("novo", T),
    ("nova", T),
    ("em andamento", D),
    ("em progresso", D),
    ("fazendo", D),
    ("em desenvolvimento", D),
    ("em teste", D),
    ("em testes", D),
    ("em revisao", W),
    ("bloqueado", W),
    ("em espera", W),
    ("aguardando", W),
    ("concluido", F),
    ("concluida", F),
    ("itens concluidos", F),
    ("feito", F),
    ("feita", F),
    ("pronto", F),
    ("resolvido", F),
    ("fechado", F),
    ("fechada", F),
    ("rejeitado", C),
    ("rejeitada", C),
    // French.
    ("a faire", T),
    ("ouvert", T),
    ("ouverte", T),
    ("nouveau", T),
    ("nouvelle", T),
    ("en cours", D),
    ("en developpement", D),
    ("en test", D),
    ("en revue", W),
    ("revue", W),
    ("en attente", W),
    ("bloque", W),
    ("bloquee", W),
    ("termine", F),
    ("terminee", F),
    ("fait", F),
    ("faite", F),
    ("ferme", F),
    ("fermee", F),
    ("resolu", F),
    ("resolue", F),
    ("clos", F),
    ("close", F),
    ("acheve", F),
    ("annule", C),
    ("annulee", C),
    ("rejete", C),
    ("rejetee", C),
    ("abandonne", C),
    ("doublon", C),
    // German.
    ("zu erledigen", T),
    ("offen", T),
    ("neu", T),
    ("in arbeit", D),
    ("in bearbeitung", D),
    ("in entwicklung", D),
    ("im test", D),
    ("in prufung", W),
    ("in uberprufung", W),
    ("blockiert", W),
    ("wartend", W),
    ("wartet", W),
    ("erledigt", F),
    ("fertig", F),
    ("abgeschlossen", F),
    ("geschlossen", F),
    ("gelost", F),
    ("abgebrochen", C),
    ("abgelehnt", C),
    ("storniert", C),
    ("verworfen", C),
    ("duplikat", C),
    // Italian.
    ("da fare", T),
    ("aperto", T),
    ("aperta", T),
    ("nuovo", T),
    ("nuova", T),
    ("in corso", D),
    ("in lavorazione", D),
    ("in sviluppo", D),
    ("in revisione", W),
    ("bloccato", W),
    ("bloccata", W),
    ("in attesa", W),
    ("sospeso", W),
    ("in standby", W),
    ("fatto", F),
    ("fatta", F),
    ("completato", F),
    ("completata", F),
    ("chiuso", F),
    ("chiusa", F),
    ("risolto", F),
    ("terminato", F),
    ("annullato", C),
    ("annullata", C),
    ("rifiutato", C),
    ("duplicato", C),
    ("scartato", C),
    // Dutch.
    ("te doen", T),
    ("nieuw", T),
    ("in uitvoering", D),
    ("bezig", D),
    ("in behandeling", D),
    ("geblokkeerd", W),
    ("wachten", W),
    ("in afwachting", W),
    ("gereed", F),
    ("klaar", F),
    ("afgerond", F),
    ("gesloten", F),
    ("opgelost", F),
    ("voltooid", F),
    ("geannuleerd", C),
    ("afgewezen", C),
    ("vervallen", C),
    ("duplicaat", C),
];

/// Words and phrases (folded) that place a status by themselves. Longer phrases are matched
/// first and consume their words: `listo para verificacion` is waiting (ready for a check),
/// not done (`listo`).
const KEYWORDS: &[(&str, Category)] = &[
    ("ready for dev", T),
    ("ready for development", T),
    ("selected for", T),
    ("to pick up", T),
    ("to pickup", T),
    ("to do", T),
    ("todo", T),
    ("backlog", T),
    ("por hacer", T),
    ("a fazer", T),
    ("a faire", T),
    ("da fare", T),
    ("te doen", T),
    ("zu erledigen", T),
    ("ready for", W),
    ("listo para", W),
    ("lista para", W),
    ("pronto para", W),
    ("pret pour", W),
    ("waiting for", W),
    ("review", W),
    ("revision", W),
    ("revisao", W),
    ("revisione", W),
    ("revue", W),
    ("prufung", W),
    ("blocked", W),
    ("bloqueado", W),
    ("bloqueada", W),
    ("bloque", W),
    ("blockiert", W),
    ("bloccato", W),
    ("geblokkeerd", W),
    ("on hold", W),
    ("hold", W),
    ("waiting", W),
    ("awaiting", W),
    ("pending", W),
    ("espera", W),
    ("attente", W),
    ("attesa", W),
    ("aguardando", W),
    ("standby", W),
    ("paused", W),
    ("progress", D),
    ("progreso", D),
    ("progresso", D),
    ("curso", D),
    ("andamento", D),
    ("cours", D),
    ("arbeit", D),
    ("bearbeitung", D),
    ("corso", D),
    ("lavorazione", D),
    ("uitvoering", D),
    ("doing", D),
    ("development", D),
    ("desarrollo", D),
    ("desenvolvimento", D),
    ("developpement", D),
    ("entwicklung", D),
    ("sviluppo", D),
    ("testing", D),
    ("test", D),
    ("dev", D),
    ("pruebas", D),
    ("verification", D),
    ("verificacion", D),
    ("verificacao", D),
    ("done", F),
    ("closed", F),
    ("resolved", F),
    ("complete", F),
    ("completed", F),
    ("finished", F),
    ("terminado", F),
    ("terminada", F),
    ("finalizado", F),
    ("finalizada", F),
    ("concluido", F),
    ("concluida", F),
    ("hecho", F),
    ("termine", F),
    ("erledigt", F),
    ("abgeschlossen", F),
    ("completato", F),
    ("afgerond", F),
    ("cancelled", C),
    ("canceled", C),
    ("cancelado", C),
    ("cancelada", C),
    ("annule", C),
    ("annullato", C),
    ("abgebrochen", C),
    ("wont do", C),
    ("wont fix", C),
    ("duplicate", C),
    ("rejected", C),
    ("obsolete", C),
];

/// The built-in category of a status name, if the vocabulary places it unambiguously.
pub fn builtin(status: &str) -> Option<Category> {
    explain(status).map(|(c, _)| c)
}

/// The built-in category of a status name and why: `exact` (a known name) or `keyword
/// 'progress'`.
pub fn explain(status: &str) -> Option<(Category, String)> {
    let folded = fold(status);
    if folded.is_empty() {
        return None;
    }
    if let Some((_, c)) = EXACT.iter().find(|(n, _)| *n == folded) {
        return Some((*c, "a known status name".to_string()));
    }
    let words: Vec<&str> = folded.split(' ').collect();
    let mut used = vec![false; words.len()];
    let mut found: Vec<(&str, Category)> = Vec::new();
    let mut phrases: Vec<&(&str, Category)> = KEYWORDS.iter().collect();
    phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.split(' ').count()));
    for (phrase, cat) in phrases {
        let parts: Vec<&str> = phrase.split(' ').collect();
        let n = parts.len();
        for i in 0..=words.len().saturating_sub(n) {
            if words.len() < n || used[i..i + n].iter().any(|u| *u) {
                continue;
            }
            if words[i..i + n] == parts[..] {
                used[i..i + n].iter_mut().for_each(|u| *u = true);
                found.push((phrase, *cat));
            }
        }
    }
    // "Ready for …", "waiting for …", "listo para …" say what the task waits for: the words
    // after them name the next step, not the state.
    const DOMINANT: &[&str] = &[
        "ready for dev",
        "ready for development",
        "selected for",
        "ready for",
        "listo para",
        "lista para",
        "pronto para",
        "pret pour",
        "waiting for",
    ];
    if let Some((p, c)) = found.iter().find(|(p, _)| DOMINANT.contains(p)) {
        return Some((*c, format!("keyword '{p}'")));
    }
    let first = found.first()?.1;
    if found.iter().all(|(_, c)| *c == first) {
        let words: Vec<&str> = found.iter().map(|(p, _)| *p).collect();
        Some((first, format!("keyword '{}'", words.join("', '"))))
    } else {
        None
    }
}

/// Jira resolutions (folded) that mean "finished without delivery", in the languages Jira's
/// CSV is exported in.
const CANCELLED_RESOLUTIONS: &[&str] = &[
    "wont do",
    "wont fix",
    "duplicate",
    "rejected",
    "cannot reproduce",
    "incomplete",
    "declined",
    "obsolete",
    "cancelled",
    "canceled",
    "abandoned",
    "invalid",
    "not a bug",
    // Spanish.
    "no se hara",
    "no se corregira",
    "no se arreglara",
    "duplicado",
    "duplicada",
    "rechazado",
    "rechazada",
    "no se puede reproducir",
    "incompleto",
    "incompleta",
    "obsoleto",
    "cancelado",
    "descartado",
    // Portuguese.
    "nao sera feito",
    "nao sera corrigido",
    "rejeitado",
    "nao e possivel reproduzir",
    "nao reproduzivel",
    "recusado",
    // French.
    "ne sera pas fait",
    "ne sera pas corrige",
    "doublon",
    "rejete",
    "impossible a reproduire",
    "incomplet",
    "refuse",
    "obsolete",
    "annule",
    // German.
    "wird nicht erledigt",
    "wird nicht behoben",
    "duplikat",
    "abgelehnt",
    "nicht reproduzierbar",
    "unvollstandig",
    "obsolet",
    "abgebrochen",
];

/// Whether a Jira resolution means the work was cancelled rather than delivered.
pub fn cancelled_resolution(resolution: &str) -> bool {
    CANCELLED_RESOLUTIONS.contains(&fold(resolution).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_accents_separators_and_step_numbers() {
        assert_eq!(fold("TERMINÉ"), "termine");
        assert_eq!(fold("  En_Progreso "), "en progreso");
        assert_eq!(fold("3 - On Hold"), "on hold");
        assert_eq!(fold("5_Done"), "done");
        assert_eq!(fold("Won't Do"), "wont do");
    }

    #[test]
    fn eighteen_common_non_english_statuses_are_placed() {
        let cases = [
            ("En curso", D),
            ("Hecho", F),
            ("Finalizado", F),
            ("Concluído", F),
            ("Em andamento", D),
            ("En cours", D),
            ("Terminé", F),
            ("In Arbeit", D),
            ("Erledigt", F),
            ("Abgebrochen", C),
            ("Por hacer", T),
            ("En revisión", W),
            ("Bloqueado", W),
            ("A fazer", T),
            ("À faire", T),
            ("Zu erledigen", T),
            ("In corso", D),
            ("Gereed", F),
        ];
        for (name, cat) in cases {
            assert_eq!(builtin(name), Some(cat), "{name}");
        }
    }

    #[test]
    fn keywords_place_custom_names_and_conflicts_stay_unmapped() {
        assert_eq!(builtin("COSAS POR HACER"), Some(T));
        assert_eq!(builtin("HACIENDO"), Some(D));
        assert_eq!(builtin("PRUEBAS"), Some(D));
        assert_eq!(builtin("TERMINADO"), Some(F));
        assert_eq!(builtin("Waiting for customer"), Some(W));
        assert_eq!(builtin("Dev in progress"), Some(D));
        assert_eq!(builtin("LISTO PARA VERIFICACIÓN"), Some(W));
        assert_eq!(builtin("Ready for dev"), Some(T));
        assert_eq!(builtin("4_Review"), Some(W));
        assert_eq!(builtin("Done but blocked"), None);
        assert_eq!(builtin("Limbo"), None);
        assert_eq!(builtin("research"), None);
    }

    #[test]
    fn cancelled_resolutions_in_five_languages() {
        for r in [
            "Won't Fix",
            "Duplicate",
            "Rejected",
            "No se hará",
            "Não será feito",
            "Doublon",
            "Duplikat",
            "Obsolete",
        ] {
            assert!(cancelled_resolution(r), "{r}");
        }
        for r in ["Done", "Fixed", "Listo", "Itens concluídos"] {
            assert!(!cancelled_resolution(r), "{r}");
        }
    }
}
