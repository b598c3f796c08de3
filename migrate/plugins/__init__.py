"""What WordPress plugins kept in an export's postmeta: SEO data, custom fields, products, languages."""
