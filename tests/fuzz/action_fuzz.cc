// Fuzz target: an Actions API request body through engine/action_definition.h
// (ParseActionRequest) and engine/action_compiler.h (CompileAction), then the compiled action
// matched against a few fixed event records.
//
// Checks beyond "no crash": the indexed ActionSet and the plain ActionMatches agree on every
// event (the differential test's invariant, here on fuzzer-made actions). The same steps are
// compiled under two ids so that the set holds two actions sharing every index bucket.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/action_compiler.h"
#include "engine/action_definition.h"
#include "engine/action_set.h"
#include "engine/event_reader.h"

namespace {

// A pageview, an autocapture click with a chain, an event with person properties, and one whose
// elements come from a `$elements` array.
constexpr std::string_view kEvents[] = {
    R"({"uuid":"0190a3b4-0000-7000-8000-000000000001","event":"$pageview","distinct_id":"u1",)"
    R"("timestamp":"2026-01-01T00:00:00.000Z","properties":{"$current_url":)"
    R"("https://www.example.com/pricing?plan=team","$browser":"Chrome","$browser_version":131,)"
    R"("plan":"team","amount":"12.5","tags":["a","b"],"nested":{"k":null},"n":null}})",
    R"({"uuid":"0190a3b4-0000-7000-8000-000000000002","event":"$autocapture","distinct_id":"u1",)"
    R"("timestamp":"2026-01-01T00:00:01.000Z","properties":{"$current_url":)"
    R"("https://app.example.com/signup","$event_type":"click"},"elements_chain":)"
    R"("button.btn.btn-primary:attr__class=\"btn btn-primary\"attr__id=\"go\"nth-child=\"2\")"
    R"(nth-of-type=\"1\"text=\"Sign up\";form.signup:attr__action=\"/signup\"nth-child=\"1\")"
    R"(nth-of-type=\"1\";div#main:attr_id=\"main\";a:href=\"/pricing\"text=\"Pricing\";body"})",
    R"({"uuid":"0190a3b4-0000-7000-8000-000000000003","event":"signup_completed",)"
    R"("distinct_id":"u2","timestamp":"2025-06-30T23:59:59Z","properties":{"$lib":"posthog-node",)"
    R"("$lib_version":"5.70.0","count":7,"ok":true},"person_properties":{"email":)"
    R"("ann@example.com","plan":"pro","age":41,"$initial_os":"Mac OS X"}})",
    R"({"uuid":"0190a3b4-0000-7000-8000-000000000004","event":"$autocapture","distinct_id":"u3",)"
    R"("timestamp":"2026-01-01T00:00:02.000Z","properties":{"$current_url":"http://localhost/",)"
    R"("$elements":[{"tag_name":"a","$el_text":"Docs","attr__href":"/docs","attr__class":"nav",)"
    R"("nth_child":1,"nth_of_type":1},{"tag_name":"nav","attr__id":"top"}]}})",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace actiond::engine;  // NOLINT: a fuzz target's one function
  static EventReader reader;
  static MatchScratch scratch;

  const std::string_view body(reinterpret_cast<const char*>(data), size);
  actiond::Result<ActionRequest> request = ParseActionRequest(body);
  if (!request.ok() || !request->steps) return 0;
  actiond::Result<std::shared_ptr<const CompiledAction>> action = CompileAction(7, *request->steps);
  if (!action.ok()) return 0;
  actiond::Result<std::shared_ptr<const CompiledAction>> twin = CompileAction(9, *request->steps);
  if (!twin.ok()) abort();
  const std::shared_ptr<const ActionSet> set = ActionSet::Build({*action, *twin});

  std::vector<ActionId> matched;
  for (std::string_view record : kEvents) {
    actiond::Result<const EventView*> view = reader.Read(record);
    if (!view.ok()) abort();  // the fixed records are valid
    const bool plain = ActionMatches(**action, **view);
    if (ActionMatches(**twin, **view) != plain) abort();
    set->Match(**view, &scratch, &matched);
    const std::vector<ActionId> expected =
        plain ? std::vector<ActionId>{7, 9} : std::vector<ActionId>{};
    if (matched != expected) abort();
  }
  return 0;
}
