// Cross-check of the shared config parser against botocore (an independent implementation): the same
// config/credentials files must yield the same profiles, keys, values and sub-sections. Needs python3 with
// botocore (label botocore).
#include "aws/credentials/process_provider.hpp"
#include "aws/credentials/shared_config.hpp"
#include "support/requirements.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>

#ifndef AURORA_CREDENTIALS_TEST_DIR
#error "AURORA_CREDENTIALS_TEST_DIR must name tests/aws/credentials"
#endif

namespace aurora::aws {
namespace {

using testing::TempDir;

bool botocore_available() {
    try {
        return run_process({"python3", "-c", "import botocore.session"}).exit_code == 0;
    } catch (const std::exception&) {
        return false;
    }
}

//! Our view of every profile, in botocore's JSON shape.
nlohmann::json our_profiles(const std::string& config, const std::string& credentials) {
    auto env = std::make_shared<MapEnvironment>();
    env->set("AWS_CONFIG_FILE", config);
    env->set("AWS_SHARED_CREDENTIALS_FILE", credentials);
    const SharedConfig cfg = SharedConfig::load(env);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& name : cfg.profile_names()) {
        const Profile& p = *cfg.profile(name);
        nlohmann::json j = nlohmann::json::object();
        for (const auto& [k, v] : p.values) {
            const auto sub = p.sub_sections.find(k);
            if (sub != p.sub_sections.end() && !sub->second.empty()) {
                j[k] = sub->second;
            } else {
                j[k] = v;
            }
        }
        out[name] = j;
    }
    return out;
}

//! A random but valid pair of files in the dialect both parsers accept.
std::pair<std::string, std::string> random_files(std::mt19937& rng) {
    auto pick = [&](std::initializer_list<const char*> xs) { return std::string(*(xs.begin() + rng() % xs.size())); };
    auto ws = [&] { return pick({"", " ", "  ", "\t"}); };
    const std::vector<std::string> names = {"default", "dev", "prod", "ops", "a-b", "x_y", "Team1"};
    const std::vector<std::string> keys = {"region", "aws_access_key_id", "aws_secret_access_key", "output",
                                           "role_arn", "source_profile", "credential_process", "endpoint_url"};
    const std::vector<std::string> values = {"us-east-1", "AKIAEXAMPLE", "wJalr/XUtn+FEMI=K7MDENG", "json",
                                             "arn:aws:iam::123456789012:role/R", "echo '{\"a\": 1}' ; x",
                                             "http://localhost:4566", "a#b;c", "v = w"};
    std::set<std::string> used_config;
    std::set<std::string> used_creds;
    std::string config;
    std::string creds;
    const int sections = 1 + static_cast<int>(rng() % 4);
    for (int s = 0; s < sections; ++s) {
        const std::string name = names[rng() % names.size()];
        const bool to_config = rng() % 2 == 0;
        auto& used = to_config ? used_config : used_creds;
        if (!used.insert(name).second) {
            continue; // botocore (strict ConfigParser) rejects repeated sections
        }
        std::string& text = to_config ? config : creds;
        if (rng() % 3 == 0) {
            text += pick({"# comment\n", "; comment\n", "\n", "   # indented comment\n"});
        }
        text += "[" + ((to_config && name != "default") ? "profile " + name : name) + "]\n";
        std::set<std::string> used_keys;
        const int props = static_cast<int>(rng() % 5);
        for (int k = 0; k < props; ++k) {
            const std::string key = keys[rng() % keys.size()];
            if (!used_keys.insert(key).second) {
                continue;
            }
            text += key + ws() + "=" + ws() + values[rng() % values.size()] + ws() + "\n";
        }
        if (rng() % 3 == 0 && used_keys.insert("s3").second) {
            text += "s3 =\n" + pick({"  ", "\t", "    "}) + "max_concurrent_requests = 10\n  addressing_style=path\n";
        }
    }
    return {config, creds};
}

class BotocoreConfigTest : public ::testing::Test {
protected:
    void compare(const std::vector<std::pair<std::string, std::string>>& cases) {
        TempDir dir;
        std::vector<std::string> argv = {"python3", std::string(AURORA_CREDENTIALS_TEST_DIR) + "/botocore_profiles.py"};
        std::vector<std::pair<std::string, std::string>> paths;
        for (std::size_t i = 0; i < cases.size(); ++i) {
            paths.emplace_back(dir.write("config" + std::to_string(i), cases[i].first),
                               dir.write("credentials" + std::to_string(i), cases[i].second));
            argv.push_back(paths.back().first);
            argv.push_back(paths.back().second);
        }
        const ProcessResult r = run_process(argv);
        ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
        const auto theirs = nlohmann::json::parse(r.stdout_text);
        ASSERT_EQ(theirs.size(), cases.size());
        for (std::size_t i = 0; i < cases.size(); ++i) {
            ASSERT_FALSE(theirs[i].contains("error")) << "botocore refused case " << i << ":\n"
                                                      << cases[i].first << "\n---\n" << cases[i].second;
            EXPECT_EQ(our_profiles(paths[i].first, paths[i].second), theirs[i]["profiles"])
                << "case " << i << ":\n" << cases[i].first << "\n--- credentials ---\n" << cases[i].second;
        }
    }
};

TEST_F(BotocoreConfigTest, HandWrittenFilesMatch) {
    AURORA_REQUIRE(botocore_available(), "python3 with botocore (scripts/setup.sh)");
    compare({
        {"[default]\nregion = us-east-1\noutput = json\n[profile dev]\nregion=eu-west-1\nrole_arn = arn:aws:iam::1:role/D\n"
         "source_profile = default\n",
         "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s3cr3t/+=\n[dev]\nregion = ap-south-1\n"},
        {"# top comment\n; another\n[profile a]\ns3 =\n  max_concurrent_requests = 10\n  signature_version = s3v4\n"
         "region = us-west-2\n[sso-session corp]\nsso_region = us-east-1\n[services local]\nrds =\n  endpoint_url = http://x\n",
         ""},
        {"[default]\nREGION = Us-East-1\ncredential_process = echo 'a = b' # not a comment\n", "[other]\nkey=value=more\n"},
        {"", "[default]\naws_access_key_id=AKIA\naws_secret_access_key=abc\naws_session_token=tok#;x\n"},
        {"[profile \"my dev\"]\nregion = a\n[profiledev]\nregion = b\n[profile  spaced]\nregion = c\n"
         "[profile x y]\nregion = d\n[default] ; trailing comment\nregion = e\n",
         ""},
    });
}

TEST_F(BotocoreConfigTest, RandomFilesMatch) {
    AURORA_REQUIRE(botocore_available(), "python3 with botocore (scripts/setup.sh)");
    std::mt19937 rng(424242);
    std::vector<std::pair<std::string, std::string>> cases;
    for (int i = 0; i < 100; ++i) {
        cases.push_back(random_files(rng));
    }
    compare(cases);
}

} // namespace
} // namespace aurora::aws
