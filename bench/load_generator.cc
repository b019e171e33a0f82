// load_generator: the end-to-end tier of actiond's benchmarks (as RocksDB's db_bench is to its
// microbenchmarks). It drives the real server over loopback HTTP the way posthog-node does:
// POST /batch/ with {api_key, batch: [...], sent_at}, gzip-compressed, on keep-alive connections.
// Each connection is a closed loop (send a batch, wait for the answer, send the next), so the
// request rate is what the server sustains at that concurrency, and latencies are not skewed by
// a client queue.
//
// Every event carries a uuid made of a per-run nonce, the connection id and a per-connection
// counter, so uuids are unique across connections and runs without any bookkeeping, and the
// acknowledged ones can be written out afterwards from (connection, counter range) pairs.
//
// --verify-url checks afterwards, through the Actions API, that the server stores exactly the
// acknowledged events: an action with one empty step matches every event (docs/semantics.md §1),
// and its count reads counters that count each stored event once. Nothing is retried: an error or a
// mismatch makes the exit status non-zero.
//
// --prebuild N builds and compresses the first N batches before the clock starts, so that on a
// machine whose cores the server shares the generator's own work per event is mostly done
// outside the timed run; its CPU time during the run is printed beside the server's.
//
// --projects N spreads the connections over N projects (connection i posts to project i mod N):
// the --token project and N-1 more created through POST /api/projects/ (needs --key). With
// --verify-url each project's stored count is checked against what it acknowledged.
//
// Loopback only: a target or verify address outside 127.0.0.0/8 and ::1 is refused.
//
// Asio and Beast are compiled header-only in this translation unit (this tool does not link
// actiond_api, whose BOOST_*_SEPARATE_COMPILATION would clash).
#include <simdjson.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace actiond::bench {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kLibVersion = "5.70.0";
constexpr int kMaxConnections = 4096;      // the uuid holds the connection id in 12 bits
constexpr int kMaxConsecutiveErrors = 20;  // I/O errors in a row on one connection (~2 s)

struct Options {
  std::string target = "127.0.0.1:8000";
  std::string token;
  int connections = 64;
  double duration_s = 60;
  int64_t batches = 0;  // > 0: send exactly this many batches instead of running for duration_s
  int batch_size = 100;
  int distinct_ids = 10'000;
  bool gzip = true;
  int gzip_level = 6;  // zlib's default, which posthog-node's CompressionStream uses
  int threads = 1;
  std::string path = "/batch/";
  double timeout_s = 30;
  std::string verify_url;
  std::string key;
  std::string project = "1";
  double verify_timeout_s = 600;
  std::string ack_file;
  std::string report_json;
  int server_pid = 0;
  bool quiet = false;
  int64_t prebuild = 0;  // batches built and compressed before the timed run
  int projects = 1;      // projects the connections are spread over
};

// A project the load posts to: its token and its id (for the REST API).
struct ProjectTarget {
  std::string token;
  std::string id;
};

// --- small helpers -------------------------------------------------------------------------

// Parses "HOST:PORT" or "[V6]:PORT" (also "http://HOST:PORT[/]") into a loopback endpoint.
std::optional<tcp::endpoint> ParseLoopback(std::string_view text, std::string& error) {
  if (text.starts_with("http://")) text.remove_prefix(7);
  while (text.ends_with("/")) text.remove_suffix(1);
  std::string_view host;
  std::string_view port;
  if (text.starts_with("[")) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = "expected [ADDRESS]:PORT";
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      error = "expected HOST:PORT";
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned port_number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (ec != std::errc() || end != port.data() + port.size() || port_number == 0 ||
      port_number > 65535) {
    error = "bad port '" + std::string(port) + "'";
    return std::nullopt;
  }
  net::ip::address address;
  if (host == "localhost") {
    address = net::ip::address_v4::loopback();
  } else {
    boost::system::error_code parse_error;
    address = net::ip::make_address(std::string(host), parse_error);
    if (parse_error) {
      error = "'" + std::string(host) + "' is not an IP address (only loopback is allowed)";
      return std::nullopt;
    }
  }
  if (!address.is_loopback()) {
    error = "'" + std::string(host) + "' is not loopback (127.0.0.0/8, ::1, localhost)";
    return std::nullopt;
  }
  return tcp::endpoint(address, static_cast<uint16_t>(port_number));
}

// SplitMix64: tiny, fast and good enough to pick event shapes.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(Next() % n); }

 private:
  uint64_t state_;
};

void AppendInt(std::string& out, int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void AppendHex(std::string& out, uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
    out.push_back(kHex[(value >> shift) & 0xF]);
}

// A version-4-shaped uuid: nonce (48 bits) - connection (12 bits) - counter (60 bits).
void AppendUuid(std::string& out, uint64_t nonce, uint32_t connection, uint64_t counter) {
  AppendHex(out, nonce >> 16, 8);
  out.push_back('-');
  AppendHex(out, nonce & 0xFFFF, 4);
  out.push_back('-');
  AppendHex(out, 0x4000 | (connection & 0xFFF), 4);
  out.push_back('-');
  AppendHex(out, 0x8000 | ((counter >> 48) & 0xFFF), 4);
  out.push_back('-');
  AppendHex(out, counter & 0xFFFF'FFFF'FFFFULL, 12);
}

// "2026-11-30T00:40:25.763Z", as JavaScript's Date.toISOString() writes it.
void AppendIsoTime(std::string& out, std::chrono::system_clock::time_point time) {
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const time_t seconds = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec, static_cast<int>(ms % 1000));
  out.append(buffer, static_cast<size_t>(n));
}

