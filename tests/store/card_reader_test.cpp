// CardReader against a state DB written by a real scan of a small world
// whose peer figures are known by construction (tests/app/personal_card_fixture.h),
// and against peer_stat rows written by hand (the occupation card's cells).

#include "daemon/store/card_reader.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "daemon/store/state_db.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

CardWorld& world() {
    static CardWorld w;
    return w;
}

std::int64_t count(const store::AttributeCounts& counts, const std::string& attribute, const std::string& value) {
    const auto a = counts.find(attribute);
    if (a == counts.end()) {
        return 0;
    }
    const auto v = a->second.find(value);
    return v == a->second.end() ? 0 : v->second;
}

TEST(CardReader, cv_input_has_the_result_contact_and_peer_cells) {
    store::CardReader reader(world().state_db(), world().source_db());
    auto read = reader.read_cv("cv-target", true, 10);
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_TRUE(read->has_value());
    const store::CvCardInput& in = **read;
    EXPECT_EQ(in.result.id, "cv-target");
    EXPECT_EQ(in.result.occupation, "2512");
    EXPECT_TRUE(in.result.peer.visible);
    EXPECT_EQ(in.result.peer.skills, std::vector<std::string>{"java"});
    EXPECT_EQ(in.scan_as_of, k_card_as_of);
    ASSERT_TRUE(in.contact.has_value());
    EXPECT_EQ(in.contact->email, "j.jansen@example.nl");
    EXPECT_EQ(in.contact->phone, "");
    ASSERT_TRUE(in.occupation_peers.has_value());
    const auto& peers = *in.occupation_peers;
    EXPECT_EQ(peers.code, "2512");
    EXPECT_EQ(peers.members, 13) << "12 visible peers and the CV itself; the hidden CV is no peer";
    EXPECT_EQ(count(peers.counts, "skill", "sql"), 10);
    EXPECT_EQ(count(peers.counts, "skill", "python"), 5);
    EXPECT_EQ(count(peers.counts, "skill", "java"), 13);
    EXPECT_EQ(count(peers.counts, "licence", "B"), 9);
    EXPECT_EQ(count(peers.counts, "co_occupation", "2511"), 10);
    EXPECT_FALSE(in.group_peers.has_value()) << "12 others >= k: no need to widen";
    ASSERT_TRUE(in.open_vacancies_in_region.has_value());
    EXPECT_EQ(*in.open_vacancies_in_region, 13);
}

TEST(CardReader, peers_below_match_the_scores_of_the_scan_report) {
    const auto scores = world().reported_scores();
    const double mine = scores.at("cv-target");
    std::int64_t below = 0;
    std::int64_t equal = 1;  // the CV itself is a visible member
    for (const auto& [id, score] : scores) {
        below += id.rfind("cv-p", 0) == 0 && score < mine ? 1 : 0;
        equal += id.rfind("cv-p", 0) == 0 && score == mine ? 1 : 0;
    }
    ASSERT_GT(below, 0) << "the fixture gives some peers a lower score";
    store::CardReader reader(world().state_db(), world().source_db());
    auto read = reader.read_cv("cv-target", false, 10);
    ASSERT_TRUE(read.ok() && read->has_value());
    EXPECT_EQ((*read)->occupation_peers->below, below);
    EXPECT_EQ((*read)->occupation_peers->equal, equal);
    EXPECT_GT(equal, 1) << "cv-p11 and cv-p12 fail the same rule as the CV";
    EXPECT_FALSE((*read)->contact.has_value()) << "contact read only when asked";
}

// A card's peer figures are lookups in the cells the scan keeps, so its
// cost does not grow with the records: with every other result row gone
// from a copy of the state database, the card reads the same peers.
TEST(CardReader, peer_counts_come_from_the_scan_cells_not_from_the_result_rows) {
    store::CardReader reader(world().state_db(), world().source_db());
    auto before = reader.read_cv("cv-target", false, 13);
    ASSERT_TRUE(before.ok() && before->has_value());
    TempDir copy;
    const std::string state = copy.file("state.db");
    {
        SQLite::Database from(world().state_db(), SQLite::OPEN_READONLY);
        from.backup(state.c_str(), SQLite::Database::Save);
    }
    SQLite::Database raw(state, SQLite::OPEN_READWRITE);
    EXPECT_GT(raw.exec("DELETE FROM result WHERE id <> 'cv-target'"), 20);
    store::CardReader stripped(state, world().source_db());
    auto after = stripped.read_cv("cv-target", false, 13);
    ASSERT_TRUE(after.ok()) << after.error().message;
    ASSERT_TRUE(after->has_value());
    for (auto group : {&store::CvCardInput::occupation_peers, &store::CvCardInput::group_peers}) {
        const auto& b = (**before).*group;
        const auto& a = (**after).*group;
        ASSERT_TRUE(b.has_value() && a.has_value());
        EXPECT_EQ(a->members, b->members);
        EXPECT_EQ(a->below, b->below);
        EXPECT_EQ(a->equal, b->equal);
        EXPECT_EQ(a->counts, b->counts);
        EXPECT_FALSE(a->counts.contains("score")) << "the histogram is read, not passed on as an attribute";
    }
    EXPECT_EQ((**after).occupation_peers->members, 13);
}

