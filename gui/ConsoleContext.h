#pragma once

#include "gui/ConsoleTarget.h"

namespace tollgate::gui {

class AdminClient;
class Language;
class StatusPoller;
class TokenStore;

// What every view of one console window shares. Owned by the window (or the test); views keep the pointer.
struct ConsoleContext
{
    ConsoleTarget target;
    AdminClient *client = nullptr;
    StatusPoller *status = nullptr;   // GET /admin/status every 2 s, with 5 minutes of counters
    TokenStore *tokens = nullptr;     // remote admin tokens in the OS keychain
    Language *language = nullptr;
};

} // namespace tollgate::gui
