#include "api/persons_api.h"

#include <optional>
#include <string>
#include <vector>

#include "api/json_route.h"
#include "api/json_writer.h"
#include "api/page_links.h"
#include "api/person_json.h"
#include "api/project_access.h"
#include "api/query_params.h"
#include "service/person_service.h"

namespace actiond::api {
namespace {

constexpr int64_t kDefaultLimit = 100;
constexpr int64_t kMaxLimit = 1'000;

Status ListPersons(const Services& services, const RouteRequest& rr, std::string& out) {
  ASSIGN_OR_RETURN(const ProjectAccess access,
                   AuthorizeProject(services, rr, {"person:read", "action:read"}));
  const QueryParams& query = rr.query_params();
  const int64_t limit = ParsePositiveInt(query.Get("limit"), kDefaultLimit, kMaxLimit);
  const int64_t offset = ParseNonNegativeInt(query.Get("offset"), 0);

  std::vector<service::Person> persons;
  int64_t count = 0;
  if (const std::optional<std::string_view> distinct_id = query.Get("distinct_id")) {
    ASSIGN_OR_RETURN(std::optional<service::Person> person,
                     services.persons->FindByDistinctId(access.project.id, *distinct_id));
    if (person) {
      count = 1;
      if (offset == 0) persons.push_back(std::move(*person));
    }
  } else {
    ASSIGN_OR_RETURN(count, services.persons->Count(access.project.id));
    ASSIGN_OR_RETURN(
        persons, services.persons->ListNewestFirst(access.project.id, static_cast<size_t>(offset),
                                                   static_cast<size_t>(limit)));
  }
  const PageLinks links = LimitOffsetLinks(rr, limit, offset, count);
  JsonWriter w(out);
  BeginLimitOffsetPage(w, count, links);
  for (const service::Person& person : persons) WritePersonJson(person, w);
  w.EndArray().EndObject();
  return Status::Ok();
}

Status GetPerson(const Services& services, const RouteRequest& rr, std::string& out) {
  ASSIGN_OR_RETURN(const ProjectAccess access,
                   AuthorizeProject(services, rr, {"person:read", "action:read"}));
  ASSIGN_OR_RETURN(std::optional<service::Person> person,
                   services.persons->Find(access.project.id, rr.Param("uuid")));
  if (!person) return NotFound("Not found.");
  out = PersonJson(*person);
  return Status::Ok();
}

}  // namespace

void RegisterPersonRoutes(Router& router, const Services& services) {
  router.Add(http::verb::get, "/api/projects/:project_id/persons",
             JsonRoute(services, ListPersons));
  router.Add(http::verb::get, "/api/projects/:project_id/persons/:uuid",
             JsonRoute(services, GetPerson));
}

}  // namespace actiond::api
