// The card access policy and the per-token rate limiter (fake clock).

#include "daemon/app/access.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace spiegel::app {
namespace {

using store::Principal;
using store::Role;

const Principal k_adviser{"adviseur", Role::adviser, ""};
const Principal k_employer{"werkgever", Role::employer, "E1"};
const Principal k_officer{"beleid", Role::officer, ""};

TEST(Authorize, adviser_reads_cv_and_vacancy_cards) {
    EXPECT_EQ(authorize(k_adviser, CardKind::cv, ""), 200);
    EXPECT_EQ(authorize(k_adviser, CardKind::vacancy, "E1"), 200);
    EXPECT_EQ(authorize(k_adviser, CardKind::vacancy, "E2"), 200);
    EXPECT_EQ(authorize(k_adviser, CardKind::aggregate, ""), 200);
}

TEST(Authorize, employer_reads_only_its_own_vacancies) {
    EXPECT_EQ(authorize(k_employer, CardKind::vacancy, "E1"), 200);
    EXPECT_EQ(authorize(k_employer, CardKind::vacancy, "E2"), 403);
    EXPECT_EQ(authorize(k_employer, CardKind::vacancy, "e1"), 403);
    EXPECT_EQ(authorize(k_employer, CardKind::vacancy, ""), 403);
    EXPECT_EQ(authorize(k_employer, CardKind::cv, "E1"), 403);
    EXPECT_EQ(authorize(k_employer, CardKind::aggregate, ""), 200);
}

TEST(Authorize, employer_token_without_employer_reads_no_vacancy) {
    const Principal unbound{"x", Role::employer, ""};
    EXPECT_EQ(authorize(unbound, CardKind::vacancy, ""), 403);
}

TEST(Authorize, officer_reads_only_aggregates) {
    EXPECT_EQ(authorize(k_officer, CardKind::cv, ""), 403);
    EXPECT_EQ(authorize(k_officer, CardKind::vacancy, "E1"), 403);
    EXPECT_EQ(authorize(k_officer, CardKind::aggregate, ""), 200);
}

struct FakeClock {
    util::ManualClock clock{1790856000};
};

bool allow_at(RateLimiter& limiter, FakeClock& t, const std::string& token, std::int64_t now) {
    t.clock.set_wall_seconds(now);
    return limiter.allow(token);
}

TEST(RateLimiter, allows_300_per_hour_and_refuses_the_301st) {
    FakeClock t;
    RateLimiter limiter(300, 3600, t.clock);
    for (int i = 0; i < 300; ++i) {
        ASSERT_TRUE(limiter.allow("a")) << i;
    }
    EXPECT_FALSE(limiter.allow("a"));
    EXPECT_TRUE(limiter.allow("b"));  // per token
}

TEST(RateLimiter, allows_again_when_the_oldest_call_leaves_the_window) {
    FakeClock t;
    RateLimiter limiter(300, 3600, t.clock);
    const std::int64_t start = t.clock.wall_seconds();
    for (int i = 0; i < 300; ++i) {
        ASSERT_TRUE(limiter.allow("a"));
    }
    t.clock.set_wall_seconds(start + 3599);
    EXPECT_FALSE(limiter.allow("a"));
    t.clock.set_wall_seconds(start + 3600);
    EXPECT_TRUE(limiter.allow("a"));  // the 300 calls at `start` are out
    for (int i = 1; i < 300; ++i) {
        ASSERT_TRUE(limiter.allow("a")) << i;
    }
    EXPECT_FALSE(limiter.allow("a"));
}

TEST(RateLimiter, window_slides_rather_than_resetting) {
    FakeClock t;
    RateLimiter limiter(3, 3600, t.clock);
    const std::int64_t start = t.clock.wall_seconds();
    EXPECT_TRUE(allow_at(limiter, t, "a", start));
    EXPECT_TRUE(allow_at(limiter, t, "a", start + 1800));
    EXPECT_TRUE(allow_at(limiter, t, "a", start + 1801));
    EXPECT_FALSE(allow_at(limiter, t, "a", start + 3599));
    EXPECT_TRUE(allow_at(limiter, t, "a", start + 3600));   // first call left
    EXPECT_FALSE(allow_at(limiter, t, "a", start + 5399));  // start+1800 still in
    EXPECT_TRUE(allow_at(limiter, t, "a", start + 5400));
}

TEST(RateLimiter, refused_calls_do_not_extend_the_block) {
    FakeClock t;
    RateLimiter limiter(1, 3600, t.clock);
    EXPECT_TRUE(allow_at(limiter, t, "a", 0));
    for (int s = 1; s < 3600; s += 100) {
        EXPECT_FALSE(allow_at(limiter, t, "a", s));
    }
    EXPECT_TRUE(allow_at(limiter, t, "a", 3600));
}

TEST(RateLimiter, concurrent_calls_never_exceed_the_limit) {
    FakeClock t;
    RateLimiter limiter(300, 3600, t.clock);
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int n = 0; n < 4; ++n) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (limiter.allow("a")) {
                    ++allowed;
                }
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    EXPECT_EQ(allowed.load(), 300);
}

