#include "engine/webhook_retry.h"

#include <gtest/gtest.h>

namespace actiond::engine {
namespace {

TEST(WebhookRetryTest, TwoHundredsDeliverClientErrorsAreFinalExceptTimeoutAndTooMany) {
  EXPECT_EQ(ClassifyHttpStatus(200), DeliveryOutcome::kDelivered);
  EXPECT_EQ(ClassifyHttpStatus(204), DeliveryOutcome::kDelivered);
  EXPECT_EQ(ClassifyHttpStatus(400), DeliveryOutcome::kFinal);
  EXPECT_EQ(ClassifyHttpStatus(404), DeliveryOutcome::kFinal);
  EXPECT_EQ(ClassifyHttpStatus(410), DeliveryOutcome::kFinal);
  EXPECT_EQ(ClassifyHttpStatus(408), DeliveryOutcome::kRetry);
  EXPECT_EQ(ClassifyHttpStatus(429), DeliveryOutcome::kRetry);
  EXPECT_EQ(ClassifyHttpStatus(500), DeliveryOutcome::kRetry);
  EXPECT_EQ(ClassifyHttpStatus(503), DeliveryOutcome::kRetry);
  EXPECT_EQ(ClassifyHttpStatus(301), DeliveryOutcome::kRetry) << "redirects are not followed";
  EXPECT_EQ(ClassifyHttpStatus(0), DeliveryOutcome::kRetry) << "no answer";
}

TEST(WebhookRetryTest, BackoffTriplesWithinItsJitterAndIsCapped) {
  EXPECT_EQ(BackoffMs(1, 10'000, 0.5), 10'000);
  EXPECT_EQ(BackoffMs(2, 10'000, 0.5), 30'000);
  EXPECT_EQ(BackoffMs(3, 10'000, 0.5), 90'000);
  EXPECT_EQ(BackoffMs(1, 10'000, 0.0), 8'000);
  EXPECT_LT(BackoffMs(1, 10'000, 0.999999), 12'000);
  EXPECT_EQ(BackoffMs(40, 10'000, 0.5), kMaxBackoffMs) << "no overflow, capped";
  // The default schedule: 9 retries after the first attempt span about a day.
  int64_t total = 0;
  for (int64_t n = 1; n <= 9; ++n) total += BackoffMs(n, kDefaultBackoffBaseMs, 0.5);
  EXPECT_GT(total, 18 * 3'600'000);
  EXPECT_LT(total, 26 * 3'600'000);
}

TEST(WebhookRetryTest, RetryAfterInSecondsOrAsAnHttpDate) {
  const int64_t now = 1'445'412'480'000;  // 2015-10-21T07:28:00Z
  EXPECT_EQ(ParseRetryAfterMs("120", now), 120'000);
  EXPECT_EQ(ParseRetryAfterMs(" 0 ", now), 0);
  EXPECT_EQ(ParseRetryAfterMs("Wed, 21 Oct 2015 07:28:30 GMT", now), 30'000);
  EXPECT_EQ(ParseRetryAfterMs("Wed, 21 Oct 2015 07:27:00 GMT", now), 0) << "past dates: now";
  EXPECT_EQ(ParseRetryAfterMs("99999999", now), kMaxRetryAfterMs);
  EXPECT_FALSE(ParseRetryAfterMs("", now));
  EXPECT_FALSE(ParseRetryAfterMs("-5", now));
  EXPECT_FALSE(ParseRetryAfterMs("soon", now));
  EXPECT_FALSE(ParseRetryAfterMs("Wed, 21 Foo 2015 07:28:30 GMT", now));
}

}  // namespace
}  // namespace actiond::engine
