// PostgreSQL-only behaviour of the source: writers committing out of order
// around a scan, a server that dies mid-scan or is not there, a missing
// column, and a scanning role with nothing but the shipped read grants.

#include "daemon/store/pg_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/store/pg_conn.h"
#include "tests/pg/pg_server.h"
#include "tests/pg/stream_request.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

using model::Kind;

using testing::stream_request;

class PgSourceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(m_server.running());
        m_server.create_schema();
    }

    std::unique_ptr<PgConn> connect(const std::string& user = "postgres") {
        auto conn = PgConn::connect(PgSettings{m_server.conninfo(user), "", "public"});
        EXPECT_TRUE(conn) << conn.error().message;
        return conn ? std::move(*conn) : nullptr;
    }

    static void exec(PgConn& conn, const std::string& sql) {
        auto r = conn.exec(sql, "test");
        ASSERT_TRUE(r) << r.error().message;
    }

    // The ids a read of kind cv returns (changes since `since`, or all).
    std::vector<std::string> read_ids(PgRecordSource& source, bool changes_only,
                                      std::int64_t since) {
        model::Arena arena;
        std::vector<model::Record> out;
        auto stream = source.open(stream_request(Kind::cv, changes_only, since));
        EXPECT_TRUE(stream) << stream.error().message;
        while (stream) {
            auto n = (*stream)->next_chunk(arena, out);
            EXPECT_TRUE(n) << n.error().message;
            if (!n || *n == 0) {
                break;
            }
        }
        std::vector<std::string> ids;
        for (const auto& r : out) {
            ids.emplace_back(r.id());
        }
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    // The ids a new scan (its own snapshot) reads as deleted since `since`.
    std::vector<std::string> deleted_ids(std::int64_t since) {
        auto conn = connect();
        auto scan = PgRecordSource::begin(*conn, 10);
        if (!scan) {
            ADD_FAILURE() << scan.error().message;
            return {};
        }
        auto deleted = (*scan)->deleted_since(Kind::cv, since);
        if (!deleted) {
            ADD_FAILURE() << deleted.error().message;
            return {};
        }
        return *deleted;
    }

    testing::PgServer m_server;
};

TEST_F(PgSourceTest, writers_committing_out_of_order_around_a_scan_are_both_seen_by_the_next_scan) {
    auto early = connect();  // takes the lower transaction id, commits last
    auto late = connect();
    exec(*early, "BEGIN");
    exec(*early, "INSERT INTO cv (id, birth_year) VALUES ('cv-early', 1970)");
    exec(*late, "BEGIN");
    exec(*late, "INSERT INTO cv (id, birth_year) VALUES ('cv-late', 1980)");
    exec(*late, "COMMIT");
    // A plain sequence watermark would now stand past cv-early's value.
    std::int64_t watermark = 0;
    {
        auto conn = connect();
        auto scan = PgRecordSource::begin(*conn, 1);
        ASSERT_TRUE(scan) << scan.error().message;
        EXPECT_EQ(read_ids(**scan, false, 0), std::vector<std::string>{"cv-late"});
        watermark = *(*scan)->change_seq();
    }
    exec(*early, "COMMIT");
    std::int64_t next = 0;
    {
        auto conn = connect();
        auto scan = PgRecordSource::begin(*conn, 1);
        ASSERT_TRUE(scan) << scan.error().message;
        const auto changed = read_ids(**scan, true, watermark);
        EXPECT_TRUE(std::find(changed.begin(), changed.end(), "cv-early") != changed.end());
        next = *(*scan)->change_seq();
        EXPECT_GT(next, watermark);
    }
    // With no writer left running, the scan after that reads nothing: an
    // incremental scan does not reread everything to be safe.
    auto conn = connect();
    auto scan = PgRecordSource::begin(*conn, 1);
    ASSERT_TRUE(scan);
    EXPECT_TRUE(read_ids(**scan, true, next).empty());
}

// Changes are read in chunks ordered by transaction id as a number: when the
// ids gain a digit (999 -> 1000) an order by their text would put 1000
// before 990 and a chunk boundary would skip or repeat changes.
TEST_F(PgSourceTest, changes_across_a_transaction_id_that_gains_a_digit_are_each_read_once) {
    auto writer = connect();
    std::int64_t watermark = 0;
    {
        auto conn = connect();
        auto scan = PgRecordSource::begin(*conn, 1);
        ASSERT_TRUE(scan) << scan.error().message;
        watermark = *(*scan)->change_seq();
    }
    auto now = writer->exec("SELECT pg_current_xact_id()::text", "test");
    ASSERT_TRUE(now) << now.error().message;
    std::int64_t power = 10;
    while (power <= std::stoll(std::string(now->get(0, 0))) + 20) {
        power *= 10;
    }
    exec(*writer, "DO $$BEGIN WHILE pg_current_xact_id() < '" + std::to_string(power - 15) +
                      "'::xid8 LOOP COMMIT; END LOOP; END$$");
    std::vector<std::string> expected;
    for (int i = 0; i < 30; ++i) {  // one transaction each: ids power-15 .. power+14
        expected.push_back("cv-x" + std::to_string(100 + i));
        exec(*writer, "INSERT INTO cv (id, birth_year) VALUES ('" + expected.back() + "', 1980)");
    }
    std::sort(expected.begin(), expected.end());
    auto conn = connect();
    auto scan = PgRecordSource::begin(*conn, 1);  // a chunk of one record: every boundary is crossed
    ASSERT_TRUE(scan) << scan.error().message;
    EXPECT_EQ(read_ids(**scan, true, watermark), expected);
}

