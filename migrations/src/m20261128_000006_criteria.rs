//! Criteria checklists (bộ tiêu chí): versioned templates for one learning model, in one of two
//! styles:
//!
//! * `POINTS` — groups of criteria with maximum points; result levels by minimum total
//!   (e.g. learning family under Quyết định 448/QĐ-KHVN: 4 groups, 100 points).
//! * `INDICATORS` — each group is a criterion (tiêu chí) whose items are indicators (chỉ tiêu)
//!   that are met or not; an indicator is demanded from a result level on
//!   (`required_from_level`), so level 2 (Tốt) demands more than level 1 (Khá).
//!
//! A published version is immutable; a change is a new version (`derived_from_id`).

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE criteria_checklist (
    id {id},
    code TEXT NOT NULL,
    version_no INTEGER NOT NULL CHECK (version_no >= 1),
    model TEXT NOT NULL CHECK (model IN ('LEARNING_FAMILY', 'LEARNING_CLAN', 'LEARNING_COMMUNITY',
        'LEARNING_UNIT', 'LEARNING_CITIZEN')),
    style TEXT NOT NULL CHECK (style IN ('POINTS', 'INDICATORS')),
    title TEXT NOT NULL,
    title_search TEXT NOT NULL,
    description TEXT,
    owner_id BIGINT NOT NULL REFERENCES organisation (id),
    legal_document_id BIGINT REFERENCES legal_document (id),
    status TEXT NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PUBLISHED', 'RETIRED')),
    derived_from_id BIGINT REFERENCES criteria_checklist (id),
    recognition_validity_months INTEGER NOT NULL DEFAULT 36
        CHECK (recognition_validity_months > 0),
    next_level_wait_months INTEGER NOT NULL DEFAULT 12 CHECK (next_level_wait_months >= 0),
    published_at {ts},
    retired_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (status = 'DRAFT' OR published_at IS NOT NULL),
    CHECK (status <> 'RETIRED' OR retired_at IS NOT NULL)
);
CREATE UNIQUE INDEX criteria_checklist_version_key ON criteria_checklist (code, version_no);
CREATE INDEX criteria_checklist_owner_idx ON criteria_checklist (owner_id, id);
CREATE INDEX criteria_checklist_model_idx ON criteria_checklist (model, status, id);
CREATE TABLE checklist_result_level (
    id {id},
    checklist_id BIGINT NOT NULL REFERENCES criteria_checklist (id),
    rank INTEGER NOT NULL CHECK (rank >= 1),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    min_points INTEGER CHECK (min_points IS NULL OR min_points >= 0)
);
CREATE UNIQUE INDEX checklist_result_level_rank_key ON checklist_result_level (checklist_id, rank);
CREATE UNIQUE INDEX checklist_result_level_code_key ON checklist_result_level (checklist_id, code);
CREATE TABLE criteria_group (
    id {id},
    checklist_id BIGINT NOT NULL REFERENCES criteria_checklist (id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    max_points INTEGER CHECK (max_points IS NULL OR max_points >= 0)
);
CREATE UNIQUE INDEX criteria_group_position_key ON criteria_group (checklist_id, position);
CREATE TABLE criterion (
    id {id},
    checklist_id BIGINT NOT NULL REFERENCES criteria_checklist (id),
    group_id BIGINT NOT NULL REFERENCES criteria_group (id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    max_points INTEGER CHECK (max_points IS NULL OR max_points >= 0),
    min_points INTEGER CHECK (min_points IS NULL OR min_points >= 0),
    required BOOLEAN NOT NULL DEFAULT FALSE,
    evidence_required BOOLEAN NOT NULL DEFAULT FALSE,
    evidence_rule TEXT,
    required_from_level INTEGER CHECK (required_from_level IS NULL OR required_from_level >= 1),
    CHECK (min_points IS NULL OR max_points IS NULL OR min_points <= max_points)
);
CREATE UNIQUE INDEX criterion_position_key ON criterion (group_id, position);
CREATE INDEX criterion_checklist_idx ON criterion (checklist_id, id);
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
                "criterion",
                "criteria_group",
                "checklist_result_level",
                "criteria_checklist",
            ],
        )
        .await
    }
}
