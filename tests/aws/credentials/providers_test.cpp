#include "aws/credentials/environment_provider.hpp"
#include "aws/credentials/process_provider.hpp"
#include "aws/credentials/profile_provider.hpp"
#include "aws/credentials/web_identity_provider.hpp"
#include "common/error.hpp"
#include "common/redact.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace aurora::aws {
namespace {

using testing::FakeSts;
using testing::TempDir;

std::shared_ptr<const SharedConfig> config_of(std::shared_ptr<const Environment> env, const std::string& config,
                                              const std::string& creds, const std::string& profile = "default") {
    return std::make_shared<SharedConfig>(SharedConfig::from_text(std::move(env), config, creds, profile));
}

ErrorCode code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::internal;
}

// ---- environment ----

TEST(EnvironmentProvider, ReadsKeysTokenAndExpirationAndRegistersSecrets) {
    clear_registered_secrets_for_testing();
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_ACCESS_KEY_ID", "AKIAENVEXAMPLE");
    env->set("AWS_SECRET_ACCESS_KEY", "envSecretKeyValue123");
    env->set("AWS_SESSION_TOKEN", "envSessionTokenValue456");
    env->set("AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z");
    EnvironmentCredentialsProvider p(env);
    EXPECT_EQ(p.not_configured_reason(), "");
    const Credentials c = p.get();
    EXPECT_EQ(c.access_key_id, "AKIAENVEXAMPLE");
    EXPECT_EQ(c.secret_access_key, "envSecretKeyValue123");
    EXPECT_EQ(c.session_token, "envSessionTokenValue456");
    ASSERT_TRUE(c.expiration);
    EXPECT_EQ(format_iso8601(*c.expiration), "2030-01-02T03:04:05Z");
    EXPECT_EQ(c.source, "env");
    EXPECT_EQ(redact("x envSecretKeyValue123 envSessionTokenValue456"), "x *** ***");
}

TEST(EnvironmentProvider, MissingPiecesAreExplained) {
    auto env = std::make_shared<MapEnvironment>();
    EnvironmentCredentialsProvider p(env);
    EXPECT_NE(p.not_configured_reason(), "");
    EXPECT_EQ(code_of([&] { p.get(); }), ErrorCode::credentials);
    env->set("AWS_ACCESS_KEY_ID", "AKIA");
    EXPECT_EQ(p.not_configured_reason(), "");
    EXPECT_EQ(code_of([&] { p.get(); }), ErrorCode::credentials);
    env->set("AWS_SECRET_ACCESS_KEY", "secretsecret");
    env->set("AWS_CREDENTIAL_EXPIRATION", "tomorrow");
    EXPECT_EQ(code_of([&] { p.get(); }), ErrorCode::credentials);
    env->unset("AWS_CREDENTIAL_EXPIRATION");
    env->set("AWS_SECURITY_TOKEN", "legacyTokenValue");
    EXPECT_EQ(p.get().session_token, "legacyTokenValue");
}

// ---- profile: static keys ----

TEST(ProfileProvider, StaticKeysFromSelectedProfile) {
    auto env = std::make_shared<MapEnvironment>();
    auto cfg = config_of(env, "[profile dev]\nregion = eu-west-1\n",
                         "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = devSecret123\n"
                         "aws_session_token = devToken456\n",
                         "dev");
    ProfileCredentialsProvider p(cfg, {});
    EXPECT_EQ(p.not_configured_reason(), "");
    const Credentials c = p.get();
    EXPECT_EQ(c.access_key_id, "AKIADEV");
    EXPECT_EQ(c.secret_access_key, "devSecret123");
    EXPECT_EQ(c.session_token, "devToken456");
    EXPECT_EQ(c.source, "profile:dev");
    EXPECT_FALSE(c.expiration);
}

