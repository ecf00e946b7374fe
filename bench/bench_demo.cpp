// Times `spiegeld demo`-style generation and writing of 200,000 CVs, 40,000
// vacancies and 10,000 employers into a fresh temporary database, and
// generation alone. Prints figures; asserts nothing.
//   bench_demo [RULES_DIR] [CVS VACANCIES EMPLOYERS]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "daemon/demo/generator.h"
#include "daemon/demo/writer.h"
#include "daemon/store/source_db.h"

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    namespace demo = spiegel::demo;
    const std::string rules = argc > 1 ? argv[1] : "rules";
    demo::DemoPlan plan;
    plan.seed = 1;
    plan.as_of = 1795392000;  // 2026-11-23T00:00:00Z
    plan.cvs = argc > 4 ? std::atoll(argv[2]) : 200000;
    plan.vacancies = argc > 4 ? std::atoll(argv[3]) : 40000;
    plan.employers = argc > 4 ? std::atoll(argv[4]) : 10000;
    auto catalog = demo::Catalog::load(rules);
    if (!catalog) {
        std::fprintf(stderr, "bench_demo: %s (run from the repository root or pass RULES_DIR)\n",
                     catalog.error().message.c_str());
        return 1;
    }
    const demo::Generator gen(*catalog, plan);
    const double records = static_cast<double>(plan.cvs + plan.vacancies + plan.employers);

    auto start = Clock::now();
    spiegel::model::Arena arena(1 << 20);
    std::size_t bytes = 0;
    for (spiegel::model::Kind kind : spiegel::model::k_all_kinds) {
        for (std::int64_t n = 1; n <= gen.count(kind); ++n) {
            bytes += gen.make(kind, n, arena).fields.size();
            if (n % 250 == 0) {
                arena.reset();
            }
        }
    }
    const double gen_s = since(start);
    std::printf("generation only: %.0f records in %.2f s = %.0f records/s (%zu fields)\n", records,
                gen_s, records / gen_s, bytes);

    const std::string dir =
        (std::filesystem::temp_directory_path() / ("bench_demo_" + std::to_string(::getpid())))
            .string();
    std::filesystem::create_directories(dir);
    auto db = spiegel::store::SourceDb::open(dir + "/source.db",
                                             spiegel::store::SourceDb::Mode::read_write);
    if (!db) {
        std::fprintf(stderr, "bench_demo: %s\n", db.error().message.c_str());
        return 1;
    }
    start = Clock::now();
    auto written = demo::write_demo(**db, gen);
    const double write_s = since(start);
    db->reset();
    std::filesystem::remove_all(dir);
    if (!written) {
        std::fprintf(stderr, "bench_demo: %s\n", written.error().message.c_str());
        return 1;
    }
    std::printf(
        "generation + writing: %lld cvs, %lld vacancies, %lld employers in %.2f s = %.0f "
        "records/s\n",
        static_cast<long long>(written->cvs), static_cast<long long>(written->vacancies),
        static_cast<long long>(written->employers), write_s, records / write_s);
    return 0;
}
