#pragma once
// Internal representation of a compiled rule set (not part of the public
// API; used by the loader, the evaluator and the cross-index builder).
// Everything here is immutable after load_rule_set() returns.

#include <re2/re2.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "daemon/rules/lexicon.h"
#include "daemon/rules/rule_set.h"

namespace spiegel::rules {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

enum class Op : std::uint8_t {
    all, any, not_,
    present, missing,
    matches, in_set, contains,
    range, compare, words, count,
    every, some,
    mentions, contains_bsn,
    exists, referenced_by, unique,
};

// A resolved field: a top-level slot, or (inside every/some) a field of the
// current item, or the item itself (string arrays, written ".").
struct FieldRef {
    enum class Scope : std::uint8_t { record, item, item_self } scope = Scope::record;
    std::uint16_t slot = 0;        // record scope
    std::string item_name;         // item scope
    model::FieldType type = model::FieldType::string;
};

// A range bound or comparison offset: value + (relative ? as-of in the field's unit : 0).
struct Bound {
    bool set = false;
    bool relative = false;  // relative to the scan's as-of instant
    double value = 0;
};

enum class CompareOp : std::uint8_t { lt, le, eq, ne, ge, gt };

struct Node {
    Op op = Op::all;
    std::vector<Node> children;   // all/any/not/every/some
    FieldRef field;               // leaf subject; every/some: the array
    FieldRef other;               // compare
    std::vector<FieldRef> fields; // mentions, contains_bsn
    bool if_missing = false;      // result of a leaf whose field is missing

    std::shared_ptr<const RE2> regex;  // matches
    bool full = true;
    bool trim = false;
    std::string remove;                // characters removed before matching

    std::shared_ptr<const StringSet> set;  // in_set
    std::string value;                     // contains

    Bound lo, hi;          // range; words/count use lo/hi as counts
    CompareOp cmp = CompareOp::le;
    Bound offset;          // compare: other + offset
    bool has_other_default = false;
    double other_default = 0;

    std::shared_ptr<const Lexicon> lexicon;  // mentions
    int cross = -1;                          // exists/referenced_by/unique: CrossSpec index
};

// One normalisation step of a uniqueness key part.
struct NormaliseStep {
    enum class Kind : std::uint8_t { lower, trim, letters_digits, digits, remove_tokens, first, min_length } kind;
    std::vector<std::string> tokens;  // remove_tokens (already util::fold-ed)
    std::size_t count = 0;            // first, min_length
};

struct KeyPart {
    std::uint16_t slot = 0;
    std::vector<NormaliseStep> steps;
};

// A cross-record fact collected by CrossIndexBuilder.
struct CrossSpec {
    Op op = Op::exists;
    model::Kind source = model::Kind::cv;  // kind whose records are collected
    std::uint16_t field = 0;               // referenced_by: the referring field in source
    std::unique_ptr<Node> where;           // condition on source records (may be null)
    std::vector<KeyPart> key;              // unique
    std::uint16_t order_by = 0;            // unique: keep the earliest of this timestamp
    std::uint64_t slots = 0;               // source fields read
    bool enabled = true;                   // false when its rule is disabled
};

struct CompiledRule {
    std::unique_ptr<Node> when;  // null: always applicable
    Node check;
    std::uint64_t slots = 0;     // top-level fields read (when and check), bit per slot
    std::uint64_t when_slots = 0;  // of those, the fields `when` reads
    bool cross = false;
    std::size_t first_spec = 0;  // CrossSpecs of this rule: [first_spec, end_spec)
    std::size_t end_spec = 0;
};

struct RuleSet::Impl {
    model::PerKind<std::vector<RuleInfo>> infos;
    model::PerKind<std::vector<CompiledRule>> compiled;
    std::vector<CrossSpec> cross_specs;
};

struct UniqueGroup {
    std::uint32_t count = 0;
    std::int64_t best_time = 0;    // seconds since the epoch of the earliest order_by
    std::int32_t best_nanos = 0;   // and its fraction of a second
    std::string best_id;
};

struct CrossIndex::Data {
    std::vector<StringSet> sets;  // exists, referenced_by (by spec index)
    std::vector<std::unordered_map<std::string, UniqueGroup, StringHash, std::equal_to<>>> groups;  // unique
};

// As-of instant in every unit a bound may use.
struct AsOf {
    double seconds = 0;
    double days = 0;
    double months = 0;  // year * 12 + month - 1
    double year = 0;
};
AsOf make_as_of(std::int64_t seconds);

// Evaluation of one node on a record (and the current item inside every/some).
struct Env {
    const model::Record& record;
    const model::Value* item = nullptr;
    AsOf as_of;
    const CrossIndex* cross = nullptr;
    const RuleSet::Impl* impl = nullptr;
    // When set, lowered to the first instant (seconds) at which a relative
    // bound evaluated so far would judge the same value differently
    // (Outcome::valid_until).
    std::int64_t* horizon = nullptr;
};
bool eval_node(const Node& node, const Env& env);

// The uniqueness key of a record (empty when any part is empty).
void unique_key(const CrossSpec& spec, const model::Record& record, std::string& out);

// True when text contains a 9-digit run passing the 11-test (default-rules.md).
bool contains_bsn(std::string_view text);

// Reads a field in the evaluation scope; null when absent.
const model::Value& field_value(const FieldRef& ref, const Env& env);

}  // namespace spiegel::rules