TEST(ProfileProvider, NotConfiguredUnlessNamedExplicitly) {
    auto env = std::make_shared<MapEnvironment>();
    ProfileCredentialsProvider implicit(config_of(env, "", "", "default"), {});
    EXPECT_NE(implicit.not_configured_reason(), "");
    // An explicitly chosen profile that does not exist is an error, not a silent fallback.
    ProfileCredentialsProvider explicit_missing(config_of(env, "", "", "nope"), {});
    EXPECT_EQ(explicit_missing.not_configured_reason(), "");
    EXPECT_EQ(code_of([&] { explicit_missing.get(); }), ErrorCode::config);
    ProfileCredentialsProvider region_only(config_of(env, "[default]\nregion = x\n", ""), {});
    EXPECT_NE(region_only.not_configured_reason(), "");
    ProfileCredentialsProvider half(config_of(env, "", "[default]\naws_access_key_id = AKIA\n"), {});
    EXPECT_EQ(code_of([&] { half.get(); }), ErrorCode::config);
}

TEST(ProfileProvider, SsoProfilesFailWithTheExportCredentialsHint) {
    auto env = std::make_shared<MapEnvironment>();
    ProfileCredentialsProvider p(config_of(env, "[profile corp]\nsso_session = corp\nsso_account_id = 1\n", "", "corp"), {});
    EXPECT_EQ(p.not_configured_reason(), "");
    try {
        p.get();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
        EXPECT_NE(e.hint().find("aws configure export-credentials --profile corp --format process"), std::string::npos);
    }
}

// ---- profile: role chains ----

TEST(ProfileProvider, AssumeRoleThroughSourceProfileChain) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    auto cfg = config_of(env,
                         "[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/Admin\nsource_profile = middle\n"
                         "role_session_name = my-session\nexternal_id = ext-123\nduration_seconds = 1800\n"
                         "region = us-west-2\n"
                         "[profile middle]\nrole_arn = arn:aws:iam::222222222222:role/Middle\nsource_profile = base\n",
                         "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = baseSecret123\n", "admin");
    ProfileCredentialsProvider p(cfg, {sts, nullptr, nullptr, &clock});
    const Credentials c = p.get();
    ASSERT_EQ(sts->assume_role_calls.size(), 2u);
    // First hop: middle's role with base's static keys.
    EXPECT_EQ(sts->assume_role_calls[0].role_arn, "arn:aws:iam::222222222222:role/Middle");
    EXPECT_EQ(sts->assume_role_calls[0].source_credentials.access_key_id, "AKIABASE");
    EXPECT_EQ(sts->assume_role_calls[0].role_session_name, "aurora-restore-1700000000");
    // Second hop: admin's role signed with the first hop's credentials.
    const AssumeRoleRequest& second = sts->assume_role_calls[1];
    EXPECT_EQ(second.role_arn, "arn:aws:iam::111111111111:role/Admin");
    EXPECT_EQ(second.source_credentials.access_key_id, "ASIAROLE1");
    EXPECT_EQ(second.role_session_name, "my-session");
    EXPECT_EQ(second.external_id, "ext-123");
    EXPECT_EQ(second.duration_seconds, 1800);
    EXPECT_EQ(second.region, "us-west-2");
    EXPECT_EQ(c.access_key_id, "ASIAROLE2");
    EXPECT_EQ(c.source, "assume_role:admin");
    EXPECT_TRUE(c.expiration);
}

TEST(ProfileProvider, SourceProfileStaticKeysWinOverItsOwnRole) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    auto cfg = config_of(env,
                         "[profile top]\nrole_arn = arn:aws:iam::1:role/Top\nsource_profile = src\n"
                         "[profile src]\nrole_arn = arn:aws:iam::1:role/Ignored\nsource_profile = top\n",
                         "[src]\naws_access_key_id = AKIASRC\naws_secret_access_key = srcSecret123\n", "top");
    ProfileCredentialsProvider p(cfg, {sts, nullptr, nullptr, &clock});
    p.get();
    ASSERT_EQ(sts->assume_role_calls.size(), 1u);
    EXPECT_EQ(sts->assume_role_calls[0].source_credentials.access_key_id, "AKIASRC");
}

TEST(ProfileProvider, SelfReferenceWithStaticKeysIsAllowed) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    auto cfg = config_of(env, "[profile me]\nrole_arn = arn:aws:iam::1:role/Me\nsource_profile = me\n",
                         "[me]\naws_access_key_id = AKIAME\naws_secret_access_key = meSecret1234\n", "me");
    ProfileCredentialsProvider p(cfg, {sts, nullptr, nullptr, &clock});
    EXPECT_EQ(p.get().access_key_id, "ASIAROLE1");
    EXPECT_EQ(sts->assume_role_calls[0].source_credentials.access_key_id, "AKIAME");
}

