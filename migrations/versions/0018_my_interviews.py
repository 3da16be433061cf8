"""My interviews: a person's interviews from the index alone (interview_interviewers by
(user_id, interview_id), replacing the one on user_id it starts with); interviews by
(starts_at, id); an interviewer's scorecards by (interviewer_id, submitted_at,
interview_id), replacing the one on interviewer_id it starts with

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interview_interviewers', schema=None) as batch_op:
        batch_op.create_index('ix_interview_interviewers_user', ['user_id', 'interview_id'], unique=False)
        batch_op.drop_index('ix_interview_interviewers_user_id')
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index('ix_interviews_starts', ['starts_at', 'id'], unique=False)
    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.create_index('ix_scorecards_interviewer_submitted', ['interviewer_id', 'submitted_at', 'interview_id'], unique=False)
        batch_op.drop_index('ix_scorecards_interviewer_id')


def downgrade():
    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.create_index('ix_scorecards_interviewer_id', ['interviewer_id'], unique=False)
        batch_op.drop_index('ix_scorecards_interviewer_submitted')
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index('ix_interviews_starts')
    with op.batch_alter_table('interview_interviewers', schema=None) as batch_op:
        batch_op.create_index('ix_interview_interviewers_user_id', ['user_id'], unique=False)
        batch_op.drop_index('ix_interview_interviewers_user')