// --- request bodies ------------------------------------------------------------------------

// Builds posthog-node-style batch bodies. Half the events are $pageviews with the URL properties
// a server-side app forwards; the rest are product events with 12-16 properties, a few with $set.
// All generated strings are JSON-safe by construction, so nothing is escaped.
class BatchBuilder {
 public:
  BatchBuilder(const Options& options, std::string token, uint64_t nonce, uint32_t connection)
      : options_(options),
        token_(std::move(token)),
        nonce_(nonce),
        connection_(connection),
        random_(nonce ^ (0xA5A5'0000'0000ULL + connection)) {}

  // Writes the JSON of the batch whose events use counters [first_counter, first_counter + n).
  void Build(uint64_t first_counter, int n, std::string& out) {
    out.clear();
    const auto now = std::chrono::system_clock::now();
    out.append(R"({"api_key":")").append(token_).append(R"(","batch":[)");
    for (int i = 0; i < n; ++i) {
      if (i > 0) out.push_back(',');
      // Captured over the last moments before the flush, oldest first.
      AppendEvent(first_counter + static_cast<uint64_t>(i), now - std::chrono::milliseconds(n - i),
                  out);
    }
    out.append(R"(],"sent_at":")");
    AppendIsoTime(out, now);
    out.append(R"("})");
  }

 private:
  void AppendEvent(uint64_t counter, std::chrono::system_clock::time_point time, std::string& out) {
    static constexpr std::string_view kEvents[] = {"signed_up", "order_completed", "feature_used",
                                                   "subscription_renewed", "api_call"};
    static constexpr std::string_view kPlans[] = {"free", "pro", "team", "enterprise"};
    static constexpr std::string_view kPaths[] = {
        "/",          "/pricing",  "/docs/getting-started", "/blog/launch-week",
        "/products/", "/checkout", "/account/settings",     "/search"};
    static constexpr std::string_view kReferrers[] = {
        "https://www.google.com/", "https://news.ycombinator.com/", "$direct",
        "https://twitter.com/", "https://duckduckgo.com/"};
    static constexpr std::string_view kRegions[] = {"eu-west-1", "us-east-1", "ap-south-1"};
    static constexpr std::string_view kFeatures[] = {"export_csv", "dashboards", "sso",
                                                     "session_replay", "webhooks"};

    const uint32_t user = random_.Below(static_cast<uint32_t>(options_.distinct_ids));
    const bool pageview = random_.Below(2) == 0;
    const std::string_view plan = kPlans[random_.Below(4)];

    out.append(R"({"event":")");
    out.append(pageview ? std::string_view("$pageview") : kEvents[random_.Below(5)]);
    out.append(R"(","distinct_id":"user-)");
    AppendInt(out, user);
    out.append(R"(","uuid":")");
    AppendUuid(out, nonce_, connection_, counter);
    out.append(R"(","timestamp":")");
    AppendIsoTime(out, time);
    out.append(R"(","type":"capture","library":"posthog-node","library_version":")");
    out.append(kLibVersion);
    out.append(R"(","properties":{"$lib":"posthog-node","$lib_version":")");
    out.append(kLibVersion);
    out.append(R"(","$geoip_disable":true,"$is_server":true,"$session_id":"s-)");
    AppendInt(out, user);
    out.append("-");
    AppendInt(out, static_cast<int64_t>(counter / 50));
    out.append(R"(","plan":")").append(plan).append(R"(","n":)");
    AppendInt(out, static_cast<int64_t>(counter));
    out.append(R"(,"$groups":{"company":"company-)");
    AppendInt(out, user % 97);
    out.append(R"("})");
    if (pageview) {
      std::string_view path = kPaths[random_.Below(8)];
      out.append(R"(,"$current_url":"https://shop.example.com)").append(path);
      if (path == "/products/") AppendInt(out, random_.Below(500));
      out.append("?utm_source=newsletter&i=");
      AppendInt(out, static_cast<int64_t>(counter));
      out.append(R"(","$host":"shop.example.com","$pathname":")").append(path);
      const std::string_view referrer = kReferrers[random_.Below(5)];
      out.append(R"(","$referrer":")").append(referrer);
      out.append(R"(","$referring_domain":")");
      if (referrer == "$direct") {
        out.append("$direct");
      } else {
        out.append(referrer.substr(8, referrer.size() - 9));
      }
      out.append(R"(","$browser":"Chrome","$os":"Mac OS X","$device_type":"Desktop",)"
                 R"("$screen_width":1440,"utm_source":"newsletter"})");
    } else {
      out.append(R"(,"revenue":)");
      AppendInt(out, random_.Below(20'000));
      out.append(R"(.99,"currency":"EUR","order_id":"ord-)");
      AppendInt(out, static_cast<int64_t>(counter));
      out.append(R"(","items":)");
      AppendInt(out, 1 + random_.Below(9));
      out.append(R"(,"success":)").append(random_.Below(10) == 0 ? "false" : "true");
      out.append(R"(,"feature":")").append(kFeatures[random_.Below(5)]);
      out.append(R"(","duration_ms":)");
      AppendInt(out, random_.Below(5'000));
      out.append(R"(,"region":")").append(kRegions[random_.Below(3)]);
      out.append(R"(","app_version":"2.)");
      AppendInt(out, random_.Below(40));
      out.append(R"(.0")");
      if (random_.Below(50) == 0) {  // posthog-node's identify-style person update
        out.append(R"(,"$set":{"email":"user-)");
        AppendInt(out, user);
        out.append(R"(@example.com","plan":")").append(plan).append(R"("})");
      }
      out.push_back('}');
    }
    out.push_back('}');
  }

  const Options& options_;
  const std::string token_;
  const uint64_t nonce_;
  const uint32_t connection_;
  Random random_;
};

// One reusable gzip stream (the same framing as Node's zlib gzip).
class Gzipper {
 public:
  explicit Gzipper(int level) {
    ok_ = deflateInit2(&stream_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Gzipper() { deflateEnd(&stream_); }
  Gzipper(const Gzipper&) = delete;
  Gzipper& operator=(const Gzipper&) = delete;

  bool Compress(std::string_view input, std::string& out) {
    if (!ok_ || deflateReset(&stream_) != Z_OK) return false;
    out.resize(deflateBound(&stream_, input.size()));
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream_.avail_in = static_cast<uInt>(input.size());
    stream_.next_out = reinterpret_cast<Bytef*>(out.data());
    stream_.avail_out = static_cast<uInt>(out.size());
    if (deflate(&stream_, Z_FINISH) != Z_STREAM_END) return false;
    out.resize(stream_.total_out);
    return true;
  }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

// --- the load ------------------------------------------------------------------------------

// State every connection shares. Counters are atomics; the rest is read-only during the run.
struct Shared {
  const Options* options = nullptr;
  tcp::endpoint endpoint;
  uint64_t nonce = 0;
  Clock::time_point deadline;
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> batches_claimed{0};
  std::atomic<int64_t> events_acked{0};
  std::atomic<int> active{0};
  std::atomic<Clock::rep> finished_at{0};  // when the last connection finished

  // Takes the right to send one more batch.
  bool Claim() {
    if (stopping.load(std::memory_order_relaxed)) return false;
    if (options->batches > 0) {
      return batches_claimed.fetch_add(1, std::memory_order_relaxed) < options->batches;
    }
    return Clock::now() < deadline;
  }
};

// What one connection saw; only its own strand touches it until the run ends.
struct ConnectionStats {
  int64_t requests_ok = 0;
  std::map<int, int64_t> errors_by_status;   // HTTP status -> responses
  std::map<std::string, int64_t> io_errors;  // where/what -> count
  int64_t events_sent = 0;
  int64_t events_acked = 0;
  int64_t events_unknown = 0;  // sent, then the connection failed before an answer
  int64_t bytes_json = 0;
  int64_t bytes_wire = 0;
  int64_t connects = 0;
  std::vector<uint32_t> latencies_us;
  std::vector<std::pair<uint64_t, uint32_t>> acked_ranges;  // (first counter, events)
  bool body_error = false;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, Shared& shared, uint32_t id, const std::string& token,
             ConnectionStats& stats)
      : shared_(shared),
        options_(*shared.options),
        id_(id),
        stats_(stats),
        stream_(net::make_strand(ioc)),
        retry_timer_(stream_.get_executor()),
        builder_(options_, token, shared.nonce, id),
        gzipper_(options_.gzip_level) {
    request_.method(http::verb::post);
    request_.target(options_.path);
    request_.version(11);
    request_.set(http::field::host, shared.endpoint.address().to_string() + ":" +
                                        std::to_string(shared.endpoint.port()));
    request_.set(http::field::user_agent, "posthog-node/5.70.0 (actiond load_generator)");
    request_.set(http::field::content_type, "application/json");
    request_.set(http::field::accept, "*/*");
    request_.keep_alive(true);
    if (options_.gzip) request_.set(http::field::content_encoding, "gzip");
  }

  // Builds (and compresses) this connection's next `n` batches now, before the timed run;
  // SendNext sends them first, in order, then builds the rest as it goes. False when
  // compression failed.
  bool Prebuild(int64_t n) {
    prebuilt_.reserve(static_cast<size_t>(n));
    uint64_t counter =
        next_counter_ + prebuilt_.size() * static_cast<uint64_t>(options_.batch_size);
    for (int64_t i = 0; i < n; ++i, counter += static_cast<uint64_t>(options_.batch_size)) {
      Body body;
      builder_.Build(counter, options_.batch_size, json_);
      body.json_bytes = static_cast<int64_t>(json_.size());
      if (!options_.gzip) {
        body.wire = json_;
      } else if (!gzipper_.Compress(json_, body.wire)) {
        return false;
      }
      prebuilt_.push_back(std::move(body));
    }
    return true;
  }

  void Start() {
    shared_.active.fetch_add(1);
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Connect(); });
  }

 private:
  std::chrono::nanoseconds Timeout() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double>(options_.timeout_s));
  }

  void Connect() {
    if (shared_.stopping.load() || (options_.batches == 0 && Clock::now() >= shared_.deadline)) {
      return Finish();
    }
    ++stats_.connects;
    stream_.expires_after(Timeout());
    stream_.async_connect(shared_.endpoint, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->IoError("connect", ec);
      self->SendNext();
    });
  }

  void SendNext() {
    if (!shared_.Claim()) return Finish();
    const int n = options_.batch_size;
    first_counter_ = next_counter_;
    next_counter_ += static_cast<uint64_t>(n);
    if (next_prebuilt_ < prebuilt_.size()) {
      Body& body = prebuilt_[next_prebuilt_++];
      stats_.bytes_json += body.json_bytes;
      request_.body() = std::move(body.wire);
    } else {
      builder_.Build(first_counter_, n, json_);
      stats_.bytes_json += static_cast<int64_t>(json_.size());
      if (!options_.gzip) {
        request_.body() = json_;
      } else if (!gzipper_.Compress(json_, request_.body())) {
        stats_.body_error = true;
        shared_.stopping.store(true);
        return Finish();
      }
    }
    stats_.bytes_wire += static_cast<int64_t>(request_.body().size());
    request_.prepare_payload();
    stats_.events_sent += n;
    in_flight_ = n;
    sent_at_ = Clock::now();
    stream_.expires_after(Timeout());
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->IoError("write", ec);
      self->ReadAnswer();
    });
  }

  void ReadAnswer() {
    response_ = {};
    stream_.expires_after(Timeout());
    http::async_read(stream_, buffer_, response_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->IoError("read", ec);
                       self->OnAnswer();
                     });
  }

  void OnAnswer() {
    const auto elapsed = Clock::now() - sent_at_;
    stats_.latencies_us.push_back(static_cast<uint32_t>(std::min<int64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count(), UINT32_MAX)));
    const int status = static_cast<int>(response_.result_int());
    if (status == 200) {
      ++stats_.requests_ok;
      stats_.events_acked += in_flight_;
      stats_.acked_ranges.emplace_back(first_counter_, static_cast<uint32_t>(in_flight_));
      shared_.events_acked.fetch_add(in_flight_, std::memory_order_relaxed);
    } else {
      ++stats_.errors_by_status[status];
      if (!options_.quiet && stats_.errors_by_status[status] == 1) {
        std::cerr << "connection " << id_ << ": HTTP " << status << ": "
                  << response_.body().substr(0, 300) << "\n";
      }
    }
    in_flight_ = 0;
    consecutive_errors_ = 0;
    if (!response_.keep_alive()) {  // the server ends the connection: open another
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.close();
      buffer_.clear();
      return Connect();
    }
    SendNext();
  }

  void IoError(const char* where, beast::error_code ec) {
    ++stats_.io_errors[std::string(where) + ": " + ec.message()];
    if (++consecutive_errors_ >= kMaxConsecutiveErrors) {
      // The server is gone: stop everyone rather than retrying until --duration or forever.
      shared_.stopping.store(true);
    }
    if (!options_.quiet) {
      std::cerr << "connection " << id_ << ": " << where << ": " << ec.message() << "\n";
    }
    stats_.events_unknown += in_flight_;  // maybe committed, maybe not: never acknowledged
    in_flight_ = 0;
    beast::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
    // Keep the loop going (the error already fails the run) after a pause, so a refused
    // connect does not spin.
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code) { self->Connect(); });
  }

  void Finish() {
    if (finished_) return;
    finished_ = true;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    if (shared_.active.fetch_sub(1) == 1) {
      shared_.finished_at.store(Clock::now().time_since_epoch().count());
    }
  }

  Shared& shared_;
  const Options& options_;
  const uint32_t id_;
  ConnectionStats& stats_;
  beast::tcp_stream stream_;
  net::steady_timer retry_timer_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  BatchBuilder builder_;
  Gzipper gzipper_;
  std::string json_;
  struct Body {
    std::string wire;  // what is posted (gzip or plain)
    int64_t json_bytes = 0;
  };
  std::vector<Body> prebuilt_;
  size_t next_prebuilt_ = 0;
  uint64_t next_counter_ = 0;
  uint64_t first_counter_ = 0;
  int in_flight_ = 0;
  int consecutive_errors_ = 0;
  Clock::time_point sent_at_;
  bool finished_ = false;
};

