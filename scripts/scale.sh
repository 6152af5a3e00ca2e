#!/usr/bin/env bash
# Scale test: builds a store of N generated messages and reports what it
# costs. For each size it writes an mbox with the in-repo generator
# (internal/bench/gen), then measures with /usr/bin/time (GNU time):
#
#   analysis   triage scan --no-store          (no store: the ceiling)
#   ingest     triage scan into a fresh store  (wall time, peak RSS)
#   store      the store file's size
#   re-open    triage scan of the unchanged mailbox (wall time, peak RSS)
#   keys       a cursor move and a filter keystroke in the workbench with
#              every row of the store listed, and the time from an open
#              store to the first full frame (internal/ui BenchmarkStore*)
#   export     triage export --all --format jsonl
#
# and deletes the mailbox and the store afterwards (1,000,000 messages are
# about 10 GB of mbox). Nothing is left behind but the figures.
#
# Usage: scripts/scale.sh [N...]        (default: 100000)
#        SCALE_DIR=/big/disk scripts/scale.sh 100000 300000 1000000
#
# SCALE_DIR (default: a new directory under ${TMPDIR:-/var/tmp}) must hold
# about 11 KB per message. Note the load (uptime) printed first: on a busy
# machine compare user+sys CPU seconds rather than wall time.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v /usr/bin/time >/dev/null || { echo "scale: /usr/bin/time (GNU time) is missing" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000)
if [ -n "${SCALE_DIR:-}" ]; then
	dir=$SCALE_DIR
	mkdir -p "$dir"
	trap 'rm -rf "$dir"/scale.mbox "$dir"/scale.db "$dir"/export.jsonl "$dir"/bin "$dir"/time.txt' EXIT INT TERM
else
	dir=$(mktemp -d "${TMPDIR:-/var/tmp}/triage-scale.XXXXXX")
	trap 'rm -rf "$dir"' EXIT INT TERM
fi

mkdir -p "$dir/bin"
go build -o "$dir/bin/triage" ./cmd/triage
go build -o "$dir/bin/gen" ./internal/bench/gen
go test -c -o "$dir/bin/ui.test" ./internal/ui
# No configuration or IP databases of the user: the defaults only.
unset TRIAGE_CONFIG TRIAGE_DB TRIAGE_ASN_DB TRIAGE_COUNTRY_DB
export XDG_CONFIG_HOME="$dir" XDG_DATA_HOME="$dir"

# measure NAME CMD...: one line "NAME wall=S cpu=S rss=MB".
measure() {
	local name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" >/dev/null
	read -r wall user sys rss <"$dir/time.txt"
	awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
		'BEGIN { printf "%-10s wall=%6.2fs cpu=%6.2fs rss=%5d MB\n", n, w, u + s, r / 1024 }' 
}

echo "load: $(uptime)"
for n in "${sizes[@]}"; do
	rm -f "$dir/scale.mbox" "$dir/scale.db"
	"$dir/bin/gen" -q -n "$n" -o "$dir/scale.mbox"
	echo "== $n messages, mbox $(du -m "$dir/scale.mbox" | cut -f1) MB"
	measure analysis "$dir/bin/triage" scan -q --no-store "$dir/scale.mbox"
	measure ingest "$dir/bin/triage" scan -q --db "$dir/scale.db" "$dir/scale.mbox"
	echo "store      $(du -m "$dir/scale.db" | cut -f1) MB"
	measure re-open "$dir/bin/triage" scan -q --db "$dir/scale.db" "$dir/scale.mbox"
	# Key to frame in the workbench, every row of the store listed: a cursor
	# move, and a filter keystroke that re-scans every row (ms/key); and
	# the first full frame from an open store (ms/frame).
	(cd internal/ui && TRIAGE_BENCH_DB="$dir/scale.db" "$dir/bin/ui.test" -test.run XXX \
		-test.bench 'BenchmarkStore(Cursor|Filter)' -test.benchtime 20x &&
		TRIAGE_BENCH_DB="$dir/scale.db" "$dir/bin/ui.test" -test.run XXX \
			-test.bench 'BenchmarkStoreFirstFrame' -test.benchtime 3x) | awk '/ms\/(key|frame)/ { sub(/^Benchmark/, "", $1); sub(/-[0-9]+$/, "", $1); printf "%-20s %s %s\n", $1, $5, $6 }'
	measure export "$dir/bin/triage" export --all --format jsonl --db "$dir/scale.db" -o "$dir/export.jsonl"
	rm -f "$dir/scale.mbox" "$dir/scale.db" "$dir/export.jsonl"
done
