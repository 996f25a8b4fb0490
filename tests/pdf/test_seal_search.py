"""The seal search on a copy weighs every candidate spot at once (NumPy): it must choose exactly the spot
the plain one-spot-at-a-time search chooses, on blank, busy and half-filled pages, with and without places
to avoid."""

from __future__ import annotations

import random

import pytest

from docgen.pdf.stamp import CELL, MM, STEP, Ink, copy_seal_place


def one_at_a_time(ink: Ink, diameter: float, avoid=(), prefer=None, margin: float = 8 * MM):
    """The search written plainly, spot by spot (the reference the vectorised search is held to)."""
    from PIL import Image

    w, h = ink.width, ink.height
    prefer = prefer or (w - 25 * MM - diameter / 2, 35 * MM + diameter / 2)
    im = Image.frombytes("L", (ink.cols, ink.rows), ink.weights)
    cols, rows = (ink.cols + CELL - 1) // CELL, (ink.rows + CELL - 1) // CELL
    coarse = im.resize((cols, rows), Image.Resampling.BOX).tobytes()
    per_pt = cols / w
    table = [[0] * (cols + 1)]
    for r in range(rows):
        acc, line, above = 0, [0], table[-1]
        for c, v in enumerate(coarse[r * cols:(r + 1) * cols]):
            acc += v
            line.append(above[c + 1] + acc)
        table.append(line)

    def box(c0, r0, c1, r1):
        c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, cols), min(r1, rows)
        if c0 >= c1 or r0 >= r1:
            return 0
        return table[r1][c1] - table[r0][c1] - table[r1][c0] + table[r0][c0]

    radius = diameter / 2 * per_pt
    a, b, t = round(radius), round(0.8 * radius), round(0.6 * radius)

    def disc(c, r):
        return (box(c - a, r - t, c + a + 1, r + t + 1) + box(c - b, r - b, c + b + 1, r + b + 1)
                + box(c - t, r - a, c + t + 1, r + a + 1) - box(c - b, r - t, c + b + 1, r + t + 1)
                - box(c - t, r - b, c + t + 1, r + b + 1))

    rad = diameter / 2
    best = None
    spots = [(prefer[0], prefer[1], int(prefer[0] * per_pt), int((h - prefer[1]) * per_pt))]
    spots += [((c + 0.5) / per_pt, h - (r + 0.5) / per_pt, c, r) for r in range(0, rows, STEP)
              for c in range(0, cols, STEP)]
    for cx, cy, c, r in spots:
        if cy - rad < margin or cy + rad > h - margin or cx - rad < margin or cx + rad > w - margin:
            continue
        if any(cx + rad > x0 and cx - rad < x1 and cy + rad > y0 and cy - rad < y1 for x0, y0, x1, y1 in avoid):
            continue
        covered = disc(c, r) / 255 * CELL * CELL
        cost = covered + ((cx - prefer[0]) ** 2 + (cy - prefer[1]) ** 2) ** 0.5 / MM / 40
        if best is None or cost < best[0]:
            best = (cost, cx, cy, covered)
    return (prefer[0], prefer[1], float("nan")) if best is None else best[1:]


def page(seed: int, blocks: int) -> Ink:
    """An A4 page at 36 dpi with *blocks* rectangles of text-like, light or dark ink."""
    rnd = random.Random(seed)
    cols, rows = 298, 421
    weights = bytearray(cols * rows)
    for _ in range(blocks):
        x, y = rnd.randrange(cols), rnd.randrange(rows)
        bw, bh, v = rnd.randint(1, 150), rnd.randint(1, 60), rnd.choice([3, 128, 255])
        for r in range(y, min(rows, y + bh)):
            end = min(cols, x + bw)
            weights[r * cols + x:r * cols + end] = bytes([v]) * (end - x)
    return Ink(595.3, 841.9, cols, rows, bytes(weights))


@pytest.mark.parametrize("seed", range(12))
def test_vectorised_search_chooses_what_the_plain_search_chooses(seed):
    ink = page(seed, [0, 3, 12, 40, 120, 400][seed % 6])
    for diameter in (30 * MM, 42 * MM, 58 * MM):
        for avoid in ((), [(272, 20, 324, 60)], [(560, 300, 595.3, 540), (0, 0, 595.3, 200)]):
            got = copy_seal_place(ink, diameter, avoid)
            want = one_at_a_time(ink, diameter, avoid)
            assert got[:2] == want[:2] and (got[2] == want[2] or got[2] != got[2] and want[2] != want[2]), \
                (seed, diameter, avoid, got, want)


def test_a_page_with_no_room_keeps_the_usual_spot():
    ink = page(1, 0)
    got = copy_seal_place(ink, 42 * MM, [(0, 0, 595.3, 841.9)])
    assert got[2] != got[2]  # nothing allowed: the usual spot, coverage unknown
    assert got[:2] == (595.3 - 25 * MM - 21 * MM, 35 * MM + 21 * MM)
