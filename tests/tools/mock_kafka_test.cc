// tools/mock-kafka as a client sees it: a real Kafka protocol on loopback ports. An idempotent
// producer (acks=all) and a consumer group reach it through the bootstrap line it prints; its
// stdin commands create topics and take brokers down and up, and a client sees the effect
// (produce fails while every broker is down; nothing is lost across one broker's outage).
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using namespace std::chrono_literals;

// mock-kafka as a child process: its stdin and stdout are pipes, one command line → one answer.
class MockKafkaProcess {
 public:
  explicit MockKafkaProcess(std::vector<std::string> args) {
    int to_child[2];
    int from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    posix_spawn_file_actions_addclose(&actions, to_child[1]);
    posix_spawn_file_actions_addclose(&actions, from_child[0]);
    args.insert(args.begin(), ACTIOND_MOCK_KAFKA);
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, ACTIOND_MOCK_KAFKA, &actions, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[0]);
    close(from_child[1]);
    in_ = fdopen(to_child[1], "w");
    out_ = fdopen(from_child[0], "r");
  }
  ~MockKafkaProcess() {
    if (in_ != nullptr) std::fclose(in_);  // end of stdin: the tool exits
    if (out_ != nullptr) std::fclose(out_);
    if (pid_ > 0) {
      int status = 0;
      for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(50ms);
      }
      if (waitpid(pid_, &status, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
    }
  }
  MockKafkaProcess(const MockKafkaProcess&) = delete;
  MockKafkaProcess& operator=(const MockKafkaProcess&) = delete;

  bool started() const { return pid_ > 0 && in_ != nullptr && out_ != nullptr; }

  std::string ReadLine() {
    char buffer[4096];
    if (std::fgets(buffer, sizeof(buffer), out_) == nullptr) return "";
    std::string line(buffer);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }

  std::string Command(const std::string& line) {
    std::fputs((line + "\n").c_str(), in_);
    std::fflush(in_);
    return ReadLine();
  }

 private:
  pid_t pid_ = -1;
  FILE* in_ = nullptr;
  FILE* out_ = nullptr;
};

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using Kafka = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

// A client of `type` with `settings`; a producer given `failures` collects there the error of
// every record that was not delivered.
Kafka NewClient(rd_kafka_type_t type, const std::map<std::string, std::string>& settings,
                std::vector<rd_kafka_resp_err_t>* failures = nullptr) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof(error)) !=
        RD_KAFKA_CONF_OK) {
      ADD_FAILURE() << key << ": " << error;
    }
  }
  rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
  if (failures != nullptr) {
    rd_kafka_conf_set_opaque(conf, failures);
    rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
      if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        static_cast<std::vector<rd_kafka_resp_err_t>*>(opaque)->push_back(m->err);
      }
    });
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, error, sizeof(error));
  EXPECT_NE(rk, nullptr) << error;
  return Kafka(rk);
}

class MockKafkaTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tool_.started());
    const std::string first = tool_.ReadLine();
    ASSERT_EQ(first.rfind("bootstrap ", 0), 0u) << first;
    bootstrap_ = first.substr(std::string("bootstrap ").size());
  }

  // An idempotent producer with acks=all, as actiond's capture will produce.
  Kafka Producer(int message_timeout_ms, std::vector<rd_kafka_resp_err_t>* failures) {
    return NewClient(RD_KAFKA_PRODUCER,
                     {{"bootstrap.servers", bootstrap_},
                      {"enable.idempotence", "true"},
                      {"acks", "all"},
                      {"message.timeout.ms", std::to_string(message_timeout_ms)}},
                     failures);
  }

  void Produce(rd_kafka_t* producer, const std::string& topic, int from, int to) {
    for (int i = from; i < to; ++i) {
      const std::string key = "project-" + std::to_string(i % 7);
      const std::string value = "event-" + std::to_string(i);
      rd_kafka_resp_err_t err = rd_kafka_producev(
          producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(nullptr), RD_KAFKA_V_END);
      ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
      rd_kafka_poll(producer, 0);
    }
  }

  // Every value of `topic` read by a fresh consumer group from the beginning, with how often
  // each arrived: until `want` records have arrived (or 30 s pass), then one more second, so
  // that a duplicate or an extra record past `want` is seen too.
  std::map<std::string, int> ConsumeAll(const std::string& topic, size_t want) {
    Kafka consumer = NewClient(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap_},
                                                   {"group.id", "mock-kafka-test"},
                                                   {"auto.offset.reset", "earliest"},
                                                   {"enable.partition.eof", "false"}});
    rd_kafka_poll_set_consumer(consumer.get());
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
    EXPECT_EQ(rd_kafka_subscribe(consumer.get(), topics), RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_topic_partition_list_destroy(topics);
    std::map<std::string, int> seen;
    size_t total = 0;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    bool draining = false;
    while (std::chrono::steady_clock::now() < deadline) {
      if (total >= want && !draining) {
        draining = true;
        deadline = std::chrono::steady_clock::now() + 1s;
      }
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 100);
      if (m == nullptr) continue;
      if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++seen[std::string(static_cast<const char*>(m->payload), m->len)];
        ++total;
      }
      rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(consumer.get());
    return seen;
  }

  MockKafkaProcess tool_{{"--brokers", "3", "--topic", "actiond.meta:1:3"}};
  std::string bootstrap_;
};

