#include "daemon/demo/parts.h"

#include <array>

#include "daemon/util/time.h"

namespace spiegel::demo {
namespace {

// Letters of real Dutch postcodes (F, I, O, Q, U and Y are not used).
constexpr std::string_view k_postcode_letters = "ABCEGHJKLMNPRSTVWXZ";

std::string two_letters(Rng& rng) {
    for (;;) {
        std::string s;
        s += k_postcode_letters[rng.index(k_postcode_letters.size())];
        s += k_postcode_letters[rng.index(k_postcode_letters.size())];
        if (s != "SA" && s != "SD" && s != "SS") {
            return s;
        }
    }
}

std::string digits(Rng& rng, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
        s += static_cast<char>('0' + rng.between(0, 9));
    }
    return s;
}

std::vector<std::string_view> split_words(std::string_view list) {
    std::vector<std::string_view> out;
    while (!list.empty()) {
        const auto sp = list.find(' ');
        if (sp != 0) {
            out.push_back(list.substr(0, sp));
        }
        if (sp == std::string_view::npos) {
            break;
        }
        list.remove_prefix(sp + 1);
    }
    return out;
}

constexpr std::string_view k_level_names[][2] = {
    {"onbekend", "onbekend"},
    {"basis", "basisonderwijs"},
    {"vmbo", "vmbo"},
    {"mbo1", "mbo niveau 1"},
    {"mbo", "mbo"},
    {"mbo2", "mbo niveau 2"},
    {"havo_vwo", "havo/vwo"},
    {"mbo3", "mbo niveau 3"},
    {"mbo4", "mbo niveau 4"},
    {"hbo", "hbo"},
    {"wo", "wo"},
};

constexpr std::string_view k_nouns[] = {"Horizon", "Eik",   "Molen",        "Linde", "Vaart",
                                        "Kroon",   "Zwaan", "Noorderlicht", "Duin",  "Polder",
                                        "Brug",    "Haven", "Klaver"};

std::string_view branch_for(Rng& rng, std::string_view sector) {
    static const std::pair<std::string_view, std::string_view> k_branches[] = {
        {"detailhandel", "Supermarkt|Mode|Wonen|Bakkerij|Tweewielers"},
        {"overheid_onderwijs", "Onderwijsgroep|Kinderopvang|Opleidingen"},
        {"transport_logistiek", "Transport|Logistiek|Distributie|Koeriers|Groothandel"},
        {"zakelijke_dienstverlening",
         "Uitzendbureau|Advies|Administratiekantoor|Personeelsdiensten"},
        {"bouw_techniek", "Bouw|Installatietechniek|Metaalbewerking|Techniek|Schilders"},
        {"horeca_leisure", "Catering|Eetcafé|Hotel|Partycentrum"},
        {"zorg_welzijn_schoonmaak", "Thuiszorg|Zorggroep|Schoonmaakbedrijf|Schoonmaakdiensten"},
        {"beveiliging", "Beveiliging|Security|Bewaking"},
        {"ict", "IT|Software|Automatisering|Digital"},
        {"land_tuinbouw", "Kwekerij|Hoveniers|Tuinbouw|Loonbedrijf"},
    };
    for (const auto& [code, list] : k_branches) {
        if (code == sector) {
            const auto parts = Parts::split(list);
            return parts[rng.index(parts.size())];
        }
    }
    return "Diensten";
}

}  // namespace

RecordBuilder::RecordBuilder(model::Kind kind, model::Arena& arena)
    : m_kind(kind), m_arena(arena), m_fields(arena.values(model::schema_for(kind).fields.size())) {}

void RecordBuilder::set(std::string_view field, model::Value value) {
    const auto slot = model::schema_for(m_kind).slot(field);
    if (slot) {
        m_fields[*slot] = value;
    }
}

model::Value RecordBuilder::strings(const std::vector<std::string>& items) {
    auto values = m_arena.values(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        values[i] = str(items[i]);
    }
    return model::Value::of_array(values);
}

