#include "daemon/app/cli.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <utility>
#include <vector>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/app/version.h"

namespace spiegel::app {

namespace {
bool g_reason_printed = false;  // fail() ran: the one-line reason is out
}  // namespace

int fail(int status, const std::string& message) {
    std::cerr << "spiegeld: " << message << "\n";
    g_reason_printed = true;
    return status;
}

std::optional<int> stdout_failure() {
    errno = 0;
    std::cout.flush();
    bool ok = std::cout.good();
    ok = std::fflush(stdout) == 0 && ok;
    const int error = errno;
    ok = !std::ferror(stdout) && ok;
    return ok ? std::nullopt : std::optional<int>(error);
}

namespace {

// A value that must not be empty: `--as-of ""` is not "now", `--report ""`
// not "no report" (a script's unset variable would otherwise pass as a
// choice).
const CLI::Validator k_not_empty(
    [](std::string& value) { return value.empty() ? std::string("must not be empty") : std::string(); }, "TEXT",
    "not empty");

// A whole number 0 .. 2^64-1 written in decimal digits only: CLI11 alone
// reads "-1" as 2^64-1 and clamps larger numbers.
const CLI::Validator k_uint64_text(
    [](std::string& value) {
        std::uint64_t parsed = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
        if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
            return std::string("expected a whole number from 0 to 18446744073709551615");
        }
        return std::string();
    },
    "UINT", "uint64");

// Every --config of a subcommand, so a --config given before the
// subcommand (`spiegeld --config FILE scan`) reaches it (docs/cli.md).
struct ConfigTargets {
    std::vector<std::pair<CLI::Option*, std::string*>> all;
};

void add_config(CLI::App& cmd, std::string& target, ConfigTargets& targets) {
    target = k_default_config;
    targets.all.emplace_back(
        cmd.add_option("--config", target, "Configuration file (default: config/spiegeld.yaml)")->check(k_not_empty),
                             &target);
}

// A --config before the subcommand applies to it; given in both places
// with different files it is a usage error. "" when fine.
std::string apply_top_config(const CLI::Option* top, const std::string& value, const ConfigTargets& targets) {
    if (top->count() == 0) {
        return "";
    }
    for (const auto& [option, target] : targets.all) {
        if (option->count() > 0 && *target != value) {
            return "--config is given twice with different files";
        }
        if (option->count() == 0) {
            *target = value;
        }
    }
    return "";
}

// What a command printed must have reached stdout: a full disk or a closed
// stdout (`>/dev/full`, `>&-`) is a runtime failure, not a success whose
// output is lost. Returns the exit status to use.
int stdout_written(int status) {
    const auto error = stdout_failure();
    if (!error) {
        return status;
    }
    if (!g_reason_printed) {  // one reason per run: a command that failed on it said so already
        fail(k_exit_failure, std::string("cannot write to standard output") +
                                 (*error != 0 ? std::string(": ") + std::strerror(*error) : std::string()));
    }
    return status == k_exit_usage ? status : k_exit_failure;
}

int run_command(int argc, char** argv);

}  // namespace

int run_cli(int argc, char** argv) { return stdout_written(run_command(argc, argv)); }

