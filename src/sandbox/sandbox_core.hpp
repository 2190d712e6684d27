#pragma once
//! The sandbox's transport-free core: authenticates a request (SigV4), routes it to the emulated service by
//! the credential scope (Host and X-Amz-Target as hints), applies the rate limit and faults, renders
//! ServiceError in the service's protocol shape, and counts every call by (service, operation, outcome).
//! The HTTP server (sandbox_server.hpp) is a thin shell around it, so tests can drive it in-process.

#include "sandbox/credential_store.hpp"
#include "sandbox/data_plane/data_plane.hpp"
#include "sandbox/faults.hpp"
#include "sandbox/protocol.hpp"
#include "sandbox/sandbox_options.hpp"
#include "sandbox/service.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace aurora::sandbox {

class SnsService;
class KmsService;

//! The answer to one HTTP request.
struct CoreOutcome {
    Response response;
    bool drop = false;                   //!< close the connection without answering
    std::chrono::milliseconds latency{0}; //!< sleep this long before answering
    std::string service;
    std::string operation;
    std::string outcome; //!< "ok", the AWS error code, or "dropped"
};

class SandboxCore final : public SandboxEnvironment {
public:
    //! Builds every service (RDS when built in), opens the data planes, loads the credentials file, then the
    //! state file when it exists, else the seed file. Throws aurora::Error(config) on bad options or files.
    explicit SandboxCore(const SandboxOptions& options);
    ~SandboxCore() override;
    SandboxCore(const SandboxCore&) = delete;
    SandboxCore& operator=(const SandboxCore&) = delete;

    //! Handles one AWS request end to end. Never throws.
    CoreOutcome handle(const aws::HttpRequest& request);

    //! Per-operation call counts {"calls": {service: {operation: {outcome: n}}}, "total": n} plus each
    //! service's effect_counts() under "effects".
    nlohmann::json counts() const;
    //! Clears the call counts, the fault call indexes and the rate limit buckets (services keep state).
    void reset_counts();
    //! Replaces the faults spec at run time. Throws aurora::Error(config) on a bad spec (nothing changes).
    void set_faults(const std::string& spec);
    std::string faults() const;
    //! SNS messages published in (account, region), optionally only to `topic_arn`, oldest first.
    nlohmann::json sns_messages(const std::string& topic_arn) const;

    //! Moves every service's lifecycles to now.
    void tick();
    //! Applies a seed YAML file (docs/sandbox.md). Throws aurora::Error(config) on a bad file.
    void seed_file(const std::string& path);
    //! {"version":1,"services":{name: state},"credentials":[temporary keys]}.
    nlohmann::json save_state() const;
    void load_state(const nlohmann::json& state);
    //! Writes save_state() to the state file (atomically, via a temporary file); no-op without one.
    void save_state_file() const;

    CredentialStore& credentials() noexcept { return credentials_; }
    Clock& clock() const noexcept { return *clock_; }
    const SandboxOptions& options() const noexcept { return options_; }

    // SandboxEnvironment
    bool kms_key_exists(const std::string& account_id, const std::string& region,
                        const std::string& key_id) const override;
    PresignedVerification verify_presigned_url(const std::string& url, Clock::WallTime now) const override;

private:
    struct Slot {
        std::unique_ptr<Service> service;
        std::unique_ptr<std::mutex> mutex;
    };
    struct Parsed;

    void add_service(std::unique_ptr<Service> service);
    Slot* find_slot(const std::string& name) const;
    Response dispatch(Parsed& parsed, CoreOutcome& out);
    void count(const std::string& service, const std::string& operation, const std::string& outcome);

    SandboxOptions options_;
    Clock* clock_;
    CredentialStore credentials_;
    FaultInjector faults_;
    RateLimiter rate_limiter_;
    std::vector<std::unique_ptr<DataPlane>> data_planes_;
    std::map<std::string, Slot> services_;
    SnsService* sns_ = nullptr;
    KmsService* kms_ = nullptr;
    mutable std::mutex counts_mutex_;
    std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> counts_;
    mutable std::mutex state_file_mutex_;
};

} // namespace aurora::sandbox
