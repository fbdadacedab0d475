//! The evaluations: every task replayed and its team's KPIs computed as of one instant — now,
//! and 28 days earlier for the trends.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use anyhow::Result;

use crate::config::Config;
use crate::kpi::{self, Kpis, Need, Team};
use crate::model::{self, Category, Event, EventLog, Interner, ReplayReport, Timeline, Ts};
use crate::people;
use crate::progress::Steps;

/// Tasks replayed, teams, their KPIs and the task table, as of one instant.
pub(super) type Evaluation = (usize, Vec<Team>, Kpis, kpi::TaskTable);

/// Large logs are evaluated this many tasks at a time, over all the workers (see
/// [`Evaluator::plan`]). Measured at
/// 1M events (5 runs each, twice): 20k tasks 244–254 MiB, 30k 248–257 MiB, 40k 250–270 MiB, in
/// the same time within the noise (1.97–2.14 s).
pub const BATCH_TASKS: usize = 20_000;

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
                    self.compute(timelines, earlier, Need::Values).map(|e| e.2)
                });
                let (timelines, report) = self.replay(&log, as_of);
                let now = self
                    .compute(timelines, as_of, Need::Site)
                    .map(|e| (e, report));
                (earlier.join().expect("an evaluation does not panic"), now)
            });
            let (now, report) = now?;
            return Ok((now, report, before?, true));
        }
        // The log is split into the batches of the evaluation now (and the tasks no batch holds,
        // which 28 days earlier may still need) while little else is in memory; each batch's
        // events are freed as soon as they are replayed now.
        let EventLog {
            events, strings, ..
        } = log;
        let spans = model::task_spans(&events);
        let tasks: Vec<&[Event]> = spans.iter().map(|r| &events[r.clone()]).collect();
        let (plan, report) = self.plan(&tasks, &strings, as_of);
        drop(tasks);
        let split = Split::of(&events, &spans, plan.batches, self.jobs);
        drop((events, spans));
        model::memory::release();
        // Only the KPI values of 28 days ago are kept: not their table, nor their chart inputs.
        let before = self.earlier(&split.tasks(), &strings, earlier)?;
        clock.step("replay and compute the KPIs 28 days earlier (for trends)");
        let Split { batches, rest, .. } = split;
        drop(rest);
        let now = self.now(batches, &strings, as_of, plan.tasks)?;
        Ok((now, report, before, false))
    }

    /// Every task as of one instant.
    fn replay(&self, log: &EventLog, as_of: Ts) -> (Vec<Timeline>, ReplayReport) {
        let blocked = |name: &str| self.config.is_blocked_name(name);
        model::replay(log, as_of, self.category_of, blocked, self.jobs)
    }

    /// People shown as the config says, teams, and their KPIs as of one instant.
    fn compute(&self, timelines: Vec<Timeline>, as_of: Ts, need: Need) -> Result<Evaluation> {
        self.compute_with(timelines, as_of, need, &mut people::Owners::new())
    }

    /// [`Self::compute`] of one batch, with who the displayed forms of the earlier batches
    /// stand for.
    fn compute_with(
        &self,
        mut timelines: Vec<Timeline>,
        as_of: Ts,
        need: Need,
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
        let (kpis, table) = kpi::compute(
            &timelines,
            &teams,
            config,
            as_of,
            self.sources,
            self.jobs,
            need,
        )?;
        Ok((timelines.len(), teams, kpis, table))
    }

    /// The KPI values as of `as_of` (for the trends), a batch of teams at a time (see
    /// [`Self::plan`]): the same values as [`Self::compute`] of every task at once.
    fn earlier(&self, tasks: &[&[Event]], strings: &Interner, as_of: Ts) -> Result<Kpis> {
        let (plan, _) = self.plan(tasks, strings, as_of);
        let teams = self.each_batch(
            plan.batches,
            Vec::len,
            as_of,
            Need::Values,
            |ev, batch| {
                let some: Vec<&[Event]> = batch.iter().map(|&i| tasks[i]).collect();
                ev.replay_some(&some, strings, as_of)
            },
            |(_, _, kpis, _)| kpis.teams,
        )?;
        Ok(Kpis {
            as_of,
            teams: teams.into_iter().flatten().collect(),
            views: Vec::new(),
        })
    }

    /// The evaluation as of `as_of` of the batches the log was split into (see [`Self::plan`]),
    /// each batch's events freed once replayed: the same teams, KPIs and table as
    /// [`Self::compute`] of every task at once.
    fn now(
        &self,
        batches: Vec<Segment>,
        strings: &Interner,
        as_of: Ts,
        tasks: usize,
    ) -> Result<Evaluation> {
        let done = self.each_batch(
            batches,
            |b| b.index.len(),
            as_of,
            Need::Site,
            |ev, batch| {
                let timelines = ev.replay_some(&batch.tasks(), strings, as_of);
                drop(batch);
                timelines
            },
            |e| e,
        )?;
        let kpis = Kpis {
            as_of,
            teams: Vec::new(),
            views: Vec::new(),
        };
        let mut all = (tasks, Vec::new(), kpis, Vec::new());
        for (_, teams, kpis, table) in done {
            all.3.push((table, teams.len()));
            all.1.extend(teams);
            all.2.teams.extend(kpis.teams);
            all.2.views.extend(kpis.views);
        }
        let table = kpi::TaskTable::stack(all.3)?;
        Ok((all.0, all.1, all.2, table))
    }

    /// Each batch replayed (by `replay`, which may free the batch's events as it goes) and
    /// computed as of `as_of`, and what `keep` keeps of it, in batch order. As many batches
    /// at a time as there are workers, each on one worker, the largest first: a batch's teams
    /// differ in size, so spreading one batch over the workers left a core idle a third of the
    /// time. With fewer batches than workers, one at a time, each spread over the workers. The
    /// displayed forms of the batches are checked against each other, in batch order.
    fn each_batch<B: Send, T: Send>(
        &self,
        batches: Vec<B>,
        size: impl Fn(&B) -> usize,
        as_of: Ts,
        need: Need,
        replay: impl Fn(&Self, B) -> Vec<Timeline> + Sync,
        keep: impl Fn(Evaluation) -> T + Sync,
    ) -> Result<Vec<T>> {
        let side_by_side = batches.len() >= model::par::workers(self.jobs);
        let (outer, inner) = match side_by_side {
            true => (self.jobs, 1),
            false => (1, self.jobs),
        };
        let one = Evaluator {
            jobs: inner,
            ..*self
        };
        // The largest first, each batch moved to the worker that takes it.
        let mut queue: Vec<(usize, B)> = batches.into_iter().enumerate().collect();
        queue.sort_by_key(|(_, b)| std::cmp::Reverse(size(b)));
        let done = model::par::each(queue, outer, |(i, batch)| {
            let timelines = replay(&one, batch);
            let mut owners = people::Owners::new();
            let evaluation = one.compute_with(timelines, as_of, need, &mut owners);
            (i, evaluation.map(|e| (keep(e), owners)))
        });
        let mut in_order: Vec<Option<Result<(T, people::Owners)>>> =
            (0..done.len()).map(|_| None).collect();
        for (i, result) in done {
            in_order[i] = Some(result);
        }
        let mut owners = people::Owners::new();
        let mut out = Vec::with_capacity(in_order.len());
        for result in in_order.into_iter().flatten() {
            let (kept, batch_owners) = result?;
            people::merge(&mut owners, batch_owners)?;
            out.push(kept);
        }
        Ok(out)
    }

    /// The batches of an evaluation as of one instant, with the report of replay. First each
    /// task's team: from its `team` value; a task without one is replayed (a batch at a time,
    /// only its team kept). Then teams together, in slug order, up to [`BATCH_TASKS`] tasks
    /// over all the workers' batches (each worker evaluates a batch at a time: 10,000 tasks
    /// each on two cores), and at least one team a batch; each team's tasks in task order.
    fn plan(&self, tasks: &[&[Event]], strings: &Interner, as_of: Ts) -> (Plan, ReplayReport) {
        let workers = model::par::workers(self.jobs);
        let limit = self.batch.unwrap_or(BATCH_TASKS).max(1);
        let per_batch = (limit / workers).max(1);
        let (values, report) =
            model::teams_as_of(tasks, strings, as_of, self.category_of, self.jobs);
        let mut by_value: HashMap<model::Sym, Vec<usize>> = HashMap::new();
        let mut unnamed: Vec<usize> = Vec::new();
        let mut present = 0;
        for (i, value) in values.into_iter().enumerate() {
            match value {
                None => continue,
                Some(Some(v)) => by_value.entry(v).or_default().push(i),
                Some(None) => unnamed.push(i),
            }
            present += 1;
        }
        // Each team value's team worked out once.
        let mut by_team: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (v, found) in by_value {
            let (slug, _) = kpi::teams::team_named(strings.resolve(v), self.config, self.names);
            by_team.entry(slug).or_default().extend(found);
        }
        for chunk in unnamed.chunks(limit) {
            let some: Vec<&[Event]> = chunk.iter().map(|&i| tasks[i]).collect();
            let timelines = self.replay_some(&some, strings, as_of);
            for (&i, t) in chunk.iter().zip(&timelines) {
                let (slug, _) = kpi::teams::team_of(t, self.config, self.names);
                by_team.entry(slug).or_default().push(i);
            }
        }
        // Each team's tasks in task order, as one replay of every task would list them.
        for found in by_team.values_mut() {
            found.sort_unstable();
        }
        if let Some(only) = self.only {
            by_team.retain(|slug, _| only.contains(slug));
        }
        let (mut batches, mut batch) = (Vec::new(), Vec::new());
        let mut teams = by_team.into_values().peekable();
        while let Some(found) = teams.next() {
            batch.extend(found);
            if teams
                .peek()
                .is_some_and(|next| batch.len() + next.len() <= per_batch)
            {
                continue;
            }
            batches.push(std::mem::take(&mut batch));
        }
        let plan = Plan {
            tasks: present,
            batches,
        };
        (plan, report)
    }

    /// Some tasks (each one's events) as of one instant.
    fn replay_some(&self, tasks: &[&[Event]], strings: &Interner, as_of: Ts) -> Vec<Timeline> {
        let blocked = |name: &str| self.config.is_blocked_name(name);
        let replay =
            model::replay_tasks(tasks, strings, as_of, self.category_of, blocked, self.jobs);
        replay.0
    }
}

