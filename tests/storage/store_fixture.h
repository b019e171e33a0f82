// A store in a fresh temp dir per test, reopenable, with small helpers for committing.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/store.h"
#include "tests/storage/temp_dir.h"

namespace actiond::storage::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open(const StoreOptions& options = {}) {
    auto opened = Store::Open(dir_.db(), options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
  }

  void Reopen(const StoreOptions& options = {}) {
    ASSERT_TRUE(store_->Close().ok());
    store_.reset();
    Open(options);
  }

  WriteBatch Batch() { return WriteBatch(*store_); }

  void Commit(const WriteBatch& batch) {
    Status s = store_->Commit(batch);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Unwraps a Result in a test, failing loudly on error.
  template <typename T>
  static T Ok(Result<T> result) {
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? std::move(result).value() : T{};
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace actiond::storage::testing
