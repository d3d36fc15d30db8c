"""admission web routes."""

routes: list = []
