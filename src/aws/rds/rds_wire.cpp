#include "aws/rds/rds_wire.hpp"

#include <initializer_list>

namespace aurora::aws::rds::wire {

void add_optional(QueryParams& p, const std::string& key, const std::string& value) {
    if (!value.empty()) {
        p.add(key, value);
    }
}

void add_optional(QueryParams& p, const std::string& key, const std::optional<bool>& value) {
    if (value) {
        p.add_bool(key, *value);
    }
}

void add_optional(QueryParams& p, const std::string& key, const std::optional<std::int64_t>& value) {
    if (value) {
        p.add_int(key, *value);
    }
}

void add_tags(QueryParams& p, const Tags& tags) {
    // RDS's TagList names its members "Tag" (botocore model: member locationName "Tag"), so the wire keys
    // are Tags.Tag.N.Key, not Tags.member.N.Key.
    std::vector<std::pair<std::string, std::string>> pairs;
    pairs.reserve(tags.size());
    for (const auto& t : tags) {
        pairs.emplace_back(t.key, t.value);
    }
    p.add_tags("Tags", pairs, "Tag");
}

void add_filters(QueryParams& p, const std::vector<Filter>& filters) {
    // FilterList members are "Filter" and FilterValueList members are "Value" in the RDS model.
    for (std::size_t i = 0; i < filters.size(); ++i) {
        const std::string prefix = "Filters.Filter." + std::to_string(i + 1);
        p.add(prefix + ".Name", filters[i].name);
        p.add_list(prefix + ".Values", filters[i].values, "Value");
    }
}

void add_vpc_security_group_ids(QueryParams& p, const std::vector<std::string>& ids) {
    p.add_list("VpcSecurityGroupIds", ids, "VpcSecurityGroupId");
}

void add_serverless_v2(QueryParams& p, const std::optional<ServerlessV2Scaling>& scaling) {
    if (!scaling) {
        return;
    }
    p.add_double("ServerlessV2ScalingConfiguration.MinCapacity", scaling->min_capacity);
    p.add_double("ServerlessV2ScalingConfiguration.MaxCapacity", scaling->max_capacity);
}

Tags parse_tags(const XmlNode& parent) {
    Tags tags;
    for (const auto& t : parent.list("TagList", "Tag")) {
        tags.push_back(Tag{t.text("Key").value_or(""), t.text("Value").value_or("")});
    }
    return tags;
}

DbClusterSnapshot parse_snapshot(const XmlNode& n) {
    DbClusterSnapshot s;
    s.identifier = n.text("DBClusterSnapshotIdentifier").value_or("");
    s.arn = n.text("DBClusterSnapshotArn").value_or("");
    s.cluster_identifier = n.text("DBClusterIdentifier").value_or("");
    s.status = n.text("Status").value_or("");
    s.snapshot_type = n.text("SnapshotType").value_or("");
    s.engine = n.text("Engine").value_or("");
    s.engine_version = n.text("EngineVersion").value_or("");
    s.engine_mode = n.text("EngineMode").value_or("");
    s.create_time = n.timestamp("SnapshotCreateTime");
    s.cluster_create_time = n.timestamp("ClusterCreateTime");
    s.allocated_storage = n.integer("AllocatedStorage").value_or(0);
    s.percent_progress = n.integer("PercentProgress").value_or(0);
    s.port = n.integer("Port").value_or(0);
    s.storage_encrypted = n.boolean("StorageEncrypted").value_or(false);
    s.kms_key_id = n.text("KmsKeyId").value_or("");
    s.source_snapshot_arn = n.text("SourceDBClusterSnapshotArn").value_or("");
    s.vpc_id = n.text("VpcId").value_or("");
    s.master_username = n.text("MasterUsername").value_or("");
    s.db_cluster_resource_id = n.text("DbClusterResourceId").value_or("");
    s.tags = parse_tags(n);
    return s;
}

namespace {

std::optional<ServerlessV2Scaling> parse_serverless_v2(const XmlNode& n) {
    const XmlNode c = n.child("ServerlessV2ScalingConfiguration");
    if (!c.valid()) {
        return std::nullopt;
    }
    ServerlessV2Scaling s;
    s.min_capacity = c.number("MinCapacity").value_or(0.0);
    s.max_capacity = c.number("MaxCapacity").value_or(0.0);
    return s;
}

//! Whether a PendingModifiedValues element carries any of `members`. RDS sends an empty
//! <PendingModifiedValues/> when nothing is pending, so presence alone means nothing.
bool any_pending(const XmlNode& n, std::initializer_list<const char*> text_members,
                 std::initializer_list<const char*> integer_members) {
    const XmlNode p = n.child("PendingModifiedValues");
    if (!p.valid()) {
        return false;
    }
    bool pending = false;
    for (const char* m : text_members) {
        pending = p.text(m).has_value() || pending;
    }
    for (const char* m : integer_members) {
        pending = p.integer(m).has_value() || pending;
    }
    return pending;
}

} // namespace

DbCluster parse_cluster(const XmlNode& n) {
    DbCluster c;
    c.identifier = n.text("DBClusterIdentifier").value_or("");
    c.arn = n.text("DBClusterArn").value_or("");
    c.resource_id = n.text("DbClusterResourceId").value_or("");
    c.status = n.text("Status").value_or("");
    c.engine = n.text("Engine").value_or("");
    c.engine_version = n.text("EngineVersion").value_or("");
    c.engine_mode = n.text("EngineMode").value_or("");
    c.endpoint = n.text("Endpoint").value_or("");
    c.reader_endpoint = n.text("ReaderEndpoint").value_or("");
    c.port = n.integer("Port");
    c.master_username = n.text("MasterUsername").value_or("");
    c.database_name = n.text("DatabaseName").value_or("");
    c.db_subnet_group = n.text("DBSubnetGroup").value_or("");
    c.db_cluster_parameter_group = n.text("DBClusterParameterGroup").value_or("");
    for (const auto& g : n.list("VpcSecurityGroups", "VpcSecurityGroupMembership")) {
        c.vpc_security_group_ids.push_back(g.text("VpcSecurityGroupId").value_or(""));
    }
    for (const auto& m : n.list("DBClusterMembers", "DBClusterMember")) {
        c.members.push_back(DbClusterMember{m.text("DBInstanceIdentifier").value_or(""),
                                            m.boolean("IsClusterWriter").value_or(false),
                                            m.integer("PromotionTier")});
    }
    c.storage_encrypted = n.boolean("StorageEncrypted").value_or(false);
    c.kms_key_id = n.text("KmsKeyId").value_or("");
    c.deletion_protection = n.boolean("DeletionProtection").value_or(false);
    c.clone_group_id = n.text("CloneGroupId").value_or("");
    c.serverless_v2 = parse_serverless_v2(n);
    c.has_pending_modifications = any_pending(
        n, {"DBClusterIdentifier", "MasterUserPassword", "EngineVersion", "StorageType"}, {"BackupRetentionPeriod"});
    const XmlNode secret = n.child("MasterUserSecret");
    if (secret.valid()) {
        c.master_user_secret_arn = secret.text("SecretArn").value_or("");
    }
    c.cluster_create_time = n.timestamp("ClusterCreateTime");
    c.earliest_restorable_time = n.timestamp("EarliestRestorableTime");
    c.latest_restorable_time = n.timestamp("LatestRestorableTime");
    c.tags = parse_tags(n);
    return c;
}

DbInstance parse_instance(const XmlNode& n) {
    DbInstance i;
    i.identifier = n.text("DBInstanceIdentifier").value_or("");
    i.arn = n.text("DBInstanceArn").value_or("");
    i.cluster_identifier = n.text("DBClusterIdentifier").value_or("");
    i.instance_class = n.text("DBInstanceClass").value_or("");
    i.engine = n.text("Engine").value_or("");
    i.engine_version = n.text("EngineVersion").value_or("");
    i.status = n.text("DBInstanceStatus").value_or("");
    const XmlNode endpoint = n.child("Endpoint");
    if (endpoint.valid()) {
        i.endpoint_address = endpoint.text("Address").value_or("");
        i.endpoint_port = endpoint.integer("Port");
    }
    i.availability_zone = n.text("AvailabilityZone").value_or("");
    i.promotion_tier = n.integer("PromotionTier");
    i.publicly_accessible = n.boolean("PubliclyAccessible").value_or(false);
    i.deletion_protection = n.boolean("DeletionProtection").value_or(false);
    i.has_pending_modifications =
        any_pending(n, {"DBInstanceClass", "DBInstanceIdentifier", "MasterUserPassword", "EngineVersion"}, {"Port"});
    i.tags = parse_tags(n);
    return i;
}

} // namespace aurora::aws::rds::wire
