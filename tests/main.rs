//! Integration tests: the real binary on fixture folders.

mod util;

mod architecture;
mod bad_input;
mod browser;
mod changes;
mod contract;
mod delegation_clarity;
mod exports;
mod flow;
mod formats;
mod history;
mod languages;
mod robustness;
mod safety;
mod scale;
mod site;
mod team_kpis;
mod time;
