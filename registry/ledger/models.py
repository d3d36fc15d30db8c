from sqlalchemy import BigInteger, Column, Text
from sqlmodel import Field, SQLModel


class LedgerEntry(SQLModel, table=True):
    """One entry of the append-only, hash-chained public ledger (contract §3).

    `seq` is assigned by the appender (never by the database) so that it has no gaps;
    `payload` is the canonical JSON text itself, exactly the bytes that were hashed.
    """

    __tablename__ = "ledger_entries"

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    recorded_at: str = Field(max_length=27)
    kind: str = Field(max_length=32, index=True)
    payload: str = Field(sa_type=Text)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