TEST_F(MockKafkaTest, PrintsOneLoopbackAddressPerBroker) {
  size_t brokers = 0;
  for (size_t start = 0; start <= bootstrap_.size();) {
    size_t comma = bootstrap_.find(',', start);
    if (comma == std::string::npos) comma = bootstrap_.size();
    const std::string address = bootstrap_.substr(start, comma - start);
    EXPECT_TRUE(address.rfind("127.0.0.1:", 0) == 0 || address.rfind("localhost:", 0) == 0)
        << address;
    ++brokers;
    start = comma + 1;
  }
  EXPECT_EQ(brokers, 3u) << bootstrap_;
}

TEST_F(MockKafkaTest, AnswersEveryCommandWithOkOrAnError) {
  EXPECT_EQ(tool_.Command("topic actiond.events 12 3"), "ok");
  EXPECT_EQ(tool_.Command("leader actiond.events 0 2"), "ok");
  EXPECT_EQ(tool_.Command("rtt 1 5"), "ok");
  EXPECT_EQ(tool_.Command("down 2"), "ok");
  EXPECT_EQ(tool_.Command("up 2"), "ok");
  EXPECT_EQ(tool_.Command("down 4").rfind("error: a broker is 1..3", 0), 0u);
  EXPECT_EQ(tool_.Command("topic t zero").rfind("error: usage: topic", 0), 0u);
  EXPECT_EQ(tool_.Command("launch").rfind("error: unknown command", 0), 0u);
}

TEST_F(MockKafkaTest, AnIdempotentProducerAndAConsumerGroupSeeEveryRecordOnce) {
  ASSERT_EQ(tool_.Command("topic actiond.events 4 3"), "ok");
  std::vector<rd_kafka_resp_err_t> failures;
  Kafka producer = Producer(30000, &failures);
  Produce(producer.get(), "actiond.events", 0, 300);
  ASSERT_EQ(rd_kafka_flush(producer.get(), 30000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_TRUE(failures.empty());
  std::map<std::string, int> seen = ConsumeAll("actiond.events", 300);
  EXPECT_EQ(seen.size(), 300u);
  for (const auto& [value, times] : seen) EXPECT_EQ(times, 1) << value;
}

TEST_F(MockKafkaTest, NothingIsDeliveredWhileEveryBrokerIsDownAndNothingLostAfterOneComesBack) {
  ASSERT_EQ(tool_.Command("topic actiond.events 3 3"), "ok");
  std::vector<rd_kafka_resp_err_t> failures;
  // Every broker down: a record cannot be acknowledged, and the producer says so.
  ASSERT_EQ(tool_.Command("down -1"), "ok");
  {
    Kafka producer = Producer(1500, &failures);
    ASSERT_NE(producer, nullptr);
    Produce(producer.get(), "actiond.events", 0, 10);
    rd_kafka_flush(producer.get(), 10000);
    EXPECT_EQ(failures.size(), 10u) << "a record was acknowledged with every broker down";
  }
  ASSERT_EQ(tool_.Command("up -1"), "ok");

  // One broker down for a while: records wait and are delivered once it is back.
  failures.clear();
  Kafka producer = Producer(30000, &failures);
  ASSERT_NE(producer, nullptr);
  Produce(producer.get(), "actiond.events", 100, 150);
  ASSERT_EQ(rd_kafka_flush(producer.get(), 30000), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(tool_.Command("down 1"), "ok");
  Produce(producer.get(), "actiond.events", 150, 250);
  std::this_thread::sleep_for(500ms);
  ASSERT_EQ(tool_.Command("up 1"), "ok");
  ASSERT_EQ(rd_kafka_flush(producer.get(), 30000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_TRUE(failures.empty()) << failures.size() << " records failed";
  std::map<std::string, int> seen = ConsumeAll("actiond.events", 150);
  EXPECT_EQ(seen.size(), 150u);
  for (int i = 100; i < 250; ++i) EXPECT_EQ(seen["event-" + std::to_string(i)], 1) << i;
}

}  // namespace
