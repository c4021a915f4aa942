"""Real PDFs for the ingest tests, laid out with reportlab the way office tools lay out
government documents: running headers and footers, bordered tables, two columns,
hyphenation at line ends, a cover and table of contents with printed page labels, an
outline, and AES-256 encryption with an empty user password.

``policy_pdf`` renders the bundled policy document (Markdown) as a 21-page PDF so the PDF
path can be measured against the Markdown path on the same questions.
"""

from __future__ import annotations

import re
from pathlib import Path

HEADER = "Provincie Utrecht · Nota Grondstoffen 2026"


def _styles():
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10, leading=13)
    return {
        "body": body,
        "h1": ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=16, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=body, fontName="Helvetica-Bold", fontSize=11, leading=14, spaceAfter=2),
        "h4": ParagraphStyle("h4", parent=body, fontName="Helvetica-Bold", fontSize=10, leading=13),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=4),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
    }


def _running(header: str, total: int | None):
    """A page callback that draws the running header and the 'Pagina N van M' footer."""

    def draw(canvas, doc) -> None:
        from reportlab.lib.pagesizes import A4

        width, height = A4
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(56, height - 36, header)
        canvas.line(56, height - 40, width - 56, height - 40)
        number = canvas.getPageNumber()
        canvas.drawRightString(width - 56, 30, f"Pagina {number} van {total}" if total else f"Pagina {number}")
        canvas.restoreState()

    return draw


