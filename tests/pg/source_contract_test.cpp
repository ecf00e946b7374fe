// The source contract, run against both engines from one parameterised
// suite: the SQLite source database and a private PostgreSQL 15 server.
// Keyset chunks, decoding fidelity, column selection, change tracking
// (writer, ETL update, ETL delete tombstones), import rejections and
// all-or-nothing writes.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/record.h"
#include "daemon/store/importer.h"
#include "daemon/store/pg_conn.h"
#include "daemon/store/pg_source.h"
#include "daemon/store/pg_target.h"
#include "daemon/store/source_db.h"
#include "daemon/store/source_stream.h"
#include "tests/pg/pg_server.h"
#include "tests/pg/stream_request.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

using model::Kind;

using testing::stream_request;

// One engine behind the contract: where records are written, a fresh scan
// source (a new snapshot), and direct SQL as an ETL job would run it.
class Engine {
  public:
    virtual ~Engine() = default;
    virtual RecordTarget& target() = 0;
    virtual engine::RecordSource& scan(std::size_t chunk) = 0;
    virtual void etl(const std::string& sql) = 0;
};

class SqliteEngine final : public Engine {
  public:
    SqliteEngine() {
        auto db = SourceDb::open(path(), SourceDb::Mode::read_write);
        EXPECT_TRUE(db) << db.error().message;
        if (db) {
            m_db = std::move(*db);
        }
    }
    RecordTarget& target() override { return *m_db; }
    engine::RecordSource& scan(std::size_t chunk) override {
        m_sources.push_back(std::make_unique<SourceRecordSource>(*m_db, chunk));
        return *m_sources.back();
    }
    void etl(const std::string& sql) override {
        SQLite::Database db(path(), SQLite::OPEN_READWRITE);
        db.setBusyTimeout(5000);
        db.exec(sql);
    }

  private:
    std::string path() const { return m_dir.file("source.db"); }
    testing::TempDir m_dir;
    std::unique_ptr<SourceDb> m_db;
    std::vector<std::unique_ptr<SourceRecordSource>> m_sources;
};

class PostgresEngine final : public Engine {
  public:
    PostgresEngine() {
        if (!m_server.running()) {
            return;
        }
        m_server.create_schema();
        m_write = connect();
        m_target = std::make_unique<PgTarget>(*m_write);
    }
    RecordTarget& target() override { return *m_target; }
    engine::RecordSource& scan(std::size_t chunk) override {
        m_sources.clear();  // one scan at a time: its transaction ends first
        m_conns.push_back(connect());
        auto source = PgRecordSource::begin(*m_conns.back(), chunk);
        EXPECT_TRUE(source) << source.error().message;
        m_sources.push_back(std::move(*source));
        return *m_sources.back();
    }
    void etl(const std::string& sql) override { m_server.psql(sql); }
    testing::PgServer& server() { return m_server; }

    std::unique_ptr<PgConn> connect() {
        auto conn = PgConn::connect(PgSettings{m_server.conninfo(), "", "public"});
        EXPECT_TRUE(conn) << conn.error().message;
        return conn ? std::move(*conn) : nullptr;
    }

  private:
    testing::PgServer m_server;
    std::unique_ptr<PgConn> m_write;
    std::unique_ptr<PgTarget> m_target;
    std::vector<std::unique_ptr<PgConn>> m_conns;
    std::vector<std::unique_ptr<PgRecordSource>> m_sources;
};

std::vector<model::Record> read_all(engine::RecordSource& source,
                                    const engine::StreamRequest& request, model::Arena& arena,
                                    int* chunks = nullptr) {
    std::vector<model::Record> out;
    auto stream = source.open(request);
    EXPECT_TRUE(stream) << stream.error().message;
    if (!stream) {
        return out;
    }
    for (int i = 0; i < 10000; ++i) {
        auto n = (*stream)->next_chunk(arena, out);
        EXPECT_TRUE(n) << n.error().message;
        if (!n || *n == 0) {
            break;
        }
        if (chunks != nullptr) {
            ++*chunks;
        }
    }
    return out;
}