namespace {

int run_command(int argc, char** argv) {
    CLI::App app{"spiegeld: data-quality monitoring for CVs, vacancies and employers", "spiegeld"};
    app.require_subcommand(0, 1);
    app.set_version_flag("--version", std::string(k_version));
    ConfigTargets configs;
    std::string top_config = k_default_config;
    const CLI::Option* top_config_option =
        app.add_option("--config", top_config, "Configuration file, for any subcommand (default: config/spiegeld.yaml)")
            ->check(k_not_empty);

    ServeOptions serve;
    auto* serve_cmd = app.add_subcommand("serve", "Run the daemon (the default without a subcommand)");
    add_config(*serve_cmd, serve.config, configs);
    const CLI::Option* serve_listen_option =
        serve_cmd->add_option("--listen", serve.listen, "HOST:PORT for HTTP (port 0 picks a free port)")->check(k_not_empty);
    // serve is the default, so its --listen may come without the word serve.
    std::string top_listen;
    const CLI::Option* top_listen_option =
        app.add_option("--listen", top_listen, "HOST:PORT for HTTP, for the daemon (serve, the default)")->check(k_not_empty);

    ScanOptions scan;
    auto* scan_cmd = app.add_subcommand("scan", "Run one scan, store the results and exit");
    add_config(*scan_cmd, scan.config, configs);
    scan_cmd->add_option("--as-of", scan.as_of, "The scan's notion of now (RFC 3339)")->check(k_not_empty);
    scan_cmd->add_flag("--full", scan.full, "Scan every record (default: changed records only)");
    scan_cmd->add_option("--report", scan.report, "Write one JSON line per scanned record (- = stdout)")->check(k_not_empty);
    scan_cmd->add_flag("--allow-no-rules", scan.allow_no_rules,
                       "Scan although a kind that had enabled rules at the last scan has none now");

    ImportOptions import;
    auto* import_cmd = app.add_subcommand("import", "Import NDJSON records of one kind");
    add_config(*import_cmd, import.config, configs);
    import_cmd->add_option("--kind", import.kind, "Record kind")
        ->required()
        ->check(CLI::IsMember({"cv", "vacancy", "employer"}));
    import_cmd->add_flag("--strict", import.strict, "Any rejected line aborts the whole import");
    import_cmd->add_option("file", import.file, "NDJSON file, or - for standard input")->required()->check(k_not_empty);

    CheckOptions check;
    auto* check_cmd = app.add_subcommand("check", "Validate config and rules; change nothing");
    add_config(*check_cmd, check.config, configs);
    check_cmd->add_option("--rules", check.rules, "Rules directory (default: from config)")->check(k_not_empty);
    check_cmd->add_flag("--connect", check.connect, "Also connect to the source and check its schema and grants");

    CardOptions card;
    auto* card_cmd = app.add_subcommand("card", "Print a mirror card (CV, vacancy or occupation)");
    add_config(*card_cmd, card.config, configs);
    card_cmd->add_option("type", card.type, "cv, vacancy or occupation")
        ->required()
        ->check(CLI::IsMember({"cv", "vacancy", "occupation"}));
    card_cmd->add_option("id", card.id, "Record id or ISCO-08 code")->required()->check(k_not_empty);
    card_cmd->add_option("--region", card.region, "Labour-market region code (AMxx)")->check(k_not_empty);
    card_cmd->add_option("--format", card.format, "json or html")
        ->check(CLI::IsMember({"json", "html"}));

    DemoOptions demo;
    auto* demo_cmd = app.add_subcommand("demo", "Generate realistic synthetic records into the source database");
    add_config(*demo_cmd, demo.config, configs);
    const auto count_range = CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000});
    demo_cmd->add_option("--cvs", demo.cvs, "Number of CVs (default 20000)")->check(count_range);
    demo_cmd->add_option("--vacancies", demo.vacancies, "Number of vacancies (default 4000)")->check(count_range);
    demo_cmd->add_option("--employers", demo.employers, "Number of employers (default 1000)")->check(count_range);
    demo_cmd->add_option("--seed", demo.seed, "Random seed (same seed, same data)")->check(k_uint64_text);
    demo_cmd->add_option("--as-of", demo.as_of,
                         "Reference instant all timestamps derive from (RFC 3339; default: today 00:00 UTC)")
        ->check(k_not_empty);
    demo_cmd->add_option("--defects", demo.defects, "Defect rates file (default: built-in, as config/demo-defects.yaml)")->check(k_not_empty);

    TokenOptions token;
    auto* token_cmd = app.add_subcommand("token", "Manage bearer tokens for the card API");
    add_config(*token_cmd, token.config, configs);
    token_cmd->require_subcommand(1, 1);
    auto* token_add = token_cmd->add_subcommand("add", "Create a token and print it once");
    token_add->add_option("name", token.name, "Token name")->required()->check(k_not_empty);
    token_add->add_option("--role", token.role, "adviser, employer or officer")
        ->required()
        ->check(CLI::IsMember({"adviser", "employer", "officer"}));
    token_add->add_option("--employer", token.employer, "Employer id (role employer)");
    auto* token_list = token_cmd->add_subcommand("list", "List tokens (never the tokens themselves)");
    auto* token_revoke = token_cmd->add_subcommand("revoke", "Revoke a token");
    token_revoke->add_option("name", token.name, "Token name")->required()->check(k_not_empty);
    // `token add NAME --role R --config FILE`: options of `token` (--config)
    // are accepted after the action's own arguments too (docs/cli.md).
    for (auto* action : {token_add, token_list, token_revoke}) {
        action->fallthrough();
    }

    RulesOptions rules_options;
    auto* rules_cmd = app.add_subcommand("rules", "Work on rules: preview a rule change, suggest rules from the data");
    add_config(*rules_cmd, rules_options.config, configs);
    rules_cmd->require_subcommand(1, 1);
    auto* rules_preview = rules_cmd->add_subcommand(
        "preview", "Compare a candidate rule set with the stored results; store nothing");
    rules_preview->add_option("--rules", rules_options.rules, "Candidate rules directory (default: from config)")->check(k_not_empty);
    rules_preview->add_option("--format", rules_options.format, "text or json")
        ->check(CLI::IsMember({"text", "json"}));
    rules_preview->fallthrough();
    auto* rules_suggest = rules_cmd->add_subcommand(
        "suggest", "Profile the source and write suggested rules with their evidence");
    rules_suggest->add_option("--kind", rules_options.kind, "Record kind")
        ->required()
        ->check(CLI::IsMember({"cv", "vacancy", "employer"}));
    rules_suggest->add_option("--out", rules_options.out, "Output rule file (default: standard output)")->check(k_not_empty);
    rules_suggest->fallthrough();

    // Neither reads a config, but a --config after them is accepted like
    // anywhere else (the top-level option; docs/cli.md).
    app.add_subcommand("version", "Print the version")->fallthrough();

    std::string schema_engine;
    auto* schema_cmd = app.add_subcommand("schema", "Print the source schema DDL (tables, change tracking, grants)");
    schema_cmd->add_option("engine", schema_engine, "postgresql")->required()->check(CLI::IsMember({"postgresql"}));
    schema_cmd->fallthrough();

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return fail(k_exit_usage, e.what() + std::string(" (see spiegeld --help)"));
    }
    if (const std::string problem = apply_top_config(top_config_option, top_config, configs); !problem.empty()) {
        return fail(k_exit_usage, problem + " (see spiegeld --help)");
    }
    if (top_listen_option->count() > 0) {
        if (!app.get_subcommands().empty() && !app.got_subcommand(serve_cmd)) {
            return fail(k_exit_usage, "--listen is an option of serve (see spiegeld --help)");
        }
        if (serve_listen_option->count() > 0 && serve.listen != top_listen) {
            return fail(k_exit_usage, "--listen is given twice with different addresses (see spiegeld --help)");
        }
        serve.listen = top_listen;
    }

    if (app.got_subcommand("version")) {
        return cmd_version();
    }
    if (app.got_subcommand(schema_cmd)) {
        return cmd_schema(schema_engine);
    }
    if (app.got_subcommand(scan_cmd)) {
        return cmd_scan(scan);
    }
    if (app.got_subcommand(import_cmd)) {
        return cmd_import(import);
    }
    if (app.got_subcommand(check_cmd)) {
        return cmd_check(check);
    }
    if (app.got_subcommand(card_cmd)) {
        return cmd_card(card);
    }
    if (app.got_subcommand(demo_cmd)) {
        return cmd_demo(demo);
    }
    if (app.got_subcommand(rules_cmd)) {
        return rules_cmd->got_subcommand(rules_suggest) ? cmd_rules_suggest(rules_options)
                                                         : cmd_rules_preview(rules_options);
    }
    if (app.got_subcommand(token_cmd)) {
        for (auto* sub : token_cmd->get_subcommands()) {
            token.action = sub->get_name();
        }
        return cmd_token(token);
    }
    if (!app.got_subcommand(serve_cmd)) {
        serve.config = top_config;
    }
    return cmd_serve(serve);
}

}  // namespace
}  // namespace spiegel::app
