"""the admin's lists page by cursor: the audit log by (occurred_at, id), with one index
per filter ending in that order (actor, object, source address, action), which replace
the single-column ones they start with; the users list by e-mail among the active or the
deactivated, and who holds a role

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# (new index, its columns, the index it replaces or None, that one's columns)
AUDIT = (
    ('ix_audit_events_occurred', ['occurred_at', 'id'], 'ix_audit_events_occurred_at', ['occurred_at']),
    ('ix_audit_events_actor_occurred', ['actor_id', 'occurred_at', 'id'], 'ix_audit_events_actor_id', ['actor_id']),
    ('ix_audit_events_object', ['object_type', 'object_id', 'occurred_at', 'id'], None, None),
    ('ix_audit_events_address_occurred', ['address', 'occurred_at', 'id'], 'ix_audit_events_address', ['address']),
    ('ix_audit_events_action_occurred', ['action', 'occurred_at', 'id'], 'ix_audit_events_action', ['action']),
)

# An action's prefix (LIKE 'auth.%') is a range of the index on PostgreSQL whatever the
# database's collation; SQLite ignores this.
OPTIONS = {'ix_audit_events_action_occurred': {'postgresql_ops': {'action': 'varchar_pattern_ops'}}}


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        for name, columns, replaced, _old_columns in AUDIT:
            batch_op.create_index(name, columns, unique=False, **OPTIONS.get(name, {}))
            if replaced:
                batch_op.drop_index(replaced)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_active_email', ['active', 'email'], unique=False)
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.create_index('ix_user_roles_role', ['role', 'user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_index('ix_user_roles_role')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_active_email')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        for name, _columns, replaced, old_columns in reversed(AUDIT):
            if replaced:
                batch_op.create_index(replaced, old_columns, unique=False)
            batch_op.drop_index(name)
