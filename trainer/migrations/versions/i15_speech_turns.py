"""speaking exemptions for spoken assessments (issue 15)

Revision ID: i15_speech_turns
Revises: i14_pay_integrity
Create Date: 2026-12-07 00:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'i15_speech_turns'
down_revision = 'i14_pay_integrity'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'speaking_exemption',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('window_id', sa.Integer(), nullable=False),
        sa.Column('granted_by_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['granted_by_id'], ['user_account.id'],
                                name=op.f('fk_speaking_exemption_granted_by_id_user_account')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_speaking_exemption_user_id_user_account')),
        sa.ForeignKeyConstraint(['window_id'], ['assessment_window.id'],
                                name=op.f('fk_speaking_exemption_window_id_assessment_window')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_speaking_exemption')),
        sa.UniqueConstraint('user_id', 'window_id', name=op.f('uq_speaking_exemption_user_id')),
    )
    with op.batch_alter_table('speaking_exemption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speaking_exemption_user_id'), ['user_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_speaking_exemption_window_id'), ['window_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('speaking_exemption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speaking_exemption_window_id'))
        batch_op.drop_index(batch_op.f('ix_speaking_exemption_user_id'))
    op.drop_table('speaking_exemption')
