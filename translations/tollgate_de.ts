<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>tollgate::gui::ApiCall</name>
    <message>
        <source>The request was cancelled.</source>
        <translation>Die Anfrage wurde abgebrochen.</translation>
    </message>
    <message>
        <source>The gateway did not answer in time.</source>
        <translation>Das Gateway hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>The gateway cannot be reached: %1</source>
        <translation>Das Gateway ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>The gateway answered %1 %2.</source>
        <translation>Das Gateway antwortete %1 %2.</translation>
    </message>
    <message>
        <source>The gateway&apos;s answer could not be read.</source>
        <translation>Die Antwort des Gateways konnte nicht gelesen werden.</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::AuditDiffModel</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 changed</source>
        <translation>%1 geändert</translation>
    </message>
    <message>
        <source>Not present before</source>
        <translation>Vorher nicht vorhanden</translation>
    </message>
    <message>
        <source>Not present after</source>
        <translation>Nachher nicht vorhanden</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::AuditModel</name>
    <message>
        <source>Key created</source>
        <translation>Schlüssel erstellt</translation>
    </message>
    <message>
        <source>Key changed</source>
        <translation>Schlüssel geändert</translation>
    </message>
    <message>
        <source>Key revoked</source>
        <translation>Schlüssel widerrufen</translation>
    </message>
    <message>
        <source>Key regenerated</source>
        <translation>Schlüssel neu generiert</translation>
    </message>
    <message>
        <source>Credits granted</source>
        <translation>Credits gutgeschrieben</translation>
    </message>
    <message>
        <source>Tier created</source>
        <translation>Tarif erstellt</translation>
    </message>
    <message>
        <source>Tier changed</source>
        <translation>Tarif geändert</translation>
    </message>
    <message>
        <source>Tier removed</source>
        <translation>Tarif entfernt</translation>
    </message>
    <message>
        <source>Admin token created</source>
        <translation>Admin-Token erstellt</translation>
    </message>
    <message>
        <source>Admin token revoked</source>
        <translation>Admin-Token widerrufen</translation>
    </message>
    <message>
        <source>key %1</source>
        <translation>Schlüssel %1</translation>
    </message>
    <message>
        <source>tier %1</source>
        <translation>Tarif %1</translation>
    </message>
    <message>
        <source>admin token %1</source>
        <translation>Admin-Token %1</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>entfernt</translation>
    </message>
    <message>
        <source>created</source>
        <translation>erstellt</translation>
    </message>
    <message>
        <source>%1 (local time)</source>
        <translation>%1 (Ortszeit)</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Changed fields</source>
        <translation>Geänderte Felder</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::AuditView</name>
    <message>
        <source>The audit log could not be loaded: %1</source>
        <translation>Das Audit-Protokoll konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>The gateway refused the request: %1</source>
        <translation>Das Gateway hat die Anfrage abgelehnt: %1</translation>
    </message>
    <message>
        <source>Select an entry to see what it changed.</source>
        <translation>Wählen Sie einen Eintrag aus, um seine Änderungen zu sehen.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2) by &lt;b&gt;%3&lt;/b&gt; on %4</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (%2) von &lt;b&gt;%3&lt;/b&gt; am %4</translation>
    </message>
    <message>
        <source>no before or after recorded</source>
        <translation>kein Vorher/Nachher aufgezeichnet</translation>
    </message>
    <message>
        <source>Loading the audit log…</source>
        <translation>Audit-Protokoll wird geladen…</translation>
    </message>
    <message>
        <source>Entries shown: %1; loading older ones…</source>
        <translation>Angezeigte Einträge: %1; ältere werden geladen…</translation>
    </message>
    <message>
        <source>No entries match these filters.</source>
        <translation>Keine Einträge entsprechen diesen Filtern.</translation>
    </message>
    <message>
        <source>No admin actions recorded yet. Creating, changing or revoking a key or a tier adds an entry here.</source>
        <translation>Noch keine Admin-Aktionen aufgezeichnet. Wenn ein Schlüssel oder Tarif erstellt, geändert oder widerrufen wird, erscheint hier ein Eintrag.</translation>
    </message>
    <message>
        <source>Entries shown: %1; older ones load as you scroll.</source>
        <translation>Angezeigte Einträge: %1; ältere werden beim Scrollen geladen.</translation>
    </message>
    <message>
        <source>Entries: %1, the whole log.</source>
        <translation>Einträge: %1, das gesamte Protokoll.</translation>
    </message>
    <message>
        <source>Ac&amp;tor:</source>
        <translation>Ak&amp;teur:</translation>
    </message>
    <message>
        <source>Actor filter</source>
        <translation>Filter nach Akteur</translation>
    </message>
    <message>
        <source>Acti&amp;on:</source>
        <translation>&amp;Aktion:</translation>
    </message>
    <message>
        <source>Action filter</source>
        <translation>Filter nach Aktion</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Alle Aktionen</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Key id:</source>
        <translation>&amp;Schlüssel-ID:</translation>
    </message>
    <message>
        <source>any key</source>
        <translation>beliebiger Schlüssel</translation>
    </message>
    <message>
        <source>Key id filter</source>
        <translation>Filter nach Schlüssel-ID</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>Load &amp;older entries</source>
        <translation>Ä&amp;ltere Einträge laden</translation>
    </message>
    <message>
        <source>&amp;Changed fields only</source>
        <translation>Nur &amp;geänderte Felder</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <source>Before and after of the selected entry</source>
        <translation>Vorher und Nachher des ausgewählten Eintrags</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>exactly: cli, admin-token:name or a user id</source>
        <translation>genau: cli, admin-token:Name oder eine Benutzer-ID</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::Banner</name>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::BulkAction</name>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Cancelling after the key in progress…</source>
        <translation>Abbruch nach dem aktuellen Schlüssel…</translation>
    </message>
    <message>
        <source>%1 of %2: %3</source>
        <translation>%1 von %2: %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::CidrListEdit</name>
    <message>
        <source>Any address. One network per line, e.g. 10.0.0.0/8 or 2001:db8::/32</source>
        <translation>Beliebige Adresse. Ein Netz pro Zeile, z. B. 10.0.0.0/8 oder 2001:db8::/32</translation>
    </message>
    <message>
        <source>Line %1: “%2” is not a network; write an address with its prefix length, such as 10.0.0.0/8 or 2001:db8::/32.</source>
        <translation>Zeile %1: „%2“ ist kein Netz; geben Sie eine Adresse mit Präfixlänge an, z. B. 10.0.0.0/8 oder 2001:db8::/32.</translation>
    </message>
    <message>
        <source>At most %1 networks; this list has %2.</source>
        <translation>Höchstens %1 Netze; diese Liste enthält %2.</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::ConnectDialog</name>
    <message>
        <source>Connect to a gateway</source>
        <translation>Mit einem Gateway verbinden</translation>
    </message>
    <message>
        <source>Admin token</source>
        <translation>Admin-Token</translation>
    </message>
    <message>
        <source>&amp;Remember in the keychain</source>
        <translation>Im Schlüsselbund &amp;merken</translation>
    </message>
    <message>
        <source>No keychain (Secret Service) is running: the token is kept for this session only.</source>
        <translation>Es läuft kein Schlüsselbund (Secret Service): Das Token gilt nur für diese Sitzung.</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Admin &amp;token:</source>
        <translation>Admin-&amp;Token:</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::ConsoleTarget</name>
    <message>
        <source>Embedded gateway on %1:%2</source>
        <translation>Eingebettetes Gateway auf %1:%2</translation>
    </message>
    <message>
        <source>Remote gateway %1</source>
        <translation>Entferntes Gateway %1</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::CreateKeyDialog</name>
    <message>
        <source>New key</source>
        <translation>Neuer Schlüssel</translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <translation>&amp;Erstellen</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Wird erstellt…</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::EditKeyDialog</name>
    <message>
        <source>Edit “%1”</source>
        <translation>„%1“ bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::EndpointsEditor</name>
    <message>
        <source>Endpoint group %1</source>
        <translation>Endpunktgruppe %1</translation>
    </message>
    <message>
        <source>Endpoint groups</source>
        <translation>Endpunktgruppen</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::GrantCreditsDialog</name>
    <message>
        <source>Grant credits to “%1”</source>
        <translation>Credits für „%1“ gutschreiben</translation>
    </message>
    <message>
        <source>Credits are added to this period (the UTC month) only. Now: %1 used, %2 remaining.</source>
        <translation>Credits werden nur dem aktuellen Zeitraum (dem UTC-Monat) gutgeschrieben. Derzeit: %1 verbraucht, %2 verbleibend.</translation>
    </message>
    <message>
        <source> credits</source>
        <translation> Credits</translation>
    </message>
    <message>
        <source>Credits to grant</source>
        <translation>Gutzuschreibende Credits</translation>
    </message>
    <message>
        <source>&amp;Credits:</source>
        <translation>&amp;Credits:</translation>
    </message>
    <message>
        <source>&amp;Grant</source>
        <translation>&amp;Gutschreiben</translation>
    </message>
    <message>
        <source>Granting…</source>
        <translation>Wird gutgeschrieben…</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::HealthModel</name>
    <message>
        <source>Up</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Ausgefallen</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Deaktiviert</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>vor %n Sek.</numerusform>
            <numerusform>vor %n Sek.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>vor %n Min.</numerusform>
            <numerusform>vor %n Min.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>vor %n Std.</numerusform>
            <numerusform>vor %n Std.</numerusform>
        </translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Redis</source>
        <translation>Redis</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Half-open</source>
        <translation>Halb offen</translation>
    </message>
    <message>
        <source>This gateway reports one state for the whole upstream, not for each of its instances.</source>
        <translation>Dieses Gateway meldet einen Zustand für den gesamten Upstream, nicht für jede seiner Instanzen.</translation>
    </message>
    <message>
        <source>Not checked yet: the gateway&apos;s first probe has not answered.</source>
        <translation>Noch nicht geprüft: Die erste Prüfung des Gateways hat noch keine Antwort erhalten.</translation>
    </message>
    <message>
        <source>This gateway does not report Redis.</source>
        <translation>Dieses Gateway meldet keinen Redis-Status.</translation>
    </message>
    <message>
        <source>Rate limits are kept in the gateway&apos;s memory (RATE_LIMIT_BACKEND=local).</source>
        <translation>Ratenlimits werden im Speicher des Gateways gehalten (RATE_LIMIT_BACKEND=local).</translation>
    </message>
    <message>
        <source>Calls skip this instance until a half-open probe succeeds.</source>
        <translation>Aufrufe umgehen diese Instanz, bis eine Prüfung im halb offenen Zustand erfolgreich ist.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Last check</source>
        <translation>Letzte Prüfung</translation>
    </message>
    <message>
        <source>Breaker</source>
        <translation>Trennschalter</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Beeinträchtigt</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <source>Down (breaker open)</source>
        <translation>Ausgefallen (Trennschalter offen)</translation>
    </message>
    <message>
        <source>Probing (breaker half-open)</source>
        <translation>Wird geprüft (Trennschalter halb offen)</translation>
    </message>
    <message>
        <source>A few calls go to this instance to see whether it answers again.</source>
        <translation>Einzelne Aufrufe gehen an diese Instanz, um zu sehen, ob sie wieder antwortet.</translation>
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
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n Tg.</numerusform>
            <numerusform>%n Tg.</numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for the gateway&apos;s status…</source>
        <translation>Warten auf den Status des Gateways…</translation>
    </message>
    <message>
        <source>Instance %1 · version %2 · running for %3</source>
        <translation>Instanz %1 · Version %2 · Laufzeit %3</translation>
    </message>
    <message>
        <source>every upstream instance answers</source>
        <translation>alle Upstream-Instanzen antworten</translation>
    </message>
    <message>
        <source>upstream instances down: %1 of %2</source>
        <translation>ausgefallene Upstream-Instanzen: %1 von %2</translation>
    </message>
    <message>
        <source>Upstreams, database and Redis</source>
        <translation>Upstreams, Datenbank und Redis</translation>
    </message>
    <message numerus="yes">
        <source>The gateway probes every upstream instance by itself; this view shows its last answer, refreshed every %n s. An instance is up when its health path answers with a status below 500.</source>
        <translation>
            <numerusform>Das Gateway prüft jede Upstream-Instanz selbst; diese Ansicht zeigt seine letzte Antwort, jede Sekunde aktualisiert. Eine Instanz gilt als verfügbar, wenn ihr Health-Check-Pfad mit einem Status unter 500 antwortet.</numerusform>
            <numerusform>Das Gateway prüft jede Upstream-Instanz selbst; diese Ansicht zeigt seine letzte Antwort, aktualisiert alle %n s. Eine Instanz gilt als verfügbar, wenn ihr Health-Check-Pfad mit einem Status unter 500 antwortet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>upstream instances not checked yet: %1 of %2</source>
        <translation>noch nicht geprüfte Upstream-Instanzen: %1 von %2</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyDetailPane</name>
    <message numerus="yes">
        <source>%n keys selected. Revoke them or change their tier with the buttons above.</source>
        <translation>
            <numerusform>%n Schlüssel ausgewählt. Widerrufen Sie ihn oder ändern Sie seinen Tarif mit den Schaltflächen oben.</numerusform>
            <numerusform>%n Schlüssel ausgewählt. Widerrufen Sie sie oder ändern Sie ihren Tarif mit den Schaltflächen oben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a key to see its details and usage.</source>
        <translation>Wählen Sie einen Schlüssel aus, um Details und Nutzung zu sehen.</translation>
    </message>
    <message>
        <source>%1 (test key)</source>
        <translation>%1 (Testschlüssel)</translation>
    </message>
    <message>
        <source>● Active</source>
        <translation>● Aktiv</translation>
    </message>
    <message>
        <source>● Revoked</source>
        <translation>● Widerrufen</translation>
    </message>
    <message>
        <source>● Expired</source>
        <translation>● Abgelaufen</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>%1 requests per %2 s</source>
        <translation>%1 Anfragen pro %2 s</translation>
    </message>
    <message>
        <source>%1 used, %2 remaining this UTC month (%3 a month)</source>
        <translation>%1 verbraucht, %2 verbleibend in diesem UTC-Monat (%3 im Monat)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>any</source>
        <translation>beliebig</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Rate limit</source>
        <translation>Ratenlimit</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>Credits</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Bereiche</translation>
    </message>
    <message>
        <source>Allowed IPs</source>
        <translation>Erlaubte IPs</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Zuletzt genutzt</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>E&amp;dit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Grant credits…</source>
        <translation>&amp;Credits gutschreiben…</translation>
    </message>
    <message>
        <source>&amp;Regenerate…</source>
        <translation>Neu &amp;generieren…</translation>
    </message>
    <message>
        <source>Re&amp;voke…</source>
        <translation>Wider&amp;rufen…</translation>
    </message>
    <message>
        <source>Tier, limits, scopes, allowed IPs, expiry</source>
        <translation>Tarif, Limits, Bereiche, erlaubte IPs, Ablauf</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyForm</name>
    <message>
        <source>search</source>
        <translation>search</translation>
    </message>
    <message>
        <source>extract</source>
        <translation>extract</translation>
    </message>
    <message>
        <source>stt (speech to text)</source>
        <translation>stt (Sprache zu Text)</translation>
    </message>
    <message>
        <source>tts (text to speech)</source>
        <translation>tts (Text zu Sprache)</translation>
    </message>
    <message>
        <source>e.g. Search bot</source>
        <translation>z. B. Such-Bot</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Optional: what it is for, who to ask</source>
        <translation>Optional: wofür er dient, wer Ansprechpartner ist</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>The user id the key belongs to</source>
        <translation>Die Benutzer-ID, der der Schlüssel gehört</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>Ben&amp;utzer:</translation>
    </message>
    <message>
        <source>%1 — %2 req/%3 s, %4 credits a month</source>
        <translation>%1 — %2 Anfr./%3 s, %4 Credits im Monat</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>&amp;Tarif:</translation>
    </message>
    <message>
        <source>Test &amp;key (sk_test_…)</source>
        <translation>Test&amp;schlüssel (sk_test_…)</translation>
    </message>
    <message>
        <source> requests</source>
        <translation> Anfragen</translation>
    </message>
    <message>
        <source>&amp;Rate limit:</source>
        <translation>&amp;Ratenlimit:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Rate &amp;window:</source>
        <translation>&amp;Zeitfenster:</translation>
    </message>
    <message>
        <source> credits</source>
        <translation> Credits</translation>
    </message>
    <message>
        <source>&amp;Monthly credits:</source>
        <translation>&amp;Monatliche Credits:</translation>
    </message>
    <message>
        <source>Sco&amp;pes:</source>
        <translation>Berei&amp;che:</translation>
    </message>
    <message>
        <source>Allowed &amp;IPs:</source>
        <translation>Erlaubte &amp;IPs:</translation>
    </message>
    <message>
        <source>E&amp;xpires at</source>
        <translation>&amp;Läuft ab am</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>Expiry time (UTC)</source>
        <translation>Ablaufzeit (UTC)</translation>
    </message>
    <message>
        <source>Expiry:</source>
        <translation>Ablauf:</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>Überschreiben</translation>
    </message>
    <message>
        <source>Not in the %1 tier</source>
        <translation>Nicht im Tarif %1 enthalten</translation>
    </message>
    <message>
        <source>A name is required, so the key can be found again.</source>
        <translation>Ein Name ist erforderlich, damit der Schlüssel wiedergefunden werden kann.</translation>
    </message>
    <message>
        <source>Whose key is it? Enter the user id.</source>
        <translation>Wem gehört der Schlüssel? Geben Sie die Benutzer-ID ein.</translation>
    </message>
    <message>
        <source>Choose at least one endpoint group.</source>
        <translation>Wählen Sie mindestens eine Endpunktgruppe aus.</translation>
    </message>
    <message>
        <source>The expiry must be in the future.</source>
        <translation>Der Ablaufzeitpunkt muss in der Zukunft liegen.</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyListModel</name>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <extracomment>credits used &quot;of&quot; what the key may spend this period: &quot;3,120 of 5,000&quot;</extracomment>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>%1 (test key)</source>
        <translation>%1 (Testschlüssel)</translation>
    </message>
    <message>
        <source>%1 used, %2 remaining this period (UTC month); %3 a month</source>
        <translation>%1 verbraucht, %2 verbleibend in diesem Zeitraum (UTC-Monat); %3 im Monat</translation>
    </message>
    <message>
        <source>Never used</source>
        <translation>Nie genutzt</translation>
    </message>
    <message>
        <source>Never expires</source>
        <translation>Läuft nie ab</translation>
    </message>
    <message>
        <source>Credits used of what the key may spend this UTC month; sorted by the share used</source>
        <translation>Verbrauchte von den in diesem UTC-Monat verfügbaren Credits; sortiert nach verbrauchtem Anteil</translation>
    </message>
    <message>
        <source>Dates in UTC</source>
        <translation>Datumsangaben in UTC</translation>
    </message>
    <message>
        <source>The full time (UTC) is in each cell&apos;s tooltip</source>
        <translation>Die vollständige Zeit (UTC) steht im Tooltip jeder Zelle</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>Credits</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Zuletzt genutzt</translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation>Erstellt (UTC)</translation>
    </message>
    <message>
        <source>Expires (UTC)</source>
        <translation>Läuft ab (UTC)</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyPicker</name>
    <message>
        <source>All keys</source>
        <translation>Alle Schlüssel</translation>
    </message>
    <message>
        <source>Search keys by name, user or last 4…</source>
        <translation>Nach Name, Benutzer oder letzten 4 Zeichen suchen…</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>All keys, or type to find one key by its name, id, user or last 4 characters</source>
        <translation>Alle Schlüssel, oder tippen Sie, um einen Schlüssel nach Name, ID, Benutzer oder den letzten 4 Zeichen zu finden</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyShownDialog</name>
    <message>
        <source>Key created</source>
        <translation>Schlüssel erstellt</translation>
    </message>
    <message>
        <source>Key regenerated</source>
        <translation>Schlüssel neu generiert</translation>
    </message>
    <message>
        <source>This is the only time the key is shown.</source>
        <translation>Der Schlüssel wird nur dieses eine Mal angezeigt.</translation>
    </message>
    <message>
        <source>The new key “%1”:</source>
        <translation>Der neue Schlüssel „%1“:</translation>
    </message>
    <message>
        <source>The new secret of “%1”:</source>
        <translation>Der neue Schlüsselwert von „%1“:</translation>
    </message>
    <message>
        <source>The key</source>
        <translation>Der Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Store it now, in a password manager or your deployment&apos;s secret store. The gateway keeps only a hash of it: a lost key cannot be shown again, only regenerated.</source>
        <translation>Speichern Sie ihn jetzt in einem Passwortmanager oder im Secret-Store Ihrer Bereitstellung. Das Gateway bewahrt nur einen Hash davon auf: Ein verlorener Schlüssel kann nicht erneut angezeigt, nur neu generiert werden.</translation>
    </message>
    <message>
        <source>I have &amp;stored the key</source>
        <translation>Ich habe den Schlüssel &amp;gespeichert</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n s if it still holds the key.</source>
        <translation>
            <numerusform>Kopiert. Die Zwischenablage wird in %n s geleert, falls sie den Schlüssel noch enthält.</numerusform>
            <numerusform>Kopiert. Die Zwischenablage wird in %n s geleert, falls sie den Schlüssel noch enthält.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyUsageChart</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Client error</source>
        <translation>Client-Fehler</translation>
    </message>
    <message>
        <source>Upstream error</source>
        <translation>Upstream-Fehler</translation>
    </message>
    <message>
        <source>Rate limited</source>
        <translation>Ratenlimit erreicht</translation>
    </message>
    <message>
        <source>No credits</source>
        <translation>Keine Credits</translation>
    </message>
    <message>
        <source>Forbidden</source>
        <translation>Verboten</translation>
    </message>
    <message>
        <source>Usage of the last 30 days</source>
        <translation>Nutzung der letzten 30 Tage</translation>
    </message>
    <message>
        <source>Select a key to see its usage.</source>
        <translation>Wählen Sie einen Schlüssel aus, um seine Nutzung zu sehen.</translation>
    </message>
    <message>
        <source>Usage by day is not available from this gateway: %1</source>
        <translation>Die tägliche Nutzung ist bei diesem Gateway nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Usage could not be loaded: %1</source>
        <translation>Die Nutzung konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Beantwortet</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Last 30 days, by UTC day</source>
        <translation>Letzte 30 Tage, nach UTC-Tag</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) in 30 days</source>
        <translation>
            <numerusform>%n Anfrage in 30 Tagen</numerusform>
            <numerusform>%n Anfragen in 30 Tagen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeysView</name>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>The keys could not be loaded: %1</source>
        <translation>Die Schlüssel konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>The tiers could not be loaded: %1</source>
        <translation>Die Tarife konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>No keys match “%1”. Search looks at the name, id, user and last 4 characters.</source>
        <translation>Keine Schlüssel passen zu „%1“. Die Suche berücksichtigt Name, ID, Benutzer und die letzten 4 Zeichen.</translation>
    </message>
    <message>
        <source>No keys match these filters. Choose “All” to see every key.</source>
        <translation>Keine Schlüssel entsprechen diesen Filtern. Wählen Sie „Alle“, um alle Schlüssel zu sehen.</translation>
    </message>
    <message>
        <source>No keys yet — create the first one with New key or `tollgated keys create`.</source>
        <translation>Noch keine Schlüssel — erstellen Sie den ersten mit „Neuer Schlüssel“ oder `tollgated keys create`.</translation>
    </message>
    <message>
        <source>Created “%1” (%2).</source>
        <translation>„%1“ (%2) erstellt.</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>„%1“ gespeichert.</translation>
    </message>
    <message>
        <source>Granted %1 credits. Now %2 remaining of %3 this period.</source>
        <translation>%1 Credits gutgeschrieben. Jetzt %2 von %3 in diesem Zeitraum verbleibend.</translation>
    </message>
    <message>
        <source>Regenerated: the key is now %1.</source>
        <translation>Neu generiert: Der Schlüssel lautet jetzt %1.</translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation>Schlüssel widerrufen</translation>
    </message>
    <message>
        <source>Revoke keys</source>
        <translation>Schlüssel widerrufen</translation>
    </message>
    <message>
        <source>Revoke ‘%1’ (%2)? Calls with this key are refused within seconds.</source>
        <translation>„%1“ (%2) widerrufen? Aufrufe mit diesem Schlüssel werden innerhalb von Sekunden abgelehnt.</translation>
    </message>
    <message numerus="yes">
        <source>Revoke %n keys? Calls with these keys are refused within seconds.</source>
        <translation>
            <numerusform>%n Schlüssel widerrufen? Aufrufe mit diesem Schlüssel werden innerhalb von Sekunden abgelehnt.</numerusform>
            <numerusform>%n Schlüssel widerrufen? Aufrufe mit diesen Schlüsseln werden innerhalb von Sekunden abgelehnt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weiterer</numerusform>
            <numerusform>und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation>&amp;Widerrufen</translation>
    </message>
    <message>
        <source>Revoked “%1” (%2).</source>
        <translation>„%1“ (%2) widerrufen.</translation>
    </message>
    <message>
        <source>“%1” was not revoked: %2</source>
        <translation>„%1“ wurde nicht widerrufen: %2</translation>
    </message>
    <message numerus="yes">
        <source>Revoking %n keys…</source>
        <translation>
            <numerusform>%n Schlüssel wird widerrufen…</numerusform>
            <numerusform>%n Schlüssel werden widerrufen…</numerusform>
        </translation>
    </message>
    <message>
        <source>Revoked %1 of %2 keys.</source>
        <translation>%1 von %2 Schlüsseln widerrufen.</translation>
    </message>
    <message>
        <source>The selected keys are in the %1 tier already.</source>
        <translation>Die ausgewählten Schlüssel sind bereits im Tarif %1.</translation>
    </message>
    <message numerus="yes">
        <source>Moving %n key(s) to the %1 tier…</source>
        <translation>
            <numerusform>%n Schlüssel wird in den Tarif %1 verschoben…</numerusform>
            <numerusform>%n Schlüssel werden in den Tarif %1 verschoben…</numerusform>
        </translation>
    </message>
    <message>
        <source>Moved %1 of %2 keys to the %3 tier.</source>
        <translation>%1 von %2 Schlüsseln in den Tarif %3 verschoben.</translation>
    </message>
    <message>
        <source>Cancelled; the other keys were not changed.</source>
        <translation>Abgebrochen; die übrigen Schlüssel wurden nicht geändert.</translation>
    </message>
    <message numerus="yes">
        <source>%1 %n failed; the first: %2</source>
        <translation>
            <numerusform>%1 %n fehlgeschlagen; erster Fehler: %2</numerusform>
            <numerusform>%1 %n fehlgeschlagen; erster Fehler: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Search keys by name, id, user or last 4…</source>
        <translation>Schlüssel nach Name, ID, Benutzer oder letzten 4 Zeichen suchen…</translation>
    </message>
    <message>
        <source>Search keys</source>
        <translation>Schlüssel suchen</translation>
    </message>
    <message>
        <source>Search keys (Ctrl+F)</source>
        <translation>Schlüssel suchen (Strg+F)</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>&amp;Tarif:</translation>
    </message>
    <message>
        <source>St&amp;atus:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>All tiers</source>
        <translation>Alle Tarife</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>&amp;New key</source>
        <translation>&amp;Neuer Schlüssel</translation>
    </message>
    <message>
        <source>Create a key (Ctrl+N)</source>
        <translation>Schlüssel erstellen (Strg+N)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Load the keys again (F5)</source>
        <translation>Schlüssel neu laden (F5)</translation>
    </message>
    <message>
        <source>Revoke se&amp;lected</source>
        <translation>Ausgewählte &amp;widerrufen</translation>
    </message>
    <message>
        <source>Change t&amp;ier</source>
        <translation>Tari&amp;f ändern</translation>
    </message>
    <message>
        <source>Change the tier of the selected keys</source>
        <translation>Tarif der ausgewählten Schlüssel ändern</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Find key</source>
        <translation>Schlüssel suchen</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>Neuer Schlüssel</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::LiveRateChart</name>
    <message>
        <source>Last 5 minutes</source>
        <translation>Letzte 5 Minuten</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>Errors/s (4xx and 5xx)</source>
        <translation>Fehler/s (4xx und 5xx)</translation>
    </message>
    <message>
        <source>Local time</source>
        <translation>Ortszeit</translation>
    </message>
    <message>
        <source>Per second</source>
        <translation>Pro Sekunde</translation>
    </message>
    <message>
        <source>Requests and errors per second over the last 5 minutes</source>
        <translation>Anfragen und Fehler pro Sekunde in den letzten 5 Minuten</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::MainWindow</name>
    <message>
        <source>Tollgate — %1</source>
        <translation>Tollgate — %1</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>v%1</source>
        <translation>v%1</translation>
    </message>
    <message numerus="yes">
        <source>The gateway cannot be reached (%1). Retrying in %n s; the views show the last data.</source>
        <translation>
            <numerusform>Das Gateway ist nicht erreichbar (%1). Neuer Versuch in %n s; die Ansichten zeigen die letzten Daten.</numerusform>
            <numerusform>Das Gateway ist nicht erreichbar (%1). Neuer Versuch in %n s; die Ansichten zeigen die letzten Daten.</numerusform>
        </translation>
    </message>
    <message>
        <source>● Connected</source>
        <translation>● Verbunden</translation>
    </message>
    <message>
        <source>○ Disconnected</source>
        <translation>○ Getrennt</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>%1 req/s · %2% errors</source>
        <translation>%1 Anfr./s · %2 % Fehler</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::OverviewView</name>
    <message>
        <source>Up</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Ausgefallen</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Beeinträchtigt</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 Tg. %2 h</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 (instance %2)</source>
        <translation>%1 (Instanz %2)</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Instances up: %1 of %2</source>
        <translation>Verfügbare Instanzen: %1 von %2</translation>
    </message>
    <message>
        <source>Instances: %1</source>
        <translation>Instanzen: %1</translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation>%1 ist %2</translation>
    </message>
    <message>
        <source>No upstreams are configured.</source>
        <translation>Es sind keine Upstreams konfiguriert.</translation>
    </message>
    <message>
        <source>Top keys could not be loaded: %1</source>
        <translation>Die Top-Schlüssel konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>%1+</source>
        <translation>%1+</translation>
    </message>
    <message>
        <source>This gateway does not report its top keys (it is older than this console).</source>
        <translation>Dieses Gateway meldet keine Top-Schlüssel (es ist älter als diese Konsole).</translation>
    </message>
    <message>
        <source>No calls with a key today (UTC) — they appear here within a few seconds.</source>
        <translation>Heute (UTC) noch keine Aufrufe mit einem Schlüssel — sie erscheinen hier innerhalb weniger Sekunden.</translation>
    </message>
    <message>
        <source>Gateway:</source>
        <translation>Gateway:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Datenbank:</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <source>Up for:</source>
        <translation>Laufzeit:</translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation>Anfragen/s</translation>
    </message>
    <message>
        <source>over the last 10 seconds</source>
        <translation>in den letzten 10 Sekunden</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>share of requests answered 4xx or 5xx</source>
        <translation>Anteil der Anfragen mit Antwort 4xx oder 5xx</translation>
    </message>
    <message>
        <source>Credits charged today</source>
        <translation>Heute berechnete Credits</translation>
    </message>
    <message>
        <source>since 00:00 UTC</source>
        <translation>seit 00:00 UTC</translation>
    </message>
    <message>
        <source>Keys active today</source>
        <translation>Heute aktive Schlüssel</translation>
    </message>
    <message>
        <source>keys with calls since 00:00 UTC</source>
        <translation>Schlüssel mit Aufrufen seit 00:00 UTC</translation>
    </message>
    <message>
        <source>Top keys today (UTC)</source>
        <translation>Top-Schlüssel heute (UTC)</translation>
    </message>
    <message>
        <source>Top keys today</source>
        <translation>Top-Schlüssel heute</translation>
    </message>
    <message>
        <source>Upstreams</source>
        <translation>Upstreams</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>beyond a limit, of %1 rate-limit decisions</source>
        <translation>über einem Limit, von %1 Limit-Entscheidungen</translation>
    </message>
    <message>
        <source>Over-admitted calls</source>
        <translation>Über ein Limit hinaus zugelassen</translation>
    </message>
    <message>
        <source>beyond a limit, measured after the fact</source>
        <translation>über einem Limit, nachträglich gemessen</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::RegenerateKeyDialog</name>
    <message>
        <source>Regenerate “%1”</source>
        <translation>„%1“ neu generieren</translation>
    </message>
    <message>
        <source>A new secret replaces %1. The new key is shown once. Clients still using the old one keep working for the grace period, then are refused.</source>
        <translation>Ein neuer Schlüsselwert ersetzt %1. Der neue Schlüssel wird nur einmal angezeigt. Clients, die noch den alten verwenden, funktionieren während der Übergangsfrist weiter und werden danach abgelehnt.</translation>
    </message>
    <message>
        <source>None — the old key stops now</source>
        <translation>Keine — der alte Schlüssel wird sofort ungültig</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <source>&amp;Grace period:</source>
        <translation>Übergangs&amp;frist:</translation>
    </message>
    <message>
        <source>Grace period</source>
        <translation>Übergangsfrist</translation>
    </message>
    <message>
        <source>&amp;Regenerate</source>
        <translation>&amp;Neu generieren</translation>
    </message>
    <message>
        <source>Regenerating…</source>
        <translation>Wird neu generiert…</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::RemoteLogin</name>
    <message>
        <source>The keychain could not be read: %1</source>
        <translation>Der Schlüsselbund konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>TOLLGATE_ADMIN_TOKEN was refused: %1</source>
        <translation>TOLLGATE_ADMIN_TOKEN wurde abgelehnt: %1</translation>
    </message>
    <message>
        <source>The gateway refused the token: %1</source>
        <translation>Das Gateway hat das Token abgelehnt: %1</translation>
    </message>
    <message>
        <source>No admin token was given.</source>
        <translation>Es wurde kein Admin-Token angegeben.</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::ScreenshotRunner</name>
    <message>
        <source>Cannot create the screenshot directory %1.</source>
        <translation>Das Verzeichnis für Bildschirmfotos %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>No data could be loaded for: %1</source>
        <translation>Für folgende Ansichten konnten keine Daten geladen werden: %1</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::SettingsView</name>
    <message>
        <source>The token for %1 was removed from the keychain.</source>
        <translation>Das Token für %1 wurde aus dem Schlüsselbund entfernt.</translation>
    </message>
    <message>
        <source>The token for %1 could not be removed: %2</source>
        <translation>Das Token für %1 konnte nicht entfernt werden: %2</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>Servers with an admin token in the keychain:</source>
        <translation>Server mit einem Admin-Token im Schlüsselbund:</translation>
    </message>
    <message>
        <source>&amp;Forget token</source>
        <translation>Token &amp;vergessen</translation>
    </message>
    <message>
        <source>Known servers</source>
        <translation>Bekannte Server</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::TierTableModel</name>
    <message>
        <source>New tier</source>
        <translation>Neuer Tarif</translation>
    </message>
    <message>
        <source>A slug is 1 to 32 lower-case letters, digits, &apos;-&apos; or &apos;_&apos;, starting with a letter or digit.</source>
        <translation>Ein Kürzel besteht aus 1 bis 32 Kleinbuchstaben, Ziffern, „-“ oder „_“ und beginnt mit einem Buchstaben oder einer Ziffer.</translation>
    </message>
    <message>
        <source>Another tier already has the slug &quot;%1&quot;.</source>
        <translation>Ein anderer Tarif hat bereits das Kürzel „%1“.</translation>
    </message>
    <message>
        <source>A tier needs a name.</source>
        <translation>Ein Tarif benötigt einen Namen.</translation>
    </message>
    <message numerus="yes">
        <source>A name has at most %n characters.</source>
        <translation>
            <numerusform>Ein Name hat höchstens %n Zeichen.</numerusform>
            <numerusform>Ein Name hat höchstens %n Zeichen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The rate is a whole number of requests.</source>
        <translation>Die Rate ist eine ganze Zahl von Anfragen.</translation>
    </message>
    <message>
        <source>The window is a whole number of seconds.</source>
        <translation>Das Zeitfenster ist eine ganze Zahl von Sekunden.</translation>
    </message>
    <message>
        <source>The rate must be at least 1 request.</source>
        <translation>Die Rate muss mindestens 1 Anfrage betragen.</translation>
    </message>
    <message>
        <source>The window must be at least 1 second.</source>
        <translation>Das Zeitfenster muss mindestens 1 Sekunde betragen.</translation>
    </message>
    <message>
        <source>At most %1.</source>
        <translation>Höchstens %1.</translation>
    </message>
    <message>
        <source>Monthly credits are a whole number.</source>
        <translation>Monatliche Credits sind eine ganze Zahl.</translation>
    </message>
    <message>
        <source>Monthly credits must not be negative.</source>
        <translation>Monatliche Credits dürfen nicht negativ sein.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is no endpoint group (known: %2).</source>
        <translation>„%1“ ist keine Endpunktgruppe (bekannt: %2).</translation>
    </message>
    <message>
        <source>The price is an amount with at most two decimals, such as %1.</source>
        <translation>Der Preis ist ein Betrag mit höchstens zwei Nachkommastellen, z. B. %1.</translation>
    </message>
    <message>
        <source>The price must not be negative.</source>
        <translation>Der Preis darf nicht negativ sein.</translation>
    </message>
    <message>
        <source>The price is too high.</source>
        <translation>Der Preis ist zu hoch.</translation>
    </message>
    <message>
        <source>This column cannot be edited.</source>
        <translation>Diese Spalte kann nicht bearbeitet werden.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>New tier, not saved yet.</source>
        <translation>Neuer Tarif, noch nicht gespeichert.</translation>
    </message>
    <message>
        <source>Changed, not saved yet (saved: %1).</source>
        <translation>Geändert, noch nicht gespeichert (gespeichert: %1).</translation>
    </message>
    <message>
        <source>Requests allowed per window and key (at least 1)</source>
        <translation>Erlaubte Anfragen pro Zeitfenster und Schlüssel (mindestens 1)</translation>
    </message>
    <message>
        <source>Length of the rolling rate window in seconds (at least 1)</source>
        <translation>Länge des gleitenden Zeitfensters in Sekunden (mindestens 1)</translation>
    </message>
    <message>
        <source>Credits per key and calendar month (UTC)</source>
        <translation>Credits pro Schlüssel und Kalendermonat (UTC)</translation>
    </message>
    <message>
        <source>Endpoint groups the tier may call: %1</source>
        <translation>Endpunktgruppen, die der Tarif aufrufen darf: %1</translation>
    </message>
    <message>
        <source>Monthly price, in the billing currency, two decimals</source>
        <translation>Monatspreis in der Abrechnungswährung, zwei Nachkommastellen</translation>
    </message>
    <message>
        <source>Slug</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Window (s)</source>
        <translation>Fenster (s)</translation>
    </message>
    <message>
        <source>Monthly credits</source>
        <translation>Credits/Monat</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>Endpunkte</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not GROUP=RATE/SECONDS, such as stt=5/3600.</source>
        <translation>„%1“ hat nicht die Form GRUPPE=ANZAHL/SEKUNDEN, etwa stt=5/3600.</translation>
    </message>
    <message>
        <source>A limit needs at least 1 request and a window of at least 1 second.</source>
        <translation>Ein Limit braucht mindestens 1 Anfrage und ein Zeitfenster von mindestens 1 Sekunde.</translation>
    </message>
    <message>
        <source>The %1 group has two limits; give it one.</source>
        <translation>Die Gruppe %1 hat zwei Limits; geben Sie ihr eines.</translation>
    </message>
    <message>
        <source>%1: %2 per %3 s</source>
        <translation>%1: %2 pro %3 s</translation>
    </message>
    <message>
        <source>Extra limits per endpoint group on top of the rate, as GROUP=RATE/SECONDS, e.g. stt=5/3600; every limit that applies must admit a call</source>
        <translation>Zusätzliche Limits je Endpunktgruppe neben der Rate, als GRUPPE=ANZAHL/SEKUNDEN, etwa stt=5/3600; jedes zutreffende Limit muss einen Aufruf zulassen</translation>
    </message>
    <message>
        <source>Endpoint limits</source>
        <translation>Endpunkt-Limits</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::TiersView</name>
    <message>
        <source>%1 of “%2” not changed: %3</source>
        <translation>%1 von „%2“ nicht geändert: %3</translation>
    </message>
    <message>
        <source>Your unsaved changes are kept; Revert shows the gateway&apos;s tiers again.</source>
        <translation>Ihre ungespeicherten Änderungen bleiben erhalten; „Zurücksetzen“ zeigt wieder die Tarife des Gateways.</translation>
    </message>
    <message>
        <source>Saved. Every gateway instance uses the new tiers within seconds.</source>
        <translation>Gespeichert. Alle Gateway-Instanzen verwenden die neuen Tarife innerhalb von Sekunden.</translation>
    </message>
    <message>
        <source>The tiers could not be saved: %1</source>
        <translation>Die Tarife konnten nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>The tiers could not be loaded: %1</source>
        <translation>Die Tarife konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>The gateway refused the tiers: %1</source>
        <translation>Das Gateway hat die Tarife abgelehnt: %1</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>* Unsaved changes · removed: %1</source>
        <translation>* Ungespeicherte Änderungen · entfernt: %1</translation>
    </message>
    <message>
        <source>* Unsaved changes</source>
        <translation>* Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>&amp;Add tier</source>
        <translation>Tarif &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Re&amp;move tier</source>
        <translation>Tarif &amp;entfernen</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Add a tier (%1)</source>
        <translation>Tarif hinzufügen (%1)</translation>
    </message>
    <message>
        <source>Remove the selected tier (Delete); a tier used by keys stays</source>
        <translation>Ausgewählten Tarif entfernen (Entf); ein von Schlüsseln genutzter Tarif bleibt erhalten</translation>
    </message>
    <message>
        <source>Send all tiers to the gateway (%1)</source>
        <translation>Alle Tarife an das Gateway senden (%1)</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Tarife</translation>
    </message>
    <message>
        <source>Double-click a cell or start typing to edit it. Rate: requests per window and key; credits per calendar month (UTC); price with two decimals. Nothing reaches the gateway until Save.</source>
        <translation>Doppelklicken Sie auf eine Zelle oder beginnen Sie zu tippen, um sie zu bearbeiten. Rate: Anfragen pro Zeitfenster und Schlüssel; Credits pro Kalendermonat (UTC); Preis mit zwei Nachkommastellen. Erst mit „Speichern“ wird etwas an das Gateway gesendet.</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::TokenStore</name>
    <message>
        <source>No keychain (Secret Service) is available; the token is kept for this session only.</source>
        <translation>Kein Schlüsselbund (Secret Service) verfügbar; das Token gilt nur für diese Sitzung.</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::TopKeysModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>Credits</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::UsageCharts</name>
    <message>
        <source>%1 (UTC): %2 %3 of %4 requests</source>
        <translation>%1 (UTC): %2 %3 von %4 Anfragen</translation>
    </message>
    <message>
        <source>Requests per day</source>
        <translation>Anfragen pro Tag</translation>
    </message>
    <message>
        <source>Credits and average latency per day</source>
        <translation>Credits und mittlere Latenz pro Tag</translation>
    </message>
    <message>
        <source>Day (UTC)</source>
        <translation>Tag (UTC)</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>Credits</translation>
    </message>
    <message>
        <source>Avg latency (ms)</source>
        <translation>Ø Latenz (ms)</translation>
    </message>
    <message>
        <source>Requests per day, stacked</source>
        <translation>Anfragen pro Tag, gestapelt</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::UsageModel</name>
    <message>
        <source>OK (charged)</source>
        <translation>OK (berechnet)</translation>
    </message>
    <message>
        <source>Upstream error</source>
        <translation>Upstream-Fehler</translation>
    </message>
    <message>
        <source>Rate limited</source>
        <translation>Ratenlimit erreicht</translation>
    </message>
    <message>
        <source>Insufficient credits</source>
        <translation>Zu wenig Credits</translation>
    </message>
    <message>
        <source>Forbidden</source>
        <translation>Verboten</translation>
    </message>
    <message>
        <source>Client error</source>
        <translation>Client-Fehler</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>(no endpoint)</source>
        <translation>(kein Endpunkt)</translation>
    </message>
    <message>
        <source>Day (UTC)</source>
        <translation>Tag (UTC)</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>Credits</translation>
    </message>
    <message>
        <source>Avg latency (ms)</source>
        <translation>Ø Latenz (ms)</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::UsageView</name>
    <message>
        <source>Keys could not be searched: %1</source>
        <translation>Die Schlüsselsuche ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Usage could not be loaded: %1</source>
        <translation>Die Nutzung konnte nicht geladen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>No usage in the last %n days — calls with a key appear here within a few seconds.</source>
        <translation>
            <numerusform>Keine Nutzung seit %n Tag — Aufrufe mit einem Schlüssel erscheinen hier innerhalb weniger Sekunden.</numerusform>
            <numerusform>Keine Nutzung in den letzten %n Tagen — Aufrufe mit einem Schlüssel erscheinen hier innerhalb weniger Sekunden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No usage of this key in the last %n days — its calls appear here within a few seconds.</source>
        <translation>
            <numerusform>Keine Nutzung dieses Schlüssels seit %n Tag — seine Aufrufe erscheinen hier innerhalb weniger Sekunden.</numerusform>
            <numerusform>Keine Nutzung dieses Schlüssels in den letzten %n Tagen — seine Aufrufe erscheinen hier innerhalb weniger Sekunden.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 requests · %2 credits · %3 ms average latency from %4 to %5 (days in UTC)</source>
        <translation>%1 Anfragen · %2 Credits · %3 ms mittlere Latenz vom %4 bis %5 (Tage in UTC)</translation>
    </message>
    <message>
        <source>Export usage as CSV</source>
        <translation>Nutzung als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Export nach %1…</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>Nach %1 exportiert.</translation>
    </message>
    <message>
        <source>The export was cancelled; %1 was not written.</source>
        <translation>Der Export wurde abgebrochen; %1 wurde nicht geschrieben.</translation>
    </message>
    <message>
        <source>The usage could not be exported to %1: %2</source>
        <translation>Die Nutzung konnte nicht nach %1 exportiert werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Last %n days</source>
        <translation>
            <numerusform>Letzter %n Tag</numerusform>
            <numerusform>Letzte %n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>By &amp;outcome</source>
        <translation>Nach &amp;Ergebnis</translation>
    </message>
    <message>
        <source>By &amp;endpoint</source>
        <translation>Nach E&amp;ndpunkt</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>CSV e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Save exactly what is shown (range, key, grouping) as CSV, with UTC dates</source>
        <translation>Genau das Angezeigte (Zeitraum, Schlüssel, Gruppierung) als CSV speichern, mit UTC-Datumsangaben</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>Exportfortschritt</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>Nutzung</translation>
    </message>
</context>
<context>
    <name>tollgate::gui::keytime</name>
    <message>
        <source>%1 UTC</source>
        <extracomment>a date and time, then the zone it is in</extracomment>
        <translation>%1 UTC</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>vor %n Min.</numerusform>
            <numerusform>vor %n Min.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>vor %n Std.</numerusform>
            <numerusform>vor %n Std.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>vor %n Tag</numerusform>
            <numerusform>vor %n Tagen</numerusform>
        </translation>
    </message>
</context>
</TS>
