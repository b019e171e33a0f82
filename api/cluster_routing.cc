#include "api/cluster_routing.h"

#include <charconv>
#include <optional>
#include <string>

#include "api/error_response.h"
#include "api/http/forward_client.h"
#include "service/account_service.h"
#include "service/cluster_node.h"

namespace actiond::api {

bool RouteToHolder(const Services& services, const RouteRequest& request, HttpResponse& res) {
  if (services.cluster == nullptr || services.forward == nullptr) return false;
  const std::string_view project_param = request.Param("project_id");
  if (project_param.empty()) return false;
  service::ProjectId project_id = 0;
  const auto [end, error] = std::from_chars(
      project_param.data(), project_param.data() + project_param.size(), project_id);
  if (error != std::errc() || end != project_param.data() + project_param.size()) return false;
  // An unknown project (or a store error) is the endpoint's to answer, as in embedded mode.
  Result<std::optional<service::Project>> project = services.accounts->FindProject(project_id);
  if (!project.ok() || !project->has_value()) return false;

  const service::ClusterNode::Route route = services.cluster->RouteFor((*project)->api_token);
  using Kind = service::ClusterNode::Route::Kind;
  if (route.kind == Kind::kLocal) return false;
  const bool forwarded_here = !request.http()[kForwardedHeader].empty();
  if (route.kind == Kind::kUnavailable || forwarded_here) {
    // A forwarded request that finds the partition gone is not sent on: one hop only.
    WriteError(Status(StatusCode::kUnavailable,
                      route.kind == Kind::kUnavailable
                          ? route.reason
                          : "This project's partition moved while the request was forwarded; "
                            "retry later."),
               res);
    return true;
  }
  DeferredReply reply = request.Defer();
  services.forward->Forward(route.url, request.http(), services.cluster->settings().node_id,
                            [reply](HttpResponse answer) { reply(std::move(answer)); });
  return true;
}

}  // namespace actiond::api
