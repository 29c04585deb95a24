"""PDF reports: real PDFs read back with poppler (pdftotext / pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netassist.core.db import open_database
from netassist.core.demo import load_demo
from netassist.core.reports import contact_dossier, network_report

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="poppler-utils (pdftotext, pdftoppm) not installed",
)
NOW = int(datetime(2026, 11, 1, 12, tzinfo=UTC).timestamp())


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):
    db = open_database(tmp_path_factory.mktemp("rep") / "r.db")
    load_demo(db, 40, 1, seed=11)
    try:
        from netassist.core.scoring import rescore

        rescore(db, None)
    except ImportError:
        pass
    yield db
    db.dispose()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def page_inks(path: Path, tmp: Path) -> list[float]:
    """Share of non-white pixels per page (rendered at 30 dpi)."""
    from PySide6.QtGui import QImage

    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp / "pg")], check=True)
    out = []
    for png in sorted(tmp.glob("pg-*.png")):
        img = QImage(str(png))
        w, h = img.width(), img.height()
        dark = sum(
            1 for y in range(0, h, 2) for x in range(0, w, 2) if img.pixelColor(x, y).value() < 235
        )
        out.append(dark / ((w // 2) * (h // 2)))
    return out


def test_network_report_english(qapp, demo_db, tmp_path: Path) -> None:
    import re

    from netassist.ui.report_pdf import render_network_report

    rep = network_report(demo_db, 90, now=NOW, lang="en")
    out = tmp_path / "net.pdf"
    pages = render_network_report(rep, out)
    text = pdf_text(out)
    for heading in ("Network review", "Contents", "Summary", "Strength and tiers",
                    "Top relationships", "Follow-up plan", f"page 2 of {pages}",
                    "Fading ties", "Topics of the period", "Best times to reach", "Segments",
                    "Your network", "Last 30 days"):  # fmt: skip
        assert heading in text, heading
    # the engine's sections carry their numbers into the PDF
    fade = rep.fading[0]
    assert re.search(rf"{re.escape(fade.name)}\s+{fade.strength:.0f}\s+"
                     rf"{fade.params['recent30']:g}\s+{fade.params['prev60']:g}", text)  # fmt: skip
    seg_label, seg_size = rep.segments[0]
    assert re.search(rf"{re.escape(seg_label)}\s+{seg_size}", text)
    assert f"{rep.summary['interactions']}" in text and f"{rep.summary['contacts']}" in text
    inks = page_inks(out, tmp_path)
    assert len(inks) == pages and all(i > 0.002 for i in inks)  # no blank page
    assert max(inks) > 0.05  # the chart page carries drawing


def test_dossier_has_sections_and_name(qapp, demo_db, tmp_path: Path) -> None:
    import re

    from netassist.ui.report_pdf import render_dossier

    dos = contact_dossier(demo_db, 1, now=NOW, lang="en")
    out = tmp_path / "d.pdf"
    render_dossier(dos, out)
    text = pdf_text(out)
    assert dos.contact["display_name"].split()[0] in text
    for heading in ("Details", "Strength", "History", "Recent interactions"):
        assert heading in text
    # reciprocity weighs 0 by default: shown for context, said to be not counted, never "0/0"
    assert any(b["component"] == "reciprocity" and not b["max_points"] for b in dos.breakdown)
    assert re.search(r"reciprocity\s+—\s+.*Not counted in the", text), text
    assert not re.search(r"\b0/0\b", text)


def test_report_data_golden(demo_db) -> None:
    """The report's numbers equal what SQL says independently (a check on data, not pixels)."""
    rep = network_report(demo_db, 90, now=NOW)
    with demo_db.engine.connect() as c:
        n = c.exec_driver_sql(
            "SELECT count(*) FROM interaction WHERE occurred_at BETWEEN ? AND ?",
            (NOW - 90 * 86400, NOW),
        ).scalar()
    assert rep.summary["interactions"] == n == sum(rep.by_channel.values())
    assert sum(sum(c.values()) for _w, c in rep.weekly) == n
    assert rep.summary["contacts"] == 40


