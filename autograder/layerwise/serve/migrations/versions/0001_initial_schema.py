"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-12-06 02:43:49.839086
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import layerwise.serve.models

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('lti_issuer', sa.String(length=300), nullable=True),
    sa.Column('lti_deployment_id', sa.String(length=300), nullable=True),
    sa.Column('lti_context_id', sa.String(length=300), nullable=True),
    sa.Column('created', layerwise.serve.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('lti_issuer', 'lti_deployment_id', 'lti_context_id', name='uq_courses_lti')
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('student_id', sa.String(length=100), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('lti_issuer', sa.String(length=300), nullable=True),
    sa.Column('lti_subject', sa.String(length=300), nullable=True),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('created', layerwise.serve.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email'),
    sa.UniqueConstraint('lti_issuer', 'lti_subject', name='uq_users_lti')
    )
    op.create_table('course_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('assignment', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('due', layerwise.serve.models.UTCDateTime(), nullable=True),
    sa.Column('late_per_day', sa.Float(), nullable=False),
    sa.Column('late_max', sa.Float(), nullable=False),
    sa.Column('rate_count', sa.Integer(), nullable=False),
    sa.Column('rate_hours', sa.Float(), nullable=False),
    sa.Column('counts', sa.String(length=10), nullable=False),
    sa.Column('release', sa.String(length=20), nullable=False),
    sa.Column('released', sa.Boolean(), nullable=False),
    sa.Column('resource_link_id', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('course_id', 'resource_link_id', name='uq_ca_lti')
    )
    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('lms', sa.String(length=20), nullable=True),
    sa.Column('lms_user_id', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'course_id', name='uq_membership')
    )
    op.create_table('signin_links',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('expires', layerwise.serve.models.UTCDateTime(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('created', layerwise.serve.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signin_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_links_user_id'), ['user_id'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('folder', sa.String(length=300), nullable=False),
    sa.Column('created', layerwise.serve.models.UTCDateTime(), nullable=False),
    sa.Column('late_percent', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('raw_total', sa.Float(), nullable=True),
    sa.Column('total', sa.Float(), nullable=True),
    sa.Column('max_total', sa.Float(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('graded_at', layerwise.serve.models.UTCDateTime(), nullable=True),
    sa.Column('grade_seconds', sa.Float(), nullable=True),
    sa.Column('times_graded', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_assignment_id'], ['course_assignments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_sub_student', ['course_assignment_id', 'user_id'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('lease_until', layerwise.serve.models.UTCDateTime(), nullable=True),
    sa.Column('created', layerwise.serve.models.UTCDateTime(), nullable=False),
    sa.Column('started', layerwise.serve.models.UTCDateTime(), nullable=True),
    sa.Column('finished', layerwise.serve.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_claim', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_submission_id'), ['submission_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_submission_id'))
        batch_op.drop_index('ix_jobs_claim')

    op.drop_table('jobs')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_sub_student')

    op.drop_table('submissions')
    with op.batch_alter_table('signin_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_links_user_id'))

    op.drop_table('signin_links')
    op.drop_table('memberships')
    op.drop_table('course_assignments')
    op.drop_table('users')
    op.drop_table('settings')
    op.drop_table('courses')

