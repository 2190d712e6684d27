// STS, SNS and CloudWatch clients (Query protocol) against a scripted transport.

#include "fake_http.hpp"

#include "aws/aws_error.hpp"
#include "aws/cloudwatch/cloudwatch_client.hpp"
#include "aws/sns/sns_client.hpp"
#include "aws/sts/sts_client.hpp"
#include "common/redact.hpp"

#include <gtest/gtest.h>

#include <string>

namespace aurora::aws::testing {
namespace {

std::string query_error(const std::string& code) {
    return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code +
           "</Code><Message>m</Message></Error><RequestId>rid-9</RequestId></ErrorResponse>";
}

const std::string kAssumeRoleResponse = R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>DevUser123</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/John</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:John</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>)";

TEST(StsClient, GetCallerIdentity) {
    TestContext t;
    t.http->push(200, R"(<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
   <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>)");
    sts::StsClient sts(t.context());
    const auto id = sts.get_caller_identity();
    EXPECT_EQ(id.account, "123456789012");
    EXPECT_EQ(id.arn, "arn:aws:iam::123456789012:user/Alice");
    EXPECT_EQ(id.user_id, "AIDACKCEVSQ6C2EXAMPLE");
    EXPECT_EQ(t.http->last().body, "Action=GetCallerIdentity&Version=2011-06-15");
    EXPECT_EQ(t.http->last().host, "sts.us-east-1.amazonaws.com");
}

TEST(StsClient, AssumeRoleParsesAndRegistersTheCredentials) {
    clear_registered_secrets_for_testing();
    TestContext t;
    t.http->push(200, kAssumeRoleResponse);
    sts::StsClient sts(t.context());
    sts::AssumeRoleParams p;
    p.role_arn = "arn:aws:iam::123456789012:role/demo";
    p.role_session_name = "John";
    p.duration_seconds = 3600;
    p.external_id = "ext-1";
    p.tags = {{"Project", "Unicorn"}};
    const auto role = sts.assume_role(p);
    EXPECT_EQ(t.http->last().body,
              "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo"
              "&RoleSessionName=John&DurationSeconds=3600&Tags.member.1.Key=Project&Tags.member.1.Value=Unicorn"
              "&ExternalId=ext-1");
    EXPECT_EQ(role.credentials.access_key_id, "ASIAIOSFODNN7EXAMPLE");
    EXPECT_EQ(role.assumed_role_arn, "arn:aws:sts::123456789012:assumed-role/demo/John");
    EXPECT_EQ(role.packed_policy_size, 6);
    ASSERT_TRUE(role.credentials.expiration.has_value());
    EXPECT_EQ(format_iso8601(*role.credentials.expiration), "2019-11-09T13:34:41Z");
    EXPECT_EQ(redact("k=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"), "k=***");
    EXPECT_EQ(redact(role.credentials.session_token), "***");
}

TEST(StsCredentialsAdapter, SignsWithTheSourceCredentialsInTheRequestedRegion) {
    TestContext t;
    t.http->push(200, kAssumeRoleResponse);
    ClientContext base = t.context("us-east-1");
    base.credentials = nullptr; // the adapter must not need ambient credentials
    sts::StsCredentialsAdapter adapter(base);
    AssumeRoleRequest req;
    req.role_arn = "arn:aws:iam::123456789012:role/demo";
    req.role_session_name = "hop-2";
    req.region = "eu-west-1";
    req.source_credentials = Credentials{"ASIASOURCEHOP1", "source-secret-key-1", "source-token-1", std::nullopt, "p"};
    const Credentials c = adapter.assume_role(req);
    EXPECT_EQ(c.access_key_id, "ASIAIOSFODNN7EXAMPLE");
    const HttpRequest sent = t.http->last();
    EXPECT_EQ(sent.host, "sts.eu-west-1.amazonaws.com");
    EXPECT_NE(sent.headers.get("Authorization")->find("Credential=ASIASOURCEHOP1/20231114/eu-west-1/sts/"),
              std::string::npos);
    EXPECT_EQ(sent.headers.get("X-Amz-Security-Token"), "source-token-1");
}

TEST(StsCredentialsAdapter, WebIdentityGoesUnsigned) {
    clear_registered_secrets_for_testing();
    TestContext t;
    t.http->push(200, R"(<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/web/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <SessionToken>web-session-token-xyz</SessionToken>
      <SecretAccessKey>web-secret-access-key</SecretAccessKey>
      <Expiration>2024-01-31T12:00:00Z</Expiration>
      <AccessKeyId>ASIAWEB</AccessKeyId>
    </Credentials>
    <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>)");
    sts::StsCredentialsAdapter adapter(t.context("us-west-2"));
    WebIdentityRequest req;
    req.role_arn = "arn:aws:iam::123456789012:role/web";
    req.role_session_name = "s";
    req.web_identity_token = "eyJhbGciOiJSUzI1NiJ9.web-identity-token";
    const Credentials c = adapter.assume_role_with_web_identity(req);
    EXPECT_EQ(c.access_key_id, "ASIAWEB");
    EXPECT_EQ(c.session_token, "web-session-token-xyz");
    const HttpRequest sent = t.http->last();
    EXPECT_FALSE(sent.headers.contains("Authorization"));
    EXPECT_FALSE(sent.headers.contains("X-Amz-Security-Token"));
    EXPECT_EQ(form_map(sent.body)["WebIdentityToken"], req.web_identity_token);
    EXPECT_EQ(redact(req.web_identity_token), "***");
    EXPECT_EQ(redact("web-secret-access-key"), "***");
}

TEST(StsClient, MapsErrors) {
    TestContext t;
    t.http->push(400, query_error("ExpiredTokenException"));
    t.http->push(403, query_error("RegionDisabledException"));
    sts::StsClient sts(t.context());
    try {
        sts.get_caller_identity();
        FAIL();
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::credentials);
        EXPECT_EQ(e.request_id(), "rid-9");
    }
    try {
        sts.assume_role({"arn:aws:iam::1:role/r", "s", "", std::nullopt, "", {}, ""});
        FAIL();
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::access_denied);
    }
}