// Readers sharing a PeerGroupCache read a peer group once per completed
// scan: a change to peer_stat without a new scan is not seen (the group
// came from the cache), and the next completed scan is.
TEST(CardReader, shared_peer_groups_are_read_once_per_completed_scan) {
    TempDir copy;
    const std::string state = copy.file("state.db");
    {
        SQLite::Database from(world().state_db(), SQLite::OPEN_READONLY);
        from.backup(state.c_str(), SQLite::Database::Save);
    }
    auto cache = std::make_shared<store::PeerGroupCache>();
    store::CardReader first(state, world().source_db(), {}, cache);
    store::CardReader second(state, world().source_db(), {}, cache);
    const auto sql_skill = [](store::CardReader& reader) {
        auto read = reader.read_cv("cv-target", false, 10);
        EXPECT_TRUE(read.ok() && read->has_value());
        return read.ok() && read->has_value() ? count((**read).occupation_peers->counts, "skill", "sql") : -1;
    };
    EXPECT_EQ(sql_skill(first), 10);
    SQLite::Database raw(state, SQLite::OPEN_READWRITE);
    raw.exec("UPDATE peer_stat SET count = 11 WHERE kind = 'cv' AND occupation = '2512' AND region = '' AND "
             "attribute = 'skill' AND value = 'sql'");
    EXPECT_EQ(sql_skill(second), 10) << "the group read by the first reader, for the same scan";
    raw.exec("UPDATE scan SET finished_at = finished_at + 1 WHERE id = (SELECT max(id) FROM scan WHERE status = 'ok')");
    EXPECT_EQ(sql_skill(second), 11) << "another completed scan: read again";
    EXPECT_EQ(sql_skill(first), 11);
    store::CardReader alone(state, world().source_db());
    EXPECT_EQ(sql_skill(alone), 11) << "a reader without the cache reads every time";
}

// The contact details and a vacancy's employer are read at the source row
// the scan read the record from, its id checked there: a record imported
// again into another row since is found by its id, and the record now in
// its old row is never taken for it.
TEST(CardReader, source_columns_are_the_records_own_when_its_row_moved_or_was_taken) {
    TempDir copy;
    const std::string source = copy.file("source.db");
    {
        SQLite::Database from(world().source_db(), SQLite::OPEN_READONLY);
        from.backup(source.c_str(), SQLite::Database::Save);
    }
    SQLite::Database raw(source, SQLite::OPEN_READWRITE);
    const std::int64_t cv_row = raw.execAndGet("SELECT rid FROM cv WHERE id = 'cv-target'").getInt64();
    const std::int64_t vac_row = raw.execAndGet("SELECT rid FROM vacancy WHERE id = 'vac-own'").getInt64();
    const auto contact = [&](const std::string& id) {
        store::CardReader reader(world().state_db(), source);
        auto read = reader.read_cv(id, true, 10);
        EXPECT_TRUE(read.ok() && read->has_value() && (**read).contact.has_value());
        return read.ok() && read->has_value() && (**read).contact ? (**read).contact->email : std::string("?");
    };
    const auto employer = [&](const std::string& id) {
        store::CardReader reader(world().state_db(), source);
        auto read = reader.read_vacancy(id, 10);
        EXPECT_TRUE(read.ok() && read->has_value());
        return read.ok() && read->has_value() ? (**read).employer_id : std::string("?");
    };
    EXPECT_EQ(contact("cv-target"), "j.jansen@example.nl") << "at its row";
    EXPECT_EQ(employer("vac-own"), "emp-1");

    raw.exec("UPDATE cv SET rid = 900001, email = 'nieuw@example.nl' WHERE id = 'cv-target'");
    raw.exec("UPDATE vacancy SET rid = 900001, employer_id = 'emp-9' WHERE id = 'vac-own'");
    EXPECT_EQ(contact("cv-target"), "nieuw@example.nl") << "moved to another row: found by id";
    EXPECT_EQ(employer("vac-own"), "emp-9");

    raw.exec("UPDATE cv SET rid = " + std::to_string(cv_row) + " WHERE id = 'cv-p05'");
    raw.exec("UPDATE vacancy SET rid = " + std::to_string(vac_row) + " WHERE id = 'vac-other'");
    EXPECT_EQ(contact("cv-target"), "nieuw@example.nl") << "another CV in its old row is not its contact";
    EXPECT_EQ(employer("vac-own"), "emp-9");

    raw.exec("DELETE FROM cv WHERE id = 'cv-target'");
    raw.exec("DELETE FROM vacancy WHERE id = 'vac-own'");
    store::CardReader reader(world().state_db(), source);
    auto gone = reader.read_cv("cv-target", true, 10);
    ASSERT_TRUE(gone.ok() && gone->has_value()) << "the result is still stored";
    ASSERT_TRUE((**gone).contact.has_value());
    EXPECT_EQ((**gone).contact->email, "") << "no record with that id: no contact, and not another's";
    auto vacancy = reader.read_vacancy("vac-own", 10);
    ASSERT_TRUE(vacancy.ok() && vacancy->has_value());
    EXPECT_EQ((**vacancy).employer_id, "");
}

