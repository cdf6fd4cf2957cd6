#pragma once

#include <QLatin1StringView>

namespace tollgate::proxy {

// Why a call ended without onComplete. The caller maps these to its own status codes (typically
// 502 for Unavailable and Protocol, 504 for Timeout); Cancelled is never delivered, it only
// describes a call the caller ended itself.
enum class UpstreamError {
    None,
    Unavailable, // connect refused or failed, or the connection closed before the response head
    Timeout,     // connect timeout, or no complete response within the total timeout
    Protocol,    // unparsable response, or the upstream closed it mid-body
    Cancelled,
};

constexpr QLatin1StringView upstreamErrorName(UpstreamError error)
{
    switch (error) {
    case UpstreamError::None:
        return QLatin1StringView("none");
    case UpstreamError::Unavailable:
        return QLatin1StringView("unavailable");
    case UpstreamError::Timeout:
        return QLatin1StringView("timeout");
    case UpstreamError::Protocol:
        return QLatin1StringView("protocol");
    case UpstreamError::Cancelled:
        return QLatin1StringView("cancelled");
    }
    return QLatin1StringView("unknown");
}

} // namespace tollgate::proxy
