"""WordPress shortcodes: the ones with a Hugo/Markdown equivalent are converted, others kept verbatim.

Parsing follows WordPress's `get_shortcode_regex()` (`[name attrs]`, `[name /]`, `[name]…[/name]`,
`[[name]]` escapes) but for any name, since we cannot know which plugins the site had. Tags are
found in one left-to-right scan and closing tags looked up by position, so a body full of brackets
stays linear. Code shortcodes (`[code]`, `[php]`…) were taken out earlier (see code.py).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from . import embeds, figures
from .context import Context
from .entities import decode_entities
from .markdown import escape_text, link_destination
from .tags import escape_attr, strip_tags

_TAG = re.compile(
    r"\[(?P<esc>\[?)(?P<close>/?)(?P<name>[a-zA-Z][\w-]*)(?![\w-])"
    r"(?P<attrs>(?:[^\[\]/]|/(?!\]))*+)(?P<self>/?)\](?P<esc2>\]?)"
)
# shortcode_parse_atts(): name="v", name='v', name=v, "v", 'v', v
_ATTR = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
_INVISIBLE_SPACE = re.compile("[\u00a0\u200b]+")  # shortcode_parse_atts() reads them as spaces
_NUMBER = re.compile(r"\d+")
_POSITIONAL_ID = re.compile(r"[\w.:/?=&%#-]*[\d/.=][\w.:/?=&%#-]*")
_URL = re.compile(r"(?:https?:)?//|/", re.IGNORECASE)
_MEDIA_FILE = re.compile(r"\.(?:mp3|m4a|ogg|oga|wav|flac|mp4|m4v|webm|ogv|mov|flv)(?:$|\?)", re.IGNORECASE)
_TEMPLATE_FIELD = re.compile(r"\{(\w+)\}")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|svg|tiff?|heic)(?:$|\?)", re.IGNORECASE)

Attrs = dict[str | int, str]
# (attribute text as written, content of an enclosing shortcode or None, context) → replacement,
# or None to keep the shortcode as it is.
Handler = Callable[[str, str | None, Context], str | None]


def parse_attrs(text: str) -> Attrs:
    """Attributes as WordPress reads them: names lower-cased, positional ones by index."""
    text = _INVISIBLE_SPACE.sub(" ", text)
    found: Attrs = {}
    position = 0
    for m in _ATTR.finditer(text):
        if m.group(1):
            found[m.group(1).lower()] = m.group(2)
        elif m.group(3):
            found[m.group(3).lower()] = m.group(4)
        elif m.group(5):
            found[m.group(5).lower()] = m.group(6)
        else:
            found[position] = next(v for v in m.group(7, 8, 9) if v is not None)
            position += 1
    return found


def _url_of(attrs: Attrs, content: str | None, *keys: str) -> str:
    """The URL a media/embed shortcode points at: a named attribute, the first positional, or its content."""
    for key in keys:
        if attrs.get(key):
            return attrs[key]
    value = attrs.get(0, "") or (content or "")
    return strip_tags(value).strip().lstrip("=").strip()


def _attrs_without_tags(raw: str) -> Attrs:
    """wordpress.com editors linked the URL inside `[youtube <a href=…>URL</a>]`: read the text."""
    return parse_attrs(strip_tags(raw) if "<" in raw else raw)


def _caption(raw: str, content: str | None, ctx: Context) -> str:
    attrs = parse_attrs(raw)
    parts = figures.split_image(content or "")
    if parts is None:
        return content or ""  # not an image: WordPress would show the content
    img, href, rest = parts
    call = figures.figure_call(img, href, attrs.get("caption") or rest.strip(), ctx)
    return ctx.store.block(call) if call else content or ""


def _gallery(raw: str, content: str | None, ctx: Context) -> str:
    attrs = parse_attrs(raw)
    ids_text = attrs.get("ids") or attrs.get("include") or ""
    excluded = {int(x) for x in _NUMBER.findall(attrs.get("exclude", ""))}
    if ids_text:
        ids = [int(x) for x in _NUMBER.findall(ids_text)]
    else:  # the post's own images, as WordPress lists them
        own = ctx.index.attachments_by_parent.get(ctx.post_id, []) if ctx.post_id else []
        ids = sorted(a.id for a in own if _IMAGE_FILE.search(a.url))
    lines = []
    for attachment_id in ids:
        attachment = ctx.index.attachments.get(attachment_id)
        if attachment_id in excluded:
            continue
        if attachment is None or not attachment.url:
            ctx.warn(f"gallery image {attachment_id} is not an attachment in the export")
            continue
        alt = escape_text(" ".join((attachment.alt or attachment.title).split()), in_link=True)
        lines.append(f"![{alt}]({link_destination(ctx.url(attachment.url))})")
    if not lines:
        ctx.warn("gallery with no images found in the export left out")
        return ""
    return ctx.store.block("\n".join(lines))


def _embed(raw: str, content: str | None, ctx: Context) -> str:
    url = _url_of(_attrs_without_tags(raw), content, "src", "url")
    return ctx.store.block(embeds.embed_markdown(url, ctx)) if url else ""


def _provider(base: str, video_id: str) -> Handler:
    """`[youtube ID]`, `[youtube=URL]`, `[vimeo ID]`, `[tweet URL]`… (Jetpack/wordpress.com).

    Anything that is neither a URL nor an id of the provider's shape (`[video link][1]` in prose)
    is left as it was.
    """
    id_shape = re.compile(video_id)

    def handle(raw: str, content: str | None, ctx: Context) -> str | None:
        value = _url_of(_attrs_without_tags(raw), content, "id", "url", "tweet")
        if value.startswith("www."):
            value = "https://" + value
        if not _URL.match(value):
            if not id_shape.fullmatch(value):
                return None
            value = base + value
        return ctx.store.block(embeds.embed_markdown(value, ctx))

    return handle


def _media(kind: str, keys: tuple[str, ...]) -> Handler:
    """`[audio src=…]`, `[video mp4=…]` → an HTML5 element (Markdown has none), listed as raw HTML."""

    def handle(raw: str, content: str | None, ctx: Context) -> str | None:
        attrs = _attrs_without_tags(raw)
        src = _url_of(attrs, None, *keys)
        if not (_URL.match(src) or _MEDIA_FILE.search(src)):
            return None  # `[video of Hans Rosling…][2]` is prose, not a player
        url = ctx.url(src)
        poster = f' poster="{escape_attr(ctx.url(attrs["poster"]))}"' if attrs.get("poster") else ""
        ctx.keep_raw(f"{kind} {url}")
        return ctx.store.block(f'<{kind} controls src="{escape_attr(url)}"{poster}></{kind}>')

    return handle


_HANDLERS: dict[str, Handler] = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "embed": _embed,
    "youtube": _provider("https://www.youtube.com/watch?v=", r"[\w-]{11}"),
    "vimeo": _provider("https://vimeo.com/", r"\d+"),
    "dailymotion": _provider("https://www.dailymotion.com/video/", r"x[0-9a-z]+"),
    "tweet": _provider("https://twitter.com/i/status/", r"\d+"),
    "gist": _provider("https://gist.github.com/", r"(?:[\w-]+/)?[0-9a-f]{5,}"),
    "audio": _media("audio", ("src", "mp3", "m4a", "ogg", "wav", "flac")),
    "video": _media("video", ("src", "mp4", "m4v", "webm", "ogv", "mov", "flv")),
}


def _rule(rule: str) -> Handler:
    """A `[shortcodes]` entry of the config file as a handler.

    "keep": as written (not reported as unknown); "drop": removed with what it encloses; anything
    else is a template: `{name}` an attribute, `{0}` a positional one, `{content}` the enclosed
    text. Values go in with `"` and `\\` as HTML entities, so they fit inside a quoted parameter;
    the result stands as a block of its own.
    """
    if rule == "keep":
        return lambda raw, content, ctx: None
    if rule == "drop":
        return lambda raw, content, ctx: ""

    def fill(raw: str, content: str | None, ctx: Context) -> str:
        attrs: dict[str, str] = {str(k): v for k, v in parse_attrs(raw).items()}
        attrs["content"] = (content or "").strip()

        def value(m: re.Match[str]) -> str:
            text = " ".join(attrs.get(m.group(1).lower(), "").split())
            return text.replace("\\", "&#92;").replace('"', "&quot;")

        return ctx.store.block(_TEMPLATE_FIELD.sub(value, rule))

    return fill


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """Only whitespace and tags between the tag and the line's ends (looked at ±200 characters)."""
    before = text[max(0, start - 200) : start]
    after = text[end : end + 200]
    before = before[before.rfind("\n") + 1 :] if "\n" in before else before if start <= 200 else "x"
    after = after[: after.find("\n")] if "\n" in after else after if end + 200 >= len(text) else "x"
    return not strip_tags(before + after).strip()


