//! The evaluations: every task replayed and its team's KPIs computed as of one instant — now,
//! and 28 days earlier for the trends.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use anyhow::Result;

use crate::config::Config;
use crate::kpi::{self, Kpis, Team};
use crate::model::{self, Category, EventLog, ReplayReport, Timeline, Ts};
use crate::people;
use crate::progress::Steps;

/// Tasks replayed, teams, their KPIs and the task table, as of one instant.
pub(super) type Evaluation = (usize, Vec<Team>, Kpis, kpi::TaskTable);

/// Large logs are evaluated this many tasks at a time (see [`Evaluator::in_batches`]).
pub const BATCH_TASKS: usize = 40_000;

/// Logs of up to this many events are evaluated now and 28 days earlier at the same time.
const CONCURRENT_EVALUATIONS: usize = 250_000;

/// Everything an evaluation reads besides the log, shared by the evaluation now and the one
/// 28 days earlier.
pub(super) struct Evaluator<'a, F> {
    /// Tasks evaluated at a time (`AnalyseOptions::batch_tasks`); `None`: the size decides.
    pub batch: Option<usize>,
    /// The configuration (people still by name: each evaluation applies the display).
    pub config: &'a Config,
    /// Replaces names in free text (labels).
    pub scrubber: &'a people::Scrubber,
    /// The folder name of every team value.
    pub names: &'a kpi::teams::TeamNames,
    /// What each input can say about starts and finishes.
    pub sources: &'a [kpi::SourceHint],
    /// A raw status's category.
    pub category_of: &'a F,
    /// `--teams`: the slugs to compute; `None`, every team.
    pub only: Option<&'a std::collections::BTreeSet<String>>,
    /// Workers (`-j`).
    pub jobs: usize,
}

