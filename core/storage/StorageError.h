#pragma once

#include <QException>
#include <QString>

namespace tollgate {

// Thrown inside storage jobs and carried through QFuture to whoever awaits the result.
// `message` is safe to show an operator; it never holds SQL text or bound values.
class StorageError : public QException
{
public:
    // LimitReached: valid, but a quota says no (e.g. MAX_KEYS_PER_USER); the message says which and is for the caller.
    enum class Kind { Unavailable, Failed, NotFound, Conflict, Invalid, LimitReached };

    StorageError(Kind kind, QString message, bool retryable = false)
        : m_kind(kind), m_message(std::move(message)), m_utf8(m_message.toUtf8()), m_retryable(retryable) {}

    Kind kind() const { return m_kind; }
    // A deadlock or serialization failure (PostgreSQL 40P01, 40001): the transaction was rolled back and may
    // simply run again (sql::retrying).
    bool isRetryable() const { return m_retryable; }
    QString message() const { return m_message; }
    const char *what() const noexcept override { return m_utf8.constData(); }
    void raise() const override { throw *this; }
    StorageError *clone() const override { return new StorageError(*this); }

private:
    Kind m_kind;
    QString m_message;
    QByteArray m_utf8;
    bool m_retryable = false;
};

} // namespace tollgate
