// ingest_ceiling: what RocksDB alone costs for exactly the bytes an HTTP ingest wrote — the
// ceiling the server's ingest rate is compared with (issue #11 item 4, docs/performance.md).
//
//   actiond --keep-wal --data-dir D ...; (load) ; stop actiond
//   ingest_ceiling --source D [--expect-events N] [--scratch DIR] [--report-json FILE]
//
// The server ran with --keep-wal, so its write-ahead log still holds every batch it committed
// (events, uuid index, persons, distinct ids, matches, counters, id reservations — and the few
// set-up writes: schema version, project, key). This tool reads them back, serialized as the
// server handed them to RocksDB (Store::VisitCommittedBatches), into memory, then times applying
// the same batches, in the same order and the same sizes, to a fresh store opened by the same
// Store::Open — same column families, merge operator, table and write options — on one thread.
// No request parsing, dedupe reads, person lookups, matching or HTTP: only the writes. The
// clock stops when the last batch is committed (the HTTP run's does at the last answer); the
// memtables flush and compact in the background meanwhile, as they do under the server.
//
// Checks before trusting the time: the source holds --expect-events events (the load
// generator's acknowledged count, so stored == acknowledged), and after the replay the copy
// holds as many events per project as the source. Exit 1 on any failure, 2 on bad flags.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "storage/store.h"

namespace actiond::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string source;
  std::string scratch;  // "": a temporary directory, removed afterwards
  int64_t expect_events = -1;
  std::string report_json;
};

