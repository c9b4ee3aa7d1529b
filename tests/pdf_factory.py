"""Small PDFs for tests, built with reportlab so that every input is generated, never committed.

Each builder writes one file and returns its path. reportlab runs with ``invariant=1`` (fixed
dates and document id), so the same call always gives the same bytes. Coordinates are given as
distances from the page's top edge, the way pdfplumber reports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

PAGE_W, PAGE_H = 612.0, 792.0
LEFT = 36.0
DESCRIPTION_X = 320.0
HISTORY_TEXT_X = 128.0
BOLD, REGULAR = "Helvetica-Bold", "Helvetica"

POLICY_NUMBER = "2099D0001A"
EFFECTIVE_DATE = "January 1, 2099"
CODE = ("J9999", "Injection, testumab, 1 mg")
REVISION_DATE = "01/01/2099"
REVISION_ITEM = "Added criteria for testumab"

PROSE = (
    "The harbour was quiet that morning, and the fishing boats rocked gently at their moorings.",
    "Gulls circled above the market stalls while the vendors set out baskets of bread and fruit.",
    "By noon the square had filled with visitors who had come to hear the band play by the river.",
)


class _Page:
    """A canvas that writes lines top-down, so builders read like the page they draw."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.top = 40.0

    def text(self, text: str, size: float = 10.0, font: str = REGULAR, x: float = LEFT) -> None:
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, PAGE_H - self.top - size, text)

    def line(self, text: str, size: float = 10.0, font: str = REGULAR, x: float = LEFT) -> None:
        """Write text and move down one line."""
        self.text(text, size, font, x)
        self.down(size * 1.4)

    def down(self, points: float) -> None:
        self.top += points

    def new_page(self) -> None:
        self.canvas.showPage()
        self.top = 40.0


@contextmanager
def _pdf(path: Path, **options: object) -> Iterator[_Page]:
    canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, **options)
    yield _Page(canvas)
    canvas.showPage()
    canvas.save()


def policy_pdf(
    path: Path, number: str = POLICY_NUMBER, filler_pages: int = 0, bullet: str | None = None
) -> Path:
    """A UnitedHealthcare-like drug policy: front matter, coverage, one code, one revision.

    ``filler_pages`` adds pages of coverage text between the front page and the codes, to make
    a file big enough that a truncated copy loses whole pages. The revision's bullet is a small
    filled disc, as the real template draws it, unless ``bullet`` gives a glyph to print instead.
    """
    with _pdf(path) as page:
        _front_matter(page, number)
        _coverage(page, filler_pages)
        _codes(page)
        _history(page, bullet)
    return path


def _front_matter(page: _Page, number: str) -> None:
    page.line("Testumab (Examplia)", size=20, font=BOLD)
    page.line(f"Policy Number: {number}", font=BOLD)
    page.line(f"Effective Date: {EFFECTIVE_DATE}", font=BOLD)
    page.down(12)


def _coverage(page: _Page, filler_pages: int) -> None:
    page.line("Coverage Rationale", size=14, font=BOLD)
    page.line("Testumab is proven and medically necessary when all of the following are met:")
    for n in range(filler_pages):
        page.new_page()
        for i in range(40):
            page.line(f"Criterion {n + 1}.{i + 1}: the patient meets requirement {i + 1}.")
    page.down(12)


def _codes(page: _Page) -> None:
    page.line("Applicable Codes", size=14, font=BOLD)
    page.text("HCPCS Code", font=BOLD)
    page.line("Description", font=BOLD, x=DESCRIPTION_X)
    page.text(CODE[0])
    page.line(CODE[1], x=DESCRIPTION_X)
    page.down(12)


def _history(page: _Page, bullet: str | None) -> None:
    page.line("Policy History/Revision Information", size=14, font=BOLD)
    page.text("Date", font=BOLD)
    page.line("Summary of Changes", font=BOLD, x=HISTORY_TEXT_X)
    page.text(REVISION_DATE)
    page.line("Coverage Rationale", font=BOLD, x=HISTORY_TEXT_X)
    if bullet is None:
        page.canvas.circle(HISTORY_TEXT_X + 2, PAGE_H - page.top - 6.5, 2, stroke=0, fill=1)
    else:
        page.text(bullet, x=HISTORY_TEXT_X)
    page.line(REVISION_ITEM, x=HISTORY_TEXT_X + 10)


# A font with the box-drawing "─" some policy templates print as a list bullet.
BOX_DRAWING_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# Criteria nested five levels deep: (bullet, text), the bullet printed 18 points left of the
# text at each level.
NESTED_CRITERIA = (
    ("•", "For initial therapy, all of the following:"),
    ("o", "Diagnosis of homozygous familial hypercholesterolemia by one of the following:"),
    ("▪", "Genetic confirmation of two mutant alleles; or"),
    ("▪", "Clinical diagnosis based on both of the following:"),
    ("─", "Untreated LDL-C greater than 500 mg/dL; and"),
    ("─", "One of the following:"),
    ("•", "Cutaneous or tendonous xanthoma before 10 years of age; or"),
    ("•", "Untreated LDL-C levels consistent with heterozygous FH in both parents"),
)
NESTED_LEVELS = (1, 2, 3, 3, 4, 4, 5, 5)


def nested_list_pdf(path: Path) -> Path:
    """A policy whose fourth list level is bulleted with a box-drawing "─" (needs DejaVu Sans)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("BoxDrawing", str(BOX_DRAWING_FONT)))
    with _pdf(path) as page:
        _front_matter(page, POLICY_NUMBER)
        page.line("Coverage Rationale", size=14, font=BOLD)
        page.line("Testumab is proven and medically necessary when all of the following are met:")
        for (bullet, text), level in zip(NESTED_CRITERIA, NESTED_LEVELS, strict=True):
            font = "Courier" if bullet == "o" else "BoxDrawing"
            page.text(bullet, font=font, x=LEFT + 18 * level - 14)
            page.line(text, x=LEFT + 18 * level)
        page.down(12)
        _codes(page)
    return path


def prose_pdf(path: Path) -> Path:
    """A page of ordinary prose: text, but no policy number and no headings."""
    with _pdf(path) as page:
        for _ in range(5):
            for sentence in PROSE:
                page.line(sentence)
    return path


def image_only_pdf(path: Path) -> Path:
    """A page holding nothing but a raster image, like a scan."""
    with _pdf(path) as page:
        page.canvas.drawImage(_gradient(200, 100), LEFT, PAGE_H - 400, 400, 200)
    return path


def _gradient(width: int, height: int) -> ImageReader:
    data = bytes(v for y in range(height) for x in range(width) for v in (x % 256, y, 128))
    return ImageReader(Image.frombytes("RGB", (width, height), data))


def encrypted_pdf(path: Path, user_password: str = "secret") -> Path:
    """A policy that cannot be opened without its user password."""
    encryption = StandardEncryption(user_password, ownerPassword="owner", strength=128)
    with _pdf(path, encrypt=encryption) as page:
        page.line("Testumab (Examplia)", size=20, font=BOLD)
        page.line(f"Policy Number: {POLICY_NUMBER}", font=BOLD)
    return path


def truncated_pdf(path: Path, keep: float = 0.4) -> Path:
    """The first ``keep`` share of the bytes of a valid multi-page policy."""
    policy_pdf(path, filler_pages=3)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def corrupt_pdf(path: Path) -> Path:
    """A valid PDF header followed by bytes that are no PDF syntax at all."""
    garbage = bytes((i * 131 + 7) % 256 for i in range(4096))
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + garbage)
    return path