TEST(CardReader, minor_group_is_read_when_the_occupation_has_fewer_than_k_others) {
    store::CardReader reader(world().state_db(), world().source_db());
    auto read = reader.read_cv("cv-target", false, 13);
    ASSERT_TRUE(read.ok() && read->has_value());
    ASSERT_TRUE((*read)->group_peers.has_value());
    EXPECT_EQ((*read)->group_peers->code, "251");
    EXPECT_EQ((*read)->group_peers->members, 13);
    EXPECT_EQ(count((*read)->group_peers->counts, "co_occupation", "2511"), 10);
}

TEST(CardReader, vacancy_input_has_employer_peers_and_candidate_pool) {
    store::CardReader reader(world().state_db(), world().source_db());
    auto read = reader.read_vacancy("vac-own", 10);
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_TRUE(read->has_value());
    const store::VacancyCardInput& in = **read;
    EXPECT_EQ(in.employer_id, "emp-1");
    EXPECT_FALSE(in.result.peer.salary);
    ASSERT_TRUE(in.occupation_peers.has_value());
    EXPECT_EQ(in.occupation_peers->members, 13);
    EXPECT_EQ(count(in.occupation_peers->counts, "salary", ""), 7);
    EXPECT_EQ(count(in.occupation_peers->counts, "education", "hbo"), 13);
    EXPECT_EQ(count(in.pool, "visible", ""), 13);
    EXPECT_EQ(count(in.pool, "education", "hbo"), 13);
    EXPECT_EQ(count(in.pool, "target_group", "banenafspraak"), 3);
    auto other = reader.read_vacancy("vac-other", 10);
    ASSERT_TRUE(other.ok() && other->has_value());
    EXPECT_EQ((*other)->employer_id, "emp-2");
}

TEST(CardReader, occupation_score_sums_kept_by_the_scan_match_the_report) {
    const auto scores = world().reported_scores();
    double sum = 0;
    std::int64_t cvs = 0;
    for (const auto& [id, score] : scores) {
        if (id.rfind("cv-", 0) == 0) {  // every CV of the world seeks 2512, cv-hidden included
            sum += score;
            ++cvs;
        }
    }
    store::CardReader reader(world().state_db(), world().source_db());
    auto read = reader.read_occupation("2512", "AM21");
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(read->national.cv_scores.records, cvs);
    EXPECT_NEAR(read->national.cv_scores.sum, sum, 1e-6);
    ASSERT_TRUE(read->regional.has_value());
    EXPECT_EQ(read->regional->cv_scores.records, cvs) << "all in AM21";
    EXPECT_EQ(read->national.vacancy_scores.records, 13);
}

TEST(CardReader, unknown_ids_have_no_input) {
    store::CardReader reader(world().state_db(), world().source_db());
    auto cv = reader.read_cv("cv-nobody", true, 10);
    ASSERT_TRUE(cv.ok());
    EXPECT_FALSE(cv->has_value());
    auto vacancy = reader.read_vacancy("cv-target", 10);  // a CV id is no vacancy
    ASSERT_TRUE(vacancy.ok());
    EXPECT_FALSE(vacancy->has_value());
}

TEST(CardReader, missing_database_is_an_error_then_recovers_when_it_appears) {
    TempDir dir;
    const std::string state = dir.file("state.db");
    store::CardReader reader(state, world().source_db());
    auto read = reader.read_cv("cv-target", false, 10);
    ASSERT_FALSE(read.ok());
    EXPECT_NE(read.error().message.find(state), std::string::npos);
    std::filesystem::copy_file(world().state_db(), state);
    auto again = reader.read_cv("cv-target", false, 10);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(again->has_value());
}

