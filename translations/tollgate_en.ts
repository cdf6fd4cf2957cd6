<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>tollgate::gui::HealthModel</name>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>%n s ago</numerusform>
            <numerusform>%n s ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::HealthView</name>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n d</numerusform>
            <numerusform>%n d</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The gateway probes every upstream instance by itself; this view shows its last answer, refreshed every %n s. An instance is up when its health path answers with a status below 500.</source>
        <translation>
            <numerusform>The gateway probes every upstream instance by itself; this view shows its last answer, refreshed every second. An instance is up when its health path answers with a status below 500.</numerusform>
            <numerusform>The gateway probes every upstream instance by itself; this view shows its last answer, refreshed every %n s. An instance is up when its health path answers with a status below 500.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyDetailPane</name>
    <message numerus="yes">
        <source>%n keys selected. Revoke them or change their tier with the buttons above.</source>
        <translation>
            <numerusform>%n key selected. Revoke it or change its tier with the buttons above.</numerusform>
            <numerusform>%n keys selected. Revoke them or change their tier with the buttons above.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyShownDialog</name>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n s if it still holds the key.</source>
        <translation>
            <numerusform>Copied. The clipboard is cleared in %n s if it still holds the key.</numerusform>
            <numerusform>Copied. The clipboard is cleared in %n s if it still holds the key.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyUsageChart</name>
    <message numerus="yes">
        <source>%n request(s) in 30 days</source>
        <translation>
            <numerusform>%n request in 30 days</numerusform>
            <numerusform>%n requests in 30 days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeysView</name>
    <message numerus="yes">
        <source>Revoke %n keys? Calls with these keys are refused within seconds.</source>
        <translation>
            <numerusform>Revoke %n key? Calls with this key are refused within seconds.</numerusform>
            <numerusform>Revoke %n keys? Calls with these keys are refused within seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Revoking %n keys…</source>
        <translation>
            <numerusform>Revoking %n key…</numerusform>
            <numerusform>Revoking %n keys…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moving %n key(s) to the %1 tier…</source>
        <translation>
            <numerusform>Moving %n key to the %1 tier…</numerusform>
            <numerusform>Moving %n keys to the %1 tier…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 %n failed; the first: %2</source>
        <translation>
            <numerusform>%1 %n failed: %2</numerusform>
            <numerusform>%1 %n failed; the first: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::MainWindow</name>
    <message numerus="yes">
        <source>The gateway cannot be reached (%1). Retrying in %n s; the views show the last data.</source>
        <translation>
            <numerusform>The gateway cannot be reached (%1). Retrying in %n s; the views show the last data.</numerusform>
            <numerusform>The gateway cannot be reached (%1). Retrying in %n s; the views show the last data.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::TierTableModel</name>
    <message numerus="yes">
        <source>A name has at most %n characters.</source>
        <translation>
            <numerusform>A name has at most %n character.</numerusform>
            <numerusform>A name has at most %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::UsageView</name>
    <message numerus="yes">
        <source>No usage in the last %n days — calls with a key appear here within a few seconds.</source>
        <translation>
            <numerusform>No usage in the last day — calls with a key appear here within a few seconds.</numerusform>
            <numerusform>No usage in the last %n days — calls with a key appear here within a few seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No usage of this key in the last %n days — its calls appear here within a few seconds.</source>
        <translation>
            <numerusform>No usage of this key in the last day — its calls appear here within a few seconds.</numerusform>
            <numerusform>No usage of this key in the last %n days — its calls appear here within a few seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Last %n days</source>
        <translation>
            <numerusform>Last day</numerusform>
            <numerusform>Last %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::keytime</name>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
</context>
</TS>
