#pragma once
// The packed form of one peer group's counts (state schema 8,
// docs/state-schema.md#peer_group): the column peer_group.cells holds, for
// one (kind, occupation, region), every (attribute, value, count) as one
// JSON object of objects, attributes and values in byte order:
//
//   {"education":{"hbo":12,"mbo":30},"score":{"875":3}}
//
// JSON, so that SQLite's json_each can unpack it (the view peer_stat shows
// one row per count, as the table of that name did before version 8), and
// the cards and the scan read it with the small decoder below instead of a
// range scan over hundreds of rows.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace spiegel::store {

// Appends cells to `out` one at a time, in (attribute, value) byte order,
// each pair once, counts other than 0; finish() closes the object. An
// encoder that got no cell gives "{}".
class PeerCellsEncoder {
public:
    explicit PeerCellsEncoder(std::string& out);
    void add(std::string_view attribute, std::string_view value, std::int64_t count);
    void finish();
    bool empty() const { return m_cells == 0; }

private:
    std::string& m_out;
    std::string m_attribute;  // the open attribute object's name
    std::size_t m_cells = 0;
};

using PeerCellFn = std::function<void(std::string_view attribute, std::string_view value, std::int64_t count)>;

// Calls fn for every count in `cells`, in stored order. Throws SchemaError
// when the text is not an object of objects of whole numbers.
void for_each_peer_cell(std::string_view cells, const PeerCellFn& fn);
// The same for the cells of one stored group: the error names the group
// (kind, occupation, region: codes, never data) and what repairs it.
void for_each_group_cell(std::string_view cells, std::string_view kind, std::string_view occupation,
                         std::string_view region, const PeerCellFn& fn);

}  // namespace spiegel::store
