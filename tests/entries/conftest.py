from tests.media.fixtures import _english, draft, make_clip, open_contest  # noqa: F401
