"""wxr-migrate: WordPress WXR exports to front-matter Markdown for Hugo and other static sites."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wxr-migrate")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
