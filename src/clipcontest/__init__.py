"""clipcontest: community video-clip contests from launch to award ceremony."""

__version__ = "0.1.0"
