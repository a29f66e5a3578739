from __future__ import annotations

import itertools

import pytest

from reader.core.text.sentences import joiner_for, sentences, split_long_text, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il pleut. Nous restons.", ["Il pleut.", "Nous restons."]),
        # Titles and abbreviations never end a sentence.
        (
            "Le chef de M. Zelensky a publié une photo. Le nom signifie « raisin sec ».",
            ["Le chef de M. Zelensky a publié une photo.", "Le nom signifie « raisin sec »."],
        ),
        ("Selon le Dr. Martin, tout va bien.", ["Selon le Dr. Martin, tout va bien."]),
        ("Voir cf. Annexe deux. Fin.", ["Voir cf. Annexe deux.", "Fin."]),
        # Initials.
        ("J. Smith est arrivé. Il parle.", ["J. Smith est arrivé.", "Il parle."]),
        # etc. ends a sentence only before a capital.
        (
            "Des chars, des fusils, etc. Puis la fuite.",
            ["Des chars, des fusils, etc.", "Puis la fuite."],
        ),
        ("Des chars, des fusils, etc. et la fuite.", ["Des chars, des fusils, etc. et la fuite."]),
        # Decimals and domains.
        (
            "La hausse est de 3.5 pour cent. Voir Express.co.uk ICI.",
            ["La hausse est de 3.5 pour cent.", "Voir Express.co.uk ICI."],
        ),
        # Closing quotes stay with their sentence.
        (
            "“Ils ont pris nos vélos. Deux d’entre eux ont pointé des armes.” Il est parti.",
            [
                "“Ils ont pris nos vélos.",
                "Deux d’entre eux ont pointé des armes.”",
                "Il est parti.",
            ],
        ),
        ("« Nous avons peur. » Elle pleure.", ["« Nous avons peur. »", "Elle pleure."]),
        # Question/exclamation runs and French spacing.
        (
            "Qui va réveiller le président ?. Personne !",
            ["Qui va réveiller le président ?.", "Personne !"],
        ),
        # Ellipsis: lower-case continuation is not a new sentence.
        (
            "Leur équipement … même ont saisi des vélos. Fin.",
            ["Leur équipement … même ont saisi des vélos.", "Fin."],
        ),
        ("Des gens libres… Mais pas ici.", ["Des gens libres…", "Mais pas ici."]),
        ("", []),
        ("   ", []),
        ("Pas de point final", ["Pas de point final"]),
    ],
)
def test_split_sentences_french_rules(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_cover_every_character_once(seed_paths) -> None:
    def no_space(text: str) -> str:
        return "".join(text.split())

    for path in seed_paths:
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            block = block.strip()
            spans = split_sentences(block)
            assert no_space("".join(block[a:b] for a, b in spans)) == no_space(block)
            for (_, end), (start, _) in itertools.pairwise(spans):
                assert end <= start  # ordered and disjoint
            for a, b in spans:
                assert block[a:b] == block[a:b].strip()


def test_split_long_text_cuts_at_clauses_and_drops_nothing() -> None:
    text = "Un, deux, trois, quatre; cinq: six – sept, huit"
    pieces = split_long_text(text, lambda piece: len(piece) <= 12)
    assert len(pieces) > 1
    assert " ".join(pieces).split() == text.split()
    short = "court"
    assert split_long_text(short, lambda piece: True) == [short]


# Hand-written paragraphs, three or so sentences each, in the scripts of the Argos index.
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh",
            [
                "今天北京下了大雪。",
                "学校都关门了吗？",
                "没有，孩子们照常上课！",
                "市长说明天会更冷。",
            ],
        ),
        ("zt", ["台北今天下大雨。", "你們明天還要來嗎？", "我們會準時到。"]),
        (
            "ja",
            [
                "東京では朝から雨が降っています。",
                "電車は遅れていますか？",
                "「大丈夫です。」と駅員は言った。",
            ],
        ),
        ("ko", ["서울에 눈이 왔습니다.", "학교는 문을 닫았나요?", "아니요, 수업은 계속됩니다."]),
        (
            "ar",
            [
                "وصل الوزير إلى باريس صباح اليوم.",
                "هل سيلتقي بالرئيس؟",
                "نعم، الاجتماع في المساء!",
            ],
        ),
        (
            "fa",
            [
                "وزیر امروز صبح به تهران رسید.",
                "آیا با رئیس‌جمهور دیدار می‌کند؟",
                "بله، دیدار عصر است.",
            ],
        ),
        ("ur", ["وزیر آج صبح لاہور پہنچے۔", "کیا وہ صدر سے ملیں گے؟", "جی ہاں، ملاقات شام کو ہے۔"]),
        (
            "hi",
            [
                "मंत्री आज सुबह दिल्ली पहुँचे।",
                "क्या वे राष्ट्रपति से मिलेंगे?",
                "हाँ, बैठक शाम को है।",
            ],
        ),
        (
            "bn",
            [
                "মন্ত্রী আজ সকালে ঢাকায় পৌঁছেছেন।",
                "তিনি কি রাষ্ট্রপতির সঙ্গে দেখা করবেন?",
                "হ্যাঁ।",
            ],
        ),
        ("th", ["รัฐมนตรีเดินทางถึงเมืองหลวงเมื่อเช้านี้", "การประชุมจะเริ่มตอนเย็น"]),
        (
            "el",
            [
                "Ο υπουργός έφτασε στην Αθήνα.",
                "Θα συναντήσει τον πρόεδρο;",
                "Ναι, το απόγευμα.",
            ],
        ),
        (
            "ru",
            [
                "Министр прибыл в Москву в 9 ч. утра.",
                "Встреча с президентом состоится вечером.",
                "Т. е. завтра.",
            ],
        ),
        ("he", ["השר הגיע לירושלים הבוקר.", "האם הוא ייפגש עם הנשיא?", "כן, בערב."]),
        ("hy", ["Նախարարը ժամանեց Երևան:", "Հանդիպումը երեկոյան է:"]),
    ],
)
def test_each_script_splits_into_its_sentences(language: str, expected: list[str]) -> None:
    joiner = "" if language in ("zh", "zt", "ja") else " "
    paragraph = joiner.join(expected)
    if language == "th":
        paragraph = " ".join(expected)  # Thai separates sentences with a space, words with none
    assert sentences(paragraph, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # French dates with month abbreviations stay inside their sentence.
        ("fr", "Le 5 janv. 2024, le gouvernement a démissionné. Le président a parlé.", 2),
        ("fr", "Le vote aura lieu le 12 févr. prochain. Les députés sont prêts.", 2),
        ("fr", "Le 1er sept. 2025, la loi entre en vigueur. Elle était attendue.", 2),
        ("fr", "Les travaux finiront en déc. 2026. Le maire le promet.", 2),
        # …but "sept." (seven) before a capital still ends one.
        ("fr", "Il en a compté sept. Le lendemain, dix.", 2),
        # Elided abbreviations.
        ("fr", "Voir l’éd. Gallimard et l’art. 49.3 de la Constitution. Fin du débat.", 2),
        # German ordinals and dates.
        ("de", "Am 3. Oktober 1990 wurde Deutschland vereinigt. Das war ein Feiertag.", 2),
        ("de", "Der 2. Weltkrieg endete 1945. Danach begann der Wiederaufbau.", 2),
        ("de", "Es gibt Ausnahmen, z. B. Feiertage. Sonst gilt die Regel.", 2),
        # English months and numbered lists.
        ("en", "The vote is on Jan. 5 in Paris. Nobody expects a surprise.", 2),
        ("en", "It happened on Sept. 11, 2001. The world changed.", 2),
        ("en", "1. The first item 2. The second item 3. The third item", 3),
        ("en", "a) Apples b) Pears", 2),
        # Greek ";" is a question mark, elsewhere it is not.
        ("el", "Πού είσαι; Εδώ.", 2),
        ("fr", "Il pleut ; Nous restons.", 1),
    ],
)
def test_news_abbreviations_and_dates(language: str, text: str, expected: int) -> None:
    found = sentences(text, language)
    assert len(found) == expected, found


def test_list_numbers_stay_with_their_item() -> None:
    assert sentences("1. The first item 2. The second", "en") == [
        "1. The first item",
        "2. The second",
    ]
    # "1." alone, without a "2." after it, is not a list: a normal sentence.
    assert sentences("1. Januar ist ein Feiertag.", "de") == ["1. Januar ist ein Feiertag."]


def test_cjk_quotes_and_titles_do_not_end_sentences() -> None:
    assert sentences("我们去看《摔跤吧！爸爸》好吗？好！", "zh") == [
        "我们去看《摔跤吧！爸爸》好吗？",
        "好！",
    ]
    assert sentences("「はい。」と彼は言った。", "ja") == ["「はい。」と彼は言った。"]


def test_spans_cover_every_character_in_every_script() -> None:
    text = "今天下雪。明天呢？ وصل الوزير. هل سيأتي؟ मंत्री पहुँचे। Fin."
    spans = split_sentences(text)
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")
    assert len(spans) == 6


def test_joiner_for_chinese_and_japanese_is_empty() -> None:
    assert joiner_for("zh") == joiner_for("zt") == joiner_for("ja") == ""
    assert joiner_for("en") == joiner_for("ar") == " "
