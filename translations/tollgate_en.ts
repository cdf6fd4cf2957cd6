<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
</TS>
