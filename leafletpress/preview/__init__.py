"""The live preview (`make_leaflets.py watch`): rebuild on every save, serve the output folder on
127.0.0.1, and reload the index page in the browser after each rebuild."""

from leafletpress.preview.watch import DEFAULT_PORT, Preview, Rebuild

__all__ = ["DEFAULT_PORT", "Preview", "Rebuild"]
