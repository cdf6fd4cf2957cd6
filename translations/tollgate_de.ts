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
    <name>tollgate::gui::TokenStore</name>
    <message>
        <source>No keychain (Secret Service) is available; the token is kept for this session only.</source>
        <translation>Kein Schlüsselbund (Secret Service) verfügbar; das Token gilt nur für diese Sitzung.</translation>
    </message>
</context>
</TS>