def _bordered_table(rows: list[list[str]], widths: list[float]):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    style = _styles()["cell"]
    table = Table([[Paragraph(cell, style) for cell in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def report_pdf(path: Path) -> Path:
    """Three pages with a running header and footer, headings by size and weight, a bulleted
    page start and a bordered 4 × 3 table on page 2."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    s = _styles()
    story = [
        Paragraph("Nota Grondstoffen 2026", s["h1"]),
        Paragraph("Doelen", s["h2"]),
        Paragraph(
            "De provincie wil in 2030 de helft minder primaire grondstoffen gebruiken. "
            "Daarvoor werkt zij samen met gemeenten, waterschappen en bedrijven in de regio.",
            s["body"],
        ),
        Paragraph("Aanpak", s["h2"]),
        Paragraph("Het depot in Amersfoort verwerkt jaarlijks 1200 ton bouwafval tot nieuwe grondstof.", s["body"]),
        PageBreak(),
        Paragraph("Financiën", s["h2"]),
        Paragraph("De middelen zijn als volgt verdeeld over de onderdelen van de nota.", s["body"]),
        Spacer(1, 6),
        _bordered_table(
            [
                ["Onderdeel", "Budget 2026", "Budget 2027"],
                ["Depot Amersfoort", "€ 120.000", "€ 140.000"],
                ["Reparatiecafés", "€ 35.000", "€ 45.000"],
                ["Toezicht en handhaving", "€ 210.000", "€ 260.000"],
            ],
            [220, 110, 110],
        ),
        Spacer(1, 8),
        Paragraph("De bedragen zijn indicatief en worden jaarlijks herzien.", s["body"]),
        PageBreak(),
        Paragraph(
            "de kringloopwinkel in Houten opent een reparatiecafé voor elektrische apparaten.",
            s["bullet"],
            bulletText="•",
        ),
        Paragraph(
            "in Veenendaal wordt biobased isolatie met hennep getest in twintig woningen.",
            s["bullet"],
            bulletText="•",
        ),
        Paragraph("Monitoring", s["h2"]),
        Paragraph("Elk jaar verschijnt een voortgangsbrief aan Provinciale Staten.", s["body"]),
    ]
    doc = SimpleDocTemplate(str(path), pagesize=A4, title="Nota Grondstoffen 2026", topMargin=70)
    doc.build(story, onFirstPage=_running(HEADER, 3), onLaterPages=_running(HEADER, 3))
    return path


def two_column_pdf(path: Path) -> Path:
    """A page with a full-width heading and two columns of text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    s = _styles()
    width, height = A4
    margin, gap = 56, 24
    column = (width - 2 * margin - gap) / 2
    frames = [
        Frame(margin, height - 120, width - 2 * margin, 60, id="top"),
        Frame(margin, 60, column, height - 190, id="left"),
        Frame(margin + column + gap, 60, column, height - 190, id="right"),
    ]
    doc = BaseDocTemplate(str(path), pagesize=A4, title="Kolommen")
    doc.addPageTemplates([PageTemplate(id="cols", frames=frames)])
    left = (
        "De linkerkolom gaat over het ophalen van textiel bij inwoners in de stad Utrecht. "
        "Textiel wordt gescheiden ingezameld in containers bij de supermarkt. "
        "De gemeente weegt elke maand hoeveel kilo textiel binnenkomt."
    )
    right = (
        "De rechterkolom gaat over het hergebruik van bouwmaterialen in Nieuwegein. "
        "Oude kozijnen worden gedemonteerd en opnieuw gebruikt in sociale huurwoningen. "
        "De woningcorporatie rapporteert twee keer per jaar over de resultaten."
    )
    story = [
        Paragraph("Kolommen", s["h1"]),
        FrameBreak(),
        Paragraph(left, s["body"]),
        FrameBreak(),
        Paragraph(right, s["body"]),
    ]
    doc.build(story)
    return path


# Lines exactly as a typesetter breaks them: compounds split at their own hyphen, and one
# word hyphenated only because the line ended.
HYPHENATED_LINES = [
    "De provincie pleit in Den Haag voor CO2-",
    "beprijzing van primaire grondstoffen. Het VTH-",
    "instrumentarium wordt ingezet bij bedrijven, en de P&C-",
    "cyclus levert jaarlijks indicatoren. Een circu-",
    "laire economie vraagt om nieuwe verdienmodellen.",
]


def hyphenated_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Afbreking")
    pdf.setFont("Helvetica", 11)
    y = 780
    for line in HYPHENATED_LINES:
        pdf.drawString(72, y, line)
        y -= 14
    pdf.showPage()
    pdf.save()
    return path


def labelled_pdf(path: Path) -> Path:
    """A cover and a table of contents (labels i, ii), then content pages printed as 1..3,
    with an outline (bookmarks) for the sections."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Jaarverslag Circulair 2026")
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawString(72, height - 200, "Jaarverslag Circulair 2026")
    pdf.showPage()
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(72, height - 90, "Inhoudsopgave")
    pdf.setFont("Helvetica", 11)
    for i, (title, page) in enumerate([("Inzameling", 1), ("Hergebruik", 2), ("Vooruitblik", 3)]):
        pdf.drawString(72, height - 120 - 16 * i, f"{title} {'.' * 60} {page}")
    pdf.showPage()
    sections = [
        ("Inzameling", "In 2026 is 4.300 ton grof huishoudelijk afval apart ingezameld in Woerden."),
        ("Hergebruik", "Het reparatiecafé in Zeist repareerde 812 apparaten die anders waren weggegooid."),
        ("Vooruitblik", "In 2027 start een proef met statiegeld op koffiebekers in Amersfoort."),
    ]
    for number, (title, text) in enumerate(sections, start=1):
        key = f"s{number}"
        pdf.bookmarkPage(key)
        pdf.addOutlineEntry(title, key, level=0)
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(72, height - 90, title)
        pdf.setFont("Helvetica", 11)
        pdf.drawString(72, height - 120, text)
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(width / 2, 30, str(number))
        pdf.showPage()
    pdf.addPageLabel(0, style="ROMAN_LOWER", start=1)  # i, ii
    pdf.addPageLabel(2, style="ARABIC", start=1)  # 1, 2, 3
    pdf.save()
    return path


def encrypted_copy(source: Path, target: Path, *, user_password: str = "") -> Path:
    """AES-256 encryption; an empty user password opens in any viewer without a prompt."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=user_password, owner_password="eigenaar-geheim", algorithm="AES-256")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


# --- the policy document as a real PDF -------------------------------------------------
_MD_PAGE = re.compile(r"^<!--\s*page:\s*(\d+)\s*-->$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_MD_BULLET = re.compile(r"^\s*[-*]\s+")
POLICY_HEADER = "Provincie Utrecht · Uitvoeringsagenda Circulaire samenleving 2025-2027"


def _inline(text: str) -> str:
    """Markdown emphasis to reportlab markup; footnote references become superscripts."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"\[\^(\w+)\]", r"<super>\1</super>", text)


def _hyphenate(word: str):
    """A tiny hyphenator (reportlab calls it for long words): split before a consonant
    that follows a vowel, as Dutch syllables mostly break, longest head first."""
    vowels = "aeiouy"
    points = [
        i
        for i in range(4, len(word) - 3)
        if word[i - 1].lower() in vowels and word[i].lower() not in vowels and word[i + 1].lower() in vowels
    ]
    return [(word[:i], word[i:]) for i in reversed(points)]


def policy_pdf(markdown: Path, target: Path, *, columns: int = 1) -> Path:
    """Lay the policy Markdown out as pages: cover, contents, then each ``<!-- page: N -->``
    on its own page, with a running header, a 'Pagina N van M' footer, headings by size and
    weight, hyphenation at line ends, and the Financiën table as a bordered table; in one
    column or two."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    s = _styles()
    body = ParagraphStyle(
        "pbody",
        parent=s["body"],
        fontSize=8.8 if columns == 1 else 8.0,
        leading=10.4 if columns == 1 else 9.4,
        hyphenationLang=_hyphenate,
        embeddedHyphenation=1,
        hyphenationMinWordLength=8,
    )
    bullet = ParagraphStyle("pbullet", parent=body, leftIndent=14, bulletIndent=4)
    note = ParagraphStyle("pnote", parent=body, fontSize=body.fontSize - 1.2, leading=body.leading - 1.4)
    raw = markdown.read_text(encoding="utf-8")
    meta_end = raw.find("\n---", 4)
    lines = raw[meta_end + 4 :].splitlines()
    title = "Uitvoeringsagenda Circulaire samenleving 2025-2027"
    story: list = [Spacer(1, 200), Paragraph(title, s["h1"]), PageBreak(), Paragraph("Inhoudsopgave", s["h2"])]
    toc = [(m.group(2), None) for line in lines if (m := _MD_HEADING.match(line)) and len(m.group(1)) == 2]
    for heading, _ in toc:
        story.append(Paragraph(f"{_inline(heading)} {'.' * 40}", body))
    page, paragraph, i = 2, [], 0

    def flush() -> None:
        if paragraph:
            text = " ".join(paragraph).strip()
            if _MD_BULLET.match(text):
                story.append(Paragraph(_inline(_MD_BULLET.sub("", text)), bullet, bulletText="•"))
            else:
                story.append(Paragraph(_inline(text), body))
            story.append(Spacer(1, 3))
            paragraph.clear()

    while i < len(lines):
        line = lines[i].rstrip()
        if m := _MD_PAGE.match(line.strip()):
            flush()
            if int(m.group(1)) > page:  # footnotes placed back on an earlier page stay here
                story.append(PageBreak())
                page = int(m.group(1))
        elif m := _MD_HEADING.match(line):
            flush()
            level = min(len(m.group(1)), 4)
            story.append(Paragraph(_inline(m.group(2)), s[f"h{level}"]))
        elif line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("| ---"):
            flush()
            rows = [[c.strip() for c in line.strip("|").split("|")]]
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([_inline(c.strip()) for c in lines[i].strip().strip("|").split("|")])
                i += 1
            story.append(_bordered_table(rows, [250, 100, 110] if columns == 1 else [120, 55, 60]))
            continue
        elif footnote := re.match(r"^\[\^(\w+)\]:\s*(.*)$", line):
            flush()
            story.append(Paragraph(f"<super>{footnote.group(1)}</super> {_inline(footnote.group(2))}", note))
        elif not line.strip():
            flush()
        else:
            paragraph.append(line.strip())
        i += 1
    flush()
    draw = _running(POLICY_HEADER, page)
    if columns == 1:
        doc = SimpleDocTemplate(
            str(target), pagesize=A4, title=title, topMargin=58, bottomMargin=46, leftMargin=50, rightMargin=50
        )
        doc.build(story, onFirstPage=lambda c, d: None, onLaterPages=draw)
        return target
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    width, height = A4
    gap, column = 18, (width - 100 - 18) / 2
    frames = [Frame(50 + i * (column + gap), 46, column, height - 104, id=f"c{i}") for i in range(2)]
    doc = BaseDocTemplate(str(target), pagesize=A4, title=title)
    doc.addPageTemplates(
        [PageTemplate(id="cols", frames=frames, onPage=lambda c, d: c.getPageNumber() > 1 and draw(c, d))]
    )
    doc.build(story)
    return target
