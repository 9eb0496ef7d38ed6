"""The shipped actor dictionary: coverage, dated roles, name queries, validation, extension."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pycountry
import pytest

from legation.actors.dictionary import ActorDictionary, DictionaryError


@pytest.fixture(scope="module")
def d() -> ActorDictionary:
    return ActorDictionary.load()


UN_MEMBERS = set("""
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA
DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND
HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER
NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP
SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO
TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split())  # noqa: SIM905 - a readable block of codes


# ---------------------------------------------------------------------------- coverage
def test_states_cover_un_members_observers_taiwan_kosovo(d: ActorDictionary) -> None:
    assert len(UN_MEMBERS) == 193
    states = {e.code: e for e in d.of_kind("state")}
    assert set(states) == UN_MEMBERS | {"VAT", "PSE", "TWN", "XKX"}
    assert {c for c, e in states.items() if e.status == "un_member"} == UN_MEMBERS
    assert {c for c, e in states.items() if e.status == "un_observer"} == {"VAT", "PSE"}
    for code in states:
        if code != "XKX":  # Kosovo has no ISO 3166-1 code; XKX is the user-assigned one
            assert pycountry.countries.get(alpha_3=code) is not None, code
    assert pycountry.countries.get(alpha_3="XKX") is None
    assert d.by_code("KOS") is states["XKX"]  # PLOVER's code for Kosovo


def test_at_least_40_organisations_with_contract_codes(d: ActorDictionary) -> None:
    whole = [e for e in d.entries.values() if e.kind in ("igo", "org") and e.parent is None]
    assert len(whole) >= 40
    for code in ("EU", "NATO", "UN", "G7", "G20", "ASEAN", "AU", "OSCE", "IAEA"):
        entry = d.by_code(code)
        assert entry is not None and entry.kind == "igo", code
    eu_bodies = {e.actor_id: e for e in d.entries.values() if e.code == "EU" and e.parent == "EU"}
    wanted = {"eu-commission", "eu-council", "eu-european-council", "eu-eeas", "eu-parliament"}
    assert wanted <= set(eu_bodies)
    assert eu_bodies["eu-parliament"].sector == "LEG"
    assert d.get("ICRC") is not None and d.get("ICRC").kind == "org"  # type: ignore[union-attr]


def test_sectors_follow_plover(d: ActorDictionary) -> None:
    plover = {"COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS",
              "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC"}
    assert {c for c, s in d.sectors.items() if s.origin == "plover"} == plover
    assert all(s.description for s in d.sectors.values())


def test_every_sector_used_is_known(d: ActorDictionary) -> None:
    for entry in d.entries.values():
        assert entry.sector is None or entry.sector in d.sectors
        for role in entry.roles:
            assert role.sector in d.sectors and role.code in d.codes()


