//! The yearly assessment cycle: candidacies registered at the start of the year, assessments with
//! per-criterion scores and workflow history, and recognition decisions.
//!
//! `subject_key` identifies the assessed subject across years and checklist versions (an
//! organisation by id, a named family/clan/citizen by its assessing organisation, kind and
//! normalised name), so one subject has at most one live assessment per checklist code and year.

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE candidacy (
    id {id},
    organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    model TEXT NOT NULL CHECK (model IN ('LEARNING_FAMILY', 'LEARNING_CLAN', 'LEARNING_COMMUNITY',
        'LEARNING_UNIT', 'LEARNING_CITIZEN')),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('ORGANISATION', 'FAMILY', 'CLAN',
        'COMMUNITY', 'CITIZEN')),
    subject_organisation_id BIGINT REFERENCES organisation (id),
    subject_name TEXT NOT NULL,
    subject_search TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    period_year INTEGER NOT NULL CHECK (period_year BETWEEN 1990 AND 2100),
    target_level INTEGER CHECK (target_level IS NULL OR target_level >= 1),
    registered_on {date} NOT NULL,
    status TEXT NOT NULL DEFAULT 'REGISTERED'
        CHECK (status IN ('REGISTERED', 'WITHDRAWN', 'ASSESSED')),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
);
CREATE UNIQUE INDEX candidacy_live_key ON candidacy (subject_key, model, period_year)
    WHERE status <> 'WITHDRAWN';
CREATE INDEX candidacy_organisation_idx ON candidacy (organisation_id, period_year, id);
CREATE TABLE assessment (
    id {id},
    checklist_id BIGINT NOT NULL REFERENCES criteria_checklist (id),
    checklist_code TEXT NOT NULL,
    model TEXT NOT NULL CHECK (model IN ('LEARNING_FAMILY', 'LEARNING_CLAN', 'LEARNING_COMMUNITY',
        'LEARNING_UNIT', 'LEARNING_CITIZEN')),
    organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    candidacy_id BIGINT REFERENCES candidacy (id),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('ORGANISATION', 'FAMILY', 'CLAN',
        'COMMUNITY', 'CITIZEN')),
    subject_organisation_id BIGINT REFERENCES organisation (id),
    subject_name TEXT NOT NULL,
    subject_search TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    period_year INTEGER NOT NULL CHECK (period_year BETWEEN 1990 AND 2100),
    status TEXT NOT NULL DEFAULT 'DRAFT'
        CHECK (status IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED')),
    total_points INTEGER,
    result_rank INTEGER NOT NULL DEFAULT 0 CHECK (result_rank >= 0),
    result_code TEXT NOT NULL DEFAULT 'NOT_MET',
    submitted_at {ts},
    approved_at {ts},
    approved_by BIGINT REFERENCES app_user (id),
    approver_organisation_id BIGINT REFERENCES organisation (id),
    return_comment TEXT,
    created_by BIGINT REFERENCES app_user (id),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    archived_at {ts},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (subject_kind <> 'ORGANISATION' OR subject_organisation_id IS NOT NULL),
    CHECK (status <> 'APPROVED' OR (approved_at IS NOT NULL AND approver_organisation_id IS NOT NULL)),
    CHECK (approver_organisation_id IS NULL OR approver_organisation_id <> organisation_id)
);
CREATE UNIQUE INDEX assessment_subject_key
    ON assessment (subject_key, checklist_code, period_year) WHERE archived_at IS NULL;
CREATE INDEX assessment_organisation_idx ON assessment (organisation_id, period_year, id);
CREATE INDEX assessment_status_idx ON assessment (status, organisation_id, id);
CREATE INDEX assessment_checklist_idx ON assessment (checklist_id, id);
CREATE INDEX assessment_subject_search_idx ON assessment (subject_search);
CREATE TABLE assessment_score (
    id {id},
    assessment_id BIGINT NOT NULL REFERENCES assessment (id),
    criterion_id BIGINT NOT NULL REFERENCES criterion (id),
    points INTEGER CHECK (points IS NULL OR points >= 0),
    met BOOLEAN,
    evidence_note TEXT,
    CHECK (points IS NULL OR met IS NULL)
);
CREATE UNIQUE INDEX assessment_score_key ON assessment_score (assessment_id, criterion_id);
CREATE INDEX assessment_score_criterion_idx ON assessment_score (criterion_id);
CREATE TABLE assessment_transition (
    id {id},
    assessment_id BIGINT NOT NULL REFERENCES assessment (id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES app_user (id),
    actor_organisation_id BIGINT REFERENCES organisation (id),
    comment TEXT,
    occurred_at {ts} NOT NULL
);
CREATE INDEX assessment_transition_assessment_idx ON assessment_transition (assessment_id, id);
CREATE TABLE recognition_decision (
    id {id},
    assessment_id BIGINT NOT NULL REFERENCES assessment (id),
    organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    decision_number TEXT NOT NULL,
    decided_on {date} NOT NULL,
    authority_name TEXT NOT NULL,
    authority_organisation_id BIGINT REFERENCES organisation (id),
    result_code TEXT NOT NULL,
    result_label TEXT NOT NULL,
    result_rank INTEGER NOT NULL CHECK (result_rank >= 1),
    valid_until {date} NOT NULL,
    next_level_eligible_on {date} NOT NULL,
    created_by BIGINT REFERENCES app_user (id),
    created_at {ts} NOT NULL,
    CHECK (valid_until > decided_on),
    CHECK (next_level_eligible_on >= decided_on)
);
CREATE UNIQUE INDEX recognition_decision_assessment_key ON recognition_decision (assessment_id);
CREATE INDEX recognition_decision_valid_idx ON recognition_decision (valid_until, id);
CREATE INDEX recognition_decision_organisation_idx ON recognition_decision (organisation_id, id);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::drop_tables(
            manager,
            &[
                "recognition_decision",
                "assessment_transition",
                "assessment_score",
                "assessment",
                "candidacy",
            ],
        )
        .await
    }
}