def _looks_like_shortcode(m: re.Match[str], text: str, has_closer: bool) -> bool:
    """Is an unknown `[name …]` a shortcode rather than prose in brackets?

    Shortcodes: `[contact-form-7 id="1"]`, `[dailymotion x7s94]`, `[toc]` alone on its line, `[x]…[/x]`.
    Prose: `[1]`, `[Google]` (names are lower-case by convention), `[the build service]`, `a[i]`,
    `we [mostly] did`, Markdown links `[text](url)`, `[text][ref]` and `[ref]: url`.
    """
    start, end = m.span()
    if start and (text[start - 1].isalnum() or text[start - 1] in "_]"):
        return False
    if text[end : end + 1] in ("(", "[", ":"):
        return False
    name = m.group("name")
    if not name[0].islower() or len(name) < 2:
        return False
    attr_text = m.group("attrs")
    if m.group("close") or not attr_text:
        return not attr_text.strip() and (has_closer or _alone_on_line(text, start, end))
    if any(c in attr_text for c in "<>\n") or not (attr_text[0].isspace() or attr_text[0] == "="):
        return False  # `[dewplayer:url]`, `[y/n]`: not WordPress's shortcode syntax
    if "=" in attr_text or '"' in attr_text or "'" in attr_text:
        return True
    words = attr_text.split()
    return len(words) == 1 and bool(_POSITIONAL_ID.fullmatch(words[0]))


