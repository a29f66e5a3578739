"""Language detection: deterministic, bounded, and no coin tosses on short texts."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY

from reader.core.language import langid
from reader.core.language.langid import detect, detect_article_language
from tests.conftest import REPO_ROOT

FRENCH = (
    "Les autorités locales ont déclaré lundi une opération antiterroriste, après que des "
    "combattants ont organisé une incursion dans la région frontalière."
)
ENGLISH = (
    "The local authorities declared an anti-terrorist operation on Monday after fighters "
    "staged an incursion into the border region."
)
ARABIC = "أعلنت الحكومة اليوم عن ميزانية جديدة للعام المقبل تتضمن زيادة في الإنفاق على التعليم"


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (ENGLISH, "en"), (ARABIC, "ar")])
def test_detects_languages_with_high_confidence(text: str, code: str) -> None:
    language, confidence = detect(text, inherit="xx")
    assert language == code
    assert confidence > 0.9


def test_deterministic_even_without_the_cache() -> None:
    # A text langdetect hesitates on: without a fixed seed its answer varies run to run.
    text = "Sign up for our newsletter"
    first = detect(text, force=True)
    for _ in range(5):
        langid.detect_sample.cache_clear()
        assert detect(text, force=True) == first


@pytest.mark.parametrize(
    "text",
    ["Accept", "Bonjour à tous", "Un, deux, trois, quatre", "Ok ok ok ok ok ok ok"],
)
def test_short_texts_inherit_with_zero_confidence(text: str) -> None:
    assert detect(text, inherit="fr") == ("fr", 0.0)
    assert detect(text, inherit="de") == ("de", 0.0)


def test_force_judges_short_texts_anyway() -> None:
    assert detect("Related Articles", inherit="fr") == ("fr", 0.0)
    language, confidence = detect("Related Articles", inherit="fr", force=True)
    assert language == "en"
    assert confidence > 0.5


@pytest.mark.parametrize("text", ["", "   ", "12 345 678 — 2023-09-14 : 42 %", "🎉🔥👍🏽 !!! ???"])
def test_texts_without_letters_inherit_even_when_forced(text: str) -> None:
    assert detect(text, inherit="fr") == ("fr", 0.0)
    assert detect(text, inherit="fr", force=True) == ("fr", 0.0)


def test_paragraph_detection_looks_at_a_bounded_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    samples: list[str] = []
    real = langid.detect_sample

    def spy(
        sample: str, trials: int = langid.PARAGRAPH_TRIALS, profiles: str = "all"
    ) -> tuple[str, float] | None:
        samples.append(sample)
        return real(sample, trials, profiles)

    monkeypatch.setattr(langid, "detect_sample", spy)
    assert detect(FRENCH * 400)[0] == "fr"
    assert samples and len(samples[0]) <= langid.PARAGRAPH_SAMPLE_CHARS


def test_article_language_is_judged_on_a_bounded_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    consumed = 0

    def paragraphs() -> Iterator[str]:
        nonlocal consumed
        for _ in range(100_000):
            consumed += 1
            yield FRENCH

    samples: list[str] = []
    real = langid.detect_sample

    def spy(
        sample: str, trials: int = langid.PARAGRAPH_TRIALS, profiles: str = "all"
    ) -> tuple[str, float] | None:
        samples.append(sample)
        return real(sample, trials, profiles)

    monkeypatch.setattr(langid, "detect_sample", spy)
    language, confidence = detect_article_language(paragraphs())
    assert language == "fr" and confidence > 0.9
    assert len(samples) == 1 and len(samples[0]) <= langid.ARTICLE_SAMPLE_CHARS + 2
    # Stops reading paragraphs once the sample is full.
    assert consumed < 30


def test_article_language_of_nothing_is_undetermined() -> None:
    assert detect_article_language([]) == ("und", 0.0)
    assert detect_article_language(["", "123"]) == ("und", 0.0)
    assert detect_article_language(["Bref."], inherit="fr") == ("fr", 0.0)


def test_profiles_load_once_under_concurrent_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    loads = 0
    real_load = langid.load_profiles

    def counting_load(factory: DetectorFactory, names: tuple[str, ...]) -> None:
        nonlocal loads
        loads += 1
        real_load(factory, names)

    monkeypatch.setattr(langid, "load_profiles", counting_load)
    monkeypatch.setattr(langid, "_factories", {})
    langid.detect_sample.cache_clear()
    texts = [FRENCH, ENGLISH, ARABIC, "Sign up for our newsletter"] * 4
    results: list[tuple[str, float] | None] = [None] * len(texts)
    barrier = threading.Barrier(len(texts))

    def work(i: int) -> None:
        barrier.wait()
        results[i] = detect(texts[i], force=True)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == 1
    langid.detect_sample.cache_clear()
    assert results == [detect(text, force=True) for text in texts]


@pytest.mark.parametrize("profiles", ["latin", "cyrillic"])
def test_lazy_profile_table_is_langdetects_own(profiles: str) -> None:
    """The table made row by row on use equals the one langdetect's loader builds up front."""
    names = langid.PROFILE_SETS[profiles]
    assert names is not None
    directory = Path(PROFILES_DIRECTORY)
    eager = DetectorFactory()
    eager.load_json_profile([(directory / name).read_text(encoding="utf-8") for name in names])
    lazy = DetectorFactory()
    langid.load_profiles(lazy, names)
    assert lazy.langlist == eager.langlist
    table = lazy.word_lang_prob_map
    assert "zzzz-not-an-ngram" not in table
    with pytest.raises(KeyError):
        table["zzzz-not-an-ngram"]
    assert set(table) == set(eager.word_lang_prob_map)
    for word, row in eager.word_lang_prob_map.items():
        assert word in table
        assert table[word] == row


