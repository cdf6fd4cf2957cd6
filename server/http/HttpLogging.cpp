#include "server/http/HttpLogging.h"

Q_LOGGING_CATEGORY(lcTollgateHttp, "tollgate.server.http")
