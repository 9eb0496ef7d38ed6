"""Generate the dashboard map's world outline from Natural Earth's 1:110m countries.

Natural Earth (https://www.naturalearthdata.com) is in the public domain. Its 1:110m
Admin 0 countries layer ships, unchanged, inside the PyPI wheel of geopandas 0.14.x as
``geopandas/datasets/naturalearth_lowres/naturalearth_lowres.{shp,dbf}``; this script reads
those two files straight out of the wheel (a zip: geopandas is not installed or imported)
and writes ``src/legation/web/static/world-110m.json``, which is committed. ``make outline``
downloads the wheel with pip and runs it; nothing is fetched at run time.

The output keeps, per country, its ISO 3166 alpha-3 code, its name and its rings as flat
``[lon, lat, lon, lat, ...]`` lists rounded to 0.1 degree (at 1:110m a vertex is ~1 km
accurate at best; 0.1 degree is ~11 km, invisible at the map's 720 px for the world) with
Douglas-Peucker simplification at ``TOLERANCE`` degrees. Rings that collapse to fewer than
four points are dropped (small islands vanish at this scale; their events still draw).

Usage: python scripts/gen_world_outline.py WHEEL_OR_DIR [OUT]
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path

TOLERANCE = 0.15  # degrees; calibrated by eye at 720 px and by size: 0.15 -> ~70 KB
DIGITS = 1
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = Path(__file__).resolve().parent.parent / "src" / "legation" / "web" / "static" / "world-110m.json"

Ring = list[tuple[float, float]]


def read_member(src: Path, suffix: str) -> bytes:
    """One file of the dataset, from the wheel (zip) or from an unpacked folder."""
    if src.is_dir():
        return (src / f"{MEMBER}{suffix}").read_bytes()
    with zipfile.ZipFile(src) as z:
        return z.read(f"{MEMBER}{suffix}")


def parse_shp(data: bytes) -> list[list[Ring]]:
    """Polygon records (shape type 5) of an ESRI shapefile: each a list of rings."""
    if struct.unpack(">i", data[:4])[0] != 9994:
        raise ValueError("not a shapefile (file code is not 9994)")
    out: list[list[Ring]] = []
    pos = 100
    while pos + 8 <= len(data):
        length = struct.unpack(">i", data[pos + 4 : pos + 8])[0] * 2
        rec = data[pos + 8 : pos + 8 + length]
        pos += 8 + length
        kind = struct.unpack("<i", rec[:4])[0]
        if kind == 0:  # null shape
            out.append([])
            continue
        if kind != 5:
            raise ValueError(f"shape type {kind} is not a polygon")
        n_parts, n_points = struct.unpack("<ii", rec[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", rec[44 : 44 + 4 * n_parts])) + [n_points]
        base = 44 + 4 * n_parts
        pts = [struct.unpack("<dd", rec[base + 16 * i : base + 16 * i + 16]) for i in range(n_points)]
        out.append([pts[parts[i] : parts[i + 1]] for i in range(n_parts)])
    return out


def parse_dbf(data: bytes) -> list[dict[str, str]]:
    """The records of a dBASE III table, every field as stripped text."""
    n, header, size = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(n):
        rec = data[header + i * size : header + (i + 1) * size]
        off, row = 1, {}
        for name, width in fields:
            row[name] = rec[off : off + width].decode("utf-8", "replace").strip()
            off += width
        rows.append(row)
    return rows


def simplify(ring: Ring, tol: float) -> Ring:
    """Douglas-Peucker on a closed ring, iteratively (no recursion limit on long rings)."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = ring[a], ring[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, best_d = -1, tol
        for i in range(a + 1, b):
            x, y = ring[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best_d:
                best, best_d = i, d
        if best >= 0:
            keep[best] = True
            stack += [(a, best), (best, b)]
    return [p for p, k in zip(ring, keep, strict=True) if k]


def outline(shapes: list[list[Ring]], rows: list[dict[str, str]], tol: float = TOLERANCE) -> dict[str, object]:
    """The committed outline: countries with code, name and simplified, rounded rings."""
    countries = []
    for rings, row in zip(shapes, rows, strict=True):
        flat = []
        for ring in rings:
            pts = [(round(x, DIGITS), round(y, DIGITS)) for x, y in simplify(ring, tol)]
            pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
            if len(pts) >= 4:
                flat.append([c for p in pts for c in p])
        if flat:
            iso = row.get("iso_a3", "")
            iso = iso if len(iso) == 3 and iso.isalpha() else ""  # Natural Earth's "-99": no code
            countries.append({"iso": iso, "name": row.get("name", ""), "rings": flat})
    countries.sort(key=lambda c: (str(c["iso"]), str(c["name"])))
    return {
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), as shipped in geopandas 0.14 "
        "(datasets/naturalearth_lowres); generated by scripts/gen_world_outline.py",
        "tolerance_degrees": tol,
        "countries": countries,
    }


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    src = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else OUT
    doc = outline(parse_shp(read_member(src, ".shp")), parse_dbf(read_member(src, ".dbf")))
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    n = len(doc["countries"])  # type: ignore[arg-type]
    print(f"{out}: {n} countries, {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
