"""ledger web routes."""

routes: list = []
