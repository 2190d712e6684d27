#include "store_contract.hpp"

#include "common/error.hpp"
#include "common/redact.hpp"

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

namespace aurora::store::testing {

using namespace std::chrono_literals;
using nlohmann::json;

void StoreContract::SetUp() {
    location_ = GetParam().new_location();
    store_ = GetParam().open(location_, clock_);
}

void StoreContract::TearDown() {
    store_.reset();
    if (GetParam().destroy) {
        GetParam().destroy(location_);
        for (const auto& loc : extra_locations_) {
            GetParam().destroy(loc);
        }
    }
}

std::unique_ptr<StateStore> StoreContract::open_another() { return GetParam().open(location_, clock_); }

Execution sample_execution(const std::string& id) {
    Execution e;
    e.id = id;
    e.machine_name = "restore";
    e.machine_hash = std::string(64, 'a');
    e.state_name = "Validate";
    e.phase = "entered";
    e.state_input = json{{"cluster", "staging-orders"}, {"n", 1.5}};
    e.state_entered_at = WallTime{1'700'000'123'456ms};
    e.retry_counters = json::array({0, 2});
    e.input = json{{"cluster", "staging-orders"}};
    return e;
}

namespace {

std::vector<HistoryEvent> events(std::initializer_list<const char*> types) {
    std::vector<HistoryEvent> out;
    for (const char* t : types) {
        HistoryEvent ev;
        ev.type = t;
        ev.state_name = "S";
        ev.details = json{{"type", t}};
        out.push_back(ev);
    }
    return out;
}

// ---- executions ---------------------------------------------------------------------------------------

TEST_P(StoreContract, CreateThenGetRoundTripsEveryField) {
    Execution e = sample_execution("ex-1");
    e.wake_at = WallTime{1'700'000'200'000ms};
    auto evs = events({"ExecutionStarted", "TaskStateEntered"});
    ASSERT_TRUE(store_->create_execution(e, evs));
    EXPECT_EQ(e.version, 1);
    EXPECT_EQ(e.last_event_id, 2);
    EXPECT_EQ(evs[0].id, 1);
    EXPECT_EQ(evs[1].previous_id, 1);

    const auto got = store_->get_execution("ex-1");
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->machine_name, "restore");
    EXPECT_EQ(got->machine_hash, e.machine_hash);
    EXPECT_EQ(got->status, ExecutionStatus::running);
    EXPECT_EQ(got->state_name, "Validate");
    EXPECT_EQ(got->phase, "entered");
    EXPECT_EQ(got->state_input, e.state_input);
    EXPECT_EQ(got->state_entered_at, e.state_entered_at);
    EXPECT_EQ(got->retry_counters, e.retry_counters);
    EXPECT_EQ(got->wake_at, e.wake_at);
    EXPECT_EQ(got->input, e.input);
    EXPECT_TRUE(got->output.is_null());
    EXPECT_EQ(got->created_at, clock_.now());
    EXPECT_EQ(got->version, 1);
    EXPECT_EQ(got->last_event_id, 2);
    EXPECT_TRUE(got->lease_owner.empty());
}

TEST_P(StoreContract, CreateIsRefusedForAnExistingIdAndKeepsTheFirst) {
    Execution a = sample_execution("ex-1");
    auto evs = events({"ExecutionStarted"});
    ASSERT_TRUE(store_->create_execution(a, evs));
    Execution b = sample_execution("ex-1");
    b.input = json{{"other", true}};
    auto evs2 = events({"ExecutionStarted", "PassStateEntered"});
    EXPECT_FALSE(store_->create_execution(b, evs2));
    EXPECT_EQ(store_->get_execution("ex-1")->input, a.input);
    EXPECT_EQ(store_->history("ex-1", 0, 100).size(), 1U);
}

TEST_P(StoreContract, MissingExecutionIsAValue) {
    EXPECT_FALSE(store_->get_execution("nope").has_value());
    EXPECT_TRUE(store_->history("nope", 0, 10).empty());
    EXPECT_FALSE(store_->acquire_execution_lease("nope", "me", 1s, ""));
    EXPECT_FALSE(store_->release_execution_lease("nope", "me"));
    Execution ghost = sample_execution("nope");
    auto evs = events({"X"});
    try {
        store_->checkpoint(ghost, evs);
        ADD_FAILURE() << "checkpoint of a missing execution must throw";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::not_found);
    }
}

