#pragma once
//! A hook for the model check (issue #2, acceptance 6): when a recorder is installed on the current thread,
//! the protocol layer reports every parameter a client sends and every response member a client reads,
//! with the type it reads it as, so a test can compare them with the botocore API models.
//!
//! PATH FORMAT (the same for the Query and the JSON protocols, for sent and read members):
//!   - A path is a sequence of member names joined by '.', starting at the operation's input shape (sent)
//!     or output shape (read); the Action/Version form fields and the JSON envelope are not recorded.
//!   - Entering the members of a list OR a map appends "[]" to the member name: "Filters[].Name".
//!     After "[]" on a list comes the member shape's members (nothing for a list of scalars).
//!   - Members of a list of strings: the element is recorded as "<List>[]" with type string, e.g.
//!     "Filters[].Values[]" (sent) or "DBClusters[].AvailabilityZones[]" (read).
//!   - Member names are the wire names (botocore "locationName" when the model has one, else the member
//!     name), exactly as they appear on the wire.
//!
//! SENT, Query protocol: derived from each wire key of QueryParams (and only from it):
//!   - a numeric segment N makes the segment before it a list member name (whatever its spelling:
//!     "member", "Tag", "Filter", …); both are dropped and "[]" is appended to the list's name:
//!     "Filters.member.1.Values.member.2" -> "Filters[].Values[]"; "Tags.Tag.1.Key" -> "Tags[].Key"
//!     (RDS tags use member name "Tag"); a top-level flattened list "Foo.1" -> "Foo[]"
//!     (a numeric segment right after the first segment names a list, not a member name).
//!   - a map "Attrs.entry.N.<k>" -> "Attrs[].<k>", where <k> is the wire name of the key or value
//!     ("key"/"value" by default, "Name"/"Value" for SNS MessageAttributes); after the value name the path
//!     continues into the value shape: "MessageAttributes.entry.1.Value.DataType" ->
//!     "MessageAttributes[].Value.DataType". The checker, at a map shape, accepts the map's key or value
//!     locationName as the next segment.
//!   - type: add()/add_list()/add_tags() -> string; add_int() -> integer; add_bool() -> boolean;
//!     add_timestamp() -> timestamp; add_double() -> double_.
//!
//! SENT, JSON protocol: derived from the JSON body the client passes to AwsClient::json():
//!   - every object key is a path segment, arrays append "[]" (elements merged);
//!   - a JSON object cannot tell a structure from a map on the wire, so a map's keys appear as literal
//!     segments ("Key.pk.S" for DynamoDB's Key map of AttributeValue): at a map shape the checker accepts
//!     any segment and continues into the map's value shape;
//!   - leaves are typed by their JSON kind: string -> string (also blobs, base64), integer number ->
//!     integer, other number -> double_ (JSON protocol timestamps are epoch seconds, so a timestamp shape
//!     is sent as integer or double_), boolean -> boolean; an empty object -> structure, an empty array ->
//!     list; null is not recorded.
//!
//! READ (XmlNode and JsonReader): one entry per accessor call, found = whether the member was present:
//!   - text() -> string, integer() -> integer, number() -> double_, boolean() -> boolean,
//!     timestamp() -> timestamp, child() -> structure;
//!   - list(name, member) -> "<path>.<name>" as list; the returned nodes are at "<path>.<name>[]";
//!   - string_list(name, member) -> "<path>.<name>" as list AND "<path>.<name>[]" as string (found when
//!     at least one element was present);
//!   - JsonReader::raw(name) (free-form payloads such as DynamoDB attribute maps) -> map when the value is
//!     an object or absent, list for an array, the scalar's kind otherwise.
//!
//! Entries are de-duplicated: one entry per distinct (path, type, found).

#include <string>
#include <string_view>
#include <vector>

namespace aurora::aws {

enum class RecordedType { string, integer, boolean, timestamp, double_, structure, list, map, blob };

struct RecordedAccess {
    //! Dotted path from the operation's input or output shape, list members as "[]":
    //! e.g. "Filters[].Name", "DBClusters[].DBClusterMembers[].IsClusterWriter".
    std::string path;
    RecordedType type;
    bool found; //!< for reads: whether the member was present in the response (true for sent entries)
};

struct ModelRecorder {
    //! The operation name; AwsClient sets it on each call when it is empty.
    std::string operation;
    std::vector<RecordedAccess> sent; //!< parameters sent
    std::vector<RecordedAccess> read; //!< response members read
};

//! Installs `r` for the current thread (nullptr removes it). Not owning.
void set_model_recorder(ModelRecorder* r);
ModelRecorder* model_recorder();

//! The name of `type` as used in messages ("string", "double", …).
std::string_view recorded_type_name(RecordedType type);

//! The shape path of a Query wire key (rules above): "Filters.member.1.Values.member.2" ->
//! "Filters[].Values[]".
std::string query_key_to_path(std::string_view wire_key);

//! Appends a sent entry to the installed recorder (no-op when none). De-duplicates.
void record_sent(const std::string& path, RecordedType type);
//! Appends a read entry to the installed recorder (no-op when none). De-duplicates.
void record_read(const std::string& path, RecordedType type, bool found);

//! "parent.name", or "name" when `parent` is empty.
std::string join_path(const std::string& parent, const std::string& name);

//! Installs a recorder for the lifetime of the guard, restoring the previous one after.
class ScopedModelRecorder {
public:
    explicit ScopedModelRecorder(ModelRecorder& r) : previous_(model_recorder()) { set_model_recorder(&r); }
    ~ScopedModelRecorder() { set_model_recorder(previous_); }
    ScopedModelRecorder(const ScopedModelRecorder&) = delete;
    ScopedModelRecorder& operator=(const ScopedModelRecorder&) = delete;

private:
    ModelRecorder* previous_;
};

} // namespace aurora::aws
