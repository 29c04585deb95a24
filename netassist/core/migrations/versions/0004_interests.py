"""global NMF topics with each contact's share; interests the user confirmed or hid per contact

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "global_topic",
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False),
        sa.Column(
            "top_terms", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False
        ),
        sa.Column("weight", sa.Float(), server_default="0.0", nullable=False),
        sa.Column("computed_at", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("idx"),
    )
    op.create_table(
        "contact_topic",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("topic_idx", sa.Integer(), nullable=False),
        sa.Column("share", sa.Float(), server_default="0.0", nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["topic_idx"], ["global_topic.idx"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id", "topic_idx"),
    )
    op.create_table(
        "contact_interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sqlmodel.sql.sqltypes.AutoString(), server_default="term", nullable=False
        ),
        sa.Column("term", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), server_default="", nullable=False),
        sa.Column(
            "status", sqlmodel.sql.sqltypes.AutoString(), server_default="confirmed", nullable=False
        ),
        sa.Column(
            "source", sqlmodel.sql.sqltypes.AutoString(), server_default="suggested", nullable=False
        ),
        sa.Column("created_at", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "kind", "term", name="uq_contact_interest"),
    )
    op.create_index(
        op.f("ix_contact_interest_contact_id"), "contact_interest", ["contact_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_interest_contact_id"), table_name="contact_interest")
    op.drop_table("contact_interest")
    op.drop_table("contact_topic")
    op.drop_table("global_topic")
