from sqlmodel import Field, SQLModel


class BudgetCap(SQLModel, table=True):
    """The county's cap on one TOTALS field per village (the burden budget)."""

    __tablename__ = "budget_caps"

    field: str = Field(primary_key=True, max_length=32)
    maximum: float
