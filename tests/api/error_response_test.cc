#include "api/error_response.h"

#include <gtest/gtest.h>

namespace actiond::api {
namespace {

struct Row {
  StatusCode code;
  unsigned http;
  const char* type;
  const char* code_text;
};

// PostHog's (drf-exceptions-hog's) mapping, one row per status code.
constexpr Row kTable[] = {
    {StatusCode::kInvalidInput, 400, "validation_error", "invalid_input"},
    {StatusCode::kInvalidChoice, 400, "validation_error", "invalid_choice"},
    {StatusCode::kRequired, 400, "validation_error", "required"},
    {StatusCode::kUnique, 400, "validation_error", "unique"},
    {StatusCode::kParseError, 400, "invalid_request", "parse_error"},
    {StatusCode::kNotAuthenticated, 401, "authentication_error", "not_authenticated"},
    {StatusCode::kAuthFailed, 401, "authentication_error", "authentication_failed"},
    {StatusCode::kPermissionDenied, 403, "authentication_error", "permission_denied"},
    {StatusCode::kNotFound, 404, "invalid_request", "not_found"},
    {StatusCode::kMethodNotAllowed, 405, "invalid_request", "method_not_allowed"},
    {StatusCode::kTooLarge, 413, "invalid_request", "payload_too_large"},
    {StatusCode::kUnavailable, 503, "server_error", "unavailable"},
    {StatusCode::kInternal, 500, "server_error", "error"},
    {StatusCode::kIoError, 500, "server_error", "error"},
    {StatusCode::kCorruption, 500, "server_error", "error"},
};

TEST(ErrorResponseTest, EveryStatusCodeMapsToPostHogsStatusTypeAndCode) {
  for (const Row& row : kTable) {
    const ErrorShape shape = ErrorShapeFor(row.code);
    SCOPED_TRACE(std::string(StatusCodeName(row.code)));
    EXPECT_EQ(static_cast<unsigned>(shape.http_status), row.http);
    EXPECT_EQ(shape.type, row.type);
    EXPECT_EQ(shape.code, row.code_text);
    EXPECT_FALSE(shape.default_detail.empty());
  }
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
  EXPECT_EQ(ErrorBody(Status(StatusCode::kNotAuthenticated, "")),
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
