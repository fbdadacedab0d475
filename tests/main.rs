//! Integration tests: the real binary on fixture folders.

mod util;

mod bad_input;
mod flow;
mod site;
mod team_kpis;