std::vector<std::string> ids_of(const std::vector<model::Record>& records) {
    std::vector<std::string> ids;
    for (const auto& r : records) {
        ids.emplace_back(r.id());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

const std::vector<std::string> k_cvs = {
    R"({"id":"cv-1","created_at":"2026-01-01T10:00:00+02:00","updated_at":"2026-09-01T00:00:00Z",
        "birth_year":1985,"postcode":"1234 AB","region":"AM21","email":"a@example.nl",
        "summary":"Tab\there, newline\nthere, backslash \\ and \"quotes\" and é ü 🙂",
        "desired_occupations":[{"code":"2512","title":"Ontwikkelaar"}],
        "education":[{"level":"hbo","name":"Informatica","diploma":true,"year_end":2008}],
        "experience":[{"occupation_code":"2512","title":"Dev","employer":"X","start":"2010-01","description":"Werk"}],
        "skills":["C++","SQL"],"languages":[{"code":"nld","level":"C2"}],"driving_licences":["B"],
        "hours_per_week":36,"hours_per_day":7.25,"max_travel_minutes":45,"max_travel_km":30,"visible":true,
        "target_groups":["ww"],"favourite_colour":"blauw"})",
    R"({"id":"cv-2","visible":false,"hours_per_day":0.1,"skills":[]})",
    R"({"id":"cv-3","birth_year":-5,"postcode":""})",
    R"({"id":"cv-4"})",
    R"({"id":"cv-5","interests":["zorg","techniek"],"hours_per_day":1e-7})",
};

void write(RecordTarget& target, Kind kind, const std::vector<std::string>& json) {
    model::Arena arena;
    auto writer = target.begin_records();
    ASSERT_TRUE(writer) << writer.error().message;
    for (const auto& j : json) {
        auto st = (*writer)->upsert(testing::record(kind, j, arena));
        ASSERT_TRUE(st) << st.error().message;
    }
    auto st = (*writer)->commit();
    ASSERT_TRUE(st) << st.error().message;
}

class SourceContract : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        if (GetParam() == "sqlite") {
            m_engine = std::make_unique<SqliteEngine>();
        } else {
            auto pg = std::make_unique<PostgresEngine>();
            ASSERT_TRUE(pg->server().running());
            m_engine = std::move(pg);
        }
    }
    Engine& e() { return *m_engine; }
    std::unique_ptr<Engine> m_engine;
};

TEST_P(SourceContract, full_read_in_keyset_chunks_returns_every_record_as_written) {
    write(e().target(), Kind::cv, k_cvs);
    model::Arena arena;
    int chunks = 0;
    const auto records = read_all(e().scan(2), stream_request(Kind::cv), arena, &chunks);
    EXPECT_EQ(chunks, 3);
    ASSERT_EQ(records.size(), k_cvs.size());
    model::Arena expected_arena;
    for (std::size_t i = 0; i < k_cvs.size(); ++i) {
        const auto expected = testing::record(Kind::cv, k_cvs[i], expected_arena);
        EXPECT_EQ(model::record_to_json(records[i]), model::record_to_json(expected)) << i;
        EXPECT_TRUE(records[i].issues.empty()) << i;
    }
}

TEST_P(SourceContract, only_the_wanted_columns_are_read) {
    write(e().target(), Kind::cv, k_cvs);
    const auto& schema = model::schema_for(Kind::cv);
    auto request = stream_request(Kind::cv);
    request.wanted.assign(schema.fields.size(), false);
    request.wanted[*schema.slot("birth_year")] = true;
    model::Arena arena;
    const auto records = read_all(e().scan(100), request, arena);
    ASSERT_EQ(records.size(), k_cvs.size());
    EXPECT_EQ(model::record_to_json(records[0]),
              R"({"id":"cv-1","birth_year":1985,"favourite_colour":"blauw"})");
}

TEST_P(SourceContract, a_change_read_returns_what_was_written_after_the_watermark) {
    write(e().target(), Kind::cv, {k_cvs[0], k_cvs[1], k_cvs[2]});
    const auto watermark = *e().scan(10).change_seq();
    write(e().target(), Kind::cv, {R"({"id":"cv-2","birth_year":1990})", k_cvs[3]});
    auto& source = e().scan(1);
    model::Arena arena;
    const auto request = stream_request(Kind::cv, true, watermark);
    const auto changed = read_all(source, request, arena);
    EXPECT_EQ(ids_of(changed), (std::vector<std::string>{"cv-2", "cv-4"}));
    EXPECT_TRUE(*source.changed_since(Kind::cv, watermark));
    EXPECT_FALSE(*source.changed_since(Kind::vacancy, watermark));
    // Nothing changed since this scan's own watermark.
    const auto now = *source.change_seq();
    const auto again = read_all(e().scan(1), stream_request(Kind::cv, true, now), arena);
    EXPECT_TRUE(again.empty()) << ids_of(again).size();
}

