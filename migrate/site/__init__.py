"""What a site needs beyond `content/` to build, link and navigate like the old one.

The migrated files are only the pages. A static site also needs its configuration (`hugo.toml`, or
`_config.yml` for Jekyll: title, base URL, taxonomies, the renderer settings the content depends on),
the site's menus, and a theme to show it all. This room writes those, at the end of a run:

- `config.py`: the configuration's contents, written once and never overwritten; when the folder has
  its own, the keys it lacks are reported and the full suggestion goes to `.wxr-migrate/`.
- `menus.py`: WordPress menus (`nav_menu_item`) → Hugo menus (Jekyll: `_data/menus.yml`).
- `theme.py`: the starter theme (`themes/wxr-starter/`), copied when the site has none.
"""
