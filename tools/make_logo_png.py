"""Make templates/coventry-hdrc/logo.png, the PNG twin of logo.svg for DOCX.

python-docx cannot place SVG images, so the DOCX header uses this PNG. Run it again after
changing the wordmark or its colours:

    python tools/make_logo_png.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from scopekit.render.fonts import package_file

ROOT = Path(__file__).resolve().parents[1]
NAVY, MUTED = (0x19, 0x3E, 0x72, 255), (0x50, 0x5A, 0x5F, 255)
SCALE = 4  # pixels per SVG unit: 1200 x 176 px for the 300 x 44 viewBox


def main() -> None:
    bold = package_file("fontpkg_atkinson_hyperlegible", "AtkinsonHyperlegible-Bold.ttf")
    regular = package_file("fontpkg_atkinson_hyperlegible", "AtkinsonHyperlegible-Regular.ttf")
    image = Image.new("RGBA", (300 * SCALE, 44 * SCALE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.text(
        (0, 20 * SCALE),
        "HDRC Coventry",
        font=ImageFont.truetype(str(bold), 19 * SCALE),
        fill=NAVY,
        anchor="ls",
    )
    draw.text(
        (0, 38 * SCALE),
        "NIHR Health Determinants Research Collaboration",
        font=ImageFont.truetype(str(regular), 11 * SCALE),
        fill=MUTED,
        anchor="ls",
    )
    out = ROOT / "templates" / "coventry-hdrc" / "logo.png"
    image.save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main()