# ---------------------------------------------------------------------------- dated roles
CASES = [
    ("mark-rutte", "2024-06-01", "NLD"),
    ("mark-rutte", "2024-11-01", "NATO"),
    ("mark-rutte", "2024-08-15", None),
    ("kaja-kallas", "2024-03-01", "EST"),
    ("kaja-kallas", "2025-01-10", "EU"),
    ("kaja-kallas", "2024-09-01", None),
    ("josep-borrell", "2024-11-04", "EU"),
    ("josep-borrell", "2024-12-05", None),
    ("jens-stoltenberg", "2023-01-29", "NATO"),
    ("jens-stoltenberg", "2024-12-01", None),
    ("jens-stoltenberg", "2025-03-01", "NOR"),
    ("antony-blinken", "2024-11-04", "USA"),
    ("antony-blinken", "2025-02-01", None),
    ("antony-blinken", "2021-01-22", None),
    ("marco-rubio", "2025-02-01", "USA"),
    ("yoon-suk-yeol", "2024-10-28", "KOR"),
    ("yoon-suk-yeol", "2025-05-01", None),
    ("yoon-suk-yeol", "2022-05-09", None),
    ("lee-jae-myung", "2025-06-10", "KOR"),
    ("kishida-fumio", "2023-01-31", "JPN"),
    ("kishida-fumio", "2024-10-02", None),
    ("ishiba-shigeru", "2024-11-16", "JPN"),
    ("nakatani-gen", "2024-11-02", "JPN"),
    ("iwaya-takeshi", "2024-09-30", None),
    ("park-jin", "2023-06-01", "KOR"),
    ("park-jin", "2024-02-01", None),
    ("lee-jong-sup", "2023-01-29", "KOR"),
    ("lee-jong-sup", "2023-12-01", None),
    ("kim-yong-hyun", "2024-11-04", "KOR"),
    ("kim-yong-hyun", "2025-01-15", None),
    ("cho-tae-yul", "2024-11-04", "KOR"),
    ("cho-tae-yul", "2023-12-01", None),
    ("choe-son-hui", "2024-11-04", "PRK"),
    ("ursula-von-der-leyen", "2024-10-28", "EU"),
    ("ursula-von-der-leyen", "2019-01-01", "DEU"),
    ("ban-ki-moon", "2024-11-16", None),
    ("volodymyr-zelensky", "2022-02-24", "UKR"),
    ("vladimir-putin", "2020-06-01", "RUS"),
    ("xi-jinping", "2023-01-01", "CHN"),
    ("kim-jong-un", "2024-06-19", "PRK"),
    ("dmytro-kuleba", "2024-12-01", None),
    ("antonio-costa", "2024-01-01", "PRT"),
    ("antonio-costa", "2025-01-01", "EU"),
    ("liz-truss", "2022-01-01", "GBR"),
    ("bashar-al-assad", "2024-12-20", None),
    ("ahmed-al-sharaa", "2025-03-01", "SYR"),
]


@pytest.mark.parametrize(("actor_id", "day", "code"), CASES)
def test_role_on(d: ActorDictionary, actor_id: str, day: str, code: str | None) -> None:
    role = d.role_on(actor_id, date.fromisoformat(day))
    assert (role.code if role else None) == code


def test_role_on_prefers_higher_office(d: ActorDictionary) -> None:
    role = d.role_on("yair-lapid", date(2022, 9, 1))  # PM and FM at once
    assert role is not None and role.office == "Prime Minister"
    role = d.role_on("liz-truss", date(2022, 9, 6))  # hand-over day: FS -> PM
    assert role is not None and role.office == "Prime Minister"
    role = d.role_on("mohammed-bin-salman", date(2023, 1, 1))
    assert role is not None and role.office == "Prime Minister"


def test_former_office_holder_falls_back_to_nationality(d: ActorDictionary) -> None:
    assert d.code_on("ban-ki-moon", date(2024, 11, 16)) == ("KOR", "ELI")
    assert d.code_on("ban-ki-moon", date(2010, 1, 1)) == ("UN", "GOV")
    assert d.code_on("antony-blinken", date(2025, 2, 1))[0] == "USA"
    assert d.code_on("nakatani-gen", date(2024, 11, 2)) == ("JPN", "MIL")


def test_approximate_month_dates(d: ActorDictionary) -> None:
    role = d.role_on("lee-jong-sup", date(2023, 10, 31))  # end "2023-10", approx: whole month
    assert role is not None and role.approx and role.end_text == "2023-10"


