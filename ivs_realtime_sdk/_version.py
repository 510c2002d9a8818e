"""The SDK's version: written once, read by the build (hatch), the user agent and the CLI."""

__version__ = "0.1.0"
