#include "api/match_command.h"

#include <fstream>
#include <iostream>
#include <sstream>
#include <unordered_map>

#include "api/http/json_writer.h"
#include "api/resources/explain_json.h"
#include "engine/action_compiler.h"
#include "engine/action_set.h"
#include "engine/event_reader.h"
#include "engine/event_view_fields.h"
#include "engine/match_explanation.h"

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
  std::vector<engine::ActionId> compiled_ids;
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
    compiled_ids.push_back(entry.id);
    names.emplace(entry.id, entry.name);
  }
  if (skipped > 0) err << "actiond match: skipped " << skipped << " invalid action(s)\n";
  // The compiled actions the set matches with, so that explanations cannot disagree with it.
  std::vector<std::pair<engine::ActionId, std::shared_ptr<const engine::CompiledAction>>> explained;
  if (options.explain) {
    for (size_t i = 0; i < compiled.size(); ++i) {
      if (options.explain_action == 0 || compiled_ids[i] == options.explain_action) {
        explained.emplace_back(compiled_ids[i], compiled[i]);
      }
    }
    if (options.explain_action != 0 && explained.empty()) {
      err << "actiond match: --action " << options.explain_action << " is not a valid action\n";
      return kBadInput;
    }
  }
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
  std::string line, output, explanation;
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
    json.EndArray();
    if (options.explain) {
      json.Key("explanations").BeginArray();
      for (const auto& [id, action] : explained) {
        explanation.clear();
        AppendExplanationJson(engine::ExplainAction(*action, **view), &explanation);
        json.BeginObject().MemberInt("id", id).Member("name", names[id]);
        json.Key("explanation").Raw(explanation).EndObject();
      }
      json.EndArray();
    }
    json.EndObject();
    out << output << '\n';
  }
  return 0;
}

}  // namespace actiond::api
