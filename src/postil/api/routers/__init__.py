"""api routers."""
