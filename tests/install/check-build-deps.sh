#!/usr/bin/env bash
# Fails when the build reads a file from a Debian package that a fresh machine would not have after
# `scripts/deps.sh --test --bench`: one that deps.sh does not name and that no named package pulls in through
# hard Depends/Pre-Depends (deps.sh installs without Recommends). The files are the ones the build itself
# recorded: every file CMake read while configuring (build.ninja's re-run dependencies) and every header the
# compiler opened (ninja's deps log).
#   check-build-deps.sh BUILD_DIR SOURCE_DIR [--without PKG]...
# --without drops a package from deps.sh's list, to show the check catching what it is for.
set -euo pipefail
build=$(realpath "$1"); source=$(realpath "$2"); shift 2
without=()
while [[ $# -gt 0 ]]; do
    case "$1" in
    --without) without+=("$2"); shift 2 ;;
    *) echo "check-build-deps: unknown argument $1" >&2; exit 2 ;;
    esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. What the build read from outside the source and build trees.
{
    awk '/^build build\.ninja: RERUN_CMAKE/ { for (i = 1; i <= NF; ++i) print $i }' "$build/build.ninja"
    (cd "$build" && ninja -t deps) | awk '/^    \// { print $1 }'
} | grep '^/' | grep -v -e "^$source/" -e "^$build/" | sort -u > "$work/files"
[[ -s "$work/files" ]] || { echo "check-build-deps: found no files the build read in $build" >&2; exit 2; }

# 2. Their packages. dpkg knows a file by the path its package installed it at: with Debian's merged /usr a
#    file read as /usr/lib/… may be listed as /lib/…, and one read through a symlink by its target.
: > "$work/needed"
# One dpkg-query for all paths as read, then one for the merged-/usr and symlink variants of what it missed.
lookup() {
    xargs -d '\n' dpkg-query -S 2>/dev/null < "$1" | awk -F': ' '{ n = split($1, a, ", "); for (i = 1; i <= n; ++i) { sub(/:.*/, "", a[i]); print a[i], $2 } }' || true
}
lookup "$work/files" > "$work/owned"
cut -d' ' -f2 "$work/owned" | sort -u > "$work/found"
comm -23 "$work/files" "$work/found" > "$work/missed"
while read -r f; do
    for alt in "$(realpath -m "$f")" "${f#/usr}" "/usr$f"; do echo "$alt $f"; done
done < "$work/missed" > "$work/variants"
cut -d' ' -f1 "$work/variants" | sort -u > "$work/variant-paths"
lookup "$work/variant-paths" > "$work/owned-variants"
cat "$work/owned" > "$work/needed"
awk 'NR == FNR { orig[$1] = $2; next } ($2 in orig) { print $1, orig[$2] }' "$work/variants" "$work/owned-variants" >> "$work/needed"
cut -d' ' -f2 "$work/needed" | sort -u > "$work/found"
comm -23 "$work/files" "$work/found" > "$work/unowned"

# 3. What a fresh machine has after deps.sh: its packages and their hard dependencies, recursively.
mapfile -t named < <("$source/scripts/deps.sh" --list --test --bench)
if [[ ${#without[@]} -gt 0 ]]; then
    mapfile -t named < <(printf '%s\n' "${named[@]}" | grep -vxF -f <(printf '%s\n' "${without[@]}"))
fi
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
    "${named[@]}" 2>/dev/null \
    | sed -E 's/^ *(\|?(Pre)?Depends: )?//; s/[<>]//g; s/:.*//' | grep -v '^$' | sort -u > "$work/allowed"
printf '%s\n' "${named[@]}" >> "$work/allowed"
# Essential packages are on every Debian system, named or not.
dpkg-query -W -f='${Package} ${Essential}\n' | awk '$2 == "yes" { print $1 }' >> "$work/allowed"
sort -u -o "$work/allowed" "$work/allowed"

missing=0
while read -r pkg file; do
    if ! grep -qx -- "$pkg" "$work/allowed"; then
        echo "the build reads $file from package $pkg, which scripts/deps.sh neither names nor hard-depends on"
        missing=1
    fi
done < <(sort -u -k1,1 "$work/needed")

echo "check-build-deps: $(wc -l < "$work/files") files read, from $(cut -d' ' -f1 "$work/needed" | sort -u | wc -l) packages;" \
     "$(wc -l < "$work/allowed") packages on a fresh machine after deps.sh; $(wc -l < "$work/unowned") files owned by no package"
if [[ -s "$work/unowned" ]]; then
    echo "not from any package (made on this machine, not installed):"; sed 's/^/  /' "$work/unowned" | head -20
fi
exit $missing
