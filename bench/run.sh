#!/usr/bin/env bash
# Benchmark: generate seeded event logs of 10k, 100k and 1M events and time `teampulse build` on
# each (release build), three runs per size; reports the median wall time and the peak memory
# (max RSS) of that run. Usage: bench/run.sh [SIZES...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
cargo build --release --quiet --bins
out=bench/out
mkdir -p "$out"
printf '%-10s %-8s %-8s %-9s %-10s %-10s\n' events rows file_mb tasks wall_s peak_mib
for n in "${sizes[@]}"; do
  log="$out/events-$n.csv"
  [ -f "$log" ] || target/release/teampulse-gen --events "$n" --seed 1 > "$log" 2>/dev/null
  runs=()
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$out/time.txt" target/release/teampulse build "$log" -o "$out/site-$n" -q
    runs+=("$(cat "$out/time.txt")")
  done
  read -r wall kib < <(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
  rows=$(($(wc -l < "$log") - 1))
  tasks=$(($(cat "$out/site-$n"/data/*/items.csv | wc -l) - $(ls "$out/site-$n"/data/*/items.csv | wc -l)))
  printf '%-10s %-8s %-8s %-9s %-10s %-10s\n' "$n" "$rows" "$(($(stat -c %s "$log") / 1048576))" "$tasks" "$wall" "$((kib / 1024))"
done
