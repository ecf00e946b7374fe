// AccessDb against real SQLite files: only hashes are stored, revokes are
// seen by an already-open store (the running daemon), bad tokens fail,
// personal-card reads are audit-logged, and tokens and audit rows of an
// earlier version's state database move here once.

#include "daemon/store/access_db.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "daemon/store/state_db.h"
#include "daemon/util/crypto.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

constexpr std::int64_t k_now = 1790856000;  // 2026-10-01T12:00:00Z

struct TokenFixture {
    testing::TempDir dir;
    std::string path = dir.file("data/access.db");

    std::unique_ptr<AccessDb> open(const std::string& legacy = "") {
        auto store = AccessDb::open(path, AccessDb::Mode::read_write, legacy);
        EXPECT_TRUE(store.ok()) << (store ? "" : store.error().message);
        return store ? std::move(*store) : nullptr;
    }
};

// The principal of a token; empty for a refused token or a database error.
std::optional<Principal> authenticate(AccessDb& store, std::string_view token) {
    auto found = store.lookup(token);
    return found ? *found : std::nullopt;
}

// The record ids of the audit log, oldest first.
std::vector<std::string> audited_ids(AccessDb& store) {
    auto rows = store.access_log();
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> ids;
    for (const AccessRow& row : rows ? *rows : std::vector<AccessRow>{}) {
        ids.push_back(row.record_id);
    }
    return ids;
}

TEST(AccessDb, added_token_authenticates_as_its_principal) {
    TokenFixture f;
    auto store = f.open();
    auto token = store->add("werkgever-1", Role::employer, "E123", k_now);
    ASSERT_TRUE(token.ok()) << token.error().message;
    EXPECT_EQ(token->rfind("spg_", 0), 0U);
    EXPECT_EQ(token->size(), 4U + 43U);
    const auto principal = authenticate(*store, *token);
    ASSERT_TRUE(principal.has_value());
    EXPECT_EQ(principal->name, "werkgever-1");
    EXPECT_EQ(principal->role, Role::employer);
    EXPECT_EQ(principal->employer, "E123");
}

TEST(AccessDb, database_file_holds_only_the_hash) {
    TokenFixture f;
    std::string token;
    {
        auto store = f.open();
        auto added = store->add("adviseur", Role::adviser, "", k_now);
        ASSERT_TRUE(added.ok());
        token = *added;
    }
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
        if (std::filesystem::exists(f.path + suffix)) {
            bytes += testing::read_text(f.path + suffix);
        }
    }
    ASSERT_FALSE(bytes.empty());
    EXPECT_EQ(bytes.find(token), std::string::npos);
    EXPECT_EQ(bytes.find(token.substr(4)), std::string::npos);
    EXPECT_NE(bytes.find(util::sha256_hex(token)), std::string::npos);
}

TEST(AccessDb, tokens_are_distinct) {
    TokenFixture f;
    auto store = f.open();
    std::set<std::string> seen;
    for (int i = 0; i < 20; ++i) {
        std::string name = "t";
        name += std::to_string(i);
        auto token = store->add(name, Role::officer, "", k_now);
        ASSERT_TRUE(token.ok());
        EXPECT_TRUE(seen.insert(*token).second);
    }
}

TEST(AccessDb, duplicate_name_is_refused_even_after_revoke) {
    TokenFixture f;
    auto store = f.open();
    ASSERT_TRUE(store->add("a", Role::adviser, "", k_now).ok());
    auto again = store->add("a", Role::officer, "", k_now);
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
    ASSERT_TRUE(store->revoke("a", k_now).ok());
    EXPECT_FALSE(store->add("a", Role::officer, "", k_now).ok());
}

TEST(AccessDb, revoke_is_seen_by_an_already_open_store) {
    TokenFixture f;
    auto daemon = f.open();
    auto cli = f.open();
    auto token = cli->add("adviseur", Role::adviser, "", k_now);
    ASSERT_TRUE(token.ok());
    ASSERT_TRUE(authenticate(*daemon, *token).has_value());
    ASSERT_TRUE(cli->revoke("adviseur", k_now + 60).ok());
    EXPECT_FALSE(authenticate(*daemon, *token).has_value());
}

TEST(AccessDb, token_added_later_is_seen_by_an_already_open_store) {
    TokenFixture f;
    auto daemon = f.open();
    auto cli = f.open();
    auto token = cli->add("nieuw", Role::officer, "", k_now);
    ASSERT_TRUE(token.ok());
    EXPECT_TRUE(authenticate(*daemon, *token).has_value());
}