TEST(RateLimiter, retry_after_counts_down_to_when_the_oldest_call_leaves) {
    FakeClock t;
    RateLimiter limiter(2, 3600, t.clock);
    const std::int64_t start = t.clock.wall_seconds();
    EXPECT_EQ(limiter.retry_after("a"), 0);
    ASSERT_TRUE(limiter.allow("a"));
    t.clock.set_wall_seconds(start + 100);
    ASSERT_TRUE(limiter.allow("a"));
    EXPECT_FALSE(limiter.allow("a"));
    EXPECT_EQ(limiter.retry_after("a"), 3500);
    t.clock.set_wall_seconds(start + 3600);
    EXPECT_EQ(limiter.retry_after("a"), 0);
    EXPECT_TRUE(limiter.allow("a"));
    EXPECT_EQ(limiter.retry_after("a"), 100);
}

}  // namespace
}  // namespace spiegel::app

namespace spiegel::app {
namespace {

TEST(FailedAuthThrottle, an_address_is_refused_after_the_limit_until_its_minute_ends) {
    util::ManualClock clock{1790856000};
    FailedAuthThrottle throttle(3, clock);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(throttle.retry_after("10.0.0.1"), 0) << i;
        throttle.failed("10.0.0.1");
    }
    EXPECT_EQ(throttle.retry_after("10.0.0.1"), 60);
    EXPECT_EQ(throttle.retry_after("10.0.0.2"), 0) << "per address";
    clock.advance(std::chrono::seconds(59));
    EXPECT_EQ(throttle.retry_after("10.0.0.1"), 1);
    clock.advance(std::chrono::seconds(1));
    EXPECT_EQ(throttle.retry_after("10.0.0.1"), 0);
}

TEST(FailedAuthThrottle, failures_below_the_limit_never_refuse) {
    util::ManualClock clock{1790856000};
    FailedAuthThrottle throttle(3, clock);
    for (int minute = 0; minute < 5; ++minute) {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        EXPECT_EQ(throttle.retry_after("10.0.0.1"), 0) << minute;
        clock.advance(std::chrono::seconds(60));
    }
}

TEST(FailedAuthThrottle, the_table_of_addresses_is_bounded_forgetting_the_least_recent) {
    util::ManualClock clock{1790856000};
    FailedAuthThrottle throttle(1, clock, 2);
    throttle.failed("a");
    throttle.failed("b");
    EXPECT_GT(throttle.retry_after("a"), 0);  // "a" is now the most recent
    throttle.failed("c");                      // evicts "b"
    EXPECT_EQ(throttle.retry_after("b"), 0);
    EXPECT_GT(throttle.retry_after("a"), 0);
    EXPECT_GT(throttle.retry_after("c"), 0);
}

}  // namespace
}  // namespace spiegel::app
