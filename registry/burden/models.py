from sqlmodel import Field, SQLModel


class BudgetCap(SQLModel, table=True):
    """A county's cap on one TOTALS field per village (the burden budget); each county has its own (§10)."""

    __tablename__ = "budget_caps"

    region_id: int = Field(foreign_key="regions.id", primary_key=True)
    field: str = Field(primary_key=True, max_length=32)
    maximum: float