TEST_P(StoreContract, CheckpointReplacesTheRowAndAppendsEventsAtomically) {
    Execution e = sample_execution("ex-1");
    auto evs = events({"ExecutionStarted"});
    ASSERT_TRUE(store_->create_execution(e, evs));
    clock_.advance(5s);
    e.state_name = "Copy";
    e.wake_at = clock_.now() + 30s;
    e.status = ExecutionStatus::succeeded;
    e.output = json{{"done", true}};
    auto more = events({"TaskStateExited", "TaskStateEntered"});
    ASSERT_TRUE(store_->checkpoint(e, more));
    EXPECT_EQ(e.version, 2);
    EXPECT_EQ(e.last_event_id, 3);
    EXPECT_EQ(more[0].id, 2);
    EXPECT_EQ(more[1].id, 3);
    EXPECT_EQ(more[1].previous_id, 2);
    EXPECT_EQ(more[1].timestamp, clock_.now());
    const auto got = store_->get_execution("ex-1");
    EXPECT_EQ(got->state_name, "Copy");
    EXPECT_EQ(got->status, ExecutionStatus::succeeded);
    EXPECT_EQ(got->output, e.output);
    EXPECT_EQ(got->updated_at, clock_.now());
    const auto h = store_->history("ex-1", 0, 100);
    ASSERT_EQ(h.size(), 3U);
    EXPECT_EQ(h[2].type, "TaskStateEntered");
    EXPECT_EQ(h[2].details, json({{"type", "TaskStateEntered"}}));
}

TEST_P(StoreContract, StaleCheckpointWritesNothing) {
    Execution e = sample_execution("ex-1");
    auto evs = events({"ExecutionStarted"});
    ASSERT_TRUE(store_->create_execution(e, evs));
    Execution stale = e;
    auto first = events({"A"});
    ASSERT_TRUE(store_->checkpoint(e, first));
    stale.state_name = "Stale";
    auto second = events({"B", "C"});
    EXPECT_FALSE(store_->checkpoint(stale, second));
    EXPECT_EQ(store_->get_execution("ex-1")->state_name, "Validate");
    EXPECT_EQ(store_->history("ex-1", 0, 100).size(), 2U);
}

TEST_P(StoreContract, HistoryPagesInOrder) {
    Execution e = sample_execution("ex-1");
    auto evs = events({"E1", "E2", "E3", "E4", "E5"});
    ASSERT_TRUE(store_->create_execution(e, evs));
    const auto page = store_->history("ex-1", 2, 2);
    ASSERT_EQ(page.size(), 2U);
    EXPECT_EQ(page[0].id, 3);
    EXPECT_EQ(page[0].type, "E3");
    EXPECT_EQ(page[1].type, "E4");
}

TEST_P(StoreContract, ListExecutionsNewestFirstWithFilterAndLimit) {
    for (int i = 0; i < 4; ++i) {
        Execution e = sample_execution("ex-" + std::to_string(i));
        e.status = i % 2 == 0 ? ExecutionStatus::running : ExecutionStatus::failed;
        auto evs = events({"ExecutionStarted"});
        ASSERT_TRUE(store_->create_execution(e, evs));
        clock_.advance(1s);
    }
    const auto all = store_->list_executions(std::nullopt, 10);
    ASSERT_EQ(all.size(), 4U);
    EXPECT_EQ(all[0].id, "ex-3");
    const auto failed = store_->list_executions(ExecutionStatus::failed, 10);
    ASSERT_EQ(failed.size(), 2U);
    EXPECT_EQ(failed[0].id, "ex-3");
    EXPECT_EQ(store_->list_executions(std::nullopt, 3).size(), 3U);
}

