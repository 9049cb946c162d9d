from .plain_text_feeds import register

__all__ = ["register"]
