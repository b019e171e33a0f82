"""tools/mock-kafka as a child process for the black-box tests (docs/cluster.md §Trying it): N
brokers on loopback ports speaking the real Kafka protocol. Its first stdout line is the
bootstrap list; each stdin command (`down B`, `up B`, `topic NAME P RF`, …) is answered `ok` or
`error: …`. Every read is bounded in time, so a hung tool fails the test instead of hanging it."""

import os
import select
import subprocess

BIN = os.environ.get("ACTIOND_MOCK_KAFKA", "")
ANSWER_TIMEOUT = 15.0


class MockKafka:
    def __init__(self, brokers=3, topics=()):
        if not BIN or not os.path.exists(BIN):
            raise RuntimeError("no mock-kafka binary: set ACTIOND_MOCK_KAFKA (got %r)" % BIN)
        args = [BIN, "--brokers", str(brokers)]
        for topic in topics:
            args += ["--topic", topic]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        line = self._line()
        if not line.startswith("bootstrap "):
            self.stop()
            raise RuntimeError("mock-kafka did not print its bootstrap line: %r" % line)
        self.bootstrap = line.split(" ", 1)[1]

    def _line(self):
        ready, _, _ = select.select([self.proc.stdout], [], [], ANSWER_TIMEOUT)
        if not ready:
            raise RuntimeError("mock-kafka did not answer within %.0f s" % ANSWER_TIMEOUT)
        return self.proc.stdout.readline().decode("utf-8", "replace").strip()

    def command(self, line):
        self.proc.stdin.write((line + "\n").encode("utf-8"))
        self.proc.stdin.flush()
        answer = self._line()
        if answer != "ok":
            raise RuntimeError("mock-kafka: %s -> %s" % (line, answer))

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # end of stdin: the tool exits
                self.proc.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(10)
