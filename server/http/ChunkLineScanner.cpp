#include "server/http/ChunkLineScanner.h"

#include "server/http/HttpHeadScanner.h"

namespace tollgate::http {

namespace {

bool isBws(unsigned char c)
{
    return c == ' ' || c == '\t';
}

bool isHex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 9110 qdtext (without DQUOTE and backslash, which the caller handles).
bool isQdText(unsigned char c)
{
    return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80;
}

// What may follow a backslash in a quoted-pair: HTAB, SP, VCHAR, obs-text.
bool isQuotedPairChar(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

} // namespace

void ChunkLineScanner::reset()
{
    m_state = State::Size;
    m_length = 0;
}

bool ChunkLineScanner::scan(const char *data, qsizetype length)
{
    m_length += length;
    for (qsizetype i = 0; i < length; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        switch (m_state) {
        case State::Size:
            if (isHex(c))
                break;
            if (c == '\r')
                m_state = State::LineFeed;
            else if (c == ';')
                m_state = State::BeforeName;
            else if (isBws(c))
                m_state = State::BeforeSemicolon;
            else
                m_state = State::Invalid;
            break;
        case State::BeforeSemicolon:
            // BWS belongs to a following ';' only: "5 \r\n" is not a chunk-size line.
            if (c == ';')
                m_state = State::BeforeName;
            else if (!isBws(c))
                m_state = State::Invalid;
            break;
        case State::BeforeName:
            if (HttpHeadScanner::isTokenChar(c))
                m_state = State::Name;
            else if (!isBws(c))
                m_state = State::Invalid;
            break;
        case State::Name:
            if (HttpHeadScanner::isTokenChar(c))
                break;
            if (c == '=')
                m_state = State::BeforeValue;
            else if (c == ';')
                m_state = State::BeforeName;
            else if (c == '\r')
                m_state = State::LineFeed;
            else if (isBws(c))
                m_state = State::AfterName;
            else
                m_state = State::Invalid;
            break;
        case State::AfterName:
            if (c == '=')
                m_state = State::BeforeValue;
            else if (c == ';')
                m_state = State::BeforeName;
            else if (!isBws(c))
                m_state = State::Invalid;
            break;
        case State::BeforeValue:
            if (HttpHeadScanner::isTokenChar(c))
                m_state = State::TokenValue;
            else if (c == '"')
                m_state = State::QuotedValue;
            else if (!isBws(c))
                m_state = State::Invalid;
            break;
        case State::TokenValue:
            if (HttpHeadScanner::isTokenChar(c))
                break;
            if (c == ';')
                m_state = State::BeforeName;
            else if (c == '\r')
                m_state = State::LineFeed;
            else if (isBws(c))
                m_state = State::AfterValue;
            else
                m_state = State::Invalid;
            break;
        case State::QuotedValue:
            if (c == '"')
                m_state = State::AfterValue;
            else if (c == '\\')
                m_state = State::QuotedPair;
            else if (!isQdText(c))
                m_state = State::Invalid; // CR, LF, NUL and other controls included
            break;
        case State::QuotedPair:
            m_state = isQuotedPairChar(c) ? State::QuotedValue : State::Invalid;
            break;
        case State::AfterValue:
            if (c == ';')
                m_state = State::BeforeName;
            else if (c == '\r')
                m_state = State::LineFeed;
            else if (!isBws(c))
                m_state = State::Invalid;
            break;
        case State::LineFeed:
            m_state = c == '\n' ? State::Done : State::Invalid;
            break;
        case State::Done:
        case State::Invalid:
            m_state = State::Invalid;
            break;
        }
        if (m_state == State::Invalid)
            return false;
    }
    return true;
}

} // namespace tollgate::http
