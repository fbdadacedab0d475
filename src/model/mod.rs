//! Model stage: the canonical event log and the per-task timelines replayed from it. No IO and
//! no tracker knowledge: the KPI code only sees these types.

mod event;
mod interner;
mod order;
mod replay;
pub mod text;
mod timeline;
pub mod window;

pub use event::{Category, Event, EventKind, EventLog, Ts, UNDATED};
pub use interner::{Interner, Name, Sym};
pub use order::{natural_cmp, sort_for_replay};
pub use replay::{replay, ReplayReport};
pub use timeline::{split_list, Assignment, Timeline, Touch, Transition};
pub use window::Window;
