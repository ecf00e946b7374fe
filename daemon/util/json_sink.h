#pragma once
// Where a builder writes a JSON document value by value, so that one
// builder serves both forms a card is needed in:
//   - JsonTextSink writes the text straight away, byte for byte what
//     nlohmann's dump(indent) of the same document writes (the served form:
//     no tree is built, copied or freed);
//   - JsonDomSink builds the nlohmann::json tree (the HTML templates and the
//     tests read it).
// nlohmann keeps an object's members sorted by key and dump() writes them
// so; a text writer cannot sort what it already wrote, so a builder must
// write each object's keys in ascending byte order. Both sinks check it
// and throw std::logic_error on a key out of order or repeated: a builder's
// mistake, which the tests of every card find on their first document.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace spiegel::util {

class JsonSink {
public:
    virtual ~JsonSink() = default;

    virtual void begin_object() = 0;
    virtual void end_object() = 0;
    virtual void begin_array() = 0;
    virtual void end_array() = 0;
    // The next member's key, inside an object; then exactly one value.
    virtual void key(std::string_view name) = 0;
    virtual void string(std::string_view text) = 0;
    virtual void integer(std::int64_t n) = 0;
    virtual void number(double x) = 0;
    virtual void boolean(bool b) = 0;
    virtual void null() = 0;

    // key(name) and one value; overloads for the common types.
    void field(std::string_view name, std::string_view text) { key(name), string(text); }
    void field(std::string_view name, const char* text) { key(name), string(text); }
    void field(std::string_view name, const std::string& text) { key(name), string(text); }
    void field(std::string_view name, int n) { key(name), integer(n); }
    void field(std::string_view name, std::int64_t n) { key(name), integer(n); }
    void field(std::string_view name, double x) { key(name), number(x); }
    void field(std::string_view name, bool b) { key(name), boolean(b); }
    void field(std::string_view name, std::nullptr_t) { key(name), null(); }
};

// The order check both sinks share: one entry per open container.
class JsonNesting {
public:
    void open(bool object) { m_levels.push_back(Level{object, 0, {}}); }
    // Returns the number of members or items the container had so far.
    std::size_t close(bool object);
    // Checks and records a key of the innermost object; returns its index.
    std::size_t key(std::string_view name);
    // Records an item of the innermost array (or the document's one value);
    // returns its index.
    std::size_t item();
    std::size_t depth() const { return m_levels.size(); }
    bool in_object() const { return !m_levels.empty() && m_levels.back().object; }

private:
    struct Level {
        bool object = false;
        std::size_t count = 0;
        std::string last_key;
    };
    std::vector<Level> m_levels;
    bool m_key_pending = false;
    bool m_root_written = false;
};

class JsonTextSink final : public JsonSink {
public:
    // Appends to out; indent as nlohmann's dump (< 0 compact).
    explicit JsonTextSink(std::string& out, int indent = 2) : m_out(out), m_indent(indent) {}

    void begin_object() override;
    void end_object() override;
    void begin_array() override;
    void end_array() override;
    void key(std::string_view name) override;
    void string(std::string_view text) override;
    void integer(std::int64_t n) override;
    void number(double x) override;
    void boolean(bool b) override;
    void null() override;

private:
    void before_value();
    // The spaces before a line at the current depth (none when compact).
    std::size_t spaces() const;

    std::string& m_out;
    int m_indent;
    JsonNesting m_nesting;
};

class JsonDomSink final : public JsonSink {
public:
    void begin_object() override;
    void end_object() override;
    void begin_array() override;
    void end_array() override;
    void key(std::string_view name) override;
    void string(std::string_view text) override { place(nlohmann::json(text)); }
    void integer(std::int64_t n) override { place(nlohmann::json(n)); }
    void number(double x) override { place(nlohmann::json(x)); }
    void boolean(bool b) override { place(nlohmann::json(b)); }
    void null() override { place(nlohmann::json(nullptr)); }

    // The document written (after its one value is complete).
    nlohmann::json take();

private:
    nlohmann::json& place(nlohmann::json&& v);

    nlohmann::json m_root;
    std::vector<nlohmann::json*> m_open;
    std::string m_key;
    JsonNesting m_nesting;
};

}  // namespace spiegel::util
