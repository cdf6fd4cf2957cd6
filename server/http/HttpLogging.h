#pragma once

#include <QLoggingCategory>

// One category for the whole HTTP front, so LOG_LEVEL can silence or raise it in one place.
Q_DECLARE_LOGGING_CATEGORY(lcTollgateHttp)
