// http.listen as `spiegeld check` validates it.

#include <gtest/gtest.h>

#include "daemon/app/config.h"

namespace spiegel::app {
namespace {

TEST(ListenAddress, ip_literals_and_localhost_with_a_port_are_accepted) {
    for (const char* good : {"127.0.0.1:9464", "0.0.0.0:0", "[::1]:9464", "[::]:65535", "localhost:8080"}) {
        EXPECT_EQ(listen_address_problem(good), "") << good;
    }
}

TEST(ListenAddress, each_kind_of_bad_address_says_what_is_wrong) {
    EXPECT_EQ(listen_address_problem("::1:9464"), "an IPv6 address needs brackets, e.g. [::1]:9464");
    EXPECT_EQ(listen_address_problem("127.0.0.1:65536"), "port '65536' is not a number between 0 and 65535");
    EXPECT_EQ(listen_address_problem("127.0.0.1"),
              "expected HOST:PORT with an IP address or localhost, e.g. 127.0.0.1:9464 or [::1]:9464");
    EXPECT_EQ(listen_address_problem("[::1]9464"),
              "expected HOST:PORT with an IP address or localhost, e.g. 127.0.0.1:9464 or [::1]:9464");
    EXPECT_EQ(listen_address_problem("[1.2.3.4]:80"), "'1.2.3.4' is not an IPv6 address");
    EXPECT_EQ(listen_address_problem("256.1.1.1:80"), "'256.1.1.1' is not an IP address or localhost");
    EXPECT_EQ(listen_address_problem(std::string("127.0.0.1\0x:80", 13)),
              "expected HOST:PORT with an IP address or localhost, e.g. 127.0.0.1:9464 or [::1]:9464");
}

}  // namespace
}  // namespace spiegel::app