def test_roles_window_dates_an_undated_page(d: ActorDictionary) -> None:
    # Seed 001: Stoltenberg visits Foreign Minister Park Jin, Defence Minister Lee Jong-sup, PM Kishida.
    window = d.roles_window([("jens-stoltenberg", "NATO"), ("park-jin", "Foreign Minister"),
                             ("lee-jong-sup", "Defence Minister"), "kishida-fumio", "vladimir-putin"])
    assert window is not None
    start, end = window
    assert start == date(2022, 5, 12) and end is not None and end.year == 2023
    # Rutte was PM, then (after a gap) NATO chief: two pieces, and their hull.
    assert d.role_intervals(["mark-rutte", "antony-blinken"]) == [
        (date(2021, 1, 26), date(2024, 7, 2)), (date(2024, 10, 1), date(2025, 1, 20))]
    assert d.roles_window(["mark-rutte", "antony-blinken"]) == (date(2021, 1, 26), date(2025, 1, 20))
    assert d.roles_window([("mark-rutte", "NLD"), "antony-blinken"]) == (date(2021, 1, 26), date(2024, 7, 2))
    assert d.roles_window([("josep-borrell", "EU"), ("kaja-kallas", "EU")]) is None
    # A former holder whose only role predates the others does not make the window empty
    # unless their office is asked for.
    assert d.roles_window([("ban-ki-moon", "UN"), "vladimir-putin"]) == (date(2012, 5, 7), date(2016, 12, 31))
    assert d.roles_window(["vladimir-putin"]) == (date(2012, 5, 7), None)
    with pytest.raises(KeyError):
        d.roles_window(["no-such-person"])


# ---------------------------------------------------------------------------- gold
def test_seed_gold_people_resolve(d: ActorDictionary, shared_dir: Path) -> None:
    articles = {}
    for line in (shared_dir / "gold" / "seeds.articles.jsonl").read_text().splitlines():
        rec = json.loads(line)
        articles[rec["doc"]] = rec
    for line in (shared_dir / "gold" / "seeds.actors.jsonl").read_text().splitlines():
        gold = json.loads(line)
        hits = [e for e in d.lookup(gold["name"]) if e.kind == "person"]
        assert len(hits) == 1, gold
        art = articles[gold["doc"]]
        if art["published"]:
            days = [date.fromisoformat(art["published"])]
        else:  # undated page: the gold year; the code must hold on some day of it
            year = art["published_year"]
            days = [date(year, m, 1) for m in range(1, 13)]
        assert any(d.code_on(hits[0].actor_id, day)[0] == gold["code"] for day in days), gold


# ---------------------------------------------------------------------------- names
@pytest.mark.parametrize(("text", "expected"), [
    ("Cho Tae-yul", "cho-tae-yul"), ("Cho Tae yul", "cho-tae-yul"), ("cho tae-yeol", "cho-tae-yul"),
    ("Choe Son Hui", "choe-son-hui"), ("Choe Son-hui", "choe-son-hui"), ("Kim Jong-un", "kim-jong-un"),
    ("Kim Young Hyun", "kim-yong-hyun"), ("Ban Ki Moon", "ban-ki-moon"),
    ("Volodymyr Zelenskyy", "volodymyr-zelensky"),
    ("President Yoon", "yoon-suk-yeol"), ("NATO Secretary General Jens Stoltenberg", "jens-stoltenberg"),
    ("South Korean Foreign Minister Cho Tae-yul", "cho-tae-yul"),
    ("Recep Tayyip Erdogan", "recep-tayyip-erdogan"),
    ("Republic of Korea", "KOR"), ("ROK", "KOR"), ("DPRK", "PRK"), ("North Korea", "PRK"), ("U.S.", "USA"),
    ("USA", "USA"), ("America", "USA"), ("Britain", "GBR"), ("UK", "GBR"), ("Türkiye", "TUR"),
    ("Ivory Coast", "CIV"), ("European Commission", "eu-commission"), ("EEAS", "eu-eeas"),
    ("North Atlantic Treaty Organization", "NATO"), ("the Alliance", "NATO"),
    ("UN Security Council", "un-security-council"),
])
def test_lookup(d: ActorDictionary, text: str, expected: str) -> None:
    assert expected in [e.actor_id for e in d.lookup(text)]


def test_lookup_ambiguity_and_acronym_case(d: ActorDictionary) -> None:
    assert {e.actor_id for e in d.lookup("Congo")} == {"COD", "COG"}
    assert d.lookup("us") == [] and d.lookup("who") == [] and d.lookup("is") == []
    assert [e.actor_id for e in d.lookup("WHO")] == ["WHO"]
    assert d.lookup("Nobody In Particular") == []


