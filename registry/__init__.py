"""村（社区）工作事项准入登记系统 — the village duty-list admission registry."""

__version__ = "0.1.0"
