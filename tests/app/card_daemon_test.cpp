// The card API of a running `spiegeld serve`: tokens made and revoked with
// the CLI while the daemon runs, the personal-card read metric on /metrics,
// and the audit rows in the state database.

#include <gtest/gtest.h>

#include "tests/support/card_world.h"
#include "tests/app/serve_fixture.h"
#include "tests/http/raw_client.h"

namespace spiegel::testing {
namespace {

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

TEST(CardDaemon, cli_token_works_at_once_and_a_revoke_stops_it_without_restart) {
    CardWorld w;
    DaemonProcess daemon({"serve", "--config", w.config, "--listen", "127.0.0.1:0"}, w.dir.path(),
                         w.dir.file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();

    const auto added = run_spiegeld({"token", "--config", w.config, "add", "adviseur-live", "--role", "adviser"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    const std::string token = added.out.substr(0, added.out.find('\n'));

    EXPECT_EQ(http_request(port, "GET", "/api/v1/cards/cv/cv-target").status, 401);
    const auto card = http_request(port, "GET", "/api/v1/cards/cv/cv-target", "", bearer(token));
    ASSERT_EQ(card.status, 200) << card.body;
    EXPECT_NE(card.body.find("\"type\": \"cv\""), std::string::npos);
    EXPECT_EQ(http_request(port, "GET", "/cards/vacancy/vac-own", "", bearer(token)).status, 200);
    EXPECT_EQ(http_request(port, "GET", "/api/v1/cards/occupation/2512").status, 200) << "public";

    const auto metrics = http_request(port, "GET", "/metrics");
    EXPECT_NE(metrics.body.find("spiegel_personal_card_reads_total{role=\"adviser\"} 2"), std::string::npos)
        << metrics.body.substr(0, 400);
    EXPECT_EQ(metrics.body.find(token), std::string::npos);

    ASSERT_EQ(run_spiegeld({"token", "--config", w.config, "revoke", "adviseur-live"}).exit_code, 0);
    EXPECT_EQ(http_request(port, "GET", "/api/v1/cards/cv/cv-target", "", bearer(token)).status, 401);

    auto rows = w.tokens->access_log();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2U);
    EXPECT_EQ((*rows)[0].token_name, "adviseur-live");
    EXPECT_EQ((*rows)[0].record_id, "cv-target");
    EXPECT_EQ((*rows)[1].card_type, "vacancy");
    EXPECT_EQ(daemon.log().find(token), std::string::npos) << "the token never reaches the log";
    EXPECT_EQ(daemon.log().find("j.jansen@example.nl"), std::string::npos) << "nor personal data";
}

}  // namespace
}  // namespace spiegel::testing
