"""Draws assets/icon.png (256x256): two stacked flashcards on an orange tile. Pure Python.

Run: python3 assets/make_icon.py
"""
import struct
import zlib

N = 256
px = [[(0, 0, 0, 0)] * N for _ in range(N)]


def rounded(x0, y0, x1, y1, r, color):
    for y in range(max(0, y0), min(N, y1)):
        for x in range(max(0, x0), min(N, x1)):
            cx = min(max(x, x0 + r), x1 - 1 - r)
            cy = min(max(y, y0 + r), y1 - 1 - r)
            if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
                px[y][x] = color


ORANGE = (255, 153, 0, 255)
NAVY = (35, 47, 62, 255)
WHITE = (250, 250, 250, 255)
GREY = (200, 205, 212, 255)

rounded(8, 8, 248, 248, 48, NAVY)
rounded(60, 50, 212, 150, 14, GREY)        # back card
rounded(44, 86, 200, 198, 14, WHITE)       # front card
rounded(64, 112, 180, 126, 6, ORANGE)      # text lines
rounded(64, 140, 156, 152, 6, NAVY)
rounded(64, 164, 130, 176, 6, NAVY)

raw = b"".join(b"\x00" + b"".join(struct.pack("4B", *p) for p in row) for row in px)


def chunk(kind, data):
    c = kind + data
    return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)


png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open(__file__.replace("make_icon.py", "icon.png"), "wb").write(png)
