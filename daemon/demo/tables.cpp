#include "daemon/demo/tables.h"

#include <array>

namespace spiegel::demo {
namespace {

constexpr RegionInfo k_regions[] = {
    {"AM01", 3.0, "97 96 98 99 93",
     "Groningen|Midden-Groningen|Het Hogeland|Westerkwartier|Oldambt"},
    {"AM02", 3.5, "89 84 85 86 87 88 90 91 92",
     "Leeuwarden|Súdwest-Fryslân|Heerenveen|Smallingerland|De Fryske Marren"},
    {"AM03", 1.2, "94 78 79", "Assen|Emmen|Hoogeveen|Meppel"},
    {"AM05", 3.5, "75 76", "Enschede|Hengelo|Almelo|Hof van Twente|Oldenzaal"},
    {"AM06", 3.0, "73 74 72", "Apeldoorn|Deventer|Zutphen|Harderwijk|Epe"},
    {"AM07", 3.0, "68 69", "Arnhem|Rheden|Renkum|Zevenaar|Duiven"},
    {"AM08", 2.5, "65 66", "Nijmegen|Wijchen|Berg en Dal|Heumen"},
    {"AM09", 2.0, "70 71", "Doetinchem|Oude IJsselstreek|Winterswijk|Berkelland|Aalten"},
    {"AM10", 1.8, "40 41", "Tiel|Culemborg|West Betuwe|Buren|Zaltbommel"},
    {"AM11", 3.0, "13 82 83", "Almere|Lelystad|Dronten|Noordoostpolder"},
    {"AM12", 1.8, "12", "Hilversum|Gooise Meren|Huizen|Wijdemeren"},
    {"AM13", 7.0, "35 34 37", "Utrecht|Nieuwegein|Zeist|Houten|Stichtse Vecht"},
    {"AM14", 2.5, "38", "Amersfoort|Leusden|Nijkerk|Bunschoten"},
    {"AM15", 4.0, "17 18 16", "Alkmaar|Den Helder|Hoorn|Dijk en Waard|Schagen"},
    {"AM17", 2.0, "15 14", "Zaanstad|Purmerend|Edam-Volendam|Wormerland"},
    {"AM18", 11.0, "10 11", "Amsterdam|Amstelveen|Haarlemmermeer|Diemen|Aalsmeer"},
    {"AM19", 4.0, "23 22 24", "Leiden|Alphen aan den Rijn|Katwijk|Leiderdorp|Noordwijk"},
    {"AM20", 1.8, "28", "Gouda|Zuidplas|Krimpenerwaard|Waddinxveen|Bodegraven-Reeuwijk"},
    {"AM21", 7.0, "25 26", "'s-Gravenhage|Delft|Westland|Rijswijk|Leidschendam-Voorburg"},
    {"AM22", 9.0, "30 31 32", "Rotterdam|Schiedam|Vlaardingen|Capelle aan den IJssel|Nissewaard"},
    {"AM23", 2.2, "33", "Dordrecht|Zwijndrecht|Papendrecht|Sliedrecht|Hendrik-Ido-Ambacht"},
    {"AM24", 2.0, "43 44 45", "Middelburg|Vlissingen|Goes|Terneuzen|Schouwen-Duiveland"},
    {"AM25", 4.0, "46 47 48", "Breda|Roosendaal|Bergen op Zoom|Oosterhout|Etten-Leur"},
    {"AM26", 3.0, "50 51", "Tilburg|Waalwijk|Oisterwijk|Dongen|Gilze en Rijen"},
    {"AM27", 4.0, "52 53 54", "'s-Hertogenbosch|Oss|Meierijstad|Maashorst|Vught"},
    {"AM28", 4.0, "56 55", "Eindhoven|Veldhoven|Best|Valkenswaard|Geldrop-Mierlo"},
    {"AM29", 1.8, "59 58", "Venlo|Venray|Horst aan de Maas|Peel en Maas|Beesel"},
    {"AM30", 3.5, "62 63 64", "Maastricht|Heerlen|Sittard-Geleen|Kerkrade|Brunssum"},
    {"AM32", 1.7, "57", "Helmond|Deurne|Gemert-Bakel|Laarbeek|Asten"},
    {"AM33", 1.6, "60 61", "Roermond|Weert|Maasgouw|Leudal|Roerdalen"},
    {"AM34", 1.8, "27", "Zoetermeer|Lansingerland|Pijnacker-Nootdorp"},
    {"AM35", 0.7, "42", "Gorinchem|Molenlanden|Vijfheerenlanden"},
    {"AM36", 3.0, "80 81 77", "Zwolle|Kampen|Hardenberg|Raalte|Steenwijkerland"},
    {"AM37", 3.0, "20 19", "Haarlem|Velsen|Heemskerk|Beverwijk|Bloemendaal"},
    {"AM38", 2.0, "67 39", "Ede|Veenendaal|Barneveld|Wageningen"},
};

template <std::size_t N, class T, class F>
std::array<double, N> weights_of(const T (&items)[N], F f) {
    std::array<double, N> w{};
    for (std::size_t i = 0; i < N; ++i) {
        w[i] = f(items[i]);
    }
    return w;
}

// Seed 002 (Wajong, 44,769 persons): "Geboren".
constexpr Bucket k_birth_years[] = {
    {"1948 - 1960", 0.4, 1948, 1960}, {"1961 - 1970", 2.2, 1961, 1970},
    {"1971 - 1980", 7.4, 1971, 1980}, {"1981 - 1990", 41.5, 1981, 1990},
    {"1991 -", 48.4, 1991, 0},
};

// Seed 002: "Uren/dag", column Landelijk (88, 747, 1189, 3218, 6085, 33442 of 44769).
constexpr Bucket k_hours_per_day[] = {
    {"<2", 88, 1, 1.5},        {"2 tot 4", 747, 2, 3.5}, {"4 tot 6", 1189, 4, 5.5},
    {"6 tot 8", 3218, 6, 7.5}, {"8", 6085, 8, 8},        {"nvt", 33442, 0, 0},
};

// Seed 002: "Opl.Niveau", labels mapped to education_levels.csv codes.
constexpr EducationShare k_education[] = {
    {"onbekend", "Niet/onbekend", 25.0, 0},
    {"basis", "Basisonderwijs", 25.8, 1},
    {"havo_vwo", "Havo/VWO", 3.6, 5},
    {"mbo1", "MBO-1", 5.7, 3},
    {"mbo2", "MBO-2", 8.0, 4},
    {"mbo3", "MBO-3", 3.1, 5},
    {"mbo4", "MBO-4", 4.2, 6},
    {"vmbo", "VMBO", 18.3, 2},
    {"hbo", "HBO/bachelor", 2.3, 7},
    {"mbo", "MBO-algemeen", 3.0, 4},
    {"wo", "WO/master", 1.0, 8},
};

constexpr std::string_view k_first_names[] = {
    "Daan",     "Sem",     "Lucas",   "Milan",  "Levi",   "Noah",  "Jesse",  "Thijs",
    "Mohammed", "Youssef", "Bram",    "Tim",    "Ruben",  "Kevin", "Dennis", "Mark",
    "Peter",    "Jan",     "Kees",    "Ahmet",  "Emma",   "Julia", "Sophie", "Lisa",
    "Anouk",    "Fleur",   "Sanne",   "Lotte",  "Fatima", "Noor",  "Sara",   "Eva",
    "Iris",     "Linda",   "Marieke", "Ingrid", "Petra",  "Esra",  "Nadia",  "Chantal",
};
constexpr std::string_view k_surnames[] = {
    "de Jong",   "Jansen",         "de Vries", "van den Berg", "van Dijk", "Bakker",   "Janssen",
    "Visser",    "Smit",           "Meijer",   "de Boer",      "Mulder",   "de Groot", "Bos",
    "Vos",       "Peters",         "Hendriks", "van Leeuwen",  "Dekker",   "Brouwer",  "de Wit",
    "Dijkstra",  "Smits",          "de Graaf", "van der Meer", "Kok",      "Jacobs",   "de Haan",
    "Vermeulen", "van den Heuvel", "Yilmaz",   "El Amrani",    "Kaya",     "Hoekstra", "Koster",
    "Prins",     "Postma",         "Kuipers",  "Veenstra",     "Willems",
};
constexpr std::string_view k_mail_domains[] = {
    "gmail.com",  "hotmail.com", "outlook.com", "live.nl",   "ziggo.nl",
    "kpnmail.nl", "icloud.com",  "hotmail.nl",  "planet.nl", "xs4all.nl",
};
constexpr std::string_view k_sectors[] = {
    "detailhandel",  "overheid_onderwijs", "transport_logistiek",     "zakelijke_dienstverlening",
    "bouw_techniek", "horeca_leisure",     "zorg_welzijn_schoonmaak", "beveiliging",
    "ict",           "land_tuinbouw",
};

const auto k_region_weights = weights_of(k_regions, [](const RegionInfo& r) { return r.weight; });
const auto k_birth_weights = weights_of(k_birth_years, [](const Bucket& b) { return b.share; });
const auto k_hours_weights = weights_of(k_hours_per_day, [](const Bucket& b) { return b.share; });
const auto k_education_weights =
    weights_of(k_education, [](const EducationShare& e) { return e.share; });

}  // namespace

std::span<const RegionInfo> regions() {
    return k_regions;
}
std::span<const double> region_weights() {
    return k_region_weights;
}
std::span<const Bucket> birth_year_buckets() {
    return k_birth_years;
}
std::span<const double> birth_year_weights() {
    return k_birth_weights;
}
std::span<const Bucket> hours_per_day_buckets() {
    return k_hours_per_day;
}
std::span<const double> hours_per_day_weights() {
    return k_hours_weights;
}
std::span<const EducationShare> education_shares() {
    return k_education;
}
std::span<const double> education_weights() {
    return k_education_weights;
}
std::span<const std::string_view> first_names() {
    return k_first_names;
}
std::span<const std::string_view> surnames() {
    return k_surnames;
}
std::span<const std::string_view> mail_domains() {
    return k_mail_domains;
}
std::span<const std::string_view> sector_codes() {
    return k_sectors;
}

}  // namespace spiegel::demo
