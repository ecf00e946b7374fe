#pragma once
// Opening SQLite files the way every Spiegel database is opened: for
// writing, parent folders are created, WAL journal, synchronous=NORMAL (a
// power loss may drop the last commits, never corrupt), and a busy timeout
// on every connection. Errors throw SQLite::Exception; callers turn them
// into messages at their boundary. One connection per thread.

#include <string>

#include <SQLiteCpp/Database.h>

namespace spiegel::store {

inline constexpr int k_busy_timeout_ms = 10000;

SQLite::Database open_for_writing(const std::string& path);
SQLite::Database open_read_only(const std::string& path);

}  // namespace spiegel::store
