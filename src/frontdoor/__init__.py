"""Front Door: the One Front Door customer service platform for UK councils."""

__version__ = "0.1.0"
