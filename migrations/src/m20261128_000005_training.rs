//! Training sessions (tập huấn): co-organisers, topics tied to legal documents, speakers, online
//! connection points, and registrations with attendance.
//!
//! `registered_count` is maintained by the single statement that admits a registration
//! (`... WHERE capacity IS NULL OR registered_count < capacity`), and the CHECK below makes
//! over-booking impossible even for a writer that forgets the guard.

use sea_orm_migration::prelude::*;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = r#"
CREATE TABLE training_session (
    id {id},
    organiser_id BIGINT NOT NULL REFERENCES organisation (id),
    program_id BIGINT REFERENCES program (id),
    title TEXT NOT NULL,
    title_search TEXT NOT NULL,
    description TEXT,
    audience {json} NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('IN_PERSON', 'ONLINE', 'HYBRID')),
    venue TEXT,
    online_url TEXT,
    starts_at {ts} NOT NULL,
    ends_at {ts} NOT NULL,
    capacity INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    planned_participants INTEGER CHECK (planned_participants IS NULL OR planned_participants >= 0),
    status TEXT NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED', 'HELD', 'CANCELLED')),
    cancellation_reason TEXT,
    registered_count INTEGER NOT NULL DEFAULT 0 CHECK (registered_count >= 0),
    attended_count INTEGER NOT NULL DEFAULT 0 CHECK (attended_count >= 0),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    archived_at {ts},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (ends_at >= starts_at),
    CHECK (capacity IS NULL OR registered_count <= capacity),
    CHECK (attended_count <= registered_count)
);
CREATE INDEX training_session_organiser_idx ON training_session (organiser_id, starts_at, id);
CREATE INDEX training_session_program_idx ON training_session (program_id, starts_at, id);
CREATE INDEX training_session_starts_idx ON training_session (starts_at, id);
CREATE INDEX training_session_title_idx ON training_session (title_search);
CREATE TABLE session_co_organiser (
    session_id BIGINT NOT NULL REFERENCES training_session (id),
    organisation_id BIGINT NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (session_id, organisation_id)
);
CREATE INDEX session_co_organiser_organisation_idx ON session_co_organiser (organisation_id);
CREATE TABLE session_topic (
    id {id},
    session_id BIGINT NOT NULL REFERENCES training_session (id),
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    legal_document_id BIGINT REFERENCES legal_document (id)
);
CREATE INDEX session_topic_session_idx ON session_topic (session_id, position, id);
CREATE INDEX session_topic_document_idx ON session_topic (legal_document_id);
CREATE TABLE session_speaker (
    id {id},
    session_id BIGINT NOT NULL REFERENCES training_session (id),
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    title TEXT,
    affiliation TEXT
);
CREATE INDEX session_speaker_session_idx ON session_speaker (session_id, position, id);
CREATE TABLE session_connection_point (
    id {id},
    session_id BIGINT NOT NULL REFERENCES training_session (id),
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    address TEXT,
    organisation_id BIGINT REFERENCES organisation (id),
    expected_participants INTEGER CHECK (expected_participants IS NULL OR expected_participants >= 0)
);
CREATE INDEX session_connection_point_session_idx ON session_connection_point (session_id, position, id);
CREATE TABLE registration (
    id {id},
    session_id BIGINT NOT NULL REFERENCES training_session (id),
    person_name TEXT NOT NULL,
    person_search TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisation (id),
    organisation_name TEXT,
    position TEXT,
    contact TEXT,
    dedup_key TEXT NOT NULL,
    connection_point_id BIGINT REFERENCES session_connection_point (id),
    status TEXT NOT NULL DEFAULT 'REGISTERED' CHECK (status IN ('REGISTERED', 'CANCELLED')),
    attended BOOLEAN NOT NULL DEFAULT FALSE,
    attended_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK (attended = (attended_at IS NOT NULL))
);
CREATE UNIQUE INDEX registration_live_key ON registration (session_id, dedup_key)
    WHERE status = 'REGISTERED';
CREATE INDEX registration_session_idx ON registration (session_id, id);
CREATE INDEX registration_organisation_idx ON registration (organisation_id);
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
                "registration",
                "session_connection_point",
                "session_speaker",
                "session_topic",
                "session_co_organiser",
                "training_session",
            ],
        )
        .await
    }
}
