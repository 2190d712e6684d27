#include "aws/sts/sts_client.hpp"

#include "common/redact.hpp"

#include <utility>

namespace aurora::aws::sts {

std::optional<ErrorCode> sts_error_code(const std::string& aws_code, int /*http_status*/) {
    if (aws_code == "ExpiredTokenException" || aws_code == "InvalidIdentityToken" ||
        aws_code == "IDPRejectedClaim" || aws_code == "IDPCommunicationError") {
        return ErrorCode::credentials;
    }
    if (aws_code == "RegionDisabledException") {
        return ErrorCode::access_denied;
    }
    if (aws_code == "MalformedPolicyDocument" || aws_code == "PackedPolicyTooLarge") {
        return ErrorCode::invalid_parameter;
    }
    return std::nullopt;
}

ServiceDescriptor sts_service() {
    return ServiceDescriptor{"STS", "sts", "sts", "2011-06-15", Protocol::query, ""};
}

StsClient::StsClient(ClientContext context) : core_(sts_service(), std::move(context), sts_error_code) {}

CallerIdentity StsClient::get_caller_identity() {
    const XmlResponse resp = core_.query("GetCallerIdentity", QueryParams{});
    const XmlNode r = resp.result();
    return CallerIdentity{r.text("Account").value_or(""), r.text("Arn").value_or(""), r.text("UserId").value_or("")};
}

namespace {

//! Reads the <Credentials> and <AssumedRoleUser> shared by both AssumeRole answers, registering the
//! secret key and session token before anything else can see them.
AssumedRole parse_assumed_role(const XmlNode& r) {
    AssumedRole out;
    const XmlNode c = r.child("Credentials");
    if (!c.valid()) {
        throw Error(ErrorCode::aws_service, "sts answered without credentials");
    }
    out.credentials.access_key_id = c.text("AccessKeyId").value_or("");
    out.credentials.secret_access_key = c.text("SecretAccessKey").value_or("");
    out.credentials.session_token = c.text("SessionToken").value_or("");
    register_secret(out.credentials.secret_access_key);
    register_secret(out.credentials.session_token);
    out.credentials.expiration = c.timestamp("Expiration");
    out.credentials.source = "sts";
    const XmlNode user = r.child("AssumedRoleUser");
    if (user.valid()) {
        out.assumed_role_arn = user.text("Arn").value_or("");
        out.assumed_role_id = user.text("AssumedRoleId").value_or("");
    }
    out.packed_policy_size = r.integer("PackedPolicySize");
    out.source_identity = r.text("SourceIdentity").value_or("");
    return out;
}

void add_common(QueryParams& p, const std::string& role_arn, const std::string& session_name,
                const std::optional<std::int64_t>& duration, const std::string& policy) {
    p.add("RoleArn", role_arn);
    p.add("RoleSessionName", session_name);
    if (!policy.empty()) {
        p.add("Policy", policy);
    }
    if (duration) {
        p.add_int("DurationSeconds", *duration);
    }
}

} // namespace

AssumedRole StsClient::assume_role(const AssumeRoleParams& params) {
    QueryParams p;
    add_common(p, params.role_arn, params.role_session_name, params.duration_seconds, params.policy);
    // STS's tagListType uses the default member name: Tags.member.N.Key / .Value.
    p.add_tags("Tags", params.tags, "member");
    if (!params.external_id.empty()) {
        p.add("ExternalId", params.external_id);
    }
    if (!params.source_identity.empty()) {
        p.add("SourceIdentity", params.source_identity);
    }
    const XmlResponse resp = core_.query("AssumeRole", p);
    return parse_assumed_role(resp.result());
}

AssumedRole StsClient::assume_role_with_web_identity(const WebIdentityParams& params) {
    register_secret(params.web_identity_token);
    QueryParams p;
    p.add("RoleArn", params.role_arn);
    p.add("RoleSessionName", params.role_session_name);
    p.add("WebIdentityToken", params.web_identity_token);
    if (!params.policy.empty()) {
        p.add("Policy", params.policy);
    }
    if (params.duration_seconds) {
        p.add_int("DurationSeconds", *params.duration_seconds);
    }
    const XmlResponse resp = core_.query("AssumeRoleWithWebIdentity", p);
    const XmlNode r = resp.result();
    AssumedRole out = parse_assumed_role(r);
    out.subject_from_web_identity_token = r.text("SubjectFromWebIdentityToken").value_or("");
    out.audience = r.text("Audience").value_or("");
    out.provider = r.text("Provider").value_or("");
    return out;
}

namespace {

//! Sends requests without SigV4 authentication: AwsClient always signs, and AssumeRoleWithWebIdentity
//! must go unsigned (the STS API reference: "Calling AssumeRoleWithWebIdentity does not require the use
//! of AWS security credentials"), as botocore sends it with UNSIGNED. Strips what the signer added.
class UnsignedHttpClient final : public HttpClient {
public:
    explicit UnsignedHttpClient(std::shared_ptr<HttpClient> inner) : inner_(std::move(inner)) {}
    HttpResponse send(const HttpRequest& request) override {
        HttpRequest unsigned_request = request;
        unsigned_request.headers.remove("Authorization");
        unsigned_request.headers.remove("X-Amz-Security-Token");
        unsigned_request.headers.remove("X-Amz-Date");
        return inner_->send(unsigned_request);
    }

private:
    std::shared_ptr<HttpClient> inner_;
};

} // namespace

StsCredentialsAdapter::StsCredentialsAdapter(ClientContext base) : base_(std::move(base)) {}

ClientContext StsCredentialsAdapter::context_for(const std::string& region) const {
    ClientContext ctx = base_;
    if (!region.empty()) {
        ctx.region = region;
    }
    return ctx;
}

Credentials StsCredentialsAdapter::assume_role(const AssumeRoleRequest& request) {
    // Each hop of a role chain signs with the previous hop's credentials, never the ambient provider.
    ClientContext ctx = context_for(request.region);
    ctx.credentials = std::make_shared<StaticCredentialsProvider>(request.source_credentials);
    StsClient client(std::move(ctx));
    AssumeRoleParams p;
    p.role_arn = request.role_arn;
    p.role_session_name = request.role_session_name;
    p.external_id = request.external_id.value_or("");
    if (request.duration_seconds) {
        p.duration_seconds = *request.duration_seconds;
    }
    p.policy = request.policy.value_or("");
    return client.assume_role(p).credentials;
}

Credentials StsCredentialsAdapter::assume_role_with_web_identity(const WebIdentityRequest& request) {
    // AssumeRoleWithWebIdentity is unsigned: the token is the proof. The placeholder credentials only
    // satisfy AwsClient; the signature they produce is stripped before the request leaves.
    ClientContext ctx = context_for(request.region);
    ctx.http = std::make_shared<UnsignedHttpClient>(ctx.http);
    ctx.credentials = std::make_shared<StaticCredentialsProvider>(
        Credentials{"UNSIGNED", "UNSIGNED-REQUEST", "", std::nullopt, "unsigned"});
    StsClient client(std::move(ctx));
    WebIdentityParams p;
    p.role_arn = request.role_arn;
    p.role_session_name = request.role_session_name;
    p.web_identity_token = request.web_identity_token;
    if (request.duration_seconds) {
        p.duration_seconds = *request.duration_seconds;
    }
    return client.assume_role_with_web_identity(p).credentials;
}

} // namespace aurora::aws::sts