/// The batches of one evaluation.
struct Plan {
    /// Tasks that exist at the instant.
    tasks: usize,
    /// Each batch's tasks, by their index in task order.
    batches: Vec<Vec<usize>>,
}

/// Some tasks' events, copied out of the log.
struct Segment {
    events: Vec<Event>,
    /// Each task's events in `events`.
    spans: Vec<Range<usize>>,
    /// Each task's index in task order.
    index: Vec<usize>,
}

impl Segment {
    /// The tasks `index` (of `spans`, each task's events in `events`), copied.
    fn of(events: &[Event], spans: &[Range<usize>], index: Vec<usize>) -> Segment {
        let mut out = Vec::with_capacity(index.iter().map(|&i| spans[i].len()).sum());
        let spans = index
            .iter()
            .map(|&i| {
                let start = out.len();
                out.extend_from_slice(&events[spans[i].clone()]);
                start..out.len()
            })
            .collect();
        Segment {
            events: out,
            spans,
            index,
        }
    }

    /// Each task's events, in the segment's order.
    fn tasks(&self) -> Vec<&[Event]> {
        self.spans.iter().map(|r| &self.events[r.clone()]).collect()
    }
}

/// A sorted log split into the batches of an evaluation, and the rest of its tasks.
struct Split {
    batches: Vec<Segment>,
    rest: Segment,
    /// Tasks in the log.
    count: usize,
}

impl Split {
    /// `events` (each task's at `spans`) split into `batches` (task indices) and the rest, the
    /// segments copied on up to `jobs` workers.
    fn of(
        events: &[Event],
        spans: &[Range<usize>],
        batches: Vec<Vec<usize>>,
        jobs: usize,
    ) -> Split {
        let mut batched = vec![false; spans.len()];
        for &i in batches.iter().flatten() {
            batched[i] = true;
        }
        let rest = (0..spans.len()).filter(|&i| !batched[i]).collect();
        let parts: Vec<Vec<usize>> = batches.into_iter().chain([rest]).collect();
        let mut segments = model::par::each(parts, jobs, |part| Segment::of(events, spans, part));
        let rest = segments.pop().expect("the rest is a segment");
        Split {
            batches: segments,
            rest,
            count: spans.len(),
        }
    }

    /// Every task's events, in task order.
    fn tasks(&self) -> Vec<&[Event]> {
        let mut out: Vec<&[Event]> = vec![&[]; self.count];
        for segment in self.batches.iter().chain([&self.rest]) {
            for (&i, r) in segment.index.iter().zip(&segment.spans) {
                out[i] = &segment.events[r.clone()];
            }
        }
        out
    }
}