def test_demonyms_and_metonyms(d: ActorDictionary) -> None:
    assert d.demonym("North Korean") == "PRK"
    assert d.demonym("South Korean") == "KOR"
    assert d.demonym("Korean") == "KOR"  # documented decision
    assert d.demonym("American") == "USA"
    assert d.demonym("British") == "GBR"
    assert d.demonym("Congolese") is None and d.demonym("Dominican") is None
    assert d.metonym("the Kremlin") == "RUS"
    assert d.metonym("Kremlin") == "RUS"
    assert d.metonym("the White House") == "USA"
    assert d.metonym("Downing Street") == "GBR"
    assert d.metonym("the Élysée") == "FRA" and d.metonym("Elysee") == "FRA"
    assert d.metonym("Zhongnanhai") == "CHN"
    assert d.metonym("Kyiv") == "UKR" and d.metonym("Kiev") == "UKR"
    assert d.metonym("Pyongyang") == "PRK" and d.metonym("Seoul") == "KOR"
    assert d.metonym("Brussels") == "EU"  # primary; BEL also listed
    assert {r.code for r in d.metonym_candidates("Brussels")} >= {"EU", "BEL"}
    assert d.metonym("Male") is None  # common English word
    pentagon = d.metonym_candidates("the Pentagon")
    assert [(r.code, r.sector) for r in pentagon] == [("USA", "MIL")]


def test_institutions(d: ActorDictionary) -> None:
    nis = d.institution("National Intelligence Service")
    assert nis is not None and (nis.code, nis.sector) == ("KOR", "SPY")
    mod = d.institution("Defense Ministry")
    assert mod is not None and mod.code is None and mod.context and mod.sector == "MIL"
    office = d.institution("presidential office")
    assert office is not None and office.sector == "GOV"


# ---------------------------------------------------------------------------- export
def test_export_records(d: ActorDictionary) -> None:
    records = d.to_export_records()
    assert {r["kind"] for r in records} == {"state", "igo", "person", "org", "group"}
    keys = {"actor_id", "name", "kind", "code", "sector", "aliases", "roles"}
    assert all(set(r) == keys for r in records)
    by_id = {r["actor_id"]: r for r in records}
    assert len(by_id) == len(records)
    rutte = by_id["mark-rutte"]
    assert rutte["code"] == "NATO"
    first = {"office": "Prime Minister", "code": "NLD", "start": "2010-10-14", "end": "2024-07-02"}
    assert rutte["roles"][0] == first
    assert by_id["KOR"]["code"] == "KOR" and by_id["KOR"]["roles"] == []
    json.dumps(records)


# ---------------------------------------------------------------------------- validation
def _write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _person(*roles: str) -> str:
    return "people:\n- {id: x-y, name: X Y, nationality: KOR, roles: [" + ", ".join(roles) + "]}\n"


def _two_roles(first: str, second: str) -> str:
    return f"people:\n- id: x-y\n  name: X Y\n  roles:\n  - {first}\n  - {second}\n"


