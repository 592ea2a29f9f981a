"""The HTTP edge of the site: what a request's path and query may hold before any view or query sees them."""
