// The audit log's record format: one JSON object per line, hash-chained with SHA-256. Shared by
// every backend so `audit --verify` means the same thing wherever the log is kept.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "store/store.h"

namespace launchkit::store {

// previous_hash of the first record.
inline constexpr std::string_view genesis_hash =
    "0000000000000000000000000000000000000000000000000000000000000000";

nlohmann::json to_json(const AuditRecord& record);

// Parses one record; `where` ("path:line") prefixes errors, which are ExitCode::environment
// because a record launchkit wrote that no longer parses means the log was damaged.
Result<AuditRecord> parse_audit_record(std::string_view line, std::string_view where);

// SHA-256 over the canonical JSON of everything but `hash` itself.
std::string compute_record_hash(const AuditRecord& record);

// Whether `record`, parsed from `line`, carries its own hash. A line seal_record wrote is the
// canonical JSON with the hash field added, so hashing the line without that field decides it
// without serialising the record again (the replay of every read pays this); a line spelled any
// other way is checked against compute_record_hash.
bool record_hash_matches(std::string_view line, const AuditRecord& record);

// Sets previous_hash, computes hash and returns the line to append (with its newline).
std::string seal_record(AuditRecord& record, std::string_view previous_hash);

// JSON dump that never throws on invalid UTF-8 (replaces it), so odd bytes in a --reason cannot
// abort a write halfway.
std::string dump_json(const nlohmann::json& value, int indent = -1);

}  // namespace launchkit::store
