"""The cadre's own page (我的村（社区）): the list, what changed since the cadre last looked, items due for review."""
