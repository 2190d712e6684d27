#include "aws/dynamodb/dynamodb_client.hpp"

#include "aws/aws_error.hpp"

#include <utility>

namespace aurora::aws::dynamodb {

std::optional<ErrorCode> dynamodb_error_code(const std::string& aws_code, int /*http_status*/) {
    if (aws_code == "ResourceNotFoundException") {
        return ErrorCode::not_found;
    }
    if (aws_code == "ConditionalCheckFailedException") {
        return ErrorCode::invalid_state;
    }
    if (aws_code == "ItemCollectionSizeLimitExceededException" || aws_code == "LimitExceededException") {
        return ErrorCode::quota_exceeded;
    }
    if (aws_code == "TransactionConflictException") {
        return ErrorCode::locked;
    }
    return std::nullopt;
}

ServiceDescriptor dynamodb_service() {
    return ServiceDescriptor{"DynamoDB", "dynamodb", "dynamodb", "2012-08-10", Protocol::json_1_0, "DynamoDB_20120810"};
}

DynamoDbClient::DynamoDbClient(ClientContext context)
    : core_(dynamodb_service(), std::move(context), dynamodb_error_code) {}

namespace {

void add_string(nlohmann::json& body, const char* key, const std::string& value) {
    if (!value.empty()) {
        body[key] = value;
    }
}

void add_expressions(nlohmann::json& body, const Expressions& e) {
    if (e.names.is_object() && !e.names.empty()) {
        body["ExpressionAttributeNames"] = e.names;
    }
    if (e.values.is_object() && !e.values.empty()) {
        body["ExpressionAttributeValues"] = e.values;
    }
}

} // namespace

std::optional<Item> DynamoDbClient::get_item(const GetItemRequest& req) {
    nlohmann::json body{{"TableName", req.table}, {"Key", req.key}};
    if (req.consistent_read) {
        body["ConsistentRead"] = true;
    }
    add_string(body, "ProjectionExpression", req.projection_expression);
    if (req.expression_attribute_names.is_object() && !req.expression_attribute_names.empty()) {
        body["ExpressionAttributeNames"] = req.expression_attribute_names;
    }
    const JsonResponse resp = core_.json("GetItem", body);
    // An absent key answers {} (no "Item"), which is a value, not an error.
    return resp.result().raw("Item");
}

WriteResult DynamoDbClient::conditional_write(const std::string& operation, const nlohmann::json& body) {
    WriteResult out;
    try {
        const JsonResponse resp = core_.json(operation, body);
        if (auto attrs = resp.result().raw("Attributes")) {
            out.attributes = std::move(*attrs);
        }
    } catch (const AwsError& e) {
        if (e.aws_code() != "ConditionalCheckFailedException") {
            throw;
        }
        out.condition_failed = true;
    }
    return out;
}

WriteResult DynamoDbClient::put_item(const PutItemRequest& req) {
    nlohmann::json body{{"TableName", req.table}, {"Item", req.item}};
    add_string(body, "ConditionExpression", req.condition_expression);
    add_expressions(body, req.expressions);
    add_string(body, "ReturnValues", req.return_values);
    return conditional_write("PutItem", body);
}

WriteResult DynamoDbClient::update_item(const UpdateItemRequest& req) {
    nlohmann::json body{{"TableName", req.table}, {"Key", req.key}};
    add_string(body, "UpdateExpression", req.update_expression);
    add_string(body, "ConditionExpression", req.condition_expression);
    add_expressions(body, req.expressions);
    add_string(body, "ReturnValues", req.return_values);
    return conditional_write("UpdateItem", body);
}

WriteResult DynamoDbClient::delete_item(const DeleteItemRequest& req) {
    nlohmann::json body{{"TableName", req.table}, {"Key", req.key}};
    add_string(body, "ConditionExpression", req.condition_expression);
    add_expressions(body, req.expressions);
    add_string(body, "ReturnValues", req.return_values);
    return conditional_write("DeleteItem", body);
}

QueryResult DynamoDbClient::query(const QueryRequest& req) {
    nlohmann::json body{{"TableName", req.table}};
    add_string(body, "IndexName", req.index_name);
    add_string(body, "KeyConditionExpression", req.key_condition_expression);
    add_string(body, "FilterExpression", req.filter_expression);
    add_string(body, "ProjectionExpression", req.projection_expression);
    add_expressions(body, req.expressions);
    if (req.consistent_read) {
        body["ConsistentRead"] = true;
    }
    if (req.limit) {
        body["Limit"] = *req.limit;
    }
    if (req.scan_index_forward) {
        body["ScanIndexForward"] = *req.scan_index_forward;
    }
    if (req.exclusive_start_key) {
        body["ExclusiveStartKey"] = *req.exclusive_start_key;
    }
    const JsonResponse resp = core_.json("Query", body);
    const JsonReader r = resp.result();
    QueryResult out;
    if (auto items = r.raw("Items"); items && items->is_array()) {
        for (auto& item : *items) {
            out.items.push_back(std::move(item));
        }
    }
    out.last_evaluated_key = r.raw("LastEvaluatedKey");
    out.count = r.integer("Count").value_or(0);
    out.scanned_count = r.integer("ScannedCount").value_or(0);
    return out;
}

std::vector<Item> DynamoDbClient::query_all(QueryRequest req) {
    std::vector<Item> all;
    for (;;) {
        QueryResult page = query(req);
        std::move(page.items.begin(), page.items.end(), std::back_inserter(all));
        if (!page.last_evaluated_key || page.last_evaluated_key->empty()) {
            return all;
        }
        if (req.exclusive_start_key && *req.exclusive_start_key == *page.last_evaluated_key) {
            throw Error(ErrorCode::aws_service, "dynamodb query on table '" + req.table +
                                                    "' returned the same LastEvaluatedKey twice");
        }
        req.exclusive_start_key = std::move(page.last_evaluated_key);
    }
}

} // namespace aurora::aws::dynamodb
