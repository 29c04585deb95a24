"""cache each contact's top follow-up (kind, reason, priority) with its scores

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact_score") as b:
        b.add_column(sa.Column("followup_kind", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        b.add_column(sa.Column("followup_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        b.add_column(sa.Column("followup_priority", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contact_score") as b:
        b.drop_column("followup_priority")
        b.drop_column("followup_reason")
        b.drop_column("followup_kind")
