#pragma once
// Making input-derived text safe to quote in a one-line message (a log line,
// a diagnostic, an HTTP error). Pure, thread-safe.
//
// Any text that came from a file, a record, a request or the command line
// goes through printable() before it is put into a message, so one input
// line can never forge a log line or recolour a terminal. Values of records
// (personal data) never go into messages at all, escaped or not.

#include <cstddef>
#include <string>
#include <string_view>

namespace spiegel::util {

inline constexpr std::size_t k_printable_max_bytes = 64;
// For file paths, which must not be cut short in normal use.
inline constexpr std::size_t k_printable_path_bytes = 4096;

// `text` with these escaped: backslash (\\), quotes (\' and \"), \n, \r, \t,
// other C0 controls and DEL (\xNN), C1 controls U+0080..U+009F, the line and
// paragraph separators U+2028/U+2029 and the bidirectional controls (\uNNNN),
// and every byte that is not part of valid UTF-8 (\xNN). Text longer than
// max_bytes input bytes is cut at a character boundary and ends in
// "...(N bytes)", N being the full input size.
std::string printable(std::string_view text, std::size_t max_bytes = k_printable_max_bytes);

// printable(text) between single quotes: 'text'.
std::string quoted(std::string_view text, std::size_t max_bytes = k_printable_max_bytes);

// Escapes &, <, >, " and ' for HTML (and SVG) text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace spiegel::util
