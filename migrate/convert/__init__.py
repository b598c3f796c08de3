"""WordPress HTML → Hugo Markdown converters: pure `str → str` steps, wired in `body.py`."""

from .body import BodyResult, convert_body
from .entities import decode_entities
from .text import plain_text, summarize, title_text

__all__ = ["BodyResult", "convert_body", "decode_entities", "plain_text", "summarize", "title_text"]
