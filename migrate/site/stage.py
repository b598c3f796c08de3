"""The site stage of a run: what pipeline.py calls, once the items are written, to write the site
around them (config, menus, theme: generate.py; term pages and the authors' file: terms.py,
authors.py) and, on a replayed run, to tell whether those files are still as it left them.

These are the site's I/O and report steps, kept here so that the pipeline only wires them in.
"""

from __future__ import annotations

from operator import attrgetter

from .. import state, targets
from ..config import Config
from ..mediaplan import MediaLinks
from ..plan import Plan, published
from ..report import Report
from ..update import Updater
from ..write import UnsafePathError, safe_join
from . import authors, menus, terms
from . import config as site_config
from .authors import authors_file
from .config import SiteFacts
from .generate import generate
from .terms import term_pages
from .writer import SiteWriter


def write_site(
    config: Config,
    plan: Plan,
    manifest: state.Manifest,
    report: Report,
    embeds: set[str],
    html_files: set[int],
) -> None:
    """The site around the content: its configuration, menus and theme. `embeds`: the embeds the
    files call; `html_files`: the items whose Markdown keeps raw HTML (any kind, players and
    iframes among them: see convert/rawhtml.keeps_html)."""
    site = menus.Site(  # views of the plan's tables: menus look up only the items they link to
        index=plan.index,
        paths=plan.by_item_id(attrgetter("path"), where=published),
        drafts=plan.by_item_id(attrgetter("path"), where=attrgetter("draft")),
        layout=targets.layout(config.settings),
        settings=config.settings,
        languages=plan.by_item_id(attrgetter("language"), where=attrgetter("language")),
        default_language=next((x.code for x in plan.languages if x.default), ""),
    )
    found = menus.build(plan.menu_items, site)
    for left in found.left_out:
        report.warn(left.item_id, "menu", f"menu {left.menu or '(none)'}: entry left out: {left.reason}")
    facts = SiteFacts(
        channels=plan.channels,
        base_urls=plan.index.base_urls,
        terms_used=plan.terms_used,
        raw_html_files=len(html_files),
        embeds=embeds,
        menus=found.menus,
        disqus_shortname=config.disqus_shortname,
        languages=plan.languages,
        language_menus=found.languages,
    )
    writer = None if config.dry_run else SiteWriter(config.output, manifest)
    outcome = generate(config.output, facts, config.settings, config.theme, writer)
    report.site, report.site_written = outcome.notes, outcome.written


def in_place(config: Config, manifest: state.Manifest) -> bool:
    """Are the site's files as the last run left them (a replay may skip writing them)?"""
    for path, digest in manifest.site_files.items():
        try:
            if state.file_hash(safe_join(config.output, path)) != digest:
                return False
        except UnsafePathError:
            return False
    existing = site_config.find_existing(config.output, config.settings.target)
    return not existing or existing in manifest.site_files  # the user's own: the full way checks it


def write_pages(
    config: Config,
    plan: Plan,
    links: MediaLinks | None,
    manifest: state.Manifest,
    journal: state.Journal,
    site_name: str,
    report: Report,
) -> None:
    """Term pages and the authors' data file: files a user may edit, so they go through the
    Updater like items, each kind in a table of its own in the manifest (the site's name + the
    kind, see site/terms.py and site/authors.py). Each table's keys are noted as the last run's,
    for re-runs."""
    found, problems = term_pages(plan.index, config.settings, links.for_item(0) if links else None)
    for term_id, message in problems:
        report.warn(term_id, "term-page", message)
    tables: dict[str, dict[int, tuple[str, str]]] = {}
    for page in found:
        tables.setdefault(site_name + terms.TABLE + page.taxonomy, {})[page.term_id] = (page.path, page.text)
    people = authors_file(plan.index, targets.layout(config.settings))
    if people is not None:
        tables[site_name + authors.TABLE] = {authors.KEY: people}
    earlier = {
        name
        for name in manifest.sites
        if name.startswith((site_name + terms.TABLE, site_name + authors.TABLE))
    }
    for name in sorted(set(tables) | earlier):
        files = tables.get(name, {})
        updater = Updater(
            config.output, manifest.site(name), report.site_pages, journal, name, force=config.force
        )
        for key, (path, text) in sorted(files.items()):
            manifest.note_last_run(name, key)
            data = text.encode("utf-8")
            source = state.sha256(data)
            if updater.can_skip(key, source, path) is None:
                updater.apply(key, path, "", [], source, data)
        if not plan.salvaged:
            updater.gone(set(files), prune=config.prune)
