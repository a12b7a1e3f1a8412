#pragma once

namespace stegolab {

// Version 1's tables and views; a new file is created at version 1.
extern const char* const kSchemaV1;
// Version 1 -> 2: the typed columns of metric_conventions.
extern const char* const kMigrationV2;
extern const char* const kMigrationV3;
// Version 3 -> 4: trials.kind (trained or external).
extern const char* const kMigrationV4;

}  // namespace stegolab
