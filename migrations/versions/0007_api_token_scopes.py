"""API tokens get a scope, an expiry and the address of their last use

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Tokens that exist when this runs keep what they could do (scope 'write') and expire
90 days from the migration, so no client stops working on the day of the upgrade.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

SCOPES = ('read', 'write')
EXISTING_TOKENS_LIVE = timedelta(days=90)


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_used_address', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('scope', sa.String(length=8), nullable=True))

    expires = datetime.now(timezone.utc) + EXISTING_TOKENS_LIVE
    if op.get_bind().dialect.name == 'sqlite':
        # The models store UTC without an offset on SQLite (app.models.columns.UTCDateTime).
        expires = expires.replace(tzinfo=None)
    tokens = sa.table(
        'api_tokens',
        sa.column('expires_at', sa.DateTime(timezone=True)),
        sa.column('scope', sa.String(length=8)),
    )
    op.execute(tokens.update().values(expires_at=expires, scope='write'))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('scope', existing_type=sa.String(length=8), nullable=False)
        batch_op.create_check_constraint(
            'scope_valid', f"scope IN ({', '.join(repr(v) for v in SCOPES)})"
        )


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_api_tokens_scope_valid'), type_='check')
        batch_op.drop_column('scope')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('last_used_address')
