"""the applications list: newest first by (created_at, id), over every application or
those of one requisition

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_applications_requisition_created', ['requisition_id', 'created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_requisition_created')
        batch_op.drop_index('ix_applications_created')
