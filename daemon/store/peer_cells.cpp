#include "daemon/store/peer_cells.h"

#include <charconv>

#include "daemon/store/migration.h"
#include "daemon/util/printable.h"
#include "daemon/util/text.h"

namespace spiegel::store {
namespace {

// Not model::write_json_string: that one turns bytes that are not UTF-8
// into U+FFFD, and a count's key must come back byte for byte.
void append_json_string(std::string& out, std::string_view s) {
    static constexpr char k_hex[] = "0123456789abcdef";
    out += '"';
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += "\\u00";
            out += k_hex[u >> 4];
            out += k_hex[u & 15];
        } else {
            out += c;  // UTF-8 and any other byte as it is: SQLite's JSON keeps them too
        }
    }
    out += '"';
}

// A cursor over the text; every failure is a SchemaError naming what was
// expected (never the text itself: values are normalised skills).
class Reader {
public:
    explicit Reader(std::string_view s) : m_s(s) {}

    void skip_space() {
        while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n' || m_s[m_i] == '\r')) {
            ++m_i;
        }
    }
    bool consume(char c) {
        skip_space();
        if (m_i < m_s.size() && m_s[m_i] == c) {
            ++m_i;
            return true;
        }
        return false;
    }
    void expect(char c, const char* what) {
        if (!consume(c)) {
            fail(what);
        }
    }
    bool at_end() {
        skip_space();
        return m_i == m_s.size();
    }
    // A string; a view into the text when it has no escape, else `buffer`.
    std::string_view string(std::string& buffer) {
        expect('"', "a string");
        const std::size_t start = m_i;
        while (m_i < m_s.size() && m_s[m_i] != '"' && m_s[m_i] != '\\') {
            ++m_i;
        }
        if (m_i < m_s.size() && m_s[m_i] == '"') {
            return m_s.substr(start, m_i++ - start);
        }
        buffer.assign(m_s.substr(start, m_i - start));
        while (m_i < m_s.size() && m_s[m_i] != '"') {
            const char c = m_s[m_i++];
            if (c != '\\') {
                buffer += c;
                continue;
            }
            if (m_i >= m_s.size()) {
                break;
            }
            switch (const char e = m_s[m_i++]) {
                case '"': case '\\': case '/': buffer += e; break;
                case 'b': buffer += '\b'; break;
                case 'f': buffer += '\f'; break;
                case 'n': buffer += '\n'; break;
                case 'r': buffer += '\r'; break;
                case 't': buffer += '\t'; break;
                case 'u': {
                    std::uint32_t cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00 && m_s.substr(m_i, 2) == "\\u") {
                        m_i += 2;
                        const std::uint32_t low = hex4();
                        if (low < 0xDC00 || low >= 0xE000) {
                            fail("a low surrogate");
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    util::append_utf8(buffer, cp);
                    break;
                }
                default: fail("a valid escape");
            }
        }
        expect('"', "the end of a string");
        return buffer;
    }
    std::int64_t integer() {
        skip_space();
        std::int64_t n = 0;
        const auto [end, ec] = std::from_chars(m_s.data() + m_i, m_s.data() + m_s.size(), n);
        if (ec != std::errc{} || (end < m_s.data() + m_s.size() && (*end == '.' || *end == 'e' || *end == 'E'))) {
            fail("a whole number");
        }
        m_i = static_cast<std::size_t>(end - m_s.data());
        return n;
    }
    [[noreturn]] void fail(const char* what) const {
        throw SchemaError("cells: expected " + std::string(what) + " at byte " + std::to_string(m_i));
    }

private:
    std::uint32_t hex4() {
        if (m_i + 4 > m_s.size()) {
            fail("four hex digits");
        }
        std::uint32_t v = 0;
        const auto [end, ec] = std::from_chars(m_s.data() + m_i, m_s.data() + m_i + 4, v, 16);
        if (ec != std::errc{} || end != m_s.data() + m_i + 4) {
            fail("four hex digits");
        }
        m_i += 4;
        return v;
    }

    std::string_view m_s;
    std::size_t m_i = 0;
};

}  // namespace

PeerCellsEncoder::PeerCellsEncoder(std::string& out) : m_out(out) {}

void PeerCellsEncoder::add(std::string_view attribute, std::string_view value, std::int64_t count) {
    if (m_cells == 0) {
        m_out += '{';
    }
    if (m_cells == 0 || attribute != m_attribute) {
        if (m_cells != 0) {
            m_out += "},";
        }
        append_json_string(m_out, attribute);
        m_out += ":{";
        m_attribute.assign(attribute);
    } else {
        m_out += ',';
    }
    append_json_string(m_out, value);
    m_out += ':';
    m_out += std::to_string(count);
    ++m_cells;
}

void PeerCellsEncoder::finish() { m_out += m_cells == 0 ? "{}" : "}}"; }

void for_each_peer_cell(std::string_view cells, const PeerCellFn& fn) {
    Reader r(cells);
    std::string attribute_buffer, value_buffer;
    r.expect('{', "an object");
    if (!r.consume('}')) {
        do {
            const std::string_view attribute = r.string(attribute_buffer);
            r.expect(':', "':'");
            r.expect('{', "an object of counts");
            if (!r.consume('}')) {
                do {
                    const std::string_view value = r.string(value_buffer);
                    r.expect(':', "':'");
                    fn(attribute, value, r.integer());
                } while (r.consume(','));
                r.expect('}', "'}'");
            }
        } while (r.consume(','));
        r.expect('}', "'}'");
    }
    if (!r.at_end()) {
        r.fail("the end of the text");
    }
}

void for_each_group_cell(std::string_view cells, std::string_view kind, std::string_view occupation,
                         std::string_view region, const PeerCellFn& fn) {
    try {
        for_each_peer_cell(cells, fn);
    } catch (const SchemaError& e) {
        // Codes; anything else (a file edited by hand) is escaped.
        throw SchemaError("peer_group (" + util::printable(kind, 32) + ", " + util::printable(occupation, 32) + ", " +
                          util::printable(region, 32) + "): " + e.what() +
                          "; a full scan (spiegeld scan --full) writes the peer statistics anew");
    }
}

}  // namespace spiegel::store
