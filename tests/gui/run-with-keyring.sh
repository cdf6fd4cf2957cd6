#!/usr/bin/env bash
# Runs a test inside its own D-Bus session with a real Secret Service (gnome-keyring, unlocked with a throwaway
# password, its keyring in a temporary HOME), as a desktop has: QtKeychain talks to it as it would on a desktop.
#   run-with-keyring.sh TEST [ARGS…]
set -euo pipefail
home=$(mktemp -d /tmp/tollgate-keyring.XXXXXX)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export TOLLGATE_TEST_KEYRING=1
exec dbus-run-session -- bash -c 'echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' keyring "$@"
