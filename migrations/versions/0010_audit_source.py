"""audit rows: source address and user agent; rows that cannot be changed or deleted

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The triggers refuse every UPDATE and DELETE of audit_events, with one exception: setting
actor_id to NULL and nothing else, which is what the foreign key's ON DELETE SET NULL does
when a user row is deleted (the app never deletes users, it deactivates them; the
exception keeps a database-level deletion possible). On PostgreSQL a TRUNCATE is refused
too. A later migration that rebuilds audit_events on SQLite (batch mode with a table copy)
drops these triggers and must create them again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

MESSAGE = 'audit_events rows cannot be changed or deleted'
# The columns of audit_events when this revision was written, actor_id excepted.
KEPT = ('id', 'occurred_at', 'channel', 'action', 'object_type', 'object_id', 'summary',
        'address', 'user_agent')

SQLITE_TRIGGERS = (
    f"""
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
              AND {' AND '.join(f'NEW.{c} IS OLD.{c}' for c in KEPT)})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
)

POSTGRESQL_TRIGGERS = (
    f"""
    CREATE FUNCTION audit_events_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
           AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id' THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_write_once()
    """,
    """
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_write_once()
    """,
)


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('user_agent', sa.String(length=256), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_events_address'), ['address'], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    elif dialect == 'postgresql':
        for statement in POSTGRESQL_TRIGGERS:
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_delete')
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_update')
    elif dialect == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events')
        op.execute('DROP TRIGGER IF EXISTS audit_events_no_update_or_delete ON audit_events')
        op.execute('DROP FUNCTION IF EXISTS audit_events_write_once()')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_address'))
        batch_op.drop_column('user_agent')
        batch_op.drop_column('address')
