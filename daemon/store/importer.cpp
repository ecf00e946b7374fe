#include "daemon/store/importer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/json.h"
#include "daemon/model/record.h"

namespace spiegel::store {
namespace {

constexpr std::size_t k_read_chunk = 1024 * 1024;
// A batch also ends after this many input bytes, so that a few batches of
// long lines in flight stay within some tens of MB.
constexpr std::size_t k_batch_bytes = 1024 * 1024;
constexpr std::string_view k_bom = "\xEF\xBB\xBF";

// One physical line of input. `text` excludes the "\n" and a trailing "\r";
// it is empty (and unread) when the line is too long.
struct Line {
    std::string_view text;
    std::int64_t number = 0;
    bool too_long = false;
};

// Splits a byte stream into lines without ever holding more than one
// max-length line plus one read chunk: a longer line is skipped as it
// streams past, never buffered whole.
class LineReader {
  public:
    LineReader(int fd, std::size_t max_line, std::string_view name)
        : m_fd(fd), m_max(max_line), m_name(name), m_buf(max_line + 2 + k_read_chunk) {}

    // The next line into `line`; false at the end of input.
    util::Expected<bool> next(Line& line) {
        for (;;) {
            char* start = m_buf.data() + m_begin;
            const std::size_t pending = m_end - m_begin;
            if (auto* nl =
                    static_cast<char*>(std::memchr(start + m_scanned, '\n', pending - m_scanned))) {
                const auto len = static_cast<std::size_t>(nl - start);
                m_begin += len + 1;
                m_scanned = 0;
                line = make_line(start, len);
                return true;
            }
            m_scanned = pending;
            if (pending > m_max + 1) {  // too long even if it ends in "\r\n"
                line = Line{{}, ++m_number, true};
                m_begin = m_end = m_scanned = 0;
                auto st = skip_rest_of_line();
                if (!st) {
                    return st.error();
                }
                return true;
            }
            if (m_eof) {
                if (pending == 0) {
                    return false;
                }
                m_begin = m_end;
                m_scanned = 0;
                line = make_line(start, pending);
                return true;
            }
            auto st = fill();
            if (!st) {
                return st.error();
            }
        }
    }

  private:
    Line make_line(const char* start, std::size_t len) {
        if (len > 0 && start[len - 1] == '\r') {
            --len;
        }
        ++m_number;
        if (len > m_max) {
            return Line{{}, m_number, true};
        }
        return Line{{start, len}, m_number, false};
    }

    // Reads more input after the pending bytes, which move to the front.
    util::Status fill() {
        const std::size_t pending = m_end - m_begin;
        if (m_begin > 0) {
            std::memmove(m_buf.data(), m_buf.data() + m_begin, pending);
            m_begin = 0;
            m_end = pending;
        }
        auto n = read_some(m_buf.data() + m_end, m_buf.size() - m_end);
        if (!n) {
            return n.error();
        }
        m_end += *n;
        m_eof = *n == 0;
        return {};
    }

    // Discards input up to and including the next "\n" (or the end).
    util::Status skip_rest_of_line() {
        for (;;) {
            auto n = read_some(m_buf.data(), m_buf.size());
            if (!n) {
                return n.error();
            }
            if (*n == 0) {
                m_eof = true;
                return {};
            }
            if (auto* nl = static_cast<char*>(std::memchr(m_buf.data(), '\n', *n))) {
                m_begin = static_cast<std::size_t>(nl - m_buf.data()) + 1;
                m_end = *n;
                return {};
            }
        }
    }

    util::Expected<std::size_t> read_some(char* into, std::size_t size) {
        for (;;) {
            const ssize_t n = ::read(m_fd, into, size);
            if (n >= 0) {
                return static_cast<std::size_t>(n);
            }
            if (errno != EINTR) {
                return util::Error{m_name + ": cannot read: " + std::strerror(errno)};
            }
        }
    }

    int m_fd;
    std::size_t m_max;
    std::string m_name;
    std::vector<char> m_buf;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::size_t m_scanned = 0;  // pending bytes already searched for "\n"
    bool m_eof = false;
    std::int64_t m_number = 0;
};

bool is_blank(std::string_view text) {
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') {
            return false;
        }
    }
    return true;
}

// Accepted records of a run of lines, with the arena their values live in.
// The parsing thread fills a batch, the writing thread upserts it.
struct Batch {
    model::Arena arena{1 << 20};
    std::vector<model::Record> records;
};

