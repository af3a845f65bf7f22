"""The monthly report as a PDF (reportlab): a title, then one table per indicator."""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

Lines = list[tuple[str, str]]


def report_pdf(title: str, note: str, sections: list[tuple[str, str, Lines]]) -> bytes:
    """The report's PDF bytes (tagged with its title and language), `note` under the title
    (what « masqué » means: `labels.hidden_note`)."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"Observatoire Entraide — {title}",
        author="Réseau Entraide",
        lang="fr-FR",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )
    styles = getSampleStyleSheet()
    story: list[object] = [
        Paragraph(f"Observatoire Entraide — {title}", styles["Title"]),
        Paragraph(note, styles["BodyText"]),
        Spacer(1, 0.4 * cm),
    ]
    for heading, column, lines in sections:
        rows = [[column, "Chiffre"], *[[value, figure] for value, figure in lines]]
        if len(rows) == 1:
            rows.append(["—", "aucun chiffre"])
        table = Table(rows, colWidths=[11 * cm, 5 * cm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#000091")),
                    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("ALIGN", (1, 1), (1, -1), "RIGHT"),
                ]
            )
        )
        story.append(KeepTogether([Paragraph(heading, styles["Heading3"]), table]))
        story.append(Spacer(1, 0.3 * cm))
    doc.build(story)
    return out.getvalue()
