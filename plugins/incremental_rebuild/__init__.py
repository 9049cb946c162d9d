from .incremental_rebuild import register

__all__ = ["register"]