def _verbatim(tag: str, ctx: Context) -> str:
    """A shortcode kept as the author wrote it (entities decoded), safe from html2text's escaping."""
    return ctx.store.inline(ctx.escape_prose(decode_entities(tag)))


def convert_shortcodes(markup: str, ctx: Context) -> str:
    """Known shortcodes → Markdown/Hugo tokens; unknown ones → verbatim tokens, listed in `ctx`."""
    markup = embeds.autoembed(markup, ctx)
    if "[" not in markup:
        return markup
    tags = list(_TAG.finditer(markup))
    closers: dict[str, list[int]] = {}
    for m in tags:
        if m.group("close") and not m.group("attrs").strip() and not m.group("esc"):
            closers.setdefault(m.group("name"), []).append(m.start())
    out: list[str] = []
    pos = 0
    for m in tags:
        if m.start() < pos:
            continue  # inside an enclosing shortcode already converted
        name = m.group("name")
        rule = ctx.shortcode_rules.get(name)
        handler = _rule(rule) if rule is not None else _HANDLERS.get(name)
        if m.group("esc") and m.group("esc2"):  # [[name]] is WordPress's way to print [name]
            if handler:
                out += [markup[pos : m.start()], _verbatim(m.group(0)[1:-1], ctx)]
                pos = m.end()
            continue
        if handler and not m.group("close"):
            end, content = m.end(), None
            if not m.group("self"):
                starts = closers.get(name, [])
                i = bisect.bisect_left(starts, m.end())
                if i < len(starts):
                    content = markup[m.end() : starts[i]]
                    end = starts[i] + len(name) + 3
            replacement = handler(m.group("attrs"), content, ctx)
            if replacement is not None:
                out += [markup[pos : m.start()], replacement]
                pos = end
                continue
        if handler or _looks_like_shortcode(m, markup, bool(closers.get(name))):
            if not handler:
                ctx.unknown_shortcodes.add(name)
            out += [markup[pos : m.start()], _verbatim(m.group(0), ctx)]
            pos = m.end()
    out.append(markup[pos:])
    return "".join(out)
