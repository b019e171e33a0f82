#include "api/resources/persons_resource.h"

#include <optional>
#include <string>
#include <vector>

#include "api/http/json_writer.h"
#include "api/http/page_links.h"
#include "api/http/query_params.h"
#include "api/project_access.h"
#include "api/resources/person_json.h"
#include "api/rest_route.h"
#include "service/person_service.h"

namespace actiond::api {
namespace {

constexpr int64_t kDefaultLimit = 100;
constexpr int64_t kMaxLimit = 1'000;

Status ListPersons(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"person:read", "action:read"}));
  const QueryParams& query = rr.query_params();
  const int64_t limit = ParsePositiveInt(query.Get("limit"), kDefaultLimit, kMaxLimit);
  const int64_t offset = ParseNonNegativeInt(query.Get("offset"), 0);

  std::vector<service::Person> persons;
  int64_t count = 0;
  if (const std::optional<std::string_view> distinct_id = query.Get("distinct_id")) {
    ACTIOND_ASSIGN_OR_RETURN(std::optional<service::Person> person,
                             services.persons->FindByDistinctId(access.project.id, *distinct_id));
    if (person) {
      count = 1;
      if (offset == 0) persons.push_back(std::move(*person));
    }
  } else {
    ACTIOND_ASSIGN_OR_RETURN(count, services.persons->Count(access.project.id));
    ACTIOND_ASSIGN_OR_RETURN(
        persons, services.persons->ListNewestFirst(access.project.id, static_cast<size_t>(offset),
                                                   static_cast<size_t>(limit)));
  }
  const PageLinks links = LimitOffsetLinks(rr, limit, offset, count);
  JsonWriter w(reply.body);
  BeginLimitOffsetPage(w, count, links);
  for (const service::Person& person : persons) WritePersonJson(person, w);
  w.EndArray().EndObject();
  return Status::Ok();
}

Status GetPerson(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"person:read", "action:read"}));
  ACTIOND_ASSIGN_OR_RETURN(std::optional<service::Person> person,
                           services.persons->Find(access.project.id, rr.Param("uuid")));
  if (!person) return NotFound("Not found.");
  reply.body = PersonJson(*person);
  return Status::Ok();
}

}  // namespace

void RegisterPersonRoutes(Router& router, const Services& services) {
  router.Add(http::verb::get, "/api/projects/:project_id/persons",
             RestRoute(services, ListPersons));
  router.Add(http::verb::get, "/api/projects/:project_id/persons/:uuid",
             RestRoute(services, GetPerson));
}

}  // namespace actiond::api
