// The version of this build and the git commit it was built from, set by CMake at configure
// time (the top CMakeLists.txt); the commit is "unknown" for a build outside a git checkout.
#pragma once

#include <string_view>

namespace actiond::api {

std::string_view Version() noexcept;
std::string_view GitCommit() noexcept;

}  // namespace actiond::api
