"""A Litestar Store kept in the database, so every worker sees the same sessions."""

from datetime import datetime, timedelta

import anyio
from litestar.stores.base import Store
from sqlmodel import col, delete

from registry.accounts.models import StoredValue
from registry.db import Database
from registry.timeutil import as_utc, utcnow


class DatabaseStore(Store):
    """Key/value pairs with optional expiry in the `stored_values` table, namespaced by prefix."""

    def __init__(self, db: Database, namespace: str = "sessions"):
        self.db = db
        self.prefix = namespace + ":"

    def _key(self, key: str) -> str:
        return self.prefix + key

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        data = value.encode("utf-8") if isinstance(value, str) else value
        await anyio.to_thread.run_sync(self._set, self._key(key), data, _expiry(expires_in))

    def _set(self, key: str, data: bytes, expires_at: datetime | None) -> None:
        with self.db.write() as session:
            row = session.get(StoredValue, key)
            if row is None:
                # A new session is the moment to sweep expired ones, so the table never grows without bound.
                session.exec(delete(StoredValue).where(col(StoredValue.expires_at) < utcnow()))  # type: ignore
                row = StoredValue(key=key, value=data, expires_at=expires_at)
            else:
                row.value, row.expires_at = data, expires_at
            session.add(row)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        return await anyio.to_thread.run_sync(self._get, self._key(key), _expiry(renew_for))

    def _get(self, key: str, renew_until: datetime | None) -> bytes | None:
        with self.db.read() as session:
            row = session.get(StoredValue, key)
            if row is None:
                return None
            expired = row.expires_at is not None and as_utc(row.expires_at) <= utcnow()
            value = None if expired else row.value
        if value is None:
            self._delete(key)
        elif renew_until is not None:
            self._set(key, value, renew_until)
        return value

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(self._delete, self._key(key))

    def _delete(self, key: str) -> None:
        with self.db.write() as session:
            session.exec(delete(StoredValue).where(col(StoredValue.key) == key))  # type: ignore[call-overload]

    async def delete_all(self) -> None:
        def _all() -> None:
            with self.db.write() as session:
                session.exec(delete(StoredValue).where(col(StoredValue.key).startswith(self.prefix)))  # type: ignore

        await anyio.to_thread.run_sync(_all)

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        def _expires() -> int | None:
            with self.db.read() as session:
                row = session.get(StoredValue, self._key(key))
                if row is None or row.expires_at is None:
                    return None
                return int((as_utc(row.expires_at) - utcnow()).total_seconds())

        return await anyio.to_thread.run_sync(_expires)


def _expiry(value: int | timedelta | None) -> datetime | None:
    if value is None:
        return None
    return utcnow() + (value if isinstance(value, timedelta) else timedelta(seconds=value))
