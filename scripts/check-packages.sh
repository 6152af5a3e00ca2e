#!/usr/bin/env bash
# Builds the .deb and .rpm packages the way a release does and checks what
# they install: the binary in /usr/bin, the man page, the bash, zsh and fish
# completions. nfpm is run from the Go module proxy (network needed; not part
# of go test). Its nfpm.yaml is made from the block between "nfpm-begin" and
# "nfpm-end" in .goreleaser.yaml, so the two cannot drift apart.
#
# Usage: scripts/check-packages.sh        (needs dpkg-deb; rpm: apt-get install rpm)
set -euo pipefail
cd "$(dirname "$0")/.."

NFPM_VERSION=${NFPM_VERSION:-v2.48.0}
version=${VERSION:-0.0.0}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for tool in dpkg-deb rpm; do
	command -v "$tool" >/dev/null || { echo "check-packages: $tool is missing (apt-get install -y ${tool%-deb})" >&2; exit 1; }
done

echo "== generating completions and the man page"
sh scripts/gen-docs.sh "$version"
echo "== building the binary"
CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags "-s -w -X main.version=$version -X main.commit=$(git rev-parse HEAD 2>/dev/null)" -o "$out/triage" ./cmd/triage

# nfpm.yaml: what goreleaser adds itself (name, arch, version, the binary
# in bindir), then the shared block.
{
	printf 'name: triage\narch: amd64\nplatform: linux\nversion: %s\n' "$version"
	sed -n '/# nfpm-begin/,/# nfpm-end/p' .goreleaser.yaml | sed '1d;$d' | sed 's/^    //'
} | sed "/^contents:\$/a\\
  - src: $out/triage\\
    dst: /usr/bin/triage\\
    file_info:\\
      mode: 0755" >"$out/nfpm.yaml"
grep -q '^contents:$' "$out/nfpm.yaml" || { echo "check-packages: no contents in the nfpm block of .goreleaser.yaml" >&2; exit 1; }

nfpm() { go run "github.com/goreleaser/nfpm/v2/cmd/nfpm@$NFPM_VERSION" "$@"; }
for p in deb rpm; do
	echo "== nfpm $NFPM_VERSION: $p"
	nfpm pkg --config "$out/nfpm.yaml" --packager "$p" --target "$out/"
done
deb=$(ls "$out"/*.deb)
rpm=$(ls "$out"/*.rpm)

fail=0
# expect LISTING PATH...: every PATH is in LISTING.
expect() {
	local listing=$1; shift
	for path in "$@"; do
		if ! grep -qE "(^|[ .])$path\$" <<<"$listing"; then
			echo "MISSING: $path"
			fail=1
		fi
	done
}
common=(/usr/bin/triage /usr/share/man/man1/triage.1.gz
	/usr/share/bash-completion/completions/triage
	/usr/share/fish/vendor_completions.d/triage.fish)

echo "== dpkg-deb -c $(basename "$deb")"
listing=$(dpkg-deb -c "$deb")
echo "$listing"
expect "$listing" "${common[@]}" /usr/share/zsh/vendor-completions/_triage /usr/share/doc/triage/copyright
grep -qE '^-rwxr-xr-x .* \./usr/bin/triage$' <<<"$listing" || { echo "NOT EXECUTABLE: /usr/bin/triage"; fail=1; }

echo "== rpm -qlp $(basename "$rpm")"
listing=$(rpm -qlp "$rpm" 2>/dev/null)
echo "$listing"
expect "$listing" "${common[@]}" /usr/share/zsh/site-functions/_triage /usr/share/licenses/triage/LICENSE

echo "== the packaged files work"
mkdir "$out/root"
dpkg-deb -x "$deb" "$out/root"
"$out/root/usr/bin/triage" version
zcat "$out/root/usr/share/man/man1/triage.1.gz" | groff -man -Tutf8 -ww -z 2>&1 | sed 's/^/groff: /' | grep . && fail=1
bash -n "$out/root/usr/share/bash-completion/completions/triage" || fail=1
for sh in zsh fish; do
	f=$(ls "$out"/root/usr/share/$sh/*/*triage* 2>/dev/null | head -1)
	if command -v $sh >/dev/null; then $sh -n "$f" || fail=1; fi
done

if [ "$fail" != 0 ]; then
	echo "check-packages: FAILED"
	exit 1
fi
echo "check-packages: ok ($(basename "$deb"), $(basename "$rpm"))"
