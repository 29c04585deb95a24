"""HTML to text and stripping of quoted replies and signatures (English and Russian clients)."""

from __future__ import annotations

import pytest

from netassist.importers.email_text import html_to_text, strip_quotes_and_signature, unflow

CASES = {
    "gmail_en": (
        "Sounds good!\n\nOn Mon, Mar 6, 2023 at 10:00 AM Anna <a@x.ru> wrote:\n> old\n",
        "Sounds good!",
    ),
    "gmail_wrapped": (
        "Yes\n\nOn Mon, Mar 6, 2023 at 10:00 AM Anna Smirnova <anna@x.ru>\nwrote:\n> old",
        "Yes",
    ),
    "gmail_ru": (
        "Да, давай.\n\nпн, 6 мар. 2023 г. в 10:00, Анна <a@x.ru>:\n\n> старое",
        "Да, давай.",
    ),
    "pishet": ("Ок.\n\n06.03.2023 10:00, Анна пишет:\n> старое", "Ок."),
    "napisal": ("Ок.\n\nИван Петров написал(а):\n> старое", "Ок."),
    "yandex": ('Спасибо!\n\n06.03.2023, 10:00, "Анна" <a@ya.ru>:\n> старое', "Спасибо!"),
    "mailru_forward": (
        "Смотри ниже.\n\n-------- Пересылаемое сообщение --------\nОт кого: X",
        "Смотри ниже.",
    ),
    "outlook_original": (
        "Fine.\n\n-----Original Message-----\nFrom: A\nSent: B\nTo: C\n\nold",
        "Fine.",
    ),
    "outlook_header_block": (
        "Fine.\n\nFrom: Anna <a@x.ru>\nSent: Monday\nTo: Bob\nSubject: Hi\n\nold",
        "Fine.",
    ),
    "outlook_ru_block": (
        "Хорошо.\n\nОт: Анна\nОтправлено: 6 марта 2023 г. 10:00\nКому: Олег\nТема: Привет\n",
        "Хорошо.",
    ),
    "signature": ("Hi\n\n-- \nJohn Smith\n+1 555", "Hi"),
    "iphone": ("Ok\n\nSent from my iPhone", "Ok"),
    "iphone_ru": ("Ок\n\nОтправлено с iPhone", "Ок"),
    "bottom_posting": ("On 04/02/2012 06:26 PM, Megan wrote:\n> Hi\nHello", "Hello"),
    "interleaved": (
        "> question one?\nanswer one\n> question two?\nanswer two",
        "answer one\nanswer two",
    ),
    "plain": ("Just text\nwith: colon at end:\n\nmore", "Just text\nwith: colon at end:\n\nmore"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_strip(case: str) -> None:
    text, expected = CASES[case]
    assert strip_quotes_and_signature(text) == expected


def test_html_to_text_drops_quotes_scripts_and_styles() -> None:
    html = (
        "<html><head><style>p{}</style><script>evil()</script></head><body>"
        "<p>Hello&nbsp;<b>there</b></p><p>Line&amp;two</p><blockquote>quoted</blockquote>"
        '<div class="gmail_quote">On Mon wrote: old</div></body></html>'
    )
    assert html_to_text(html) == "Hello there\n\nLine&two"


@pytest.mark.parametrize(
    "marker",
    [
        '<div id="divRplyFwdMsg">From: x</div>',
        '<div class="moz-cite-prefix">On x wrote:</div>',
        '<div class="yahoo_quoted">x</div>',
        '<div id="appendonsend"></div><hr><b>From:</b> x',
    ],
)
def test_html_client_quote_markers(marker: str) -> None:
    assert html_to_text(f"<div>Reply</div>{marker}<div>old text</div>") == "Reply"


def test_html_hostile_input_does_not_crash() -> None:
    deep = "<div>" * 50_000 + "x" + "</div>" * 50_000
    assert html_to_text(deep) == "x"
    assert html_to_text("<p unclosed <<>> &bogus; <!-- never closed") is not None


def test_unflow_respects_quote_depth_and_signature() -> None:
    flowed = "This is a \nlong line.\n> quoted \n> more\nnew\n-- \nsig"
    assert unflow(flowed) == "This is a long line.\n> quoted more\nnew\n-- \nsig"
    assert unflow("a \nb", delsp=True) == "ab"


def test_html_signature_blocks_are_skipped_but_later_text_kept() -> None:
    html = (
        '<div>Hi Anna</div><div class="gmail_signature"><div>Oleg</div><div>+7 916</div></div>'
        "<div>P.S. see you</div><br><img src=x>"
    )
    assert html_to_text(html) == "Hi Anna\n\nP.S. see you"
