// ConnectionRegistry: caps in total and per client, eviction of the entry
// waiting longest, busy entries never evicted; client keys.
#include "daemon/http/connection_registry.h"

#include <gtest/gtest.h>

#include <deque>

namespace spiegel::http {
namespace {

using Admission = ConnectionRegistry::Admission;

class FakeConnection final : public ConnectionRegistry::Entry {
public:
    explicit FakeConnection(ConnectionRegistry& registry) : m_registry(registry) {}
    ~FakeConnection() override { m_registry.remove(*this); }
    bool evicted = false;

private:
    void evict() override { evicted = true; }
    ConnectionRegistry& m_registry;
};

TEST(ConnectionRegistry, at_the_cap_the_entry_waiting_longest_is_evicted) {
    ConnectionRegistry registry(2, 10);
    FakeConnection a(registry), b(registry), c(registry);
    EXPECT_EQ(registry.admit(a, "1"), Admission::admitted);
    EXPECT_EQ(registry.admit(b, "1"), Admission::admitted);
    registry.busy(a);
    registry.waiting(a);  // a waits again, now after b
    EXPECT_EQ(registry.admit(c, "1"), Admission::admitted_by_eviction);
    EXPECT_TRUE(b.evicted);
    EXPECT_FALSE(a.evicted);
    EXPECT_EQ(registry.open(), 2u);
}

TEST(ConnectionRegistry, waiting_again_keeps_the_earlier_start) {
    ConnectionRegistry registry(2, 10);
    FakeConnection a(registry), b(registry), c(registry);
    registry.admit(a, "1");
    registry.admit(b, "1");
    registry.waiting(a);  // still waiting since admission: stays first
    registry.admit(c, "1");
    EXPECT_TRUE(a.evicted);
    EXPECT_FALSE(b.evicted);
}

TEST(ConnectionRegistry, when_every_entry_is_busy_the_new_one_is_refused) {
    ConnectionRegistry registry(2, 10);
    FakeConnection a(registry), b(registry), c(registry);
    registry.admit(a, "1");
    registry.admit(b, "2");
    registry.busy(a);
    registry.busy(b);
    EXPECT_EQ(registry.admit(c, "3"), Admission::all_busy);
    EXPECT_FALSE(a.evicted || b.evicted);
    EXPECT_EQ(registry.open(), 2u);
    EXPECT_EQ(registry.waiting_count(), 0u);
}

TEST(ConnectionRegistry, per_client_cap_refuses_only_that_client) {
    ConnectionRegistry registry(100, 2);
    std::deque<FakeConnection> entries;
    for (int i = 0; i < 4; ++i) {
        entries.emplace_back(registry);
    }
    EXPECT_EQ(registry.admit(entries[0], "1"), Admission::admitted);
    EXPECT_EQ(registry.admit(entries[1], "1"), Admission::admitted);
    EXPECT_EQ(registry.admit(entries[2], "1"), Admission::client_at_cap);
    EXPECT_EQ(registry.admit(entries[3], "2"), Admission::admitted);
    registry.remove(entries[0]);
    EXPECT_EQ(registry.open_from("1"), 1u);
    EXPECT_EQ(registry.admit(entries[2], "1"), Admission::admitted);
}

TEST(ConnectionRegistry, removed_and_destroyed_entries_leave_no_trace) {
    ConnectionRegistry registry(10, 10);
    {
        FakeConnection a(registry);
        registry.admit(a, "1");
        registry.remove(a);
        registry.remove(a);  // idempotent
        FakeConnection b(registry);
        registry.admit(b, "1");
    }
    EXPECT_EQ(registry.open(), 0u);
    EXPECT_EQ(registry.waiting_count(), 0u);
    EXPECT_EQ(registry.open_from("1"), 0u);
}

TEST(ConnectionRegistry, evict_all_empties_the_registry) {
    ConnectionRegistry registry(10, 10);
    FakeConnection a(registry), b(registry);
    registry.admit(a, "1");
    registry.admit(b, "2");
    registry.busy(b);
    registry.evict_all();
    EXPECT_TRUE(a.evicted && b.evicted);
    EXPECT_EQ(registry.open(), 0u);
}

TEST(ClientKey, ipv4_and_mapped_ipv4_by_address_ipv6_by_slash_64) {
    namespace ip = boost::asio::ip;
    EXPECT_EQ(client_key(ip::make_address("10.1.2.3")), "10.1.2.3");
    EXPECT_EQ(client_key(ip::make_address("::ffff:10.1.2.3")), "10.1.2.3");
    EXPECT_EQ(address_text(ip::make_address("::ffff:10.1.2.3")), "10.1.2.3");
    EXPECT_EQ(client_key(ip::make_address("2001:db8:1:2::1")),
              client_key(ip::make_address("2001:db8:1:2:ffff::9")));
    EXPECT_NE(client_key(ip::make_address("2001:db8:1:2::1")),
              client_key(ip::make_address("2001:db8:1:3::1")));
    EXPECT_EQ(address_text(ip::make_address("::1")), "::1");
}

}  // namespace
}  // namespace spiegel::http
