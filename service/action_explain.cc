// ActionService's explain methods (docs/api.md §Explain): the action's steps compiled as
// ingestion compiles them, and the event as ingestion stores it, through
// engine::ExplainRecord, which evaluates the steps with the matcher's own code.
#include "engine/action_compiler.h"
#include "engine/compiled_action.h"
#include "service/action_service.h"

namespace actiond::service {

Result<std::string> ActionService::ExplainedRecord(ProjectId project,
                                                   const engine::ExplainSubject& subject) const {
  if (subject.uuid) {
    ACTIOND_ASSIGN_OR_RETURN(std::optional<StoredEvent> stored,
                             store_->GetEvent(project, *subject.uuid));
    if (!stored) return NotFound("Not found.");
    return std::move(stored->record_json);
  }
  return engine::ExplainEventRecord(*subject.event_json, subject.person_properties_json, clock_());
}

Result<engine::ActionExplanation> ActionService::Explain(
    ProjectId project, ActionId id, const engine::ExplainSubject& subject) const {
  ACTIOND_ASSIGN_OR_RETURN(const ActionRecord action, Get(project, id));
  ACTIOND_ASSIGN_OR_RETURN(auto compiled, engine::CompileAction(id, action.steps));
  ACTIOND_ASSIGN_OR_RETURN(const std::string record, ExplainedRecord(project, subject));
  return engine::ExplainRecord(*compiled, record);
}

Result<engine::ActionExplanation> ActionService::ExplainSteps(
    ProjectId project, const std::vector<engine::ActionStep>& steps,
    const engine::ExplainSubject& subject) const {
  ACTIOND_RETURN_IF_ERROR(RequireProject(project));
  ACTIOND_ASSIGN_OR_RETURN(auto compiled, engine::CompileAction(0, steps));
  ACTIOND_ASSIGN_OR_RETURN(const std::string record, ExplainedRecord(project, subject));
  return engine::ExplainRecord(*compiled, record);
}

}  // namespace actiond::service
