//! Checks over the whole log once every input is read: identical events from overlapping
//! inputs are counted once, and instants far after all the others (a year typed `2206`) are
//! rejected with their file and line before they can move "now".

use rustc_hash::FxHashMap;

use crate::model::window::{far_after_count, show};
use crate::model::{Event, EventLog, Sym, UNDATED};
use crate::quality::{DataQuality, Rejection};

/// The input an event came from: `starts[i]` is the index of input `i`'s first event.
fn input_of(starts: &[usize], index: usize) -> usize {
    starts.partition_point(|&s| s <= index).saturating_sub(1)
}

/// Everything an event says, without where it was read.
fn same(a: &Event, b: &Event) -> bool {
    (
        a.task, a.ts, a.kind, a.actor, a.assignee, a.status, a.category,
    ) == (
        b.task, b.ts, b.kind, b.actor, b.assignee, b.status, b.category,
    ) && (
        a.team,
        a.title,
        a.item_type,
        a.priority,
        a.labels,
        a.due,
        a.iteration,
    ) == (
        b.team,
        b.title,
        b.item_type,
        b.priority,
        b.labels,
        b.due,
        b.iteration,
    )
}

fn hash(e: &Event) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (
        e.task, e.ts, e.kind, e.actor, e.assignee, e.status, e.category,
    )
        .hash(&mut h);
    (
        e.team,
        e.title,
        e.item_type,
        e.priority,
        e.labels,
        e.due,
        e.iteration,
    )
        .hash(&mut h);
    h.finish()
}

/// Drops every event identical to one an earlier input gave (the same export read twice,
/// overlapping exports of one tracker). Identical events within one input are kept: there
/// they are two real events.
pub fn drop_duplicates(log: &mut EventLog, starts: &mut [usize], quality: &mut DataQuality) {
    if starts.len() < 2 {
        return;
    }
    let mut first: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    let mut keep = vec![true; log.events.len()];
    for (i, e) in log.events.iter().enumerate() {
        let input = input_of(starts, i);
        let slot = first.entry(hash(e)).or_default();
        let twin = slot.iter().any(|&j| {
            let j = j as usize;
            input_of(starts, j) != input && same(&log.events[j], e)
        });
        if twin {
            keep[i] = false;
            quality.inputs[input].duplicates += 1;
        } else if !slot.iter().any(|&j| same(&log.events[j as usize], e)) {
            slot.push(i as u32);
        }
    }
    // Where each input's events start once the duplicates are gone.
    let mut kept_before = 0usize;
    let mut next = 0usize;
    for (i, &k) in keep.iter().enumerate() {
        while next < starts.len() && starts[next] == i {
            starts[next] = kept_before;
            next += 1;
        }
        kept_before += usize::from(k);
    }
    for s in &mut starts[next..] {
        *s = kept_before;
    }
    let mut k = keep.into_iter();
    log.events.retain(|_| k.next().unwrap_or(true));
}

/// Rejects the events that lie more than a year after all the others.
pub fn reject_far_after(log: &mut EventLog, starts: &[usize], quality: &mut DataQuality) {
    let mut times: Vec<i64> = log
        .events
        .iter()
        .map(|e| e.ts)
        .filter(|&t| t != UNDATED)
        .collect();
    let k = far_after_count(&mut times);
    if k == 0 {
        return;
    }
    let cut = times[times.len() - k];
    let rest_end = show(times[times.len() - k - 1]);
    let mut seen = std::collections::BTreeSet::new();
    for (i, e) in log.events.iter().enumerate() {
        if e.ts == UNDATED || e.ts < cut {
            continue;
        }
        let input = input_of(starts, i);
        if !seen.insert((input, e.line)) {
            continue;
        }
        quality.inputs[input].rejected += 1;
        quality.rejections.push(Rejection {
            path: quality.inputs[input].path.clone(),
            line: e.line as u64,
            reason: format!(
                "implausible date {}: more than a year after every other event (the rest end \
                 {rest_end}); a typo in the year?",
                show(e.ts)
            ),
        });
    }
    let dropped = log.events.iter().filter(|e| e.ts != UNDATED && e.ts >= cut);
    let people: Vec<Sym> = dropped
        .flat_map(|e| e.actor.into_iter().chain(e.assignee))
        .collect();
    log.other_names.extend(people);
    log.events.retain(|e| e.ts == UNDATED || e.ts < cut);
}

/// Lists the rejected rows by input, then line: the later checks (dates far after the rest)
/// find rows that the reading of each file passed.
pub fn order_rejections(quality: &mut DataQuality) {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, input) in quality.inputs.iter().enumerate() {
        index.entry(input.path.as_str()).or_insert(i);
    }
    let mut keyed: Vec<_> = std::mem::take(&mut quality.rejections)
        .into_iter()
        .map(|r| ((index.get(r.path.as_str()).copied(), r.line), r))
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    quality.rejections = keyed.into_iter().map(|(_, r)| r).collect();
}
