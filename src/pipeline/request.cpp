#include "pipeline/request.hpp"

#include "aws/arn.hpp"
#include "common/error.hpp"
#include "common/yaml_json.hpp"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

namespace aurora::pipeline {
namespace {

using nlohmann::json;

//! Levenshtein distance, for "did you mean" on unknown fields.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string join_path(const std::string& base, const std::string& key) { return base.empty() ? key : base + "." + key; }

//! Collects problems while walking the document; each check names its field.
class Validator {
public:
    std::vector<Problem> problems;

    void fail(const std::string& field, const std::string& message) { problems.push_back({field, message}); }

    //! `v` must be an object with only `allowed` keys (or null/absent when !required).
    bool object(const json& v, const std::string& path, const std::set<std::string>& allowed, bool required) {
        if (v.is_null()) {
            if (required) fail(path, "is required");
            return false;
        }
        if (!v.is_object()) {
            fail(path, "must be a mapping");
            return false;
        }
        for (const auto& [key, _] : v.items()) {
            if (allowed.count(key) != 0) continue;
            std::string best;
            std::size_t best_d = 3;
            for (const auto& a : allowed) {
                const auto d = edit_distance(key, a);
                if (d < best_d) {
                    best_d = d;
                    best = a;
                }
            }
            fail(join_path(path, key), "unknown field" + (best.empty() ? std::string{} : " (did you mean '" + best + "'?)"));
        }
        return true;
    }

    std::optional<std::string> string(const json& parent, const std::string& path, const std::string& key,
                                      bool required) {
        const json& v = at(parent, key);
        const auto field = join_path(path, key);
        if (v.is_null()) {
            if (required) fail(field, "is required");
            return std::nullopt;
        }
        if (!v.is_string()) {
            fail(field, "must be a string");
            return std::nullopt;
        }
        if (v.get<std::string>().empty()) {
            fail(field, "must not be empty");
            return std::nullopt;
        }
        return v.get<std::string>();
    }

    std::optional<bool> boolean(const json& parent, const std::string& path, const std::string& key) {
        const json& v = at(parent, key);
        if (v.is_null()) return std::nullopt;
        if (!v.is_boolean()) {
            fail(join_path(path, key), "must be true or false");
            return std::nullopt;
        }
        return v.get<bool>();
    }

    std::optional<std::int64_t> integer(const json& parent, const std::string& path, const std::string& key,
                                        std::int64_t min, std::int64_t max) {
        const json& v = at(parent, key);
        if (v.is_null()) return std::nullopt;
        if (!v.is_number_integer() || v.get<std::int64_t>() < min || v.get<std::int64_t>() > max) {
            fail(join_path(path, key), "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
            return std::nullopt;
        }
        return v.get<std::int64_t>();
    }

    std::optional<double> number(const json& parent, const std::string& path, const std::string& key) {
        const json& v = at(parent, key);
        if (v.is_null()) return std::nullopt;
        if (!v.is_number()) {
            fail(join_path(path, key), "must be a number");
            return std::nullopt;
        }
        return v.get<double>();
    }

    std::vector<std::string> string_list(const json& parent, const std::string& path, const std::string& key) {
        const json& v = at(parent, key);
        std::vector<std::string> out;
        if (v.is_null()) return out;
        if (!v.is_array()) {
            fail(join_path(path, key), "must be a list");
            return out;
        }
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string() || v[i].get<std::string>().empty()) {
                fail(join_path(path, key) + "[" + std::to_string(i) + "]", "must be a non-empty string");
                continue;
            }
            out.push_back(v[i].get<std::string>());
        }
        return out;
    }

    std::map<std::string, std::string> tags(const json& parent, const std::string& path, const std::string& key,
                                            bool reject_reserved) {
        const json& v = at(parent, key);
        std::map<std::string, std::string> out;
        if (v.is_null()) return out;
        const auto field = join_path(path, key);
        if (!v.is_object()) {
            fail(field, "must be a mapping of tag keys to values");
            return out;
        }
        for (const auto& [k, val] : v.items()) {
            const auto tf = field + "." + k;
            if (k.empty() || k.size() > 128) fail(tf, "tag keys must be 1 to 128 characters");
            if (k.starts_with("aws:")) fail(tf, "tag keys starting with 'aws:' are reserved by AWS");
            if (reject_reserved && k.starts_with("aurora-restore:")) {
                fail(tf, "tag keys starting with 'aurora-restore:' are reserved for the pipeline");
            }
            if (!val.is_string() && !val.is_number() && !val.is_boolean()) {
                fail(tf, "must be a string");
                continue;
            }
            std::string s = val.is_string() ? val.get<std::string>() : val.dump();
            if (s.size() > 256) fail(tf, "tag values must be at most 256 characters");
            out[k] = s;
        }
        return out;
    }

