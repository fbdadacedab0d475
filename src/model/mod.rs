//! Model stage: the canonical event log and the per-task timelines replayed from it. No IO and
//! no tracker knowledge: the KPI code only sees these types.

pub mod calendar;
mod clarity;
pub mod error;
mod event;
pub mod file;
mod interner;
pub mod lock;
pub mod memory;
mod order;
pub mod par;
mod replay;
mod replayer;
#[cfg(test)]
pub mod seeded;
pub mod text;
mod timeline;
pub mod timestamp;
pub mod window;

pub use clarity::Desc;
pub use event::{
    due_day, Category, Event, EventKind, EventLog, Ts, EVENT_COLUMNS, TASK_COLUMNS, UNDATED,
};
pub use interner::{Interner, Name, Sym};
pub use order::{natural_cmp, sort_for_replay};
pub use replay::{replay, replay_tasks, task_spans, teams_as_of, ReplayReport};
pub use timeline::{list_items, split_list, Assignment, Timeline, Touch, Transition};
pub use window::Window;

/// The file every site teampulse writes holds at its root; folders holding it are never read
/// as input and are the only ones `-o` may replace.
pub const SITE_MARKER: &str = ".teampulse-site";

#[cfg(test)]
mod size_tests {
    /// Memory grows with events and tasks: a byte more per event is a megabyte more per
    /// million. These are the sizes today; a change that grows one must say why here.
    #[test]
    fn events_and_timelines_stay_compact() {
        assert!(std::mem::size_of::<super::Event>() <= 72);
        assert!(std::mem::size_of::<super::Timeline>() <= 504);
        assert!(std::mem::size_of::<super::Touch>() <= 32);
        assert!(std::mem::size_of::<super::Transition>() <= 32);
        assert!(std::mem::size_of::<super::Assignment>() <= 72);
    }
}
