"""Corrections people make to an analysis; they become training rows for the workspace's own models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vigie.core.clock import utcnow
from vigie.storage.base import Base


class AnalysisCorrection(Base):
    __tablename__ = "analysis_correction"
    __table_args__ = (Index("ix_analysis_correction_workspace_task", "workspace_id", "task"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        ForeignKey("message.id", ondelete="CASCADE"),
        index=True,
    )
    task: Mapped[str] = mapped_column(String(32))  # sentiment, toxicity, complaint
    label: Mapped[str] = mapped_column(String(64))
    previous_label: Mapped[str | None] = mapped_column(String(64), default=None)
    corrected_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