    static const json& at(const json& parent, const std::string& key) {
        static const json kNull;
        if (!parent.is_object()) return kNull;
        const auto it = parent.find(key);
        return it == parent.end() ? kNull : *it;
    }
};

void validate_source(Validator& v, const json& doc, const std::string& default_region, RestoreRequest& r) {
    const json& src = Validator::at(doc, "source");
    if (!v.object(src, "source", {"cluster", "snapshot", "region", "method", "snapshot_tags"}, true)) return;
    auto& s = r.source;
    if (auto c = v.string(src, "source", "cluster", false)) {
        s.cluster = *c;
        if (auto rule = check_cluster_identifier(*c); !rule.empty()) v.fail("source.cluster", "'" + *c + "' " + rule);
    }
    s.snapshot = v.string(src, "source", "snapshot", false).value_or("latest");
    s.region = v.string(src, "source", "region", false).value_or(default_region);
    if (auto m = v.string(src, "source", "method", false)) {
        if (*m == "snapshot") s.method = SourceMethod::snapshot;
        else if (*m == "clone") s.method = SourceMethod::clone;
        else v.fail("source.method", "must be snapshot or clone");
    }
    s.snapshot_tags = v.tags(src, "source", "snapshot_tags", false);

    if (s.snapshot == "latest") s.selector = SnapshotSelector::latest;
    else if (s.snapshot == "latest-automated") s.selector = SnapshotSelector::latest_automated;
    else if (s.snapshot == "latest-manual") s.selector = SnapshotSelector::latest_manual;
    else if (auto arn = aws::parse_arn(s.snapshot)) {
        s.selector = SnapshotSelector::arn;
        if (arn->service != "rds" || arn->resource_type() != "cluster-snapshot") {
            v.fail("source.snapshot", "'" + s.snapshot + "' is not a DB cluster snapshot ARN (arn:aws:rds:REGION:ACCOUNT:cluster-snapshot:ID)");
        } else {
            if (!src.contains("region")) s.region = arn->region;
            else if (arn->region != s.region) v.fail("source.region", "'" + s.region + "' differs from the snapshot ARN's region '" + arn->region + "'");
            s.account = arn->account;
        }
    } else {
        s.selector = SnapshotSelector::id;
        if (auto rule = check_snapshot_identifier(s.snapshot); !rule.empty()) {
            v.fail("source.snapshot", "'" + s.snapshot + "' is neither latest, latest-automated, latest-manual, a snapshot ARN nor a valid snapshot identifier: it " + rule);
        }
    }
    if (s.cluster.empty() && s.selector != SnapshotSelector::arn && s.selector != SnapshotSelector::id) {
        v.fail("source.cluster", "is required when source.snapshot is '" + s.snapshot + "'");
    }
    if (s.method == SourceMethod::clone && s.cluster.empty()) v.fail("source.cluster", "is required when source.method is clone");
    if (s.region.empty()) v.fail("source.region", "is required (or set AWS_REGION)");
    else if (!is_region(s.region)) v.fail("source.region", "'" + s.region + "' is not an AWS region name such as us-east-1");
}

void validate_instances(Validator& v, const json& tgt, InstancesSpec& inst) {
    const json& node = Validator::at(tgt, "instances");
    if (!v.object(node, "target.instances", {"count", "class", "serverless_v2"}, false)) {
        inst.instance_class = "db.r6g.large";
        return;
    }
    inst.count = static_cast<int>(v.integer(node, "target.instances", "count", 0, 16).value_or(1));
    const auto cls = v.string(node, "target.instances", "class", false);
    const json& sv2 = Validator::at(node, "serverless_v2");
    if (!sv2.is_null()) {
        if (v.object(sv2, "target.instances.serverless_v2", {"min_capacity", "max_capacity"}, false)) {
            ServerlessV2Scaling sc;
            sc.min_capacity = v.number(sv2, "target.instances.serverless_v2", "min_capacity").value_or(0.5);
            sc.max_capacity = v.number(sv2, "target.instances.serverless_v2", "max_capacity").value_or(8);
            auto half_step = [](double x) { return std::fabs(x * 2 - std::round(x * 2)) < 1e-9; };
            if (sc.min_capacity < 0 || sc.min_capacity > 256 || !half_step(sc.min_capacity)) {
                v.fail("target.instances.serverless_v2.min_capacity", "must be 0 to 256 ACUs in steps of 0.5");
            }
            if (sc.max_capacity < 1 || sc.max_capacity > 256 || !half_step(sc.max_capacity)) {
                v.fail("target.instances.serverless_v2.max_capacity", "must be 1 to 256 ACUs in steps of 0.5");
            }
            if (sc.min_capacity > sc.max_capacity) {
                v.fail("target.instances.serverless_v2", "min_capacity must not exceed max_capacity");
            }
            inst.serverless_v2 = sc;
        }
        if (cls && *cls != "db.serverless") v.fail("target.instances.class", "must be omitted (or db.serverless) with serverless_v2");
        inst.instance_class = "db.serverless";
        return;
    }
    inst.instance_class = cls.value_or("db.r6g.large");
    static const std::regex kClass(R"(^db\.[a-z0-9-]+\.[a-z0-9-]+$)");
    if (inst.instance_class == "db.serverless") {
        v.fail("target.instances.class", "db.serverless needs target.instances.serverless_v2 {min_capacity, max_capacity}");
    } else if (!std::regex_match(inst.instance_class, kClass)) {
        v.fail("target.instances.class", "'" + inst.instance_class + "' is not an instance class such as db.r6g.large");
    }
}

void validate_target(Validator& v, const json& doc, RestoreRequest& r) {
    const json& tgt = Validator::at(doc, "target");
    if (!v.object(tgt, "target", {"cluster", "region", "mode", "instances", "db_subnet_group", "vpc_security_group_ids",
                                  "db_cluster_parameter_group", "db_instance_parameter_group", "kms_key_id",
                                  "engine_version", "port", "deletion_protection", "tags", "retired"},
                  true)) {
        return;
    }
    auto& t = r.target;
    if (auto c = v.string(tgt, "target", "cluster", true)) {
        t.cluster = *c;
        if (auto rule = check_cluster_identifier(*c); !rule.empty()) v.fail("target.cluster", "'" + *c + "' " + rule);
    }
    t.region = v.string(tgt, "target", "region", false).value_or(r.source.region);
    if (!t.region.empty() && !is_region(t.region)) v.fail("target.region", "'" + t.region + "' is not an AWS region name such as us-west-2");
    if (auto m = v.string(tgt, "target", "mode", false)) {
        if (*m == "new") t.mode = Mode::create_new;
        else if (*m == "replace") t.mode = Mode::replace;
        else if (*m == "swap") t.mode = Mode::swap;
        else v.fail("target.mode", "'" + *m + "' must be new, replace or swap");
    }
    validate_instances(v, tgt, t.instances);
    t.db_subnet_group = v.string(tgt, "target", "db_subnet_group", false).value_or("");
    t.vpc_security_group_ids = v.string_list(tgt, "target", "vpc_security_group_ids");
    static const std::regex kSg(R"(^sg-[0-9a-f]{8}([0-9a-f]{9})?$)");
    for (std::size_t i = 0; i < t.vpc_security_group_ids.size(); ++i) {
        if (!std::regex_match(t.vpc_security_group_ids[i], kSg)) {
            v.fail("target.vpc_security_group_ids[" + std::to_string(i) + "]", "'" + t.vpc_security_group_ids[i] + "' is not a security group id such as sg-0a1b2c3d");
        }
    }
    t.db_cluster_parameter_group = v.string(tgt, "target", "db_cluster_parameter_group", false).value_or("");
    t.db_instance_parameter_group = v.string(tgt, "target", "db_instance_parameter_group", false).value_or("");
    t.kms_key_id = v.string(tgt, "target", "kms_key_id", false).value_or("");
    if (!t.kms_key_id.empty()) {
        static const std::regex kKey(R"(^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[A-Za-z0-9/_-]+)$)");
        const auto arn = aws::parse_arn(t.kms_key_id);
        if (arn ? arn->service != "kms" : !std::regex_match(t.kms_key_id, kKey)) {
            v.fail("target.kms_key_id", "'" + t.kms_key_id + "' is not a KMS key id, alias/NAME or key ARN");
        } else if (arn && !t.region.empty() && arn->region != t.region) {
            v.fail("target.kms_key_id", "the key is in " + arn->region + " but the target is in " + t.region + " (a KMS key must be in the target region)");
        }
    }
    t.engine_version = v.string(tgt, "target", "engine_version", false).value_or("");
    if (auto p = v.integer(tgt, "target", "port", 1150, 65535)) t.port = static_cast<int>(*p);
    t.deletion_protection = v.boolean(tgt, "target", "deletion_protection").value_or(false);
    t.tags = v.tags(tgt, "target", "tags", true);
    if (auto ret = v.string(tgt, "target", "retired", false)) {
        if (*ret == "delete") t.retired = RetiredAction::remove;
        else if (*ret == "keep") t.retired = RetiredAction::keep;
        else v.fail("target.retired", "must be delete or keep");
    }
}

void validate_rest(Validator& v, const json& doc, RestoreRequest& r) {
    const json& db = Validator::at(doc, "database");
    if (!db.is_null() && !db.is_object()) v.fail("database", "must be a mapping");
    r.database = db;

    const json& ar = Validator::at(doc, "archive");
    if (v.object(ar, "archive", {"snapshot", "retain_days"}, false)) {
        if (auto a = v.string(ar, "archive", "snapshot", false)) {
            if (*a == "retain") r.archive.snapshot = ArchiveAction::retain;
            else if (*a == "delete") r.archive.snapshot = ArchiveAction::remove;
            else v.fail("archive.snapshot", "must be delete or retain");
        }
        r.archive.retain_days = static_cast<int>(v.integer(ar, "archive", "retain_days", 1, 3650).value_or(7));
    }

    const json& no = Validator::at(doc, "notify");
    if (v.object(no, "notify", {"sns_topic_arn", "webhook_url"}, false)) {
        r.notify.sns_topic_arn = v.string(no, "notify", "sns_topic_arn", false).value_or("");
        if (!r.notify.sns_topic_arn.empty()) {
            const auto arn = aws::parse_arn(r.notify.sns_topic_arn);
            if (!arn || arn->service != "sns") v.fail("notify.sns_topic_arn", "is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)");
        }
        r.notify.webhook_url = v.string(no, "notify", "webhook_url", false).value_or("");
        const auto& w = r.notify.webhook_url;
        const bool loopback = w.starts_with("http://127.") || w.starts_with("http://localhost") || w.starts_with("http://[::1]");
        if (!w.empty() && !w.starts_with("https://") && !loopback) {
            v.fail("notify.webhook_url", "must be an https:// URL (plain http is accepted only on loopback)");
        }
    }

    const json& g = Validator::at(doc, "guardrails");
    if (v.object(g, "guardrails", {"protected", "allow_delete_unmanaged", "allow_disable_deletion_protection"}, false)) {
        r.guardrails.protected_patterns = v.string_list(g, "guardrails", "protected");
        r.guardrails.allow_delete_unmanaged = v.boolean(g, "guardrails", "allow_delete_unmanaged").value_or(false);
        r.guardrails.allow_disable_deletion_protection = v.boolean(g, "guardrails", "allow_disable_deletion_protection").value_or(false);
    }
}

void check_target_is_not_source(Validator& v, const RestoreRequest& r) {
    // Guardrail 1 (design.md): the target is never the source. Accounts are compared later against the
    // caller's identity; here a same-named cluster in the same region is refused outright.
    if (!r.source.cluster.empty() && r.source.cluster == r.target.cluster && r.source.region == r.target.region &&
        r.source.account.empty()) {
        v.fail("target.cluster", "'" + r.target.cluster + "' is the source cluster: the target must differ from the source");
    }
    if (r.source.method == SourceMethod::clone && r.source.region != r.target.region) {
        v.fail("source.method", "a clone needs the target in the source's region (" + r.source.region + ")");
    }
}

//! The request with every default filled in, in the same format as the input (parse_request accepts it and
//! returns the same normalized form), with unset optional members left out.
json normalize(const RestoreRequest& r) {
    auto put = [](json& obj, const char* key, const std::string& value) {
        if (!value.empty()) obj[key] = value;
    };
    json src = {{"snapshot", r.source.snapshot}, {"region", r.source.region},
                {"method", r.source.method == SourceMethod::clone ? "clone" : "snapshot"}};
    put(src, "cluster", r.source.cluster);
    if (!r.source.snapshot_tags.empty()) src["snapshot_tags"] = r.source.snapshot_tags;

    json inst = {{"count", r.target.instances.count}, {"class", r.target.instances.instance_class}};
    if (r.target.instances.serverless_v2) {
        inst["serverless_v2"] = {{"min_capacity", r.target.instances.serverless_v2->min_capacity},
                                 {"max_capacity", r.target.instances.serverless_v2->max_capacity}};
    }
    json tgt = {{"cluster", r.target.cluster}, {"region", r.target.region}, {"mode", to_string(r.target.mode)},
                {"instances", inst}, {"deletion_protection", r.target.deletion_protection},
                {"retired", r.target.retired == RetiredAction::keep ? "keep" : "delete"}};
    put(tgt, "db_subnet_group", r.target.db_subnet_group);
    if (!r.target.vpc_security_group_ids.empty()) tgt["vpc_security_group_ids"] = r.target.vpc_security_group_ids;
    put(tgt, "db_cluster_parameter_group", r.target.db_cluster_parameter_group);
    put(tgt, "db_instance_parameter_group", r.target.db_instance_parameter_group);
    put(tgt, "kms_key_id", r.target.kms_key_id);
    put(tgt, "engine_version", r.target.engine_version);
    if (r.target.port) tgt["port"] = *r.target.port;
    if (!r.target.tags.empty()) tgt["tags"] = r.target.tags;

    json n = {{"source", src}, {"target", tgt}};
    if (!r.database.is_null()) n["database"] = r.database;
    n["archive"] = {{"snapshot", r.archive.snapshot == ArchiveAction::retain ? "retain" : "delete"},
                    {"retain_days", r.archive.retain_days}};
    json notify = json::object();
    put(notify, "sns_topic_arn", r.notify.sns_topic_arn);
    put(notify, "webhook_url", r.notify.webhook_url);
    n["notify"] = notify;
    n["guardrails"] = {{"protected", r.guardrails.protected_patterns},
                       {"allow_delete_unmanaged", r.guardrails.allow_delete_unmanaged},
                       {"allow_disable_deletion_protection", r.guardrails.allow_disable_deletion_protection}};
    return n;
}

RestoreRequest validate_into(const json& doc, const std::string& default_region, Validator& v) {
    RestoreRequest r;
    if (!v.object(doc, "", {"source", "target", "database", "archive", "notify", "guardrails"}, true)) {
        if (v.problems.empty()) v.fail("(request)", "must be a mapping with source and target");
        return r;
    }
    validate_source(v, doc, default_region, r);
    validate_target(v, doc, r);
    validate_rest(v, doc, r);
    check_target_is_not_source(v, r);
    return r;
}

} // namespace

