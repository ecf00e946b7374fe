#pragma once
// The limits every connection and request of the HTTP server passes
// (docs/serving.md, "Connections"). A plain value: copy it freely.

#include <chrono>
#include <cstddef>

namespace spiegel::http {

struct Limits {
    // A larger request head answers 431, a larger body 413; both close.
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    // The whole request must arrive within this: for the first request of a
    // connection counted from accept, for later ones from their first byte.
    // Writing a response must also finish within it.
    std::chrono::milliseconds request_timeout{10'000};
    // A keep-alive connection waits this long for the first byte of its next request.
    std::chrono::milliseconds idle_timeout{60'000};
    // Open connections. At the cap a new connection evicts the one that has
    // waited longest without a complete request; when every open connection
    // is busy with a request, the new one is closed.
    std::size_t max_connections = 256;
    // Open connections per client address (an IPv6 client: per /64); more
    // are closed at once.
    std::size_t max_connections_per_client = 64;
    // Threads of the server's own pool for Dispatch::offload handlers
    // (unused when the server is given an executor).
    std::size_t handler_threads = 2;
    // Offloaded requests waiting for a pool thread; more answer 503
    // {"error":"busy"} with Retry-After at once.
    std::size_t max_queued = 256;
};

}  // namespace spiegel::http
