"""The English test that keeps non-English pages out of the English-only stages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from legation.clean.language import MIN_WORDS, detect_language, english_share

EN = (
    "The foreign ministers of Japan and the Philippines met in Manila on Monday and agreed to "
    "expand joint coast guard patrols, according to a statement released after the talks."
)
OTHERS = {
    "fr": "Le président français a rencontré jeudi son homologue allemand à Berlin pour discuter "
    "de la défense européenne et du soutien à l'Ukraine, selon un communiqué de l'Élysée.",
    "de": "Die Bundesregierung hat am Donnerstag weitere Militärhilfe für die Ukraine angekündigt, "
    "wie ein Sprecher des Verteidigungsministeriums in Berlin mitteilte; die Lieferung soll im Herbst "
    "beginnen.",
    "es": "El ministro de Asuntos Exteriores de España viajó el martes a Tokio para reunirse con "
    "su homólogo japonés y firmar un acuerdo de cooperación en materia de seguridad.",
    "ru": "Министр иностранных дел России заявил в четверг, что Москва готова к переговорам с "
    "Вашингтоном о стратегической стабильности, если будут учтены её интересы безопасности.",
}


def test_english_prose_is_english() -> None:
    assert detect_language(EN) == "en"
    assert english_share(EN)[0] > 0.3


@pytest.mark.parametrize("lang", sorted(OTHERS))
def test_other_languages_are_flagged(lang: str) -> None:
    assert detect_language(OTHERS[lang]) == "und"


def test_short_text_is_not_judged() -> None:
    short = "Bundesregierung kündigt Hilfe an"
    assert english_share(short)[1] < MIN_WORDS
    assert detect_language(short) == "en"


def test_english_quote_in_foreign_page_does_not_flip_it() -> None:
    mixed = OTHERS["de"] + " " + OTHERS["fr"] + ' "We stand with Ukraine," he said.'
    assert detect_language(mixed) == "und"


# ---------------------------------------------------------------- wired into the pipeline

EN_ARTICLE = """Japan and Philippines agree to expand coast guard patrols

MANILA, 3 June 2024 - The foreign ministers of Japan and the Philippines met in Manila on Monday
and agreed to expand joint coast guard patrols in the South China Sea, according to a statement
released after the talks.

Japanese Foreign Minister Yoko Kamikawa said Tokyo would provide five more patrol vessels to the
Philippine coast guard. China condemned the agreement and accused both governments of raising
tensions in the region.
"""

DE_ARTICLE = """Bundesregierung kündigt weitere Militärhilfe für die Ukraine an

BERLIN, 6. Juni 2024 - Die Bundesregierung hat am Donnerstag weitere Militärhilfe für die Ukraine
im Umfang von 500 Millionen Euro angekündigt. Bundeskanzler Olaf Scholz sagte nach einem Treffen
mit dem ukrainischen Präsidenten Wolodymyr Selenskyj in Berlin, Deutschland werde die Ukraine so
lange unterstützen wie nötig. Das Paket umfasst Munition, Luftabwehrsysteme und gepanzerte
Fahrzeuge. Russland verurteilte die Entscheidung scharf und warf der Regierung in Berlin vor, den
Krieg zu verlängern. Die Lieferungen sollen nach Angaben des Verteidigungsministeriums noch vor dem
Herbst beginnen, wie ein Sprecher am Abend mitteilte.
"""


def test_example_articles_are_judged_as_intended() -> None:
    assert detect_language(EN_ARTICLE) == "en"
    assert detect_language(DE_ARTICLE) == "und"
    assert english_share(DE_ARTICLE)[1] >= 80


def test_english_only_stages_read_the_language() -> None:
    from legation.pipeline import CleanStage, EnglishOnly, Pipeline, check_contracts

    p = Pipeline()  # resources load lazily: no model needed to build it
    stages = {s.name: s for s in p.stages}
    assert "language" in stages["clean"].writes
    for name in ("actors", "events"):
        assert isinstance(stages[name], EnglishOnly)
        assert "language" in stages[name].reads
    assert not isinstance(stages["fingerprint"], EnglishOnly)  # duplicates are found in any language
    # The order is checked: an English-only stage before the language is known is refused.
    with pytest.raises(ValueError, match="language"):
        check_contracts([EnglishOnly(_Recorder()), CleanStage(p)])


class _Recorder:
    name = "recorder"
    reads: tuple[str, ...] = ("text",)
    writes: tuple[str, ...] = ("mentions",)
    marker = "seen through the wrapper"

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, article: object, raw: object, ctx: object) -> None:
        self.calls += 1


@pytest.mark.parametrize(("language", "runs"), [("en", True), (None, True), ("und", False)])
def test_english_only_skips_other_languages(language: str | None, runs: bool) -> None:
    from legation.models import Article
    from legation.pipeline import Context, EnglishOnly

    inner = _Recorder()
    stage = EnglishOnly(inner)
    assert (stage.name, stage.writes, stage.marker) == ("recorder", ("mentions",), inner.marker)
    art = Article(id="a", source="a", input_key="a", text="x", language=language)
    stage(art, None, Context())  # type: ignore[arg-type]
    assert inner.calls == (1 if runs else 0)


def test_foreign_article_is_stored_flagged_and_not_coded(tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    import duckdb

    from legation.ingest.runner import ingest
    from legation.store.db import Store
    from legation.store.export import iter_records

    src = tmp_path / "in"
    src.mkdir()
    (src / "en.txt").write_text(EN_ARTICLE, encoding="utf-8")
    (src / "de.txt").write_text(DE_ARTICLE, encoding="utf-8")
    db = tmp_path / "db.duckdb"
    r = ingest([src], db=db, pipeline=pipeline)
    assert (r.added, r.exit_code) == (2, 0)

    with Store(db, read_only=True) as store:
        arts = {Path(a["source"]).name: a for a in iter_records(store, "articles")}
        events = list(iter_records(store, "events"))
        mentions = list(iter_records(store, "mentions"))
    assert set(arts) == {"en.txt", "de.txt"}
    en, de = arts["en.txt"], arts["de.txt"]
    assert en["language"] == "en" and de["language"] == "und"
    assert "Bundesregierung" in de["text"]  # stored whole, nothing lost
    by_article = {
        a["id"]: (
            [e for e in events if e["article_id"] == a["id"]],
            [m for m in mentions if m["article_id"] == a["id"]],
        )
        for a in arts.values()
    }
    assert by_article[de["id"]] == ([], [])
    en_events, en_mentions = by_article[en["id"]]
    assert en_events and en_mentions
    con = duckdb.connect(str(db), read_only=True)
    warnings = con.execute("SELECT warnings FROM articles WHERE id = ?", [de["id"]]).fetchone()
    con.close()
    assert warnings is not None and any("not English" in w for w in warnings[0])


class _Misnamed:
    name = "misnamed"
    reads: tuple[str, ...] = ("text",)
    writes: tuple[str, ...] = ("minhash",)  # no such Article field

    def __call__(self, article: Any, raw: Any, ctx: Any) -> None:  # pragma: no cover - never run
        raise AssertionError


def test_stage_contracts_name_real_fields() -> None:
    from legation.pipeline import CleanStage, Pipeline
    from legation.stages import check_contracts, contract_fields

    p = Pipeline()
    for stage in p.stages:  # the shipped stages pass
        assert set(stage.reads) | set(stage.writes) <= contract_fields(), stage.name
    with pytest.raises(ValueError, match="minhash"):
        check_contracts([CleanStage(p), _Misnamed()])