void apply_overrides(json& doc, const std::vector<std::string>& overrides) {
    for (const auto& o : overrides) {
        const auto eq = o.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw Error(ErrorCode::usage, "invalid --set '" + o + "': expected key=value", "for example --set target.instances.count=3");
        }
        const std::string key = o.substr(0, eq);
        json value = parse_yaml(o.substr(eq + 1), "--set " + key);
        json* node = &doc;
        std::size_t start = 0;
        while (true) {
            const auto dot = key.find('.', start);
            const std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            if (part.empty()) throw Error(ErrorCode::usage, "invalid --set key '" + key + "'", "use dotted field names such as target.mode");
            if (!node->is_object()) *node = json::object();
            node = &(*node)[part];
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        *node = std::move(value);
    }
}

std::vector<Problem> validate_request(const json& doc, const std::string& default_region) {
    Validator v;
    validate_into(doc, default_region, v);
    return v.problems;
}

RestoreRequest parse_request(const json& doc, const std::string& default_region) {
    Validator v;
    RestoreRequest r = validate_into(doc, default_region, v);
    if (!v.problems.empty()) {
        Error::Fields fields;
        for (const auto& p : v.problems) fields.emplace_back(p.field, p.message);
        const auto& first = v.problems.front();
        std::string hint = "see docs/request.md for the request format";
        if (v.problems.size() > 1) hint = std::to_string(v.problems.size() - 1) + " more problem(s) in the request; " + hint;
        throw Error(ErrorCode::invalid_request, "invalid request: " + first.field + ": " + first.message, hint, fields);
    }
    r.normalized = normalize(r);
    return r;
}

} // namespace aurora::pipeline