TEST(ProfileProvider, CyclesAreDetected) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    auto cfg = config_of(env,
                         "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
                         "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = c\n"
                         "[profile c]\nrole_arn = arn:aws:iam::1:role/C\nsource_profile = a\n"
                         "[profile self]\nrole_arn = arn:aws:iam::1:role/S\nsource_profile = self\n",
                         "", "a");
    ProfileCredentialsProvider p(cfg, {sts, nullptr, nullptr, &clock});
    try {
        p.get();
        FAIL() << "expected a cycle error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::config);
        EXPECT_NE(e.message().find("cycle"), std::string::npos) << e.message();
    }
    EXPECT_TRUE(sts->assume_role_calls.empty());
    ProfileCredentialsProvider self(config_of(env, "[profile self]\nrole_arn = arn:aws:iam::1:role/S\nsource_profile = self\n", "", "self"),
                                    {sts, nullptr, nullptr, &clock});
    EXPECT_EQ(code_of([&] { self.get(); }), ErrorCode::config);
}

TEST(ProfileProvider, BrokenRoleSettingsAreConfigErrors) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    auto run = [&](const std::string& config) {
        ProfileCredentialsProvider p(config_of(env, config, "[base]\naws_access_key_id = A\naws_secret_access_key = Bbbbb\n", "x"),
                                     {sts, nullptr, nullptr, &clock});
        return code_of([&] { p.get(); });
    };
    EXPECT_EQ(run("[profile x]\nrole_arn = r\n"), ErrorCode::config);
    EXPECT_EQ(run("[profile x]\nrole_arn = r\nsource_profile = base\ncredential_source = Environment\n"), ErrorCode::config);
    EXPECT_EQ(run("[profile x]\nrole_arn = r\nsource_profile = missing\n"), ErrorCode::config);
    EXPECT_EQ(run("[profile x]\nrole_arn = r\ncredential_source = Mars\n"), ErrorCode::config);
    EXPECT_EQ(run("[profile x]\nrole_arn = r\nsource_profile = base\nduration_seconds = soon\n"), ErrorCode::config);
    EXPECT_EQ(run("[profile x]\nrole_arn = r\nsource_profile = base\nmfa_serial = arn:mfa\n"), ErrorCode::config);
    EXPECT_EQ(run("[profile x]\nrole_arn = r\ncredential_source = Ec2InstanceMetadata\n"), ErrorCode::credentials);
    ProfileCredentialsProvider no_sts(config_of(env, "[profile x]\nrole_arn = r\nsource_profile = base\n",
                                                "[base]\naws_access_key_id = A\naws_secret_access_key = Bbbbb\n", "x"),
                                      {});
    EXPECT_EQ(code_of([&] { no_sts.get(); }), ErrorCode::credentials);
}

TEST(ProfileProvider, CredentialSourceEnvironment) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_ACCESS_KEY_ID", "AKIAFROMENV");
    env->set("AWS_SECRET_ACCESS_KEY", "fromEnvSecret");
    ProfileCredentialsProvider p(config_of(env, "[profile x]\nrole_arn = arn:aws:iam::1:role/X\ncredential_source = Environment\n", "", "x"),
                                 {sts, nullptr, nullptr, &clock});
    EXPECT_EQ(p.get().access_key_id, "ASIAROLE1");
    EXPECT_EQ(sts->assume_role_calls[0].source_credentials.access_key_id, "AKIAFROMENV");
}

TEST(ProfileProvider, CredentialSourceUsesInjectedProvider) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    auto imds = std::make_shared<StaticCredentialsProvider>(Credentials{"AKIAIMDS", "imdsSecret", "imdsTok", {}, "imds"});
    ProfileCredentialsProvider p(
        config_of(env, "[profile x]\nrole_arn = arn:aws:iam::1:role/X\ncredential_source = Ec2InstanceMetadata\n", "", "x"),
        {sts, imds, nullptr, &clock});
    p.get();
    EXPECT_EQ(sts->assume_role_calls[0].source_credentials.access_key_id, "AKIAIMDS");
}

