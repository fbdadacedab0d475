//! What a task's description says about a hand-off, without its text: how many words it has
//! and whether it states an expected outcome (acceptance criteria, a definition of done, a
//! checklist). The text itself is never kept.

use std::num::NonZeroU32;

/// A description reduced to its length and structure (packed in 32 bits, never zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Desc(NonZeroU32);

const PRESENT: u32 = 1 << 31;
const OUTCOME: u32 = 1 << 30;

impl Desc {
    /// Reads a description (empty: a task without one).
    pub fn of(text: &str) -> Desc {
        Desc::from_parts(words(text), states_outcome(text))
    }

    /// A description of `words` words, stating an outcome or not.
    pub fn from_parts(words: usize, outcome: bool) -> Desc {
        let mut bits = PRESENT | words.min(0xFFFF) as u32;
        if outcome {
            bits |= OUTCOME;
        }
        Desc(NonZeroU32::new(bits).expect("the present bit is set"))
    }

    /// Its words.
    pub fn words(self) -> usize {
        (self.0.get() & 0xFFFF) as usize
    }

    /// It states the expected outcome.
    pub fn outcome(self) -> bool {
        self.0.get() & OUTCOME != 0
    }
}

fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Phrases that state an expected outcome, in the languages of the status vocabulary (folded:
/// lower case, no accents).
const OUTCOME_PHRASES: &[&str] = &[
    "acceptance criteria",
    "acceptance criterion",
    "definition of done",
    "expected result",
    "expected outcome",
    "done when",
    "ac:",
    "dod:",
    "criterios de aceptacion",
    "resultado esperado",
    "criterios de aceitacao",
    "criteres d'acceptation",
    "criteres d acceptation",
    "resultat attendu",
    "akzeptanzkriterien",
    "erwartetes ergebnis",
    "criteri di accettazione",
    "risultato atteso",
    "acceptatiecriteria",
];

/// Whether the text states its expected outcome: one of the phrases, a checklist (`- [ ]`,
/// `[x]`), or a Given/When/Then scenario.
fn states_outcome(text: &str) -> bool {
    let folded = deunicode::deunicode(text).to_lowercase();
    if OUTCOME_PHRASES.iter().any(|p| folded.contains(p)) {
        return true;
    }
    if folded.contains("[ ]") || folded.contains("[x]") {
        return true;
    }
    let line_starts = |w: &str| {
        folded.lines().any(|l| {
            l.trim_start()
                .trim_start_matches(['-', '*', ' '])
                .starts_with(w)
        })
    };
    line_starts("given ") && line_starts("when ") && line_starts("then ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_outcome_without_the_text() {
        let d = Desc::of("Add the export button.\n\nAcceptance criteria: the file opens in Excel.");
        assert_eq!((d.words(), d.outcome()), (11, true));
        assert!(!Desc::of("Fix it").outcome());
        assert!(Desc::of("- [ ] tests pass\n- [x] docs").outcome());
        assert!(Desc::of("Given a user\nWhen they log in\nThen they see the page").outcome());
        assert!(Desc::of("Criterios de aceptación: el informe cuadra").outcome());
        assert_eq!(Desc::of("").words(), 0);
        assert_eq!(Desc::of("— … 42 ok").words(), 2);
    }
}
