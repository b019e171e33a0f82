#include "api/resources/action_json.h"

#include <algorithm>
#include <map>

#include "api/http/json_writer.h"
#include "api/resources/person_json.h"
#include "engine/csv_cell.h"
#include "engine/json_fields.h"

namespace actiond::api {
namespace {

// A cell a spreadsheet could run as a formula is neutralised first (engine/csv_cell.h).
void AppendCsvField(std::string_view raw, std::string* out) {
  const std::string neutral =
      engine::CsvCellNeedsNeutralising(raw) ? engine::NeutraliseCsvCell(raw) : std::string();
  const std::string_view field = neutral.empty() ? raw : std::string_view(neutral);
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

void WriteProgress(const service::BackfillProgress& progress, JsonWriter& w) {
  w.BeginObject()
      .MemberInt("events_scanned", progress.events_scanned)
      .MemberInt("events_total", progress.events_total)
      .EndObject();
}

std::string ActionJson(const service::ActionRecord& record,
                       const std::optional<service::BackfillProgress>& progress) {
  std::string body = service::EncodeActionRecord(record);
  if (!progress || body.empty() || body.back() != '}') return body;
  // The stored object is PostHog's, member for member; `progress` is actiond's one addition,
  // last, and only while a backfill runs (docs/api.md §9.1).
  body.pop_back();
  body.append(",\"progress\":");
  JsonWriter w(body);
  WriteProgress(*progress, w);
  body.push_back('}');
  return body;
}

std::string ActionListJson(int64_t count, const PageLinks& links,
                           const std::vector<service::ActionRecord>& page) {
  std::vector<std::string> bodies;
  bodies.reserve(page.size());
  for (const service::ActionRecord& record : page) {
    bodies.push_back(service::EncodeActionRecord(record));
  }
  return ActionListJson(count, links, bodies);
}

std::string ActionListJson(int64_t count, const PageLinks& links,
                           const std::vector<std::string>& bodies) {
  std::string body;
  JsonWriter w(body);
  BeginLimitOffsetPage(w, count, links);
  for (const std::string& action : bodies) w.Raw(action);
  w.EndArray().EndObject();
  return body;
}

std::string ActionPeopleJson(const std::vector<service::Person>& people, const PageLinks& links) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Key("results").BeginArray().BeginObject().Key("people").BeginArray();
  for (const service::Person& person : people) WritePersonJson(person, w);
  w.EndArray().MemberInt("count", static_cast<int64_t>(people.size())).EndObject().EndArray();
  w.Key("next");
  WriteLink(w, links.next);
  w.Key("previous");
  WriteLink(w, links.previous);
  w.EndObject();
  return body;
}

Result<std::string> JsonRowsToCsv(const std::vector<std::string>& rows) {
  std::vector<std::map<std::string, std::string>> table;
  std::vector<std::string> columns;
  table.reserve(rows.size());
  std::vector<engine::FlatField> fields;
  for (const std::string& row : rows) {
    fields.clear();
    ACTIOND_RETURN_IF_ERROR(engine::FlattenJson(row, "", &fields));
    std::map<std::string, std::string>& cells = table.emplace_back();
    for (engine::FlatField& field : fields) {
      columns.push_back(field.path);
      cells[std::move(field.path)] = std::move(field.text);
    }
  }
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());

  std::string out;
  if (table.empty()) return out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendCsvField(columns[i], &out);
  }
  out.append("\r\n");
  for (const auto& cells : table) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) out.push_back(',');
      auto it = cells.find(columns[i]);
      if (it != cells.end()) AppendCsvField(it->second, &out);
    }
    out.append("\r\n");
  }
  return out;
}

Result<std::string> ActionListCsv(const std::vector<service::ActionRecord>& page) {
  std::vector<std::string> rows;
  rows.reserve(page.size());
  for (const service::ActionRecord& record : page) {
    rows.push_back(service::EncodeActionRecord(record));
  }
  return JsonRowsToCsv(rows);
}

Result<std::string> ActionPeopleCsv(const std::vector<service::Person>& people) {
  std::vector<std::string> rows;
  rows.reserve(people.size());
  for (const service::Person& person : people) rows.push_back(PersonJson(person));
  return JsonRowsToCsv(rows);
}

}  // namespace actiond::api