TEST(CardReader, trend_has_a_point_per_score_change) {
    CardWorld w;
    {
        auto db = store::SourceDb::open(w.source_db(), store::SourceDb::Mode::read_write);
        ASSERT_TRUE(db.ok());
        auto fixed = rules::acceptance::base_cv();
        fixed["id"] = "cv-target";  // now with phone, skills and licence: a higher score
        write_records(**db, model::Kind::cv, {fixed.dump()});
    }
    ASSERT_EQ(run_spiegeld({"scan", "--config", w.config, "--as-of", "2026-11-08T12:00:00Z"}).exit_code, 0);
    ASSERT_EQ(run_spiegeld({"scan", "--config", w.config, "--full", "--as-of", "2026-11-09T12:00:00Z"}).exit_code, 0);
    store::CardReader reader(w.state_db(), w.source_db());
    auto read = reader.read_cv("cv-target", false, 10);
    ASSERT_TRUE(read.ok() && read->has_value());
    const auto& trend = (*read)->trend;
    ASSERT_EQ(trend.size(), 2U) << "the unchanged third scan adds no point";
    EXPECT_EQ(trend[0].as_of, k_card_as_of);
    EXPECT_EQ(trend[0].score, w.reported_scores().at("cv-target"));
    EXPECT_EQ(trend[1].as_of, "2026-11-08T12:00:00Z");
    EXPECT_GT(trend[1].score, trend[0].score);
    EXPECT_EQ(trend[1].score, (*read)->result.score);
}

// A state DB with hand-written peer_stat rows.
void fill(const std::string& path) {
    ASSERT_TRUE(store::StateDb::open(path).ok());  // creates the schema
    SQLite::Database sql(path, SQLite::OPEN_READWRITE);
    sql.exec(
        "INSERT INTO peer_stat VALUES "
        "('cv', '7212', '', 'visible', '', 30, 1), ('cv', '7212', 'AM21', 'visible', '', 12, 1), "
        "('cv', '7212', '', 'birth', '1991-', 30, 1), ('cv', '7213', '', 'visible', '', 99, 1), "
        "('vacancy', '7212', '', 'open', '', 15, 1), ('employer', '7212', '', 'count', '', 5, 1), "
        // score sums per cell: c1 (80, AM21) and c2 (60, AM01) seek 7212, v1 (90, AM21)
        "('cv', '7212', '', 'count', '', 2, 1), ('cv', '7212', '', 'score_tenths', '', 1400, 1), "
        "('cv', '7212', 'AM21', 'count', '', 1, 1), ('cv', '7212', 'AM21', 'score_tenths', '', 800, 1), "
        "('vacancy', '7212', '', 'count', '', 1, 1), ('vacancy', '7212', '', 'score_tenths', '', 900, 1), "
        "('vacancy', '7212', 'AM21', 'count', '', 1, 1), ('vacancy', '7212', 'AM21', 'score_tenths', '', 900, 1), "
        "('cv', '7213', '', 'count', '', 1, 1), ('cv', '7213', '', 'score_tenths', '', 100, 1)");
}

TEST(CardReaderPeerCells, reads_national_and_regional_cells_of_one_occupation) {
    TempDir dir;
    const std::string path = dir.file("state.db");
    fill(path);
    store::CardReader reader(path, dir.file("source.db"));
    const auto data = reader.read_occupation("7212", "AM21");
    ASSERT_TRUE(data.ok()) << data.error().message;
    EXPECT_EQ(data->national.cv.at("visible").at(""), 30);
    EXPECT_EQ(data->national.cv.at("birth").at("1991-"), 30);
    EXPECT_EQ(data->national.vacancy.at("open").at(""), 15);
    EXPECT_EQ(data->national.cv_scores.records, 2);
    EXPECT_DOUBLE_EQ(data->national.cv_scores.sum, 140.0);
    ASSERT_TRUE(data->regional.has_value());
    EXPECT_EQ(data->regional->cv.at("visible").at(""), 12);
    EXPECT_EQ(data->regional->cv.count("birth"), 0u);
    EXPECT_EQ(data->regional->cv_scores.records, 1);
    EXPECT_DOUBLE_EQ(data->regional->cv_scores.sum, 80.0);
    EXPECT_EQ(data->regional->vacancy_scores.records, 1);
    EXPECT_DOUBLE_EQ(data->regional->vacancy_scores.sum, 90.0);
    EXPECT_EQ(data->national.cv.count("score_tenths"), 0u) << "consumed into cv_scores";
}

TEST(CardReaderPeerCells, missing_state_database_is_an_error_without_data) {
    TempDir dir;
    store::CardReader reader(dir.file("absent.db"), dir.file("source.db"));
    const auto data = reader.read_occupation("7212", "");
    ASSERT_FALSE(data.ok());
    EXPECT_NE(data.error().message.find("state database"), std::string::npos);
}

}  // namespace
}  // namespace spiegel::testing