TEST(AccessDb, revoke_of_unknown_name_fails_and_twice_keeps_first_time) {
    TokenFixture f;
    auto store = f.open();
    EXPECT_FALSE(store->revoke("nobody", k_now).ok());
    ASSERT_TRUE(store->add("a", Role::adviser, "", k_now).ok());
    ASSERT_TRUE(store->revoke("a", k_now + 10).ok());
    ASSERT_TRUE(store->revoke("a", k_now + 20).ok());
    auto rows = store->list();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1U);
    EXPECT_EQ((*rows)[0].revoked_at, k_now + 10);
}

TEST(AccessDb, wrong_unknown_and_malformed_tokens_fail) {
    TokenFixture f;
    auto store = f.open();
    auto token = store->add("a", Role::adviser, "", k_now);
    ASSERT_TRUE(token.ok());
    std::string flipped = *token;
    flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
    auto other_store_token = generate_token();
    ASSERT_TRUE(other_store_token.ok());
    for (const std::string& bad :
         {flipped, *other_store_token, std::string(""), std::string("spg_"),
          token->substr(0, token->size() - 1), *token + "A", " " + *token, token->substr(4),
          "Bearer " + *token, util::sha256_hex(*token), "spg_" + std::string(43, '!')}) {
        EXPECT_FALSE(authenticate(*store, bad).has_value()) << "length " << bad.size();
    }
    EXPECT_TRUE(authenticate(*store, *token).has_value());
}

TEST(AccessDb, list_is_sorted_by_name_and_has_no_secret) {
    TokenFixture f;
    auto store = f.open();
    ASSERT_TRUE(store->add("zeta", Role::officer, "", k_now).ok());
    ASSERT_TRUE(store->add("alpha", Role::employer, "E9", k_now + 1).ok());
    auto rows = store->list();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2U);
    EXPECT_EQ((*rows)[0].name, "alpha");
    EXPECT_EQ((*rows)[0].role, Role::employer);
    EXPECT_EQ((*rows)[0].employer, "E9");
    EXPECT_EQ((*rows)[0].created_at, k_now + 1);
    EXPECT_FALSE((*rows)[0].revoked_at.has_value());
    EXPECT_EQ((*rows)[1].name, "zeta");
}

TEST(AccessDb, personal_card_reads_are_audit_logged) {
    TokenFixture f;
    auto store = f.open();
    auto token = store->add("adviseur", Role::adviser, "", k_now);
    ASSERT_TRUE(token.ok());
    const auto principal = authenticate(*store, *token);
    ASSERT_TRUE(principal.has_value());
    ASSERT_TRUE(store->record_access(*principal, "cv", "CV-0001", k_now + 5).ok());
    ASSERT_TRUE(store->record_access(*principal, "vacancy", "V-7", k_now + 6).ok());
    auto other = f.open();  // the rows are in the file, not only in this connection
    auto rows = other->access_log();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2U);
    EXPECT_EQ((*rows)[0].time, k_now + 5);
    EXPECT_EQ((*rows)[0].token_name, "adviseur");
    EXPECT_EQ((*rows)[0].role, Role::adviser);
    EXPECT_EQ((*rows)[0].card_type, "cv");
    EXPECT_EQ((*rows)[0].record_id, "CV-0001");
    EXPECT_EQ((*rows)[1].card_type, "vacancy");
    EXPECT_EQ((*rows)[1].record_id, "V-7");
}