// A record deleted and inserted anew by an earlier transaction id than its
// tombstone's, while another writer keeps the watermark low: the next scan
// reads the tombstone again but not the new row (below the watermark). The
// record exists, so the tombstone deletes nothing.
TEST_F(PgSourceTest, a_tombstone_of_an_id_inserted_anew_deletes_nothing) {
    auto a = connect();
    auto x = connect();
    auto d = connect();
    exec(*d, "INSERT INTO cv (id) VALUES ('cv-30'), ('cv-31'), ('cv-40')");
    std::int64_t before = 0;
    {
        auto conn = connect();
        auto scan = PgRecordSource::begin(*conn, 10);
        ASSERT_TRUE(scan);
        before = *(*scan)->change_seq();
    }
    exec(*a, "BEGIN");
    exec(*a, "UPDATE cv SET birth_year = 1970 WHERE id = 'cv-30'");  // a's id, the lowest
    exec(*x, "BEGIN");
    exec(*x, "UPDATE cv SET birth_year = 1971 WHERE id = 'cv-31'");  // stays open: the watermark
    exec(*d, "DELETE FROM cv WHERE id = 'cv-40'");                  // the tombstone, a later id
    exec(*a, "INSERT INTO cv (id, birth_year) VALUES ('cv-40', 1985)");
    exec(*a, "COMMIT");
    std::int64_t watermark = 0;
    {
        auto conn = connect();
        auto scan = PgRecordSource::begin(*conn, 10);
        ASSERT_TRUE(scan);
        const auto deleted = (*scan)->deleted_since(Kind::cv, before);
        ASSERT_TRUE(deleted) << deleted.error().message;
        EXPECT_TRUE(deleted->empty()) << "cv-40 is in the table";
        const auto changed = read_ids(**scan, true, before);
        EXPECT_TRUE(std::find(changed.begin(), changed.end(), "cv-40") != changed.end());
        watermark = *(*scan)->change_seq();
    }
    exec(*x, "COMMIT");
    EXPECT_TRUE(deleted_ids(watermark).empty()) << "the tombstone is read again, the record still exists";
    exec(*d, "DELETE FROM cv WHERE id = 'cv-40'");
    EXPECT_EQ(deleted_ids(watermark), std::vector<std::string>{"cv-40"});
}

TEST_F(PgSourceTest, one_scan_reads_one_snapshot_whatever_commits_meanwhile) {
    auto writer = connect();
    exec(*writer, "INSERT INTO cv (id) VALUES ('cv-1'), ('cv-2')");
    auto conn = connect();
    auto scan = PgRecordSource::begin(*conn, 1);
    ASSERT_TRUE(scan);
    exec(*writer, "INSERT INTO cv (id) VALUES ('cv-3'); DELETE FROM cv WHERE id = 'cv-1'");
    EXPECT_EQ(read_ids(**scan, false, 0), (std::vector<std::string>{"cv-1", "cv-2"}));
    EXPECT_TRUE((*scan)->deleted_since(Kind::cv, 0)->empty());
}

// to_char() makes infinity NULL; it must not read as a missing value (a
// rule would then say "fill it in") but as a value that cannot be read.
TEST_F(PgSourceTest, infinite_timestamps_and_dates_read_as_issues_not_as_missing) {
    auto writer = connect();
    exec(*writer, "INSERT INTO cv (id, created_at, updated_at) VALUES ('cv-1', 'infinity', '-infinity'), "
                  "('cv-2', '2026-01-02T03:04:05Z', NULL)");
    auto conn = connect();
    auto scan = PgRecordSource::begin(*conn, 10);
    ASSERT_TRUE(scan) << scan.error().message;
    model::Arena arena;
    std::vector<model::Record> out;
    auto stream = (*scan)->open(stream_request(Kind::cv));
    ASSERT_TRUE(stream) << stream.error().message;
    auto n = (*stream)->next_chunk(arena, out);
    ASSERT_TRUE(n) << n.error().message;
    ASSERT_EQ(out.size(), 2u);
    const auto& schema = model::schema_for(Kind::cv);
    const model::Record& inf = out[0].id() == "cv-1" ? out[0] : out[1];
    const model::Record& fine = out[0].id() == "cv-1" ? out[1] : out[0];
    ASSERT_EQ(inf.issues.size(), 2u);
    EXPECT_EQ(inf.issues[0].reason, "not a finite timestamp");
    EXPECT_TRUE(inf.issues[0].slot == *schema.slot("created_at") || inf.issues[0].slot == *schema.slot("updated_at"));
    EXPECT_TRUE(fine.issues.empty());
    EXPECT_EQ(fine.field("created_at").string, "2026-01-02T03:04:05Z");
    EXPECT_FALSE(fine.field("updated_at").is_string()) << "NULL stays missing";
}

