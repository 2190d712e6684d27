#pragma once
//! XML rendering of RDS resources in the shapes of botocore's rds/2014-10-31 model (internal to
//! src/sandbox/rds): element names and list member names (locationName) exactly as the model writes them.

#include "sandbox/data_plane/data_plane.hpp"
#include "sandbox/rds/rds_state.hpp"

#include <optional>
#include <string>

namespace aurora::sandbox::rds {

inline constexpr const char* rds_namespace = "http://rds.amazonaws.com/doc/2014-10-31/";

//! A tiny XML writer: elements and escaped text, nothing else.
class XmlOut {
public:
    void open(const std::string& name);
    void close(const std::string& name);
    //! <name>escaped text</name>
    void leaf(const std::string& name, const std::string& text);
    void leaf(const std::string& name, bool value) { leaf(name, std::string(value ? "true" : "false")); }
    void leaf_int(const std::string& name, long long value) { leaf(name, std::to_string(value)); }
    void leaf_time(const std::string& name, Clock::WallTime t);
    const std::string& str() const noexcept { return out_; }

private:
    std::string out_;
};

//! Where resources of one (account, region) are rendered, and with which data plane endpoints.
struct RenderContext {
    std::string account;
    std::string region;
    Clock::WallTime now;
    std::optional<DataPlaneEndpoint> postgres;
    std::optional<DataPlaneEndpoint> mysql;

    //! The data plane endpoint backing `engine`, if any.
    std::optional<DataPlaneEndpoint> plane_for(const std::string& engine) const;
};

//! arn:aws:rds:<region>:<account>:<kind>:<id> (kind: cluster, cluster-snapshot, db).
std::string rds_arn(const RenderContext& rc, const std::string& kind, const std::string& id);
//! A KMS key as RDS reports it: a key ARN (ids and aliases are expanded in the context's region).
std::string kms_arn(const RenderContext& rc, const std::string& key_id);
//! The default engine port (5432 / 3306).
int default_port(const std::string& engine);

void render_cluster(XmlOut& x, const Cluster& c, const RegionState& state, const RenderContext& rc);
void render_instance(XmlOut& x, const Instance& i, const RegionState& state, const RenderContext& rc);
void render_snapshot(XmlOut& x, const Snapshot& s, const RenderContext& rc);

//! <ActionResponse xmlns=…><ActionResult>result</ActionResult><ResponseMetadata>…</ResponseMetadata>
//! </ActionResponse>; no Result element when `has_result` is false (AddTagsToResource, …).
std::string envelope(const std::string& action, const std::string& result, const std::string& request_id,
                     bool has_result = true);

} // namespace aurora::sandbox::rds