TEST_P(StoreContract, DueExecutionsHonourWakeTimeStatusAndLeases) {
    EXPECT_FALSE(store_->next_due_time().has_value());
    Execution now_due = sample_execution("due");
    Execution later = sample_execution("later");
    later.wake_at = clock_.now() + 60s;
    Execution done = sample_execution("done");
    done.status = ExecutionStatus::succeeded;
    Execution cancelling = sample_execution("cancelling");
    cancelling.status = ExecutionStatus::cancelling;
    for (Execution* e : {&now_due, &later, &done, &cancelling}) {
        auto evs = events({"ExecutionStarted"});
        ASSERT_TRUE(store_->create_execution(*e, evs));
    }
    auto due = store_->due_executions(10);
    EXPECT_EQ(std::set<std::string>(due.begin(), due.end()), (std::set<std::string>{"due", "cancelling"}));
    EXPECT_EQ(store_->next_due_time(), WallTime{});

    ASSERT_TRUE(store_->acquire_execution_lease("due", "runner-a", 10s, ""));
    ASSERT_TRUE(store_->acquire_execution_lease("cancelling", "runner-a", 10s, ""));
    EXPECT_TRUE(store_->due_executions(10).empty());
    EXPECT_EQ(store_->next_due_time(), clock_.now() + 10s);

    clock_.advance(61s);
    due = store_->due_executions(10);
    EXPECT_EQ(due.size(), 3U) << "expired leases and passed wake-up times make executions due";
    EXPECT_EQ(store_->due_executions(1).size(), 1U);
}

TEST_P(StoreContract, ExecutionLeaseIsExclusiveExtendableStealableAndExpires) {
    Execution e = sample_execution("ex-1");
    auto evs = events({"ExecutionStarted"});
    ASSERT_TRUE(store_->create_execution(e, evs));
    EXPECT_TRUE(store_->acquire_execution_lease("ex-1", "a", 10s, ""));
    EXPECT_FALSE(store_->acquire_execution_lease("ex-1", "b", 10s, ""));
    EXPECT_TRUE(store_->acquire_execution_lease("ex-1", "a", 20s, "")) << "re-acquiring extends";
    EXPECT_EQ(store_->get_execution("ex-1")->lease_expires_at, clock_.now() + 20s);
    EXPECT_EQ(store_->get_execution("ex-1")->version, 1) << "leases do not bump the version";
    EXPECT_FALSE(store_->acquire_execution_lease("ex-1", "b", 10s, "c")) << "steal names the wrong holder";
    EXPECT_TRUE(store_->acquire_execution_lease("ex-1", "b", 10s, "a")) << "takeover from a dead holder";
    EXPECT_FALSE(store_->release_execution_lease("ex-1", "a"));
    clock_.advance(11s);
    EXPECT_TRUE(store_->acquire_execution_lease("ex-1", "c", 10s, "")) << "an expired lease is free";
    EXPECT_TRUE(store_->release_execution_lease("ex-1", "c"));
    EXPECT_FALSE(store_->release_execution_lease("ex-1", "c")) << "release is idempotent";
    EXPECT_TRUE(store_->get_execution("ex-1")->lease_owner.empty());
}

TEST_P(StoreContract, ConcurrentCheckpointsOnOneVersionHaveOneWinner) {
    Execution e = sample_execution("ex-1");
    auto evs = events({"ExecutionStarted"});
    ASSERT_TRUE(store_->create_execution(e, evs));
    auto other = open_another();
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            StateStore& s = i % 2 == 0 ? *store_ : *other;
            Execution mine = e;
            mine.state_name = "T" + std::to_string(i);
            auto ev = events({"A", "B"});
            wins += s.checkpoint(mine, ev) ? 1 : 0;
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(store_->history("ex-1", 0, 100).size(), 3U);
}

