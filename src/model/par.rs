//! Work spread over threads, with results in input order: the same output for any number of
//! workers (`-j`).

use std::ops::Range;
use std::sync::Mutex;

/// The number of workers for `jobs` (0 = every core the machine has).
pub fn workers(jobs: usize) -> usize {
    if jobs > 0 {
        jobs
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// `f(0), f(1), … f(n - 1)` computed on up to `jobs` threads (each takes the next index when it
/// is free), returned in index order.
pub fn map<T: Send, F: Fn(usize) -> T + Sync>(n: usize, jobs: usize, f: F) -> Vec<T> {
    spread((0..n).collect(), jobs, f)
}

/// `f` of every item, the items moved to the workers (each takes the next one when it is
/// free), on up to `jobs` threads; the results in item order.
pub fn each<I: Send, R: Send, F: Fn(I) -> R + Sync>(items: Vec<I>, jobs: usize, f: F) -> Vec<R> {
    spread(items, jobs, f)
}

/// The sizes of `len` items cut into `n` parts as equal as whole parts of `len / n` rounded up
/// allow (the last one smaller; none for no items).
pub fn even_parts(len: usize, n: usize) -> Vec<usize> {
    let size = len.div_ceil(n.max(1)).max(1);
    (0..len)
        .step_by(size)
        .map(|from| size.min(len - from))
        .collect()
}

/// Fills `items` in place in parts of `sizes` (which sum to its length) on up to `jobs`
/// threads: `f(i, part_i)`; the results come back in part order. Nothing is moved or copied
/// after a part is written.
pub fn fill<T: Send, R: Send, F: Fn(usize, &mut [T]) -> R + Sync>(
    items: &mut [T],
    sizes: &[usize],
    jobs: usize,
    f: F,
) -> Vec<R> {
    let mut parts = Vec::with_capacity(sizes.len());
    let mut rest = items;
    for (i, &n) in sizes.iter().enumerate() {
        let (part, tail) = rest.split_at_mut(n);
        parts.push((i, part));
        rest = tail;
    }
    spread(parts, jobs, |(i, part)| f(i, part))
}

/// `f` of every item on up to `jobs` threads, each taking the next item when it is free; the
/// results in item order.
fn spread<I: Send, R: Send, F: Fn(I) -> R + Sync>(items: Vec<I>, jobs: usize, f: F) -> Vec<R> {
    let threads = workers(jobs).min(items.len());
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let mut out: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let next = queue.lock().map(|mut q| q.next()).unwrap_or(None);
                        match next {
                            Some((i, item)) => done.push((i, f(item))),
                            None => break done,
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker does not panic"))
            .collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

/// Consecutive runs of tasks (`lens`: how many events each has) of about `1/n` of their total
/// length each: the parts of work given to the workers.
pub fn runs(lens: impl Iterator<Item = usize> + Clone, n: usize) -> Vec<Range<usize>> {
    let total: usize = lens.clone().sum();
    let size = total.div_ceil(n.max(1)).max(1);
    let mut out = Vec::new();
    let (mut from, mut events, mut count) = (0, 0, 0);
    for (i, len) in lens.enumerate() {
        events += len;
        count = i + 1;
        if events >= size {
            out.push(from..i + 1);
            (from, events) = (i + 1, 0);
        }
    }
    if from < count {
        out.push(from..count);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_for_any_number_of_workers() {
        for jobs in [1, 2, 3, 8] {
            assert_eq!(
                map(10, jobs, |i| i * i),
                (0..10).map(|i| i * i).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn runs_cut_tasks_into_parts_of_about_equal_events() {
        // 31 events in 4 parts: at least 8 each, cut as soon as a part reaches that.
        let lens = [3, 1, 4, 1, 5, 9, 2, 6];
        assert_eq!(runs(lens.into_iter(), 4), [0..3, 3..6, 6..8]);
        // Tasks without events still belong to a part; no tasks, no parts.
        let one_part: Vec<Range<usize>> = runs([0, 0].into_iter(), 2);
        assert_eq!((one_part.len(), one_part[0].clone()), (1, 0..2));
        assert_eq!(runs(std::iter::empty(), 4), Vec::<Range<usize>>::new());
    }

    #[test]
    fn even_parts_cover_every_item() {
        assert_eq!(even_parts(10, 3), [4, 4, 2]);
        assert_eq!(even_parts(9, 3), [3, 3, 3]);
        assert_eq!(even_parts(2, 4), [1, 1]);
        assert_eq!(even_parts(0, 4), Vec::<usize>::new());
        assert_eq!(each(vec![3, 1, 2], 2, |x| x * 10), [30, 10, 20]);
    }

    #[test]
    fn parts_are_filled_in_place_in_order() {
        for jobs in [1, 2, 3] {
            let mut items = vec![0; 10];
            let sums = fill(&mut items, &[3, 0, 5, 2], jobs, |i, part| {
                for x in part.iter_mut() {
                    *x = i;
                }
                part.len()
            });
            assert_eq!(sums, [3, 0, 5, 2]);
            assert_eq!(items, [0, 0, 0, 2, 2, 2, 2, 2, 3, 3]);
        }
    }
}
