"""ledger api routes."""

routes: list = []