// --- verification through the REST API ----------------------------------------------------

struct Answer {
  int status = 0;
  std::string body;
};

// One synchronous request on a fresh connection. Errors are returned, never thrown.
std::optional<Answer> Call(const tcp::endpoint& endpoint, http::verb method,
                           const std::string& target, const std::string& key,
                           const std::string& body, std::string& error) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  stream.expires_after(std::chrono::seconds(60));
  stream.connect(endpoint, ec);
  if (ec) {
    error = "connect: " + ec.message();
    return std::nullopt;
  }
  http::request<http::string_body> request(method, target, 11);
  request.set(http::field::host, endpoint.address().to_string());
  request.set(http::field::authorization, "Bearer " + key);
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();
  http::write(stream, request, ec);
  if (ec) {
    error = "write: " + ec.message();
    return std::nullopt;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::uint64_t{64} * 1024 * 1024);
  http::read(stream, buffer, parser, ec);
  if (ec) {
    error = "read: " + ec.message();
    return std::nullopt;
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return Answer{static_cast<int>(parser.get().result_int()), parser.get().body()};
}

class Verifier {
 public:
  Verifier(const Options& options, tcp::endpoint endpoint, std::string project, uint64_t nonce)
      : options_(options),
        endpoint_(std::move(endpoint)),
        project_(std::move(project)),
        nonce_(nonce) {}

