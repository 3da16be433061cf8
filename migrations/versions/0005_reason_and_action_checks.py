"""decline reasons and transition actions checked by the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

The values are those of pipelines.applications.DeclineReason, Action and
ApplicationStatus when this revision was written; a revision never imports them, so it
keeps meaning what it meant.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

DECLINE_REASONS = (
    'experience', 'skills', 'assessment', 'interviews', 'compensation', 'location',
    'position_filled', 'no_response', 'other',
)
ACTIONS = ('open', 'advance', 'move_to_references', 'decline', 'withdraw', 'make_offer', 'hire')
STATUSES = ('active', 'declined', 'withdrawn', 'offer', 'hired')


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'decline_reason_valid',
            f"decline_reason IS NULL OR {_in('decline_reason', DECLINE_REASONS)}",
        )
    with op.batch_alter_table('stage_transitions', schema=None) as batch_op:
        batch_op.create_check_constraint('action_valid', _in('action', ACTIONS))
        batch_op.create_check_constraint(
            'from_status_valid', f"from_status IS NULL OR {_in('from_status', STATUSES)}"
        )


def downgrade():
    with op.batch_alter_table('stage_transitions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_stage_transitions_from_status_valid'), type_='check')
        batch_op.drop_constraint(op.f('ck_stage_transitions_action_valid'), type_='check')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_applications_decline_reason_valid'), type_='check')
