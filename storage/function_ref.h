// FunctionRef<R(Args...)>: a non-owning, non-allocating reference to a callable, for visitors
// on scan loops (std::function would allocate and is not wanted on hot paths).
//
// Lifetime: a FunctionRef must not outlive the callable it was made from; pass lambdas
// directly as arguments, never store the FunctionRef.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace actiond::storage {

template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef> &&
                                                    std::is_invocable_r_v<R, F&, Args...>>>
  FunctionRef(F&& f) noexcept  // NOLINT: implicit, so call sites pass lambdas as they are
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_(&Invoke<std::remove_reference_t<F>>) {}

  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  template <typename F>
  static R Invoke(void* object, Args... args) {
    return (*static_cast<F*>(object))(std::forward<Args>(args)...);
  }

  void* object_;
  R (*call_)(void*, Args...);
};

}  // namespace actiond::storage
