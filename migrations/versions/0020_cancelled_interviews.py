"""Cancelled interviews by when they were called off, newest first (My interviews'
cancelled section): a partial index, of cancelled interviews only

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index(
            'ix_interviews_cancelled',
            ['cancelled_at', 'id'],
            unique=False,
            postgresql_where=sa.text('cancelled_at IS NOT NULL'),
            sqlite_where=sa.text('cancelled_at IS NOT NULL'),
        )


def downgrade():
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index('ix_interviews_cancelled')
