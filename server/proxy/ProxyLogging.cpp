#include "server/proxy/ProxyLogging.h"

Q_LOGGING_CATEGORY(lcTollgateProxy, "tollgate.server.proxy")
