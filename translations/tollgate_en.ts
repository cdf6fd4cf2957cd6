<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>tollgate::MainWindow</name>
    <message>
        <source>Tollgate — API gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is not reachable yet; retrying.
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedded gateway ready.
Database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the embedded gateway…
Database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
