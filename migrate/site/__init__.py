"""What a site needs beyond its content: config, menus, term and author pages, a theme."""
