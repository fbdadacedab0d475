//! The simulation behind the generator: one task's life as a team lives it — assigned,
//! started after a queue, commented on, sometimes reassigned, reviewed or blocked, done,
//! cancelled or reopened — in working hours of the team's zone.

use chrono::{Duration, TimeZone, Timelike};
use chrono_tz::Tz;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

use super::{Row, TeamSpec};

const VERBS: &[&str] = &[
    "Fix",
    "Add",
    "Update",
    "Remove",
    "Investigate",
    "Document",
    "Migrate",
    "Speed up",
];
const OBJECTS: &[&str] = &[
    "login timeout",
    "billing export",
    "search index",
    "release pipeline",
    "alert rules",
    "onboarding email",
    "API rate limits",
    "dark mode",
    "crash on resume",
    "audit log",
    "backup job",
    "invoice PDF",
];

/// Moves an instant forward into working hours (Mon–Fri, 08:00–18:00 local); never earlier.
pub(super) fn working_time(ts: i64, tz: Tz) -> i64 {
    use chrono::Datelike;
    let local = tz
        .timestamp_opt(ts, 0)
        .single()
        .expect("valid instant")
        .naive_local();
    let (mut date, secs) = (
        local.date(),
        local.time().num_seconds_from_midnight() as i64,
    );
    let mut secs = if secs < 8 * 3600 {
        8 * 3600 + secs % 3600
    } else if secs >= 18 * 3600 {
        date += Duration::days(1);
        8 * 3600 + secs % 3600
    } else {
        secs
    };
    while date.weekday().number_from_monday() > 5 {
        date += Duration::days(1);
        secs = 8 * 3600 + secs % 3600;
    }
    let naive = date.and_hms_opt(0, 0, 0).expect("valid") + Duration::seconds(secs);
    tz.from_local_datetime(&naive)
        .earliest()
        .map_or(ts, |t| t.timestamp().max(ts))
}

/// One task being simulated.
pub(super) struct Sim<'a> {
    /// The generator's random numbers.
    pub rng: &'a mut Pcg64Mcg,
    /// The team the task belongs to.
    pub team: &'a TeamSpec,
    /// Where its events go.
    pub rows: &'a mut Vec<Row>,
    /// Nothing happens after this instant (the export time).
    pub end: i64,
    /// The task's key.
    pub task: String,
    /// The team's index (its story and queue length).
    pub ti: usize,
}

impl<'a> Sim<'a> {
    /// A simulation of one task's life.
    pub fn of(
        rng: &'a mut Pcg64Mcg,
        team: &'a TeamSpec,
        rows: &'a mut Vec<Row>,
        end: i64,
        task: String,
        ti: usize,
    ) -> Self {
        Sim {
            rng,
            team,
            rows,
            end,
            task,
            ti,
        }
    }
}

