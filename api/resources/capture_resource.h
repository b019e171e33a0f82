// The capture endpoints (docs/api.md §2): `/batch`, `/e`, `/i/v0/e`, `/capture`, `/track`,
// `/engage` (with or without the trailing slash) and posthog-node's `/i/v1/analytics/events`.
//
// POST, or GET with `data=`; OPTIONS answers the CORS preflight. Every response carries the CORS
// headers (api/http/cors.h). A request is: decoded (api/http/capture_decoder.h) → parsed into its
// token and events (engine/capture_payload.h; `/engage` reads a bare `$set` body as `$identify`; on
// `/i/v1/…` the token is `Authorization: Bearer <token>`; `?_=` is the send time in ms) → the
// token's project → stored, matched and committed in one batch (service/ingest_pipeline.h) →
// `200 {"status": 1}`, only once committed.
//
// Errors, in the shape of PostHog's capture endpoint ({"type","code","detail","attr"}):
//   400 validation_error/invalid_payload   malformed body, or an invalid event ("event 3: …");
//                                          nothing of the request is stored
//   401 authentication_error/missing_api_key  no token
//   401 authentication_error/invalid_api_key  a personal key (phx_…) or a token of no project
//   413 invalid_request/payload_too_large   body or decompressed payload over the path's limit
//                                          (api/http/body_limits.h), or one event over 1 MiB
//   5xx only when the store fails, never for anything a client sent.
// Thread-safety: handlers run concurrently on the I/O threads; each thread keeps its own parser.
#pragma once

#include "api/http/router.h"
#include "api/services.h"
#include "engine/status.h"

namespace actiond::api {

void RegisterCaptureRoutes(Router& router, const Services& services);

// Fills `res` with a capture error as above (any non-OK status): the capture rows of the one
// error table, api/error_response.h.
void WriteCaptureError(const Status& status, HttpResponse& res);

}  // namespace actiond::api