// ---- locks --------------------------------------------------------------------------------------------

TEST_P(StoreContract, LocksAreExclusiveRenewableAndExpire) {
    EXPECT_FALSE(store_->lock_holder("target/staging").has_value());
    EXPECT_TRUE(store_->acquire_lock("target/staging", "r1", 30s));
    EXPECT_TRUE(store_->acquire_lock("target/staging", "r1", 30s)) << "the owner may re-acquire";
    EXPECT_FALSE(store_->acquire_lock("target/staging", "r2", 30s));
    EXPECT_EQ(store_->lock_holder("target/staging")->owner, "r1");
    EXPECT_TRUE(store_->renew_lock("target/staging", "r1", 60s));
    EXPECT_FALSE(store_->renew_lock("target/staging", "r2", 60s));
    EXPECT_EQ(store_->lock_holder("target/staging")->expires_at, clock_.now() + 60s);
    clock_.advance(61s);
    EXPECT_FALSE(store_->lock_holder("target/staging").has_value()) << "expired locks have no holder";
    EXPECT_TRUE(store_->acquire_lock("target/staging", "r2", 30s)) << "an expired lock can be taken";
    EXPECT_FALSE(store_->renew_lock("target/staging", "r1", 30s));
    EXPECT_FALSE(store_->release_lock("target/staging", "r1"));
    EXPECT_TRUE(store_->release_lock("target/staging", "r2"));
    EXPECT_FALSE(store_->release_lock("target/staging", "r2")) << "release is idempotent";
    EXPECT_TRUE(store_->acquire_lock("target/staging", "r3", 30s));
}

