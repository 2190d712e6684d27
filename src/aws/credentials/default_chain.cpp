#include "aws/credentials/default_chain.hpp"

#include "aws/credentials/caching_provider.hpp"
#include "aws/credentials/container_provider.hpp"
#include "aws/credentials/environment_provider.hpp"
#include "aws/credentials/imds_provider.hpp"
#include "aws/credentials/profile_provider.hpp"
#include "aws/credentials/web_identity_provider.hpp"

namespace aurora::aws {

std::shared_ptr<ChainCredentialsProvider> make_default_credentials_chain(const DefaultChainOptions& options) {
    std::shared_ptr<const Environment> env = options.env ? options.env : std::make_shared<SystemEnvironment>();
    Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::instance();
    std::shared_ptr<const SharedConfig> config =
        options.config ? options.config : std::make_shared<SharedConfig>(SharedConfig::load(env, options.profile));
    auto cached = [&](std::shared_ptr<CredentialsProvider> p) {
        return std::make_shared<CachingCredentialsProvider>(std::move(p), clock, options.refresh_before);
    };

    std::shared_ptr<ContainerCredentialsProvider> container;
    std::shared_ptr<ImdsCredentialsProvider> imds;
    std::shared_ptr<CredentialsProvider> container_cached;
    std::shared_ptr<CredentialsProvider> imds_cached;
    if (options.http_factory) {
        // Why: botocore's container fetcher uses a 2 s timeout and 3 attempts; IMDS 1 s and 1 attempt
        // (sdkref feature-imds-credentials), so that the chain fails fast off EC2.
        HttpClientOptions container_http;
        container_http.connect_timeout = std::chrono::seconds(2);
        container_http.request_timeout = std::chrono::seconds(2);
        ContainerProviderOptions co;
        co.relative_uri_base = options.container_relative_uri_base;
        container = std::make_shared<ContainerCredentialsProvider>(env, options.http_factory(container_http), co);
        container_cached = cached(container);

        HttpClientOptions imds_http;
        imds_http.connect_timeout = imds_timeout_from_config(*config);
        imds_http.request_timeout = imds_timeout_from_config(*config);
        imds = std::make_shared<ImdsCredentialsProvider>(options.http_factory(imds_http), imds_options_from_config(*config));
        imds_cached = cached(imds);
    }

    std::vector<CredentialSource> sources;
    auto env_provider = std::make_shared<EnvironmentCredentialsProvider>(env);
    // Why: botocore: "An explicitly provided profile will negate an EnvProvider" (`--profile x` beats
    // AWS_ACCESS_KEY_ID); AWS_PROFILE from the environment does not.
    const bool explicit_profile = options.profile && !options.profile->empty();
    sources.push_back({"environment",
                       [env_provider, explicit_profile] {
                           return explicit_profile ? std::string("skipped: a profile was named explicitly")
                                                   : env_provider->not_configured_reason();
                       },
                       cached(env_provider), false});

    ProfileProviderDeps deps{options.sts, imds_cached, container_cached, &clock};
    auto profile = std::make_shared<ProfileCredentialsProvider>(config, deps);
    sources.push_back({"profile '" + config->profile_name() + "'", [profile] { return profile->not_configured_reason(); },
                       cached(profile), false});

    auto web = std::make_shared<WebIdentityCredentialsProvider>(WebIdentityConfig::from_environment(*env), env,
                                                                options.sts, clock);
    sources.push_back({"web identity", [web] { return web->not_configured_reason(); }, cached(web), false});

    if (container) {
        sources.push_back({"container", [container] { return container->not_configured_reason(); }, container_cached, false});
    } else {
        sources.push_back({"container", [] { return std::string("no HTTP client configured"); }, nullptr, false});
    }
    if (imds) {
        sources.push_back({"imds",
                           [env] {
                               return imds_disabled(*env) ? std::string("AWS_EC2_METADATA_DISABLED is true") : std::string{};
                           },
                           imds_cached, true});
    } else {
        sources.push_back({"imds", [] { return std::string("no HTTP client configured"); }, nullptr, true});
    }
    return std::make_shared<ChainCredentialsProvider>(std::move(sources));
}

} // namespace aurora::aws
