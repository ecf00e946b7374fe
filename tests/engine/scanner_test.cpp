// The scan engine over an in-memory RecordSource with the shipped rules:
// chunked streaming, the fields requested, and the incremental plan.
#include "daemon/engine/scanner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

#include "tests/support/test_support.h"

namespace spiegel::engine {
namespace {

using model::Kind;

struct StoredRecord {
    model::Record record;
    std::int64_t seq = 0;
};

class MemorySource final : public RecordSource {
public:
    std::map<Kind, std::vector<StoredRecord>> records;
    std::map<Kind, std::vector<std::pair<std::string, std::int64_t>>> deletions;
    std::vector<StreamRequest> opened;
    std::size_t chunk_size = 2;

    class Stream final : public RecordStream {
    public:
        Stream(std::vector<model::Record> rs, std::size_t chunk, const MemorySource& source)
            : m_records(std::move(rs)), m_chunk(chunk), m_source(source) {}
        util::Expected<std::size_t> next_chunk(model::Arena&, std::vector<model::Record>& out) override {
            if (m_source.fail_at_chunk && m_chunks++ == *m_source.fail_at_chunk) {
                if (m_source.fail_by_throwing) {
                    throw std::runtime_error("stream broke");
                }
                return util::Error{"source went away"};
            }
            std::size_t n = 0;
            while (m_pos < m_records.size() && n < m_chunk) {
                out.push_back(m_records[m_pos++]);
                ++n;
            }
            return n;
        }

    private:
        std::vector<model::Record> m_records;
        std::size_t m_chunk;
        const MemorySource& m_source;
        std::size_t m_pos = 0;
        std::size_t m_chunks = 0;
    };

    util::Expected<std::unique_ptr<RecordStream>> open(const StreamRequest& request) override {
        opened.push_back(request);
        std::vector<model::Record> selected;
        for (const auto& r : records[request.kind]) {
            if (!request.changes_only || r.seq > request.since_seq) {
                selected.push_back(r.record);
            }
        }
        return std::unique_ptr<RecordStream>(std::make_unique<Stream>(std::move(selected), chunk_size, *this));
    }
    util::Expected<std::int64_t> change_seq() override { return 100; }
    // When set: the stream of every kind fails with an error at this chunk
    // (0-based), or throws there when fail_by_throwing.
    std::optional<std::size_t> fail_at_chunk;
    bool fail_by_throwing = false;
    util::Expected<std::vector<std::string>> deleted_since(Kind kind, std::int64_t since) override {
        std::vector<std::string> ids;
        for (const auto& [id, seq] : deletions[kind]) {
            if (seq > since) {
                ids.push_back(id);
            }
        }
        return ids;
    }
    util::Expected<bool> changed_since(Kind kind, std::int64_t since) override {
        for (const auto& r : records[kind]) {
            if (r.seq > since) {
                return true;
            }
        }
        return !deleted_since(kind, since)->empty();
    }
    util::Expected<std::int64_t> changed_count(Kind kind, std::int64_t since) override {
        std::int64_t n = 0;
        for (const auto& r : records[kind]) {
            n += r.seq > since ? 1 : 0;
        }
        return n;
    }
};

class CollectingSink final : public ResultSink {
public:
    std::vector<ResultRow> rows;
    std::vector<std::string> removed;
    std::map<Kind, bool> full;
    util::Status begin_kind(Kind kind, bool f) override {
        full[kind] = f;
        return {};
    }
    std::optional<std::size_t> fail_at_put;  // put number (0-based) that fails
    util::Status put(const ResultRow& row) override {
        if (fail_at_put && rows.size() == *fail_at_put) {
            return util::Error{"disk full"};
        }
        rows.push_back(row);
        return {};
    }
    util::Status remove(Kind, const std::vector<std::string>& ids) override {
        removed.insert(removed.end(), ids.begin(), ids.end());
        return {};
    }
    util::Status end_kind(Kind, bool) override { return {}; }
};

class ScannerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto loaded = rules::load_rule_set(testing::source_dir() + "/rules");
        ASSERT_TRUE(loaded.rule_set) << (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].to_string());
        s_rules = std::move(loaded.rule_set);
    }
    static void TearDownTestSuite() { s_rules.reset(); }

    void add(Kind kind, const std::string& json, std::int64_t seq) {
        m_source.records[kind].push_back({testing::record(kind, json, m_arena), seq});
    }
    // n CVs with ids cv-0 .. cv-(n-1), changed in that order.
    void add_cvs(int n) {
        for (int i = 0; i < n; ++i) {
            add(Kind::cv, R"({"id":"cv-)" + std::to_string(i) + R"("})", i + 1);
        }
    }
    void fixture() {
        add(Kind::employer, R"({"id":"e-1","name":"A","status":"actief"})", 1);
        add(Kind::vacancy, R"({"id":"v-1","employer_id":"e-1","status":"open"})", 2);
        add(Kind::cv, R"({"id":"cv-1"})", 3);
        add(Kind::cv, R"({"id":"cv-2","email":"x@example.nl"})", 4);
        add(Kind::cv, R"({"id":"cv-3"})", 5);
    }
    util::Expected<ScanSummary> scan(bool full, std::int64_t since, std::int64_t promote_cvs_at = 0) {
        ScanRequest request;
        request.full = full;
        request.promote_when_changed[static_cast<std::size_t>(Kind::cv)] = promote_cvs_at;
        request.since_seq = since;
        request.as_of = 1'790'000'000;
        Scanner scanner(*s_rules, m_source);
        return scanner.run(request, m_sink);
    }

    static std::unique_ptr<rules::RuleSet> s_rules;
    model::Arena m_arena;
    MemorySource m_source;
    CollectingSink m_sink;
};

