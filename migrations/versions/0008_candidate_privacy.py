"""candidate privacy: consent version, erasure time, e-mail NULL once erased

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

An erased candidate keeps its row (applications, stages, dates and ratings stay true for
reports) but loses its e-mail address, so the column becomes nullable; a CHECK keeps it
required until the row is erased.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_version', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=True)
        batch_op.create_check_constraint(
            'email_until_erased', 'erased_at IS NOT NULL OR email IS NOT NULL'
        )


def downgrade():
    # Erased rows have no e-mail address; give them a placeholder the CHECK accepts.
    op.execute(
        "UPDATE candidates SET email = 'erased-' || CAST(id AS VARCHAR(20)) || '@erased.invalid'"
        " WHERE email IS NULL"
    )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_candidates_email_until_erased'), type_='check')
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=False)
        batch_op.drop_column('erased_at')
        batch_op.drop_column('consent_version')
