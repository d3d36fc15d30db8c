"""burden api routes."""

routes: list = []
