"""The English test that keeps non-English pages out of the English-only stages."""

from __future__ import annotations

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
