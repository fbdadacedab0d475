#!/usr/bin/env bash
# Benchmark: seeded event logs of 10k, 100k, 1M and 10M events (the generator kept in the repo),
# `teampulse build` on each with the release binary, three runs per size. Reports the median
# run's wall time, events and MB per second, peak memory (max RSS), and the time and peak of
# each step (`-v`). Where polars' Python package or an `xsv`/`qsv` binary is installed, also the
# time they take merely to read the same file (whole process, median of three), with the ratio,
# and the size of the largest team page. Last, the page-weight check: a team of about 2,500
# tasks gets a team page under 250 KB, or the script fails.
#
# Usage: bench/run.sh [SIZES...]      e.g. bench/run.sh 10000 1000000
# Needs about 900 MB of disk and 4 GiB of memory for 10M events; files are kept in bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000 10000000)
cargo build --release --quiet --bins
out=bench/out
mkdir -p "$out"

# Median of three runs of a command: prints "wall_s peak_kib i" of the median run, whose
# stderr is in $out/stderr-i.txt.
median3() {
  for i in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" > /dev/null 2> "$out/stderr-$i.txt"
    echo "$(cat "$out/time.txt") $i"
  done | sort -n | sed -n 2p
}

# The largest team page of a site: "bytes tasks slug".
largest_page() {
  for page in "$1"/teams/*/index.html; do
    slug=$(basename "$(dirname "$page")")
    echo "$(stat -c %s "$page") $(($(wc -l < "$1/data/$slug/items.csv") - 1)) $slug"
  done | sort -n | tail -1
}

readers=()
python3 -c 'import polars' 2> /dev/null && readers+=(polars)
for tool in xsv qsv; do command -v "$tool" > /dev/null && readers+=("$tool"); done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "teampulse $(target/release/teampulse --version | cut -d' ' -f2), release build, median of 3 runs"
echo
printf '%-9s %-9s %-7s %-8s %-7s %-12s %-8s %-9s %-8s' events rows MB tasks wall_s events/s MB/s peak_MiB page_KB
for r in "${readers[@]}"; do printf ' %-15s' "$r-read_s(×)"; done
echo
steps=()
for n in "${sizes[@]}"; do
  log="$out/events-$n.csv"
  [ -f "$log" ] || target/release/teampulse-gen --events "$n" --seed 1 > "$log" 2> /dev/null
  rows=$(($(wc -l < "$log") - 1))
  bytes=$(stat -c %s "$log")
  read -r wall kib run < <(median3 target/release/teampulse build "$log" -o "$out/site-$n" -v)
  tasks=$(grep -o '[0-9]* task(s)$' "$out/stderr-$run.txt" | cut -d' ' -f1)
  steps+=("$n events:" "$(sed -n 's/^teampulse: \(.*\) (\([0-9]* ms\), peak \([0-9]* MiB\))$/  \2  \3  \1/p' "$out/stderr-$run.txt")")
  page=$(largest_page "$out/site-$n" | cut -d' ' -f1)
  line=$(awk -v e="$n" -v n="$rows" -v b="$bytes" -v w="$wall" -v k="$kib" -v t="$tasks" -v p="$page" \
    'BEGIN { printf "%-9d %-9d %-7.0f %-8s %-7.2f %-12.0f %-8.1f %-9.0f %-8.0f", e, n, b/1048576, t, w, n/w, b/1048576/w, k/1024, p/1024 }')
  for r in "${readers[@]}"; do
    case "$r" in
      polars) read -r rw _ _ < <(median3 python3 -c "import polars as pl, sys; pl.read_csv(sys.argv[1], infer_schema_length=0)" "$log") ;;
      *) read -r rw _ _ < <(median3 "$r" count "$log") ;;
    esac
    line+=$(awk -v r="$rw" -v w="$wall" 'BEGIN { printf " %-15s", sprintf("%.2f (%.1f×)", r, w/r) }')
  done
  echo "$line"
done
echo
echo "steps of the median run (time, peak memory so far, step):"
printf '%s\n' "${steps[@]}"

# Page weight: a team of about 2,500 tasks must get a team page under 250 KB (charts thinned
# and capped, the rest in the downloads). Not a timing: fails the script when it does not hold.
log="$out/events-16800.csv"
[ -f "$log" ] || target/release/teampulse-gen --events 16800 --seed 1 > "$log" 2> /dev/null
target/release/teampulse build "$log" -o "$out/site-pages" -q
read -r bytes tasks slug < <(largest_page "$out/site-pages")
echo
echo "page weight: teams/$slug/index.html is $((bytes / 1024)) KB for $tasks tasks (limit 250 KB)"
rm -f "$out"/stderr*.txt "$out/time.txt"
[ "$tasks" -ge 2000 ] || { echo "page weight: the team has $tasks tasks, not about 2,500" >&2; exit 1; }
[ "$bytes" -lt 256000 ] || { echo "page weight: over the 250 KB limit" >&2; exit 1; }
rm -f "$out"/stderr*.txt "$out/time.txt"
