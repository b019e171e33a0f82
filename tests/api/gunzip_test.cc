#include "api/http/gunzip.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <new>
#include <string>

#include "tests/api/gzip_test_util.h"

// The bomb test must show that decompression never allocates past its cap, so this binary's
// operator new records the largest single allocation made while tracking is on (this thread
// only). Every non-aligned form is replaced, all on malloc/free, so that allocation and
// deallocation always pair up (AddressSanitizer checks that they do).
namespace {
thread_local bool g_track_allocations = false;
thread_local size_t g_largest_allocation = 0;

void* TrackedAlloc(size_t size) noexcept {
  if (g_track_allocations && size > g_largest_allocation) g_largest_allocation = size;
  return std::malloc(size == 0 ? 1 : size);
}
}  // namespace

// The replacements pair malloc with free throughout. GCC 12 cannot see that when it inlines a
// delete next to a `new` whose body it does not see (gtest's test factories, at -O1 with the
// sanitizers) and warns that free() gets memory from operator new; it is the same malloc.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t size) {
  if (void* p = TrackedAlloc(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) {
  if (void* p = TrackedAlloc(size)) return p;
  throw std::bad_alloc();
}
void* operator new(size_t size, const std::nothrow_t&) noexcept { return TrackedAlloc(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return TrackedAlloc(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace actiond::api {
namespace {

using testing::Deflate;
using testing::Gzip;
using testing::ZeroBomb;

TEST(GunzipTest, RoundTripsGzip) {
  const std::string text = R"({"batch":[{"event":"$pageview"}]})";
  const auto out = Gunzip(Gzip(text), 1 << 20);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, text);
}

TEST(GunzipTest, AcceptsAZlibStreamForContentEncodingDeflate) {
  const auto out = Gunzip(Deflate("hello", 15), 100);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "hello");
}

TEST(GunzipTest, ConcatenatedMembersAreOneStream) {
  const auto out = Gunzip(Gzip("abc") + Gzip("def"), 100);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "abcdef");
}

TEST(GunzipTest, TrailingZeroPaddingIsIgnored) {
  const auto out = Gunzip(Gzip("abc") + std::string(8, '\0'), 100);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "abc");
}

TEST(GunzipTest, TrailingGarbageIsAParseError) {
  EXPECT_EQ(Gunzip(Gzip("abc") + "xyz", 100).status().code(), StatusCode::kParseError);
}

TEST(GunzipTest, TruncatedStreamIsAParseError) {
  const std::string gz = Gzip(std::string(10000, 'x') + "tail");
  for (size_t cut : {size_t{1}, size_t{5}, size_t{10}, gz.size() / 2, gz.size() - 1}) {
    SCOPED_TRACE(cut);
    const auto out = Gunzip(gz.substr(0, cut), 1 << 20);
    EXPECT_EQ(out.status().code(), StatusCode::kParseError);
  }
  EXPECT_EQ(Gunzip("", 100).status().code(), StatusCode::kParseError);
}

TEST(GunzipTest, CorruptDataAndBadCrcAreParseErrors) {
  std::string gz = Gzip("some text that compresses");
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x01;  // inside the CRC32 of the trailer
  EXPECT_EQ(Gunzip(bad_crc, 100).status().code(), StatusCode::kParseError);
  EXPECT_EQ(Gunzip("\x1f\x8b"
                   "not really gzip",
                   100)
                .status()
                .code(),
            StatusCode::kParseError);
  EXPECT_EQ(Gunzip("{\"plain\":1}", 100).status().code(), StatusCode::kParseError);
}

TEST(GunzipTest, OutputExactlyAtTheCapFitsOneMoreByteDoesNot) {
  const std::string text(1000, 'a');
  EXPECT_TRUE(Gunzip(Gzip(text), 1000).ok());
  EXPECT_EQ(Gunzip(Gzip(text), 999).status().code(), StatusCode::kTooLarge);
}

TEST(GunzipTest, LeavesTheRequestedSpareCapacity) {
  const auto out = Gunzip(Gzip(std::string(300000, 'q')), 1 << 20, 64);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->size(), 300000u);
  EXPECT_GE(out->capacity(), out->size() + 64);
}

TEST(GunzipTest, ZeroBombHelperIsValidGzip) {
  // The bomb below fails because of the cap, not because the test built broken data.
  const auto out = Gunzip(ZeroBomb(3), uint64_t{3} << 20);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->size(), size_t{3} << 20);
  EXPECT_EQ(out->find_first_not_of('\0'), std::string::npos);
}

TEST(GunzipTest, GigabyteBombStopsAtTheCapQuicklyWithoutAllocatingPastIt) {
  const std::string bomb = ZeroBomb(1024);  // 1 GiB of zeros
  ASSERT_LT(bomb.size(), size_t{2} << 20);
  const uint64_t cap = uint64_t{20} << 20;
  constexpr size_t kSpare = 64;

  const auto start = std::chrono::steady_clock::now();
  g_largest_allocation = 0;
  g_track_allocations = true;
  const auto out = Gunzip(bomb, cap, kSpare);
  g_track_allocations = false;
  const auto elapsed = std::chrono::steady_clock::now() - start;

  EXPECT_EQ(out.status().code(), StatusCode::kTooLarge);
  EXPECT_LE(g_largest_allocation, cap + 1 + kSpare + 1);  // + the string's terminator
  EXPECT_GT(g_largest_allocation, cap / 2);  // the tracking really saw the output buffer
  // Inflating 20 MiB takes milliseconds in a plain build; the bound leaves room for sanitizers.
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

}  // namespace
}  // namespace actiond::api
