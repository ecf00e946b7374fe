#include "daemon/util/crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace spiegel::util {
namespace {

// FIPS 180-4 / NIST CSRC example vectors.
TEST(Sha256, empty_input_matches_fips_vector) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, abc_matches_fips_vector) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, two_block_message_matches_fips_vector) {
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, four_block_message_matches_fips_vector) {
    EXPECT_EQ(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                         "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, million_a_matches_fips_vector) {
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, padding_boundaries_55_56_and_64_bytes) {
    // Lengths where the length field just fits, just does not, and a full block.
    EXPECT_EQ(sha256_hex(std::string(55, 'a')),
              "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    EXPECT_EQ(sha256_hex(std::string(56, 'a')),
              "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    EXPECT_EQ(sha256_hex(std::string(64, 'a')),
              "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(ConstantTimeEqual, equal_strings_compare_equal) {
    EXPECT_TRUE(constant_time_equal("spg_abc", "spg_abc"));
    EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(ConstantTimeEqual, difference_in_last_byte_is_seen) {
    const std::string a(64, 'x');
    std::string b = a;
    b.back() = 'y';
    EXPECT_FALSE(constant_time_equal(a, b));
}

TEST(ConstantTimeEqual, prefix_is_not_equal_to_longer_string) {
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_FALSE(constant_time_equal("abcd", "abc"));
    EXPECT_FALSE(constant_time_equal("", "a"));
    // Same bytes padded with NUL must still differ (lengths differ).
    EXPECT_FALSE(constant_time_equal(std::string("ab\0", 3), "ab"));
}

TEST(RandomBytes, gives_the_requested_count_and_differs_between_calls) {
    auto a = random_bytes(32);
    auto b = random_bytes(32);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->size(), 32U);
    EXPECT_NE(*a, *b);
}

TEST(Base64url, encodes_rfc4648_vectors_without_padding) {
    EXPECT_EQ(base64url(""), "");
    EXPECT_EQ(base64url("f"), "Zg");
    EXPECT_EQ(base64url("fo"), "Zm8");
    EXPECT_EQ(base64url("foo"), "Zm9v");
    EXPECT_EQ(base64url("foob"), "Zm9vYg");
    EXPECT_EQ(base64url("\xfb\xff"), "-_8");
}

}  // namespace
}  // namespace spiegel::util
