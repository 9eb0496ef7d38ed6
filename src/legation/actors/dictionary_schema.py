"""Parse and validate actor-dictionary YAML documents into model records.

Every check raises :class:`DictionaryError` naming the file, the section, the entry's position
and its id, so that a user who mistypes a date in ``--actors my.yaml`` is told exactly where.
Validation is strict (unknown keys are errors) because a silently ignored ``ned:`` instead of
``end:`` would make a minister hold office forever.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from legation.actors.dictionary_model import (
    KINDS,
    ActorEntry,
    DictionaryError,
    Institution,
    NameRecord,
    Role,
    Sector,
    office_rank,
    parse_day,
)

SECTIONS = ("sectors", "states", "organisations", "people", "institutions", "agents")

_STATE_KEYS = {
    "code",
    "name",
    "aliases",
    "demonyms",
    "capitals",
    "metonyms",
    "status",
    "code_aliases",
    "note",
    "merge",
}
_ORG_KEYS = {
    "id",
    "code",
    "name",
    "kind",
    "aliases",
    "sector",
    "parent",
    "institution",
    "metonyms",
    "code_aliases",
    "note",
    "merge",
}
_PERSON_KEYS = {"id", "name", "aliases", "nationality", "sector", "roles", "note", "merge"}
_ROLE_KEYS = {"office", "code", "sector", "start", "end", "approx", "acting", "concurrent", "rank", "note"}
_INST_KEYS = {"id", "name", "aliases", "code", "context", "sector", "note"}
_SECTOR_KEYS = {"code", "description", "origin", "aliases"}
_NAME_KEYS = {"text", "name", "sector", "primary", "ambiguous", "note"}
_AGENT_KEYS = {"sector", "words", "note"}

STATE_CODE = re.compile(r"[A-Z]{3}")
ORG_CODE = re.compile(r"[A-Z][A-Z0-9]{1,11}")
PERSON_ID = re.compile(r"[a-z0-9][a-z0-9.-]*")


class Ctx:
    """Where an entry came from, for error messages: ``file: section[i] (id)``."""

    def __init__(self, source: str, section: str, index: int, ident: object = None) -> None:
        self.source, self.section, self.index, self.ident = source, section, index, ident

    def error(self, message: str) -> DictionaryError:
        """An error naming the file and the entry."""
        who = f" (id {self.ident!r})" if self.ident is not None else ""
        return DictionaryError(f"{self.source}: {self.section}[{self.index}]{who}: {message}")


def _keys(ctx: Ctx, raw: Mapping[str, Any], allowed: set[str], required: tuple[str, ...]) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ctx.error(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
    for key in required:
        if raw.get(key) in (None, ""):
            raise ctx.error(f"missing {key!r}")


def _str(ctx: Ctx, raw: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise ctx.error(f"missing {key!r}")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(f"{key!r} must be a non-empty string, not {value!r}")
    return value.strip()


def _bool(ctx: Ctx, raw: Mapping[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ctx.error(f"{key!r} must be true or false, not {value!r}")
    return value


def _strs(ctx: Ctx, raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ctx.error(f"{key!r} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _sector(ctx: Ctx, value: object, sectors: Mapping[str, str], *, default: str | None) -> str | None:
    if value is None:
        return default
    if not isinstance(value, str) or value.upper() not in sectors:
        raise ctx.error(f"unknown sector {value!r} (see sectors.yaml)")
    return sectors[value.upper()]


def parse_sector(ctx: Ctx, raw: object) -> Sector:
    """A ``sectors:`` entry."""
    if not isinstance(raw, dict):
        raise ctx.error("entry must be a mapping")
    ctx.ident = raw.get("code")
    _keys(ctx, raw, _SECTOR_KEYS, ("code", "description"))
    code = _str(ctx, raw, "code", required=True) or ""
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ctx.error(f"sector code {code!r} must be three capital letters")
    origin = _str(ctx, raw, "origin") or "legation"
    if origin not in ("plover", "legation"):
        raise ctx.error(f"origin must be plover or legation, not {origin!r}")
    description = _str(ctx, raw, "description", required=True) or ""
    return Sector(code, description, origin, _strs(ctx, raw, "aliases"))


def _names(
    ctx: Ctx,
    raw: Mapping[str, Any],
    key: str,
    code: str,
    actor_id: str,
    sectors: Mapping[str, str],
    default_sector: str | None,
) -> tuple[NameRecord, ...]:
    out: list[NameRecord] = []
    items = raw.get(key) or []
    if not isinstance(items, list):
        raise ctx.error(f"{key!r} must be a list")
    for item in items:
        if isinstance(item, str) and item.strip():
            out.append(NameRecord(item.strip(), code, actor_id, default_sector))
        elif isinstance(item, dict):
            unknown = sorted(set(item) - _NAME_KEYS)
            if unknown:
                raise ctx.error(f"{key}: unknown key(s) {', '.join(unknown)} in {item!r}")
            text = item.get("text") or item.get("name")
            if not isinstance(text, str) or not text.strip():
                raise ctx.error(f"{key}: item {item!r} needs a 'text'")
            sector = _sector(ctx, item.get("sector"), sectors, default=default_sector)
            note = item.get("note")
            out.append(
                NameRecord(
                    text.strip(),
                    code,
                    actor_id,
                    sector,
                    _bool(ctx, item, "primary"),
                    _bool(ctx, item, "ambiguous"),
                    note if isinstance(note, str) else None,
                )
            )
        else:
            raise ctx.error(f"{key}: item {item!r} must be a string or a mapping")
    return tuple(out)


def parse_state(ctx: Ctx, raw: object, sectors: Mapping[str, str]) -> ActorEntry:
    """A ``states:`` entry; its actor id is its code."""
    if not isinstance(raw, dict):
        raise ctx.error("entry must be a mapping")
    ctx.ident = raw.get("code")
    _keys(ctx, raw, _STATE_KEYS, ("code", "name"))
    code = _str(ctx, raw, "code", required=True) or ""
    if not STATE_CODE.fullmatch(code):
        raise ctx.error(f"state code {code!r} must be three capital letters (ISO 3166-1 alpha-3)")
    status = _str(ctx, raw, "status")
    if status not in (None, "un_member", "un_observer", "other"):
        raise ctx.error(f"status must be un_member, un_observer or other, not {status!r}")
    names = _names(ctx, raw, "capitals", code, code, sectors, "GOV") + _names(
        ctx, raw, "metonyms", code, code, sectors, "GOV"
    )
    return ActorEntry(
        actor_id=code,
        name=_str(ctx, raw, "name", required=True) or "",
        kind="state",
        code=code,
        aliases=_strs(ctx, raw, "aliases"),
        status=status,
        code_aliases=_strs(ctx, raw, "code_aliases"),
        note=_str(ctx, raw, "note"),
        source=ctx.source,
        names=names,
        demonyms=_names(ctx, raw, "demonyms", code, code, sectors, None),
    )


def parse_org(ctx: Ctx, raw: object, sectors: Mapping[str, str]) -> ActorEntry:
    """An ``organisations:`` entry; its id defaults to its code."""
    if not isinstance(raw, dict):
        raise ctx.error("entry must be a mapping")
    ctx.ident = raw.get("id") or raw.get("code")
    _keys(ctx, raw, _ORG_KEYS, ("code", "name", "kind"))
    code = _str(ctx, raw, "code", required=True) or ""
    if not ORG_CODE.fullmatch(code):
        raise ctx.error(f"code {code!r} must be 2-12 capitals/digits starting with a letter")
    kind = _str(ctx, raw, "kind", required=True)
    if kind not in ("igo", "org", "group"):
        raise ctx.error(f"kind must be igo, org or group, not {kind!r}")
    actor_id = _str(ctx, raw, "id") or code
    sector = _sector(ctx, raw.get("sector"), sectors, default=None)
    return ActorEntry(
        actor_id=actor_id,
        name=_str(ctx, raw, "name", required=True) or "",
        kind=kind,
        code=code,
        sector=sector,
        aliases=_strs(ctx, raw, "aliases"),
        parent=_str(ctx, raw, "parent"),
        institution=_str(ctx, raw, "institution"),
        code_aliases=_strs(ctx, raw, "code_aliases"),
        note=_str(ctx, raw, "note"),
        source=ctx.source,
        names=_names(ctx, raw, "metonyms", code, actor_id, sectors, sector or "GOV"),
    )


def parse_role(ctx: Ctx, raw: object, sectors: Mapping[str, str]) -> Role:
    """One ``roles:`` item of a person."""
    if not isinstance(raw, dict):
        raise ctx.error(f"role {raw!r} must be a mapping")
    unknown = sorted(set(raw) - _ROLE_KEYS)
    if unknown:
        raise ctx.error(f"role {raw.get('office')!r}: unknown key(s) {', '.join(unknown)}")
    office, code = raw.get("office"), raw.get("code")
    if not isinstance(office, str) or not office.strip():
        raise ctx.error(f"role {raw!r}: missing 'office'")
    if not isinstance(code, str) or not ORG_CODE.fullmatch(code):
        raise ctx.error(f"role {office!r}: missing or malformed 'code' {code!r}")
    if "start" not in raw or "end" not in raw:
        raise ctx.error(f"role {office!r}: give both 'start' and 'end' (null when open or unknown)")
    approx = _bool(ctx, raw, "approx")
    try:
        start, start_text, start_month = parse_day(raw.get("start"), end=False)
        end, end_text, end_month = parse_day(raw.get("end"), end=True)
    except ValueError as exc:
        raise ctx.error(f"role {office!r}: {exc}") from None
    if (start_month or end_month) and not approx:
        raise ctx.error(f"role {office!r}: a YYYY-MM date needs approx: true")
    if start and end and end < start:
        raise ctx.error(f"role {office!r}: end {end_text} is before start {start_text}")
    rank = raw.get("rank", office_rank(office))
    if not isinstance(rank, int) or isinstance(rank, bool):
        raise ctx.error(f"role {office!r}: rank must be an integer")
    note = raw.get("note")
    return Role(
        office=office.strip(),
        code=code,
        sector=_sector(ctx, raw.get("sector"), sectors, default="GOV") or "GOV",
        start=start,
        end=end,
        start_text=start_text,
        end_text=end_text,
        approx=approx,
        acting=_bool(ctx, raw, "acting"),
        concurrent=_bool(ctx, raw, "concurrent"),
        rank=rank,
        note=note if isinstance(note, str) else None,
    )


def _overlap(a: Role, b: Role) -> int:
    """Days two roles share (0 when disjoint); unbounded ends count as far past/future."""
    lo = max(a.start or date.min, b.start or date.min)
    hi = min(a.end or date.max, b.end or date.max)
    return 0 if hi < lo else min((hi - lo).days + 1, 10**6)


def check_roles(ctx: Ctx, roles: tuple[Role, ...]) -> None:
    """Reject role sets that cannot be true of one person.

    The same office for the same actor twice at once is a duplicate. Offices for two different
    codes at once (a Dutch PM who is already NATO's chief) are impossible unless a role says
    ``concurrent: true``; a shared hand-over day, or a month when either date is approximate,
    is tolerated.
    """
    for i, a in enumerate(roles):
        for b in roles[i + 1 :]:
            days = _overlap(a, b)
            if not days:
                continue
            if a.office == b.office and a.code == b.code:
                raise ctx.error(
                    f"role {a.office!r} ({a.code}) overlaps itself: "
                    f"{a.start_text}..{a.end_text} and {b.start_text}..{b.end_text}"
                )
            slack = 31 if (a.approx or b.approx) else 1
            if a.code != b.code and days > slack and not (a.concurrent or b.concurrent):
                raise ctx.error(
                    f"roles {a.office!r} ({a.code}) and {b.office!r} ({b.code}) overlap for "
                    f"{days} days; mark one concurrent: true if that is really so"
                )


def parse_person(ctx: Ctx, raw: object, sectors: Mapping[str, str]) -> ActorEntry:
    """A ``people:`` entry."""
    if not isinstance(raw, dict):
        raise ctx.error("entry must be a mapping")
    ctx.ident = raw.get("id")
    _keys(ctx, raw, _PERSON_KEYS, ("id", "name"))
    actor_id = _str(ctx, raw, "id", required=True) or ""
    if not PERSON_ID.fullmatch(actor_id):
        raise ctx.error("person id must be a lower-case slug (letters, digits, '-', '.')")
    nationality = _str(ctx, raw, "nationality")
    if nationality is not None and not STATE_CODE.fullmatch(nationality):
        raise ctx.error(f"nationality {nationality!r} must be a state code")
    items = raw.get("roles")
    if items is None:
        items = []
    if not isinstance(items, list):
        raise ctx.error("'roles' must be a list")
    if not items and nationality is None and not raw.get("merge"):
        raise ctx.error("a person needs roles or a nationality, or they can never resolve to a code")
    roles = tuple(sorted((parse_role(ctx, r, sectors) for r in items), key=lambda r: r.start or date.min))
    check_roles(ctx, roles)
    return ActorEntry(
        actor_id=actor_id,
        name=_str(ctx, raw, "name", required=True) or "",
        kind="person",
        code=nationality,
        sector=_sector(ctx, raw.get("sector"), sectors, default=None),
        aliases=_strs(ctx, raw, "aliases"),
        roles=roles,
        note=_str(ctx, raw, "note"),
        source=ctx.source,
    )


def parse_institution(ctx: Ctx, raw: object, sectors: Mapping[str, str]) -> Institution:
    """An ``institutions:`` entry."""
    if not isinstance(raw, dict):
        raise ctx.error("entry must be a mapping")
    ctx.ident = raw.get("id")
    _keys(ctx, raw, _INST_KEYS, ("id", "name", "sector"))
    code = _str(ctx, raw, "code")
    context = _bool(ctx, raw, "context") if "context" in raw else code is None
    if code is None and not context:
        raise ctx.error("an institution without a code must have context: true")
    if code is not None and not ORG_CODE.fullmatch(code):
        raise ctx.error(f"malformed code {code!r}")
    return Institution(
        inst_id=_str(ctx, raw, "id", required=True) or "",
        name=_str(ctx, raw, "name", required=True) or "",
        aliases=_strs(ctx, raw, "aliases"),
        code=code,
        sector=_sector(ctx, raw.get("sector"), sectors, default=None) or "GOV",
        context=context,
        note=_str(ctx, raw, "note"),
    )


def merge_entries(old: ActorEntry, new: ActorEntry) -> ActorEntry:
    """``merge: true`` in a user file: keep the old entry and append the new names and roles."""

    aliases = old.aliases + tuple(a for a in new.aliases if a not in old.aliases)
    roles = tuple(sorted(old.roles + new.roles, key=lambda r: r.start or date.min))
    return replace(
        old,
        aliases=aliases,
        roles=roles,
        names=old.names + new.names,
        demonyms=old.demonyms + new.demonyms,
        sector=new.sector or old.sector,
        code=new.code or old.code,
        note=new.note or old.note,
    )


def check_references(entries: Mapping[str, ActorEntry], codes: set[str]) -> None:
    """Cross-entry checks: role codes, nationalities and parents must exist."""
    for entry in entries.values():
        where = f"{entry.source}: {entry.actor_id!r}"
        if entry.kind == "person" and entry.code and entry.code not in codes:
            raise DictionaryError(f"{where}: unknown nationality {entry.code!r}")
        for role in entry.roles:
            if role.code not in codes:
                raise DictionaryError(f"{where}: role {role.office!r} has unknown code {role.code!r}")
        if entry.parent and entry.parent not in entries:
            raise DictionaryError(f"{where}: unknown parent {entry.parent!r}")
        if entry.kind not in KINDS:  # pragma: no cover - guarded by the parsers
            raise DictionaryError(f"{where}: bad kind {entry.kind!r}")


def parse_agents(ctx: Ctx, raw: object, sectors: Mapping[str, str]) -> tuple[str, list[str]]:
    """One ``agents`` group: its sector and its lower-case words (generic agent nouns)."""
    if not isinstance(raw, dict):
        raise ctx.error("an agents group must be a mapping {sector, words, note}")
    _keys(ctx, raw, _AGENT_KEYS, ("sector", "words"))
    sector = _sector(ctx, raw.get("sector"), sectors, default=None)
    words = raw.get("words")
    if sector is None or not isinstance(words, list) or not words:
        raise ctx.error("an agents group needs a sector and a non-empty list of words")
    out = []
    for w in words:
        if not isinstance(w, str) or not w.strip() or w != w.lower():
            raise ctx.error(f"agent word {w!r} must be a non-empty lower-case string")
        out.append(" ".join(w.split()))
    return sector, out
