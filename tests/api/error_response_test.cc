#include "api/error_response.h"

#include <gtest/gtest.h>

namespace actiond::api {
namespace {

struct Row {
  StatusCode code;
  StatusReason reason;
  unsigned http;
  const char* type;
  const char* code_text;
};

// PostHog's (drf-exceptions-hog's) mapping, one row per status code and reason.
constexpr Row kTable[] = {
    {StatusCode::kInvalidInput, StatusReason::kNone, 400, "validation_error", "invalid_input"},
    {StatusCode::kInvalidInput, StatusReason::kInvalidChoice, 400, "validation_error",
     "invalid_choice"},
    {StatusCode::kInvalidInput, StatusReason::kRequired, 400, "validation_error", "required"},
    {StatusCode::kAlreadyExists, StatusReason::kNone, 400, "validation_error", "unique"},
    {StatusCode::kParseError, StatusReason::kNone, 400, "invalid_request", "parse_error"},
    {StatusCode::kUnauthenticated, StatusReason::kNoCredentials, 401, "authentication_error",
     "not_authenticated"},
    {StatusCode::kUnauthenticated, StatusReason::kNone, 401, "authentication_error",
     "authentication_failed"},
    {StatusCode::kPermissionDenied, StatusReason::kNone, 403, "authentication_error",
     "permission_denied"},
    {StatusCode::kNotFound, StatusReason::kNone, 404, "invalid_request", "not_found"},
    {StatusCode::kNotSupported, StatusReason::kNone, 405, "invalid_request", "method_not_allowed"},
    {StatusCode::kTooLarge, StatusReason::kNone, 413, "invalid_request", "payload_too_large"},
    {StatusCode::kUnavailable, StatusReason::kNone, 503, "server_error", "unavailable"},
    {StatusCode::kUnavailable, StatusReason::kStoreUnwritable, 503, "server_error",
     "store_unwritable"},
    {StatusCode::kInternal, StatusReason::kNone, 500, "server_error", "error"},
    {StatusCode::kIoError, StatusReason::kNone, 500, "server_error", "error"},
    {StatusCode::kCorruption, StatusReason::kNone, 500, "server_error", "error"},
};

TEST(ErrorResponseTest, EveryStatusCodeMapsToPostHogsStatusTypeAndCode) {
  for (const Row& row : kTable) {
    const Status status(row.code, "x", {}, row.reason);
    const ErrorShape shape = ErrorShapeFor(status);
    SCOPED_TRACE(status.ToString());
    EXPECT_EQ(static_cast<unsigned>(shape.http_status), row.http);
    EXPECT_EQ(shape.type, row.type);
    EXPECT_EQ(shape.code, row.code_text);
    EXPECT_FALSE(shape.default_detail.empty());
  }
}

TEST(ErrorResponseTest, CaptureSurfaceUsesTheCaptureServicesShapes) {
  EXPECT_EQ(ErrorBody(Status(StatusCode::kParseError, "bad json"), ErrorSurface::kCapture),
            R"({"type":"validation_error","code":"invalid_payload",)"
            R"("detail":"Malformed request data: bad json","attr":null})");
  EXPECT_EQ(ErrorBody(Required("event 0: no event name", "event"), ErrorSurface::kCapture),
            R"({"type":"validation_error","code":"invalid_payload",)"
            R"("detail":"event 0: no event name","attr":null})");
  EXPECT_EQ(
      ErrorBody(Status(StatusCode::kUnauthenticated, "no token", {}, StatusReason::kNoCredentials),
                ErrorSurface::kCapture),
      R"({"type":"authentication_error","code":"missing_api_key","detail":"API key not )"
      R"(provided. actiond's project tokens (phc_...) are the api_token of each project in )"
      R"(GET /api/projects/, and the default project's was printed at first start.",)"
      R"("attr":null})");
  EXPECT_EQ(ErrorBody(Status(StatusCode::kUnauthenticated, ""), ErrorSurface::kCapture),
            R"({"type":"authentication_error","code":"invalid_api_key","detail":"Project API )"
            R"(key invalid. actiond's project tokens (phc_...) are the api_token of each )"
            R"(project in GET /api/projects/, and the default project's was printed at first )"
            R"(start.","attr":null})");
  // What capture has no row of its own for is answered as the REST API does.
  EXPECT_EQ(ErrorBody(Status(StatusCode::kTooLarge, "too big"), ErrorSurface::kCapture),
            ErrorBody(Status(StatusCode::kTooLarge, "too big")));
}

