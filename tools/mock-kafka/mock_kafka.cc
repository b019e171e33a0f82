// mock-kafka: a Kafka cluster for tests and trials, on librdkafka's mock cluster. It opens N
// brokers on 127.0.0.1 ports that speak the real Kafka protocol (produce, idempotent produce,
// fetch, consumer groups with offset commits, metadata), so actiond and any Kafka client
// connect to it as to a real cluster. Nothing is written to disk: the log lives as long as the
// process (docs/cluster.md "Trying it").
//
//   mock-kafka [--brokers N] [--topic NAME:PARTITIONS[:REPLICATION]]...
//
// The first line on stdout is `bootstrap HOST:PORT,HOST:PORT,…`. Then it reads commands on
// stdin, one per line, and answers each with one line, `ok` or `error: …`:
//   down B                       broker B (1..N) drops its connections and refuses new ones
//   up B                         broker B accepts connections again
//   topic NAME PARTITIONS [RF]   creates a topic (the mock has no CreateTopics API)
//   leader TOPIC PARTITION B     moves a partition's leadership to broker B (-1: none)
//   rtt B MS                     delays broker B's responses by MS milliseconds
//   quit                         exits (so do the end of stdin, SIGINT and SIGTERM)
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct TopicSpec {
  std::string name;
  int partitions = 1;
  int replication = 1;
};

std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// NAME:PARTITIONS[:REPLICATION]
std::optional<TopicSpec> ParseTopic(std::string_view text) {
  TopicSpec spec;
  const size_t colon = text.find(':');
  if (colon == 0 || colon == std::string_view::npos) return std::nullopt;
  spec.name = std::string(text.substr(0, colon));
  std::string_view rest = text.substr(colon + 1);
  const size_t second = rest.find(':');
  std::optional<int> partitions = ParseInt(rest.substr(0, second));
  if (!partitions || *partitions < 1) return std::nullopt;
  spec.partitions = *partitions;
  if (second != std::string_view::npos) {
    std::optional<int> replication = ParseInt(rest.substr(second + 1));
    if (!replication || *replication < 1) return std::nullopt;
    spec.replication = *replication;
  }
  return spec;
}

// The rd_kafka_t the mock cluster is attached to (librdkafka needs one for its bookkeeping; it
// produces nothing), and the cluster itself, destroyed in the right order.
class MockCluster {
 public:
  static std::unique_ptr<MockCluster> Create(int brokers, std::string* error) {
    char message[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    // The handle's own log lines go nowhere: stdout carries the protocol with the caller.
    rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
    rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, message, sizeof(message));
    if (handle == nullptr) {
      *error = message;
      return nullptr;
    }
    rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, brokers);
    if (cluster == nullptr) {
      rd_kafka_destroy(handle);
      *error = "librdkafka could not start the mock cluster";
      return nullptr;
    }
    return std::unique_ptr<MockCluster>(new MockCluster(handle, cluster));
  }
  ~MockCluster() {
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(handle_);
  }
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  rd_kafka_mock_cluster_t* get() const { return cluster_; }
  std::string bootstraps() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

 private:
  MockCluster(rd_kafka_t* handle, rd_kafka_mock_cluster_t* cluster)
      : handle_(handle), cluster_(cluster) {}
  rd_kafka_t* handle_;
  rd_kafka_mock_cluster_t* cluster_;
};

std::string Answer(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR_NO_ERROR ? "ok" : std::string("error: ") + rd_kafka_err2str(err);
}

// One command line → one answer line; `quit` is handled by the caller.
std::string Run(MockCluster& cluster, int brokers, const std::string& line) {
  std::istringstream in(line);
  std::string verb;
  in >> verb;
  std::vector<std::string> args;
  for (std::string arg; in >> arg;) args.push_back(arg);
  auto broker_arg = [&](size_t i) -> std::optional<int> {
    std::optional<int> id = i < args.size() ? ParseInt(args[i]) : std::nullopt;
    if (!id || *id < -1 || *id == 0 || *id > brokers) return std::nullopt;
    return id;
  };
  if ((verb == "down" || verb == "up") && args.size() == 1) {
    std::optional<int> id = broker_arg(0);
    if (!id) return "error: a broker is 1.." + std::to_string(brokers) + " (or -1 for all)";
    return Answer(verb == "down" ? rd_kafka_mock_broker_set_down(cluster.get(), *id)
                                 : rd_kafka_mock_broker_set_up(cluster.get(), *id));
  }
  if (verb == "topic" && (args.size() == 2 || args.size() == 3)) {
    std::optional<int> partitions = ParseInt(args[1]);
    std::optional<int> replication = args.size() == 3 ? ParseInt(args[2]) : 1;
    if (!partitions || *partitions < 1 || !replication || *replication < 1) {
      return "error: usage: topic NAME PARTITIONS [REPLICATION]";
    }
    return Answer(
        rd_kafka_mock_topic_create(cluster.get(), args[0].c_str(), *partitions, *replication));
  }
  if (verb == "leader" && args.size() == 3) {
    std::optional<int> partition = ParseInt(args[1]);
    std::optional<int> id = broker_arg(2);
    if (!partition || !id) return "error: usage: leader TOPIC PARTITION BROKER";
    return Answer(
        rd_kafka_mock_partition_set_leader(cluster.get(), args[0].c_str(), *partition, *id));
  }
  if (verb == "rtt" && args.size() == 2) {
    std::optional<int> id = broker_arg(0);
    std::optional<int> ms = ParseInt(args[1]);
    if (!id || !ms || *ms < 0) return "error: usage: rtt BROKER MILLISECONDS";
    return Answer(rd_kafka_mock_broker_set_rtt(cluster.get(), *id, *ms));
  }
  return "error: unknown command (down B, up B, topic NAME P [RF], leader T P B, rtt B MS, quit)";
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App cli{"A Kafka cluster for tests and trials (librdkafka's mock cluster on loopback)"};
  int brokers = 3;
  std::vector<std::string> topic_args;
  cli.add_option("--brokers", brokers, "Number of brokers")->check(CLI::Range(1, 16));
  cli.add_option("--topic", topic_args, "NAME:PARTITIONS[:REPLICATION], created at start");
  CLI11_PARSE(cli, argc, argv);

  std::string error;
  std::unique_ptr<MockCluster> cluster = MockCluster::Create(brokers, &error);
  if (!cluster) {
    std::cerr << "mock-kafka: " << error << "\n";
    return 1;
  }
  for (const std::string& arg : topic_args) {
    std::optional<TopicSpec> spec = ParseTopic(arg);
    if (!spec) {
      std::cerr << "mock-kafka: --topic wants NAME:PARTITIONS[:REPLICATION], got " << arg << "\n";
      return 2;
    }
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster->get(), spec->name.c_str(),
                                                         spec->partitions, spec->replication);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::cerr << "mock-kafka: topic " << spec->name << ": " << rd_kafka_err2str(err) << "\n";
      return 1;
    }
  }
  // A caller that stops reading answers must not kill the cluster with SIGPIPE; SIGINT and
  // SIGTERM keep their default (the process ends, the kernel closes the listeners).
  std::signal(SIGPIPE, SIG_IGN);
  std::cout << "bootstrap " << cluster->bootstraps() << std::endl;
  for (std::string line; std::getline(std::cin, line);) {
    if (line.empty()) continue;
    if (line == "quit") break;
    std::cout << Run(*cluster, brokers, line) << std::endl;
  }
  return 0;
}

// Anything thrown (a failed allocation, an iostream error) is reported instead of terminating.
int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "mock-kafka: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "mock-kafka: unknown exception\n";
  }
  return 1;
}
