#!/usr/bin/env bash
# Benchmark: generate seeded event logs of 10k, 100k and 1M events and time `teampulse build` on
# each, reporting wall time and peak memory (max RSS). Usage: bench/run.sh [SIZES...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000 100000 1000000}")
[ $# -eq 0 ] && sizes=(10000 100000 1000000)
cargo build --release --quiet --bins
out=bench/out
mkdir -p "$out"
printf '%-10s %-10s %-8s %-8s %-10s\n' events file_mb tasks wall_s peak_mib
for n in "${sizes[@]}"; do
  log="$out/events-$n.csv"
  [ -f "$log" ] || target/release/teampulse-gen --events "$n" --seed 1 > "$log" 2>/dev/null
  /usr/bin/time -f '%e %M' -o "$out/time-$n.txt" \
    target/release/teampulse build "$log" -o "$out/site-$n" -q
  read -r wall kib < "$out/time-$n.txt"
  tasks=$(($(find "$out/site-$n/data" -name items.csv -exec cat {} + | wc -l) - $(find "$out/site-$n/data" -name items.csv | wc -l)))
  printf '%-10s %-10s %-8s %-8s %-10s\n' "$n" "$(($(stat -c %s "$log") / 1048576))" "$tasks" "$wall" "$((kib / 1024))"
done
