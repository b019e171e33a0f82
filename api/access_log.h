// The access log: one line per answered request (docs/operations.md §Logs) with the method,
// the route pattern (never the raw path, whose query string may hold a token), the status,
// the body size, the duration and the project id when the route names one. Nothing a client
// sends is logged as is: the project id is written only when it is a number.
#pragma once

#include "api/http/request_record.h"

namespace actiond::api {

void LogAccess(const RequestRecord& request);

}  // namespace actiond::api
