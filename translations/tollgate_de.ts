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
    <name>tollgate::gui::AuditDiffModel</name>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not present before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not present after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::AuditModel</name>
    <message>
        <source>Key created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key regenerated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits granted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin token created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin token revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tier %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin token %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (local time)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed fields</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::AuditView</name>
    <message>
        <source>The audit log could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The gateway refused the request: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an entry to see what it changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2) by &lt;b&gt;%3&lt;/b&gt; on %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no before or after recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the audit log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries shown: %1; loading older ones…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entries match these filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No admin actions recorded yet. Creating, changing or revoking a key or a tier adds an entry here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries shown: %1; older ones load as you scroll.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries: %1, the whole log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ac&amp;tor:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cli, admin-token:…, user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acti&amp;on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key id filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load &amp;older entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Changed fields only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before and after of the selected entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling after the key in progress…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::CidrListEdit</name>
    <message>
        <source>Any address. One network per line, e.g. 10.0.0.0/8 or 2001:db8::/32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1: “%2” is not a network; write an address with its prefix length, such as 10.0.0.0/8 or 2001:db8::/32.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most %1 networks; this list has %2.</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::EditKeyDialog</name>
    <message>
        <source>Edit “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::EndpointsEditor</name>
    <message>
        <source>Endpoint group %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint groups</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::GrantCreditsDialog</name>
    <message>
        <source>Grant credits to “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits are added to this period (the UTC month) only. Now: %1 used, %2 remaining.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits to grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Credits:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Granting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::HealthModel</name>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Half-open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This gateway reports one state for the whole upstream, not for each of its instances.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked yet: the gateway&apos;s first probe has not answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This gateway does not report Redis.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate limits are kept in the gateway&apos;s memory (RATE_LIMIT_BACKEND=local).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls skip this instance until a half-open probe succeeds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breaker</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::HealthView</name>
    <message numerus="yes">
        <source>%n s</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Waiting for the gateway&apos;s status…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance %1 · version %2 · running for %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every upstream instance answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upstream instances down: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upstreams, database and Redis</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The gateway probes every upstream instance by itself; this view shows its last answer, refreshed every %n s. An instance is up when it answers its health path at all.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyDetailPane</name>
    <message numerus="yes">
        <source>%n keys selected. Revoke them or change their tier with the buttons above.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select a key to see its details and usage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (test key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 requests per %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 used, %2 remaining this UTC month (%3 a month)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed IPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;dit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Grant credits…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Regenerate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;voke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier, limits, scopes, allowed IPs, expiry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyForm</name>
    <message>
        <source>search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>extract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stt (speech to text)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tts (text to speech)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Search bot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: what it is for, who to ask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user id the key belongs to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 req/%3 s, %4 credits a month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test &amp;key (sk_test_…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rate limit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate &amp;window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Monthly credits:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sco&amp;pes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed &amp;IPs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xpires at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expiry time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expiry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in the %1 tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name is required, so the key can be found again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whose key is it? Enter the user id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one endpoint group.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The expiry must be in the future.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyListModel</name>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <extracomment>credits used &quot;of&quot; what the key may spend this period: &quot;3,120 of 5,000&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (test key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 used, %2 remaining this period (UTC month); %3 a month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits used of what the key may spend this UTC month; sorted by the share used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dates in UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The full time (UTC) is in each cell&apos;s tooltip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyPicker</name>
    <message>
        <source>All keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search keys by name, user or last 4…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All keys, or type to find one key by its name, id, user or last 4 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyShownDialog</name>
    <message>
        <source>Key created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key regenerated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the only time the key is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new key “%1”:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new secret of “%1”:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store it now, in a password manager or your deployment&apos;s secret store. The gateway keeps only a hash of it: a lost key cannot be shown again, only regenerated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have &amp;stored the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n s if it still holds the key.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeyUsageChart</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upstream error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate limited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forbidden</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage of the last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a key to see its usage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage by day is not available from this gateway: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days, by UTC day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) in 30 days</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tollgate::gui::KeysView</name>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keys could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tiers could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keys match “%1”. Search looks at the name, id, user and last 4 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keys match these filters. Choose “All” to see every key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keys yet — create the first one with New key or `tollgated keys create`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created “%1” (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Granted %1 credits. Now %2 remaining of %3 this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerated: the key is now %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke ‘%1’ (%2)? Calls with this key are refused within seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Revoke %n keys? Calls with these keys are refused within seconds.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked “%1” (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” was not revoked: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Revoking %n keys…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Revoked %1 of %2 keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected keys are in the %1 tier already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Moving %n key(s) to the %1 tier…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Moved %1 of %2 keys to the %3 tier.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; the other keys were not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 %n failed; the first: %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Search keys by name, id, user or last 4…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search keys (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>St&amp;atus:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All tiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a key (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the keys again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke se&amp;lected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change t&amp;ier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the tier of the selected keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::LiveRateChart</name>
    <message>
        <source>Last 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors/s (4xx and 5xx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests and errors per second over the last 5 minutes</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (instance %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instances up: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instances: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No upstreams are configured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top keys could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1+</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This gateway does not report its top keys (it is older than this console).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No calls with a key today (UTC) — they appear here within a few seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gateway:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over the last 10 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>share of requests answered 4xx or 5xx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits charged today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>since 00:00 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys active today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keys with calls since 00:00 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top keys today (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top keys today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upstreams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::RegenerateKeyDialog</name>
    <message>
        <source>Regenerate “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new secret replaces %1. The new key is shown once. Clients still using the old one keep working for the grace period, then are refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None — the old key stops now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Grace period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grace period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerating…</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A slug is 1 to 32 lower-case letters, digits, &apos;-&apos; or &apos;_&apos;, starting with a letter or digit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another tier already has the slug &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tier needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>A name has at most %n characters.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The rate is a whole number of requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window is a whole number of seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rate must be at least 1 request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window must be at least 1 second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly credits are a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly credits must not be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is no endpoint group (known: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The price is an amount with at most two decimals, such as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The price must not be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The price is too high.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This column cannot be edited.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New tier, not saved yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed, not saved yet (saved: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests allowed per window and key (at least 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Length of the rolling rate window in seconds (at least 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits per key and calendar month (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint groups the tier may call: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly price, in the billing currency, two decimals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slug</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::TiersView</name>
    <message>
        <source>%1 of “%2” not changed: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your unsaved changes are kept; Revert shows the gateway&apos;s tiers again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. Every gateway instance uses the new tiers within seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tiers could not be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tiers could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The gateway refused the tiers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* Unsaved changes · removed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a tier (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected tier (Delete); a tier used by keys stays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send all tiers to the gateway (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a cell or start typing to edit it. Rate: requests per window and key; credits per calendar month (UTC); price with two decimals. Nothing reaches the gateway until Save.</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::UsageCharts</name>
    <message>
        <source>%1 (UTC): %2 %3 of %4 requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits and average latency per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avg latency (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests per day, stacked</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::UsageModel</name>
    <message>
        <source>OK (charged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upstream error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate limited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insufficient credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forbidden</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no endpoint)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avg latency (ms)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::UsageView</name>
    <message>
        <source>Keys could not be searched: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>No usage in the last %n days — calls with a key appear here within a few seconds.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No usage of this key in the last %n days — its calls appear here within a few seconds.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 requests · %2 credits · %3 ms average latency from %4 to %5 (days in UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export usage as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export was cancelled; %1 was not written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The usage could not be exported to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Last %n days</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>By &amp;outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By &amp;endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save exactly what is shown (range, key, grouping) as CSV, with UTC dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tollgate::gui::keytime</name>
    <message>
        <source>%1 UTC</source>
        <extracomment>a date and time, then the zone it is in</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%n min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%n h ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%n day(s) ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
