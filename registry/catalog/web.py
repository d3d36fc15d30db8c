"""catalog web routes."""

routes: list = []
