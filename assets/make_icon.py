"""Draws the app icon: two stacked flashcards on a navy tile. Pure Python.

Writes assets/icon.png (256x256, compiled into the app as its window icon) and
assets/icons/NxN.png for each size of the hicolor theme that the Debian package installs.
Each size is drawn at 4x and averaged down, so small sizes stay smooth.

Run: python3 assets/make_icon.py
"""
import os
import struct
import zlib

DESIGN = 256  # the coordinates below are on a 256x256 tile
SIZES = [16, 24, 32, 48, 64, 128, 256]
OVERSAMPLE = 4

ORANGE = (255, 153, 0, 255)
NAVY = (35, 47, 62, 255)
WHITE = (250, 250, 250, 255)
GREY = (200, 205, 212, 255)

SHAPES = [
    ((8, 8, 248, 248), 48, NAVY),
    ((60, 50, 212, 150), 14, GREY),  # back card
    ((44, 86, 200, 198), 14, WHITE),  # front card
    ((64, 112, 180, 126), 6, ORANGE),  # text lines
    ((64, 140, 156, 152), 6, NAVY),
    ((64, 164, 130, 176), 6, NAVY),
]


def draw(n):
    """The icon at n x n pixels, as rows of RGBA tuples."""
    big = n * OVERSAMPLE
    scale = big / DESIGN
    px = [[(0, 0, 0, 0)] * big for _ in range(big)]
    for (x0, y0, x1, y1), r, color in SHAPES:
        x0, y0, x1, y1, r = (v * scale for v in (x0, y0, x1, y1, r))
        for y in range(max(0, int(y0)), min(big, int(y1) + 1)):
            for x in range(max(0, int(x0)), min(big, int(x1) + 1)):
                fx, fy = x + 0.5, y + 0.5
                if not (x0 <= fx < x1 and y0 <= fy < y1):
                    continue
                cx = min(max(fx, x0 + r), x1 - r)
                cy = min(max(fy, y0 + r), y1 - r)
                if (fx - cx) ** 2 + (fy - cy) ** 2 <= r * r:
                    px[y][x] = color
    out = []
    for y in range(n):
        row = []
        for x in range(n):
            block = [
                px[y * OVERSAMPLE + j][x * OVERSAMPLE + i]
                for j in range(OVERSAMPLE)
                for i in range(OVERSAMPLE)
            ]
            alpha = sum(p[3] for p in block)
            if alpha == 0:
                row.append((0, 0, 0, 0))
                continue
            # Colour weighted by coverage, so edges do not darken.
            rgb = [round(sum(p[c] * p[3] for p in block) / alpha) for c in range(3)]
            row.append((*rgb, round(alpha / len(block))))
        out.append(row)
    return out


def png(rows):
    n = len(rows)
    raw = b"".join(b"\x00" + b"".join(struct.pack("4B", *p) for p in row) for row in rows)

    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, "icons"), exist_ok=True)
for size in SIZES:
    data = png(draw(size))
    with open(os.path.join(here, "icons", f"{size}x{size}.png"), "wb") as f:
        f.write(data)
    if size == 256:
        with open(os.path.join(here, "icon.png"), "wb") as f:
            f.write(data)
