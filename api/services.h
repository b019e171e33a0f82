// The services route handlers use, owned by App (api/app.h) and valid from App::Start() until
// App::Run() returns. Route registration functions take a `const Services&` and capture the
// pointers they need; handlers must not outlive the App.
//
// Thread-safety: each pointee documents its own; all of them are safe to use from the server's
// I/O threads concurrently.
#pragma once

namespace actiond::storage {
class Store;
class IngestPipeline;
class ActionService;
}  // namespace actiond::storage

namespace actiond::api {

class Authenticator;

struct Services {
  storage::Store* store = nullptr;
  storage::IngestPipeline* ingest = nullptr;
  // Owned by App, which calls LoadAll() at start-up and Stop() at shutdown.
  storage::ActionService* actions = nullptr;
  const Authenticator* auth = nullptr;
};

}  // namespace actiond::api
