from .multiple_categories import register

__all__ = ["register"]
