// `actiond match --actions actions.json --events events.jsonl`: try action definitions offline.
//
// Compiles every action of the list (a bare array, or an object with `actions` or `results`:
// the workload's and the list endpoint's shapes) and prints, for each event line, one JSON line
// `{"line": n, "uuid": "...", "event": "...", "matches": [{"id": 1, "name": "..."}]}`.
// Events are stored-event records (engine/event_view.h), one per line; blank lines are skipped.
//
// With --explain, each line also carries `"explanations": [{"id", "name", "explanation":
// {"matched", "steps"}}]`:
// for every action (or only --action ID), why it does or does not match, in the explain
// endpoint's JSON (docs/api.md §Explain; api/resources/explain_json.h), from the same compiled
// actions the matches come from. Output stays JSON lines.
// Exit status: 0 on success, 2 on bad input (unreadable file, invalid action with its field
// path, an event line that is not an event), with a one-line message on stderr.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace actiond::api {

struct MatchCommandOptions {
  std::string actions_path;
  std::string events_path;            // "-" reads standard input
  bool skip_invalid_actions = false;  // report and skip invalid actions instead of failing
  bool explain = false;               // add each action's explanation to every line
  int64_t explain_action = 0;         // with explain: only this action id (0: every action)
};

int RunMatchCommand(const MatchCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace actiond::api