@pytest.mark.parametrize(("body", "message"), [
    (_person("{office: FM, code: KOR, start: 2024-13-01, end: null}"), "bad date"),
    (_person("{office: FM, code: KOR, start: 2024-05-01, end: 2024-01-01}"), "before start"),
    (_person("{office: FM, code: KOR, start: '2024-05', end: null}"), "approx"),
    (_person("{office: FM, code: KOR, sector: XXX, start: null, end: null}"), "unknown sector"),
    (_person("{office: FM, code: KOR, start: null}"), "give both"),
    ("people:\n- {id: x-y, name: X Y, nationality: KOR, rolez: []}\n", "unknown key"),
    ("states:\n- {name: Nowhere}\n", "missing 'code'"),
    ("people:\n- {id: x-y, name: X Y, nationality: KOR}\n- {id: x-y, name: X Y, nationality: KOR}\n",
     "duplicate id"),
    (_person("{office: FM, code: ZZZ, start: null, end: null}"), "unknown code"),
    (_two_roles("{office: PM, code: NLD, start: 2020-01-01, end: 2024-01-01}",
                "{office: SG, code: NATO, start: 2023-01-01, end: null}"), "overlap"),
    (_two_roles("{office: FM, code: KOR, start: 2020-01-01, end: 2024-01-01}",
                "{office: FM, code: KOR, start: 2023-01-01, end: null}"), "overlaps itself"),
    ("peoples: []\n", "unknown section"),
    ("people: [unclosed\n", "not valid YAML"),
])
def test_validation_errors_name_file_and_entry(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(DictionaryError) as info:
        ActorDictionary.load([path])
    text = str(info.value)
    assert str(path) in text and message in text
    if "section" not in message and "YAML" not in message and "unknown code" not in message:
        assert "[0]" in text or "[1]" in text


def test_concurrent_flag_allows_overlap(tmp_path: Path) -> None:
    path = _write(tmp_path, "people:\n- id: x-y\n  name: X Y\n  roles:\n"
                  "  - {office: PM, code: NLD, start: 2020-01-01, end: 2024-01-01}\n"
                  "  - {office: Chair, code: G7, start: 2023-01-01, end: null, concurrent: true}\n")
    assert ActorDictionary.load([path]).get("x-y") is not None


# ---------------------------------------------------------------------------- extension
def test_user_file_adds_a_minister_and_overrides(tmp_path: Path) -> None:
    path = _write(tmp_path, """
people:
- id: jane-example
  name: Jane Example
  aliases: [J. Example]
  nationality: KOR
  roles:
  - {office: Foreign Minister, code: KOR, start: 2026-01-02, end: null}
- id: cho-tae-yul
  merge: true
  name: Cho Tae-yul
  aliases: [Cho Tae Yool]
states:
- {code: KOR, name: South Korea, aliases: [Republic of Korea, ROK], demonyms: [South Korean]}
""", "mine.yaml")
    d = ActorDictionary.load([path])
    assert [e.actor_id for e in d.lookup("Jane Example")] == ["jane-example"]
    role = d.role_on("jane-example", date(2026, 3, 1))
    assert role is not None and role.code == "KOR"
    assert [e.actor_id for e in d.lookup("Cho Tae Yool")] == ["cho-tae-yul"]
    assert d.role_on("cho-tae-yul", date(2024, 11, 4)) is not None  # merged: roles kept
    assert d.lookup("Korea") == []  # replaced: the user's KOR has no bare "Korea" alias
    assert ActorDictionary.load().lookup("Korea")  # the cached shipped dictionary is untouched


def test_load_is_fast_and_cached() -> None:
    t0 = time.perf_counter()
    first = ActorDictionary.load()
    assert ActorDictionary.load() is first
    assert time.perf_counter() - t0 < 0.5


def _names_holding_another_state(d: ActorDictionary) -> list[tuple[str, str]]:
    """(name, code) of every state name or alias that holds another state's name as whole words
    ("Northern Ireland" holds "Ireland", "Democratic Republic of Congo" holds "Congo")."""
    import re

    states = d.of_kind("state")
    names = {e.code: {e.name, *e.aliases} for e in states}
    out = []
    for code, own in names.items():
        others = {n for c, ns in names.items() if c != code for n in ns if len(n) > 3}
        for n in sorted(own):
            if any(re.search(rf"(?<!\w){re.escape(o)}(?!\w)", n) and o != n for o in others):
                out.append((n, code))
    return out


def test_a_state_named_with_another_states_name_is_itself(d: ActorDictionary, pipeline: object) -> None:
    from actor_helpers import resolve_text

    cases = _names_holding_another_state(d)
    assert len(cases) >= 5 and ("Northern Ireland", "GBR") in cases
    wrong = []
    for name, code in cases:
        text = f"Officials from {name} met their counterparts on Monday."
        got = [m.code for m in resolve_text(pipeline, text, published="2025-01-02") if m.kind == "state"]
        if got != [code]:
            wrong.append((name, code, got))
    assert not wrong
