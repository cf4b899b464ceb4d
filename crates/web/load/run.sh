#!/bin/sh
# Load figures for the election pages (release build, loopback):
#   import time of the TK2021 zip; the home page, the elections API, a search, a gemeente
#   page, overview, proof and an area page at 50 connections; what-if round trip.
# PAGES="/ /api/elections" measures only those pages.
# Usage: crates/web/load/run.sh [STEMBUS_BINARY] [ZIP]
set -eu
BIN=${1:-${CARGO_TARGET_DIR:-target}/release/stembus}
ZIP=${2:-../shared/data/TK2021/EML_bestanden_TK2021_deel_1.zip}
DATA=$(mktemp -d)
PORT=${PORT:-18090}
HERE=$(dirname "$0")
for i in 1 2 3; do "$BIN" import "$ZIP" --data "$DATA" >/dev/null; done
"$BIN" serve --data "$DATA" --addr "127.0.0.1:$PORT" 2>/dev/null &
PID=$!
trap 'kill $PID; rm -rf "$DATA"' EXIT
sleep 1
curl -s -o /dev/null "http://127.0.0.1:$PORT/verkiezingen/tk2021"   # load and compute once
# The margins are computed in the background after the first load; measure after that.
T0=$(date +%s)
until curl -s "http://127.0.0.1:$PORT/verkiezingen/tk2021/marges" | grep -q 'id="marges"'; do sleep 1; done
echo "margins ready after $(( $(date +%s) - T0 )) s"
DEFAULT_PAGES="/ /api/elections /zoeken?q=rutte /gemeenten/amsterdam /verkiezingen/tk2021 /verkiezingen/tk2021/berekening /verkiezingen/tk2021/gebied/kk3"
for page in ${PAGES:-$DEFAULT_PAGES}; do
  echo "== $page, 50 connections"
  wrk -t2 -c50 -d10s --latency "http://127.0.0.1:$PORT$page" | grep -E "Latency|50%|90%|99%|Requests/sec"
done
echo "== what-if round trip, 1 connection"
WEB_ELECTION=tk2021 wrk -t1 -c1 -d10s --latency -s "$HERE/whatif.lua" "http://127.0.0.1:$PORT" | grep -E "Latency|50%|90%|99%|Requests/sec"