// A bounded hand-off of batches from the parsing thread to the writing thread,
// plus a free list so that arenas are reused rather than reallocated.
class BatchQueue {
  public:
    // Blocks while full. False when the writer has failed (stop reading).
    bool push(std::unique_ptr<Batch> batch) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_failed || m_queue.size() < k_depth; });
        if (m_failed) {
            return false;
        }
        m_queue.push_back(std::move(batch));
        m_changed.notify_all();
        return true;
    }
    // Blocks while empty; nullptr once the queue is closed and drained.
    std::unique_ptr<Batch> pop() {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_closed || !m_queue.empty(); });
        if (m_queue.empty()) {
            return nullptr;
        }
        auto batch = std::move(m_queue.front());
        m_queue.pop_front();
        m_changed.notify_all();
        return batch;
    }
    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_changed.notify_all();
    }
    void fail() {
        std::lock_guard lock(m_mutex);
        m_failed = true;
        m_changed.notify_all();
    }
    std::unique_ptr<Batch> take_free() {
        std::lock_guard lock(m_mutex);
        if (m_free.empty()) {
            return std::make_unique<Batch>();
        }
        auto batch = std::move(m_free.back());
        m_free.pop_back();
        return batch;
    }
    void give_back(std::unique_ptr<Batch> batch) {
        batch->records.clear();
        batch->arena.reset();
        std::lock_guard lock(m_mutex);
        m_free.push_back(std::move(batch));
    }

  private:
    static constexpr std::size_t k_depth = 4;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::unique_ptr<Batch>> m_queue;
    std::vector<std::unique_ptr<Batch>> m_free;
    bool m_closed = false;
    bool m_failed = false;
};

// The writing thread: upserts every queued batch through the one Writer.
class WriteWorker {
  public:
    WriteWorker(RecordWriter& writer, BatchQueue& queue)
        : m_writer(writer), m_queue(queue), m_thread([this] { loop(); }) {}
    ~WriteWorker() { static_cast<void>(finish()); }
    WriteWorker(const WriteWorker&) = delete;
    WriteWorker& operator=(const WriteWorker&) = delete;

    // Waits for the queued batches to be written; the first write error.
    util::Status finish() {
        if (m_thread.joinable()) {
            m_queue.close();
            m_thread.join();
        }
        return m_status;
    }

  private:
    void loop() {
        while (auto batch = m_queue.pop()) {
            for (const model::Record& record : batch->records) {
                auto st = m_writer.upsert(record);
                if (!st) {
                    m_status = st;
                    m_queue.fail();
                    return;
                }
            }
            m_queue.give_back(std::move(batch));
        }
    }

    RecordWriter& m_writer;
    BatchQueue& m_queue;
    util::Status m_status;
    std::thread m_thread;
};

// The per-line work of one import on the parsing thread: validation,
// duplicate ids, batching accepted records for the writer.
class Session {
  public:
    Session(const ImportSettings& settings, const ImportReporter& reporter, const RecordTarget& target,
            BatchQueue& queue)
        : m_settings(settings), m_reporter(reporter), m_target(target), m_queue(queue), m_batch(queue.take_free()) {}

    // Handles one line; false when the writer has failed (stop reading).
    bool handle(const Line& line) {
        std::string_view text = line.text;
        if (line.number == 1 && text.starts_with(k_bom)) {
            text.remove_prefix(k_bom.size());
        }
        if (!line.too_long && is_blank(text)) {
            return true;
        }
        ++m_result.read;
        auto record = check(line, text);
        if (!record) {
            reject(line.number, record.error().message);
        } else if (m_writing) {
            m_batch->records.push_back(*record);
            ++m_result.imported;
        }
        m_batch_bytes += text.size();
        if (++m_batch_lines >= m_settings.batch_lines || m_batch_bytes >= k_batch_bytes) {
            return flush();
        }
        return true;
    }

    // Hands the current batch to the writer (or drops it when not writing).
    bool flush() {
        m_batch_lines = 0;
        m_batch_bytes = 0;
        if (!m_writing || m_batch->records.empty()) {
            m_batch->records.clear();
            m_batch->arena.reset();
            return true;
        }
        const bool ok = m_queue.push(std::move(m_batch));
        m_batch = m_queue.take_free();
        return ok;
    }

    const ImportResult& result() const { return m_result; }