  // Before the run: if the project already holds events, counts them now (with the action that
  // will count the run too); an empty project needs nothing.
  bool Prepare(std::string& error) {
    std::optional<Answer> answer = Call(
        endpoint_, http::verb::get, ProjectPath() + "/events/?limit=1", options_.key, "", error);
    if (!answer) return false;
    if (answer->status != 200) return Fail(*answer, "events API", error);
    simdjson::ondemand::parser parser;
    simdjson::padded_string json(answer->body);
    simdjson::ondemand::document doc;
    simdjson::ondemand::array results;
    if (parser.iterate(json).get(doc) || doc["results"].get_array().get(results)) {
      error = "events API: unexpected body";
      return false;
    }
    size_t count = 0;
    if (results.count_elements().get(count)) {
      error = "events API: unexpected body";
      return false;
    }
    if (count == 0) return true;
    if (!options_.quiet) std::cerr << "verify: the project has events; counting them first\n";
    if (!CreateAction(error)) return false;
    std::optional<int64_t> before = Count(error);
    if (!before) return false;
    baseline_ = *before;
    return true;
  }

  // After the run: the number of events the project gained. Soft-deletes the action afterwards.
  std::optional<int64_t> StoredSinceStart(std::string& error) {
    if (action_id_ == 0 && !CreateAction(error)) return std::nullopt;
    std::optional<int64_t> now = Count(error);
    std::string ignored;
    Call(endpoint_, http::verb::patch, ActionPath(), options_.key, R"({"deleted":true})", ignored);
    if (!now) return std::nullopt;
    return *now - baseline_;
  }

