from .partial_dates import register

__all__ = ["register"]
