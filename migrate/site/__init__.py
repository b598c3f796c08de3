"""What a site needs beyond `content/` to build, link and navigate like the old one.

The migrated files are only the pages. A static site also needs its configuration (`hugo.toml`, or
`_config.yml` for Jekyll: title, base URL, taxonomies, the renderer settings the content depends on),
the site's menus, pages for its terms and a record of its authors, and a theme to show it all. This
room writes those:

- `config.py`: the configuration's contents, written once and never overwritten; when the folder has
  its own, the keys it lacks are reported and the full suggestion goes to `.wxr-migrate/`.
- `menus.py`: WordPress menus (`nav_menu_item`) → Hugo menus (Jekyll: `_data/menus.yml`).
- `terms.py`: term pages (`content/<taxonomy>/<term>/_index.md`) and `data/authors.yaml`, applied
  through the manifest like items, so a user's edits survive re-runs.
- `archives.py`: the old site's archive URLs (term, author, feed, numeric permalinks) that have a
  page on the new site, so links to them resolve.
- `theme.py`: the starter theme (`themes/wxr-starter/`), copied when the site has none.
- `generate.py`, `writer.py`: what to write, and writing it without ever replacing a user's file.
- `stage.py`: the steps the pipeline calls to write all of the above and report on it.
"""
