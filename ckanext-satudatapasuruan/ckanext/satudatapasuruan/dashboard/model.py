"""The indicators the walidata chose for Dashboard Statistik (table ``satudata_dashboard.indicator``).

The table lives in its own schema, like the other plugins' tables, so CKAN's ``clean_db`` (tests) and
``db init`` leave it alone; migrations in ``migration/satudata_dashboard``.
"""
from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["SCHEMA", "ChartType", "Aggregation", "Indicator"]

SCHEMA = "satudata_dashboard"


class ChartType(str, enum.Enum):
    BAR = "bar"
    LINE = "line"


class Aggregation(str, enum.Enum):
    NONE = "none"  # one point per row, in the table's order
    SUM = "sum"  # rows with the same label added up


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Indicator(tk.BaseModel):
    """One chart card: a DataStore table's label column against one numeric column."""

    __tablename__ = "indicator"
    __table_args__ = (sa.UniqueConstraint("resource_id", "label_field", "value_field",
                                          name="indicator_resource_fields_key"),
                      {"schema": SCHEMA})

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=lambda: str(uuid.uuid4()))
    resource_id: Mapped[str] = mapped_column(sa.Text, nullable=False, index=True)
    title: Mapped[str] = mapped_column(sa.Text, nullable=False)
    label_field: Mapped[str] = mapped_column(sa.Text, nullable=False)
    value_field: Mapped[str] = mapped_column(sa.Text, nullable=False)
    chart_type: Mapped[str] = mapped_column(sa.Text, nullable=False, default=ChartType.BAR.value)
    aggregation: Mapped[str] = mapped_column(sa.Text, nullable=False, default=Aggregation.NONE.value)
    sort_order: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    created_by: Mapped[str | None] = mapped_column(sa.Text)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False, default=_now)

    @classmethod
    def get(cls, indicator_id: str) -> Indicator | None:
        return model.Session.get(cls, indicator_id) if indicator_id else None

    @classmethod
    def all(cls) -> list[Indicator]:
        return list(model.Session.execute(sa.select(cls).order_by(cls.sort_order, cls.created, cls.id)).scalars())

    @classmethod
    def find(cls, resource_id: str, label_field: str, value_field: str) -> Indicator | None:
        return model.Session.execute(sa.select(cls).where(
            cls.resource_id == resource_id, cls.label_field == label_field,
            cls.value_field == value_field)).scalars().first()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "resource_id": self.resource_id, "title": self.title,
                "label_field": self.label_field, "value_field": self.value_field,
                "chart_type": self.chart_type, "aggregation": self.aggregation, "sort_order": self.sort_order,
                "created_by": self.created_by, "created": self.created.isoformat() if self.created else None}
