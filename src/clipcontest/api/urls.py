from .main import api

__all__ = ["api"]