TEST(AccessDb, tokens_and_audit_rows_of_an_earlier_state_db_move_here_once) {
    TokenFixture f;
    const std::string state = f.dir.file("data/state.db");
    std::string token;
    {
        ASSERT_TRUE(StateDb::open(state).ok());
        // What TokenStore of an earlier version left in the state database.
        SQLite::Database old(state, SQLite::OPEN_READWRITE);
        old.exec("CREATE TABLE api_token (name TEXT PRIMARY KEY, role TEXT NOT NULL, employer_id TEXT NOT NULL, "
                 "hash TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)");
        old.exec("CREATE TABLE card_access (time TEXT NOT NULL, token_name TEXT NOT NULL, role TEXT NOT NULL, "
                 "card_type TEXT NOT NULL, record_id TEXT NOT NULL)");
        token = "spg_" + std::string(43, 'Q');
        old.exec("INSERT INTO api_token VALUES ('oud', 'adviser', '', '" + util::sha256_hex(token) +
                 "', '2026-01-01T00:00:00Z', NULL)");
        old.exec("INSERT INTO card_access VALUES ('2026-10-01T12:00:00Z', 'oud', 'adviser', 'cv', 'CV-1')");
    }
    auto store = f.open(state);
    ASSERT_NE(store, nullptr);
    const auto principal = authenticate(*store, token);
    ASSERT_TRUE(principal.has_value());
    EXPECT_EQ(principal->name, "oud");
    auto rows = store->access_log();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1U);
    EXPECT_EQ((*rows)[0].status, 200) << "rows of a table without status were reads served";
    SQLite::Database old(state, SQLite::OPEN_READONLY);
    EXPECT_EQ(old.execAndGet("SELECT count(*) FROM sqlite_master WHERE name IN ('api_token', 'card_access')").getInt(), 0);
    EXPECT_TRUE(StateDb::open(state).ok()) << "the state database still opens";
    auto again = f.open(state);  // nothing left to move, nothing moved twice
    auto after = again->access_log();
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->size(), 1U);
}

TEST(AccessDb, rows_are_moved_once_even_when_the_old_tables_could_not_be_dropped) {
    TokenFixture f;
    const std::string state = f.dir.file("data/state.db");
    {
        ASSERT_TRUE(StateDb::open(state).ok());
        SQLite::Database old(state, SQLite::OPEN_READWRITE);
        old.exec("CREATE TABLE card_access (time TEXT NOT NULL, token_name TEXT NOT NULL, role TEXT NOT NULL, "
                 "card_type TEXT NOT NULL, record_id TEXT NOT NULL, status INTEGER NOT NULL DEFAULT 200)");
        old.exec("INSERT INTO card_access VALUES ('2026-10-01T12:00:00Z', 'oud', 'adviser', 'cv', 'CV-1', 404)");
    }
    {
        // A scan holds the state database's write lock: the copy is made, the drop waits.
        SQLite::Database scan(state, SQLite::OPEN_READWRITE);
        scan.exec("BEGIN IMMEDIATE");
        auto store = f.open(state);
        ASSERT_NE(store, nullptr);
        scan.exec("ROLLBACK");
    }
    auto store = f.open(state);
    auto rows = store->access_log();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1U) << "copied once, not again at the second open";
    EXPECT_EQ((*rows)[0].status, 404);
}

TEST(AccessDb, token_lookup_uses_the_index_on_the_hash) {
    TokenFixture f;
    auto store = f.open();
    SQLite::Database raw(f.path, SQLite::OPEN_READONLY);
    SQLite::Statement plan(raw, "EXPLAIN QUERY PLAN SELECT name FROM api_token WHERE hash = 'x' AND revoked_at IS NULL");
    std::string detail;
    while (plan.executeStep()) {
        detail += plan.getColumn(3).getString() + "\n";
    }
    EXPECT_NE(detail.find("USING INDEX"), std::string::npos) << detail;
}

TEST(AccessDb, one_store_serves_concurrent_requests) {
    TokenFixture f;
    auto store = f.open();
    auto token = store->add("adviseur", Role::adviser, "", k_now);
    ASSERT_TRUE(token.ok());
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int n = 0; n < 4; ++n) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                const auto principal = authenticate(*store, *token);
                if (!principal || !store->record_access(*principal, "cv", "CV-1", k_now).ok()) {
                    ++failures;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(failures.load(), 0);
    auto rows = store->access_log();
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(rows->size(), 200U);
}

TEST(Role, names_round_trip_and_unknown_is_refused) {
    for (Role r : {Role::adviser, Role::employer, Role::officer}) {
        EXPECT_EQ(parse_role(role_name(r)), r);
    }
    EXPECT_FALSE(parse_role("admin").has_value());
    EXPECT_FALSE(parse_role("").has_value());
}

TEST(AccessDb, audit_rows_older_than_the_retention_are_pruned) {
    TokenFixture f;
    auto store = f.open();
    const Principal who{"adviseur", Role::adviser, ""};
    ASSERT_TRUE(store->record_access(who, "cv", "CV-1", k_now - 10).ok());
    ASSERT_TRUE(store->record_access(who, "cv", "CV-2", k_now).ok());
    ASSERT_TRUE(store->record_access(who, "cv", "CV-3", k_now + 10).ok());
    auto pruned = store->prune_access_log(k_now);
    ASSERT_TRUE(pruned.ok());
    EXPECT_EQ(pruned->deleted, 1);
    EXPECT_EQ(pruned->examined, 3);
    auto rows = store->access_log();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2U);
    EXPECT_EQ((*rows)[0].record_id, "CV-2");
}