 private:
  std::string ProjectPath() const { return "/api/projects/" + project_; }
  std::string ActionPath() const {
    return ProjectPath() + "/actions/" + std::to_string(action_id_) + "/";
  }

  static bool Fail(const Answer& answer, const char* what, std::string& error) {
    error = std::string(what) + ": HTTP " + std::to_string(answer.status) + " " +
            answer.body.substr(0, 300);
    return false;
  }

  // An action with one empty step matches every event; waits for its backfill to finish.
  bool CreateAction(std::string& error) {
    std::string name = "load_generator all ";
    AppendHex(name, nonce_, 16);
    std::optional<Answer> answer =
        Call(endpoint_, http::verb::post, ProjectPath() + "/actions/", options_.key,
             R"({"name":")" + name + R"(","steps":[{}]})", error);
    if (!answer) return false;
    if (answer->status != 201) return Fail(*answer, "create action", error);
    simdjson::ondemand::parser parser;
    simdjson::padded_string json(answer->body);
    simdjson::ondemand::document doc;
    if (parser.iterate(json).get(doc) || doc["id"].get_int64().get(action_id_)) {
      error = "create action: no id in " + answer->body.substr(0, 300);
      return false;
    }
    const auto give_up =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(options_.verify_timeout_s));
    while (true) {
      answer = Call(endpoint_, http::verb::get, ActionPath(), options_.key, "", error);
      if (!answer) return false;
      if (answer->status != 200) return Fail(*answer, "get action", error);
      simdjson::padded_string action_json(answer->body);
      bool calculating = true;
      if (parser.iterate(action_json).get(doc) ||
          doc["is_calculating"].get_bool().get(calculating)) {
        error = "get action: no is_calculating in " + answer->body.substr(0, 300);
        return false;
      }
      if (!calculating) return true;
      if (Clock::now() > give_up) {
        error = "the action's backfill did not finish within --verify-timeout";
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  std::optional<int64_t> Count(std::string& error) {
    std::optional<Answer> answer =
        Call(endpoint_, http::verb::get, ActionPath() + "count/", options_.key, "", error);
    if (!answer) return std::nullopt;
    if (answer->status != 200) {
      Fail(*answer, "action count", error);
      return std::nullopt;
    }
    simdjson::ondemand::parser parser;
    simdjson::padded_string json(answer->body);
    simdjson::ondemand::document doc;
    int64_t count = 0;
    if (parser.iterate(json).get(doc) || doc["count"].get_int64().get(count)) {
      error = "action count: unexpected body " + answer->body.substr(0, 300);
      return std::nullopt;
    }
    return count;
  }

  const Options& options_;
  const tcp::endpoint endpoint_;
  const std::string project_;
  const uint64_t nonce_;
  int64_t action_id_ = 0;
  int64_t baseline_ = 0;
};

// Creates a project through POST /api/projects/ and returns its token and id.
std::optional<ProjectTarget> CreateProject(const tcp::endpoint& endpoint, const std::string& key,
                                           const std::string& name, std::string& error) {
  std::optional<Answer> answer = Call(endpoint, http::verb::post, "/api/projects/", key,
                                      R"({"name":")" + name + R"("})", error);
  if (!answer) return std::nullopt;
  if (answer->status != 201) {
    error = "create project: HTTP " + std::to_string(answer->status) + " " +
            answer->body.substr(0, 300);
    return std::nullopt;
  }
  simdjson::ondemand::parser parser;
  simdjson::padded_string json(answer->body);
  simdjson::ondemand::document doc;
  int64_t id = 0;
  std::string_view token;
  if (parser.iterate(json).get(doc) || doc["id"].get_int64().get(id) ||
      doc["api_token"].get_string().get(token)) {
    error = "create project: no id or api_token in " + answer->body.substr(0, 300);
    return std::nullopt;
  }
  return ProjectTarget{std::string(token), std::to_string(id)};
}

// --- reporting -----------------------------------------------------------------------------

double CpuSeconds(int pid) {
  if (pid == 0) {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  // /proc/PID/stat: utime and stime are fields 14 and 15, after the parenthesised name.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double Percentile(const std::vector<uint32_t>& sorted_us, double p) {
  if (sorted_us.empty()) return 0;
  size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted_us.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, sorted_us.size());
  return sorted_us[rank - 1] / 1000.0;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

int Run(const Options& options) {
  std::string error;
  const std::optional<tcp::endpoint> endpoint = ParseLoopback(options.target, error);
  if (!endpoint) {
    std::cerr << "load_generator: --target: " << error << "\n";
    return 2;
  }
  std::optional<tcp::endpoint> verify_endpoint;
  if (!options.verify_url.empty()) {
    verify_endpoint = ParseLoopback(options.verify_url, error);
    if (!verify_endpoint) {
      std::cerr << "load_generator: --verify-url: " << error << "\n";
      return 2;
    }
    if (options.key.empty()) {
      std::cerr << "load_generator: --verify-url needs --key (a personal API key)\n";
      return 2;
    }
  }
  for (char c : options.token + options.project) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '@') {
      std::cerr << "load_generator: --token and --project take [A-Za-z0-9_-@] only\n";
      return 2;
    }
  }

  const uint64_t nonce = std::random_device{}() * 0x1'0000'0000ULL ^ std::random_device{}();
  std::vector<ProjectTarget> projects{{options.token, options.project}};
  for (int i = 1; i < options.projects; ++i) {
    std::string name = "load_generator " + std::to_string(i) + " ";
    AppendHex(name, nonce & 0xFFFF'FFFF'FFFFULL, 12);
    std::optional<ProjectTarget> created = CreateProject(*endpoint, options.key, name, error);
    if (!created) {
      std::cerr << "load_generator: --projects: " << error << "\n";
      return 1;
    }
    projects.push_back(std::move(*created));
  }
  std::vector<Verifier> verifiers;
  if (verify_endpoint) {
    for (const ProjectTarget& project : projects) {
      verifiers.emplace_back(options, *verify_endpoint, project.id, nonce & 0xFFFF'FFFF'FFFFULL);
      if (!verifiers.back().Prepare(error)) {
        std::cerr << "load_generator: verify: " << error << "\n";
        return 1;
      }
    }
  }

  Shared shared;
  shared.options = &options;
  shared.endpoint = *endpoint;
  shared.nonce = nonce & 0xFFFF'FFFF'FFFFULL;
  std::vector<ConnectionStats> stats(static_cast<size_t>(options.connections));
  net::io_context ioc(options.threads);

  std::vector<std::shared_ptr<Connection>> connections;
  const auto prebuild_start = Clock::now();
  const double cpu_prebuild_start = CpuSeconds(0);
  for (int i = 0; i < options.connections; ++i) {
    const std::string& token = projects[static_cast<size_t>(i % options.projects)].token;
    connections.push_back(std::make_shared<Connection>(ioc, shared, static_cast<uint32_t>(i), token,
                                                       stats[static_cast<size_t>(i)]));
    // An even share of --prebuild, the first connections taking the remainder.
    const int64_t share = options.prebuild / options.connections +
                          (i < options.prebuild % options.connections ? 1 : 0);
    if (!connections.back()->Prebuild(share)) {
      std::printf("FAILED: could not build or compress a body\n");
      return 1;
    }
  }
  if (options.prebuild > 0) {
    std::printf("prebuilt          %" PRId64 " batches in %.2f s (client CPU %.1f s, not timed)\n",
                options.prebuild,
                std::chrono::duration<double>(Clock::now() - prebuild_start).count(),
                CpuSeconds(0) - cpu_prebuild_start);
  }

  const double cpu_client_start = CpuSeconds(0);
  const double cpu_server_start = options.server_pid ? CpuSeconds(options.server_pid) : 0;
  const Clock::time_point start = Clock::now();
  shared.deadline = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(options.duration_s));
  for (auto& connection : connections) connection->Start();
  connections.clear();  // each connection keeps itself alive through its pending handlers

