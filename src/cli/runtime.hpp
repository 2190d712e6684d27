#pragma once
//! The composition root of the `aurora-restore` CLI: picks the concrete drivers (SQLite store, curl-backed
//! AWS clients, libpq / MariaDB drivers, console + SNS + webhook channels) and wires them into the engine
//! and the pipeline. Nothing else in the program names a concrete driver.

#include "cli/aws_session.hpp"
#include "engine/engine.hpp"
#include "pipeline/step_env.hpp"
#include "store/state_store.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace aurora::cli {

struct GlobalOptions {
    std::string state_dir;  //!< --state-dir; default $AURORA_RESTORE_STATE_DIR or ~/.local/state/aurora-restore
    std::string output = "text"; //!< text | json
    std::string log_level = "warn";
    std::string log_format = "text";
    std::optional<std::string> region;
    std::optional<std::string> profile;
    std::optional<std::string> endpoint_url;
};

//! The name the embedded engine registers the state machine under.
inline constexpr const char* kMachineName = "aurora-restore";
//! The Task resource every state of the definition uses (the Lambda invoke integration).
inline constexpr const char* kLambdaInvoke = "arn:aws:states:::lambda:invoke";

//! The state machine definition compiled into the binary (statemachine/restore.asl.json).
const std::string& embedded_definition();

class Runtime {
public:
    explicit Runtime(GlobalOptions options);
    ~Runtime();

    const GlobalOptions& options() const { return options_; }
    store::StateStore& store() { return *store_; }
    //! The AWS session, created on first use (commands that only read the store never touch AWS).
    AwsSession& aws();
    pipeline::PipelineEnv& env();
    //! The engine with the state machine loaded, created on first use.
    engine::Engine& engine();
    std::string database_path() const;

private:
    GlobalOptions options_;
    std::unique_ptr<store::StateStore> store_;
    std::unique_ptr<AwsSession> aws_;
    std::unique_ptr<pipeline::PipelineEnv> env_;
    std::unique_ptr<engine::Engine> engine_;
};

} // namespace aurora::cli
