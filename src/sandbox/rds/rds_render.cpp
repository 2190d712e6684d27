#include "sandbox/rds/rds_render.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace aurora::sandbox::rds {

namespace {

std::string escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += c;
        }
    }
    return out;
}

//! A stable 11-character suffix per (account, region), like the random part of RDS endpoint names.
std::string endpoint_suffix(const RenderContext& rc) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : rc.account + "/" + rc.region) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    static const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string out = "c";
    for (int i = 0; i < 11; ++i) {
        out += alphabet[h % 36];
        h /= 36;
    }
    return out;
}

std::string capacity(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

void render_tags(XmlOut& x, const Tags& tags) {
    x.open("TagList");
    for (const auto& [k, v] : tags) {
        x.open("Tag");
        x.leaf("Key", k);
        x.leaf("Value", v);
        x.close("Tag");
    }
    x.close("TagList");
}

void render_azs(XmlOut& x, const std::string& region) {
    x.open("AvailabilityZones");
    for (const char* az : {"a", "b", "c"}) {
        x.leaf("AvailabilityZone", region + az);
    }
    x.close("AvailabilityZones");
}

void render_security_groups(XmlOut& x, const std::vector<std::string>& groups) {
    x.open("VpcSecurityGroups");
    for (const auto& g : groups) {
        x.open("VpcSecurityGroupMembership");
        x.leaf("VpcSecurityGroupId", g);
        x.leaf("Status", std::string("active"));
        x.close("VpcSecurityGroupMembership");
    }
    x.close("VpcSecurityGroups");
}

std::string default_parameter_group(const std::string& engine, const std::string& version) {
    auto major = version.substr(0, version.find('.'));
    return engine == "aurora-mysql" ? "default.aurora-mysql" + major + ".0" : "default." + engine + major;
}

const Cluster* cluster_of(const RegionState& state, const std::string& id) {
    auto it = state.clusters.find(id);
    return it == state.clusters.end() ? nullptr : &it->second;
}

} // namespace

void XmlOut::open(const std::string& name) { out_ += "<" + name + ">"; }
void XmlOut::close(const std::string& name) { out_ += "</" + name + ">"; }
void XmlOut::leaf(const std::string& name, const std::string& text) {
    out_ += "<" + name + ">" + escape(text) + "</" + name + ">";
}
void XmlOut::leaf_time(const std::string& name, Clock::WallTime t) { leaf(name, format_iso8601(t)); }

std::optional<DataPlaneEndpoint> RenderContext::plane_for(const std::string& engine) const {
    return engine == "aurora-mysql" ? mysql : engine == "aurora-postgresql" ? postgres : std::nullopt;
}

std::string rds_arn(const RenderContext& rc, const std::string& kind, const std::string& id) {
    return "arn:aws:rds:" + rc.region + ":" + rc.account + ":" + kind + ":" + id;
}

std::string kms_arn(const RenderContext& rc, const std::string& key_id) {
    if (key_id.starts_with("arn:")) {
        return key_id;
    }
    if (key_id.starts_with("alias/")) {
        return "arn:aws:kms:" + rc.region + ":" + rc.account + ":" + key_id;
    }
    return "arn:aws:kms:" + rc.region + ":" + rc.account + ":key/" + key_id;
}

int default_port(const std::string& engine) { return engine == "aurora-mysql" ? 3306 : 5432; }

