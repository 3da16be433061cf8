"""the request path: a partial index of demo accounts, so that asking whether any exist
(the demo banner) is one index probe whatever the number of users; the board's index
(each column's count and first cards by time in stage), which replaces the one on
(requisition, status) it starts with; the requisitions list's (created_at, id); the promotion packets lists' (updated_at, id)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# The same condition as each database's planner matches it against the query
# (``users.is_demo = 1`` on SQLite, ``users.is_demo = true`` on PostgreSQL).
SQLITE_DEMO = sa.text("is_demo = 1")
POSTGRESQL_DEMO = sa.text("is_demo = true")


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_demo', ['id'], unique=False, sqlite_where=SQLITE_DEMO, postgresql_where=POSTGRESQL_DEMO)
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_board', ['requisition_id', 'status', 'stage_id', 'entered_stage_at', 'id'], unique=False)
        batch_op.drop_index('ix_applications_requisition_status')
    with op.batch_alter_table('requisitions', schema=None) as batch_op:
        batch_op.create_index('ix_requisitions_created', ['created_at', 'id'], unique=False)
    with op.batch_alter_table('promotion_packets', schema=None) as batch_op:
        batch_op.create_index('ix_promotion_packets_updated', ['updated_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('promotion_packets', schema=None) as batch_op:
        batch_op.drop_index('ix_promotion_packets_updated')
    with op.batch_alter_table('requisitions', schema=None) as batch_op:
        batch_op.drop_index('ix_requisitions_created')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_requisition_status', ['requisition_id', 'status'], unique=False)
        batch_op.drop_index('ix_applications_board')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_demo', sqlite_where=SQLITE_DEMO, postgresql_where=POSTGRESQL_DEMO)
