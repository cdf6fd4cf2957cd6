<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>tollgate::MainWindow</name>
    <message>
        <source>Tollgate — API gateway</source>
        <translation>Tollgate — API-Gateway</translation>
    </message>
    <message>
        <source>The database is not reachable yet; retrying.
%1</source>
        <translation>Die Datenbank ist noch nicht erreichbar; neuer Versuch läuft.
%1</translation>
    </message>
    <message>
        <source>Embedded gateway ready.
Database: %1</source>
        <translation>Eingebettetes Gateway bereit.
Datenbank: %1</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Starting the embedded gateway…
Database: %1</source>
        <translation>Eingebettetes Gateway startet …
Datenbank: %1</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
</context>
</TS>
