//! The questions a team page answers, in page order.

use serde::Serialize;

use super::catalogue::{KpiInfo, CATALOGUE};

/// The questions a team page answers, in page order. Serialised as the question's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Question {
    /// "How much do we finish?"
    Finish,
    /// "Where does our time go?"
    Time,
    /// "Is the work spread well?"
    Spread,
    /// "Do we check in well?"
    CheckIn,
    /// "Is delegated work staying delegated?"
    Delegation,
    /// "When will it be done?"
    When,
}

impl Serialize for Question {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text())
    }
}

impl Question {
    /// Every question, in page order.
    pub const ALL: [Question; 6] = [
        Question::Finish,
        Question::Time,
        Question::Spread,
        Question::CheckIn,
        Question::Delegation,
        Question::When,
    ];

    /// The question as the page asks it.
    pub fn text(self) -> &'static str {
        match self {
            Question::Finish => "How much do we finish?",
            Question::Time => "Where does our time go?",
            Question::Spread => "Is the work spread well?",
            Question::CheckIn => "Do we check in well?",
            Question::Delegation => "Is delegated work staying delegated?",
            Question::When => "When will it be done?",
        }
    }

    /// The anchor of its section on a team page.
    pub fn anchor(self) -> &'static str {
        match self {
            Question::Finish => "finish",
            Question::Time => "time",
            Question::Spread => "spread",
            Question::CheckIn => "check-in",
            Question::Delegation => "delegation",
            Question::When => "when",
        }
    }

    /// The KPIs that answer it, in catalogue order.
    pub fn kpis(self) -> impl Iterator<Item = &'static KpiInfo> {
        CATALOGUE.iter().filter(move |k| k.question == self)
    }
}
