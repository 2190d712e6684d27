// JSONPath subset, payload templates and intrinsic functions, checked against the examples of the AWS
// Step Functions developer guide ("Input and output processing", "Intrinsic functions").
#include "common/error.hpp"
#include "engine/io_processing.hpp"
#include "engine/json_path.hpp"
#include "engine/payload.hpp"
#include "engine/task_error.hpp"

#include <gtest/gtest.h>

namespace aurora::engine {
namespace {

const json kNoContext = json::object();

TEST(JsonPath, SelectsFieldsIndexesAndQuotedNames) {
    const json in = json::parse(R"({"a":{"b":[10,{"c":"x"}]},"sp ace":1})");
    EXPECT_EQ(JsonPath::parse("$").select(in, kNoContext), in);
    EXPECT_EQ(JsonPath::parse("$.a.b[0]").select(in, kNoContext), json(10));
    EXPECT_EQ(JsonPath::parse("$.a.b[1].c").select(in, kNoContext), json("x"));
    EXPECT_EQ(JsonPath::parse("$['sp ace']").select(in, kNoContext), json(1));
    EXPECT_FALSE(JsonPath::parse("$.a.missing").select(in, kNoContext).has_value());
    EXPECT_FALSE(JsonPath::parse("$.a.b[5]").select(in, kNoContext).has_value());
    EXPECT_FALSE(JsonPath::parse("$.a.b.c").select(in, kNoContext).has_value());
}

TEST(JsonPath, ContextObjectPaths) {
    const json ctx = json{{"Execution", {{"Id", "ex-1"}}}, {"State", {{"Name", "Copy"}}}};
    EXPECT_EQ(JsonPath::parse("$$.Execution.Id").select(json::object(), ctx), json("ex-1"));
    EXPECT_EQ(JsonPath::parse("$$.State.Name").select(json::object(), ctx), json("Copy"));
    EXPECT_THROW(JsonPath::parse("$$.Execution.Id", false), Error);
}

TEST(JsonPath, RejectsUnsupportedSyntaxWithTheReason) {
    for (const char* bad : {"a.b", "$.a[*]", "$..a", "$.a[?(@.x)]", "$.", "$.a[1", "$[0:2]"}) {
        try {
            JsonPath::parse(bad);
            ADD_FAILURE() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::config);
            EXPECT_NE(e.message().find(bad), std::string::npos) << e.message();
        }
    }
}

TEST(JsonPath, AssignCreatesObjectsAndRefusesScalars) {
    json target = json{{"a", 1}};
    JsonPath::parse("$.x.y").assign(target, json("v"));
    EXPECT_EQ(target, json::parse(R"({"a":1,"x":{"y":"v"}})"));
    EXPECT_THROW(JsonPath::parse("$.a.b").assign(target, json(2)), Error);
}

// "InputPath" example: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
TEST(IoProcessing, InputPathExampleFromTheDocs) {
    const json input = json::parse(R"({"comment":"Example for InputPath.",
        "dataset1":{"val1":1,"val2":2,"val3":3},"dataset2":{"val1":"a","val2":"b","val3":"c"}})");
    PathField p;
    p.path = JsonPath::parse("$.dataset2");
    EXPECT_EQ(apply_input_path(p, input, kNoContext), json::parse(R"({"val1":"a","val2":"b","val3":"c"})"));
    p.is_null = true;
    EXPECT_EQ(apply_input_path(p, input, kNoContext), json::object());
}

// "Parameters" example from the same page.
TEST(IoProcessing, ParametersExampleFromTheDocs) {
    const json input = json::parse(R"({"comment":"Example for Parameters.",
        "product":{"details":{"color":"blue","size":"small","material":"cotton"},
        "availability":"in stock","sku":"2317","cost":"$23"}})");
    const json params = json::parse(R"({"comment":"Selecting what I care about.",
        "MyDetails":{"size.$":"$.product.details.size","exists.$":"$.product.availability","StaticValue":"foo"}})");
    validate_template(params, "test");
    EXPECT_EQ(apply_template(params, input, kNoContext), json::parse(R"({"comment":"Selecting what I care about.",
        "MyDetails":{"size":"small","exists":"in stock","StaticValue":"foo"}})"));
}

// "ResultSelector" example from the same page.
TEST(IoProcessing, ResultSelectorExampleFromTheDocs) {
    const json result = json::parse(R"({"resourceType":"elasticmapreduce","resource":"createCluster.sync",
        "output":{"SdkHttpMetadata":{"HttpStatusCode":200},"SdkResponseMetadata":{"RequestId":"1234-5678-9012"},
        "ClusterId":"AKIAIOSFODNN7EXAMPLE"}})");
    const json selector = json::parse(R"({"ClusterId.$":"$.output.ClusterId","ResourceType.$":"$.resourceType"})");
    EXPECT_EQ(apply_template(selector, result, kNoContext),
              json::parse(R"({"ClusterId":"AKIAIOSFODNN7EXAMPLE","ResourceType":"elasticmapreduce"})"));
}

