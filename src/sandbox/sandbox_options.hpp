#pragma once
//! The sandbox's configuration, as the `aurora-restore sandbox` / `aurora-sandbox` flags set it
//! (docs/sandbox.md).

#include "common/clock.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace aurora::sandbox {

struct SandboxOptions {
    std::uint16_t port = 0;         //!< 0 picks a free port
    std::string bind = "127.0.0.1"; //!< loopback by default: the sandbox accepts the well-known key test/test
    //! RDS lifecycle durations: "fast", "realistic" or a YAML file (parsed by the RDS service).
    std::string durations = "fast";
    std::string faults;       //!< faults spec (faults.hpp); empty is none
    bool rate_limit = false;  //!< the RDS token bucket per account and region
    double rate_limit_burst = 300.0;
    double rate_limit_refill_per_second = 12.0;
    std::string data_plane_postgres; //!< postgresql://… backing aurora-postgresql clusters; empty is none
    std::string data_plane_mysql;    //!< mysql://… backing aurora-mysql clusters; empty is none
    std::string seed_file;           //!< YAML seed applied on a fresh start (no state loaded)
    std::string state_file;          //!< JSON state loaded on start, saved periodically and on stop
    std::chrono::seconds state_save_interval{30};
    std::string credentials_file;    //!< more accepted keys (credential_store.hpp); empty is only test/test
    std::string default_region = "us-east-1"; //!< for unsigned requests (AssumeRoleWithWebIdentity)
    //! Tolerated difference between a request's X-Amz-Date and now (AWS: 15 minutes).
    std::chrono::minutes max_clock_skew{15};
    //! How often the server ticks lifecycles in the background.
    std::chrono::milliseconds tick_interval{500};
    //! Not owned; nullptr is the system clock. Tests pass a FakeClock.
    Clock* clock = nullptr;
};

} // namespace aurora::sandbox