std::unique_ptr<rules::RuleSet> ScannerTest::s_rules;

TEST_F(ScannerTest, full_scan_evaluates_every_record_across_chunks) {
    fixture();
    auto summary = scan(true, 0);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->kinds[0].records, 3);
    EXPECT_EQ(summary->records(), 5);
    ASSERT_EQ(m_sink.rows.size(), 5u);
    EXPECT_EQ(m_sink.rows[0].id, "cv-1");
    const auto& failed = m_sink.rows[0].failed;
    EXPECT_NE(std::find(failed.begin(), failed.end(), "cv.contact.reachable"), failed.end());
    EXPECT_LT(m_sink.rows[0].score, 100.0);
    EXPECT_TRUE(m_sink.full[Kind::cv]);
}

// Many more chunks than the reader's ring holds: every record arrives once,
// in source order, with its digest, whatever the interleaving of the
// reader and the scan thread.
TEST_F(ScannerTest, many_chunks_arrive_in_order_each_once_with_digests) {
    for (int i = 0; i < 500; ++i) {
        add(Kind::cv, R"({"id":"cv-)" + std::to_string(1000 + i) + R"(","email":"x@example.nl"})", i + 1);
    }
    m_source.chunk_size = 7;
    auto summary = scan(true, 0);
    ASSERT_TRUE(summary) << summary.error().message;
    ASSERT_EQ(m_sink.rows.size(), 500u);
    for (int i = 0; i < 500; ++i) {
        EXPECT_EQ(m_sink.rows[static_cast<std::size_t>(i)].id, "cv-" + std::to_string(1000 + i));
        EXPECT_EQ(m_sink.rows[static_cast<std::size_t>(i)].digest, result_digest(m_sink.rows[static_cast<std::size_t>(i)]));
    }
}

TEST_F(ScannerTest, a_source_error_in_a_later_chunk_fails_the_scan) {
    add_cvs(100);
    m_source.fail_at_chunk = 6;
    auto summary = scan(true, 0);
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().message, "source went away");
    EXPECT_EQ(m_sink.rows.size(), 12u) << "the six chunks before the error";
}

TEST_F(ScannerTest, an_exception_on_the_reader_thread_reaches_the_caller) {
    add_cvs(100);
    m_source.fail_at_chunk = 4;
    m_source.fail_by_throwing = true;
    ScanRequest request;
    request.full = true;
    request.as_of = 1'790'000'000;
    Scanner scanner(*s_rules, m_source);
    EXPECT_THROW((void)scanner.run(request, m_sink), std::runtime_error);
}

// A sink that fails stops the scan; the reader, possibly waiting for a free
// buffer or reading ahead, is stopped and joined (no hang).
TEST_F(ScannerTest, a_sink_error_stops_the_scan_and_the_reader) {
    add_cvs(200);
    m_sink.fail_at_put = 5;
    auto summary = scan(true, 0);
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().message, "disk full");
    EXPECT_EQ(m_sink.rows.size(), 5u);
}

