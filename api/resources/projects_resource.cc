#include "api/resources/projects_resource.h"

#include <algorithm>

#include "api/http/page_links.h"
#include "api/http/query_params.h"
#include "api/http/request_body.h"
#include "api/project_access.h"
#include "api/rest_route.h"
#include "engine/utf8.h"
#include "service/account_service.h"
#include "service/cluster_account_writes.h"

namespace actiond::api {
namespace {

constexpr size_t kMaxProjectNameChars = 200;
constexpr int64_t kDefaultLimit = 100;

Result<std::string> ProjectName(const engine::JsonValue& body) {
  const engine::JsonValue* name = body.Find("name");
  if (name == nullptr || name->is_null()) return Required("This field is required.", "name");
  if (!name->is_string()) return InvalidInput("Not a valid string.", "name");
  if (name->string().find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status(StatusCode::kInvalidInput, "This field may not be blank.", "name");
  }
  if (engine::CountCodePoints(name->string()) > kMaxProjectNameChars) {
    return InvalidInput("Ensure this field has no more than 200 characters.", "name");
  }
  return name->string();
}

Status CreateProject(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_RETURN_IF_ERROR(AuthorizeScopes(services, rr, {"project:write"}).status());
  ACTIOND_ASSIGN_OR_RETURN(const engine::JsonValue body, ParseJsonObjectBody(rr.body()));
  ACTIOND_ASSIGN_OR_RETURN(std::string name, ProjectName(body));
  // Cluster mode: through the meta log, so that every node has the project (docs/cluster.md
  // §Projects); the call blocks this thread until this node has applied it (bounded).
  ACTIOND_ASSIGN_OR_RETURN(
      const service::Project project,
      services.cluster != nullptr
          ? service::CreateProjectInCluster(*services.cluster, *services.accounts, std::move(name))
          : services.accounts->CreateProject(std::move(name)));
  JsonWriter w(reply.body);
  WriteProjectJson(project, w);
  return Status::Ok();
}

Status ListProjects(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const Principal principal,
                           AuthorizeScopes(services, rr, {"project:read", "action:read"}));
  ACTIOND_ASSIGN_OR_RETURN(std::vector<service::Project> projects,
                           services.accounts->ListProjects());
  if (!principal.scoped_teams.empty()) {
    std::erase_if(projects, [&](const service::Project& p) {
      return std::find(principal.scoped_teams.begin(), principal.scoped_teams.end(), p.id) ==
             principal.scoped_teams.end();
    });
  }
  const QueryParams& query = rr.query_params();
  const int64_t limit = ParsePositiveInt(query.Get("limit"), kDefaultLimit);
  const int64_t offset = ParseNonNegativeInt(query.Get("offset"), 0);
  const int64_t count = static_cast<int64_t>(projects.size());
  const PageLinks links = LimitOffsetLinks(rr, limit, offset, count);

  JsonWriter w(reply.body);
  BeginLimitOffsetPage(w, count, links);
  for (int64_t i = offset; i < count && i - offset < limit; ++i) {
    WriteProjectJson(projects[static_cast<size_t>(i)], w);
  }
  w.EndArray().EndObject();
  return Status::Ok();
}

// PATCH /api/projects/:id/: `name` and `slack_incoming_webhook` (a URL, or "" / null to clear);
// other fields of PostHog's team are not kept by actiond and are refused by name.
Status UpdateProject(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"project:write"}));
  ACTIOND_ASSIGN_OR_RETURN(const engine::JsonValue body, ParseJsonObjectBody(rr.body()));
  service::ProjectUpdate update;
  for (const auto& [key, value] : body.members()) {
    if (key == "name") {
      ACTIOND_ASSIGN_OR_RETURN(update.name, ProjectName(body));
    } else if (key == "slack_incoming_webhook") {
      if (value.is_null()) {
        update.slack_incoming_webhook = "";
      } else if (value.is_string()) {
        update.slack_incoming_webhook = value.string();
      } else {
        return InvalidInput("Not a valid string.", "slack_incoming_webhook");
      }
    } else if (key != "id" && key != "api_token" && key != "created_at") {
      return InvalidInput("actiond does not keep this project field.", key);
    }
  }
  ACTIOND_ASSIGN_OR_RETURN(const service::Project project,
                           services.cluster != nullptr
                               ? service::UpdateProjectInCluster(
                                     *services.cluster, *services.accounts, access.project, update)
                               : services.accounts->UpdateProject(access.project.id, update));
  JsonWriter w(reply.body);
  WriteProjectJson(project, w);
  return Status::Ok();
}

Status GetProject(const Services& services, const RouteRequest& rr, RouteReply& reply) {
  ACTIOND_ASSIGN_OR_RETURN(const ProjectAccess access,
                           AuthorizeProject(services, rr, {"project:read", "action:read"}));
  JsonWriter w(reply.body);
  WriteProjectJson(access.project, w);
  return Status::Ok();
}

}  // namespace

void WriteProjectJson(const service::Project& project, JsonWriter& w) {
  w.BeginObject()
      .MemberInt("id", project.id)
      .Member("name", project.name)
      .Member("api_token", project.api_token)
      .Member("created_at", project.created_at);
  if (project.slack_incoming_webhook.empty()) {
    w.MemberNull("slack_incoming_webhook");
  } else {
    w.Member("slack_incoming_webhook", project.slack_incoming_webhook);
  }
  w.EndObject();
}

void RegisterProjectRoutes(Router& router, const Services& services) {
  router.Add(http::verb::post, "/api/projects",
             RestRoute(services, CreateProject, http::status::created));
  router.Add(http::verb::get, "/api/projects", RestRoute(services, ListProjects));
  router.Add(http::verb::get, "/api/projects/:project_id", RestRoute(services, GetProject));
  router.Add(http::verb::patch, "/api/projects/:project_id", RestRoute(services, UpdateProject));
}

}  // namespace actiond::api