  // A one-second tick: progress every 10 s, and the end once every connection has finished.
  net::steady_timer tick(ioc);
  int64_t ticks = 0;
  int64_t acked_at_last_report = 0;
  std::function<void(beast::error_code)> on_tick = [&](beast::error_code ec) {
    if (ec || shared.active.load() == 0) return;
    if (++ticks % 10 == 0 && !options.quiet) {
      const int64_t acked = shared.events_acked.load();
      std::cerr << "  " << ticks << " s: " << acked << " events acknowledged, "
                << (acked - acked_at_last_report) / 10 << " events/s over the last 10 s\n";
      acked_at_last_report = acked;
    }
    tick.expires_after(std::chrono::seconds(1));
    tick.async_wait(on_tick);
  };
  tick.expires_after(std::chrono::seconds(1));
  tick.async_wait(on_tick);

  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (std::thread& t : threads) t.join();
  // The run ends with the last answer, not with the tick that noticed it.
  const Clock::time_point end{Clock::duration(shared.finished_at.load())};
  const double elapsed_s = std::chrono::duration<double>(end - start).count();
  const double cpu_client = CpuSeconds(0) - cpu_client_start;
  const double cpu_server =
      options.server_pid ? CpuSeconds(options.server_pid) - cpu_server_start : 0;

