#pragma once

class QCoreApplication;

namespace tollgate {

// Installs the console's translation for the system locale (German or English, embedded as resources).
bool installTranslations(QCoreApplication &app);

} // namespace tollgate
