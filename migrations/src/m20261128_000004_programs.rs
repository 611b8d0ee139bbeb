//! Coordination programs (chương trình phối hợp): parties, commitments, legal basis, and the
//! result reports (annual, mid-term review, final review) with their indicator values.

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE program (
    id {id},
    code TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES organisation (id),
    title TEXT NOT NULL,
    title_search TEXT NOT NULL,
    agreement_number TEXT,
    signed_on {date},
    signed_place TEXT,
    starts_on {date} NOT NULL,
    ends_on {date} NOT NULL,
    status TEXT NOT NULL DEFAULT 'DRAFT'
        CHECK (status IN ('DRAFT', 'ACTIVE', 'COMPLETED', 'TERMINATED')),
    objectives TEXT,
    content_areas {json} NOT NULL,
    termination_reason TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    archived_at {ts},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (ends_on >= starts_on)
);
CREATE UNIQUE INDEX program_code_key ON program (code);
CREATE INDEX program_owner_idx ON program (owner_id, starts_on, id);
CREATE INDEX program_status_idx ON program (status, starts_on, id);
CREATE INDEX program_starts_idx ON program (starts_on, id);
CREATE INDEX program_title_idx ON program (title_search);
CREATE TABLE program_party (
    id {id},
    program_id BIGINT NOT NULL REFERENCES program (id),
    organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    role TEXT NOT NULL CHECK (role IN ('ASSOCIATION', 'PARTNER', 'COORDINATOR')),
    signatory_name TEXT,
    signatory_title TEXT,
    duties TEXT,
    added_at {ts} NOT NULL,
    removed_at {ts}
);
CREATE UNIQUE INDEX program_party_live_key ON program_party (program_id, organisation_id)
    WHERE removed_at IS NULL;
CREATE INDEX program_party_organisation_idx ON program_party (organisation_id, program_id);
CREATE TABLE program_legal_basis (
    program_id BIGINT NOT NULL REFERENCES program (id),
    legal_document_id BIGINT NOT NULL REFERENCES legal_document (id),
    PRIMARY KEY (program_id, legal_document_id)
);
CREATE INDEX program_legal_basis_document_idx ON program_legal_basis (legal_document_id);
CREATE TABLE commitment (
    id {id},
    program_id BIGINT NOT NULL REFERENCES program (id),
    party_id BIGINT NOT NULL REFERENCES program_party (id),
    position INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL,
    indicator TEXT NOT NULL,
    unit TEXT,
    target_value {float},
    due_on {date},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    archived_at {ts},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
);
CREATE INDEX commitment_program_idx ON commitment (program_id, position, id);
CREATE INDEX commitment_party_idx ON commitment (party_id);
CREATE TABLE program_report (
    id {id},
    program_id BIGINT NOT NULL REFERENCES program (id),
    reporting_organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    kind TEXT NOT NULL CHECK (kind IN ('ANNUAL', 'MID_TERM', 'FINAL')),
    period_year INTEGER CHECK (period_year IS NULL OR period_year BETWEEN 1990 AND 2100),
    title TEXT NOT NULL,
    achievements TEXT,
    shortcomings TEXT,
    proposals TEXT,
    status TEXT NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SUBMITTED', 'ACKNOWLEDGED')),
    submitted_at {ts},
    submitted_by BIGINT REFERENCES app_user (id),
    acknowledged_at {ts},
    acknowledged_by BIGINT REFERENCES app_user (id),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    archived_at {ts},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (kind <> 'ANNUAL' OR period_year IS NOT NULL),
    CHECK (status = 'DRAFT' OR submitted_at IS NOT NULL),
    CHECK (status <> 'ACKNOWLEDGED' OR acknowledged_at IS NOT NULL)
);
CREATE UNIQUE INDEX program_report_period_key
    ON program_report (program_id, reporting_organisation_id, kind, COALESCE(period_year, 0))
    WHERE archived_at IS NULL;
CREATE INDEX program_report_program_idx ON program_report (program_id, id);
CREATE INDEX program_report_reporter_idx ON program_report (reporting_organisation_id, id);
CREATE TABLE report_indicator_value (
    id {id},
    report_id BIGINT NOT NULL REFERENCES program_report (id),
    commitment_id BIGINT NOT NULL REFERENCES commitment (id),
    value {float} NOT NULL,
    note TEXT
);
CREATE UNIQUE INDEX report_indicator_value_key ON report_indicator_value (report_id, commitment_id);
CREATE INDEX report_indicator_value_commitment_idx ON report_indicator_value (commitment_id, report_id);
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
                "report_indicator_value",
                "program_report",
                "commitment",
                "program_legal_basis",
                "program_party",
                "program",
            ],
        )
        .await
    }
}
