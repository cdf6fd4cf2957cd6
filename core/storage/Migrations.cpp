#include "core/storage/Migrations.h"

#include "core/storage/Sql.h"
#include "core/storage/StorageError.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlRecord>

Q_LOGGING_CATEGORY(lcMigrations, "tollgate.core.storage.migrations")

namespace tollgate {

namespace {

// Any fixed number: PostgreSQL instances starting together take turns migrating.
constexpr qint64 MigrationLockId = 74180011;

QString forDialect(QString statement, sql::Dialect dialect)
{
    const bool pg = dialect == sql::Dialect::Postgres;
    // A statement only PostgreSQL has a use for (NOTIFY triggers): nothing on SQLite.
    if (statement.startsWith(QStringLiteral("{POSTGRES}")))
        return pg ? statement.mid(10) : QString();
    statement.replace(QStringLiteral("{SERIAL_PK}"), pg ? QStringLiteral("BIGSERIAL PRIMARY KEY")
                                                        : QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT"));
    return statement;
}

QString seedTier(const char *slug, const char *name, int rate, qint64 credits, const char *endpoints, int cents)
{
    return QStringLiteral("INSERT INTO tiers (slug, name, rate_limit, rate_window_seconds, monthly_credits, endpoints, price_cents, updated_at) "
                          "VALUES ('%1', '%2', %3, 60, %4, '%5', %6, 0)")
        .arg(QLatin1String(slug), QLatin1String(name)).arg(rate).arg(credits).arg(QLatin1String(endpoints)).arg(cents);
}

} // namespace

const QList<Migrations::Migration> &Migrations::all()
{
    static const QList<Migration> migrations{
        {1, QStringLiteral("initial schema"), {
            QStringLiteral("CREATE TABLE tiers ("
                           " slug TEXT PRIMARY KEY, name TEXT NOT NULL,"
                           " rate_limit INTEGER NOT NULL CHECK (rate_limit > 0),"
                           " rate_window_seconds INTEGER NOT NULL CHECK (rate_window_seconds > 0),"
                           " monthly_credits BIGINT NOT NULL CHECK (monthly_credits >= 0),"
                           " endpoints TEXT NOT NULL, price_cents INTEGER NOT NULL DEFAULT 0,"
                           " updated_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE TABLE api_keys ("
                           " id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE,"
                           " prefix TEXT NOT NULL, last4 TEXT NOT NULL,"
                           " user_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
                           " tier TEXT NOT NULL REFERENCES tiers(slug),"
                           " is_test INTEGER NOT NULL DEFAULT 0,"
                           " rate_limit INTEGER NULL, rate_window_seconds INTEGER NULL, monthly_credits BIGINT NULL,"
                           " allowed_endpoints TEXT NOT NULL DEFAULT '[]', allowed_ips TEXT NOT NULL DEFAULT '[]',"
                           " expires_at BIGINT NULL,"
                           " status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),"
                           " revoked_at BIGINT NULL, last_used_at BIGINT NULL,"
                           " previous_hash TEXT NULL, previous_hash_until BIGINT NULL,"
                           " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at)"),
            QStringLiteral("CREATE INDEX api_keys_by_previous_hash ON api_keys (previous_hash)"),
            QStringLiteral("CREATE TABLE credit_periods ("
                           " key_id TEXT NOT NULL REFERENCES api_keys(id), period TEXT NOT NULL,"
                           " credits_used BIGINT NOT NULL DEFAULT 0, credits_granted BIGINT NOT NULL DEFAULT 0,"
                           " updated_at BIGINT NOT NULL, PRIMARY KEY (key_id, period))"),
            QStringLiteral("CREATE TABLE credit_grants ("
                           " id {SERIAL_PK}, key_id TEXT NOT NULL REFERENCES api_keys(id), period TEXT NOT NULL,"
                           " credits BIGINT NOT NULL, actor TEXT NOT NULL, created_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE TABLE usage_daily ("
                           " key_id TEXT NOT NULL REFERENCES api_keys(id), day TEXT NOT NULL, endpoint TEXT NOT NULL,"
                           " requests BIGINT NOT NULL DEFAULT 0, credits BIGINT NOT NULL DEFAULT 0,"
                           " errors BIGINT NOT NULL DEFAULT 0, latency_ms_sum BIGINT NOT NULL DEFAULT 0,"
                           " bytes_in BIGINT NOT NULL DEFAULT 0, bytes_out BIGINT NOT NULL DEFAULT 0,"
                           " PRIMARY KEY (key_id, day, endpoint))"),
            QStringLiteral("CREATE INDEX usage_daily_by_day ON usage_daily (day)"),
            QStringLiteral("CREATE TABLE admin_tokens ("
                           " id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,"
                           " prefix TEXT NOT NULL, last4 TEXT NOT NULL,"
                           " created_at BIGINT NOT NULL, revoked_at BIGINT NULL, last_used_at BIGINT NULL)"),
            QStringLiteral("CREATE TABLE audit_log ("
                           " id {SERIAL_PK}, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
                           " target_type TEXT NOT NULL, target_id TEXT NOT NULL,"
                           " before_json TEXT NULL, after_json TEXT NULL)"),
            QStringLiteral("CREATE INDEX audit_log_by_target ON audit_log (target_type, target_id)"),
            QStringLiteral("CREATE TABLE change_feed ("
                           " seq {SERIAL_PK}, entity TEXT NOT NULL, entity_id TEXT NOT NULL, at BIGINT NOT NULL)"),
            seedTier("free", "Free", 10, 100, "[\"search\"]", 0),
            seedTier("pro", "Pro", 100, 5000, "[\"search\",\"extract\",\"stt\",\"tts\"]", 1900),
            seedTier("enterprise", "Enterprise", 1000, 50000, "[\"search\",\"extract\",\"stt\",\"tts\"]", 9900),
        }},
        // Issue 9: what every answered /v1 call of a key came to, per day and endpoint (UsageOutcome), and
        // indexes for the admin key list: newest first over all keys (and its search), or within one tier or status.
        {2, QStringLiteral("usage outcomes, key list indexes"), {
            QStringLiteral("ALTER TABLE usage_daily ADD COLUMN outcome_ok BIGINT NOT NULL DEFAULT 0"),
            QStringLiteral("ALTER TABLE usage_daily ADD COLUMN outcome_upstream_error BIGINT NOT NULL DEFAULT 0"),
            QStringLiteral("ALTER TABLE usage_daily ADD COLUMN outcome_rate_limited BIGINT NOT NULL DEFAULT 0"),
            QStringLiteral("ALTER TABLE usage_daily ADD COLUMN outcome_insufficient_credits BIGINT NOT NULL DEFAULT 0"),
            QStringLiteral("ALTER TABLE usage_daily ADD COLUMN outcome_forbidden BIGINT NOT NULL DEFAULT 0"),
            QStringLiteral("ALTER TABLE usage_daily ADD COLUMN outcome_client_error BIGINT NOT NULL DEFAULT 0"),
            QStringLiteral("ALTER TABLE usage_daily ADD COLUMN outcome_client_closed BIGINT NOT NULL DEFAULT 0"),
            // Newest first over all keys, and a search without reading the table: every column the admin list filters
            // on is in it, so the scan for a name substring touches only this index (KeyStore::list).
            QStringLiteral("CREATE INDEX api_keys_search ON api_keys (created_at, id, name, user_id, last4, tier, status, expires_at)"),
            QStringLiteral("CREATE INDEX api_keys_by_tier ON api_keys (tier, created_at, id)"),
            QStringLiteral("CREATE INDEX api_keys_by_status ON api_keys (status, created_at, id)"),
        }},
        // Issue 10: a tier's limits per endpoint group, as the JSON the admin API shows ({"stt": {"rate": 5, …}}).
        {3, QStringLiteral("tier endpoint limits"), {
            QStringLiteral("ALTER TABLE tiers ADD COLUMN endpoint_limits TEXT NOT NULL DEFAULT '{}'"),
        }},
        // Issue 10: several instances on one database. Credits are leased in blocks out of the period row
        // (credit_periods.leased = all leases of it), each instance's part with an expiry its heartbeat renews
        // (CreditLeaseStore); and on PostgreSQL every change-feed row is announced by NOTIFY in its own
        // transaction, so other instances apply it at once instead of at their next poll.
        {4, QStringLiteral("credit leases, instances, change notifications"), {
            QStringLiteral("ALTER TABLE credit_periods ADD COLUMN leased BIGINT NOT NULL DEFAULT 0"),
            QStringLiteral("CREATE TABLE credit_leases ("
                           " key_id TEXT NOT NULL REFERENCES api_keys(id), period TEXT NOT NULL, instance_id TEXT NOT NULL,"
                           " amount BIGINT NOT NULL DEFAULT 0 CHECK (amount >= 0), expires_at BIGINT NOT NULL,"
                           " PRIMARY KEY (key_id, period, instance_id))"),
            QStringLiteral("CREATE INDEX credit_leases_by_instance ON credit_leases (instance_id)"),
            QStringLiteral("CREATE INDEX credit_leases_by_expiry ON credit_leases (expires_at)"),
            QStringLiteral("CREATE TABLE gateway_instances ("
                           " id TEXT PRIMARY KEY, started_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)"),
            QStringLiteral("{POSTGRES}CREATE FUNCTION tollgate_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$"
                           " BEGIN PERFORM pg_notify('tollgate_changes', NEW.entity || chr(47) || NEW.entity_id); RETURN NEW; END $fn$"),
            QStringLiteral("{POSTGRES}CREATE TRIGGER change_feed_notify AFTER INSERT ON change_feed"
                           " FOR EACH ROW EXECUTE FUNCTION tollgate_notify_change()"),
        }},
        // Issue 9: GET /admin/audit filters by actor, action and key in SQL, newest first: an index for each that
        // ends in id, so a page is read backwards off the index and the scan stops after it. The target index gains
        // the id (SQLite has it implicitly as the rowid, PostgreSQL does not).
        {5, QStringLiteral("audit log filter indexes"), {
            QStringLiteral("CREATE INDEX audit_log_by_actor ON audit_log (actor, id)"),
            QStringLiteral("CREATE INDEX audit_log_by_action ON audit_log (action, id)"),
            QStringLiteral("DROP INDEX audit_log_by_target"),
            QStringLiteral("CREATE INDEX audit_log_by_target ON audit_log (target_type, target_id, id)"),
            QStringLiteral("CREATE INDEX audit_log_by_target_id ON audit_log (target_id, id)"),
        }},
        // Issue 11 §6: events for webhooks and the Redis stream, written in the transaction of the change that causes
        // them and delivered from here by EventDispatcher (a restart loses none). Each sink is marked done on its own;
        // delivered_at once every configured one is. Claims (locked_by/locked_until) keep instances sharing the database
        // from sending one event twice. credit_thresholds makes the 80 % and 100 % events once per key and period over
        // all instances: the row's insert decides who sends.
        {6, QStringLiteral("event outbox, credit thresholds"), {
            QStringLiteral("CREATE TABLE event_outbox ("
                           " seq {SERIAL_PK}, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, created_at BIGINT NOT NULL,"
                           " body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL,"
                           " locked_by TEXT NULL, locked_until BIGINT NULL, webhook_done_at BIGINT NULL,"
                           " stream_done_at BIGINT NULL, delivered_at BIGINT NULL, last_error TEXT NULL)"),
            QStringLiteral("CREATE INDEX event_outbox_pending ON event_outbox (next_attempt_at, seq) WHERE delivered_at IS NULL"),
            QStringLiteral("CREATE INDEX event_outbox_by_claim ON event_outbox (locked_by)"),
            QStringLiteral("CREATE INDEX event_outbox_delivered ON event_outbox (delivered_at) WHERE delivered_at IS NOT NULL"),
            QStringLiteral("CREATE TABLE credit_thresholds ("
                           " key_id TEXT NOT NULL REFERENCES api_keys(id), period TEXT NOT NULL, threshold INTEGER NOT NULL,"
                           " event_id TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (key_id, period, threshold))"),
        }},
        // Issue 11: the billing webhook's events, one row per event id applied (or found superseded), written in the
        // same transaction as the keys it moved: the primary key makes a replay, or a second instance receiving the
        // same delivery, change nothing. By user and event time, so an older event arriving late is not applied.
        {7, QStringLiteral("billing events"), {
            QStringLiteral("CREATE TABLE billing_events ("
                           " id TEXT PRIMARY KEY, type TEXT NOT NULL, user_id TEXT NOT NULL, event_created BIGINT NOT NULL,"
                           " tier TEXT NOT NULL, outcome TEXT NOT NULL, keys_moved INTEGER NOT NULL DEFAULT 0,"
                           " received_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE INDEX billing_events_by_user ON billing_events (user_id, event_created)"),
        }},
    };
    return migrations;
}

int Migrations::latestVersion()
{
    return all().constLast().version;
}

int Migrations::currentVersion(QSqlDatabase &db)
{
    if (!db.tables().contains(QStringLiteral("schema_migrations")))
        return 0;
    return sql::scalar(db, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")).toInt();
}

int Migrations::migrate(QSqlDatabase &db)
{
    const sql::Dialect dialect = sql::dialectOf(db);
    const bool pg = dialect == sql::Dialect::Postgres;
    if (pg)
        sql::exec(db, QStringLiteral("SELECT pg_advisory_lock(?)"), {MigrationLockId});
    // Runs while an exception may be unwinding (a connection the server ended mid-migration): it must not throw
    // itself, or the process terminates. A lost connection released the session's advisory lock anyway.
    auto unlock = qScopeGuard([&] {
        if (!pg)
            return;
        try {
            sql::exec(db, QStringLiteral("SELECT pg_advisory_unlock(?)"), {MigrationLockId});
        } catch (const StorageError &error) {
            qCWarning(lcMigrations).noquote() << "could not release the migration lock:" << error.message();
        }
    });
    sql::exec(db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"));
    const int current = currentVersion(db);
    if (current > latestVersion())
        throw StorageError(StorageError::Kind::Invalid,
                           QStringLiteral("database schema version %1 is newer than this build knows (%2)")
                               .arg(current).arg(latestVersion()));
    int applied = 0;
    for (const Migration &migration : all()) {
        if (migration.version <= current)
            continue;
        sql::Transaction tx(db);
        for (const QString &statement : migration.statements) {
            const QString sql = forDialect(statement, dialect);
            if (!sql.isEmpty())
                sql::exec(db, sql);
        }
        sql::exec(db, QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
                  {migration.version, migration.name, QDateTime::currentMSecsSinceEpoch()});
        tx.commit();
        qCInfo(lcMigrations) << "applied migration" << migration.version << migration.name;
        ++applied;
    }
    return applied;
}

} // namespace tollgate
