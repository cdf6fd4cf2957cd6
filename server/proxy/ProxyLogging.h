#pragma once

#include <QLoggingCategory>

// One category for the upstream client, so LOG_LEVEL can silence or raise it apart from the HTTP front.
Q_DECLARE_LOGGING_CATEGORY(lcTollgateProxy)
