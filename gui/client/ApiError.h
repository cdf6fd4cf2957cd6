#pragma once

#include <QMetaType>
#include <QString>

namespace tollgate::gui {

// Why an admin API call did not succeed, as the console shows it: the API's own sentence when the
// gateway answered, a plain one when it did not.
struct ApiError
{
    int status = 0;   // HTTP status; 0 when no answer came (refused, timed out, aborted)
    QString code;     // the envelope's code ("INVALID_REQUEST"), or NETWORK / TIMEOUT / ABORTED
    QString message;  // a readable sentence, never a stack or a token

    // The gateway could not be reached or asked us to come back later: a banner, not an error at a field.
    bool isConnectionProblem() const { return status == 0 || status == 502 || status == 503 || status == 504; }
    bool isAborted() const { return code == QLatin1String("ABORTED"); }
};

} // namespace tollgate::gui

Q_DECLARE_METATYPE(tollgate::gui::ApiError)
