"""Issue 16: signed-in sessions, failed sign-ins, one-time password codes, shared rate-limit
counters; badge issuers with their keys; the certificate's verify token, badge id and secret
salt.

Revision ID: i16_accounts_sessions_badges
Revises: i15_speech_turns
Create Date: 2026-12-06 23:32:40.678568

"""
import secrets
import uuid

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'i16_accounts_sessions_badges'
down_revision = 'i15_speech_turns'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('badge_issuer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_issuer')),
    sa.UniqueConstraint('name', name=op.f('uq_badge_issuer_name')),
    sa.UniqueConstraint('public_id', name=op.f('uq_badge_issuer_public_id'))
    )
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_key', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(), nullable=False),
    sa.Column('last_at', sa.DateTime(), nullable=False),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure')),
    sa.UniqueConstraint('account_key', 'address', name=op.f('uq_login_failure_account_key'))
    )
    op.create_table('rate_counter',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_counter'))
    )
    op.create_table('badge_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('public_key_multibase', sa.String(length=80), nullable=False),
    sa.Column('private_key_encrypted', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['issuer_id'], ['badge_issuer.id'], name=op.f('fk_badge_key_issuer_id_badge_issuer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_key')),
    sa.UniqueConstraint('issuer_id', 'number', name=op.f('uq_badge_key_issuer_id'))
    )
    with op.batch_alter_table('badge_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_badge_key_issuer_id'), ['issuer_id'], unique=False)

    op.create_table('auth_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('end_reason', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_auth_session_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_session')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_auth_session_key_hash'))
    )
    with op.batch_alter_table('auth_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_session_user_id'), ['user_id'], unique=False)

    op.create_table('password_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_password_code_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_password_code_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_code'))
    )
    with op.batch_alter_table('password_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_code_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verify_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('public_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('identity_salt', sa.String(length=32), nullable=True))
    # Certificates issued before: each its own random token, badge id and salt.
    bind = op.get_bind()
    certificate = sa.table('certificate', sa.column('id', sa.Integer),
                           sa.column('verify_token', sa.String), sa.column('public_id', sa.String),
                           sa.column('identity_salt', sa.String))
    for (row_id,) in bind.execute(sa.select(certificate.c.id)).all():
        bind.execute(certificate.update().where(certificate.c.id == row_id).values(
            verify_token=secrets.token_urlsafe(16), public_id=str(uuid.uuid4()),
            identity_salt=secrets.token_hex(16)))
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.alter_column('verify_token', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('public_id', existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column('identity_salt', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_public_id'), ['public_id'])
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_verify_token'), ['verify_token'])



def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificate_verify_token'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_certificate_public_id'), type_='unique')
        batch_op.drop_column('identity_salt')
        batch_op.drop_column('public_id')
        batch_op.drop_column('verify_token')

    with op.batch_alter_table('password_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_code_user_id'))

    op.drop_table('password_code')
    with op.batch_alter_table('auth_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_session_user_id'))

    op.drop_table('auth_session')
    with op.batch_alter_table('badge_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_badge_key_issuer_id'))

    op.drop_table('badge_key')
    op.drop_table('rate_counter')
    op.drop_table('login_failure')
    op.drop_table('badge_issuer')
