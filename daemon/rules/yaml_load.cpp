#include "daemon/rules/yaml_load.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <new>
#include <streambuf>
#include <unordered_map>

#include "daemon/util/file.h"
#include "daemon/util/printable.h"

namespace spiegel::rules {

namespace {

int one_based(int zero_based) { return zero_based < 0 ? 1 : zero_based + 1; }

}  // namespace

void Sink::add(const YAML::Mark& mark, std::string message) {
    add_at(one_based(mark.line), one_based(mark.column), std::move(message));
}

void Sink::add_at(int line, int column, std::string message) {
    m_out->push_back(Diagnostic{m_file, line, column, std::move(message)});
}

namespace {

// A read-only std::streambuf over text that outlives it (no copy).
class ViewBuffer : public std::streambuf {
public:
    explicit ViewBuffer(std::string_view text) {
        char* begin = const_cast<char*>(text.data());  // never written: get area only
        setg(begin, begin, begin + text.size());
    }
};

// Thrown by LimitScan to stop yaml-cpp's parser at the first limit.
struct Refused {
    YAML::Mark mark;
    std::string message;
};

// What a subtree holds once its aliases are expanded.
struct Size {
    std::uint64_t nodes = 0;
    std::uint64_t text_bytes = 0;  // of scalars
};

// Counts what a node tree built from the document would hold, expanding
// every alias to the size of its anchor's subtree, and stops at the limits.
class LimitScan : public YAML::EventHandler {
public:
    explicit LimitScan(const YamlLimits& limits) : m_limits(limits) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor, 0); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  const std::string& value) override {
        leaf(mark, anchor, value.size());
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (++m_aliases > m_limits.max_aliases) {
            refuse(mark, "more than " + std::to_string(m_limits.max_aliases) + " aliases");
        }
        const auto it = m_anchors.find(anchor);
        if (it == m_anchors.end()) {
            // yaml-cpp has registered the anchor, but its node is still open.
            throw Refused{mark, "YAML alias refers to a node that contains it"};
        }
        add(mark, it->second);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Open {
        YAML::anchor_t anchor;
        Size size;  // this node and its children so far, expanded
    };

    [[noreturn]] void refuse(const YAML::Mark& mark, const std::string& what) const {
        throw Refused{mark, "YAML document too large: " + what};
    }

    // More content in the current container. The totals never exceed the
    // limits, so no count can overflow.
    void add(const YAML::Mark& mark, const Size& more) {
        if (more.nodes > m_limits.max_nodes - m_total.nodes) {
            refuse(mark, "more than " + std::to_string(m_limits.max_nodes) + " nodes after expanding aliases");
        }
        if (more.text_bytes > m_limits.max_text_bytes - m_total.text_bytes) {
            refuse(mark, "more than " + std::to_string(m_limits.max_text_bytes) +
                             " bytes of text after expanding aliases");
        }
        m_total.nodes += more.nodes;
        m_total.text_bytes += more.text_bytes;
        if (!m_open.empty()) {
            m_open.back().size.nodes += more.nodes;
            m_open.back().size.text_bytes += more.text_bytes;
        }
    }
    void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, std::size_t bytes) {
        const Size size{1, bytes};
        add(mark, size);
        if (anchor != YAML::NullAnchor) {
            m_anchors[anchor] = size;
        }
    }
    void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
        if (m_open.size() >= m_limits.max_depth) {
            refuse(mark, "nested deeper than " + std::to_string(m_limits.max_depth) + " levels");
        }
        add(mark, Size{1, 0});
        m_open.push_back(Open{anchor, Size{1, 0}});
    }
    void close() {
        const Open done = m_open.back();
        m_open.pop_back();
        if (done.anchor != YAML::NullAnchor) {
            m_anchors[done.anchor] = done.size;
        }
        if (!m_open.empty()) {
            // The node itself was counted in its parent at open().
            m_open.back().size.nodes += done.size.nodes - 1;
            m_open.back().size.text_bytes += done.size.text_bytes;
        }
    }

    const YamlLimits& m_limits;
    std::vector<Open> m_open;
    std::unordered_map<YAML::anchor_t, Size> m_anchors;  // finished anchored subtrees
    Size m_total;
    std::size_t m_aliases = 0;
};

// A second document ("---" after the first) would be dropped without a
// word by the loader, and with it whatever it sets (a TLS section, say):
// it is refused where it starts.
class SecondDocument final : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& mark) override {
        throw Refused{mark, "a second YAML document: only one is read, so nothing after '---' or '...' would "
                            "take effect; put everything in one document"};
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

void scan_limits(std::string_view text, const YamlLimits& limits) {
    ViewBuffer buffer(text);
    std::istream in(&buffer);
    YAML::Parser parser(in);
    LimitScan scan(limits);
    if (parser.HandleNextDocument(scan)) {
        SecondDocument second;
        parser.HandleNextDocument(second);
    }
}

YAML::Node parse(std::string_view text) {
    ViewBuffer buffer(text);
    std::istream in(&buffer);
    return YAML::Load(in);
}

}  // namespace

std::optional<YAML::Node> load_yaml_text(std::string_view text, Sink& sink, const YamlLimits& limits) {
    if (text.size() > limits.max_bytes) {
        sink.add_at(1, 1, "YAML document too large: more than " + std::to_string(limits.max_bytes) + " bytes");
        return std::nullopt;
    }
    try {
        scan_limits(text, limits);
        return parse(text);
    } catch (const Refused& e) {
        sink.add(e.mark, e.message);
    } catch (const YAML::Exception& e) {
        sink.add(e.mark, "YAML syntax error: " + util::printable(e.msg, 200));
    } catch (const std::bad_alloc&) {
        sink.add_at(1, 1, "YAML document too large: out of memory while reading it");
    } catch (const std::exception& e) {
        sink.add_at(1, 1, "cannot read YAML: " + util::printable(e.what(), 200));
    }
    return std::nullopt;
}

std::optional<YAML::Node> load_yaml_file(const std::string& path, Sink& sink, const YamlLimits& limits) {
    util::FileText file;
    try {
        file = util::read_regular_file(path, limits.max_bytes);
    } catch (const std::bad_alloc&) {
        file.failure = util::FileText::Failure::too_large;
    }
    switch (file.failure) {
        case util::FileText::Failure::none:
            return load_yaml_text(file.text, sink, limits);
        case util::FileText::Failure::os_error:
            sink.add_at(1, 1, "cannot read file: " + file.reason);
            return std::nullopt;
        case util::FileText::Failure::not_regular:
            sink.add_at(1, 1, "cannot read file: not a regular file");
            return std::nullopt;
        case util::FileText::Failure::too_large:
            sink.add_at(1, 1, "YAML document too large: more than " + std::to_string(limits.max_bytes) + " bytes");
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace spiegel::rules
