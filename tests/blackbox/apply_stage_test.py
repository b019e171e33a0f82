"""The apply stage from the outside (docs/architecture.md §3): capture requests wait in a
bounded queue; beyond it they are answered 503 with Retry-After and nothing of them is stored,
so a client's retry stores them exactly once; every 200 means stored."""

import concurrent.futures
import unittest
import uuid as uuidlib

import server

BATCH = 1500
CLIENTS = 10


class ApplyStageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # One apply thread and room for one waiting request: concurrent batches overflow it.
        cls.srv = server.Server(args=("--ingest-threads", "1", "--ingest-queue", "1")).start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def batch(self, n):
        return [{"event": "apply_%d" % (i % 4), "distinct_id": "u%d-%d" % (n, i % 50),
                 "uuid": str(uuidlib.uuid4()), "properties": {"i": i, "$set": {"n": n}}}
                for i in range(BATCH)]

    def test_a_full_queue_is_503_and_stores_nothing_of_the_refused_request(self):
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": "apply", "steps": [{"event": "apply_1"}]})
        self.assertEqual(r.status, 201, r)
        action = r.json()["id"]
        batches = [self.batch(n) for n in range(CLIENTS)]
        acked, refused = [], []
        for _ in range(5):  # until the queue has overflowed at least once
            with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
                results = list(pool.map(lambda b: (b, self.srv.capture(b, compress=True)),
                                        [b for b in batches if b not in acked]))
            for b, res in results:
                if res.status == 200:
                    acked.append(b)
                else:
                    self.assertEqual(res.status, 503, res)
                    self.assertEqual(res.headers.get("retry-after"), "1")
                    refused.append(b)
            if refused:
                break
        self.assertTrue(refused, "no request was refused: the queue bound was never reached")
        stored = {e["uuid"] for e in self.srv.events(limit=1000)}
        self.assertEqual(stored, {e["uuid"] for b in acked for e in b},
                         "exactly the acknowledged requests are stored")
        # The client's retries store the rest, once.
        for b in batches:
            if b in acked:
                continue
            for _ in range(200):
                res = self.srv.capture(b, compress=True)
                if res.status == 200:
                    break
                self.assertEqual(res.status, 503)
            self.assertEqual(res.status, 200)
        stored = [e["uuid"] for e in self.srv.events(limit=1000)]
        self.assertEqual(len(stored), CLIENTS * BATCH)
        self.assertEqual(set(stored), {e["uuid"] for b in batches for e in b})
        count = self.srv.api("GET", "/api/projects/1/actions/%d/count/" % action).json()["count"]
        self.assertEqual(count, sum(1 for b in batches for e in b if e["event"] == "apply_1"))


if __name__ == "__main__":
    server.main()