def test_profiles_are_not_loaded_at_import() -> None:
    code = (
        "import reader.core.library.listing, reader.core.articles.parser;"
        "import reader.core.language.langid as l;"
        "assert not l._factories, 'loaded at import'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True, timeout=60)


# Hand-written news paragraphs, long enough to judge (about 40 words or 60 characters).
PARAGRAPHS = {
    "zh": "今天上午，北京市政府宣布，由于大雪，全市中小学将停课两天。市民被要求尽量减少出行，"
    "公交和地铁将延长运营时间。气象部门表示，明天气温还会继续下降。",
    "zt": "今天上午，台北市政府宣布，由於颱風來襲，全市學校將停課兩天。市民被要求盡量減少外出，"
    "捷運將延長營運時間。氣象局表示，這個週末還會有大雨。",
    "ja": "東京都は今朝、大雪のため都内の小中学校を二日間休校にすると発表した。市民にはできるだけ"
    "外出を控えるよう呼びかけている。気象庁によると、明日はさらに気温が下がる見込みだ。",
    "ko": "서울시는 오늘 아침 폭설로 인해 시내 모든 초중학교가 이틀 동안 휴교한다고 발표했다. "
    "시민들에게는 가능한 한 외출을 자제해 달라고 당부했다.",
    "ar": "أعلنت الحكومة صباح اليوم أن المدارس ستغلق أبوابها لمدة يومين بسبب العاصفة الثلجية. "
    "وطلبت من المواطنين البقاء في منازلهم قدر الإمكان، وقالت إن الطرق ستبقى مغلقة حتى الغد.",
    "fa": "دولت امروز صبح اعلام کرد که مدرسه‌ها به دلیل برف سنگین دو روز تعطیل خواهند بود. "
    "از مردم خواسته شد تا جای ممکن در خانه بمانند و فقط برای کارهای ضروری بیرون بروند.",
    "ur": "حکومت نے آج صبح اعلان کیا کہ شدید برف باری کی وجہ سے اسکول دو دن کے لیے بند رہیں گے۔ "
    "شہریوں سے کہا گیا ہے کہ وہ جہاں تک ممکن ہو گھروں میں رہیں۔",
    "hi": "सरकार ने आज सुबह घोषणा की कि भारी बर्फबारी के कारण सभी स्कूल दो दिनों तक बंद रहेंगे। "
    "नागरिकों से अनुरोध किया गया है कि वे जितना संभव हो घर पर ही रहें।",
    "th": "รัฐบาลประกาศเมื่อเช้าวันนี้ว่าโรงเรียนทุกแห่งจะปิดเป็นเวลาสองวันเนื่องจากพายุ "
    "ประชาชนได้รับการขอร้องให้อยู่ในบ้านให้มากที่สุด",
    "el": "Η κυβέρνηση ανακοίνωσε σήμερα το πρωί ότι τα σχολεία θα μείνουν κλειστά για δύο ημέρες "
    "λόγω της χιονοθύελλας. Οι πολίτες καλούνται να μείνουν στα σπίτια τους.",
    "he": "הממשלה הודיעה הבוקר כי בתי הספר ייסגרו למשך יומיים בגלל סופת השלגים. "
    "התושבים התבקשו להישאר בבתיהם ככל האפשר.",
    "ru": "Правительство объявило сегодня утром, что школы будут закрыты на два дня из-за "
    "сильного снегопада. Жителей просят по возможности оставаться дома.",
    "uk": "Уряд оголосив сьогодні вранці, що школи будуть зачинені на два дні через сильний "
    "снігопад. Мешканців просять по можливості залишатися вдома.",
    "de": "Die Regierung hat heute Morgen angekündigt, dass die Schulen wegen des starken "
    "Schneefalls zwei Tage lang geschlossen bleiben. Die Bürger werden gebeten, möglichst "
    "zu Hause zu bleiben.",
    "fr": "Le gouvernement a annoncé ce matin que les écoles resteront fermées pendant deux jours "
    "à cause des fortes chutes de neige. Les habitants sont priés de rester chez eux.",
    "en": "The government announced this morning that schools will stay closed for two days "
    "because of the heavy snowfall. Residents are asked to stay at home where possible.",
    "es": "El gobierno anunció esta mañana que las escuelas permanecerán cerradas durante dos "
    "días a causa de las fuertes nevadas. Se pide a los vecinos que se queden en casa.",
    "it": "Il governo ha annunciato stamattina che le scuole resteranno chiuse per due giorni "
    "a causa delle forti nevicate. Ai cittadini è chiesto di restare a casa.",
    "nb": "Regjeringen kunngjorde i morges at skolene holdes stengt i to dager på grunn av det "
    "kraftige snøfallet. Innbyggerne blir bedt om å holde seg hjemme så langt det er mulig, "
    "og kollektivtrafikken går etter en redusert rutetabell hele uken.",
    "pl": "Rząd ogłosił dziś rano, że szkoły pozostaną zamknięte przez dwa dni z powodu "
    "intensywnych opadów śniegu. Mieszkańców proszono o pozostanie w domach.",
    "tr": "Hükümet bu sabah yoğun kar yağışı nedeniyle okulların iki gün boyunca kapalı "
    "kalacağını açıkladı. Vatandaşlardan mümkün olduğunca evde kalmaları istendi.",
}


@pytest.mark.parametrize("language", sorted(PARAGRAPHS))
def test_each_language_is_detected_with_its_argos_code(language: str) -> None:
    assert detect(PARAGRAPHS[language])[0] == language
    assert detect_article_language([PARAGRAPHS[language]])[0] == language


def test_chinese_is_never_korean_and_traditional_is_zt() -> None:
    # The article that was once detected as Korean: short lines of Chinese.
    lines = ["北京下大雪", "学校停课两天", "市民减少出行", "地铁延长运营时间"]
    assert detect_article_language(lines)[0] == "zh"
    assert detect("這是我們的國家，我們會說出來。")[0] == "zt"


def test_detected_codes_are_mapped_to_the_index() -> None:
    from reader.core.language.langid import to_argos_code

    assert to_argos_code("no") == "nb"
    assert to_argos_code("zh-tw") == "zt"
    assert to_argos_code("zh-cn") == "zh"
    assert to_argos_code("zh_TW") == "zt"
    assert to_argos_code("pt-BR") == "pt"
    assert to_argos_code("fr") == "fr"


def test_short_and_mixed_paragraphs_keep_the_article_language() -> None:
    # Short: a Chinese name in a French article.
    assert detect("北京", inherit="fr") == ("fr", 0.0)
    # Mixed scripts, no majority: keeps the article's language.
    mixed = "Le slogan « 为人民服务 » (servir le peuple) était partout à Pékin en 1970."
    assert detect(mixed, inherit="fr")[0] == "fr"
    # A Chinese paragraph in a French article is Chinese.
    assert detect(PARAGRAPHS["zh"], inherit="fr")[0] == "zh"


def test_languages_of_other_scripts_do_not_load_langdetect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("langdetect was asked")

    monkeypatch.setattr(langid, "detect_sample", refuse)
    for language in ("zh", "zt", "ja", "ko", "ar", "fa", "ur", "hi", "th", "el", "he"):
        assert detect(PARAGRAPHS[language])[0] == language


def test_original_in_offers_every_index_language_and_installed_ones() -> None:
    import json

    from reader.core.language.names import source_language_choices

    index = json.loads((REPO_ROOT / "tests" / "data" / "argospm-index.json").read_text("utf-8"))
    index_codes = {entry["from_code"] for entry in index} | {entry["to_code"] for entry in index}
    offered = dict(source_language_choices(["xx"]))
    assert index_codes <= set(offered)
    assert "xx" in offered  # an installed package's language outside the table
    assert offered["nb"] == "Norwegian" and offered["zt"] == "Chinese (traditional)"


def test_an_unsure_article_is_judged_again_on_a_longer_sample(
    monkeypatch: pytest.MonkeyPatch, detection_samples: list[int]
) -> None:
    samples = detection_samples
    paragraphs = [PARAGRAPHS["fr"]] * 8
    assert detect_article_language(paragraphs)[0] == "fr"
    assert len(samples) == 1 and samples[0] <= langid.ARTICLE_SAMPLE_CHARS + 2  # sure at once
    monkeypatch.setattr(langid, "ARTICLE_SURE", 1.01)  # never sure: the longer sample is read
    samples.clear()
    assert detect_article_language(paragraphs)[0] == "fr"
    assert len(samples) == 2
    assert langid.ARTICLE_SAMPLE_CHARS < samples[1] <= langid.ARTICLE_LONG_SAMPLE_CHARS + 2
