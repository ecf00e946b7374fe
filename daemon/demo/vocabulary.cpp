#include "daemon/demo/vocabulary.h"

namespace spiegel::demo {
namespace {

// Specific profiles first (4 digits), then sub-major groups (2 digits).
constexpr OccupationProfile k_profiles[] = {
    {"4321", "orderpicken|heftruck rijden|voorraadbeheer|scanner bedienen|goederenontvangst|WMS",
     "Logistiek",
     "orders verzamelen en klaarzetten|goederen ontvangen en controleren|de voorraad bijhouden",
     "transport_logistiek", 0},
    {"9333", "heftruck|orderpicken|laden en lossen|reachtruck|palletwagen|VCA", "Logistiek",
     "vrachtwagens laden en lossen|pallets verplaatsen met de heftruck|zendingen controleren",
     "transport_logistiek", 0},
    {"9334",
     "vakkenvullen|voorraad aanvullen|houdbaarheid controleren|presentatie "
     "schappen|klantvriendelijk",
     "Detailhandel", "schappen aanvullen|houdbaarheidsdata controleren|klanten de weg wijzen",
     "detailhandel", 0},
    {"5223", "verkoop|kassa|klantvriendelijk|productkennis|presentatie winkel|voorraad aanvullen",
     "Detailhandel", "klanten adviseren|de winkel netjes houden|afrekenen aan de kassa",
     "detailhandel", 1},
    {"5230", "kassa|afrekenen|klantvriendelijk|geld tellen|pinautomaat", "Detailhandel",
     "afrekenen met klanten|de kassa opmaken|vragen van klanten beantwoorden", "detailhandel", 0},
    {"5120", "HACCP|koken|mise en place|snijtechnieken|menu samenstellen|hygiëne",
     "Horeca en bakkerij", "gerechten bereiden|de mise en place verzorgen|werken volgens HACCP",
     "horeca_leisure", 1},
    {"9412", "afwassen|HACCP|mise en place|schoonmaken keuken|groente snijden", "Horeca",
     "de keuken schoonhouden|groenten snijden|de afwas verzorgen", "horeca_leisure", 0},
    {"5131", "gastvrijheid|bediening|kassa|wijnkennis|HACCP|klantvriendelijk", "Horeca",
     "gasten ontvangen|bestellingen opnemen|tafels dekken en afruimen", "horeca_leisure", 1},
    {"9112", "schoonmaken|interieurverzorging|VSR-certificaat|hygiëne|schoonmaakmachines",
     "Schoonmaak", "kantoren schoonmaken|sanitair reinigen|schoonmaakmachines bedienen",
     "zorg_welzijn_schoonmaak", 0},
    {"8332", "rijbewijs CE|code 95|tachograaf|laden en lossen|ADR|routeplanning", "Transport",
     "goederen vervoeren|ritten plannen|de vracht zekeren", "transport_logistiek", 1},
    {"8322", "rijbewijs B|routeplanning|pakketten bezorgen|klantvriendelijk|navigatie", "Transport",
     "pakketten bezorgen|de route plannen|de bus laden", "transport_logistiek", 0},
    {"5321", "persoonlijke verzorging|ADL-ondersteuning|rapporteren|tillift|hygiëne|empathie",
     "Zorg en welzijn",
     "cliënten helpen bij de persoonlijke verzorging|rapporteren in het dossier|"
     "maaltijden rondbrengen",
     "zorg_welzijn_schoonmaak", 1},
    {"5322", "huishoudelijke hulp|persoonlijke verzorging|ADL-ondersteuning|rapporteren|empathie",
     "Zorg en welzijn", "cliënten thuis ondersteunen|het huishouden doen|signaleren en rapporteren",
     "zorg_welzijn_schoonmaak", 0},
    {"3221", "medicatie toedienen|wondzorg|rapporteren|BIG-registratie|zorgplan opstellen",
     "Verpleegkunde", "medicatie toedienen|wonden verzorgen|zorgplannen bijhouden",
     "zorg_welzijn_schoonmaak", 1},
    {"4110", "Microsoft Office|Excel|archiveren|data-invoer|correspondentie|telefoon aannemen",
     "Secretarieel en administratie",
     "post en archief verwerken|gegevens invoeren|de telefoon aannemen",
     "zakelijke_dienstverlening", 1},
    {"4222", "klantcontact|telefoneren|CRM-systeem|klachten afhandelen|typevaardigheid",
     "Klantcontact",
     "klanten telefonisch te woord staan|vragen vastleggen in het CRM-systeem|"
     "klachten afhandelen",
     "zakelijke_dienstverlening", 1},
    {"5414", "beveiliging|diploma Beveiliger 2|BHV|toegangscontrole|surveilleren|rapporteren",
     "Beveiliging", "toegang controleren|surveilleren op het terrein|incidenten rapporteren",
     "beveiliging", 1},
    {"7411", "elektrische installaties|NEN 3140|storingen zoeken|bekabeling|VCA|meten",
     "Elektrotechniek", "installaties aanleggen|storingen opsporen|kabels trekken", "bouw_techniek",
     1},
    {"7115", "timmeren|houtbewerking|bouwtekeningen lezen|kozijnen plaatsen|VCA|meten",
     "Bouw en infra", "kozijnen plaatsen|bekistingen maken|bouwtekeningen lezen", "bouw_techniek",
     1},
    {"7231", "APK|diagnose apparatuur|onderhoud auto's|banden wisselen|remmen",
     "Motorvoertuigentechniek",
     "auto's onderhouden|storingen diagnosticeren|APK-keuringen uitvoeren", "bouw_techniek", 1},
    {"9329", "productiewerk|machine bedienen|inpakken|kwaliteitscontrole|VCA|werken in ploegen",
     "Procestechniek", "producten inpakken|machines bijvullen|de kwaliteit controleren",
     "bouw_techniek", 0},
    {"6113", "snoeien|planten|grasmaaien|tuinonderhoud|bestrating", "Groen en hovenier",
     "tuinen onderhouden|planten en snoeien|bestrating leggen", "land_tuinbouw", 0},
    {"9214", "oogsten|planten|kasteelt|sorteren|inpakken", "Groen",
     "gewassen oogsten|planten verzorgen in de kas|producten sorteren", "land_tuinbouw", 0},
    {"2512", "Java|C#|SQL|Git|Scrum|testen", "Informatica",
     "software ontwikkelen|code reviewen|testen schrijven", "ict", 2},
    {"3512", "ICT-helpdesk|Windows|netwerkbeheer|Office 365|hardware installeren", "ICT-beheer",
     "gebruikers helpen met ICT-vragen|laptops installeren|storingen oplossen", "ict", 1},
    {"5311", "kinderopvang|pedagogisch handelen|observeren|EHBO voor kinderen|VVE",
     "Pedagogisch werk", "kinderen begeleiden|activiteiten voorbereiden|ouders te woord staan",
     "zorg_welzijn_schoonmaak", 1},
    {"01", "discipline|fysieke conditie|samenwerken|rijbewijs B", "Veiligheid",
     "taken uitvoeren volgens instructie|materieel onderhouden", "overheid_onderwijs", 1},
    {"02", "discipline|fysieke conditie|leidinggeven|planning", "Veiligheid",
     "teams aansturen|oefeningen voorbereiden", "overheid_onderwijs", 1},
    {"03", "discipline|fysieke conditie|samenwerken|rijbewijs B", "Veiligheid",
     "taken uitvoeren volgens instructie|materieel onderhouden", "overheid_onderwijs", 1},
    {"11", "beleid|bestuur|onderhandelen|leidinggeven|strategie", "Bestuurskunde",
     "beleid bepalen|overleg voeren met partners", "overheid_onderwijs", 2},
    {"12", "leidinggeven|budgetbeheer|personeelsbeleid|strategie|rapporteren", "Bedrijfskunde",
     "een afdeling aansturen|budgetten bewaken|rapportages maken", "zakelijke_dienstverlening", 2},
    {"13", "leidinggeven|planning|kwaliteitszorg|budgetbeheer|logistiek", "Bedrijfskunde",
     "de productie plannen|teams aansturen|de kwaliteit bewaken", "transport_logistiek", 2},
    {"14", "leidinggeven|klantvriendelijk|planning|omzet analyseren|voorraadbeheer",
     "Ondernemerschap", "een winkel of zaak leiden|roosters maken|de omzet bewaken", "detailhandel",
     1},
    {"21", "onderzoek|technisch tekenen|AutoCAD|data-analyse|projectmanagement", "Techniek",
     "ontwerpen maken|berekeningen uitvoeren|projecten begeleiden", "bouw_techniek", 2},
    {"22", "medische kennis|patiëntcontact|BIG-registratie|rapporteren|diagnostiek", "Geneeskunde",
     "patiënten behandelen|dossiers bijhouden|overleggen met collega's", "zorg_welzijn_schoonmaak",
     2},
    {"23", "lesgeven|didactiek|klassenmanagement|toetsen ontwikkelen|mentoraat", "Lerarenopleiding",
     "lessen voorbereiden en geven|leerlingen begeleiden|toetsen nakijken", "overheid_onderwijs",
     2},
    {"24", "Excel|financiële analyse|rapporteren|juridische kennis|HRM", "Bedrijfseconomie",
     "rapportages opstellen|analyses maken|adviseren", "zakelijke_dienstverlening", 2},
    {"25", "programmeren|SQL|netwerken|informatiebeveiliging|Scrum", "Informatica",
     "systemen ontwikkelen|applicaties beheren|gebruikers adviseren", "ict", 2},
    {"26", "schrijven|adviseren|juridische kennis|gesprekstechnieken|onderzoek", "Sociale studies",
     "cliënten adviseren|teksten schrijven|dossiers bijhouden", "overheid_onderwijs", 2},
    {"31", "technisch inzicht|meten|storingen zoeken|tekeningen lezen|VCA", "Techniek",
     "installaties controleren|metingen uitvoeren|storingen verhelpen", "bouw_techniek", 1},
    {"32", "medische kennis|patiëntcontact|hygiëne|rapporteren|assisteren", "Gezondheidszorg",
     "patiënten assisteren|metingen doen|rapporteren", "zorg_welzijn_schoonmaak", 1},
    {"33", "Excel|administratie|inkoop|verkoop|klantcontact", "Commerciële economie",
     "offertes maken|klanten bezoeken|orders verwerken", "zakelijke_dienstverlening", 1},
    {"34", "begeleiden|gesprekstechnieken|activiteiten organiseren|rapporteren|sport",
     "Sociaal werk", "cliënten begeleiden|activiteiten organiseren|rapporteren",
     "zorg_welzijn_schoonmaak", 1},
    {"35", "ICT-helpdesk|netwerkbeheer|Windows|hardware|klantvriendelijk", "ICT-beheer",
     "gebruikers ondersteunen|systemen beheren|storingen oplossen", "ict", 1},
    {"41", "Microsoft Office|administratie|data-invoer|archiveren|telefoon aannemen",
     "Secretarieel en administratie", "administratie bijhouden|gegevens invoeren|post verwerken",
     "zakelijke_dienstverlening", 1},
    {"42", "klantcontact|telefoneren|receptie|plannen|Microsoft Office", "Klantcontact",
     "bezoekers ontvangen|telefoon aannemen|afspraken plannen", "zakelijke_dienstverlening", 1},
    {"43", "boekhouden|Excel|facturen verwerken|voorraadadministratie|salarisadministratie",
     "Financiële administratie",
     "facturen boeken|de administratie bijhouden|betalingen controleren",
     "zakelijke_dienstverlening", 1},
    {"44", "archiveren|post verwerken|data-invoer|Microsoft Office", "Administratie",
     "dossiers archiveren|post sorteren|gegevens invoeren", "overheid_onderwijs", 0},
    {"51", "klantvriendelijk|gastvrijheid|hygiëne|plannen|HACCP", "Horeca en toerisme",
     "gasten ontvangen|diensten verlenen|de ruimte netjes houden", "horeca_leisure", 1},
    {"52", "verkoop|kassa|klantvriendelijk|productkennis|voorraad aanvullen", "Detailhandel",
     "klanten helpen|producten verkopen|de winkel bijhouden", "detailhandel", 1},
    {"53", "persoonlijke verzorging|empathie|rapporteren|hygiëne|begeleiden", "Zorg en welzijn",
     "cliënten verzorgen|begeleiden bij dagelijkse activiteiten|rapporteren",
     "zorg_welzijn_schoonmaak", 1},
    {"54", "beveiliging|BHV|toegangscontrole|surveilleren|rapporteren", "Beveiliging",
     "toezicht houden|surveilleren|incidenten afhandelen", "beveiliging", 1},
    {"61", "tuinonderhoud|oogsten|dieren verzorgen|trekker rijden|snoeien", "Groen en dier",
     "gewassen verzorgen|dieren voeren|machines bedienen", "land_tuinbouw", 0},
    {"62", "bosbeheer|kettingzaag|visserij|fysieke conditie", "Groen",
     "bomen snoeien|netten onderhouden", "land_tuinbouw", 0},
    {"63", "oogsten|dieren verzorgen|tuinieren|zelfstandig werken", "Groen",
     "gewassen verbouwen|dieren verzorgen", "land_tuinbouw", 0},
    {"71", "bouwtekeningen lezen|metselen|VCA|timmeren|schilderen", "Bouw en infra",
     "bouwwerkzaamheden uitvoeren|materialen klaarzetten|afwerken", "bouw_techniek", 1},
    {"72", "lassen|metaalbewerking|CNC|tekeningen lezen|VCA", "Metaal en werktuigbouw",
     "onderdelen bewerken|machines onderhouden|lassen volgens tekening", "bouw_techniek", 1},
    {"73", "drukwerk|fijnmechanisch werk|ambacht|nauwkeurigheid", "Grafische techniek",
     "producten maken volgens ontwerp|machines instellen", "bouw_techniek", 1},
    {"74", "elektrische installaties|NEN 3140|storingen zoeken|bekabeling|VCA", "Elektrotechniek",
     "installaties aanleggen|storingen verhelpen|onderhoud uitvoeren", "bouw_techniek", 1},
    {"75", "voedselveiligheid|HACCP|ambacht|bakken|naaien", "Voeding en ambacht",
     "producten bereiden|kwaliteit controleren|werken volgens recept", "detailhandel", 1},
    {"81", "machine bedienen|productiewerk|kwaliteitscontrole|werken in ploegen|VCA",
     "Procestechniek", "machines bedienen|het productieproces bewaken|monsters nemen",
     "bouw_techniek", 0},
    {"82", "assemblage|tekeningen lezen|gereedschap|kwaliteitscontrole", "Techniek",
     "onderdelen monteren|producten controleren", "bouw_techniek", 0},
    {"83", "rijbewijs C|rijbewijs B|code 95|heftruck|routeplanning", "Transport",
     "voertuigen besturen|lading controleren|ritten registreren", "transport_logistiek", 0},
    {"91", "schoonmaken|hygiëne|schoonmaakmachines|zelfstandig werken", "Schoonmaak",
     "ruimtes schoonmaken|afval afvoeren", "zorg_welzijn_schoonmaak", 0},
    {"92", "oogsten|sorteren|inpakken|fysieke conditie", "Groen",
     "gewassen oogsten|producten inpakken", "land_tuinbouw", 0},
    {"93", "productiewerk|inpakken|orderpicken|heftruck|VCA", "Logistiek",
     "goederen verplaatsen|producten inpakken|helpen op de bouwplaats", "transport_logistiek", 0},
    {"94", "afwassen|HACCP|groente snijden|schoonmaken keuken", "Horeca",
     "eenvoudige gerechten voorbereiden|de keuken schoonhouden", "horeca_leisure", 0},
    {"95", "verkoop|klantvriendelijk|zelfstandig werken", "Detailhandel",
     "producten verkopen op straat|diensten verlenen", "detailhandel", 0},
    {"96", "afvalinzameling|bezorgen|rijbewijs B|fysieke conditie|klantvriendelijk", "Logistiek",
     "afval inzamelen|post en pakketten bezorgen|klusjes uitvoeren", "transport_logistiek", 0},
};

constexpr OccupationProfile k_generic = {"",
                                         "samenwerken|zelfstandig werken|klantvriendelijk|plannen",
                                         "Algemeen",
                                         "dagelijkse werkzaamheden uitvoeren",
                                         "zakelijke_dienstverlening",
                                         1};

constexpr CommonOccupation k_common[] = {
    {"4321", 8}, {"9333", 6}, {"9334", 5}, {"5223", 8}, {"5230", 4}, {"5120", 4}, {"9412", 4},
    {"5131", 3}, {"9112", 7}, {"8332", 3}, {"8322", 4}, {"5321", 5}, {"5322", 4}, {"3221", 2},
    {"4110", 6}, {"4222", 3}, {"5414", 3}, {"7411", 2}, {"7115", 2}, {"7231", 2}, {"9329", 6},
    {"6113", 2}, {"9214", 2}, {"2512", 2}, {"3512", 2}, {"5311", 2},
};

constexpr std::string_view k_general[] = {
    "samenwerken",     "zelfstandig werken", "klantvriendelijk",       "flexibel",   "nauwkeurig",
    "stressbestendig", "communicatief",      "plannen en organiseren", "leergierig", "betrouwbaar",
};

}  // namespace

const OccupationProfile& profile_for(std::string_view isco) {
    for (const OccupationProfile& p : k_profiles) {
        if (p.prefix.size() == 4 && p.prefix == isco) {
            return p;
        }
    }
    for (const OccupationProfile& p : k_profiles) {
        if (p.prefix.size() == 2 && isco.substr(0, 2) == p.prefix) {
            return p;
        }
    }
    return k_generic;
}

std::span<const CommonOccupation> common_occupations() {
    return k_common;
}
std::span<const std::string_view> general_skills() {
    return k_general;
}

std::size_t split_bar(std::string_view list, std::span<std::string_view> out) {
    std::size_t n = 0;
    while (!list.empty() && n < out.size()) {
        const auto bar = list.find('|');
        out[n++] = list.substr(0, bar);
        if (bar == std::string_view::npos) {
            break;
        }
        list.remove_prefix(bar + 1);
    }
    return n;
}

}  // namespace spiegel::demo