model::Value RecordBuilder::array(const std::vector<model::Value>& items) {
    auto values = m_arena.values(items.size());
    std::copy(items.begin(), items.end(), values.begin());
    return model::Value::of_array(values);
}

model::Value RecordBuilder::object(
    std::initializer_list<std::pair<std::string_view, model::Value>> members) {
    std::size_t n = 0;
    for (const auto& m : members) {
        n += m.second.is_null() ? 0 : 1;
    }
    auto out = m_arena.members(n);
    std::size_t i = 0;
    for (const auto& m : members) {
        if (!m.second.is_null()) {
            out[i].key = m.first;
            out[i].value = m.second;
            ++i;
        }
    }
    return model::Value::of_object(out);
}

model::Record RecordBuilder::finish() {
    model::Record r;
    r.kind = m_kind;
    r.fields = m_fields;
    return r;
}

std::string Parts::postcode(Rng& rng, const RegionInfo& region, bool with_space) {
    const auto prefixes = split_words(region.prefixes);
    std::string four(prefixes[rng.index(prefixes.size())]);
    four += digits(rng, 2);
    return four + (with_space ? " " : "") + two_letters(rng);
}

std::string Parts::postcode_with_prefix(Rng& rng, std::string_view four_digits) {
    return std::string(four_digits) + two_letters(rng);
}

std::string Parts::invalid_postcode(Rng& rng) {
    const std::string four = std::to_string(rng.between(1000, 9999));
    switch (rng.between(0, 6)) {
        case 0:
            return four + (rng.chance(0.5) ? "SA" : "SS");
        case 1:
            return four + " SD";
        case 2:
            return cat("0", four.substr(1), two_letters(rng));
        case 3:
            return four + "  " + two_letters(rng);
        case 4:
            return four + digits(rng, 1);
        case 5:
            return four + two_letters(rng).substr(0, 1);
        default:
            return two_letters(rng) + four;
    }
}

std::string Parts::email(Rng& rng, std::string_view first, std::string_view surname) {
    std::string local = ascii_slug(first);
    switch (rng.between(0, 3)) {
        case 0:
            local = cat(local, ".", ascii_slug(surname));
            break;
        case 1:
            local = cat(local.substr(0, 1), ".", ascii_slug(surname));
            break;
        case 2:
            local += ascii_slug(surname) + std::to_string(rng.between(70, 99));
            break;
        default:
            local = cat(local, "_", ascii_slug(surname), std::to_string(rng.between(1, 9)));
            break;
    }
    return local + "@" + std::string(rng.pick(mail_domains()));
}

std::string Parts::invalid_email(Rng& rng, std::string_view first, std::string_view surname) {
    const std::string local = ascii_slug(first) + "." + ascii_slug(surname);
    switch (rng.between(0, 4)) {
        case 0:
            return local + "@gmail";
        case 1:
            return local + "@@hotmail.com";
        case 2:
            return local + ".hotmail.com";
        case 3:
            return std::string(first) + " " + std::string(surname) + "@ziggo.nl";
        default:
            return local + "@outlook.c";
    }
}

std::string Parts::phone(Rng& rng) {
    const std::string rest = digits(rng, 8);
    switch (rng.between(0, 5)) {
        case 0:
            return "06" + rest;
        case 1:
            return "06-" + rest;
        case 2:
            return "06 " + rest.substr(0, 4) + " " + rest.substr(4);
        case 3:
            return "+31 6 " + rest;
        case 4:
            return "+316" + rest;
        default: {
            static constexpr std::string_view k_areas[] = {"010", "020", "030",
                                                           "040", "050", "070"};
            return std::string(rng.pick(std::span<const std::string_view>(k_areas))) + "-" +
                   digits(rng, 7);
        }
    }
}