  private:
    util::Expected<model::Record> check(const Line& line, std::string_view text) {
        if (line.too_long) {
            return util::Error{"line longer than " + std::to_string(m_settings.max_line_bytes) +
                               " bytes"};
        }
        auto value = m_parser.parse(text, m_batch->arena);
        if (!value) {
            return value.error();
        }
        if (!value->is_object()) {
            return util::Error{"not a JSON object"};
        }
        const model::Value& id = value->get("id");
        if (id.is_string() && model::valid_id(id.string)) {
            const auto [it, inserted] =
                m_first_line.try_emplace(std::string(id.string), line.number);
            if (!inserted) {
                return util::Error{"id repeated within the file (first on line " +
                                   std::to_string(it->second) + ")"};
            }
        }
        auto record = model::record_from_json(m_settings.kind, *value, m_batch->arena);
        if (!record) {
            return record;
        }
        // What the target cannot store (U+0000 in PostgreSQL) is this
        // line's problem, found before anything is sent.
        if (auto st = m_target.storable(*record); !st) {
            return st.error();
        }
        return record;
    }

    void reject(std::int64_t number, const std::string& reason) {
        ++m_result.rejected;
        if (m_settings.strict) {
            m_writing = false;
        }
        if (m_reporter.rejected) {
            m_reporter.rejected(m_settings.source_name + ":" + std::to_string(number) + ": " +
                                reason);
        }
    }

    const ImportSettings& m_settings;
    const ImportReporter& m_reporter;
    const RecordTarget& m_target;
    BatchQueue& m_queue;
    std::unique_ptr<Batch> m_batch;
    model::JsonParser m_parser;
    std::unordered_map<std::string, std::int64_t> m_first_line;
    ImportResult m_result;
    std::size_t m_batch_lines = 0;
    std::size_t m_batch_bytes = 0;
    bool m_writing = true;
};

// Calls the progress callback about every interval.
class ProgressClock {
  public:
    ProgressClock(const ImportSettings& settings, const ImportReporter& reporter)
        : m_interval(settings.progress_interval), m_reporter(reporter) {}

    void tick(std::int64_t lines) {
        if (!m_reporter.progress || (lines & 1023) != 0) {
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - m_last < m_interval) {
            return;
        }
        m_last = now;
        const std::chrono::duration<double> elapsed = now - m_start;
        m_reporter.progress(
            lines, elapsed.count() > 0 ? static_cast<double>(lines) / elapsed.count() : 0.0);
    }

  private:
    std::chrono::milliseconds m_interval;
    const ImportReporter& m_reporter;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_last = m_start;
};

}  // namespace

Importer::Importer(RecordTarget& db, ImportSettings settings, ImportReporter reporter)
    : m_db(db), m_settings(std::move(settings)), m_reporter(std::move(reporter)) {
    if (m_settings.batch_lines == 0) {
        m_settings.batch_lines = 1;
    }
}

namespace {

// Feeds every line to the session. False when the writer failed (its error
// comes from WriteWorker::finish); the error is a read failure.
util::Expected<bool> feed_lines(LineReader& reader, Session& session, ProgressClock& clock) {
    Line line;
    for (;;) {
        auto more = reader.next(line);
        if (!more) {
            return more.error();
        }
        if (!*more) {
            return session.flush();
        }
        if (!session.handle(line)) {
            return false;
        }
        clock.tick(line.number);
    }
}

}  // namespace

util::Expected<ImportResult> Importer::run(int fd) {
    auto begun = m_db.begin_records();
    if (!begun) {
        return begun.error();
    }
    std::unique_ptr<RecordWriter>& writer = *begun;
    // Every return before commit() destroys the writer, which rolls back.
    // This thread reads and validates; a worker thread writes.
    BatchQueue queue;
    Session session(m_settings, m_reporter, m_db, queue);
    WriteWorker worker(*writer, queue);
    ProgressClock clock(m_settings, m_reporter);
    LineReader reader(fd, m_settings.max_line_bytes, m_settings.source_name);
    auto fed = feed_lines(reader, session, clock);
    auto written = worker.finish();
    if (!fed) {
        return fed.error();  // the read error, not a consequence of it
    }
    if (!written) {
        return written.error();
    }
    ImportResult result = session.result();
    if (m_settings.strict && result.rejected > 0) {
        result.imported = 0;
        return result;
    }
    auto st = writer->commit();
    if (!st) {
        return st.error();
    }
    result.committed = true;
    return result;
}

util::Expected<ImportResult> Importer::run_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return util::Error{path + ": cannot open: " + std::strerror(errno)};
    }
    auto result = run(fd);
    ::close(fd);
    return result;
}

}  // namespace spiegel::store
