// The packed peer statistics (state schema 8): peer_group.cells as the
// scan writes it, as SQLite's JSON functions read it (the view peer_stat),
// the upgrade from the table of version 7, and rows written by hand
// through the view.
#include "daemon/store/peer_cells.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "daemon/store/migration.h"
#include "daemon/store/state_db.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

using Cell = std::tuple<std::string, std::string, std::int64_t>;

std::vector<Cell> decode(std::string_view cells) {
    std::vector<Cell> out;
    for_each_peer_cell(cells, [&](std::string_view attribute, std::string_view value, std::int64_t n) {
        out.emplace_back(std::string(attribute), std::string(value), n);
    });
    return out;
}

std::string encode(const std::vector<Cell>& cells) {
    std::string out;
    PeerCellsEncoder encoder(out);
    for (const auto& [attribute, value, n] : cells) {
        encoder.add(attribute, value, n);
    }
    encoder.finish();
    return out;
}

// (attribute, value) in byte order, as the scan writes them; values a
// normalised skill may hold.
const std::vector<Cell> k_cells = {
    {"birth", "1991-", 30},
    {"score", "875", 3},
    {"score", "90", 1},
    {"skill", "", 2},
    {"skill", "c\\c++ \"gevorderd\"", 4},
    {"skill", "caf\xc3\xa9 \xf0\x9f\x98\x80", 5},
    {"skill", "regel\none\ttab\x01", 6},
    {"skill", "z/z", 9007199254740993},
    {"visible", "", 12},
};

std::vector<Cell> view_rows(SQLite::Database& db, const std::string& where = "") {
    std::vector<Cell> out;
    SQLite::Statement q(db, "SELECT attribute, value, count FROM peer_stat " + where +
                                " ORDER BY kind, occupation, region, attribute, value");
    while (q.executeStep()) {
        out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64());
    }
    return out;
}

TEST(PeerCells, encoded_counts_decode_as_they_were_and_sqlite_reads_the_same_rows) {
    const std::string text = encode(k_cells);
    EXPECT_EQ(decode(text), k_cells);
    EXPECT_EQ(text.find('\n'), std::string::npos) << "control characters are escaped";
    EXPECT_EQ(encode({}), "{}");
    EXPECT_TRUE(decode("{}").empty());

    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    ASSERT_TRUE(StateDb::open(path).ok());
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    SQLite::Statement put(db, "INSERT INTO peer_group VALUES ('cv', '2512', '', ?, 1)");
    put.bind(1, text);
    put.exec();
    EXPECT_EQ(db.execAndGet("SELECT json_valid(cells) FROM peer_group").getInt(), 1);
    EXPECT_EQ(view_rows(db), k_cells);
}