TEST_F(ScannerTest, streams_read_only_used_and_aggregate_fields) {
    fixture();
    ASSERT_TRUE(scan(true, 0));
    const std::size_t cross_opens = s_rules->cross_inputs().size();
    ASSERT_EQ(m_source.opened.size(), cross_opens + 3);
    for (std::size_t n = 0; n < m_source.opened.size(); ++n) {
        const StreamRequest& req = m_source.opened[n];
        ASSERT_FALSE(req.wanted.empty());
        const auto used = s_rules->used_fields(req.kind);
        const auto attrs = attribute_fields(req.kind);
        const auto cross = s_rules->cross_fields(req.kind);
        for (std::size_t i = 1; i < req.wanted.size(); ++i) {
            const bool needed = n < cross_opens ? (i < cross.size() && cross[i])
                                                : (i < used.size() && used[i]) || (i < attrs.size() && attrs[i]);
            EXPECT_EQ(req.wanted[i], needed) << model::kind_name(req.kind) << " slot " << i << " open " << n;
        }
    }
    const auto& cv_schema = model::schema_for(Kind::cv);
    const auto cv_req = std::find_if(m_source.opened.begin() + static_cast<long>(cross_opens), m_source.opened.end(),
                                     [](const StreamRequest& r) { return r.kind == Kind::cv; });
    ASSERT_NE(cv_req, m_source.opened.end());
    EXPECT_TRUE(cv_req->wanted[*cv_schema.slot("skills")]);
}

TEST_F(ScannerTest, incremental_scan_reads_only_changed_records_and_removes_deleted_ones) {
    fixture();
    m_source.deletions[Kind::cv].push_back({"cv-9", 6});
    auto summary = scan(false, 3);
    ASSERT_TRUE(summary) << summary.error().message;
    ASSERT_EQ(m_sink.rows.size(), 2u);
    EXPECT_EQ(m_sink.rows[0].id, "cv-2");
    EXPECT_EQ(m_sink.removed, std::vector<std::string>({"cv-9"}));
    EXPECT_FALSE(summary->kinds[0].full);
    EXPECT_EQ(summary->kinds[0].deleted, 1);
    EXPECT_FALSE(m_sink.full[Kind::vacancy]);
}

TEST_F(ScannerTest, change_in_a_cross_input_rescans_kinds_with_cross_rules_fully) {
    fixture();
    add(Kind::employer, R"({"id":"e-2","name":"B","status":"gestaakt"})", 7);
    auto summary = scan(false, 5);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_TRUE(summary->kinds[static_cast<int>(Kind::vacancy)].full);
    EXPECT_TRUE(summary->kinds[static_cast<int>(Kind::employer)].full);
    EXPECT_FALSE(summary->kinds[static_cast<int>(Kind::cv)].full);
    EXPECT_EQ(summary->kinds[static_cast<int>(Kind::vacancy)].records, 1);
    EXPECT_EQ(summary->kinds[static_cast<int>(Kind::employer)].records, 2);
    EXPECT_EQ(summary->kinds[static_cast<int>(Kind::cv)].records, 0);
}

// An incremental scan scans a kind fully once at least the given number of
// its records changed (ScanRequest::promote_when_changed); below it, or
// without a threshold, only the changed ones.
TEST_F(ScannerTest, a_kind_with_enough_changed_records_is_scanned_fully_by_an_incremental_scan) {
    add_cvs(10);  // changed at 1..10
    auto below = scan(false, 4, 7);  // 6 changed
    ASSERT_TRUE(below) << below.error().message;
    EXPECT_FALSE(below->kinds[static_cast<int>(Kind::cv)].full);
    EXPECT_EQ(below->kinds[static_cast<int>(Kind::cv)].records, 6);
    const auto cv_stream = [&] {
        for (auto it = m_source.opened.rbegin(); it != m_source.opened.rend(); ++it) {
            if (it->kind == Kind::cv) {
                return *it;
            }
        }
        return StreamRequest{};
    };
    EXPECT_TRUE(cv_stream().changes_only);
    auto at = scan(false, 4, 6);
    ASSERT_TRUE(at) << at.error().message;
    EXPECT_TRUE(at->kinds[static_cast<int>(Kind::cv)].full);
    EXPECT_EQ(at->kinds[static_cast<int>(Kind::cv)].records, 10);
    EXPECT_TRUE(m_sink.full[Kind::cv]);
    EXPECT_FALSE(cv_stream().changes_only);
    EXPECT_FALSE(at->kinds[static_cast<int>(Kind::vacancy)].full) << "other kinds stay incremental";
    auto never = scan(false, 4);
    ASSERT_TRUE(never) << never.error().message;
    EXPECT_FALSE(never->kinds[static_cast<int>(Kind::cv)].full);
}

}  // namespace
}  // namespace spiegel::engine