  // Merge.
  ConnectionStats total;
  std::vector<uint32_t> latencies;
  for (ConnectionStats& s : stats) {
    total.requests_ok += s.requests_ok;
    for (const auto& [status, n] : s.errors_by_status) total.errors_by_status[status] += n;
    for (const auto& [what, n] : s.io_errors) total.io_errors[what] += n;
    total.events_sent += s.events_sent;
    total.events_acked += s.events_acked;
    total.events_unknown += s.events_unknown;
    total.bytes_json += s.bytes_json;
    total.bytes_wire += s.bytes_wire;
    total.connects += s.connects;
    total.body_error |= s.body_error;
    latencies.insert(latencies.end(), s.latencies_us.begin(), s.latencies_us.end());
  }
  std::sort(latencies.begin(), latencies.end());
  int64_t http_errors = 0;
  for (const auto& [status, n] : total.errors_by_status) http_errors += n;
  int64_t io_errors = 0;
  for (const auto& [what, n] : total.io_errors) io_errors += n;

  if (!options.ack_file.empty()) {
    std::ofstream out(options.ack_file, std::ios::trunc);
    std::string line;
    for (size_t c = 0; c < stats.size(); ++c) {
      for (const auto& [first, n] : stats[c].acked_ranges) {
        for (uint64_t counter = first; counter < first + n; ++counter) {
          line.clear();
          AppendUuid(line, shared.nonce, static_cast<uint32_t>(c), counter);
          line.push_back('\n');
          out << line;
        }
      }
    }
    if (!out) {
      std::cerr << "load_generator: cannot write " << options.ack_file << "\n";
      return 1;
    }
  }

  const double events_per_s = static_cast<double>(total.events_acked) / elapsed_s;
  const double requests_per_s = static_cast<double>(total.requests_ok) / elapsed_s;
  const double p50 = Percentile(latencies, 50), p90 = Percentile(latencies, 90),
               p99 = Percentile(latencies, 99);
  const double max = latencies.empty() ? 0 : latencies.back() / 1000.0;

  std::printf("target            %s%s (%d connections, %d client thread(s))\n",
              options.target.c_str(), options.path.c_str(), options.connections, options.threads);
  const double requests_sent =
      std::max(1.0, static_cast<double>(total.events_sent) / options.batch_size);
  std::printf("batches           %d events, %s, %.1f KiB JSON -> %.1f KiB on the wire (avg)\n",
              options.batch_size, options.gzip ? "gzip" : "plain",
              static_cast<double>(total.bytes_json) / 1024.0 / requests_sent,
              static_cast<double>(total.bytes_wire) / 1024.0 / requests_sent);
  std::printf("duration          %.2f s\n", elapsed_s);
  std::printf("requests          %" PRId64 " ok, %" PRId64 " HTTP errors, %" PRId64
              " I/O errors, %" PRId64 " connects\n",
              total.requests_ok, http_errors, io_errors, total.connects);
  for (const auto& [status, n] : total.errors_by_status) {
    std::printf("  HTTP %d          %" PRId64 "\n", status, n);
  }
  for (const auto& [what, n] : total.io_errors) {
    std::printf("  %s: %" PRId64 "\n", what.c_str(), n);
  }
  std::printf("events            %" PRId64 " sent, %" PRId64 " acknowledged, %" PRId64
              " unknown (connection failed)\n",
              total.events_sent, total.events_acked, total.events_unknown);
  std::printf("throughput        %.0f events/s, %.1f requests/s\n", events_per_s, requests_per_s);
  std::printf("latency (ms)      p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", p50, p90, p99, max);
  std::printf("cpu               client %.1f s (%.0f%% of one core)", cpu_client,
              100 * cpu_client / elapsed_s);
  if (options.server_pid) {
    std::printf(", server %.1f s (%.0f%% of one core)", cpu_server, 100 * cpu_server / elapsed_s);
  }
  std::printf("\nload average      %s (after the run)\n", LoadAverage().c_str());
  std::printf("acknowledged uuids %" PRId64 "%s%s\n", total.events_acked,
              options.ack_file.empty() ? "" : " written to ", options.ack_file.c_str());

