#pragma once
//! A hook for the model check (issue #2, acceptance 6): when a recorder is installed on the current thread,
//! the protocol layer reports every parameter a client sends and every response member a client reads,
//! with the type it reads it as, so a test can compare them with the botocore API models.

#include <string>
#include <vector>

namespace aurora::aws {

enum class RecordedType { string, integer, boolean, timestamp, double_, structure, list, map, blob };

struct RecordedAccess {
    //! Dotted path from the operation's input or output shape, list members as "[]":
    //! e.g. "Filters[].Name", "DBClusters[].DBClusterMembers[].IsClusterWriter".
    std::string path;
    RecordedType type;
    bool found; //!< for reads: whether the member was present in the response
};

struct ModelRecorder {
    std::string operation;
    std::vector<RecordedAccess> sent; //!< parameters sent
    std::vector<RecordedAccess> read; //!< response members read
};

//! Installs `r` for the current thread (nullptr removes it). Not owning.
void set_model_recorder(ModelRecorder* r);
ModelRecorder* model_recorder();

} // namespace aurora::aws
