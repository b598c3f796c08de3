"""Small builders for WXR text used by several test modules."""

from __future__ import annotations

import os
from pathlib import Path

# The real exports of ../shared/corpus, or wherever WXR_CORPUS points: tests that need them skip
# when the folder is missing.
CORPUS = Path(os.environ.get("WXR_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="{ns}excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="{ns}"
>
<channel>
\t<title>StackOps</title>
\t<link>http://www.stackops.com</link>
\t<description>Cloud</description>
\t<language>es-ES</language>
\t<wp:wxr_version>{version}</wp:wxr_version>
\t<wp:base_site_url>http://www.stackops.com</wp:base_site_url>
\t<wp:base_blog_url>http://www.stackops.com</wp:base_blog_url>
\t<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[diego]]></wp:author_login><wp:author_email><![CDATA[d@example.com]]></wp:author_email><wp:author_display_name><![CDATA[Diego Parrilla]]></wp:author_display_name></wp:author>
\t<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[cloud]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Cloud]]></wp:cat_name></wp:category>
\t<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename><![CDATA[openstack]]></wp:category_nicename><wp:category_parent><![CDATA[cloud]]></wp:category_parent><wp:cat_name><![CDATA[OpenStack]]></wp:cat_name></wp:category>
\t<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug><![CDATA[boston]]></wp:tag_slug><wp:tag_name><![CDATA[Boston]]></wp:tag_name></wp:tag>
\t<wp:term><wp:term_id>12</wp:term_id><wp:term_taxonomy><![CDATA[genre]]></wp:term_taxonomy><wp:term_slug><![CDATA[jazz]]></wp:term_slug><wp:term_parent><![CDATA[]]></wp:term_parent><wp:term_name><![CDATA[Jazz]]></wp:term_name></wp:term>
"""


def item(
    post_id: int,
    title: str = "Hola",
    *,
    post_type: str = "post",
    status: str = "publish",
    slug: str | None = None,
    content: str = "<p>Texto</p>",
    link: str | None = None,
    date: str = "2011-10-03 15:20:25",
    date_gmt: str = "2011-10-03 13:20:25",
    parent: int = 0,
    menu_order: int = 0,
    password: str = "",
    extra: str = "",
) -> str:
    slug = f"post-{post_id}" if slug is None else slug
    link = f"http://www.stackops.com/2011/10/03/{slug}/" if link is None else link
    return f"""
\t<item>
\t\t<title>{title}</title>
\t\t<link>{link}</link>
\t\t<pubDate>Mon, 03 Oct 2011 13:20:25 +0000</pubDate>
\t\t<dc:creator><![CDATA[diego]]></dc:creator>
\t\t<guid isPermaLink="false">http://www.stackops.com/?p={post_id}</guid>
\t\t<description></description>
\t\t<content:encoded><![CDATA[{content}]]></content:encoded>
\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>
\t\t<wp:post_id>{post_id}</wp:post_id>
\t\t<wp:post_date><![CDATA[{date}]]></wp:post_date>
\t\t<wp:post_date_gmt><![CDATA[{date_gmt}]]></wp:post_date_gmt>
\t\t<wp:post_modified><![CDATA[{date}]]></wp:post_modified>
\t\t<wp:post_modified_gmt><![CDATA[{date_gmt}]]></wp:post_modified_gmt>
\t\t<wp:comment_status><![CDATA[open]]></wp:comment_status>
\t\t<wp:ping_status><![CDATA[open]]></wp:ping_status>
\t\t<wp:post_name><![CDATA[{slug}]]></wp:post_name>
\t\t<wp:status><![CDATA[{status}]]></wp:status>
\t\t<wp:post_parent>{parent}</wp:post_parent>
\t\t<wp:menu_order>{menu_order}</wp:menu_order>
\t\t<wp:post_type><![CDATA[{post_type}]]></wp:post_type>
\t\t<wp:post_password><![CDATA[{password}]]></wp:post_password>
\t\t<wp:is_sticky>0</wp:is_sticky>{extra}
\t</item>"""


def meta(key: str, value: str) -> str:
    return f"""
\t\t<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key><wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"""


def category(domain: str, nicename: str, name: str) -> str:
    return f'\n\t\t<category domain="{domain}" nicename="{nicename}"><![CDATA[{name}]]></category>'


def wxr(
    *items: str,
    ns: str = "http://wordpress.org/export/1.2/",
    version: str = "1.2",
    base_url: str = "http://www.stackops.com",
) -> str:
    head = HEAD.format(ns=ns, version=version).replace("http://www.stackops.com", base_url)
    return head + "".join(items) + "\n</channel>\n</rss>\n"


def write_wxr(path: Path, *items: str, **kwargs: str) -> Path:
    path.write_text(wxr(*items, **kwargs), encoding="utf-8")
    return path


class StallingServer:
    """A host that accepts connections and never answers: a plain socket on 127.0.0.1, in a thread.

    `with StallingServer() as server:` → `server.url`, `server.accepted` (connections so far). It
    stops by itself after `lifetime` seconds, so a failing test cannot leave it running."""

    def __init__(self, lifetime: float = 30.0) -> None:
        import socket
        import threading

        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._lifetime = lifetime
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        import time

        deadline = time.monotonic() + self._lifetime
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            self._held.append(connection)  # read nothing, answer nothing
            self.accepted += 1
        for connection in self._held:
            connection.close()
        self._socket.close()

    def __enter__(self) -> StallingServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
