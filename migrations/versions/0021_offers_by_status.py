"""Offers by status, oldest first (the admin home's offers awaiting approval and their
number): an index rather than a scan of every offer

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index(
            'ix_offers_status_created', ['status', 'created_at', 'id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index('ix_offers_status_created')
