#!/usr/bin/env bash
# One night of teampulse: build the site from tonight's exports with the nightly history, then
# print every team's KPIs and exit as `teampulse check` does (0 fine, 1 a KPI in alert — after
# the site is published — 2 or 3 a config or input problem).
#
# Usage: scripts/nightly.sh EXPORTS HISTORY SITE [options for build and check, e.g. -c FILE]
# The history folder must survive between nights (a branch, a cache, an artifact): see the
# README, "Running it nightly".
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 EXPORTS HISTORY SITE [options]" >&2
  exit 2
fi
exports=$1 history=$2 site=$3
shift 3
teampulse build "$exports" --history "$history" -o "$site" "$@"
teampulse check "$exports" --history "$history" "$@"
