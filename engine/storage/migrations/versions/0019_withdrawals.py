"""Dossiers withdrawn by their proposer, and the "Hồ sơ của đơn vị" list. A withdrawal needs no column of its own: the
dossier is closed by the step runner and its reason kept in its history. The list pages a unit's dossiers newest
first: indexes on each unit column with the id (the branch's in place of branch_code's alone), and the year indexes
carry the id too.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

BY_ID = {"ix_dossiers_branch_id": "branch_code", "ix_dossiers_commune_id": "commune_code",
         "ix_dossiers_province_id": "province_code"}
BY_YEAR = {"ix_dossiers_commune_year": "commune_code", "ix_dossiers_province_year": "province_code"}


def upgrade() -> None:
    for name, column in BY_ID.items():
        op.create_index(name, "dossiers", [column, "id"])
    op.drop_index("ix_dossiers_branch_code", table_name="dossiers")
    for name, column in BY_YEAR.items():
        op.drop_index(name, table_name="dossiers")
        op.create_index(name, "dossiers", [column, "year", "id"])


def downgrade() -> None:
    for name, column in BY_YEAR.items():
        op.drop_index(name, table_name="dossiers")
        op.create_index(name, "dossiers", [column, "year"])
    op.create_index("ix_dossiers_branch_code", "dossiers", ["branch_code"])
    for name in BY_ID:
        op.drop_index(name, table_name="dossiers")