TEST(ProfileProvider, RoleArnWinsOverStaticKeysInTheSelectedProfile) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    ProfileCredentialsProvider p(config_of(env, "[profile x]\nrole_arn = arn:aws:iam::1:role/X\nsource_profile = x\n",
                                           "[x]\naws_access_key_id = AKIAX\naws_secret_access_key = xSecret12345\n", "x"),
                                 {sts, nullptr, nullptr, &clock});
    EXPECT_EQ(p.get().source, "assume_role:x");
}

// ---- web identity ----

TEST(WebIdentityProvider, FromEnvironmentRereadsTheTokenFileOnEveryCall) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    TempDir dir;
    const std::string token_file = dir.write("token", "eyJ-first-token\n");
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
    env->set("AWS_ROLE_ARN", "arn:aws:iam::333333333333:role/Web");
    env->set("AWS_ROLE_SESSION_NAME", "web-session");
    env->set("AWS_REGION", "eu-central-1");
    WebIdentityCredentialsProvider p(WebIdentityConfig::from_environment(*env), env, sts, clock);
    EXPECT_EQ(p.not_configured_reason(), "");
    const Credentials c = p.get();
    EXPECT_EQ(c.access_key_id, "ASIAWEB1");
    ASSERT_EQ(sts->web_identity_calls.size(), 1u);
    EXPECT_EQ(sts->web_identity_calls[0].web_identity_token, "eyJ-first-token");
    EXPECT_EQ(sts->web_identity_calls[0].role_arn, "arn:aws:iam::333333333333:role/Web");
    EXPECT_EQ(sts->web_identity_calls[0].role_session_name, "web-session");
    EXPECT_EQ(sts->web_identity_calls[0].region, "eu-central-1");
    EXPECT_EQ(redact("eyJ-first-token"), "***");
    dir.write("token", "eyJ-rotated-token");
    p.get();
    ASSERT_EQ(sts->web_identity_calls.size(), 2u);
    EXPECT_EQ(sts->web_identity_calls[1].web_identity_token, "eyJ-rotated-token");
}

TEST(WebIdentityProvider, MissingPieces) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    WebIdentityCredentialsProvider none(WebIdentityConfig::from_environment(*env), env, sts, clock);
    EXPECT_NE(none.not_configured_reason(), "");
    env->set("AWS_WEB_IDENTITY_TOKEN_FILE", "/no/such/token");
    env->set("AWS_ROLE_ARN", "arn:aws:iam::1:role/W");
    WebIdentityCredentialsProvider missing_file(WebIdentityConfig::from_environment(*env), env, sts, clock);
    EXPECT_EQ(code_of([&] { missing_file.get(); }), ErrorCode::credentials);
    env->set_file("/virtual/token", "tok-abcdef");
    env->set("AWS_WEB_IDENTITY_TOKEN_FILE", "/virtual/token");
    WebIdentityCredentialsProvider no_sts(WebIdentityConfig::from_environment(*env), env, nullptr, clock);
    EXPECT_EQ(code_of([&] { no_sts.get(); }), ErrorCode::credentials);
}

TEST(ProfileProvider, WebIdentityFromProfile) {
    FakeClock clock;
    auto sts = std::make_shared<FakeSts>(clock);
    auto env = std::make_shared<MapEnvironment>();
    env->set_file("/virtual/profile-token", "profile-token-value");
    ProfileCredentialsProvider p(
        config_of(env,
                  "[profile w]\nrole_arn = arn:aws:iam::1:role/W\nweb_identity_token_file = /virtual/profile-token\n"
                  "role_session_name = ws\nregion = sa-east-1\n",
                  "", "w"),
        {sts, nullptr, nullptr, &clock});
    EXPECT_EQ(p.get().access_key_id, "ASIAWEB1");
    EXPECT_EQ(sts->web_identity_calls[0].web_identity_token, "profile-token-value");
    EXPECT_EQ(sts->web_identity_calls[0].role_session_name, "ws");
    EXPECT_EQ(sts->web_identity_calls[0].region, "sa-east-1");
}

// ---- credential_process ----

