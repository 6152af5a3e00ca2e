#!/bin/sh
# Generates the shell completions (./completions) and the man page
# (./manpages/triage.1.gz) from the program's own flag sets, for the release
# archives and the .deb/.rpm packages. Used by goreleaser's before hook and
# by scripts/check-packages.sh.
#
# Usage: scripts/gen-docs.sh [VERSION]   (the version printed in the man page)
set -eu
cd "$(dirname "$0")/.."
version=${1:-dev}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
go build -trimpath -ldflags "-X main.version=$version" -o "$tmp/triage" ./cmd/triage
rm -rf completions manpages
mkdir -p completions manpages
"$tmp/triage" completion bash >completions/triage.bash
"$tmp/triage" completion zsh >completions/_triage
"$tmp/triage" completion fish >completions/triage.fish
# -n: no name or time stamp in the gzip header, so the file is reproducible.
"$tmp/triage" man | gzip -9n >manpages/triage.1.gz
