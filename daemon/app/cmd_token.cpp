// spiegeld token add|list|revoke (docs/cards.md, "Access and tokens").
// `add` prints the new token as the only line on stdout; nothing else ever
// prints or logs a token. Exit 1: duplicate name, unknown name on revoke,
// database error; 2: config error, --employer missing for role employer or
// given for another role, a malformed name.

#include <cstdio>
#include <iostream>

#include "daemon/app/access.h"
#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/store/access_db.h"
#include "daemon/util/clock.h"
#include "daemon/model/schema.h"
#include "daemon/util/printable.h"
#include "daemon/util/time.h"

namespace spiegel::app {

namespace {

bool valid_name(const std::string& name) {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '@';
        if (!ok) {
            return false;
        }
    }
    return true;
}

int token_add(store::AccessDb& tokens, const TokenOptions& options, store::Role role) {
    // Stored only once it is on stdout: a token nobody received must not
    // stay active (stdout full or closed).
    const auto print = [](const std::string& token) -> util::Status {
        std::cout << token << '\n';
        if (stdout_failure()) {
            std::cout.clear();  // reported here: run_cli must not report it again
            std::clearerr(stdout);
            return util::Error{"cannot write the token to standard output, so it was not stored"};
        }
        return {};
    };
    auto token = tokens.add(options.name, role, options.employer, util::system_clock().wall_seconds(), print);
    if (!token) {
        return fail(k_exit_failure, token.error().message);
    }
    return k_exit_ok;
}

int token_list(store::AccessDb& tokens) {
    auto rows = tokens.list();
    if (!rows) {
        return fail(k_exit_failure, rows.error().message);
    }
    std::cout << "NAME\tROLE\tEMPLOYER\tCREATED\tREVOKED\n";
    for (const auto& row : *rows) {
        // `add` stores valid names and ids only; a row written otherwise is
        // escaped, so it can neither add a column or line nor reach the
        // terminal raw.
        std::cout << util::printable(row.name) << '\t' << store::role_name(row.role) << '\t'
                  << (row.employer.empty() ? "-" : util::printable(row.employer)) << '\t'
                  << util::format_timestamp(row.created_at) << '\t'
                  << (row.revoked_at ? util::format_timestamp(*row.revoked_at) : "-") << '\n';
    }
    return k_exit_ok;
}

}  // namespace

int cmd_token(const TokenOptions& options) {
    std::optional<store::Role> role;
    if (options.action == "add") {
        role = store::parse_role(options.role);
        if (!role) {
            return fail(k_exit_usage, "--role: expected adviser, employer or officer");
        }
        if (!valid_name(options.name)) {
            return fail(k_exit_usage, "token name: 1 to 64 of A-Z a-z 0-9 - _ . @");
        }
        if (*role == store::Role::employer && options.employer.empty()) {
            return fail(k_exit_usage, "--employer ID is required for role employer");
        }
        if (*role != store::Role::employer && !options.employer.empty()) {
            return fail(k_exit_usage, "--employer is only allowed for role employer");
        }
        if (*role == store::Role::employer && !model::valid_id(options.employer)) {
            return fail(k_exit_usage, "--employer: not an employer id (1 to 64 of A-Z a-z 0-9 . _ -)");
        }
    }
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    auto tokens = store::AccessDb::open(config->access.database, store::AccessDb::Mode::read_write, config->state.database);
    if (!tokens) {
        return fail(k_exit_failure, tokens.error().message);
    }
    if (options.action == "add") {
        return token_add(**tokens, options, *role);
    }
    if (options.action == "list") {
        return token_list(**tokens);
    }
    if (options.action == "revoke") {
        if (!valid_name(options.name)) {
            // add() accepts valid names only; the name is echoed escaped.
            return fail(k_exit_failure, "no token named " + util::quoted(options.name));
        }
        auto status = (*tokens)->revoke(options.name, util::system_clock().wall_seconds());
        return status ? k_exit_ok : fail(k_exit_failure, status.error().message);
    }
    return fail(k_exit_usage, "token: expected add, list or revoke");
}

}  // namespace spiegel::app