TEST(ErrorResponseTest, ValidationErrorCarriesDetailAndAttr) {
  EXPECT_EQ(ErrorBody(InvalidInput("Enter a valid URL.", "steps__0__url")),
            R"({"type":"validation_error","code":"invalid_input",)"
            R"("detail":"Enter a valid URL.","attr":"steps__0__url"})");
}

TEST(ErrorResponseTest, EmptyAttrIsNull) {
  EXPECT_EQ(ErrorBody(NotFound("Not found.")),
            R"({"type":"invalid_request","code":"not_found","detail":"Not found.","attr":null})");
}

TEST(ErrorResponseTest, EmptyMessageUsesTheDefaultDetail) {
  EXPECT_EQ(ErrorBody(Status(StatusCode::kUnauthenticated, "", {}, StatusReason::kNoCredentials)),
            R"({"type":"authentication_error","code":"not_authenticated",)"
            R"("detail":"Authentication credentials were not provided.","attr":null})");
}

TEST(ErrorResponseTest, ServerErrorsNeverLeakTheirMessage) {
  EXPECT_EQ(ErrorBody(Status(StatusCode::kIoError, "rocksdb: /secret/path: disk full")),
            R"({"type":"server_error","code":"error","detail":"A server error occurred.",)"
            R"("attr":null})");
}

TEST(ErrorResponseTest, DetailIsJsonEscaped) {
  EXPECT_EQ(ErrorBody(Status(StatusCode::kParseError, "bad \"x\"\n")),
            R"({"type":"invalid_request","code":"parse_error","detail":"bad \"x\"\n",)"
            R"("attr":null})");
}

TEST(ErrorResponseTest, WriteErrorSetsStatusContentTypeAndKeepsOtherHeaders) {
  HttpResponse res;
  res.set(http::field::access_control_allow_origin, "https://a.example");
  WriteError(Status(StatusCode::kPermissionDenied, "No access to project 2."), res);
  EXPECT_EQ(res.result(), http::status::forbidden);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res[http::field::access_control_allow_origin], "https://a.example");
  EXPECT_EQ(res.body(), R"({"type":"authentication_error","code":"permission_denied",)"
                        R"("detail":"No access to project 2.","attr":null})");
  EXPECT_EQ(res.count(http::field::retry_after), 0u);
}

TEST(ErrorResponseTest, UnavailableAddsRetryAfter) {
  HttpResponse res;
  WriteError(Status(StatusCode::kUnavailable, "shutting down"), res);
  EXPECT_EQ(res.result(), http::status::service_unavailable);
  EXPECT_EQ(res[http::field::retry_after], "1");
}

TEST(ErrorResponseTest, StoreThatCannotWriteIs503WithALongerRetryAfterOnBothSurfaces) {
  const Status status = StoreUnwritable("the store cannot write (committing: IO error: /data/x)");
  for (const ErrorSurface surface : {ErrorSurface::kRest, ErrorSurface::kCapture}) {
    HttpResponse res;
    WriteError(status, res, surface);
    EXPECT_EQ(res.result(), http::status::service_unavailable);
    EXPECT_EQ(res[http::field::retry_after], "5");
    // The cause names server paths: the client gets the fixed words, the log the cause.
    EXPECT_EQ(res.body().find("/data/x"), std::string::npos) << res.body();
    EXPECT_NE(res.body().find(R"("code":"store_unwritable")"), std::string::npos) << res.body();
    EXPECT_NE(res.body().find(R"("attr":null)"), std::string::npos) << res.body();
  }
}

TEST(ErrorResponseTest, MethodNotAllowedHasAllowHeaderAndDrfDetail) {
  HttpResponse res;
  WriteMethodNotAllowed("DELETE", "GET, PATCH", res);
  EXPECT_EQ(res.result(), http::status::method_not_allowed);
  EXPECT_EQ(res[http::field::allow], "GET, PATCH");
  EXPECT_EQ(res.body(), R"({"type":"invalid_request","code":"method_not_allowed",)"
                        R"("detail":"Method \"DELETE\" not allowed.","attr":null})");
}

}  // namespace
}  // namespace actiond::api