TEST_F(PgSourceTest, a_server_that_dies_mid_scan_fails_the_read_naming_the_server) {
    auto writer = connect();
    exec(*writer, "INSERT INTO cv (id) SELECT 'cv-' || g FROM generate_series(1, 50) g");
    auto conn = connect();
    auto scan = PgRecordSource::begin(*conn, 5);
    ASSERT_TRUE(scan);
    auto stream = (*scan)->open(stream_request(Kind::cv));
    ASSERT_TRUE(stream);
    model::Arena arena;
    std::vector<model::Record> out;
    ASSERT_EQ(*(*stream)->next_chunk(arena, out), 5U);
    m_server.stop_immediately();
    auto n = (*stream)->next_chunk(arena, out);
    ASSERT_FALSE(n);
    EXPECT_NE(n.error().message.find("host=" + m_server.socket_dir()), std::string::npos)
        << n.error().message;
    EXPECT_NE(n.error().message.find("reading cv"), std::string::npos) << n.error().message;
}

TEST_F(PgSourceTest, an_unreachable_server_is_named_with_libpq_reason_and_never_the_password) {
    testing::TempDir dir;
    testing::write_file(dir.file("pg.pass"), "s3cret-Pa55\n");
    ::chmod(dir.file("pg.pass").c_str(), 0600);
    auto conn =
        PgConn::connect(PgSettings{"host=" + dir.path() + " port=5999 dbname=werk user=spiegel",
                                   dir.file("pg.pass"), "public"});
    ASSERT_FALSE(conn);
    const auto& m = conn.error().message;
    EXPECT_NE(m.find("host=" + dir.path() + " port=5999 dbname=werk"), std::string::npos) << m;
    EXPECT_NE(m.find("No such file or directory"), std::string::npos) << m;
    EXPECT_EQ(m.find("s3cret"), std::string::npos) << m;
}

TEST_F(PgSourceTest, a_password_file_readable_by_others_is_refused) {
    testing::TempDir dir;
    testing::write_file(dir.file("pg.pass"), "s3cret\n");
    ::chmod(dir.file("pg.pass").c_str(), 0644);
    auto conn = PgConn::connect(PgSettings{m_server.conninfo(), dir.file("pg.pass"), "public"});
    ASSERT_FALSE(conn);
    EXPECT_NE(conn.error().message.find("readable by group or others"), std::string::npos);
    EXPECT_EQ(conn.error().message.find("s3cret"), std::string::npos);
}

TEST_F(PgSourceTest, a_missing_column_is_named) {
    m_server.psql("ALTER TABLE cv DROP COLUMN birth_year");
    auto conn = connect();
    auto problems = pg_check_schema(*conn);
    ASSERT_TRUE(problems) << problems.error().message;
    ASSERT_EQ(problems->size(), 1U);
    EXPECT_NE(problems->front().find("table public.cv has no column birth_year"), std::string::npos)
        << problems->front();
    auto scan = PgRecordSource::begin(*conn, 10);
    ASSERT_TRUE(scan);
    auto stream = (*scan)->open(stream_request(Kind::cv));
    ASSERT_FALSE(stream);
    EXPECT_NE(stream.error().message.find("birth_year"), std::string::npos)
        << stream.error().message;
}

TEST_F(PgSourceTest, the_shipped_read_grants_are_enough_to_scan_and_nothing_more) {
    m_server.psql(
        "CREATE ROLE spiegel LOGIN IN ROLE spiegel_reader; CREATE ROLE nobody LOGIN;"
        "INSERT INTO cv (id) VALUES ('cv-1')");
    auto reader = connect("spiegel");
    ASSERT_TRUE(reader);
    EXPECT_TRUE(pg_check_schema(*reader)->empty());
    auto scan = PgRecordSource::begin(*reader, 10);
    ASSERT_TRUE(scan) << scan.error().message;
    EXPECT_EQ(read_ids(**scan, false, 0), std::vector<std::string>{"cv-1"});
    scan->reset();
    EXPECT_FALSE(reader->exec("INSERT INTO cv (id) VALUES ('cv-2')", "writing"));
    auto nobody = connect("nobody");
    auto problems = pg_check_schema(*nobody);
    ASSERT_TRUE(problems) << problems.error().message;
    ASSERT_FALSE(problems->empty());
    EXPECT_NE(problems->front().find("public.cv"), std::string::npos) << problems->front();
}

}  // namespace
}  // namespace spiegel::store
