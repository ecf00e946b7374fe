// Occupation cards rendered once per state version (rendered_cards.h): the
// same scan, code lists and min_cell give the same bytes from memory; a new
// completed scan, a reload of the code lists or another min_cell renders
// again, so a card is never older than the state it is served for.

#include "daemon/app/rendered_cards.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <mutex>

#include "daemon/app/card_routes.h"
#include "daemon/app/routes.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

std::shared_ptr<const std::string> text(const std::string& s) { return std::make_shared<const std::string>(s); }

TEST(RenderedCards, keeps_the_least_recently_used_within_its_bytes_and_only_for_the_same_generation) {
    app::RenderedCards cards(90);  // bytes of keys and bodies
    const auto g1 = std::make_shared<int>(1);
    const auto g2 = std::make_shared<int>(2);
    cards.put("a", "s", g1, text(std::string(30, 'a')));
    cards.put("b", "s", g1, text(std::string(30, 'b')));
    ASSERT_NE(cards.find("a", g1), nullptr);  // a is now the most recently used
    cards.put("c", "s", g1, text(std::string(30, 'c')));
    EXPECT_EQ(cards.bytes(), 62u);
    EXPECT_EQ(cards.find("b", g1), nullptr) << "b, the least recently used, went to make room";
    EXPECT_EQ(*cards.find("a", g1), std::string(30, 'a'));
    EXPECT_EQ(*cards.find("c", g1), std::string(30, 'c'));
    EXPECT_EQ(cards.find("a", g2), nullptr) << "rendered with other settings";
    EXPECT_EQ(cards.find("a", g1), nullptr) << "and dropped";
    cards.put("big", "s", g1, text(std::string(200, 'x')));
    EXPECT_EQ(cards.find("big", g1), nullptr) << "larger than the whole cache: not kept";
    cards.put("c", "s", g1, text("new"));
    EXPECT_EQ(*cards.find("c", g1), "new");
    EXPECT_EQ(cards.bytes(), 4u);
    // A body of a new scope (a new scan) or generation (a reload) drops the
    // others: no request asks for them any more.
    cards.put("d", "s2", g1, text("d"));
    EXPECT_EQ(cards.find("c", g1), nullptr);
    EXPECT_EQ(cards.bytes(), 2u);
    cards.put("e", "s2", g2, text("e"));
    EXPECT_EQ(cards.find("d", g2), nullptr);
    EXPECT_EQ(*cards.find("e", g2), "e");
}

class RenderedOccupationCards : public ::testing::Test {
protected:
    CardWorld world;
    std::mutex mutex;
    cards::CardSource source = world.card_source();
    http::Router router;

    RenderedOccupationCards() {
        app::RouteContext context;
        context.card_source = [this] {
            std::lock_guard lock(mutex);
            return source;
        };
        context.cards = std::make_shared<app::CardRoutes>(app::CardRoutesOptions{});
        app::add_routes(router, context);
    }
    http::Response get(const std::string& path, const std::string& query = "") {
        http::Request request;
        request.method = "GET";
        request.path = path;
        request.raw_path = path;
        request.query = query;
        return router.dispatch(request).response;
    }
    // Adds n visible CVs to the national and AM21 cells of 2512, as a scan
    // would have, without a new scan.
    void add_visible_peers(int n) {
        SQLite::Database db(world.state_db(), SQLite::OPEN_READWRITE);
        db.exec("UPDATE peer_stat SET count = count + " + std::to_string(n) +
                " WHERE kind = 'cv' AND occupation = '2512' AND attribute = 'visible'");
    }
    // The latest scan as another scan of the same id in the same year (a
    // state file made anew at the same path) would look.
    void complete_a_scan() {
        SQLite::Database db(world.state_db(), SQLite::OPEN_READWRITE);
        db.exec("UPDATE scan SET finished_at = strftime('%Y', 'now') || '-01-02T03:04:05Z' WHERE id = "
                "(SELECT max(id) FROM scan WHERE status = 'ok')");
    }
    static std::int64_t job_seekers(const http::Response& r) {
        return nlohmann::json::parse(r.body)["regional"]["tension"]["job_seekers"]["count"].get<std::int64_t>();
    }
};

TEST_F(RenderedOccupationCards, one_scan_is_served_as_rendered_and_a_new_scan_renders_again) {
    const auto first = get("/api/v1/cards/occupation/2512", "region=AM21");
    ASSERT_EQ(first.status, 200) << first.body;
    const auto html = get("/cards/occupation/2512", "region=AM21");
    ASSERT_EQ(html.status, 200);
    EXPECT_NE(html.body, first.body) << "JSON and HTML are kept apart";
    const std::int64_t before = job_seekers(first);

    add_visible_peers(5);  // the counts change, the scan does not
    EXPECT_EQ(get("/api/v1/cards/occupation/2512", "region=AM21").body, first.body);
    EXPECT_EQ(get("/cards/occupation/2512", "region=AM21").body, html.body);

    complete_a_scan();
    const auto after = get("/api/v1/cards/occupation/2512", "region=AM21");
    ASSERT_EQ(after.status, 200);
    EXPECT_EQ(job_seekers(after), before + 5);
    EXPECT_NE(get("/cards/occupation/2512", "region=AM21").body, html.body);
    EXPECT_EQ(get("/api/v1/cards/occupation/2512").status, 200) << "another region: its own card";
    EXPECT_EQ(get("/api/v1/cards/occupation/9999").status, 404) << "errors are not kept, and stay errors";
}

TEST_F(RenderedOccupationCards, a_reload_or_another_min_cell_renders_again) {
    const auto first = get("/api/v1/cards/occupation/2512", "region=AM21");
    ASSERT_EQ(first.status, 200);
    add_visible_peers(3);
    {
        std::lock_guard lock(mutex);
        source = world.card_source();  // a reload: code lists loaded anew
    }
    EXPECT_EQ(job_seekers(get("/api/v1/cards/occupation/2512", "region=AM21")), job_seekers(first) + 3);
    add_visible_peers(4);
    {
        std::lock_guard lock(mutex);
        source.min_cell = 5;
    }
    const auto small = get("/api/v1/cards/occupation/2512", "region=AM21");
    EXPECT_EQ(nlohmann::json::parse(small.body)["min_cell"], 5);
    EXPECT_EQ(job_seekers(small), job_seekers(first) + 7);
}

}  // namespace
}  // namespace spiegel::testing
