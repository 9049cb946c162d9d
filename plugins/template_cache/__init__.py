from .template_cache import register

__all__ = ["register"]
