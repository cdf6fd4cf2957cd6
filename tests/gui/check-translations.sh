#!/usr/bin/env bash
# The German translation is complete: lupdate, run over the console's sources into a copy of
# translations/tollgate_de.ts, finds no string that the file lacks and leaves no entry unfinished.
#   check-translations.sh SOURCE_DIR LUPDATE
set -euo pipefail
src=$1; lupdate=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/translations/tollgate_de.ts" "$work/de.ts"
"$lupdate" -silent -no-obsolete -locations none -I "$src" "$src/gui" "$src/app/console" -ts "$work/de.ts"
total=$(grep -c '<source>' "$work/de.ts" || true)
# An entry lupdate added, or one without a translation, carries type="unfinished".
missing=$(grep -B3 'type="unfinished"' "$work/de.ts" | sed -n 's/.*<source>\(.*\)<\/source>.*/  \1/p' || true)
count=$(grep -c 'type="unfinished"' "$work/de.ts" || true)
echo "check-translations: $total strings, $count not translated"
if [[ $count -gt 0 ]]; then
    echo "not translated in translations/tollgate_de.ts (run the update_translations target, then translate):"
    echo "$missing" | head -50
    exit 1
fi