TEST_P(StoreContract, LockContentionAcrossInstancesHasOneWinner) {
    auto other = open_another();
    for (int round = 0; round < 5; ++round) {
        const std::string name = "target/" + std::to_string(round);
        std::atomic<int> wins{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 6; ++i) {
            threads.emplace_back([&, i] {
                StateStore& s = i % 2 == 0 ? *store_ : *other;
                wins += s.acquire_lock(name, "owner-" + std::to_string(i), 30s) ? 1 : 0;
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        EXPECT_EQ(wins.load(), 1) << name;
    }
}

// ---- records ------------------------------------------------------------------------------------------

TEST_P(StoreContract, RecordsPutGetInsertDeleteList) {
    EXPECT_FALSE(store_->get_record("restores", "r-1").has_value());
    store_->put_record("restores", "r-1", json{{"status", "running"}});
    store_->put_record("restores", "r-1", json{{"status", "done"}});
    EXPECT_EQ(*store_->get_record("restores", "r-1"), json({{"status", "done"}}));
    EXPECT_FALSE(store_->insert_record("restores", "r-1", json{{"status", "new"}}));
    EXPECT_TRUE(store_->insert_record("restores", "r_%2", json{{"n", 2}}));
    store_->put_record("restores", "x-1", json::array({1, 2}));
    store_->put_record("other", "r-9", json(true));
    const auto listed = store_->list_records("restores", "r");
    ASSERT_EQ(listed.size(), 2U);
    EXPECT_EQ(listed[0].first, "r-1");
    EXPECT_EQ(listed[1].first, "r_%2");
    EXPECT_EQ(store_->list_records("restores", "r_%").size(), 1U) << "prefixes are literal, not patterns";
    EXPECT_EQ(store_->list_records("restores", "").size(), 3U);
    EXPECT_TRUE(store_->delete_record("restores", "r-1"));
    EXPECT_FALSE(store_->delete_record("restores", "r-1"));
    EXPECT_FALSE(store_->get_record("restores", "r-1").has_value());
    EXPECT_TRUE(store_->get_record("other", "r-9").has_value());
}

// ---- audit --------------------------------------------------------------------------------------------

void append_n(StateStore& s, int n, const std::string& restore_id) {
    for (int i = 0; i < n; ++i) {
        s.append_audit(AuditEntry{restore_id, "user=test", "step.succeeded", json{{"i", i}, {"step", "copy"}}});
    }
}

TEST_P(StoreContract, AuditRecordsChainAndVerify) {
    EXPECT_TRUE(store_->verify_audit().ok) << "an empty log verifies";
    const auto first = store_->append_audit(AuditEntry{"r-1", "user=alice", "restore.started", json{{"a", 1}}});
    EXPECT_EQ(first.seq, 1);
    EXPECT_EQ(first.prev_hash, kAuditGenesisHash);
    EXPECT_EQ(first.hash, audit_record_hash(first));
    clock_.advance(1s);
    const auto second = store_->append_audit(AuditEntry{"r-2", "user=bob", "restore.started", json{{"b", 2}}});
    EXPECT_EQ(second.seq, 2);
    EXPECT_EQ(second.prev_hash, first.hash);
    EXPECT_EQ(second.timestamp, clock_.now());
    append_n(*store_, 3, "r-1");
    const auto r1 = store_->audit_records("r-1");
    ASSERT_EQ(r1.size(), 4U);
    EXPECT_EQ(r1[0].actor, "user=alice");
    EXPECT_EQ(r1[1].seq, 3);
    EXPECT_EQ(json::parse(r1[0].details), json({{"a", 1}}));
    EXPECT_EQ(store_->audit_records("").size(), 5U);
    const auto v = store_->verify_audit();
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_EQ(v.records, 5);
}

TEST_P(StoreContract, AuditDetailsAreRedacted) {
    register_secret("hunter2-very-secret");
    store_->append_audit(AuditEntry{"r-1", "user=alice", "db.user_created",
                                    json{{"user", "app"},
                                         {"password", "plain-unregistered"},
                                         {"note", "set to hunter2-very-secret"},
                                         {"nested", {{"master_password", "x"}, {"secret_arn", "arn:sm"}}}}});
    const auto rec = store_->audit_records("r-1").at(0);
    EXPECT_EQ(rec.details.find("hunter2-very-secret"), std::string::npos);
    EXPECT_EQ(rec.details.find("plain-unregistered"), std::string::npos);
    const json d = json::parse(rec.details);
    EXPECT_EQ(d["password"], "***");
    EXPECT_EQ(d["nested"]["master_password"], "***");
    EXPECT_EQ(d["nested"]["secret_arn"], "arn:sm") << "ids of secrets stay visible";
    EXPECT_EQ(d["user"], "app");
    EXPECT_TRUE(store_->verify_audit().ok);
    clear_registered_secrets_for_testing();
}

TEST_P(StoreContract, ConcurrentAuditAppendsFromTwoInstancesStayOneChain) {
    auto other = open_another();
    std::thread a([&] { append_n(*store_, 25, "r-a"); });
    std::thread b([&] { append_n(*other, 25, "r-b"); });
    a.join();
    b.join();
    const auto v = other->verify_audit();
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_EQ(v.records, 50);
}

struct TamperCase {
    Tamper kind;
    std::int64_t seq;
    std::int64_t expected_bad;
};

TEST_P(StoreContract, AuditVerifyNamesTheFirstTamperedRecord) {
    const std::vector<TamperCase> cases = {
        {Tamper::edit_details, 3, 3}, {Tamper::remove, 3, 3},         {Tamper::remove, 6, 6},
        {Tamper::remove, 1, 1},       {Tamper::insert_after, 2, 3},   {Tamper::swap_with_next, 4, 4},
        {Tamper::edit_details, 6, 6},
    };
    for (const auto& c : cases) {
        const std::string loc = GetParam().new_location();
        extra_locations_.push_back(loc);
        auto s = GetParam().open(loc, clock_);
        append_n(*s, 6, "r-1");
        ASSERT_TRUE(s->verify_audit().ok);
        s.reset();
        GetParam().tamper(loc, c.kind, c.seq);
        s = GetParam().open(loc, clock_);
        const auto v = s->verify_audit();
        EXPECT_FALSE(v.ok) << "tamper kind " << static_cast<int>(c.kind) << " at " << c.seq;
        EXPECT_EQ(v.first_bad_seq, c.expected_bad) << "tamper kind " << static_cast<int>(c.kind) << ": " << v.reason;
        EXPECT_FALSE(v.reason.empty());
    }
}

// ---- durability ---------------------------------------------------------------------------------------

TEST_P(StoreContract, ReopenAfterCloseKeepsEverything) {
    Execution e = sample_execution("ex-1");
    auto evs = events({"ExecutionStarted"});
    ASSERT_TRUE(store_->create_execution(e, evs));
    auto more = events({"A", "B"});
    ASSERT_TRUE(store_->checkpoint(e, more));
    ASSERT_TRUE(store_->acquire_lock("l", "o", 60s));
    store_->put_record("t", "k", json{{"v", 1}});
    append_n(*store_, 2, "r");
    store_.reset();
    store_ = GetParam().open(location_, clock_);
    EXPECT_EQ(store_->get_execution("ex-1")->version, 2);
    EXPECT_EQ(store_->history("ex-1", 0, 10).size(), 3U);
    EXPECT_EQ(store_->lock_holder("l")->owner, "o");
    EXPECT_EQ(*store_->get_record("t", "k"), json({{"v", 1}}));
    EXPECT_TRUE(store_->verify_audit().ok);
}

// The child writes checkpoints and audit records as fast as it can and reports each finished step on a
// pipe; the parent kills it with SIGKILL after a different number of steps each round, mid-write.
void write_until_killed(const StoreFactory& factory, const std::string& location, int fd) {
    FakeClock clock;
    auto s = factory.open(location, clock);
    for (int i = 0;; ++i) {
        Execution e = sample_execution("crash-" + std::to_string(getpid()) + "-" + std::to_string(i));
        auto evs = events({"ExecutionStarted", "TaskStateEntered"});
        s->create_execution(e, evs);
        for (int k = 0; k < 3; ++k) {
            auto more = events({"TaskSucceeded", "TaskStateExited", "TaskStateEntered"});
            s->checkpoint(e, more);
        }
        s->append_audit(AuditEntry{e.id, "child", "step", json{{"i", i}}});
        const char byte = 'x';
        if (write(fd, &byte, 1) != 1) {
            _exit(3);
        }
    }
}

TEST_P(StoreContract, KillDuringWritesLeavesConsistentState) {
    { auto warm = open_another(); }
    for (int round = 0; round < 4; ++round) {
        int fds[2];
        ASSERT_EQ(pipe(fds), 0);
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            close(fds[0]);
            write_until_killed(GetParam(), location_, fds[1]);
            _exit(0);
        }
        close(fds[1]);
        char buf = 0;
        for (int got = 0; got < 3 + round * 2 && read(fds[0], &buf, 1) == 1; ++got) {
        }
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        close(fds[0]);
    }
    store_ = GetParam().open(location_, clock_);
    const auto v = store_->verify_audit();
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_GE(v.records, 3);
    for (const auto& e : store_->list_executions(std::nullopt, 10000)) {
        const auto h = store_->history(e.id, 0, 1000);
        // A checkpoint is all or nothing: the row's version and last event always match its history.
        EXPECT_EQ(static_cast<std::int64_t>(h.size()), e.last_event_id) << e.id;
        EXPECT_EQ(e.last_event_id, 2 + 3 * (e.version - 1)) << e.id;
    }
}

} // namespace
} // namespace aurora::store::testing
