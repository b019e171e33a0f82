// Server administration (docs/operations.md §4), for the admin's key only — a personal API key
// of the admin user (id 1) with scope `*` on every project, such as the start-up key:
//   POST /api/admin/backup/  {"path": "/abs/new/dir"} → 200 {"path", "bytes", "created_at"}:
//        a consistent copy of the whole store, online (service/backup_service.h); 400 for a
//        relative path, a missing parent or an existing target (attr `path`); 403 for
//        any other key.
// Thread-safety: stateless handlers.
#pragma once

#include "api/http/router.h"
#include "api/services.h"

namespace actiond::api {

void RegisterAdminRoutes(Router& router, const Services& services);

}  // namespace actiond::api