std::string Parts::invalid_phone(Rng& rng) {
    switch (rng.between(0, 3)) {
        case 0:
            return "06-" + digits(rng, 7);
        case 1:
            return "06" + digits(rng, 9);
        case 2:
            return "+32 470 " + digits(rng, 6);
        default:
            return digits(rng, 7);
    }
}

std::string Parts::bsn(Rng& rng) {
    for (;;) {
        std::string d = digits(rng, 8);
        int sum = 0;
        for (int i = 0; i < 8; ++i) {
            sum += (9 - i) * (d[static_cast<std::size_t>(i)] - '0');
        }
        const int last = sum % 11;  // 9·d1..2·d8 − d9 ≡ 0 (mod 11) => d9 = sum mod 11
        if (last <= 9 && d[0] != '0') {
            return d + static_cast<char>('0' + last);
        }
    }
}

std::string Parts::municipality(Rng& rng, const RegionInfo& region) {
    const auto names = split(region.municipalities);
    std::vector<double> w;
    for (std::size_t i = 0; i < names.size(); ++i) {
        w.push_back(i == 0 ? 5.0 : 3.0 / static_cast<double>(i));
    }
    return std::string(names[rng.weighted(w)]);
}

std::string Parts::surname_capitalised(std::string_view surname) {
    return capitalised(surname);
}

std::string Parts::ascii_slug(std::string_view text) {
    std::string s;
    for (char c : text) {
        if (c >= 'A' && c <= 'Z') {
            s += static_cast<char>(c - 'A' + 'a');
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            s += c;
        }
    }
    return s;
}

std::string Parts::capitalised(std::string_view text) {
    std::string s(text);
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') {
        s[0] = static_cast<char>(s[0] - 'a' + 'A');
    }
    return s;
}

std::string Parts::timestamp(std::int64_t seconds) {
    return util::format_timestamp(seconds);
}

std::string Parts::month(std::int64_t months) {
    const std::int64_t year = months / 12;
    const std::int64_t m = months % 12 + 1;
    std::string s = std::to_string(year) + "-";
    if (m < 10) {
        s += '0';
    }
    return s + std::to_string(m);
}

std::string Parts::join(const std::vector<std::string_view>& parts, std::string_view last_sep) {
    std::string s;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            s += (i + 1 == parts.size()) ? last_sep : std::string_view(", ");
        }
        s += parts[i];
    }
    return s;
}

std::string_view Parts::level_name(std::string_view code) {
    for (const auto& [c, name] : k_level_names) {
        if (c == code) {
            return name;
        }
    }
    return code;
}

std::vector<std::string_view> Parts::split(std::string_view list) {
    std::array<std::string_view, 16> buf;
    const std::size_t n = split_bar(list, buf);
    return {buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n)};
}

bool Parts::draw(Rng& rng, const Generator& gen, Defect d, DefectSet* set) {
    const bool hit = rng.chance(gen.m_plan.defects[d]);
    if (hit) {
        mark(set, d);
    }
    return hit;
}

void Parts::mark(DefectSet* set, Defect d) {
    if (set != nullptr) {
        set->set(static_cast<std::size_t>(d));
    }
}

std::string Parts::company_name(Rng& rng, std::string_view sector, std::string_view municipality) {
    const std::string surname = capitalised(rng.pick(surnames()));
    const std::string_view branch = branch_for(rng, sector);
    std::string name;
    switch (rng.between(0, 3)) {
        case 0:
            name = surname + " " + std::string(branch);
            break;
        case 1:
            name = std::string(branch) + " " + surname;
            break;
        case 2:
            name = std::string(branch) + " " + std::string(municipality);
            break;
        default:
            name = std::string(branch) + " De " +
                   std::string(rng.pick(std::span<const std::string_view>(k_nouns)));
            break;
    }
    const double form = rng.real();
    if (form < 0.55) {
        name += " B.V.";
    } else if (form < 0.65) {
        name += " V.O.F.";
    } else if (form < 0.67) {
        name += " N.V.";
    }
    return name;
}

}  // namespace spiegel::demo
