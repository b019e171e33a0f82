// Compiles an action's steps into matchers: every regex, selector and filter is built here,
// once, so that matching cannot fail (docs/style.md §3: fail at compile, not at match).
#pragma once

#include <memory>
#include <vector>

#include "engine/action_definition.h"
#include "engine/status.h"

namespace actiond::engine {

class CompiledAction;  // defined in compiled_action.h (engine-internal)

// Validates and compiles `steps`. Errors carry PostHog's attr (`steps__0__url`,
// `steps__1__properties__0__value`) and code (invalid_choice for an unknown url_matching,
// text_matching, href_matching, operator or filter type; invalid_input for a bad regex,
// selector or value; required for a missing filter key).
Result<std::shared_ptr<const CompiledAction>> CompileAction(ActionId id,
                                                            const std::vector<ActionStep>& steps);

}  // namespace actiond::engine