void render_cluster(XmlOut& x, const Cluster& c, const RegionState& state, const RenderContext& rc) {
    auto plane = rc.plane_for(c.engine);
    const std::string host_suffix = endpoint_suffix(rc) + "." + rc.region + ".rds.amazonaws.com";
    x.leaf_int("AllocatedStorage", 1);
    render_azs(x, rc.region);
    x.leaf_int("BackupRetentionPeriod", 1);
    if (!c.data_db.empty()) {
        x.leaf("DatabaseName", c.data_db);
    } else if (!c.database_name.empty()) {
        x.leaf("DatabaseName", c.database_name);
    }
    x.leaf("DBClusterIdentifier", c.id);
    x.leaf("DBClusterParameterGroup",
           c.parameter_group.empty() ? default_parameter_group(c.engine, c.engine_version) : c.parameter_group);
    x.leaf("DBSubnetGroup", c.subnet_group);
    x.leaf("Status", c.status);
    x.leaf_time("EarliestRestorableTime", c.created);
    x.leaf("Endpoint", plane ? plane->host : c.endpoint_id + ".cluster-" + host_suffix);
    x.leaf("ReaderEndpoint", plane ? plane->host : c.endpoint_id + ".cluster-ro-" + host_suffix);
    x.leaf("MultiAZ", c.members.size() > 1);
    x.leaf("Engine", c.engine);
    x.leaf("EngineVersion", c.engine_version);
    x.leaf_time("LatestRestorableTime", std::max(c.created, rc.now - std::chrono::minutes(5)));
    x.leaf_int("Port", plane ? plane->port : (c.port != 0 ? c.port : default_port(c.engine)));
    x.leaf("MasterUsername", c.master_username);
    x.leaf("PreferredBackupWindow", std::string("03:00-03:30"));
    x.leaf("PreferredMaintenanceWindow", std::string("sun:05:00-sun:05:30"));
    x.open("DBClusterMembers");
    for (std::size_t n = 0; n < c.members.size(); ++n) {
        x.open("DBClusterMember");
        x.leaf("DBInstanceIdentifier", c.members[n]);
        x.leaf("IsClusterWriter", n == 0);
        x.leaf("DBClusterParameterGroupStatus", std::string("in-sync"));
        auto it = state.instances.find(c.members[n]);
        x.leaf_int("PromotionTier", it == state.instances.end() ? 1 : it->second.promotion_tier);
        x.close("DBClusterMember");
    }
    x.close("DBClusterMembers");
    render_security_groups(x, c.security_groups);
    x.leaf("HostedZoneId", std::string("Z2R2ITUGPM61AM"));
    x.leaf("StorageEncrypted", c.storage_encrypted);
    if (c.storage_encrypted && !c.kms_key_id.empty()) {
        x.leaf("KmsKeyId", kms_arn(rc, c.kms_key_id));
    }
    x.leaf("DbClusterResourceId", c.resource_id);
    x.leaf("DBClusterArn", rds_arn(rc, "cluster", c.id));
    x.leaf("IAMDatabaseAuthenticationEnabled", false);
    if (!c.clone_group_id.empty()) {
        x.leaf("CloneGroupId", c.clone_group_id);
    }
    x.leaf_time("ClusterCreateTime", c.created);
    x.leaf("EngineMode", std::string("provisioned"));
    if (c.pending_password || !c.pending_new_id.empty()) {
        x.open("PendingModifiedValues");
        if (!c.pending_new_id.empty()) {
            x.leaf("DBClusterIdentifier", c.pending_new_id);
        }
        if (c.pending_password) {
            // The password itself is never echoed; RDS shows a mask.
            x.leaf("MasterUserPassword", std::string("****"));
        }
        x.close("PendingModifiedValues");
    }
    x.leaf("DeletionProtection", c.deletion_protection);
    x.leaf("HttpEndpointEnabled", false);
    if (!c.managed_secret_arn.empty()) {
        x.open("MasterUserSecret");
        x.leaf("SecretArn", c.managed_secret_arn);
        x.leaf("SecretStatus", std::string("active"));
        x.close("MasterUserSecret");
    }
    x.leaf("CopyTagsToSnapshot", c.copy_tags_to_snapshot);
    x.leaf("CrossAccountClone", false);
    render_tags(x, c.tags);
    if (c.serverless_v2) {
        x.open("ServerlessV2ScalingConfiguration");
        x.leaf("MinCapacity", capacity(c.serverless_v2->min_capacity));
        x.leaf("MaxCapacity", capacity(c.serverless_v2->max_capacity));
        x.close("ServerlessV2ScalingConfiguration");
    }
    x.leaf("AutoMinorVersionUpgrade", true);
    x.leaf("NetworkType", std::string("IPV4"));
    x.leaf("StorageType", std::string("aurora"));
}

