// Import throughput: generates N realistic CV lines as NDJSON in a temp
// file, imports them in-process into a fresh temp database, then imports the
// same file again (every line an upsert of an existing row), and prints
// records/s and MB/s for both. Usage: bench_import [--cvs N] (default 200000).

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "daemon/model/json.h"
#include "daemon/store/importer.h"
#include "daemon/store/source_db.h"

namespace {

using namespace spiegel;

const char* const k_places[][3] = {
    {"8011AB", "Zwolle", "AM21"},    {"1012JS", "Amsterdam", "AM16"},
    {"3011AD", "Rotterdam", "AM28"}, {"2511CV", "Den Haag", "AM17"},
    {"5611AZ", "Eindhoven", "AM33"}, {"9711LM", "Groningen", "AM01"},
    {"6511JK", "Nijmegen", "AM24"},  {"3511AX", "Utrecht", "AM27"},
    {"7511JA", "Enschede", "AM10"},
};
const char* const k_occupations[][2] = {
    {"8344", "Heftruckchauffeur"},
    {"5223", "Verkoopmedewerker"},
    {"2512", "Softwareontwikkelaar"},
    {"3221", "Verpleegkundige"},
    {"7411", "Elektricien"},
    {"5120", "Kok"},
    {"4110", "Administratief medewerker"},
    {"9329", "Productiemedewerker"},
    {"8322", "Chauffeur"},
};
const char* const k_skills[] = {"heftruck rijden",
                                "orderpicken",
                                "klantgericht werken",
                                "Excel",
                                "plannen",
                                "koken",
                                "lassen",
                                "C++",
                                "wondzorg",
                                "kassa",
                                "voorraadbeheer",
                                "rijbewijs C",
                                "VCA",
                                "Engels"};
const char* const k_levels[] = {"vmbo", "mbo1", "mbo2", "mbo3", "mbo4", "hbo", "wo"};
const char* const k_words[] = {"ik",       "ben",      "een",      "gemotiveerde", "collega",
                               "met",      "ervaring", "in",       "de",           "logistiek",
                               "zorg",     "techniek", "en",       "zoek",         "werk",
                               "dichtbij", "huis",     "flexibel", "betrouwbaar",  "leergierig"};

class Gen {
  public:
    explicit Gen(std::uint64_t seed) : m_rng(seed) {}
    std::size_t pick(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_rng);
    }
    int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }

    std::string cv(std::size_t i) {
        std::string s = "{\"id\":\"cv-" + std::to_string(i) + "\"";
        const auto& place = k_places[pick(std::size(k_places))];
        s += ",\"created_at\":\"2025-0" + std::to_string(between(1, 9)) + "-1" +
             std::to_string(between(0, 9)) + "T09:15:00+02:00\",\"updated_at\":\"2026-10-0" +
             std::to_string(between(1, 9)) + "T12:00:00Z\"";
        s += ",\"birth_year\":" + std::to_string(between(1960, 2006));
        s += std::string(",\"postcode\":\"") + place[0] + "\",\"municipality\":\"" + place[1] +
             "\",\"region\":\"" + place[2] + "\",\"target_groups\":[\"ww\"]";
        s += ",\"email\":\"kandidaat" + std::to_string(i) + "@example.nl\",\"phone\":\"06-" +
             std::to_string(10000000 + i % 89999999) + "\"";
        s += ",\"summary\":\"";
        for (int w = between(20, 60); w > 0; --w) {
            s += k_words[pick(std::size(k_words))];
            s += w > 1 ? " " : ".";
        }
        s += "\",\"desired_occupations\":[";
        for (int o = between(1, 3); o > 0; --o) {
            const auto& occ = k_occupations[pick(std::size(k_occupations))];
            s += std::string("{\"code\":\"") + occ[0] + "\",\"title\":\"" + occ[1] + "\"}" +
                 (o > 1 ? "," : "");
        }
        s += std::string("],\"education\":[{\"level\":\"") + k_levels[pick(std::size(k_levels))] +
             "\",\"name\":\"Opleiding\",\"diploma\":true,\"year_end\":" +
             std::to_string(between(1980, 2024)) + "}]";
        s += ",\"experience\":[";
        for (int e = between(1, 4); e > 0; --e) {
            const auto& occ = k_occupations[pick(std::size(k_occupations))];
            s += std::string("{\"occupation_code\":\"") + occ[0] + "\",\"title\":\"" + occ[1] +
                 "\",\"employer\":\"Bedrijf BV\",\"start\":\"20" + std::to_string(between(10, 19)) +
                 "-0" + std::to_string(between(1, 9)) + "\"" +
                 (e > 1 ? ",\"end\":\"2022-12\"" : "") +
                 ",\"description\":\"Dagelijkse werkzaamheden.\"}" + (e > 1 ? "," : "");
        }
        s += "],\"skills\":[";
        for (int k = between(2, 8); k > 0; --k) {
            s +=
                std::string("\"") + k_skills[pick(std::size(k_skills))] + "\"" + (k > 1 ? "," : "");
        }
        s += "],\"languages\":[{\"code\":\"nld\",\"level\":\"C1\"},{\"code\":\"eng\",\"level\":"
             "\"B1\"}]";
        s += ",\"driving_licences\":[\"B\"],\"interests\":[\"logistiek\"],\"hours_per_week\":" +
             std::to_string(between(8, 40)) +
             ",\"hours_per_day\":" + std::to_string(between(2, 8)) +
             ".5,\"max_travel_minutes\":45,\"max_travel_km\":30,\"visible\":true}\n";
        return s;
    }

  private:
    std::mt19937_64 m_rng;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds (user + system) used by this process so far: a fairer figure