impl<F: Fn(model::Sym, &str) -> Option<Category> + Sync> Evaluator<'_, F> {
    /// Both evaluations, now and `earlier` (only its KPIs kept, for the trends), with the
    /// report of the replay as of now and whether they ran at once. A small log is evaluated
    /// both at once, each on its own thread (the fixed costs of the KPI queries dominate
    /// there, and memory is no concern); a large one, or any with `batch` set, one evaluation
    /// after the other, a batch of teams at a time, the log dropped before the pages.
    pub(super) fn both(
        &self,
        log: EventLog,
        as_of: Ts,
        earlier: Ts,
        clock: &mut Steps,
    ) -> Result<(Evaluation, ReplayReport, Kpis, bool)> {
        let concurrent = self.batch.is_none()
            && log.events.len() <= CONCURRENT_EVALUATIONS
            && model::par::workers(self.jobs) > 1;
        if concurrent {
            let (before, now) = std::thread::scope(|scope| {
                let earlier = scope.spawn(|| {
                    let (timelines, _) = self.replay(&log, earlier);
                    self.compute(timelines, earlier).map(|e| e.2)
                });
                let (timelines, report) = self.replay(&log, as_of);
                let now = self.compute(timelines, as_of).map(|e| (e, report));
                (earlier.join().expect("an evaluation does not panic"), now)
            });
            let (now, report) = now?;
            return Ok((now, report, before?, true));
        }
        // Only the KPI values of 28 days ago are kept: not their table, nor their chart inputs.
        let before = self.in_batches(&log, earlier, false)?.0 .2;
        clock.step("replay and compute the KPIs 28 days earlier (for trends)");
        let (now, report) = self.in_batches(&log, as_of, true)?;
        Ok((now, report, before, false))
    }

    /// Every task as of one instant.
    fn replay(&self, log: &EventLog, as_of: Ts) -> (Vec<Timeline>, ReplayReport) {
        let blocked = |name: &str| self.config.is_blocked_name(name);
        model::replay(log, as_of, self.category_of, blocked, self.jobs)
    }

    /// People shown as the config says, teams, and their KPIs as of one instant.
    fn compute(&self, timelines: Vec<Timeline>, as_of: Ts) -> Result<Evaluation> {
        self.compute_with(timelines, as_of, &mut people::Owners::new())
    }

    /// [`Self::compute`] of one batch, with who the displayed forms of the earlier batches
    /// stand for.
    fn compute_with(
        &self,
        mut timelines: Vec<Timeline>,
        as_of: Ts,
        owners: &mut people::Owners,
    ) -> Result<Evaluation> {
        let mut config = self.config.clone();
        let secret = config.pseudonym_secret.clone().unwrap_or_default();
        people::apply(
            config.people_display,
            &secret,
            self.scrubber,
            &mut timelines,
            &mut config,
            owners,
        )?;
        let config = &config;
        let mut teams = kpi::teams::assign(&timelines, config, self.names, as_of);
        if let Some(only) = self.only {
            teams.retain(|t| only.contains(&t.slug));
        }
        let (kpis, table) =
            kpi::compute(&timelines, &teams, config, as_of, self.sources, self.jobs)?;
        Ok((timelines.len(), teams, kpis, table))
    }

    /// The whole evaluation as of one instant, a batch of teams at a time: first each task's
    /// team (from its `team` value; a task without one replayed, a batch at a time, and only
    /// its team kept), then teams of up to [`BATCH_TASKS`] tasks together (but at least one
    /// team per worker) replayed and computed, in slug order. The same teams, KPIs and table as
    /// [`Self::compute`] of every task at once; without `keep`, only the KPI values (no chart
    /// inputs, an empty table), which is all the trends need: the tables and chart inputs of
    /// every team are never held for the evaluation 28 days earlier.
    fn in_batches(
        &self,
        log: &EventLog,
        as_of: Ts,
        keep: bool,
    ) -> Result<(Evaluation, ReplayReport)> {
        let limit = self.batch.unwrap_or(BATCH_TASKS).max(1);
        let spans = model::task_spans(&log.events);
        // A task's `team` value decides its team; only tasks without one are replayed here
        // (their assignees decide), a batch at a time, and forgotten.
        let (values, report) = model::teams_as_of(log, &spans, as_of, self.category_of, self.jobs);
        let mut by_value: HashMap<model::Sym, Vec<Range<usize>>> = HashMap::new();
        let mut unnamed: Vec<Range<usize>> = Vec::new();
        let mut tasks = 0;
        for (span, value) in spans.iter().zip(values) {
            match value {
                None => continue,
                Some(Some(v)) => by_value.entry(v).or_default().push(span.clone()),
                Some(None) => unnamed.push(span.clone()),
            }
            tasks += 1;
        }
        // Each team value's team worked out once.
        let mut by_team: BTreeMap<String, Vec<Range<usize>>> = BTreeMap::new();
        for (v, spans) in by_value {
            let value = log.strings.resolve(v);
            let (slug, _) = kpi::teams::team_named(value, self.config, self.names);
            by_team.entry(slug).or_default().extend(spans);
        }
        for chunk in unnamed.chunks(limit) {
            let (timelines, _) = self.replay_some(log, chunk, as_of);
            for (span, t) in chunk.iter().zip(&timelines) {
                let (slug, _) = kpi::teams::team_of(t, self.config, self.names);
                by_team.entry(slug).or_default().push(span.clone());
            }
        }
        // Each team's tasks in task order, as one replay of every task would list them.
        for spans in by_team.values_mut() {
            spans.sort_by_key(|r| r.start);
        }
        drop((spans, unnamed));
        if let Some(only) = self.only {
            by_team.retain(|slug, _| only.contains(slug));
        }
        let mut owners = people::Owners::new();
        let kpis = Kpis {
            as_of,
            teams: Vec::new(),
            views: Vec::new(),
        };
        let mut all = (tasks, Vec::new(), kpis, Vec::new());
        // At least a team per worker in a batch: its teams are computed side by side.
        let workers = model::par::workers(self.jobs);
        let (mut batch, mut in_batch): (Vec<Range<usize>>, usize) = (Vec::new(), 0);
        let mut teams = by_team.into_values().peekable();
        while let Some(spans) = teams.next() {
            batch.extend(spans);
            in_batch += 1;
            if teams
                .peek()
                .is_some_and(|next| in_batch < workers || batch.len() + next.len() <= limit)
            {
                continue;
            }
            in_batch = 0;
            let (timelines, _) = self.replay_some(log, &batch, as_of);
            let (_, teams, kpis, table) = self.compute_with(timelines, as_of, &mut owners)?;
            if keep {
                all.3.push((table, teams.len()));
                all.2.views.extend(kpis.views);
            }
            all.1.extend(teams);
            all.2.teams.extend(kpis.teams);
            batch.clear();
        }
        let table = kpi::TaskTable::stack(all.3)?;
        Ok(((all.0, all.1, all.2, table), report))
    }

    /// Some tasks (their spans in the log) as of one instant.
    fn replay_some(
        &self,
        log: &EventLog,
        spans: &[Range<usize>],
        as_of: Ts,
    ) -> (Vec<Timeline>, ReplayReport) {
        let blocked = |name: &str| self.config.is_blocked_name(name);
        model::replay_tasks(log, spans, as_of, self.category_of, blocked, self.jobs)
    }
}