TEST(SplitCommandLine, FollowsPosixShlexRules) {
    EXPECT_EQ(split_command_line("a b\tc"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(split_command_line("prog 'one two' \"three \\\"four\\\"\" five\\ six"),
              (std::vector<std::string>{"prog", "one two", "three \"four\"", "five six"}));
    EXPECT_EQ(split_command_line("echo a;b $(x) |c"), (std::vector<std::string>{"echo", "a;b", "$(x)", "|c"}));
    EXPECT_EQ(split_command_line("x ''"), (std::vector<std::string>{"x", ""}));
    EXPECT_EQ(split_command_line("'it''s'"), (std::vector<std::string>{"its"}));
    EXPECT_THROW(split_command_line("x 'open"), Error);
    EXPECT_THROW(split_command_line("   "), Error);
}

std::string process_profile(const std::string& command) {
    return "[profile p]\ncredential_process = " + command + "\n";
}

TEST(ProcessProvider, ParsesVersion1OutputWithExpiration) {
    auto env = std::make_shared<MapEnvironment>();
    const std::string json = R"({"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "procSecret/abc+123", )"
                             R"("SessionToken": "procToken789", "Expiration": "2031-05-06T07:08:09Z"})";
    ProfileCredentialsProvider p(config_of(env, process_profile("echo '" + json + "'"), "", "p"), {});
    const Credentials c = p.get();
    EXPECT_EQ(c.access_key_id, "AKIAPROC");
    EXPECT_EQ(c.secret_access_key, "procSecret/abc+123");
    EXPECT_EQ(c.session_token, "procToken789");
    ASSERT_TRUE(c.expiration);
    EXPECT_EQ(format_iso8601(*c.expiration), "2031-05-06T07:08:09Z");
    EXPECT_EQ(c.source, "process:p");
    EXPECT_EQ(redact("procSecret/abc+123 procToken789"), "*** ***");
}

TEST(ProcessProvider, NoShellIsInvolved) {
    TempDir dir;
    const std::string marker = dir.path("injected");
    // A shell would run `touch`; execvp passes ";" and "touch" to echo as plain arguments.
    ProcessCredentialsProvider p("echo hello ; touch " + marker, "p");
    EXPECT_EQ(code_of([&] { p.get(); }), ErrorCode::credentials); // "hello ; touch ..." is not JSON
    EXPECT_FALSE(std::filesystem::exists(marker));
    ProcessCredentialsProvider sub("echo $(touch " + marker + ")", "p");
    EXPECT_EQ(code_of([&] { sub.get(); }), ErrorCode::credentials);
    EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(ProcessProvider, FailuresAreCredentialErrorsWithoutTheOutput) {
    auto expect_fail = [](const std::string& command, const std::string& must_contain) {
        ProcessCredentialsProvider p(command, "p");
        try {
            p.get();
            ADD_FAILURE() << "expected failure for " << command;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::credentials) << command;
            EXPECT_NE(e.display().find(must_contain), std::string::npos) << e.display();
            EXPECT_EQ(e.display().find("leakedSecretValue"), std::string::npos) << e.display();
        }
    };
    expect_fail("sh -c 'echo broken >&2; exit 3'", "status 3");
    expect_fail("sh -c 'echo broken >&2; exit 3'", "broken");
    expect_fail("/no/such/program-xyz", "cannot run");
    expect_fail(R"(echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "leakedSecretValue"}')", "Version");
    expect_fail(R"(echo '{"Version": 1, "SecretAccessKey": "leakedSecretValue"}')", "AccessKeyId");
    expect_fail(R"(echo 'not json leakedSecretValue')", "not a JSON object");
    expect_fail(R"(echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "leakedSecretValue", "Expiration": "soon"}')",
                "Expiration");
}

TEST(ProcessProvider, CapturesLargeOutputOnBothStreams) {
    // 200 KiB on stderr before the JSON on stdout: both pipes are drained, nothing deadlocks.
    ProcessCredentialsProvider p(
        R"(sh -c 'head -c 204800 /dev/zero | tr "\0" x >&2; echo "{\"Version\":1,\"AccessKeyId\":\"AKIABIG\",\"SecretAccessKey\":\"bigSecret\"}"')",
        "p");
    EXPECT_EQ(p.get().access_key_id, "AKIABIG");
}

} // namespace
} // namespace aurora::aws