TEST(PeerCells, decodes_what_sqlites_json_functions_write) {
    testing::TempDir dir;
    SQLite::Database db(dir.file("x.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE c (attribute TEXT, value TEXT, count INTEGER)");
    SQLite::Statement ins(db, "INSERT INTO c VALUES (?, ?, ?)");
    for (const auto& [attribute, value, n] : k_cells) {
        ins.bind(1, attribute);
        ins.bind(2, value);
        ins.bind(3, n);
        ins.exec();
        ins.reset();
    }
    const std::string text = db.execAndGet(
                                   "SELECT json_group_object(attribute, json(cells)) FROM (SELECT attribute, "
                                   "json_group_object(value, count) AS cells FROM (SELECT * FROM c ORDER BY 1, 2) "
                                   "GROUP BY attribute ORDER BY attribute)")
                                 .getString();
    EXPECT_EQ(decode(text), k_cells);
    // Escapes SQLite's writer does not use but JSON allows.
    EXPECT_EQ(decode(" { \"a\\/b\" : { \"\\ud83d\\ude00\\u00e9\\b\\f\\r\" : -2 } } "),
              (std::vector<Cell>{{"a/b", "\xf0\x9f\x98\x80\xc3\xa9\b\f\r", -2}}));
}

TEST(PeerCells, text_that_is_not_an_object_of_whole_counts_is_a_schema_error) {
    for (const char* bad : {"", "[]", "{\"a\":1}", "{\"a\":{\"b\":1.5}}", "{\"a\":{\"b\":1e3}}",
                            "{\"a\":{\"b\":\"1\"}}",
                            "{\"a\":{\"b\":1}", "{\"a\":{\"b\":1}} x", "{\"a\":{\"b\\q\":1}}", "{\"a\":{\"\\u12\":1}}",
                            "{\"a\":{\"b\":99999999999999999999}}", "{\"a\":{\"b\" 1}}", "{\"a\":{\"b\":1,}}"}) {
        EXPECT_THROW(decode(bad), SchemaError) << bad;
    }
}

TEST(PeerCells, the_upgrade_from_version_7_keeps_every_row_of_peer_stat) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    ASSERT_TRUE(StateDb::open(path).ok());
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec(std::string(testing::k_peer_stat_as_table_sql) +
                "UPDATE state_meta SET value = '7' WHERE key = 'schema_version'");
        SQLite::Statement ins(db, "INSERT INTO peer_stat VALUES (?, ?, ?, ?, ?, ?, ?)");
        std::int64_t scan = 1;
        for (const char* kind : {"cv", "vacancy"}) {
            for (const char* region : {"", "AM21"}) {
                for (const auto& [attribute, value, n] : k_cells) {
                    ins.bind(1, kind);
                    ins.bind(2, "2512");
                    ins.bind(3, region);
                    ins.bind(4, attribute);
                    ins.bind(5, value);
                    ins.bind(6, n);
                    ins.bind(7, ++scan % 3);
                    ins.exec();
                    ins.reset();
                }
            }
        }
        db.exec("INSERT INTO peer_stat VALUES ('cv', '9999', '', 'visible', '', 0, 1)");  // a count at 0
        // Counts as the readers of version 7 took them (column_int64): a
        // whole number.
        db.exec("INSERT INTO peer_stat VALUES ('cv', '9998', '', 'skill', 'a', '12abc', 1), "
                "('cv', '9998', '', 'skill', 'b', 3.5, 1)");
    }
    const auto dump = [&path](const char* from) {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        std::vector<std::string> out;
        SQLite::Statement q(db, std::string("SELECT kind, occupation, region, attribute, value, count, scan_id FROM ") +
                                    from + " WHERE count <> 0 AND occupation <> '9998' ORDER BY 1, 2, 3, 4, 5");
        while (q.executeStep()) {
            std::string row;
            for (int c = 0; c < 7; ++c) {
                row += q.getColumn(c).getString() + "|";
            }
            out.push_back(row);
        }
        return out;
    };
    const std::vector<std::string> before = dump("peer_stat");
    ASSERT_EQ(before.size(), 4 * k_cells.size());
    ASSERT_TRUE(StateDb::open(path).ok());
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    EXPECT_EQ(db.execAndGet("SELECT value FROM state_meta WHERE key = 'schema_version'").getString(), "8");
    EXPECT_EQ(decode(db.execAndGet("SELECT cells FROM peer_group WHERE occupation = '9998'").getString()),
              (std::vector<Cell>{{"skill", "a", 12}, {"skill", "b", 3}}));
    db.exec("DELETE FROM peer_group WHERE occupation = '9998'");
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM peer_group").getInt(), 4) << "one row per group; none for 9999";
    EXPECT_EQ(db.execAndGet("SELECT group_concat(scan_id) FROM peer_group").getString(), "2,2,2,2")
        << "a group's scan_id is its newest row's";
    // The view shows the same rows, with each group's scan_id.
    std::vector<std::string> after = dump("peer_stat");
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        const auto strip = [](const std::string& row) { return row.substr(0, row.rfind('|', row.size() - 2)); };
        EXPECT_EQ(strip(after[i]), strip(before[i]));
    }
    // What the scan and the cards read: the same counts.
    SQLite::Statement g(db, "SELECT cells FROM peer_group ORDER BY kind, region");
    while (g.executeStep()) {
        EXPECT_EQ(decode(g.getColumn(0).getString()), k_cells);
    }
}

