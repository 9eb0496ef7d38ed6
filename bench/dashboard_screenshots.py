"""Screenshots of every dashboard view at 1280 and 390 px (dev tool: docs/screenshots/).

    .venv/bin/legation ingest ../shared/seeds --db /tmp/seeds.duckdb
    .venv/bin/python bench/dashboard_screenshots.py /tmp/seeds.duckdb /tmp/shots

Serves the database with uvicorn on a free local port, opens each view in Debian's Chromium
and prints the console errors each view logged (none expected).
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright import sync_api

from legation.api.app import create_app

db = sys.argv[1]
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
threading.Thread(target=server.run, daemon=True).start()
while not server.started:
    time.sleep(0.1)
base = f"http://127.0.0.1:{port}/"
views = [
    "",
    "#/events",
    "#/articles",
    "#/actors",
    "#/claims",
    "#/claims?disputed=true",
    "#/agreements?party=EU",
    "#/network",
    "#/map",
    "#/stories",
    "#/search?q=north%20kor",
    "#/alerts",
]
with sync_api.sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    for w in (1280, 390):
        pg = b.new_page(viewport={"width": w, "height": 900})
        errs: list[str] = []
        pg.on("console", lambda m, errs=errs: errs.append(m.text) if m.type == "error" else None)
        for v in views:
            pg.goto(base + v)
            pg.wait_for_timeout(1200)
            name = (
                v.strip("#/").replace("?", "-").replace("=", "-").replace("&", "-").replace("%20", "_")
                or "overview"
            ) + f"-{w}.png"
            pg.screenshot(path=str(out / name), full_page=False)
            print(name, "console errors:", errs[-1:] if errs else 0)
    b.close()
server.should_exit = True
