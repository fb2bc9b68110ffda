"""Certificates: one PDF per winning team (a page per prize), and all of them as a ZIP.

The DejaVu Sans font ships inside this package (fonts/, with its licence), so
Vietnamese diacritics render the same on every server, whatever fonts it has.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import Award, Publication

FONT = "DejaVu"
# fpdf2 subsets fonts through fontTools, which logs every glyph at INFO level.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class CertificateLine:
    prize: str
    entry_title: str


@dataclass(frozen=True)
class Certificate:
    team_id: int
    team: str
    unit: str
    contest: str
    organizer: str
    signed_off: str
    lines: tuple[CertificateLine, ...]

    @property
    def filename(self) -> str:
        return f"{slugify(self.team, allow_unicode=False) or self.team_id}-{self.team_id}.pdf"


def certificates_for(publication: Publication) -> list[Certificate]:
    """The certificates of a publication, one per winning team, in prize order."""
    awards = (
        Award.objects.filter(publication=publication)
        .select_related("tier", "entry__team", "entry__unit")
        .order_by("tier__position", "place")
    )
    contest = publication.contest
    signed = timezone.localtime(publication.published_at).strftime("%d/%m/%Y")
    by_team: dict[int, list[Award]] = defaultdict(list)
    for award in awards:
        by_team[award.entry.team_id].append(award)
    return [
        Certificate(
            team_id=team_id,
            team=items[0].entry.team.name,
            unit=items[0].entry.unit.name,
            contest=contest.title,
            organizer=contest.organizer_name or str(contest.organizer_unit),
            signed_off=signed,
            lines=tuple(CertificateLine(a.tier.name, a.entry.title) for a in items),
        )
        for team_id, items in by_team.items()
    ]


def _pdf() -> FPDF:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_auto_page_break(auto=False)
    fonts = resources.files("clipcontest.results") / "fonts"
    with resources.as_file(fonts / "DejaVuSans.ttf") as regular:
        pdf.add_font(FONT, "", str(regular))
    with resources.as_file(fonts / "DejaVuSans-Bold.ttf") as bold:
        pdf.add_font(FONT, "B", str(bold))
    return pdf


def _centered(pdf: FPDF, text: str, size: int, *, bold: bool = False, gap: float = 4) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def render(certificate: Certificate, *, language: str) -> bytes:
    """The certificate as PDF bytes, its fixed words in ``language``."""
    pdf = _pdf()
    pdf.set_title(f"{certificate.contest} — {certificate.team}")
    with translation.override(language):
        for line in certificate.lines:
            pdf.add_page()
            pdf.set_draw_color(176, 38, 38)
            pdf.set_line_width(1.2)
            pdf.rect(10, 10, 277, 190)
            pdf.set_line_width(0.4)
            pdf.rect(14, 14, 269, 182)
            pdf.set_xy(20, 24)
            pdf.set_text_color(40, 40, 40)
            _centered(pdf, certificate.organizer.upper(), 13, bold=True)
            _centered(pdf, _("CERTIFICATE").upper(), 30, bold=True, gap=6)
            _centered(pdf, _("awarded to"), 13)
            pdf.set_text_color(176, 38, 38)
            _centered(pdf, certificate.team, 22, bold=True, gap=2)
            pdf.set_text_color(40, 40, 40)
            _centered(pdf, certificate.unit, 13, gap=6)
            _centered(pdf, _("for the entry"), 12, gap=2)
            _centered(pdf, f"“{line.entry_title}”", 15, bold=True, gap=6)
            pdf.set_text_color(176, 38, 38)
            _centered(pdf, line.prize, 20, bold=True, gap=6)
            pdf.set_text_color(40, 40, 40)
            _centered(pdf, certificate.contest, 13)
            pdf.set_xy(150, 170)
            pdf.set_font(FONT, "", 12)
            pdf.cell(
                120, 8, _("Signed off on %(date)s") % {"date": certificate.signed_off}, align="C"
            )
    return bytes(pdf.output())


def zip_all(certificates: Iterable[Certificate], *, language: str) -> bytes:
    """Every certificate in one ZIP archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(certificate.filename, render(certificate, language=language))
    return buffer.getvalue()
