"""The SDK version (PEP 440)."""

__version__ = "1.0.0"
