//! Model stage: the canonical event log and the per-task timelines replayed from it. No IO and
//! no tracker knowledge: the KPI code only sees these types.

pub mod calendar;
mod clarity;
pub mod error;
mod event;
pub mod file;
mod interner;
pub mod lock;
mod order;
pub mod par;
mod replay;
mod replayer;
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
pub use replay::{replay, ReplayReport};
pub use timeline::{list_items, split_list, Assignment, Timeline, Touch, Transition};
pub use window::Window;

/// The file every site teampulse writes holds at its root; folders holding it are never read
/// as input and are the only ones `-o` may replace.
pub const SITE_MARKER: &str = ".teampulse-site";

#[cfg(test)]
mod size_tests {
    #[test]
    fn sizes() {
        eprintln!(
            "Event {} Timeline {} Touch {} Transition {} Assignment {}",
            std::mem::size_of::<super::Event>(),
            std::mem::size_of::<super::Timeline>(),
            std::mem::size_of::<super::Touch>(),
            std::mem::size_of::<super::Transition>(),
            std::mem::size_of::<super::Assignment>()
        );
    }
}
