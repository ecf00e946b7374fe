// spiegeld demo: deterministic synthetic records into the source database.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/app/source_access.h"
#include "daemon/demo/generator.h"
#include "daemon/demo/writer.h"
#include "daemon/store/source_db.h"
#include "daemon/util/clock.h"
#include "daemon/util/printable.h"
#include "daemon/util/time.h"

namespace spiegel::app {
namespace {

std::int64_t today_midnight_utc() {
    const std::int64_t seconds = util::system_clock().wall_seconds();
    return seconds - seconds % util::k_seconds_per_day;
}

// The plan from the options; a usage error names the bad option.
util::Expected<demo::DemoPlan> make_plan(const DemoOptions& options) {
    demo::DemoPlan plan;
    plan.seed = options.seed;
    plan.cvs = options.cvs;
    plan.vacancies = options.vacancies;
    plan.employers = options.employers;
    plan.as_of = today_midnight_utc();
    if (!options.as_of.empty()) {
        const auto t = util::parse_timestamp(options.as_of);
        if (!t) {
            return util::Error{"--as-of: " + util::quoted(options.as_of) + " is not an RFC 3339 timestamp"};
        }
        plan.as_of = *t;
    }
    if (!options.defects.empty()) {
        auto rates = demo::load_defects(options.defects);
        if (!rates) {
            return rates.error();
        }
        plan.defects = *rates;
    }
    return plan;
}

// Prints about ten progress lines per kind.
class ProgressPrinter {
  public:
    void operator()(model::Kind kind, std::int64_t done, std::int64_t total) {
        const std::int64_t tenth = total > 0 ? done * 10 / total : 10;
        if (kind != m_kind || tenth != m_tenth) {
            std::cerr << "spiegeld: demo: " << model::kind_name(kind) << " " << done << "/" << total
                      << "\n";
        }
        m_kind = kind;
        m_tenth = tenth;
    }

  private:
    model::Kind m_kind = model::Kind::cv;
    std::int64_t m_tenth = -1;
};

}  // namespace

int cmd_demo(const DemoOptions& options) {
    auto plan = make_plan(options);
    if (!plan) {
        return fail(k_exit_usage, plan.error().message);
    }
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    auto catalog = demo::Catalog::load(config->rules.directory);
    if (!catalog) {
        return fail(k_exit_usage, catalog.error().message);
    }
    auto db = open_write_target(*config);  // sqlite or postgresql
    if (!db) {
        return fail(k_exit_failure, db.error().message);
    }
    const util::Clock& clock = util::system_clock();
    const auto started = clock.monotonic();
    const demo::Generator generator(*catalog, *plan);
    ProgressPrinter printer;
    auto written = demo::write_demo(*db->target, generator, std::ref(printer));
    if (!written) {
        return fail(k_exit_failure, written.error().message);
    }
    const double seconds =
        std::chrono::duration<double>(clock.monotonic() - started).count();
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.1f", seconds);
    std::cerr << "spiegeld: demo: wrote " << written->employers << " employers, "
              << written->vacancies << " vacancies, " << written->cvs << " cvs (seed " << plan->seed
              << ", as-of " << util::format_timestamp(plan->as_of) << ") to "
              << db->target->target_name() << " in " << elapsed << " s\n";
    return k_exit_ok;
}

}  // namespace spiegel::app
