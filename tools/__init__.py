"""Developer tools (not shipped with the package)."""
