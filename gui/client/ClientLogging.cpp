#include "gui/client/ClientLogging.h"

Q_LOGGING_CATEGORY(lcConsoleClient, "tollgate.gui.client")
