"""burden web routes."""

routes: list = []
