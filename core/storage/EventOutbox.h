#pragma once

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace tollgate {

// One event as the outbox holds it. `body` is the exact JSON sent ({"id","type","createdAt","data"}), fixed when the
// event is written, so every retry carries the same bytes and the same id (receivers dedupe on it).
struct OutboxEvent
{
    qint64 seq = 0;
    QString id;
    QString type;
    qint64 createdAtMs = 0;
    QByteArray body;
    int attempts = 0;
    bool webhookDone = false;
    bool streamDone = false;
};

// What one delivery attempt of a claimed event came to (EventOutbox::settle).
struct DeliveryOutcome
{
    qint64 seq = 0;
    bool webhookDone = false;  // delivered now or before, or no webhook configured
    bool streamDone = false;   // appended now or before, or no stream configured
    qint64 retryAtMs = 0;      // when something is still to do: the next attempt
    QString error;             // why the attempt failed, for the row (last_error)
};

// SQL of the event outbox (migration 6). Events are appended inside the transaction of the change that causes them
// (KeyService, UsageStore), so a change and its event commit or roll back together; EventDispatcher claims and
// delivers them. Several instances share the table: a claim marks rows with a token and an expiry, and rows another
// instance holds are skipped until that expiry — at-least-once, but no routine double sends.
class EventOutbox
{
public:
    static inline const QString KeyCreated = QStringLiteral("key.created");
    static inline const QString KeyRevoked = QStringLiteral("key.revoked");
    static inline const QString KeyRegenerated = QStringLiteral("key.regenerated");
    static inline const QString TierChanged = QStringLiteral("tier.changed");
    static inline const QString CreditsThreshold = QStringLiteral("credits.threshold");

    // Writes one event due at once; returns its id ("evt_…").
    static QString append(QSqlDatabase &db, const QString &type, const QJsonObject &data, qint64 nowMs);
    // The 80 % / 100 % event of a key's period, unless one was written before, by this or any instance: the
    // (key, period, threshold) row's insert decides (ON CONFLICT DO NOTHING). True when this call wrote it.
    static bool appendThresholdOnce(QSqlDatabase &db, const QString &keyId, const QString &period, int threshold,
                                    const QJsonObject &data, qint64 nowMs);
    // Claims up to `limit` due events not held by another instance's live claim, oldest first, for `lockMs`.
    static QList<OutboxEvent> claim(QSqlDatabase &db, const QString &claimToken, qint64 nowMs, qint64 lockMs, int limit);
    // Records what an attempt came to and releases the claim (one transaction for the batch).
    static void settle(QSqlDatabase &db, const QList<DeliveryOutcome> &outcomes, qint64 nowMs);
    // Events not yet delivered (the pending gauge).
    static qint64 pendingCount(QSqlDatabase &db);
    // Deletes events delivered before `beforeMs`; with `undeliveredToo`, also undelivered ones created before it
    // (no sink is configured, so nothing would ever send them). Returns how many went.
    static qint64 prune(QSqlDatabase &db, qint64 beforeMs, bool undeliveredToo);
};

} // namespace tollgate