// "ResultPath" examples: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
TEST(IoProcessing, ResultPathExamplesFromTheDocs) {
    const json input = json::parse(R"({"comment":"This is a test of the input and output of a Task state.",
        "details":"Default example","who":"AWS Step Functions"})");
    const json result = "Hello, AWS Step Functions!";
    ResultPathField root;
    EXPECT_EQ(apply_result_path(root, input, result), result);
    ResultPathField discard;
    discard.discard = true;
    EXPECT_EQ(apply_result_path(discard, input, result), input);
    ResultPathField field;
    field.path = JsonPath::parse("$.taskresult", false);
    json expected = input;
    expected["taskresult"] = result;
    EXPECT_EQ(apply_result_path(field, input, result), expected);
    ResultPathField into_scalar;
    into_scalar.path = JsonPath::parse("$.who.x", false);
    try {
        apply_result_path(into_scalar, input, result);
        ADD_FAILURE() << "expected ResultPathMatchFailure";
    } catch (const TaskError& e) {
        EXPECT_EQ(e.error(), "States.ResultPathMatchFailure");
    }
}

TEST(Payload, MissingPathIsAParameterPathFailure) {
    try {
        apply_template(json{{"x.$", "$.nope"}}, json::object(), kNoContext);
        ADD_FAILURE();
    } catch (const TaskError& e) {
        EXPECT_EQ(e.error(), "States.ParameterPathFailure");
        EXPECT_NE(e.cause().find("$.nope"), std::string::npos);
    }
}

TEST(Payload, TemplatesRecurseIntoArraysAndUseTheContext) {
    const json ctx = json{{"Execution", {{"Id", "ex-9"}}}};
    const json tmpl = json::parse(R"({"items":[{"id.$":"$$.Execution.Id"},3],"plain":{"k":"v"}})");
    EXPECT_EQ(apply_template(tmpl, json::object(), ctx), json::parse(R"({"items":[{"id":"ex-9"},3],"plain":{"k":"v"}})"));
}

TEST(Payload, ValidationNamesTheField) {
    try {
        validate_template(json{{"a", {{"b.$", 3}}}}, "state 'S' Parameters");
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_NE(e.message().find("state 'S' Parameters"), std::string::npos);
        EXPECT_NE(e.message().find("b.$"), std::string::npos);
    }
    EXPECT_THROW(validate_template(json{{"x.$", "States.UUID()"}}, "p"), Error);
    EXPECT_THROW(validate_template(json{{"x.$", "States.Format('a'"}}, "p"), Error);
    EXPECT_THROW(validate_template(json{{"x.$", "$.a[*]"}}, "p"), Error);
}

// Examples of https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
TEST(Intrinsics, ExamplesFromTheDocs) {
    const json in = json::parse(R"({"name":"Arnav","someString":"{\"number\": 20}",
        "someJson":{"name":"Foo","year":2020},"inputArray":[1,2,3,4,5,6,7,8,9],"index":5,"csv":"1,2,3,4,5"})");
    EXPECT_EQ(evaluate_intrinsic("States.Format('Hello, my name is {}.', $.name)", in, kNoContext),
              json("Hello, my name is Arnav."));
    EXPECT_EQ(evaluate_intrinsic("States.StringToJson($.someString)", in, kNoContext), json::parse(R"({"number":20})"));
    EXPECT_EQ(evaluate_intrinsic("States.JsonToString($.someJson)", in, kNoContext),
              json(R"({"name":"Foo","year":2020})"));
    EXPECT_EQ(evaluate_intrinsic("States.Array('Foo', 2020, $.someJson, null)", in, kNoContext),
              json::parse(R"(["Foo",2020,{"name":"Foo","year":2020},null])"));
    EXPECT_EQ(evaluate_intrinsic("States.ArrayGetItem($.inputArray, $.index)", in, kNoContext), json(6));
    EXPECT_EQ(evaluate_intrinsic("States.ArrayLength($.inputArray)", in, kNoContext), json(9));
    EXPECT_EQ(evaluate_intrinsic("States.ArrayContains($.inputArray, 4)", in, kNoContext), json(true));
    EXPECT_EQ(evaluate_intrinsic("States.MathAdd(111, -1)", in, kNoContext), json(110));
    EXPECT_EQ(evaluate_intrinsic("States.StringSplit($.csv, ',')", in, kNoContext),
              json::parse(R"(["1","2","3","4","5"])"));
}

TEST(Intrinsics, FormatEscapesNestingAndErrors) {
    const json in = json{{"id", "r-1"}, {"n", 3}, {"ok", true}};
    EXPECT_EQ(evaluate_intrinsic(R"(States.Format('\{{}\} it\'s {} {}', $.id, $.n, $.ok))", in, kNoContext),
              json("{r-1} it's 3 true"));
    EXPECT_EQ(evaluate_intrinsic("States.Format('{}-{}', States.ArrayLength(States.Array(1, 2)), $.id)", in, kNoContext),
              json("2-r-1"));
    for (const char* bad : {"States.Format('{} {}', $.id)", "States.Format('{}', $.missing)",
                            "States.StringToJson('not json')", "States.ArrayGetItem(States.Array(1), 4)"}) {
        try {
            evaluate_intrinsic(bad, in, kNoContext);
            ADD_FAILURE() << bad;
        } catch (const TaskError& e) {
            EXPECT_EQ(e.error(), "States.IntrinsicFailure") << bad;
        }
    }
}

} // namespace
} // namespace aurora::engine