// than wall time on a machine shared with other work.
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto secs = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
    };
    return secs(usage.ru_utime) + secs(usage.ru_stime);
}

bool timed_import(store::SourceDb& db, const std::string& path, const char* label, double mbytes) {
    store::ImportSettings settings;
    settings.source_name = path;
    store::Importer importer(db, settings);
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();
    auto result = importer.run_file(path);
    const double secs = seconds_since(t0);
    const double cpu = cpu_seconds() - cpu0;
    if (!result) {
        std::fprintf(stderr, "bench_import: %s\n", result.error().message.c_str());
        return false;
    }
    const auto n = static_cast<double>(result->imported);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "%-7s %lld records in %.2f s wall: %.0f records/s, %.1f MB/s; %.2f s CPU: %.0f "
        "records/CPU-s; peak RSS so far %.0f MB (rejected %lld)\n",
        label, static_cast<long long>(result->imported), secs, n / secs, mbytes / secs, cpu,
        n / cpu, static_cast<double>(usage.ru_maxrss) / 1024.0,
        static_cast<long long>(result->rejected));
    return result->rejected == 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t cvs = 200000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--cvs") == 0 && i + 1 < argc) {
            cvs = std::strtoull(argv[++i], nullptr, 10);
        } else {
            std::fprintf(stderr, "usage: bench_import [--cvs N]\n");
            return 2;
        }
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/bench-import-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string ndjson = dir + "/cvs.ndjson";
    Gen gen(42);
    {
        std::ofstream out(ndjson, std::ios::binary);
        for (std::size_t i = 0; i < cvs; ++i) {
            out << gen.cv(i);
        }
    }
    const double mbytes = static_cast<double>(std::filesystem::file_size(ndjson)) / 1e6;
    std::printf("generated %zu CVs, %.1f MB NDJSON (%.0f bytes/line)\n", cvs, mbytes,
                mbytes * 1e6 / static_cast<double>(cvs ? cvs : 1));
    bool ok = false;
    {
        auto db = store::SourceDb::open(dir + "/source.db", store::SourceDb::Mode::read_write);
        if (!db) {
            std::fprintf(stderr, "bench_import: %s\n", db.error().message.c_str());
            return 1;
        }
        ok = timed_import(**db, ndjson, "insert", mbytes) &&
             timed_import(**db, ndjson, "upsert", mbytes);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return ok ? 0 : 1;
}