double CpuSeconds() {  // this process, every thread (RocksDB's flush and compaction included)
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Events stored per project (the O(1) PutEvent counter).
Result<std::map<storage::ProjectId, int64_t>> EventsPerProject(const storage::Store& store) {
  std::map<storage::ProjectId, int64_t> out;
  ACTIOND_ASSIGN_OR_RETURN(std::vector<storage::Project> projects, store.ListProjects());
  for (const storage::Project& project : projects) {
    ACTIOND_ASSIGN_OR_RETURN(out[project.id], store.EventCount(project.id));
  }
  return out;
}

int64_t Sum(const std::map<storage::ProjectId, int64_t>& counts) {
  int64_t sum = 0;
  for (const auto& [project, n] : counts) sum += n;
  return sum;
}

int Fail(const std::string& what, const Status& status) {
  std::cerr << "ingest_ceiling: " << what << ": " << status.ToString() << "\n";
  return 1;
}

int Run(const Options& options) {
  // Read every committed batch of the source into memory, before the clock starts.
  std::vector<std::string> batches;
  int64_t bytes = 0;
  std::map<storage::ProjectId, int64_t> source_events;
  {
    storage::StoreOptions source_options;
    source_options.create_if_missing = false;
    source_options.keep_wal = true;  // opening without it would let RocksDB purge the archive
    Result<std::unique_ptr<storage::Store>> source =
        storage::Store::Open(options.source, source_options);
    if (!source.ok()) return Fail("opening " + options.source, source.status());
    Status read = (*source)->VisitCommittedBatches([&](std::string_view serialized) {
      batches.emplace_back(serialized);
      bytes += static_cast<int64_t>(serialized.size());
      return true;
    });
    if (!read.ok()) return Fail("reading the source's write-ahead log", read);
    Result<std::map<storage::ProjectId, int64_t>> counted = EventsPerProject(**source);
    if (!counted.ok()) return Fail("counting the source's events", counted.status());
    source_events = std::move(*counted);
    if (Status closed = (*source)->Close(); !closed.ok()) return Fail("closing the source", closed);
  }
  const int64_t events = Sum(source_events);
  if (options.expect_events >= 0 && events != options.expect_events) {
    std::printf("MISMATCH: the source stores %" PRId64 " events, expected %" PRId64 "\n", events,
                options.expect_events);
    return 1;
  }
  if (events == 0) {
    std::cerr << "ingest_ceiling: the source stores no events\n";
    return 1;
  }

  std::filesystem::path scratch = options.scratch;
  const bool temporary = scratch.empty();
  if (temporary) {
    scratch =
        std::filesystem::temp_directory_path() / ("ingest_ceiling." + std::to_string(::getpid()));
  }
  std::error_code ec;
  if (std::filesystem::exists(scratch, ec)) {
    std::cerr << "ingest_ceiling: " << scratch << " exists; give a fresh --scratch\n";
    return 2;
  }
  struct RemoveAtExit {
    std::filesystem::path path;
    ~RemoveAtExit() {
      std::error_code ignored;
      if (!path.empty()) std::filesystem::remove_all(path, ignored);
    }
  } remove_at_exit{temporary ? scratch : std::filesystem::path()};

  Result<std::unique_ptr<storage::Store>> target = storage::Store::Open(scratch.string());
  if (!target.ok()) return Fail("opening the scratch store", target.status());
  const size_t batch_count = batches.size();
  const double cpu_start = CpuSeconds();
  const Clock::time_point start = Clock::now();
  for (std::string& batch : batches) {
    if (Status s = (*target)->CommitSerialized(std::move(batch)); !s.ok()) {
      return Fail("replaying a batch", s);
    }
  }
  const double elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu_s = CpuSeconds() - cpu_start;
  batches.clear();

  Result<std::map<storage::ProjectId, int64_t>> replayed = EventsPerProject(**target);
  if (!replayed.ok()) return Fail("counting the copy's events", replayed.status());
  if (*replayed != source_events) {
    std::printf("MISMATCH: the copy stores %" PRId64 " events, the source %" PRId64 "\n",
                Sum(*replayed), events);
    return 1;
  }
  if (Status closed = (*target)->Close(); !closed.ok()) return Fail("closing the copy", closed);

  const double events_per_s = static_cast<double>(events) / elapsed_s;
  std::printf("ceiling           %" PRId64 " events in %zu batches, %.1f MiB, replayed in %.2f s\n",
              events, batch_count, static_cast<double>(bytes) / (1024.0 * 1024.0), elapsed_s);
  std::printf("ceiling           %.0f events/s, %.1f MiB/s, CPU %.1f s (%.1f us/event)\n",
              events_per_s, static_cast<double>(bytes) / (1024.0 * 1024.0) / elapsed_s, cpu_s,
              cpu_s * 1e6 / static_cast<double>(events));
  std::printf("verify            ok: source %" PRId64 " events%s, copy the same per project\n",
              events, options.expect_events >= 0 ? " == acknowledged" : "");
  if (!options.report_json.empty()) {
    std::ofstream out(options.report_json, std::ios::trunc);
    out << "{\"events\":" << events << ",\"batches\":" << batch_count << ",\"bytes\":" << bytes
        << ",\"seconds\":" << elapsed_s << ",\"events_per_s\":" << events_per_s
        << ",\"cpu_s\":" << cpu_s << "}\n";
    if (!out) {
      std::cerr << "ingest_ceiling: cannot write " << options.report_json << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace actiond::bench

namespace {

int Main(int argc, char** argv) {
  actiond::bench::Options options;
  CLI::App cli{"ingest_ceiling: replay a --keep-wal store's committed batches into a fresh store"};
  cli.add_option("--source", options.source, "Data dir of a stopped actiond run with --keep-wal")
      ->required();
  cli.add_option("--scratch", options.scratch, "Fresh directory for the copy (default: temp)");
  cli.add_option("--expect-events", options.expect_events,
                 "Fail unless the source stores exactly this many events");
  cli.add_option("--report-json", options.report_json, "Write the figures as JSON here");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  return actiond::bench::Run(options);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {  // CLI11 and the standard library: report, never crash
    std::cerr << "ingest_ceiling: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "ingest_ceiling: unknown exception\n";
  }
  return 1;
}