TEST(SnsClient, PublishWithAttributes) {
    TestContext t;
    t.http->push(200, R"(<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>
  <ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata>
</PublishResponse>)");
    sns::SnsClient sns(t.context("us-west-2"));
    sns::PublishRequest req;
    req.topic_arn = "arn:aws:sns:us-west-2:123456789012:db-restores";
    req.message = "restore r-1 succeeded";
    req.subject = "aurora-restore: staging-orders";
    req.message_attributes = {{"restore_id", "String", "r-1"}};
    EXPECT_EQ(sns.publish(req), "567910cd-659e-55d4-8ccb-5aaf14679dc0");
    EXPECT_EQ(t.http->last().body,
              "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-west-2%3A123456789012%3Adb-restores"
              "&Message=restore%20r-1%20succeeded&Subject=aurora-restore%3A%20staging-orders"
              "&MessageAttributes.entry.1.Name=restore_id&MessageAttributes.entry.1.Value.DataType=String"
              "&MessageAttributes.entry.1.Value.StringValue=r-1");
    EXPECT_EQ(t.http->last().host, "sns.us-west-2.amazonaws.com");
}

TEST(SnsClient, MissingTopicIsNotFound) {
    TestContext t;
    t.http->push(404, query_error("NotFound"));
    sns::SnsClient sns(t.context());
    try {
        sns.publish({"arn:aws:sns:us-east-1:1:gone", "m", "", {}, "", ""});
        FAIL();
    } catch (const AwsError& e) {
        EXPECT_EQ(e.code(), ErrorCode::not_found);
    }
}

TEST(SnsClient, CreateTopic) {
    TestContext t;
    t.http->push(200, "<CreateTopicResponse><CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:1:t</TopicArn>"
                      "</CreateTopicResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                      "</CreateTopicResponse>");
    sns::SnsClient sns(t.context());
    EXPECT_EQ(sns.create_topic("t", {{"DisplayName", "restores"}}), "arn:aws:sns:us-east-1:1:t");
    EXPECT_EQ(t.http->last().body, "Action=CreateTopic&Version=2010-03-31&Name=t&Attributes.entry.1.key=DisplayName"
                                   "&Attributes.entry.1.value=restores");
}

TEST(CloudWatchClient, PutMetricDataBodyAndBatching) {
    TestContext t;
    const std::string ok = "<PutMetricDataResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                           "</PutMetricDataResponse>";
    t.http->push(200, ok);
    t.http->push(200, ok);
    t.http->push(200, ok);
    cloudwatch::CloudWatchClient cw(t.context());
    cloudwatch::MetricDatum d;
    d.metric_name = "RestoreDuration";
    d.dimensions = {{"Target", "staging-orders"}};
    d.value = 1234.5;
    d.unit = "Seconds";
    d.timestamp = t.clock.now();
    cw.put_metric_data("AuroraRestore", {d});
    EXPECT_EQ(t.http->last().body,
              "Action=PutMetricData&Version=2010-08-01&Namespace=AuroraRestore"
              "&MetricData.member.1.MetricName=RestoreDuration&MetricData.member.1.Dimensions.member.1.Name=Target"
              "&MetricData.member.1.Dimensions.member.1.Value=staging-orders"
              "&MetricData.member.1.Timestamp=2023-11-14T22%3A13%3A20Z&MetricData.member.1.Value=1234.5"
              "&MetricData.member.1.Unit=Seconds");
    EXPECT_EQ(t.http->last().host, "monitoring.us-east-1.amazonaws.com");
    EXPECT_NE(t.http->last().headers.get("Authorization")->find("/us-east-1/monitoring/aws4_request"), std::string::npos);

    cw.put_metric_data("AuroraRestore", std::vector<cloudwatch::MetricDatum>(1500, d));
    const auto reqs = t.http->requests();
    ASSERT_EQ(reqs.size(), 3U);
    EXPECT_EQ(form_map(reqs[1].body).count("MetricData.member.1000.MetricName"), 1U);
    EXPECT_EQ(form_map(reqs[1].body).count("MetricData.member.1001.MetricName"), 0U);
    EXPECT_EQ(form_map(reqs[2].body).count("MetricData.member.500.MetricName"), 1U);
}

} // namespace
} // namespace aurora::aws::testing