TEST(PeerCells, rows_written_by_hand_through_the_view_land_in_their_group) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    ASSERT_TRUE(StateDb::open(path).ok());
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO peer_stat VALUES ('cv', '2512', '', 'visible', '', 30, 1), "
            "('cv', '2512', '', 'skill', 'sql', 10, 2), ('cv', '2512', '', 'skill', 'c.c', 4, 2), "
            "('cv', '2512', 'AM21', 'visible', '', 12, 1)");
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM peer_group").getInt(), 2);
    EXPECT_EQ(decode(db.execAndGet("SELECT cells FROM peer_group WHERE region = ''").getString()),
              (std::vector<Cell>{{"visible", "", 30}, {"skill", "sql", 10}, {"skill", "c.c", 4}}));
    EXPECT_EQ(db.execAndGet("SELECT scan_id FROM peer_group WHERE region = ''").getInt(), 2);
    db.exec("UPDATE peer_stat SET count = 11 WHERE attribute = 'skill' AND value = 'sql'");
    EXPECT_EQ(view_rows(db, "WHERE attribute = 'skill'"),
              (std::vector<Cell>{{"skill", "c.c", 4}, {"skill", "sql", 11}}));
    db.exec("DELETE FROM peer_stat WHERE attribute = 'skill'");
    EXPECT_EQ(decode(db.execAndGet("SELECT cells FROM peer_group WHERE region = ''").getString()),
              (std::vector<Cell>{{"visible", "", 30}}))
        << "an attribute without counts goes";
    db.exec("DELETE FROM peer_stat WHERE region = 'AM21'");
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM peer_group").getInt(), 1) << "a group without counts goes";
    EXPECT_EQ(view_rows(db), (std::vector<Cell>{{"visible", "", 30}}));
}

// What SQLite's JSON paths cannot name exactly (a double quote, a
// backslash, a control character), or a count that is no whole number, is
// refused through the view, never stored otherwise or silently ignored.
TEST(PeerCells, rows_the_view_cannot_store_exactly_are_refused) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    ASSERT_TRUE(StateDb::open(path).ok());
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO peer_stat VALUES ('cv', '2512', '', 'skill', 'sql', 10, 1)");
    for (const std::string& bad :
         {std::string("'skill', 'a \"b\"', 1"), std::string("'skill', 'back\\slash', 1"),
          std::string("'skill', 'line' || char(10) || 'break', 1"), std::string("'sk\"ill', 'x', 1"),
          std::string("'skill', 'x', '12abc'"), std::string("'skill', 'x', 1.5"), std::string("'skill', 'x', NULL"),
          std::string("'skill', NULL, 1"), std::string("'skill', 'sql', 3")}) {
        EXPECT_THROW(db.exec("INSERT INTO peer_stat VALUES ('cv', '2512', '', " + bad + ", 1)"), SQLite::Exception)
            << bad;
    }
    db.exec("INSERT INTO peer_stat VALUES ('cv', '2512', '', 'skill', 'caf\xc3\xa9', '9', 1)");
    EXPECT_EQ(db.execAndGet("SELECT typeof(count) || ' ' || count FROM peer_stat WHERE value = 'caf\xc3\xa9'")
                  .getString(),
              "integer 9")
        << "a whole number given as text is stored as the number, as the table's INTEGER column did";
    EXPECT_EQ(view_rows(db), (std::vector<Cell>{{"skill", "caf\xc3\xa9", 9}, {"skill", "sql", 10}}));
    // A value the scan wrote with a control character cannot be changed or
    // removed through the view: refused, not a silent no-op.
    std::string cells;
    PeerCellsEncoder encoder(cells);
    encoder.add("skill", "a\nb", 4);
    encoder.finish();
    SQLite::Statement put(db, "INSERT INTO peer_group VALUES ('cv', '2513', '', ?, 1)");
    put.bind(1, cells);
    put.exec();
    EXPECT_THROW(db.exec("UPDATE peer_stat SET count = 5 WHERE occupation = '2513'"), SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM peer_stat WHERE occupation = '2513'"), SQLite::Exception);
    EXPECT_THROW(db.exec("UPDATE peer_stat SET count = 2.5 WHERE value = 'sql'"), SQLite::Exception);
    EXPECT_EQ(decode(db.execAndGet("SELECT cells FROM peer_group WHERE occupation = '2513'").getString()),
              (std::vector<Cell>{{"skill", "a\nb", 4}}));
}

// A group whose text cannot be read stops the read with a message that
// names the group and what repairs it.
TEST(PeerCells, an_unreadable_group_is_named_in_the_error) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    auto state = StateDb::open(path);
    ASSERT_TRUE(state.ok());
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("INSERT INTO peer_group VALUES ('cv', '2512', 'AM21', '{\"skill\":{\"sql\":\"ten\"}}', 1)");
    }
    const auto read = (*state)->read_aggregates(1);
    ASSERT_FALSE(read.ok());
    EXPECT_NE(read.error().message.find("peer_group (cv, 2512, AM21): cells: expected a whole number at byte 16"),
              std::string::npos)
        << read.error().message;
    EXPECT_NE(read.error().message.find("spiegeld scan --full"), std::string::npos) << read.error().message;
}

}  // namespace
}  // namespace spiegel::store
