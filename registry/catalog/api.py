"""catalog api routes."""

routes: list = []
