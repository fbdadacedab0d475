//! Model stage: the canonical event log and the per-task timelines replayed from it. No IO and
//! no tracker knowledge: the KPI code only sees these types.

mod event;
mod interner;
mod timeline;

pub use event::{Category, Event, EventKind, EventLog, Ts, UNDATED};
pub use interner::{Interner, Name, Sym};
pub use timeline::{
    replay, sort_for_replay, split_list, Assignment, ReplayReport, Timeline, Touch, Transition,
};
