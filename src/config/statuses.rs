//! The built-in status vocabulary: the status names teams write in English, Spanish,
//! Portuguese, French, German, Italian and Dutch, and the categories they mean. Names are
//! compared folded (case, accents and separators ignored: `EN PROGRESO`, `en_progreso` and
//! `En progreso` are one name). An exact name wins; otherwise the name's words are matched
//! against unambiguous keywords (`progress`, `curso`, `andamento`, `cours`, `Arbeit` → doing;
//! `review`, `revisión`, `bloqueado` → waiting…). A name whose keywords point to two categories,
//! or to none, stays unmapped and is reported: never guessed.

use super::vocabulary::{CANCELLED_RESOLUTIONS, EXACT, KEYWORDS};
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

/// Whether a Jira resolution means the work was cancelled rather than delivered.
pub fn cancelled_resolution(resolution: &str) -> bool {
    CANCELLED_RESOLUTIONS.contains(&fold(resolution).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Category::{Cancelled as C, Doing as D, Done as F, Todo as T, Waiting as W};

    #[test]
    fn names_fold_case_accents_separators_and_step_numbers() {
        let cases = [
            ("TERMINÉ", "termine"),
            ("  En_Progreso ", "en progreso"),
            ("3 - On Hold", "on hold"),
            ("5_Done", "done"),
            ("Won't Do", "wont do"),
        ];
        for (name, folded) in cases {
            assert_eq!(fold(name), folded, "{name}");
        }
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
