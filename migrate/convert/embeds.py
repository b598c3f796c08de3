"""Embeds: a video/tweet URL → the Hugo built-in shortcode for it, anything else → a plain link.

Hugo 0.168 ships `youtube`, `vimeo`, `x` (tweets; `twitter`/`tweet` were removed in 0.156) and
`instagram`; `gist` was removed in 0.156, so gists become links with a warning. Dailymotion has no
Hugo shortcode: its player `<iframe>` is kept as raw HTML, like other iframes, and listed. WordPress
also embeds a provider URL standing alone on its own line (or alone in a `<p>`), which `autoembed`
mirrors.

Jekyll has no built-in embeds: its posts get the HTML the providers publish for embedding (a player
`<iframe>`, a gist's `<script>`, a tweet's `<blockquote>`), which kramdown passes through.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from . import hugo
from .context import Context
from .markdown import link_destination

_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "youtube-nocookie.com", "music.youtube.com"}
_YOUTUBE_PATH = re.compile(r"^/(?:embed|v|shorts|live|e)/([\w-]{6,})")
_YOUTUBE_ID = re.compile(r"[\w-]{6,}")
_VIMEO_PATH = re.compile(r"^/(?:video/|channels/[\w-]+/|groups/[\w-]+/videos/|album/\d+/video/)?(\d+)(?:/|$)")
_TWEET_PATH = re.compile(r"^/(\w{1,15})/status(?:es)?/(\d+)")
_GIST_PATH = re.compile(r"^/(?:[\w-]+/)?([0-9a-f]{5,})")
# dailymotion.com/video/x7s94_title, /embed/video/x7s94; Jetpack's [dailymotion] takes [A-Za-z0-9]+.
_DAILYMOTION_PATH = re.compile(r"^/(?:embed/)?video/([A-Za-z0-9]+)(?:_|/|$)")
_DAILYMOTION_ID = re.compile(r"[A-Za-z0-9]+")

# WP_Embed::autoembed(): a URL alone on its line, or alone inside a <p>.
_URL_LINE = re.compile(r"^([ \t]*)(https?://[^\s<>\"]+)([ \t]*)$", re.MULTILINE)
_URL_PARAGRAPH = re.compile(r"(<p(?: [^>]*)?>\s*)(https?://[^\s<>\"]+)(\s*</p>)", re.IGNORECASE)


def _host(url: str) -> tuple[str, str, str]:
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return "", "", ""
    return (host[4:] if host.startswith("www.") else host), parts.path, parts.query


def provider_markup(url: str, target: str) -> str | None:
    """A YouTube/Vimeo/X/Dailymotion URL as the target's embed (Hugo shortcode or HTML), or None."""
    found = _provider(url)
    if found is None:
        return None
    provider, params = found
    if target != "jekyll" and provider in HUGO_SHORTCODES:
        return hugo.shortcode("x", **params) if provider == "x" else hugo.shortcode(provider, params["id"])
    if provider == "x":
        status = html.escape(f"https://x.com/{params['user']}/status/{params['id']}")
        return f'<blockquote class="twitter-tweet"><a href="{status}">{status}</a></blockquote>'
    player = _PLAYERS[provider].format(html.escape(params["id"]))
    return f'<iframe src="{player}" width="640" height="360" frameborder="0" allowfullscreen></iframe>'


_PLAYERS = {
    "youtube": "https://www.youtube-nocookie.com/embed/{}",
    "vimeo": "https://player.vimeo.com/video/{}",
    "dailymotion": "https://www.dailymotion.com/embed/video/{}",
}
HUGO_SHORTCODES = frozenset({"youtube", "vimeo", "x"})  # providers with a Hugo built-in shortcode


def provider_embed(url: str, ctx: Context) -> str | None:
    """`provider_markup` for the body's target; a player written as raw HTML in a Hugo body is
    listed in the report, as other kept iframes are."""
    found = _provider(url)
    if found is None:
        return None
    provider, params = found
    if ctx.hugo and provider not in HUGO_SHORTCODES:
        ctx.keep_raw(f"iframe {_PLAYERS[provider].format(params['id'])}")
    return provider_markup(url, ctx.target)


def _provider(url: str) -> tuple[str, dict[str, str]] | None:
    """("youtube" | "vimeo" | "x" | "dailymotion", its parameters) for a provider URL, or None."""
    host, path, query = _host(url)
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        video = ""
        if host == "youtu.be":
            video = path.strip("/").split("/")[0]
        elif path.rstrip("/") == "/watch":
            video = (parse_qs(query).get("v") or [""])[0]
        elif m := _YOUTUBE_PATH.match(path):
            video = m.group(1)
        return ("youtube", {"id": video}) if _YOUTUBE_ID.fullmatch(video) else None
    if host in ("vimeo.com", "player.vimeo.com") and (m := _VIMEO_PATH.match(path)):
        return "vimeo", {"id": m.group(1)}
    if host in ("twitter.com", "x.com", "mobile.twitter.com") and (m := _TWEET_PATH.match(path)):
        return "x", {"user": m.group(1), "id": m.group(2)}
    if host == "dailymotion.com" and (m := _DAILYMOTION_PATH.match(path)):
        return "dailymotion", {"id": m.group(1)}
    if host == "dai.ly" and _DAILYMOTION_ID.fullmatch(path.strip("/")):
        return "dailymotion", {"id": path.strip("/")}
    return None


def is_gist(url: str) -> bool:
    host, path, _ = _host(url)
    return host == "gist.github.com" and bool(_GIST_PATH.match(path))


def link(url: str, target: str = "hugo") -> str:
    """A Markdown link showing its own URL."""
    url = url.strip().replace(" ", "%20")
    if url.startswith(("http://", "https://")) and "<" not in url and ">" not in url:
        text = f"<{url}>"
    else:
        label = url.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        text = f"[{label}]({link_destination(url)})"  # the one html_to_markdown writes
    return text if target == "jekyll" else hugo.escape_prose(text)


def embed_markdown(url: str, ctx: Context) -> str:
    """Markdown for an embedded URL: the target's embed when it has one, else a link."""
    url = html.unescape(url.strip())  # URLs taken from HTML text: `&amp;` there means `&`
    call = provider_embed(url, ctx)
    if call:
        return call
    if is_gist(url):
        if not ctx.hugo:  # the script GitHub gives for embedding a gist in any page
            return f'<script src="{html.escape(url.split("#")[0].split("?")[0].rstrip("/"))}.js"></script>'
        ctx.warn(f"gist {url} became a link: Hugo removed its gist shortcode in 0.156")
    return link(ctx.url(url), ctx.target)


def is_provider(url: str) -> bool:
    return _provider(url) is not None or is_gist(url)


def autoembed(markup: str, ctx: Context) -> str:
    """Provider URLs alone on a line or in a `<p>` become embed tokens, as WordPress embeds them."""
    if "http" not in markup:
        return markup

    def line(m: re.Match[str]) -> str:
        url = m.group(2)
        return ctx.store.block(embed_markdown(url, ctx)) if is_provider(url) else m.group(0)

    def paragraph(m: re.Match[str]) -> str:
        url = m.group(2)
        if not is_provider(url):
            return m.group(0)
        return m.group(1) + ctx.store.inline(embed_markdown(url, ctx)) + m.group(3)

    return _URL_PARAGRAPH.sub(paragraph, _URL_LINE.sub(line, markup))