impl Sim<'_> {
    fn emit(
        &mut self,
        ts: i64,
        event: &'static str,
        actor: &str,
        f: impl FnOnce(&mut Row),
    ) -> bool {
        if ts > self.end {
            return false;
        }
        let mut row = Row::event(
            ts,
            self.task.clone(),
            event,
            actor.to_string(),
            self.team.tz,
        );
        f(&mut row);
        self.rows.push(row);
        true
    }

    fn pick(&mut self) -> String {
        let people = &self.team.people;
        // The lead (first person) gets fewer tasks; one member gets more (an uneven load).
        let i = match self.rng.random_range(0..10) {
            0 => 0,
            1..=3 => 1,
            _ => self.rng.random_range(1..people.len()),
        };
        people[i].clone()
    }

    fn later(&mut self, ts: i64, min_h: i64, max_h: i64) -> i64 {
        working_time(
            ts + self.rng.random_range(min_h * 3600..max_h * 3600 + 1),
            self.team.tz,
        )
    }

    /// One hand-written story per demo team, ending near the as-of time, so the demo shows
    /// what the delegation KPIs flag: work left untouched, a delegator checking in twice a
    /// day, and a task taken back and finished by the person who delegated it.
    pub(super) fn story(&mut self, end: i64) {
        let people = self.team.people.clone();
        let (lead, member) = (people[0].clone(), people[2].clone());
        let day = 86_400;
        let at = |d: i64, h: i64| working_time(end - d * day + h * 3600, self.team.tz);
        let team = self.team.name.clone();
        let title = [
            "Upgrade the build cache",
            "Redesign the settings screen",
            "Refund the March invoices",
        ][self.ti];
        self.emit(at(30, 0), "created", &lead, |r| {
            r.status = "To Do";
            r.team = team;
            r.title = title.to_string();
            r.item_type = "Story";
            r.priority = "High";
        });
        let who = member.clone();
        self.emit(at(29, 1), "assigned", &lead, |r| r.assignee = who);
        match self.ti {
            0 => {
                // Started, one comment, then nobody touches it for 20 days.
                self.emit(at(25, 1), "status", &member, |r| r.status = "In Progress");
                self.emit(at(20, 2), "comment", &member, |_| {});
            }
            1 => {
                // The delegator comments twice every working day; the owner once in a while.
                self.emit(at(12, 1), "status", &member, |r| r.status = "In Progress");
                for d in (0..12).rev() {
                    let morning = at(d, 0);
                    if morning >= at(12, 2) && morning <= end {
                        self.emit(morning, "comment", &lead, |_| {});
                        self.emit(morning + 5 * 3600, "comment", &lead, |_| {});
                        if d % 3 == 0 {
                            self.emit(morning + 3600, "comment", &member, |_| {});
                        }
                    }
                }
            }
            _ => {
                // Delegated, started, then taken back and finished by the lead.
                self.emit(at(20, 1), "status", &member, |r| r.status = "In Progress");
                self.emit(at(15, 1), "comment", &member, |_| {});
                let who = lead.clone();
                self.emit(at(10, 1), "assigned", &lead, |r| r.assignee = who);
                self.emit(at(8, 1), "status", &lead, |r| r.status = "Done");
            }
        }
    }

    pub(super) fn task_life(&mut self, created: i64) {
        let lead = self.team.people[0].clone();
        let creator = if self.rng.random_bool(0.6) {
            lead.clone()
        } else {
            self.pick()
        };
        let title = format!(
            "{} {}",
            VERBS[self.rng.random_range(0..VERBS.len())],
            OBJECTS[self.rng.random_range(0..OBJECTS.len())]
        );
        let item_type = ["Story", "Bug", "Task"][self.rng.random_range(0..3)];
        let priority = ["Low", "Medium", "High"][self.rng.random_range(0..3)];
        let labels = self.team.labels[self.rng.random_range(0..self.team.labels.len())].to_string();
        // One kind of work only one person ever does: a bus-factor risk for the demo to show.
        let specialist = (labels == self.team.labels[0])
            .then(|| self.team.people[self.team.people.len() - 1].clone());
        let due = if self.rng.random_bool(0.3) {
            let d = chrono::DateTime::from_timestamp(
                created + self.rng.random_range(10..45) * 86_400,
                0,
            )
            .expect("valid");
            d.format("%Y-%m-%d").to_string()
        } else {
            String::new()
        };
        let team = self.team.name.clone();
        let initial = if self.rng.random_bool(0.5) {
            "Backlog"
        } else {
            "To Do"
        };
        // How clearly the work is handed over, from the task's key (not the random stream, so
        // the rest of the simulation is the same with or without it).
        let (parent, description) = handoff(&self.task, &title);
        self.emit(created, "created", &creator, |r| {
            r.status = initial;
            r.team = team;
            r.parent = parent;
            r.description = description;
            r.title = title;
            r.item_type = item_type;
            r.priority = priority;
            r.labels = labels;
            r.due = due;
        });
        let mut owner = specialist.clone().unwrap_or_else(|| self.pick());
        let mut t = self.later(created, 1, 72);
        let who = owner.clone();
        if !self.emit(t, "assigned", &lead, |r| r.assignee = who) {
            return;
        }
        let fate = self.rng.random_range(0..100);
        if fate < 4 {
            // Cancelled before anyone started.
            t = self.later(t, 24, 300);
            self.emit(t, "status", &lead, |r| r.status = "Won't Do");
            return;
        }
        if fate < 7 {
            // Straight from to do to done: throughput and lead time, no cycle time.
            t = self.later(t, 24, 200);
            let who = owner.clone();
            self.emit(t, "status", &who, |r| r.status = "Done");
            return;
        }
        t = self.later(t, 2, 24 * 10 + self.ti as i64 * 24);
        let who = owner.clone();
        if !self.emit(t, "status", &who, |r| r.status = "In Progress") {
            return;
        }
        let work_days = 1 + (self.rng.random_range(0.0f64..1.0).powi(2) * 14.0) as i64;
        let finish = t + work_days * 86_400;
        while t < finish {
            t = self.later(t, 16, 60);
            if t >= finish {
                break;
            }
            let roll = self.rng.random_range(0..100);
            let actor = if roll < 70 {
                owner.clone()
            } else if roll < 85 {
                lead.clone()
            } else {
                self.pick()
            };
            if !self.emit(t, "comment", &actor, |_| {}) {
                return;
            }
            if roll < 4 && self.team.people.len() > 2 && specialist.is_none() {
                // Reassignment; sometimes handed straight back (ping-pong).
                let previous = owner.clone();
                owner = self.pick();
                let who = owner.clone();
                if !self.emit(t + 600, "assigned", &lead, |r| r.assignee = who) {
                    return;
                }
                if roll < 2 {
                    owner = previous;
                    let who = owner.clone();
                    if !self.emit(t + 7200, "assigned", &lead, |r| r.assignee = who) {
                        return;
                    }
                }
            }
        }
        if fate < 11 {
            t = self.later(t, 4, 48);
            self.emit(t, "status", &lead, |r| r.status = "Cancelled");
            return;
        }
        let waiting = if self.rng.random_bool(0.25) {
            "Blocked"
        } else {
            "In Review"
        };
        let who = owner.clone();
        if !self.emit(t, "status", &who, |r| r.status = waiting) {
            return;
        }
        t = self.later(t, 4, 72);
        let closer = if self.rng.random_bool(0.8) {
            owner.clone()
        } else {
            lead.clone()
        };
        if !self.emit(t, "status", &closer, |r| r.status = "Done") {
            return;
        }
        if fate < 17 {
            // Reopened, then done again.
            t = self.later(t, 24, 120);
            if !self.emit(t, "status", &lead, |r| r.status = "In Progress") {
                return;
            }
            t = self.later(t, 24, 96);
            let who = owner.clone();
            self.emit(t, "status", &who, |r| r.status = "Done");
        }
    }
}

/// A parent epic and a description for a task, chosen by its key: most have an epic; about
/// half have a full description, half of those with acceptance criteria; the rest a line.
fn handoff(key: &str, title: &str) -> (String, String) {
    let h = key.bytes().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    let prefix = key.split('-').next().unwrap_or("EPIC");
    let parent = match h % 10 {
        0..=6 => format!("{prefix}-EPIC-{}", 1 + (h >> 8) % 4),
        _ => String::new(),
    };
    let body = format!(
        "{title}. This matters for the quarter's goal: customers get what they asked for without \
         waiting on us, and the team stops firefighting the same problem every week."
    );
    let description = match (h >> 4) % 4 {
        0 => format!("{body}\n\nAcceptance criteria:\n- [ ] it works for every account\n- [ ] the change is documented"),
        1 => body,
        2 => format!("{body}\n\nDone when the dashboard shows it."),
        _ => format!("{title}, see chat"),
    };
    (parent, description)
}
