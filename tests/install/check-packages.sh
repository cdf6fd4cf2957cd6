#!/usr/bin/env bash
# The Debian packages (issue 11 §1): builds them with CPack from the build tree, then checks what an operator gets.
#   tollgate-daemon: tollgated, the hardened unit (systemd-analyze verify), the commented config (a conffile, and the
#   daemon starts with it as shipped), man page, bash completion; Depends name the SQL drivers and no GUI library.
#   tollgate-console: tollgate, desktop entry, metainfo, icon; Depends name Widgets and the SVG icon engine.
# usage: check-packages.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"; source="$2"
work=$(mktemp -d /tmp/tollgate-packages.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1) \
    || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
daemon=$(ls "$work"/out/tollgate-daemon_*.deb) || fail "no tollgate-daemon package"
echo "built: $(cd "$work/out" && ls ./*.deb | xargs -n1 basename | tr '\n' ' ')"

contents() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's|^\./|/|'; }
expect_file() { contents "$1" | grep -qx "$2" || fail "$(basename "$1") lacks $2"; }

for f in /usr/bin/tollgated /usr/lib/systemd/system/tollgated.service /etc/tollgate/tollgate.conf \
         /usr/share/man/man1/tollgated.1 /usr/share/bash-completion/completions/tollgated; do
    expect_file "$daemon" "$f"
done
depends=$(dpkg-deb -f "$daemon" Depends)
echo "tollgate-daemon Depends: $depends"
for lib in libqt6gui6 libqt6widgets6 libqt6charts6 libqt6keychain1 libqt6dbus6; do
    [[ $depends == *"$lib"* ]] && fail "tollgate-daemon depends on the GUI library $lib"
done
for need in libqt6sql6-sqlite libqt6sql6-psql libqt6core6 libqt6network6 libsystemd0; do
    [[ $depends == *"$need"* ]] || fail "tollgate-daemon does not depend on $need"
done
dpkg-deb --ctrl-tarfile "$daemon" | tar -xO ./conffiles | grep -qx /etc/tollgate/tollgate.conf \
    || fail "/etc/tollgate/tollgate.conf is not a conffile"

root="$work/root"
dpkg-deb -x "$daemon" "$root"
unit="$root/usr/lib/systemd/system/tollgated.service"
for line in Type=notify DynamicUser=yes StateDirectory=tollgate ProtectSystem=strict NoNewPrivileges=yes WatchdogSec=30s; do
    grep -qx "$line" "$unit" || fail "the unit lacks $line"
done
grep -q '^ExecReload=' "$unit" || fail "the unit has no ExecReload"
if command -v systemd-analyze >/dev/null; then
    # The unit as shipped, but with ExecStart pointing into the unpacked package (verify checks it is executable).
    sed "s|/usr/bin/tollgated|$root/usr/bin/tollgated|" "$unit" >"$work/tollgated.service"
    systemd-analyze verify --man=no "$work/tollgated.service" 2>"$work/verify.log" \
        || { cat "$work/verify.log" >&2; fail "systemd-analyze verify"; }
    [[ -s "$work/verify.log" ]] && { cat "$work/verify.log" >&2; fail "systemd-analyze verify complained"; }
    echo "systemd-analyze verify: clean"
fi
bash -n "$root/usr/share/bash-completion/completions/tollgated" || fail "the completion script does not parse"

# The shipped config as the daemon reads it: every key it names (commented or not) is a setting the daemon knows,
# and every setting the daemon knows is in it; as shipped (all commented) the daemon starts with it.
tollgated="$root/usr/bin/tollgated"
conf="$root/etc/tollgate/tollgate.conf"
known=$("$tollgated" --help | grep -oE '\(([A-Z][A-Z0-9_]+)\)$' | tr -d '()' | sort -u)
named=$(sed -nE 's/^#? ?([A-Z][A-Z0-9_]+)=.*/\1/p' "$conf" | sort -u)
missing=$(comm -23 <(echo "$known") <(echo "$named"))
unknown=$(comm -13 <(echo "$known") <(echo "$named"))
[[ -z $missing ]] || fail "tollgate.conf does not mention: $(echo $missing)"
[[ -z $unknown ]] || fail "tollgate.conf names settings the daemon does not know: $(echo $unknown)"
STATE_DIRECTORY="$work/state" HOME=/proc "$tollgated" --config "$conf" migrate >"$work/migrate.log" 2>&1 \
    || { cat "$work/migrate.log" >&2; fail "tollgated migrate with the shipped config"; }
[[ -f "$work/state/tollgate.db" ]] || fail "the default database is not in \$STATE_DIRECTORY"
echo "shipped config: $(echo "$known" | wc -l) settings, all named; migrate with it: ok"

if console=$(ls "$work"/out/tollgate-console_*.deb 2>/dev/null); then
    for f in /usr/bin/tollgate /usr/share/applications/tollgate.desktop /usr/share/metainfo/org.tollgate.Console.metainfo.xml \
             /usr/share/icons/hicolor/scalable/apps/tollgate.svg; do
        expect_file "$console" "$f"
    done
    cdepends=$(dpkg-deb -f "$console" Depends)
    for need in libqt6widgets6 libqt6charts6 libqt6keychain1 libqt6svg6 qt6-translations-l10n libqt6sql6-sqlite; do
        [[ $cdepends == *"$need"* ]] || fail "tollgate-console does not depend on $need"
    done
    echo "tollgate-console Depends: $cdepends"
fi
echo "packages: ok"
