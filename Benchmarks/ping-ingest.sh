#!/usr/bin/env bash
# Ping ingest, Keepwatch against the real Healthchecks, in one run on the same machine with the same load line:
#   wrk -t2 -c32 -d10s --latency http://127.0.0.1:<port>/ping/<uuid>
# Keepwatch: the release binary, SQLite in a fresh data directory, one heartbeat check from keepwatch.yaml, its
# per-check rate limit raised out of the way (the limit is what a runaway script meets, not what is measured).
# Healthchecks: gunicorn -w 4 on SQLite (its quick start), one check; pings are counted through n_pings.
#
# Needs: wrk (apt-get install wrk), a release build (swift build -c release --product keepwatch, from the
# repository root), and a Healthchecks checkout with a virtualenv holding its requirements and gunicorn:
#   HC_DIR=<dir> with <dir>/src (github.com/healthchecks/healthchecks) and <dir>/venv (Python >= 3.12):
#   python3.13 -m venv $HC_DIR/venv && $HC_DIR/venv/bin/pip install -r $HC_DIR/src/requirements.txt gunicorn
# Usage: HC_DIR=/path Benchmarks/ping-ingest.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
keepwatch=${KEEPWATCH:-.build/release/keepwatch}
HC_DIR=${HC_DIR:?set HC_DIR to a directory holding src/ (a Healthchecks checkout) and venv/}
load=(wrk -t2 -c32 -d10s --latency)
uuid=5d1f4a3e-6b9c-4e0a-9a51-3c2b8f7d6e10
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }
rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
p50() { awk '/^ *50%/ {print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1" | tr '\n' ' '; }

# Keepwatch
kw_port=$(free_port)
mkdir -p "$work/kw"
cat > "$work/kw/keepwatch.yaml" <<YAML
port: $kw_port
monitor:
  ping_burst: 1000000
  pings_per_second: 1000000
checks:
  - name: bench-check
    kind: heartbeat
    uuid: $uuid
    period: 1d
YAML
"$keepwatch" serve --data "$work/kw" > "$work/kw.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$kw_port/healthz"
key=$("$keepwatch" admin apikey create --data "$work/kw" --read-only --name bench | head -1)
kw_pings() { curl -fs -H "X-Api-Key: $key" "http://127.0.0.1:$kw_port/api/v3/checks/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["checks"][0]["n_pings"])'; }

# Healthchecks
hc_port=$(free_port)
export SECRET_KEY=bench DEBUG=False ALLOWED_HOSTS=127.0.0.1,localhost SITE_ROOT=http://127.0.0.1:$hc_port DB_NAME=$work/hc.sqlite
(cd "$HC_DIR/src" && ../venv/bin/python manage.py migrate -v0 > /dev/null 2>&1)
hc_uuid=$(cd "$HC_DIR/src" && ../venv/bin/python manage.py shell 2>/dev/null <<'PY' | tail -1
from django.contrib.auth.models import User
from hc.accounts.models import Profile, Project
from hc.api.models import Check
u, _ = User.objects.get_or_create(username="bench", defaults={"email": "bench@example.org"})
p = Profile.objects.for_user(u); p.ping_log_limit = 100; p.save()
pr, _ = Project.objects.get_or_create(owner=u, defaults={"name": "bench", "badge_key": "bench"})
c, _ = Check.objects.get_or_create(project=pr, name="bench-check"); print(c.code)
PY
)
(cd "$HC_DIR/src" && exec ../venv/bin/gunicorn -w 4 -b "127.0.0.1:$hc_port" hc.wsgi:application > "$work/hc.log" 2>&1) &
pids+=($!)
wait_for "http://127.0.0.1:$hc_port/ping/$hc_uuid"
hc_pings() { (cd "$HC_DIR/src" && ../venv/bin/python manage.py shell -c "from hc.api.models import Check; print(Check.objects.get(code='$hc_uuid').n_pings)" 2>/dev/null | tail -1); }

echo "| round | Keepwatch req/s | p50 | stored | Healthchecks req/s | p50 | stored | ratio |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  before=$(kw_pings)
  "${load[@]}" "http://127.0.0.1:$kw_port/ping/$uuid" > "$work/kw.wrk"
  sleep 1
  kw_stored=$(( $(kw_pings) - before ))
  before=$(hc_pings)
  "${load[@]}" "http://127.0.0.1:$hc_port/ping/$hc_uuid" > "$work/hc.wrk"
  sleep 1
  hc_stored=$(( $(hc_pings) - before ))
  kw=$(rate "$work/kw.wrk"); hc=$(rate "$work/hc.wrk")
  ratio=$(python3 -c "print(f'{$kw / $hc:.0f}x')")
  echo "| $round | $kw | $(p50 "$work/kw.wrk") | $kw_stored | $hc | $(p50 "$work/hc.wrk") | $hc_stored | $ratio |"
  for file in kw hc; do
    said=$(errors "$work/$file.wrk"); [ -z "$said" ] || echo "  ($file: $said)"
  done
done
echo
echo "Keepwatch's memory after the runs: $(ps -o rss= -p "${pids[0]}" | awk '{printf "%.0f MiB", $1/1024}')"