// Rows are pruned in rowid (insertion) order, a window at a time: an old row
// written after a newer one (the clock stepped back) goes too, and a window
// ends where the next starts.
TEST(AccessDb, pruning_steps_through_the_rows_in_insertion_order) {
    TokenFixture f;
    auto store = f.open();
    const Principal who{"adviseur", Role::adviser, ""};
    for (std::int64_t t : {k_now - 30, k_now + 5, k_now - 20, k_now - 10, k_now + 10}) {
        ASSERT_TRUE(store->record_access(who, "cv", "CV-" + std::to_string(t - k_now), t).ok());
    }
    auto first = store->prune_access_log(k_now, 0, 2);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->examined, 2);
    EXPECT_EQ(first->deleted, 1);
    auto second = store->prune_access_log(k_now, first->last_rowid, 2);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->examined, 2);
    EXPECT_EQ(second->deleted, 2);
    auto third = store->prune_access_log(k_now, second->last_rowid, 2, k_now + 5);
    ASSERT_TRUE(third.ok());
    EXPECT_EQ(third->future, 1);  // CV-10
    EXPECT_EQ(third->examined, 1);
    EXPECT_EQ(third->deleted, 0);
    EXPECT_EQ(third->last_rowid, 5);
    auto past_the_end = store->prune_access_log(k_now, third->last_rowid, 2);
    ASSERT_TRUE(past_the_end.ok());
    EXPECT_EQ(past_the_end->examined, 0);
    EXPECT_EQ(past_the_end->last_rowid, third->last_rowid);
    EXPECT_EQ(audited_ids(*store), (std::vector<std::string>{"CV-5", "CV-10"}));
}

// A batch whose insert or commit fails leaves no row and no open
// transaction: the next batch commits.
TEST(AccessDb, a_failed_audit_batch_rolls_back_and_the_next_one_commits) {
    TokenFixture f;
    auto store = f.open();
    SQLite::Database& c = store->connection();
    c.exec("CREATE TRIGGER refuse BEFORE INSERT ON card_access WHEN NEW.record_id = 'BAD' "
           "BEGIN SELECT RAISE(ABORT, 'refused'); END");
    // A deferred foreign key fails at COMMIT, after every insert succeeded.
    c.exec("PRAGMA foreign_keys=ON");
    c.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
           "CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);"
           "CREATE TRIGGER orphan AFTER INSERT ON card_access WHEN NEW.record_id = 'FK' "
           "BEGIN INSERT INTO child VALUES (42); END");
    const auto audit = [&](const std::string& id) {
        return AccessRow{k_now, "adviseur", Role::adviser, "cv", id, 200};
    };
    ASSERT_TRUE(store->record_access({audit("CV-1")}).ok());
    EXPECT_FALSE(store->record_access({audit("CV-2"), audit("BAD")}).ok());
    EXPECT_NE(sqlite3_get_autocommit(c.getHandle()), 0);
    EXPECT_FALSE(store->record_access({audit("CV-3"), audit("FK")}).ok());
    EXPECT_NE(sqlite3_get_autocommit(c.getHandle()), 0);
    ASSERT_TRUE(store->record_access({audit("CV-4")}).ok());
    EXPECT_EQ(audited_ids(*store), (std::vector<std::string>{"CV-1", "CV-4"}));
}

TEST(AccessDb, lookup_tells_a_database_error_from_an_unknown_token) {
    TokenFixture f;
    auto store = f.open();
    auto token = store->add("adviseur", Role::adviser, "", k_now);
    ASSERT_TRUE(token.ok());
    auto unknown = store->lookup("spg_" + std::string(43, 'A'));
    ASSERT_TRUE(unknown.ok());
    EXPECT_FALSE(unknown->has_value());
    SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
    raw.exec("DROP TABLE api_token");
    EXPECT_FALSE(store->lookup(*token).ok());
    EXPECT_FALSE(authenticate(*store, *token).has_value());
}

}  // namespace
}  // namespace spiegel::store
