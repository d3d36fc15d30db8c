"""admission api routes."""

routes: list = []
