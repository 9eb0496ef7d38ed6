// Legation dashboard charts: the timeline's stacked time chart (with a brush) and the events
// map. Hand-written SVG, no libraries; loaded before app.js, which calls window.Charts.
"use strict";

(function () {
  const NS = "http://www.w3.org/2000/svg";
  function el(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text != null) e.textContent = String(text);
    return e;
  }
  const DAY = 86400000;
  const QUAD_COLORS = { "0": "#98a2b3", "1": "#2f7d4f", "2": "#8cc084", "3": "#e39b4b", "4": "#b4372f" };
  const PALETTE = ["#2d5fa8", "#2f7d4f", "#b4372f", "#e39b4b", "#7a4fa8", "#3aa0a8", "#a8873a", "#667085",
    "#d45d9a", "#5d8fd4", "#8cc084", "#c0392b", "#16a085", "#8e44ad", "#f39c12", "#34495e"];
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

  // The [start, end) of a bucket, in ms: a day, the week from its Monday, a month or a year.
  function span(label, precision) {
    if (precision === "year") return [Date.UTC(+label, 0, 1), Date.UTC(+label + 1, 0, 1)];
    if (precision === "month") {
      const [y, m] = label.split("-").map(Number);
      return [Date.UTC(y, m - 1, 1), Date.UTC(y, m, 1)];
    }
    const t = Date.parse(label + "T00:00:00Z");
    return [t, t + (precision === "week" ? 7 : 1) * DAY];
  }

  // Round numbers for an axis from 0 to max (about five ticks).
  function niceTicks(max) {
    const raw = Math.max(1, max) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw));
    const out = [];
    for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
    if (out[out.length - 1] < max) out.push(out[out.length - 1] + step);
    return out;
  }

  // Stacked bars per bucket; coarser-precision buckets (a week or month known only as such)
  // are drawn as their own wider, lighter bars. opts: {width, by, names, onBrush(since, until)}.
  function timeChart(rows, opts) {
    const dated = rows.filter((r) => r.bucket !== "unknown");
    const W = Math.max(300, opts.width || 900), H = 240, M = { l: 40, r: 10, t: 10, b: 28 };
    const s = el("svg", { class: "chart", id: "time-chart", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img" });
    if (!dated.length) { s.append(el("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "no dated events")); return s; }
    const groups = new Map();
    for (const r of dated) {
      const k = r.bucket + "|" + r.precision;
      if (!groups.has(k)) groups.set(k, { bucket: r.bucket, precision: r.precision, parts: [], total: 0 });
      const g = groups.get(k); g.parts.push(r); g.total += r.n;
    }
    const spans = [...groups.values()].map((g) => Object.assign(g, { range: span(g.bucket, g.precision) }));
    const t0 = Math.min(...spans.map((g) => g.range[0])), t1 = Math.max(...spans.map((g) => g.range[1]));
    const pad = (t1 - t0) * 0.02 || DAY;
    const x0 = t0 - pad, x1 = t1 + pad;
    const ticksY = niceTicks(Math.max(...spans.map((g) => g.total)));
    const yMax = ticksY[ticksY.length - 1];
    const X = (t) => M.l + ((t - x0) / (x1 - x0)) * (W - M.l - M.r);
    const Y = (v) => H - M.b - (v / yMax) * (H - M.t - M.b);
    const keys = [...new Set(dated.map((r) => r.key))].sort();
    const color = (k) => (opts.by === "quad" ? QUAD_COLORS[k] : PALETTE[keys.indexOf(k) % PALETTE.length]) || "#667085";
    const axes = el("g", { class: "axes" });
    for (const v of ticksY) {
      axes.append(el("line", { x1: M.l, x2: W - M.r, y1: Y(v), y2: Y(v), class: "grid" }));
      axes.append(el("text", { x: M.l - 6, y: Y(v) + 4, "text-anchor": "end", class: "tick y-tick" }, v));
    }
    const nx = Math.max(2, Math.floor((W - M.l - M.r) / 110));
    for (let i = 0; i <= nx; i++) {
      const t = x0 + ((x1 - x0) * i) / nx;
      axes.append(el("line", { x1: X(t), x2: X(t), y1: H - M.b, y2: H - M.b + 4, class: "axis" }));
      axes.append(el("text", { x: X(t), y: H - 8, "text-anchor": i === 0 ? "start" : i === nx ? "end" : "middle", class: "tick x-tick" },
        (x1 - x0) > 400 * DAY ? iso(t).slice(0, 7) : iso(t)));
    }
    axes.append(el("line", { x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b, class: "axis x-axis" }));
    axes.append(el("line", { x1: M.l, x2: M.l, y1: M.t, y2: H - M.b, class: "axis y-axis" }));
    s.append(axes);
    const bars = el("g", { class: "bars" });
    spans.sort((a, b) => (b.range[1] - b.range[0]) - (a.range[1] - a.range[0]));  // wide ones behind
    for (const g of spans) {
      let acc = 0;
      const left = X(g.range[0]), w = Math.max(2, X(g.range[1]) - left - 1);
      for (const p of g.parts.sort((a, b) => (a.key < b.key ? -1 : 1))) {
        const r = el("rect", { class: "bar" + (g.precision !== opts.bucket ? " coarse" : ""), x: left, width: w,
          y: Y(acc + p.n), height: Math.max(0, Y(acc) - Y(acc + p.n)), fill: color(p.key), "data-bucket": g.bucket, "data-key": p.key });
        r.append(el("title", {}, `${g.bucket}${g.precision !== opts.bucket ? " (" + g.precision + ")" : ""}: ${p.n} ${opts.names[p.key] || p.key}`));
        bars.append(r); acc += p.n;
      }
    }
    s.append(bars);
    brush(s, { X0: M.l, X1: W - M.r, top: M.t, bottom: H - M.b, toTime: (px) => x0 + ((px - M.l) / (W - M.l - M.r)) * (x1 - x0) }, opts.onBrush);
    return s;
  }

  // Dragging across the plot selects a window: onBrush(since, until) with ISO days.
  function brush(s, b, onBrush) {
    const sel = el("rect", { class: "brush", y: b.top, height: b.bottom - b.top, x: 0, width: 0, visibility: "hidden" });
    const hit = el("rect", { class: "brush-area", x: b.X0, y: b.top, width: b.X1 - b.X0, height: b.bottom - b.top, fill: "transparent" });
    s.append(sel, hit);
    let start = null;
    const px = (ev) => {
      const r = s.getBoundingClientRect(), vb = s.viewBox.baseVal;
      return Math.min(b.X1, Math.max(b.X0, ((ev.clientX - r.left) / r.width) * vb.width));
    };
    hit.addEventListener("pointerdown", (ev) => { start = px(ev); hit.setPointerCapture(ev.pointerId); ev.preventDefault(); });
    hit.addEventListener("pointermove", (ev) => {
      if (start == null) return;
      const p = px(ev);
      sel.setAttribute("x", Math.min(start, p)); sel.setAttribute("width", Math.abs(p - start)); sel.setAttribute("visibility", "visible");
    });
    hit.addEventListener("pointerup", (ev) => {
      if (start == null) return;
      const p = px(ev), a = Math.min(start, p), z = Math.max(start, p);
      start = null;
      if (z - a < 4) { sel.setAttribute("visibility", "hidden"); return; }
      onBrush(iso(b.toTime(a)), iso(b.toTime(z)));
    });
  }

  function legend(keys, by, names) {
    const keysSorted = [...keys].sort();
    const box = document.createElement("p");
    box.className = "legend chart-legend";
    for (const k of keysSorted) {
      const item = document.createElement("span");
      const sw = document.createElement("i");
      sw.className = "swatch";
      sw.style.background = (by === "quad" ? QUAD_COLORS[k] : PALETTE[keysSorted.indexOf(k) % PALETTE.length]) || "#667085";
      item.append(sw, " " + (names[k] || k));
      box.append(item);
    }
    return box;
  }

  // The events map: clusters as circles sized by count on an equirectangular lon/lat graticule,
  // fitted to the clusters; country labels at the centroid of each country's events.
  // opts: {onClick(cluster), world: the outline JSON or null}.
  function placesMap(d, opts) {
    const W = 720, H = 360;
    const pts = d.clusters.concat(d.countries);
    let lo0 = -180, lo1 = 180, la0 = -90, la1 = 90;
    if (pts.length) {
      const lons = pts.map((p) => p.lon), lats = pts.map((p) => p.lat);
      lo0 = Math.max(-180, Math.min(...lons) - 15); lo1 = Math.min(180, Math.max(...lons) + 15);
      la0 = Math.max(-90, Math.min(...lats) - 10); la1 = Math.min(90, Math.max(...lats) + 10);
      // Keep the degrees square (equirectangular): widen the narrower side.
      const k = Math.max((lo1 - lo0) / W, (la1 - la0) / H), cx = (lo0 + lo1) / 2, cy = (la0 + la1) / 2;
      lo0 = cx - (k * W) / 2; lo1 = cx + (k * W) / 2; la0 = cy - (k * H) / 2; la1 = cy + (k * H) / 2;
    }
    const X = (lon) => ((lon - lo0) / (lo1 - lo0)) * W, Y = (lat) => ((la1 - lat) / (la1 - la0)) * H;
    const s = el("svg", { class: "map", id: "events-map", viewBox: `0 0 ${W} ${H}`, role: "img" });
    s.append(el("rect", { x: 0, y: 0, width: W, height: H, class: "sea" }));
    const step = lo1 - lo0 > 120 ? 30 : 10, grat = el("g", { class: "graticule" });
    for (let lon = Math.ceil(lo0 / step) * step; lon <= lo1; lon += step) {
      grat.append(el("line", { x1: X(lon), x2: X(lon), y1: 0, y2: H }));
      grat.append(el("text", { x: X(lon) + 2, y: H - 4 }, `${Math.abs(lon)}°${lon < 0 ? "W" : lon > 0 ? "E" : ""}`));
    }
    for (let lat = Math.ceil(la0 / step) * step; lat <= la1; lat += step) {
      grat.append(el("line", { x1: 0, x2: W, y1: Y(lat), y2: Y(lat) }));
      grat.append(el("text", { x: 2, y: Y(lat) - 2 }, `${Math.abs(lat)}°${lat < 0 ? "S" : lat > 0 ? "N" : ""}`));
    }
    s.append(grat);
    // Country outlines (Natural Earth 1:110m, public domain; see scripts/gen_world_outline.py),
    // countries with located events shaded. Drawn under the graticule labels and clusters.
    if (opts.world) {
      const shaded = new Set(d.countries.map((c) => c.country)), land = el("g", { class: "land" });
      for (const c of opts.world.countries) {
        const dPath = c.rings.map((r) => {
          let p = "";
          for (let i = 0; i < r.length; i += 2) p += (i ? "L" : "M") + X(r[i]).toFixed(1) + " " + Y(r[i + 1]).toFixed(1);
          return p + "Z";
        }).join("");
        const path = el("path", { d: dPath, class: shaded.has(c.iso) ? "country-shape active" : "country-shape", "data-iso": c.iso });
        path.append(el("title", {}, c.name));
        land.append(path);
      }
      s.insertBefore(land, grat);
    }
    for (const c of d.countries) s.append(el("text", { x: X(c.lon), y: Y(c.lat) - 14, class: "country", "text-anchor": "middle" }, c.country));
    const max = Math.max(1, ...d.clusters.map((c) => c.n));
    for (const c of d.clusters) {
      const circle = el("circle", { class: "cluster", cx: X(c.lon), cy: Y(c.lat), r: 4 + 14 * Math.sqrt(c.n / max), "data-n": c.n, "data-place": c.places[0].name || "" });
      circle.append(el("title", {}, `${c.n} events: ` + c.places.map((p) => `${p.name || "?"} (${p.country || "?"}) ${p.n}`).join(", ")));
      circle.addEventListener("click", () => opts.onClick(c));
      s.append(circle);
    }
    return s;
  }

  window.Charts = { timeChart, legend, placesMap, span };
})();
