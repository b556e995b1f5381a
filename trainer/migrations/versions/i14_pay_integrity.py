"""Pay integrity (issue 14): the finalize step's record and the triggers that make it the only
way into final, HR's period overrides, HR's decision on evaluations without assessment data,
what a payroll export records, HR-managed assessment windows, and the certificate status
history (who suspended, every reason kept).

Revision ID: i14_pay_integrity
Revises: 9c9590cf9f0a
Create Date: 2026-12-07 08:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'i14_pay_integrity'
down_revision = '9c9590cf9f0a'
branch_labels = None
depends_on = None

APPEND_ONLY = ("evaluation_finalization", "evaluation_period_override",
               "certificate_status_change")

# An evaluation becomes final only through the finalize step: it first writes its
# evaluation_finalization row (only for an acknowledged or resolved evaluation), then the
# status change must match that row (who, when, total, grade, coefficient). A row INSERTed
# as final is refused outright. (Final rows are already locked by 9c9590cf9f0a's triggers.)
PG_FINAL_PATH = (
    "CREATE OR REPLACE FUNCTION trainer_final_only_by_finalize() RETURNS trigger AS $$ "
    "BEGIN "
    "IF NEW.status = 'final' AND TG_OP = 'INSERT' THEN "
    "RAISE EXCEPTION 'evaluation cannot be inserted as final'; END IF; "
    "IF NEW.status = 'final' AND TG_OP = 'UPDATE' AND OLD.status <> 'final' AND NOT EXISTS ("
    "SELECT 1 FROM evaluation_finalization f WHERE f.evaluation_id = NEW.id "
    "AND f.finalized_by_id IS NOT DISTINCT FROM NEW.finalized_by_id "
    "AND f.finalized_at IS NOT DISTINCT FROM NEW.finalized_at "
    "AND f.total IS NOT DISTINCT FROM NEW.total AND f.grade IS NOT DISTINCT FROM NEW.grade "
    "AND f.coefficient IS NOT DISTINCT FROM NEW.coefficient) THEN "
    "RAISE EXCEPTION 'evaluation % becomes final only through the finalize step', NEW.id; "
    "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
)
PG_FINALIZATION_GUARD = (
    "CREATE OR REPLACE FUNCTION trainer_finalization_needs_acknowledged() RETURNS trigger AS $$ "
    "BEGIN "
    "IF (SELECT status FROM evaluation WHERE id = NEW.evaluation_id) "
    "NOT IN ('acknowledged', 'resolved') THEN "
    "RAISE EXCEPTION 'only an acknowledged or resolved evaluation can be finalized'; END IF; "
    "RETURN NEW; END $$ LANGUAGE plpgsql"
)
SQLITE_GUARDS = (
    "CREATE TRIGGER evaluation_no_insert_final BEFORE INSERT ON evaluation "
    "WHEN NEW.status = 'final' "
    "BEGIN SELECT RAISE(ABORT, 'evaluation cannot be inserted as final'); END",
    "CREATE TRIGGER evaluation_final_only_by_finalize BEFORE UPDATE ON evaluation "
    "WHEN NEW.status = 'final' AND OLD.status <> 'final' AND NOT EXISTS ("
    "SELECT 1 FROM evaluation_finalization f WHERE f.evaluation_id = NEW.id "
    "AND f.finalized_by_id IS NEW.finalized_by_id AND f.finalized_at IS NEW.finalized_at "
    "AND f.total IS NEW.total AND f.grade IS NEW.grade AND f.coefficient IS NEW.coefficient) "
    "BEGIN SELECT RAISE(ABORT, 'evaluation becomes final only through the finalize step'); END",
    "CREATE TRIGGER evaluation_finalization_needs_acknowledged BEFORE INSERT ON "
    "evaluation_finalization WHEN (SELECT status FROM evaluation WHERE id = NEW.evaluation_id) "
    "NOT IN ('acknowledged', 'resolved') "
    "BEGIN SELECT RAISE(ABORT, 'only an acknowledged or resolved evaluation can be finalized'); "
    "END",
)


def create_guards():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FINAL_PATH)
        op.execute("CREATE TRIGGER evaluation_final_only_by_finalize BEFORE INSERT OR UPDATE "
                   "ON evaluation FOR EACH ROW EXECUTE FUNCTION trainer_final_only_by_finalize()")
        op.execute(PG_FINALIZATION_GUARD)
        op.execute("CREATE TRIGGER evaluation_finalization_needs_acknowledged BEFORE INSERT ON "
                   "evaluation_finalization FOR EACH ROW EXECUTE FUNCTION "
                   "trainer_finalization_needs_acknowledged()")
        # trainer_refuse_change() comes with the audit log's migration.
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION trainer_refuse_change()")
        return
    for statement in SQLITE_GUARDS:
        op.execute(statement)
    for table in APPEND_ONLY:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def drop_guards():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS evaluation_final_only_by_finalize ON evaluation")
        op.execute("DROP FUNCTION IF EXISTS trainer_final_only_by_finalize()")
        op.execute("DROP TRIGGER IF EXISTS evaluation_finalization_needs_acknowledged "
                   "ON evaluation_finalization")
        op.execute("DROP FUNCTION IF EXISTS trainer_finalization_needs_acknowledged()")
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        return
    for name in ("evaluation_no_insert_final", "evaluation_final_only_by_finalize",
                 "evaluation_finalization_needs_acknowledged"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in APPEND_ONLY:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")


def upgrade():
    op.create_table(
        'evaluation_finalization',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('finalized_at', sa.DateTime(), nullable=False),
        sa.Column('finalized_by_id', sa.Integer(), nullable=False),
        sa.Column('total', sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column('grade', sa.String(length=20), nullable=True),
        sa.Column('coefficient', sa.Numeric(precision=8, scale=4), nullable=True),
        sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'],
                                name=op.f('fk_evaluation_finalization_evaluation_id_evaluation')),
        sa.ForeignKeyConstraint(['finalized_by_id'], ['user_account.id'],
                                name=op.f('fk_evaluation_finalization_finalized_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_finalization')),
        sa.UniqueConstraint('evaluation_id', name=op.f('uq_evaluation_finalization_evaluation_id')),
    )
    op.create_table(
        'evaluation_period_override',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_evaluation_period_override_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_period_override')),
        sa.UniqueConstraint('period', name=op.f('uq_evaluation_period_override_period')),
    )
    op.create_table(
        'certificate_status_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('from_status', sa.String(length=12), nullable=False),
        sa.Column('to_status', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_role', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'],
                                name=op.f('fk_certificate_status_change_actor_id_user_account')),
        sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'],
                                name=op.f('fk_certificate_status_change_certificate_id_certificate')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_status_change')),
    )
    op.create_index(op.f('ix_certificate_status_change_certificate_id'),
                    'certificate_status_change', ['certificate_id'], unique=False)

    # Plain ADD COLUMN (no table rebuild on SQLite, which would drop the existing triggers).
    op.add_column('evaluation', sa.Column('hr_decision', sa.Text(), nullable=False,
                                          server_default=''))
    # No foreign key: SQLite cannot add one without rebuilding the table (see the model).
    op.add_column('evaluation', sa.Column('hr_decision_by_id', sa.Integer(), nullable=True))
    op.add_column('evaluation', sa.Column('hr_decision_at', sa.DateTime(), nullable=True))
    op.add_column('payroll_export', sa.Column('unfinalized_count', sa.Integer(), nullable=False,
                                              server_default='0'))
    op.add_column('payroll_export', sa.Column('override_reason', sa.Text(), nullable=False,
                                              server_default=''))
    op.add_column('assessment_window', sa.Column('hr_managed', sa.Boolean(), nullable=False,
                                                 server_default=sa.false()))
    # Windows for every station, and those HR or admin set, are HR's.
    op.execute("UPDATE assessment_window SET hr_managed = TRUE WHERE station_id IS NULL OR "
               "created_by_id IN (SELECT id FROM user_account WHERE role IN ('hr', 'admin'))")
    # The state certificates are in now becomes the first entry of their history; who
    # imposed it comes from the audit log where it says so.
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT c.id, c.status, c.status_reason, c.status_changed_at, c.created_at "
        "FROM certificate c WHERE c.status IN ('suspended', 'revoked')")).all()
    for cert_id, status, reason, changed_at, created_at in rows:
        actor = bind.execute(sa.text(
            "SELECT a.actor_id, u.role FROM audit_log a LEFT JOIN user_account u "
            "ON u.id = a.actor_id WHERE a.entity_type = 'certificate' AND a.entity_id = :id "
            "AND a.action = :action ORDER BY a.id DESC LIMIT 1"),
            {"id": str(cert_id), "action": f"certificate.{status}"}).first()
        actor_id, role = (actor[0], actor[1] or "system") if actor else (None, "system")
        bind.execute(sa.text(
            "INSERT INTO certificate_status_change (certificate_id, at, from_status, "
            "to_status, reason, actor_id, actor_role) VALUES (:c, :at, 'active', :s, :r, :a, "
            ":role)"), {"c": cert_id, "at": changed_at or created_at, "s": status,
                        "r": reason or "", "a": actor_id, "role": role})
    create_guards()


def downgrade():
    drop_guards()
    with op.batch_alter_table('assessment_window') as batch_op:
        batch_op.drop_column('hr_managed')
    op.drop_index(op.f('ix_certificate_status_change_certificate_id'),
                  table_name='certificate_status_change')
    op.drop_table('certificate_status_change')
    op.drop_table('evaluation_period_override')
    op.drop_table('evaluation_finalization')
    # On SQLite the evaluation and payroll_export columns stay: dropping them would rebuild
    # the tables and lose their lock triggers.
    if op.get_bind().dialect.name == "postgresql":
        for table, column in (("evaluation", "hr_decision"), ("evaluation", "hr_decision_by_id"),
                              ("evaluation", "hr_decision_at"),
                              ("payroll_export", "unfinalized_count"),
                              ("payroll_export", "override_reason")):
            op.drop_column(table, column)