TEST_P(SourceContract, etl_updates_are_changes_and_etl_deletes_leave_tombstones) {
    write(e().target(), Kind::cv, {k_cvs[0], k_cvs[1], k_cvs[2]});
    const auto watermark = *e().scan(10).change_seq();
    e().etl("UPDATE cv SET birth_year = 1970 WHERE id = 'cv-1'; DELETE FROM cv WHERE id = 'cv-2';");
    auto& source = e().scan(10);
    model::Arena arena;
    const auto changed = read_all(source, stream_request(Kind::cv, true, watermark), arena);
    ASSERT_EQ(ids_of(changed), std::vector<std::string>{"cv-1"});
    EXPECT_EQ(changed[0].field("birth_year").integer, 1970);
    EXPECT_EQ(*source.deleted_since(Kind::cv, watermark), std::vector<std::string>{"cv-2"});
    EXPECT_TRUE(source.deleted_since(Kind::employer, watermark)->empty());
    EXPECT_TRUE(*source.changed_since(Kind::cv, watermark));
}

TEST_P(SourceContract, an_etl_insert_is_a_change) {
    write(e().target(), Kind::cv, {k_cvs[0]});
    const auto watermark = *e().scan(10).change_seq();
    e().etl("INSERT INTO cv (id, birth_year) VALUES ('cv-etl', 1985)");
    model::Arena arena;
    EXPECT_EQ(ids_of(read_all(e().scan(10), stream_request(Kind::cv, true, watermark), arena)),
              std::vector<std::string>{"cv-etl"});
}

TEST_P(SourceContract, timestamp_text_that_is_no_timestamp_reads_as_an_issue) {
    write(e().target(), Kind::cv,
          {R"({"id":"cv-1","created_at":"gisteren","updated_at":"","birth_year":1980})"});
    model::Arena arena;
    const auto records = read_all(e().scan(10), stream_request(Kind::cv), arena);
    ASSERT_EQ(records.size(), 1U);
    const auto& schema = model::schema_for(Kind::cv);
    ASSERT_EQ(records[0].issues.size(), 1U);
    EXPECT_EQ(records[0].issues[0].slot, *schema.slot("created_at"));
    EXPECT_EQ(records[0].issues[0].reason, "not a valid RFC 3339 timestamp");
    EXPECT_TRUE(records[0].field("updated_at").is_string());
    EXPECT_EQ(records[0].field("updated_at").string, "");
    EXPECT_EQ(records[0].field("birth_year").integer, 1980);
}

// A fraction of a second is part of the instant (rules compare it): both
// engines read it back in UTC with the fraction given, trailing zeros
// dropped, whether the importer or an ETL job wrote it.
TEST_P(SourceContract, a_timestamp_keeps_its_fraction_of_a_second) {
    write(e().target(), Kind::cv,
          {R"({"id":"cv-1","created_at":"2026-10-01T14:00:00.250+02:00","updated_at":"2026-10-01T12:00:00.000Z"})"});
    e().etl("INSERT INTO cv (id, created_at) VALUES ('cv-2', '2026-10-01T12:00:00.5+01:00')");
    model::Arena arena;
    const auto records = read_all(e().scan(10), stream_request(Kind::cv), arena);
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[0].field("created_at").string, "2026-10-01T12:00:00.25Z");
    EXPECT_EQ(records[0].field("updated_at").string, "2026-10-01T12:00:00Z");
    EXPECT_EQ(records[1].field("created_at").string, "2026-10-01T11:00:00.5Z");
    EXPECT_TRUE(records[1].issues.empty());
}

// The year 0000 is valid RFC 3339 but not a PostgreSQL timestamp: the
// value waits in invalid_values there and must read as it does from SQLite.
TEST_P(SourceContract, instants_and_dates_in_the_year_0000_read_as_valid_values) {
    write(e().target(), Kind::vacancy,
          {R"({"id":"v-0","received_at":"0000-01-01T00:00:00Z","registered_at":"0001-01-01T00:30:00+01:00",)"
           R"("closing_date":"0000-02-29"})"});
    model::Arena arena;
    const auto records = read_all(e().scan(10), stream_request(Kind::vacancy), arena);
    ASSERT_EQ(records.size(), 1U);
    EXPECT_TRUE(records[0].issues.empty()) << records[0].issues.size();
    EXPECT_EQ(records[0].field("received_at").string, "0000-01-01T00:00:00Z");
    EXPECT_EQ(records[0].field("registered_at").string, "0000-12-31T23:30:00Z");
    EXPECT_EQ(records[0].field("closing_date").string, "0000-02-29");
}

