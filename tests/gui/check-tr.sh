#!/usr/bin/env bash
# Every user-visible string of the console goes through tr(): no literal handed to a setter that shows text.
# A line that really shows a fixed, untranslatable text (a key prefix, a product name) says so with
# "// untranslated: why".
#   check-tr.sh SOURCE_DIR
set -euo pipefail
src=$1
setters='setText|setWindowTitle|setToolTip|setPlaceholderText|setStatusTip|setWhatsThis|setAccessibleName|setAccessibleDescription|setTitle|setLabelText|addItem|setHeaderLabels|showMessage|setItemText|setTabText|setSuffix|setPrefix|setSpecialValueText|setEmptyText'
hits=$(grep -rnE "($setters)\((QStringLiteral\(|QLatin1String\(|u?\")" "$src/gui" --include=*.cpp \
       | grep -v '// untranslated:' | grep -vE "($setters)\((QStringLiteral|QLatin1String)\(\"\"\)" || true)
if [[ -n "$hits" ]]; then
    echo "user-visible literals not passed through tr():"
    echo "$hits"
    exit 1
fi
echo "check-tr: every text setter in gui/ gets a translated string"
