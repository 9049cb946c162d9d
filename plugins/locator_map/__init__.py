from .locator_map import register

__all__ = ["register"]