TEST_P(SourceContract, a_writer_destroyed_without_commit_leaves_nothing) {
    write(e().target(), Kind::cv, {k_cvs[0]});
    {
        model::Arena arena;
        auto writer = e().target().begin_records();
        ASSERT_TRUE(writer) << writer.error().message;
        ASSERT_TRUE((*writer)->upsert(testing::record(Kind::cv, k_cvs[1], arena)));
        ASSERT_TRUE((*writer)->upsert(testing::record(Kind::employer, R"({"id":"e-1"})", arena)));
    }
    model::Arena arena;
    EXPECT_EQ(ids_of(read_all(e().scan(10), stream_request(Kind::cv), arena)),
              std::vector<std::string>{"cv-1"});
    EXPECT_TRUE(read_all(e().scan(10), stream_request(Kind::employer), arena).empty());
    // The target is usable again afterwards.
    write(e().target(), Kind::cv, {k_cvs[2]});
    EXPECT_EQ(read_all(e().scan(10), stream_request(Kind::cv), arena).size(), 2U);
}

std::vector<std::string> import_lines(RecordTarget& target, const std::string& text, bool strict,
                                      ImportResult& result) {
    testing::TempDir dir;
    testing::write_file(dir.file("in.ndjson"), text);
    std::vector<std::string> messages;
    ImportSettings settings;
    settings.kind = Kind::cv;
    settings.strict = strict;
    settings.source_name = "in.ndjson";
    ImportReporter reporter;
    reporter.rejected = [&](std::string_view m) { messages.emplace_back(m); };
    Importer importer(target, settings, reporter);
    auto run = importer.run_file(dir.file("in.ndjson"));
    EXPECT_TRUE(run) << run.error().message;
    if (run) {
        result = *run;
    }
    return messages;
}

const std::string k_mixed_import = R"({"id":"cv-1","birth_year":1980}
not json
{"id":"cv-2","birth_year":"abc"}
{"id":"cv-3","summary":"Geheime tekst"}
{"id":"cv-1"}
)";

TEST_P(SourceContract, import_rejects_bad_lines_by_number_and_imports_the_good_ones) {
    ImportResult result;
    const auto messages = import_lines(e().target(), k_mixed_import, false, result);
    EXPECT_EQ(result.read, 5);
    EXPECT_EQ(result.imported, 2);
    EXPECT_EQ(result.rejected, 3);
    EXPECT_TRUE(result.committed);
    ASSERT_EQ(messages.size(), 3U);
    EXPECT_EQ(messages[0].rfind("in.ndjson:2: ", 0), 0U) << messages[0];
    EXPECT_EQ(messages[1].rfind("in.ndjson:3: ", 0), 0U) << messages[1];
    EXPECT_EQ(messages[2].rfind("in.ndjson:5: ", 0), 0U) << messages[2];
    model::Arena arena;
    EXPECT_EQ(ids_of(read_all(e().scan(10), stream_request(Kind::cv), arena)),
              (std::vector<std::string>{"cv-1", "cv-3"}));
}

TEST_P(SourceContract, a_strict_import_with_a_rejected_line_writes_nothing) {
    ImportResult result;
    import_lines(e().target(), k_mixed_import, true, result);
    EXPECT_FALSE(result.committed);
    EXPECT_EQ(result.imported, 0);
    model::Arena arena;
    EXPECT_TRUE(read_all(e().scan(10), stream_request(Kind::cv), arena).empty());
}

TEST_P(SourceContract, reimporting_an_id_replaces_the_record_and_marks_it_changed) {
    write(e().target(), Kind::cv, {k_cvs[0], k_cvs[1]});
    const auto watermark = *e().scan(10).change_seq();
    ImportResult result;
    import_lines(e().target(),
                 R"({"id":"cv-1","birth_year":2001})"
                 "\n",
                 false, result);
    EXPECT_EQ(result.imported, 1);
    model::Arena arena;
    const auto all = read_all(e().scan(10), stream_request(Kind::cv), arena);
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(model::record_to_json(all[0]), R"({"id":"cv-1","birth_year":2001})");
    EXPECT_EQ(ids_of(read_all(e().scan(10), stream_request(Kind::cv, true, watermark), arena)),
              std::vector<std::string>{"cv-1"});
}

INSTANTIATE_TEST_SUITE_P(Engines, SourceContract, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace spiegel::store
