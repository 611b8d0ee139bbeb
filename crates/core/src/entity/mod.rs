//! sea-orm entities: one module per table, plus the shared enums.
//!
//! Entities are plain row mappings. Nothing outside `crate::access` and the services may query
//! them for user-facing reads: reads go through the scoped constructors in
//! [`crate::access::scope`].

pub mod app_user;
pub mod assessment;
pub mod assessment_score;
pub mod assessment_transition;
pub mod audit_event;
pub mod candidacy;
pub mod checklist_result_level;
pub mod commitment;
pub mod criteria_checklist;
pub mod criteria_group;
pub mod criterion;
pub mod enums;
pub mod idempotency_key;
pub mod legal_document;
pub mod membership;
pub mod organisation;
pub mod program;
pub mod program_legal_basis;
pub mod program_party;
pub mod program_report;
pub mod recognition_decision;
pub mod registration;
pub mod report_indicator_value;
pub mod session_co_organiser;
pub mod session_connection_point;
pub mod session_speaker;
pub mod session_topic;
pub mod training_session;

/// Entities whose primary key is a single `id` column.
pub trait WithId: sea_orm::EntityTrait {
    /// The `id` column.
    fn id_column() -> Self::Column;
    /// The row's id.
    fn id_of(model: &Self::Model) -> i64;
}

macro_rules! with_id {
    ($($entity:ident),+ $(,)?) => {$(
        impl WithId for $entity::Entity {
            fn id_column() -> Self::Column {
                $entity::Column::Id
            }
            fn id_of(model: &Self::Model) -> i64 {
                model.id
            }
        }
    )+};
}

with_id!(
    app_user,
    assessment,
    assessment_score,
    assessment_transition,
    audit_event,
    candidacy,
    checklist_result_level,
    commitment,
    criteria_checklist,
    criteria_group,
    criterion,
    legal_document,
    membership,
    organisation,
    program,
    program_party,
    program_report,
    recognition_decision,
    registration,
    report_indicator_value,
    session_connection_point,
    session_speaker,
    session_topic,
    training_session,
);

/// Entities with optimistic concurrency (`version`) and an `updated_at` column.
pub trait Versioned: WithId {
    /// How the entity is named in conflict messages.
    const LABEL: &'static str;
    /// The `version` column.
    fn version_column() -> Self::Column;
    /// The `updated_at` column.
    fn updated_at_column() -> Self::Column;
    /// The row `id`, or `NotFound`.
    fn find_by_id_i64(
        db: &impl sea_orm::ConnectionTrait,
        id: i64,
    ) -> impl std::future::Future<Output = crate::Result<Self::Model>> + Send {
        use sea_orm::{ColumnTrait, QueryFilter};
        async move {
            Self::find()
                .filter(Self::id_column().eq(id))
                .one(db)
                .await?
                .ok_or(crate::Error::NotFound)
        }
    }
}

macro_rules! versioned {
    ($($entity:ident => $label:literal),+ $(,)?) => {$(
        impl Versioned for $entity::Entity {
            const LABEL: &'static str = $label;
            fn version_column() -> Self::Column {
                $entity::Column::Version
            }
            fn updated_at_column() -> Self::Column {
                $entity::Column::UpdatedAt
            }
        }
    )+};
}

versioned!(
    organisation => "organisation",
    app_user => "user",
    legal_document => "legal document",
    program => "program",
    commitment => "commitment",
    program_report => "report",
    training_session => "training session",
    registration => "registration",
    criteria_checklist => "checklist",
    candidacy => "candidacy",
    assessment => "assessment",
);
