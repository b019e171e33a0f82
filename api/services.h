// The services route handlers use, owned by App (api/app.h) and valid from App::Start() until
// App::Run() returns. Route registration functions take a `const Services&` and capture the
// pointers they need; handlers must not outlive the App. api/ reaches stored data only through
// these (service/); it never includes storage/.
//
// Thread-safety: each pointee documents its own; all of them are safe to use from the server's
// I/O threads concurrently.
#pragma once

namespace actiond::service {
class AccountService;
class ActionService;
class ApplyExecutor;
class BackupService;
class ClusterNode;
class EventService;
class IngestPipeline;
class PersonService;
class WebhookService;
}  // namespace actiond::service

namespace actiond::api {

class Authenticator;
class ForwardClient;

struct Services {
  service::AccountService* accounts = nullptr;
  service::IngestPipeline* ingest = nullptr;
  // The apply stage capture requests are handed to; null: they apply on the I/O thread.
  service::ApplyExecutor* apply = nullptr;
  // Owned by App, which calls LoadAll() at start-up and Stop() at shutdown.
  service::ActionService* actions = nullptr;
  const service::EventService* events = nullptr;
  const service::PersonService* persons = nullptr;
  service::WebhookService* webhooks = nullptr;  // null when the server runs without webhooks
  const service::BackupService* backup = nullptr;
  const Authenticator* auth = nullptr;
  // Cluster mode (docs/cluster.md): capture writes to the event log through it; null in
  // embedded mode.
  service::ClusterNode* cluster = nullptr;
  // Sends a project's requests to the node holding its partition (api/cluster_routing.h);
  // null in embedded mode.
  ForwardClient* forward = nullptr;
};

}  // namespace actiond::api
