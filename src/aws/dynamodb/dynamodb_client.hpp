#pragma once
//! Amazon DynamoDB client (JSON 1.0 protocol, target prefix "DynamoDB_20120810"): GetItem, PutItem,
//! UpdateItem, DeleteItem and Query with condition expressions. Items and keys are attribute maps as raw
//! JSON in DynamoDB's own format ({"pk": {"S": "restore#1"}, "n": {"N": "3"}}). No transactions.
//!
//! A failed condition is an expected outcome (a lost race for a lock, a stale version), so the write calls
//! return it as a value (WriteResult::condition_failed) instead of throwing. Other errors:
//! ResourceNotFoundException -> not_found (the table), ItemCollectionSizeLimitExceededException ->
//! quota_exceeded, TransactionConflictException -> locked, ProvisionedThroughputExceeded -> throttled.

#include "aws/client/aws_client.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aurora::aws::dynamodb {

//! The catalogue code for one of this service's error codes (nullopt: the generic mapping applies).
std::optional<ErrorCode> dynamodb_error_code(const std::string& aws_code, int http_status);
//! The service descriptor (endpoint prefix, signing name, API version, protocol).
ServiceDescriptor dynamodb_service();

//! An attribute map ({"name": {"S": "..."}}).
using Item = nlohmann::json;

//! Expression parts shared by the calls: ExpressionAttributeNames ({"#n": "name"}) and
//! ExpressionAttributeValues ({":v": {"S": "x"}}); empty objects are not sent.
struct Expressions {
    nlohmann::json names = nlohmann::json::object();
    nlohmann::json values = nlohmann::json::object();
};

struct GetItemRequest {
    std::string table;
    Item key;
    bool consistent_read = false;
    std::string projection_expression;
    nlohmann::json expression_attribute_names = nlohmann::json::object();
};

struct PutItemRequest {
    std::string table;
    Item item;
    std::string condition_expression; //!< e.g. "attribute_not_exists(pk)"
    Expressions expressions;
    std::string return_values;        //!< ReturnValues: "NONE" (default) or "ALL_OLD"
};

struct UpdateItemRequest {
    std::string table;
    Item key;
    std::string update_expression;    //!< e.g. "SET #s = :s ADD #v :one"
    std::string condition_expression;
    Expressions expressions;
    std::string return_values;        //!< "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"
};

struct DeleteItemRequest {
    std::string table;
    Item key;
    std::string condition_expression;
    Expressions expressions;
    std::string return_values;        //!< "NONE" or "ALL_OLD"
};

//! What a conditional write did. `attributes` holds ReturnValues' attributes when asked for.
struct WriteResult {
    bool condition_failed = false;
    Item attributes = Item::object();
};

struct QueryRequest {
    std::string table;
    std::string index_name;
    std::string key_condition_expression; //!< e.g. "pk = :pk AND begins_with(sk, :p)"
    std::string filter_expression;
    std::string projection_expression;
    Expressions expressions;
    bool consistent_read = false;
    std::optional<std::int64_t> limit;
    std::optional<bool> scan_index_forward; //!< false: descending sort key order
    std::optional<Item> exclusive_start_key;
};

struct QueryResult {
    std::vector<Item> items;
    std::optional<Item> last_evaluated_key; //!< set when more pages follow
    std::int64_t count = 0;
    std::int64_t scanned_count = 0;
};

//! Thread-safe: calls from many threads share one AwsClient (signing, retries, rate limiter).
class DynamoDbClient {
public:
    //! A client on `context` (region, endpoint, transport, credentials); throws Error(config) as AwsClient does.
    explicit DynamoDbClient(ClientContext context);

    //! GetItem. Read-only. nullopt when no item has that key (not an error); missing table: not_found.
    std::optional<Item> get_item(const GetItemRequest& req);
    //! PutItem. Idempotent for the same item without a condition; a failed condition is returned.
    WriteResult put_item(const PutItemRequest& req);
    //! UpdateItem (creates the item when absent, unless the condition says otherwise). Idempotent only
    //! for SET of fixed values; a failed condition is returned.
    WriteResult update_item(const UpdateItemRequest& req);
    //! DeleteItem. Idempotent (deleting an absent item succeeds); a failed condition is returned.
    WriteResult delete_item(const DeleteItemRequest& req);
    //! Query, one page (up to 1 MB or `limit` items). Read-only.
    QueryResult query(const QueryRequest& req);
    //! Every page of Query, following LastEvaluatedKey.
    std::vector<Item> query_all(QueryRequest req);

    //! The underlying core: region, endpoint, clock, and raw calls (tests create fixtures through it).
    AwsClient& core() noexcept { return core_; }

private:
    WriteResult conditional_write(const std::string& operation, const nlohmann::json& body);
    AwsClient core_;
};

} // namespace aurora::aws::dynamodb
