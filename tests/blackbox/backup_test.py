"""Backups (docs/operations.md §4): `POST /api/admin/backup/` on a running server and
`actiond backup` on a stopped one write a consistent copy; a server started on the copy answers
the counts of the moment it was taken; only the admin's key may ask; bad targets are refused."""

import os
import shutil
import subprocess
import tempfile
import unittest

import server


class BackupTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="actiond-bb-backup-")
        self.srv = server.Server(data_dir=os.path.join(self.dir, "data")).start()
        r = self.srv.api("POST", "/api/projects/1/actions/",
                         {"name": "Bought", "steps": [{"event": "bought"}]})
        self.assertEqual(r.status, 201, r)
        self.action = r.json()["id"]

    def tearDown(self):
        self.srv.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)

    def count(self, srv):
        r = srv.api("GET", "/api/projects/1/actions/%d/count/" % self.action)
        self.assertEqual(r.status, 200, r)
        return r.json()["count"]

    def send(self, n, name="bought"):
        r = self.srv.capture([server.event(name, "u%d" % (i % 7)) for i in range(n)])
        self.assertEqual(r.status, 200, r)

    def restored(self, data_dir):
        srv = server.Server(data_dir=data_dir).start()
        self.addCleanup(srv.cleanup)
        return srv

    def test_online_backup_holds_what_was_committed_before_it(self):
        self.send(120)
        self.send(30, "other")
        target = os.path.join(self.dir, "online")
        r = self.srv.api("POST", "/api/admin/backup/", {"path": target})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["path"], target)
        self.assertGreater(r.json()["bytes"], 0)
        self.send(50)  # after the backup: not in it
        self.assertEqual(self.count(self.srv), 170)

        copy = self.restored(target)
        self.assertEqual(self.count(copy), 120)
        self.assertEqual(len(copy.events()), 150)
        persons = copy.api("GET", "/api/projects/1/persons/").json()
        self.assertEqual(len(persons["results"]), 7)

    def test_offline_backup_of_a_stopped_store(self):
        self.send(80)
        self.assertEqual(self.srv.stop(), 0)
        target = os.path.join(self.dir, "offline")
        out = subprocess.run([server.BIN, "backup", "--data-dir", self.srv.data_dir, "--to", target],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(target, out.stdout)
        copy = self.restored(target)
        self.assertEqual(self.count(copy), 80)

    def test_a_running_store_cannot_be_backed_up_offline(self):
        out = subprocess.run([server.BIN, "backup", "--data-dir", self.srv.data_dir,
                              "--to", os.path.join(self.dir, "x")],
                             capture_output=True, text=True, timeout=60)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("lock", out.stderr.lower())
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x")))

    def test_bad_targets_and_other_keys_are_refused(self):
        existing = os.path.join(self.dir, "exists")
        os.mkdir(existing)
        for path, code in (("relative/dir", "invalid_input"), (existing, "unique"),
                           (os.path.join(self.dir, "no", "parent"), "invalid_input")):
            r = self.srv.api("POST", "/api/admin/backup/", {"path": path})
            self.assertEqual(r.status, 400, (path, r))
            self.assertEqual((r.json()["attr"], r.json()["code"]), ("path", code))
        r = self.srv.api("POST", "/api/admin/backup/", {})
        self.assertEqual((r.status, r.json()["attr"]), (400, "path"))
        r = self.srv.api("POST", "/api/personal_api_keys/",
                         {"label": "scoped", "scopes": ["*"], "scoped_teams": [1]})
        self.assertEqual(r.status, 201, r)
        r = self.srv.api("POST", "/api/admin/backup/", {"path": os.path.join(self.dir, "y")},
                         key=r.json()["value"])
        self.assertEqual(r.status, 403, r)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "y")))


if __name__ == "__main__":
    server.main()
