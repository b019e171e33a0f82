// The plain records services take and return. Storage encodes them (storage/records.h,
// storage/action_record.h, storage/store.h) and services add no fields to them, so they are the
// storage types themselves, named here: api/ uses these names and never includes storage/, and a
// service that one day needs its own shape replaces an alias with a struct without touching api/.
//
// Thread-safety: plain values.
#pragma once

#include "storage/action_record.h"
#include "storage/records.h"
#include "storage/store.h"

namespace actiond::service {

using storage::ActionId;
using storage::ProjectId;

using storage::ApiKey;       // a personal API key (hashed; the value is never kept)
using storage::EventCursor;  // a position in a project's (timestamp, uuid) event order
using storage::Person;
using storage::Project;
using storage::StoredEvent;

using storage::ActionCreator;  // a user as an action's `created_by` shows it
using storage::ActionRecord;   // an action, field for field the API's Action object

using storage::EventVisitor;  // (timestamp_ms, uuid, record_json) → go on?
using storage::ScanOptions;
using storage::TimeRange;

// An ActionRecord as the API's Action object (compact JSON): the stored form is that object.
using storage::EncodeActionRecord;

}  // namespace actiond::service