  bool ok = http_errors == 0 && io_errors == 0 && !total.body_error && total.requests_ok > 0;
  if (total.body_error) std::printf("FAILED: could not build or compress a body\n");
  if (total.requests_ok == 0) std::printf("FAILED: no request was acknowledged\n");
  if (options.projects > 1) {
    std::printf("projects          %d (connection i posts to project i mod %d):", options.projects,
                options.projects);
    for (const ProjectTarget& project : projects) std::printf(" %s", project.id.c_str());
    std::printf("\n");
  }
  std::optional<int64_t> stored;
  for (size_t p = 0; p < verifiers.size(); ++p) {
    int64_t acked = 0;
    for (size_t c = p; c < stats.size(); c += projects.size()) acked += stats[c].events_acked;
    std::optional<int64_t> project_stored = verifiers[p].StoredSinceStart(error);
    const char* project = projects[p].id.c_str();
    if (!project_stored) {
      std::printf("verify            project %s FAILED: %s\n", project, error.c_str());
      ok = false;
      continue;
    }
    stored = stored.value_or(0) + *project_stored;
    if (*project_stored != acked) {
      std::printf("verify            project %s MISMATCH: %" PRId64 " stored, %" PRId64
                  " acknowledged\n",
                  project, *project_stored, acked);
      ok = false;
    } else {
      std::printf("verify            ok: %" PRId64 " stored == %" PRId64 " acknowledged%s%s\n",
                  *project_stored, acked, options.projects > 1 ? " in project " : "",
                  options.projects > 1 ? project : "");
    }
  }
  if (!verifiers.empty() && ok && stored != total.events_acked) ok = false;

  if (!options.report_json.empty()) {
    std::ofstream out(options.report_json, std::ios::trunc);
    out << "{\"duration_s\":" << elapsed_s << ",\"connections\":" << options.connections
        << ",\"requests_ok\":" << total.requests_ok << ",\"http_errors\":" << http_errors
        << ",\"io_errors\":" << io_errors << ",\"events_sent\":" << total.events_sent
        << ",\"events_acked\":" << total.events_acked
        << ",\"events_unknown\":" << total.events_unknown << ",\"events_per_s\":" << events_per_s
        << ",\"p50_ms\":" << p50 << ",\"p90_ms\":" << p90 << ",\"p99_ms\":" << p99
        << ",\"max_ms\":" << max << ",\"stored\":";
    if (stored) {
      out << *stored;
    } else {
      out << "null";
    }
    out << ",\"ok\":" << (ok ? "true" : "false") << "}\n";
  }
  std::fflush(stdout);
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace actiond::bench

namespace {

int Main(int argc, char** argv) {
  actiond::bench::Options options;
  CLI::App cli{
      "load_generator: closed-loop posthog-node-style /batch/ load against a loopback actiond"};
  cli.add_option("--target", options.target, "Server address, HOST:PORT (loopback only)")
      ->capture_default_str();
  cli.add_option("--token", options.token, "Project token (phc_...)")->required();
  cli.add_option("--connections", options.connections, "Keep-alive connections, each a closed loop")
      ->capture_default_str()
      ->check(CLI::Range(1, actiond::bench::kMaxConnections));
  CLI::Option* duration = cli.add_option("--duration", options.duration_s, "Seconds to run")
                              ->capture_default_str()
                              ->check(CLI::PositiveNumber);
  cli.add_option("--batches", options.batches, "Send exactly this many batches instead")
      ->check(CLI::PositiveNumber)
      ->excludes(duration);
  cli.add_option("--batch-size", options.batch_size, "Events per request")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  cli.add_option("--distinct-ids", options.distinct_ids, "Distinct ids the events are spread over")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_flag("--gzip,!--no-gzip", options.gzip, "gzip bodies with Content-Encoding: gzip")
      ->capture_default_str();
  cli.add_option("--gzip-level", options.gzip_level, "zlib level")
      ->capture_default_str()
      ->check(CLI::Range(1, 9));
  cli.add_option("--threads", options.threads, "Client I/O threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cli.add_option("--path", options.path, "Capture path")->capture_default_str();
  cli.add_option("--timeout", options.timeout_s, "Seconds allowed for each connect, write, read")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_option("--verify-url", options.verify_url,
                 "After the run, check stored == acknowledged through this server's REST API "
                 "(http://127.0.0.1:PORT)");
  cli.add_option("--key", options.key, "Personal API key (phx_...) for --verify-url");
  cli.add_option("--project", options.project, "Project id the token belongs to, for --verify-url")
      ->capture_default_str();
  cli.add_option("--verify-timeout", options.verify_timeout_s,
                 "Seconds to wait for the counting action's backfill")
      ->capture_default_str();
  cli.add_option("--ack-file", options.ack_file, "Write the acknowledged uuids here, one a line");
  cli.add_option("--report-json", options.report_json, "Write the summary as JSON here");
  cli.add_option("--server-pid", options.server_pid, "Also report this process's CPU time");
  cli.add_flag("--quiet", options.quiet, "No progress or per-error lines on stderr");
  cli.add_option(
         "--prebuild", options.prebuild,
         "Build and compress this many batches before the timed run (then build as it goes)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--projects", options.projects,
                 "Spread connections over N projects (N-1 created through the API; needs --key)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  CLI11_PARSE(cli, argc, argv);
  if (options.projects > 1 && options.key.empty()) {
    std::cerr << "load_generator: --projects needs --key (a personal API key)\n";
    return 2;
  }
  return actiond::bench::Run(options);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {  // Asio/simdjson/CLI11 edge: report, never crash silently
    std::cerr << "load_generator: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "load_generator: unknown exception\n";
  }
  return 1;
}