void render_instance(XmlOut& x, const Instance& i, const RegionState& state, const RenderContext& rc) {
    const Cluster* c = cluster_of(state, i.cluster_id);
    auto plane = rc.plane_for(i.engine);
    x.leaf("DBInstanceIdentifier", i.id);
    x.leaf("DBInstanceClass", i.instance_class);
    x.leaf("Engine", i.engine);
    x.leaf("DBInstanceStatus", i.status);
    if (c != nullptr) {
        x.leaf("MasterUsername", c->master_username);
    }
    // RDS reports no Endpoint and no create time while an instance is still being created.
    if (i.status != "creating") {
        x.open("Endpoint");
        x.leaf("Address", plane ? plane->host
                                : i.id + "." + endpoint_suffix(rc) + "." + rc.region + ".rds.amazonaws.com");
        x.leaf_int("Port", plane ? plane->port : (c != nullptr && c->port != 0 ? c->port : default_port(i.engine)));
        x.leaf("HostedZoneId", std::string("Z2R2ITUGPM61AM"));
        x.close("Endpoint");
        x.leaf_time("InstanceCreateTime", i.created);
    }
    x.leaf_int("AllocatedStorage", 1);
    x.leaf("PreferredBackupWindow", std::string("03:00-03:30"));
    x.leaf_int("BackupRetentionPeriod", 1);
    x.open("DBSecurityGroups");
    x.close("DBSecurityGroups");
    render_security_groups(x, c != nullptr ? c->security_groups : std::vector<std::string>{});
    x.leaf("AvailabilityZone", rc.region + "a");
    x.open("DBSubnetGroup");
    x.leaf("DBSubnetGroupName", c != nullptr ? c->subnet_group : std::string("default"));
    x.leaf("DBSubnetGroupDescription", std::string("sandbox subnet group"));
    x.leaf("VpcId", std::string("vpc-0sandbox"));
    x.leaf("SubnetGroupStatus", std::string("Complete"));
    x.close("DBSubnetGroup");
    x.leaf("PreferredMaintenanceWindow", std::string("sun:05:00-sun:05:30"));
    x.open("PendingModifiedValues");
    x.close("PendingModifiedValues");
    x.leaf("MultiAZ", false);
    x.leaf("EngineVersion", i.engine_version);
    x.leaf("AutoMinorVersionUpgrade", true);
    x.leaf("LicenseModel",
           std::string(i.engine == "aurora-mysql" ? "general-public-license" : "postgresql-license"));
    x.leaf("PubliclyAccessible", i.publicly_accessible);
    x.leaf("StorageType", std::string("aurora"));
    x.leaf_int("DbInstancePort", 0);
    x.leaf("DBClusterIdentifier", i.cluster_id);
    x.leaf("StorageEncrypted", c != nullptr && c->storage_encrypted);
    if (c != nullptr && c->storage_encrypted && !c->kms_key_id.empty()) {
        x.leaf("KmsKeyId", kms_arn(rc, c->kms_key_id));
    }
    x.leaf("DbiResourceId", i.resource_id);
    x.leaf("CACertificateIdentifier", std::string("rds-ca-rsa2048-g1"));
    x.leaf("CopyTagsToSnapshot", false);
    x.leaf_int("MonitoringInterval", 0);
    x.leaf_int("PromotionTier", i.promotion_tier);
    x.leaf("DBInstanceArn", rds_arn(rc, "db", i.id));
    x.leaf("IAMDatabaseAuthenticationEnabled", false);
    x.leaf("PerformanceInsightsEnabled", false);
    x.leaf("DeletionProtection", false);
    render_tags(x, i.tags);
    x.leaf("NetworkType", std::string("IPV4"));
}

void render_snapshot(XmlOut& x, const Snapshot& s, const RenderContext& rc) {
    render_azs(x, rc.region);
    x.leaf("DBClusterSnapshotIdentifier", s.id);
    x.leaf("DBClusterIdentifier", s.cluster_id);
    x.leaf_time("SnapshotCreateTime", s.created);
    x.leaf("Engine", s.engine);
    x.leaf("EngineMode", std::string("provisioned"));
    x.leaf_int("AllocatedStorage", s.allocated_storage);
    x.leaf("Status", s.status);
    x.leaf_int("Port", s.port != 0 ? s.port : default_port(s.engine));
    x.leaf("VpcId", std::string("vpc-0sandbox"));
    x.leaf_time("ClusterCreateTime", s.cluster_created);
    x.leaf("MasterUsername", s.master_username);
    x.leaf("EngineVersion", s.engine_version);
    x.leaf("LicenseModel", std::string(s.engine == "aurora-mysql" ? "aurora-mysql" : "aurora-postgresql"));
    x.leaf("SnapshotType", s.type);
    long long percent = 100;
    if (s.pending) {
        auto total = std::chrono::duration_cast<std::chrono::milliseconds>(s.pending->due - s.pending->started);
        auto done = std::chrono::duration_cast<std::chrono::milliseconds>(rc.now - s.pending->started);
        percent = total.count() <= 0 ? 0 : std::clamp<long long>(done.count() * 100 / total.count(), 0, 99);
    }
    x.leaf_int("PercentProgress", percent);
    x.leaf("StorageEncrypted", s.storage_encrypted);
    if (s.storage_encrypted && !s.kms_key_id.empty()) {
        x.leaf("KmsKeyId", kms_arn(rc, s.kms_key_id));
    }
    x.leaf("DBClusterSnapshotArn", rds_arn(rc, "cluster-snapshot", s.id));
    if (!s.source_arn.empty()) {
        x.leaf("SourceDBClusterSnapshotArn", s.source_arn);
    }
    x.leaf("IAMDatabaseAuthenticationEnabled", false);
    render_tags(x, s.tags);
    x.leaf("StorageType", std::string("aurora"));
    if (!s.resource_id.empty()) {
        x.leaf("DbClusterResourceId", s.resource_id);
    }
}

std::string envelope(const std::string& action, const std::string& result, const std::string& request_id,
                     bool has_result) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" +
                      rds_namespace + "\">";
    if (has_result) {
        out += "<" + action + "Result>" + result + "</" + action + "Result>";
    }
    out += "<ResponseMetadata><RequestId>" + escape(request_id) + "</RequestId></ResponseMetadata></" + action +
           "Response>";
    return out;
}

} // namespace aurora::sandbox::rds
