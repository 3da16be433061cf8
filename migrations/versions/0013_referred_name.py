"""the name a referrer gave: what My referrals and the referrer's messages show, so a
referral never reveals the name another record holds for that e-mail address

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referred_name', sa.String(length=200), nullable=True))
    # Referrals made before this revision: the name of the record they were made on.
    op.execute(
        "UPDATE applications SET referred_name = ("
        "SELECT candidates.name FROM candidates WHERE candidates.id = applications.candidate_id"
        " AND candidates.erased_at IS NULL) WHERE source = 'referral'"
    )


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('referred_name')
