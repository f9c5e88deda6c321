"""smscx_client.text: the API's numbers for every text example of the spec and its documented part
sizes, the sandbox's answers, and property tests against an independent GSM 03.38 codec."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, List

import gsm0338  # noqa: F401 - registers the 'gsm03.38' codec: the independent table
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smscx_client.api.sms_api import SmsApi
from smscx_client.text import (
    ALPHABETS,
    GSM7,
    GSM_BASIC,
    GSM_EXTENDED,
    UCS2,
    TextAnalysis,
    analyze,
    transliterate,
)

ROOT = Path(__file__).resolve().parents[2]
TO = "+33612345678"


def _text_examples() -> List[str]:
    """Every `example` of a `text` property (and of the SMS step of a strategy) in the spec."""
    spec = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    found: List[str] = []

    def walk(node: Any) -> Iterator[None]:
        if isinstance(node, dict):
            text = node.get("properties", {}).get("text") if isinstance(node.get("properties"), dict) else None
            if isinstance(text, dict) and isinstance(text.get("example"), str):
                found.append(text["example"])
            if isinstance(node.get("text"), str) and node.get("channel") == "sms":
                found.append(node["text"])
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    for _ in walk(spec):
        pass
    return sorted(set(found))


TEXT_EXAMPLES = _text_examples()


def _wire(a: TextAnalysis) -> dict:
    return {"length": a.length, "unicode": a.unicode, "parts": a.parts}


def test_the_spec_has_text_examples() -> None:
    assert len(TEXT_EXAMPLES) >= 5  # the SMS sends, the replies, the templates, the strategies


@pytest.mark.parametrize("text", TEXT_EXAMPLES)
def test_every_text_example_of_the_spec_counts_as_the_api_counts_it(smscx_sandbox: Any, text: str) -> None:
    sent = SmsApi(smscx_sandbox.api_client()).send_sms({"to": [TO], "from": "MyBrand", "text": text})
    item = sent.data[0]
    # a placeholder ({{firstName}}) is filled before counting: the API counts the text it sends
    assert item.text_analysis.to_wire() == _wire(analyze(item.text))
    assert item.parts == analyze(item.text).parts
    if "{{" not in text:
        assert item.text == text and sent.info.total_parts == analyze(text).parts


@pytest.mark.parametrize(
    "text, encoding, length, parts, remaining",
    [
        ("", GSM7, 0, 1, 160),
        ("a" * 160, GSM7, 160, 1, 0),  # "up to 160 GSM-7 characters per part"
        ("a" * 161, GSM7, 161, 2, 145),  # then parts of 153
        ("a" * 1530, GSM7, 1530, 10, 0),  # "at most 10 parts (1530 characters)"
        ("€" * 80, GSM7, 160, 1, 0),  # an extension character counts two
        ("€" * 81, GSM7, 162, 2, 144),
        ("ą" * 70, UCS2, 70, 1, 0),  # "70 if any Unicode character appears"
        ("ą" * 71, UCS2, 71, 2, 63),  # then parts of 67
        ("ą" * 670, UCS2, 670, 10, 0),
        ("😀" * 35, UCS2, 70, 1, 0),  # outside the BMP: two UTF-16 units
        ("a" * 159 + "’", UCS2, 160, 3, 41),  # one curly quote: three UCS-2 parts
    ],
)
def test_documented_part_sizes(smscx_sandbox: Any, text: str, encoding: str, length: int, parts: int, remaining: int) -> None:
    a = analyze(text)
    assert (a.encoding, a.length, a.parts, a.remaining) == (encoding, length, parts, remaining)
    assert a.per_part == {(GSM7, True): 160, (GSM7, False): 153, (UCS2, True): 70, (UCS2, False): 67}[encoding, parts == 1]
    if text:  # the API refuses an empty text
        sent = SmsApi(smscx_sandbox.api_client()).send_sms({"to": [TO], "from": "MyBrand", "text": text})
        assert sent.data[0].text_analysis.to_wire() == _wire(a)


def test_the_characters_that_force_ucs2_and_where_they_are() -> None:
    a = analyze("Café “ok” 😀 {x}")
    assert a.encoding == UCS2 and a.unicode
    assert [(u.position, u.character) for u in a.unicode_characters] == [(5, "“"), (8, "”"), (10, "😀")]
    assert analyze("Café {x} €").unicode_characters == ()  # é, {, }, € are GSM-7


def test_transliteration_modes() -> None:
    a = analyze("Zażółć gęślą jaźń", "POLISH")
    assert a.encoding == UCS2 and a.transliterated is not None
    assert a.transliterated.text == "Zazolc gesla jazn" and a.transliterated.encoding == GSM7
    assert a.replaced == {"ż": 1, "ó": 1, "ł": 1, "ć": 1, "ę": 1, "ś": 1, "ą": 1, "ź": 1, "ń": 1}
    assert analyze("Привет", "RUSSIAN_CYRILLIC").transliterated.text == "Privet"  # type: ignore[union-attr]
    assert analyze("“Hi” — ok…", "NON_GSM").transliterated.text == '"Hi" - ok...'  # type: ignore[union-attr]
    # a language alphabet leaves other characters alone; removeEmojis strips emojis first
    assert analyze("ą ж", "POLISH").transliterated.text == "a ж"  # type: ignore[union-attr]
    done = analyze("Hi 😀👍🏽", {"alphabet": "NONE", "removeEmojis": True}).transliterated
    assert done is not None and done.text == "Hi " and done.encoding == GSM7
    assert analyze("Hi").transliterated is None and analyze("Hi", "NONE").transliterated is not None
    assert transliterate("ș", "ROMANIAN") == ("s", {"ș": 1})
    with pytest.raises(ValueError, match="unknown transliteration alphabet 'KLINGON'"):
        analyze("x", "KLINGON")


@pytest.mark.parametrize("alphabet", [a for a in ALPHABETS if a != "MACEDONIAN_CYRILLIC"])
def test_the_sandbox_transliterates_as_analyze_says(smscx_sandbox: Any, alphabet: str) -> None:
    text = "Zażółć Привет ђаво Ελλάδα ğüş “Hi” 😀 ok"
    sent = SmsApi(smscx_sandbox.api_client()).send_sms(
        {"to": [TO], "from": "MyBrand", "text": text, "transliteration": {"alphabet": alphabet, "removeEmojis": True}}
    )
    replaced = sent.info["transliterationAnalysis"]["text"]["replaced"]
    mine = analyze(text, {"alphabet": alphabet, "removeEmojis": True})
    after = mine.transliterated
    assert after is not None
    assert (replaced["text"], replaced["length"], replaced["parts"], replaced["encoding"]) == (
        after.text, after.length, after.parts, after.encoding
    )
    assert replaced["characters"] == dict(mine.replaced)
    assert sent.data[0].text_analysis.to_wire() == _wire(after)


def test_the_module_examples_hold() -> None:
    import doctest

    import smscx_client.phones
    import smscx_client.text

    for module in (smscx_client.text, smscx_client.phones):
        result = doctest.testmod(module)
        assert result.attempted >= 2 and result.failed == 0, module.__name__


def test_analyze_refuses_what_is_not_text() -> None:
    with pytest.raises(TypeError):
        analyze(b"bytes")  # type: ignore[arg-type]


# -- properties against the gsm0338 package's table ------------------------------------------------
GSM_CHARS = sorted(GSM_BASIC | GSM_EXTENDED)
TEXTS = st.text(
    alphabet=st.one_of(
        st.sampled_from(GSM_CHARS),
        st.sampled_from(sorted(GSM_EXTENDED)),
        st.characters(blacklist_categories=("Cs",)),  # any code point but lone surrogates
    ),
    max_size=400,
)


def _gsm_septets(text: str) -> Any:
    try:
        return len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return None


@given(TEXTS)
@settings(max_examples=400, deadline=None)
def test_encoding_and_length_agree_with_an_independent_gsm_table(text: str) -> None:
    a = analyze(text)
    septets = _gsm_septets(text)
    if septets is not None:
        assert (a.encoding, a.length, a.unicode_characters) == (GSM7, septets, ())
    else:
        assert a.encoding == UCS2 and a.length == len(text.encode("utf-16-le")) // 2
        assert [u.character for u in a.unicode_characters] == [c for c in text if _gsm_septets(c) is None]
        assert all(text[u.position] == u.character for u in a.unicode_characters)


@given(TEXTS)
@settings(max_examples=400, deadline=None)
def test_parts_are_the_fewest_that_hold_the_text(text: str) -> None:
    a = analyze(text)
    single, multi = (160, 153) if a.encoding == GSM7 else (70, 67)
    assert a.parts * a.per_part - a.remaining == a.length and 0 <= a.remaining < a.per_part or a.length == 0
    if a.length <= single:
        assert (a.parts, a.per_part) == (1, single)
    else:
        assert a.per_part == multi and (a.parts - 1) * multi < a.length <= a.parts * multi


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_non_gsm_transliteration_always_gives_gsm7(text: str) -> None:
    after = analyze(text, "NON_GSM", remove_emojis=True).transliterated
    assert after is not None and after.encoding == GSM7
    assert _gsm_septets(after.text) == after.length


@given(TEXTS, st.sampled_from(ALPHABETS))
@settings(max_examples=300, deadline=None)
def test_a_transliteration_only_removes_characters_outside_gsm7(text: str, alphabet: str) -> None:
    a = analyze(text, alphabet)
    after = a.transliterated
    assert after is not None
    before = {u.character for u in a.unicode_characters}
    assert {u.character for u in after.unicode_characters} <= before  # it never adds one
    assert set(a.replaced) <= before  # it replaces nothing GSM-7 holds


@given(TEXTS.filter(lambda t: t.strip() and "{{" not in t and "}}" not in t))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_sandbox_answers_what_analyze_says(smscx_sandbox: Any, text: str) -> None:
    sent = SmsApi(smscx_sandbox.api_client()).send_sms({"to": [TO], "from": "MyBrand", "text": text})
    assert sent.data[0].text_analysis.to_wire() == _wire(analyze(sent.data[0].text))
