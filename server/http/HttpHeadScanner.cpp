#include "server/http/HttpHeadScanner.h"

#include <cstring>

namespace tollgate::http {

namespace {

struct Tables
{
    bool token[256];
    bool control[256]; // CTLs a head may not carry (HTAB, CR and LF are handled on their own)
    bool special[256]; // control, CR or LF: what ends a run of ordinary bytes

    Tables()
    {
        std::memset(token, 0, sizeof token);
        std::memset(control, 0, sizeof control);
        for (int c = '0'; c <= '9'; ++c)
            token[c] = true;
        for (int c = 'a'; c <= 'z'; ++c)
            token[c] = token[c - 'a' + 'A'] = true;
        for (const char *p = "!#$%&'*+-.^_`|~"; *p; ++p)
            token[static_cast<unsigned char>(*p)] = true;
        for (int c = 0; c < 0x20; ++c)
            control[c] = c != '\t' && c != '\r' && c != '\n';
        control[0x7f] = true;
        for (int c = 0; c < 256; ++c)
            special[c] = control[c] || c == '\r' || c == '\n';
    }
};

const Tables &tables()
{
    static const Tables t;
    return t;
}

} // namespace

void HttpHeadScanner::reset()
{
    m_requestLine.clear();
    m_inRequestLine = true;
    m_lineStart = true;
    m_prevCR = false;
    m_requireCrLf = false;
}

void HttpHeadScanner::startTrailers()
{
    m_inRequestLine = false;
    m_lineStart = true;
    m_prevCR = false;
    m_requireCrLf = true;
}

bool HttpHeadScanner::scan(const char *data, qsizetype length)
{
    const Tables &t = tables();
    for (qsizetype i = 0; i < length; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        const bool afterCR = m_prevCR;
        if (m_prevCR) {
            m_prevCR = false;
            if (c != '\n')
                return false; // bare CR: one parser's line end, another's data
        }
        if (c == '\r') {
            m_prevCR = true;
            continue;
        }
        if (c == '\n') {
            if (m_requireCrLf && !afterCR)
                return false;
            if (m_inRequestLine && !m_requestLine.isEmpty())
                m_inRequestLine = false;
            m_lineStart = true;
            continue;
        }
        if (t.control[c])
            return false;
        if (m_inRequestLine) {
            // Up to the end of the line in one go; the head limit bounds its length.
            qsizetype end = i;
            while (end < length && data[end] != '\r' && data[end] != '\n' && !t.control[static_cast<unsigned char>(data[end])])
                ++end;
            m_requestLine.append(data + i, end - i);
            i = end - 1;
            m_lineStart = false;
            continue;
        }
        if (m_lineStart && (c == ' ' || c == '\t'))
            return false; // obs-fold (RFC 9112 5.2): refused rather than guessed at
        m_lineStart = false;
        // The rest of the field line up to the next byte that matters, without the state checks.
        while (i + 1 < length && !t.special[static_cast<unsigned char>(data[i + 1])])
            ++i;
    }
    return true;
}

bool HttpHeadScanner::requestLineValid() const
{
    const qsizetype first = m_requestLine.indexOf(' ');
    const qsizetype last = m_requestLine.lastIndexOf(' ');
    if (first <= 0 || last <= first + 1)
        return false;
    if (m_requestLine.indexOf(' ', first + 1) != last) // more than two spaces
        return false;
    const QByteArrayView version = QByteArrayView(m_requestLine).sliced(last + 1);
    return version.size() == 8 && version.startsWith("HTTP/") && version[5] >= '0' && version[5] <= '9'
        && version[6] == '.' && version[7] >= '0' && version[7] <= '9';
}

bool HttpHeadScanner::isTokenChar(unsigned char c)
{
    return tables().token[c];
}

bool HttpHeadScanner::isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    const Tables &t = tables();
    for (char c : text) {
        if (!t.token[static_cast<unsigned char>(c)])
            return false;
    }
    return true;
}

} // namespace tollgate::http
