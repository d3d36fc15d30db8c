"""`make chaos`: fault injection against the real server on loopback (crash, backup, fuzz, overload, tamper)."""