def pdf_page_text(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip


def test_network_report_russian(qapp, demo_db, tmp_path: Path) -> None:
    """Computed in an English session, rendered in Russian: sections, tiers, follow-up reasons
    and page numbers are Russian and no English word is left."""
    import re

    from netassist.core.i18n import current_language
    from netassist.ui.report_pdf import render_network_report

    rep = network_report(demo_db, 90, now=NOW, lang="ru")
    assert rep.followups and all(c.kind and c.params for c in rep.followups)
    out = tmp_path / "net-ru.pdf"
    pages = render_network_report(rep, out)
    assert current_language() == "en"  # the report's language was only borrowed
    text = pdf_text(out)
    for heading in ("Обзор сети контактов", "Содержание", "Итоги", "Сила связи и круги",
                    "Самые сильные связи", "Кому написать", "ближний круг", "знакомые",
                    f"страница 2 из {pages}"):  # fmt: skip
        assert heading in text, heading
    assert re.search(r"последн(ий контакт|ее сообщение от них)|день рождения|годовщина", text)
    for heading in ("Угасающие связи", "Темы периода", "Когда лучше связаться", "Группы",
                    "Ваша сеть", "взвешенные числа"):  # fmt: skip
        assert heading in text, heading
    # lower-case Latin words would be English left in the Russian text (names are capitalised;
    # topics of the period are the people's own words, in whatever language they wrote)
    own = {w for t, _w in rep.topics for w in re.findall(r"[a-z][a-z'-]+", t)}
    assert set(re.findall(r"\b[a-z][a-z'-]+\b", text)) <= {"netassist"} | own


@pytest.mark.parametrize(
    ("contacts", "interactions", "expected"),
    [(1, 21, ("1 контакт\n", "21 взаимодействие\n")),
     (2, 3, ("2 контакта\n", "3 взаимодействия\n")),
     (5, 11, ("5 контактов\n", "11 взаимодействий\n"))],
)  # fmt: skip
def test_russian_title_page_plurals(qapp, demo_db, tmp_path: Path, contacts: int,
                                    interactions: int, expected: tuple[str, str]) -> None:  # fmt: skip
    from dataclasses import replace

    from netassist.ui.report_pdf import render_network_report

    rep = network_report(demo_db, 90, now=NOW, lang="ru")
    rep = replace(rep, summary={**rep.summary, "contacts": contacts,
                                "interactions": interactions}, top=rep.top[:3],
                  fading=[], followups=[])  # fmt: skip
    out = tmp_path / "plural.pdf"
    render_network_report(rep, out)
    title = pdf_page_text(out, 1)
    for line in expected:
        assert line in title


def test_dossier_russian(qapp, demo_db, tmp_path: Path) -> None:
    import re

    from netassist.ui.report_pdf import render_dossier

    dos = contact_dossier(demo_db, 1, now=NOW, lang="ru")
    assert dos.breakdown and all("params" in b for b in dos.breakdown)
    out = tmp_path / "d-ru.pdf"
    pages = render_dossier(dos, out)
    text = pdf_text(out)
    for heading in ("Содержание", "Сведения", "Сила связи", "История", "Составляющая",
                    "давность", "частота (год)", "взаимность", "Не входит в силу",
                    f"страница 2 из {pages}"):  # fmt: skip
        assert heading in text, heading
    assert "recency" not in text and "last talk" not in text
    mails = {w for m in re.findall(r"\S+@\S+", text) for w in re.findall(r"[a-z]+", m)}
    assert set(re.findall(r"\b[a-z][a-z'-]+\b", text)) - mails <= {"netassist"}


def _rows_split_across_pages(path: Path) -> list[int]:
    pages = pdf_text(path).split("\f")
    where_start = {i: p for p, text in enumerate(pages) for i in range(80) if f"start{i}." in text}
    where_end = {i: p for p, text in enumerate(pages) for i in range(80) if f"end{i}." in text}
    assert sorted(where_start) == sorted(where_end) == list(range(80))  # nothing lost
    return [i for i in range(80) if where_start[i] != where_end[i]]


def test_table_rows_never_split_across_pages(qapp, tmp_path: Path, monkeypatch) -> None:
    """Qt cuts a row of multi-line cells at a page break; the renderer ends the table there and
    carries the row (with the header) to the next page. Control: without that, rows are cut."""
    from netassist.ui import pdf_layout
    from netassist.ui.report_pdf import report_font_family

    def make() -> pdf_layout.Doc:
        doc = pdf_layout.Doc(report_font_family())
        doc.h1("Rows")
        words = "and then some more words that wrap inside this narrow cell"
        rows = [
            [f"row {i}", f"start{i}. {words} {'again ' * (i * 7 % 23)}end{i}."] for i in range(80)
        ]
        doc.table(["Name", "Why"], rows, widths=[20, 80])
        return doc

    kept = tmp_path / "kept.pdf"
    pdf_layout.render(make(), "<p>title</p>", kept, "a4", "header", None)
    assert _rows_split_across_pages(kept) == []
    assert pdf_text(kept).count("Why") >= 3  # the header repeats on every page of the table

    monkeypatch.setattr(pdf_layout, "_split_row", lambda td, page_h: None)
    cut = tmp_path / "cut.pdf"
    pdf_layout.render(make(), "<p>title</p>", cut, "a4", "header", None)
    assert _rows_split_across_pages(cut) != []
