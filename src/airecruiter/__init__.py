"""AIRecruiter: Workday applications analysed, interviewed, evaluated and reported."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("airecruiter")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
