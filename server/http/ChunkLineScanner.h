#pragma once

#include <QtGlobal>

namespace tollgate::http {

// Checks one chunk-size line byte by byte, as RFC 9112 §7.1 writes it:
//     chunk-size [ chunk-ext ] CRLF
//     chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
//     chunk-ext-name = token, chunk-ext-val = token / quoted-string
// libhttp_parser (lenient build) skips everything after ';' up to the next CR, bare LF, NUL and control
// bytes included, and takes any byte after that CR for its LF. A front proxy that ends lines at a bare
// LF would read "0;a\n\nGET /hidden ..." as the end of the body plus a second request, we would not:
// exactly the disagreement request smuggling needs. So the bytes the parser consumed on a size line go
// through this scanner too, and anything the grammar does not allow refuses the request.
class ChunkLineScanner
{
public:
    // A new size line begins (after the head of a chunked message, after each chunk's data).
    void reset();
    // Feeds consumed size-line bytes; false at the first byte the grammar does not allow.
    bool scan(const char *data, qsizetype length);
    // The line ended with CRLF.
    bool complete() const { return m_state == State::Done; }
    // Bytes of the current line so far (the parser bounds the size, nothing bounds the extensions).
    qsizetype length() const { return m_length; }

private:
    enum class State {
        Size,           // hex digits (the parser checks them and their overflow; we only skip them)
        BeforeSemicolon, // BWS after the size or a value: only ';' may follow
        BeforeName,     // after ';': BWS, then a token
        Name,
        AfterName,      // BWS after a name: '=', ';' or CR
        BeforeValue,    // after '=': BWS, then a token or a quoted-string
        TokenValue,
        QuotedValue,
        QuotedPair,     // after a backslash inside a quoted-string
        AfterValue,     // after a value: BWS, ';' or CR
        LineFeed,       // after CR
        Done,
        Invalid,
    };

    State m_state = State::Size;
    qsizetype m_length = 0;
};

} // namespace tollgate::http
