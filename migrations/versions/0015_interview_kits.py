"""interview kits: the questions to ask per criterion for each interview stage of a
requisition, and the interviewer's note per criterion on a scorecard

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-09

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('interview_kits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requisition_id', sa.Integer(), nullable=False),
    sa.Column('level_id', sa.String(length=100), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['requisition_id'], ['requisitions.id'], name=op.f('fk_interview_kits_requisition_id_requisitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_interview_kits_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_kits')),
    sa.UniqueConstraint('requisition_id', name=op.f('uq_interview_kits_requisition_id'))
    )
    with op.batch_alter_table('interview_kits', schema=None) as batch_op:
        batch_op.create_index('ix_interview_kits_level_updated', ['level_id', 'updated_at'], unique=False)

    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('criterion_notes', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.drop_column('criterion_notes')

    with op.batch_alter_table('interview_kits', schema=None) as batch_op:
        batch_op.drop_index('ix_interview_kits_level_updated')

    op.drop_table('interview_kits')
