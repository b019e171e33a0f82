// The Actions API's response bodies: the action list (JSON and CSV) and the people of an action
// (JSON and CSV). A single action's body is service::EncodeActionRecord (the stored record is
// already the Action object of docs/api.md §9.1).
//
// CSV follows rest_framework_csv, which PostHog's `format=csv` uses: every row is the JSON object
// flattened (`steps.0.event`, `created_by.email`, …; see engine/json_fields.h), the columns are
// the sorted union of the rows' paths, a header line first; fields are quoted when they contain
// a comma, quote, CR or LF (quotes doubled); lines end in CRLF. No rows: an empty body.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/json_writer.h"
#include "api/http/page_links.h"
#include "engine/status.h"
#include "service/action_service.h"
#include "service/domain_types.h"

namespace actiond::api {

// The Action object; with `progress` (a backfill is running) it ends with
// "progress": {"events_scanned", "events_total"}.
std::string ActionJson(const service::ActionRecord& record,
                       const std::optional<service::BackfillProgress>& progress);
void WriteProgress(const service::BackfillProgress& progress, JsonWriter& w);

// {"count","next","previous","results":[action…]}, from the records or from each action's body
// (ActionJson) already written.
std::string ActionListJson(int64_t count, const PageLinks& links,
                           const std::vector<service::ActionRecord>& page);
std::string ActionListJson(int64_t count, const PageLinks& links,
                           const std::vector<std::string>& bodies);

// {"results":[{"people":[person…],"count":n}],"next","previous"}; count = people.size().
std::string ActionPeopleJson(const std::vector<service::Person>& people, const PageLinks& links);

// The JSON objects `rows` (each a JSON object text) as CSV. Errors: ParseError when a row is
// not valid JSON (never for the bodies above).
Result<std::string> JsonRowsToCsv(const std::vector<std::string>& rows);

Result<std::string> ActionListCsv(const std::vector<service::ActionRecord>& page);
Result<std::string> ActionPeopleCsv(const std::vector<service::Person>& people);

}  // namespace actiond::api
