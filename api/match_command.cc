#include "api/match_command.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <unordered_map>

#include "api/http/json_writer.h"
#include "engine/action_compiler.h"
#include "engine/action_set.h"
#include "engine/event_reader.h"
#include "engine/event_view_fields.h"

namespace actiond::api {

namespace {

constexpr int kBadInput = 2;

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = std::move(buffer).str();
  return true;
}

}  // namespace

int RunMatchCommand(const MatchCommandOptions& options, std::ostream& out, std::ostream& err) {
  std::string actions_json;
  if (!ReadFile(options.actions_path, &actions_json)) {
    err << "actiond match: cannot read actions file '" << options.actions_path << "'\n";
    return kBadInput;
  }
  auto list = engine::ParseActionList(actions_json);
  if (!list.ok()) {
    err << "actiond match: " << options.actions_path << ": " << list.status().ToString() << "\n";
    return kBadInput;
  }
  std::vector<std::shared_ptr<const engine::CompiledAction>> compiled;
  std::unordered_map<engine::ActionId, std::string> names;
  size_t skipped = 0;
  for (size_t i = 0; i < list->size(); ++i) {
    const engine::ActionListEntry& entry = (*list)[i];
    if (entry.deleted) continue;
    auto action = engine::CompileAction(entry.id, entry.steps);
    if (!action.ok()) {
      err << "actiond match: action " << entry.id << " (\"" << entry.name
          << "\"): " << action.status().ToString() << "\n";
      if (!options.skip_invalid_actions) return kBadInput;
      ++skipped;
      continue;
    }
    compiled.push_back(*action);
    names.emplace(entry.id, entry.name);
  }
  if (skipped > 0) err << "actiond match: skipped " << skipped << " invalid action(s)\n";
  auto set = engine::ActionSet::Build(std::move(compiled));

  std::ifstream file;
  std::istream* events = &std::cin;
  if (options.events_path != "-") {
    file.open(options.events_path, std::ios::binary);
    if (!file) {
      err << "actiond match: cannot read events file '" << options.events_path << "'\n";
      return kBadInput;
    }
    events = &file;
  }

  engine::EventReader reader;
  engine::MatchScratch scratch;
  std::vector<engine::ActionId> matched;
  std::string line, output;
  for (int64_t number = 1; std::getline(*events, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto view = reader.Read(line);
    if (!view.ok()) {
      err << "actiond match: " << options.events_path << ":" << number << ": "
          << view.status().message() << "\n";
      return kBadInput;
    }
    set->Match(**view, &scratch, &matched);
    output.clear();
    JsonWriter json(output);
    json.BeginObject().MemberInt("line", number);
    json.Member("uuid", engine::EventUuid(**view)).Member("event", engine::EventName(**view));
    json.Key("matches").BeginArray();
    for (engine::ActionId id : matched) {
      json.BeginObject().MemberInt("id", id).Member("name", names[id]).EndObject();
    }
    json.EndArray().EndObject();
    out << output << '\n';
  }
  return 0;
}

}  // namespace actiond::api
