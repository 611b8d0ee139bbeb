//! The demo dataset: a realistic, deterministic slice of the federation.
//!
//! The central association, the 34 provincial branches after the 2025 merger, communes, chi hội
//! and Ban Khuyến học in Hà Nội and TP. Hồ Chí Minh, the partner bodies the source article names,
//! the legal documents the domain refers to, coordination programs with parties, commitments and
//! reports, training sessions with registrations, the criteria checklists of the learning models
//! in both styles, and assessments in every workflow state with their recognition decisions.
//!
//! Every timestamp and date is a constant, so two seeds write the same rows (only the salted
//! password hash differs). Everything is written in one transaction: a failure leaves the
//! database as it was. The seed must only ever run on an empty database (`serve --demo` checks
//! [`is_empty`] first); it never reads or changes existing rows.
//!
//! Each file holds one area: its data as `const` tables (`*_table.rs`) and the code that inserts
//! it through sea-orm active models.

mod assessment_table;
mod assessments;
mod checklist_table;
mod checklists;
mod documents;
mod organisations;
mod people;
mod program_table;
mod programs;
mod session_table;
mod training;
mod users;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, NotSet, PaginatorTrait,
    Set,
};
use serde_json::json;

use crate::access::path;
use crate::entity::{audit_event, legal_document, organisation};
use crate::{Error, Result};

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password";

/// The demo accounts: email and what each is for (all use [`DEMO_PASSWORD`]).
pub const DEMO_ACCOUNTS: &[(&str, &str)] = &[
    (
        "central.admin@demo.khuyenhoc.vn",
        "ADMIN of the central association (Hội Khuyến học Việt Nam)",
    ),
    (
        "hanoi.admin@demo.khuyenhoc.vn",
        "ADMIN of the Hà Nội branch (Hội Khuyến học thành phố Hà Nội)",
    ),
    (
        "hanoi.viewer@demo.khuyenhoc.vn",
        "VIEWER of the Hà Nội branch",
    ),
    (
        "hcm.admin@demo.khuyenhoc.vn",
        "ADMIN of the TP. Hồ Chí Minh branch",
    ),
    (
        "commune.editor@demo.khuyenhoc.vn",
        "EDITOR of the phường Ba Đình branch, a commune under Hà Nội",
    ),
    (
        "moet.partner@demo.khuyenhoc.vn",
        "EDITOR of the Ministry of Education and Training (partner body MOET)",
    ),
    (
        "auditor@demo.khuyenhoc.vn",
        "AUDITOR at the central association",
    ),
];

/// Summary of what was seeded.
#[derive(Debug, Clone, Default)]
pub struct SeedReport {
    /// Organisations (both trees, merged ones included).
    pub organisations: usize,
    /// User accounts.
    pub users: usize,
    /// Coordination programs.
    pub programs: usize,
    /// Training sessions.
    pub training_sessions: usize,
    /// Registrations for training sessions (cancelled ones included).
    pub registrations: usize,
    /// Checklist versions.
    pub checklists: usize,
    /// Assessments.
    pub assessments: usize,
    /// Legal documents.
    pub legal_documents: usize,
}

/// Whether the database holds no organisation yet (so `serve --demo` seeds only an empty
/// database).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool> {
    Ok(organisation::Entity::find().count(db).await? == 0)
}

/// Seeds the whole demo dataset in one transaction, all-or-nothing.
pub async fn seed(db: &DatabaseConnection) -> Result<SeedReport> {
    // Hashing is slow: once, shared by every demo account.
    let password_hash = crate::auth::password::hash(DEMO_PASSWORD).await?;
    let txn = crate::db::begin_write(db).await?;
    let report = {
        let mut seeder = Seeder {
            txn: &txn,
            orgs: HashMap::new(),
            documents: HashMap::new(),
            acting_users: HashMap::new(),
            programs: HashMap::new(),
            report: SeedReport::default(),
            password_hash,
        };
        seeder.run().await?;
        seeder.report
    };
    txn.commit().await?;
    Ok(report)
}

/// A calendar day as `(year, month, day)`, the form the data tables use.
type Ymd = (i32, u32, u32);

/// State shared while seeding: the transaction and what was created so far, by code.
struct Seeder<'a> {
    txn: &'a DatabaseTransaction,
    /// Organisations by code.
    orgs: HashMap<&'static str, organisation::Model>,
    /// Legal documents by number.
    documents: HashMap<&'static str, legal_document::Model>,
    /// For each organisation with a demo ADMIN or EDITOR, that user's id.
    acting_users: HashMap<i64, i64>,
    /// Program ids by code.
    programs: HashMap<&'static str, i64>,
    report: SeedReport,
    password_hash: String,
}

impl Seeder<'_> {
    /// Seeds every area, parents before children.
    async fn run(&mut self) -> Result<()> {
        organisations::seed(self).await?;
        documents::seed(self).await?;
        users::seed(self).await?;
        programs::seed(self).await?;
        training::seed(self).await?;
        let checklists = checklists::seed(self).await?;
        assessments::seed(self, &checklists).await?;
        // Rows were written directly, like a bulk load: count them into the statistics tallies.
        khuyenhoc_migrations::rebuild::statistics_tallies(self.txn).await?;
        self.record_seed_event().await
    }

    /// The organisation seeded with `code`.
    fn org(&self, code: &str) -> Result<&organisation::Model> {
        self.orgs
            .get(code)
            .ok_or_else(|| Error::Internal(format!("demo organisation {code} missing")))
    }

    /// The id of the organisation seeded with `code`.
    fn org_id(&self, code: &str) -> Result<i64> {
        self.org(code).map(|o| o.id)
    }

    /// The organisation seeded with id `id`.
    fn org_by_id(&self, id: i64) -> Result<&organisation::Model> {
        self.orgs
            .values()
            .find(|o| o.id == id)
            .ok_or_else(|| Error::Internal(format!("demo organisation #{id} missing")))
    }

    /// The id of the legal document seeded with `number`.
    fn document_id(&self, number: &str) -> Result<i64> {
        self.documents
            .get(number)
            .map(|d| d.id)
            .ok_or_else(|| Error::Internal(format!("demo document {number} missing")))
    }

    /// The id of the program seeded with `code`.
    fn program_id(&self, code: &str) -> Result<i64> {
        self.programs
            .get(code)
            .copied()
            .ok_or_else(|| Error::Internal(format!("demo program {code} missing")))
    }

    /// The demo user who writes for `org`: the ADMIN or EDITOR of the nearest organisation on
    /// its path (itself first), if any.
    fn acting_user(&self, org: &organisation::Model) -> Option<i64> {
        path::ids(&org.path)
            .iter()
            .rev()
            .find_map(|id| self.acting_users.get(id).copied())
    }

    /// The nearest strict ancestor of `org` with a demo user who writes for it, and that user:
    /// who approves what `org` submits.
    fn approver_of(&self, org: &organisation::Model) -> Result<(organisation::Model, i64)> {
        org.ancestor_ids()
            .iter()
            .rev()
            .find_map(|id| self.acting_users.get(id).map(|user| (*id, *user)))
            .ok_or_else(|| Error::Internal(format!("no demo approver above {}", org.code)))
            .and_then(|(id, user)| Ok((self.org_by_id(id)?.clone(), user)))
    }

    /// One audit event saying the dataset was loaded.
    async fn record_seed_event(&self) -> Result<()> {
        let r = &self.report;
        audit_event::ActiveModel {
            id: NotSet,
            occurred_at: Set(at((2025, 7, 1), 7)?),
            actor_user_id: Set(None),
            actor_label: Set(Some("demo seed".to_owned())),
            organisation_id: Set(Some(self.org_id("VAPE")?)),
            entity_type: Set("DemoDataset".to_owned()),
            entity_id: Set(None),
            action: Set("seed".to_owned()),
            changes: Set(json!({ "after": {
                "organisations": r.organisations,
                "users": r.users,
                "legalDocuments": r.legal_documents,
                "programs": r.programs,
                "trainingSessions": r.training_sessions,
                "registrations": r.registrations,
                "checklists": r.checklists,
                "assessments": r.assessments,
            }})),
            request_id: Set(None),
        }
        .insert(self.txn)
        .await?;
        Ok(())
    }
}

/// A fixed calendar day.
fn date((year, month, day): Ymd) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| Error::Internal(format!("invalid demo date {year}-{month}-{day}")))
}

/// A fixed instant: `hour` o'clock UTC on `day`.
fn at(day: Ymd, hour: u32) -> Result<DateTime<Utc>> {
    at_day(date(day)?, hour)
}

/// `hour` o'clock UTC on `day`.
fn at_day(day: NaiveDate, hour: u32) -> Result<DateTime<Utc>> {
    day.and_hms_opt(hour, 0, 0)
        .map(|t| t.and_utc())
        .ok_or_else(|| Error::Internal(format!("invalid demo instant {day} {hour}h")))
}

/// `day` moved by `days` (earlier when negative).
fn shift(day: NaiveDate, days: i64) -> Result<NaiveDate> {
    chrono::TimeDelta::try_days(days)
        .and_then(|delta| day.checked_add_signed(delta))
        .ok_or_else(|| Error::Internal(format!("demo date {day} + {days} days out of range")))
}

/// A 1-based position or count from a 0-based index or a length.
fn position(index: usize) -> Result<i32> {
    count(index + 1)
}

/// A count as stored (INTEGER).
fn count(n: usize) -> Result<i32> {
    i32::try_from(n).map_err(|_| Error::Internal(format!("demo count {n} out of range")))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};

    use super::*;
    use crate::db::{self, DatabaseSettings};
    use crate::entity::enums::{OrganisationKind, RegistrationStatus};
    use crate::entity::{
        assessment, assessment_score, checklist_result_level, criterion, registration,
        training_session,
    };
    use crate::service::scoring;

    /// Migrates the empty database at `url`, seeds it once and checks what was written.
    async fn seed_and_check(url: &str) {
        let settings = DatabaseSettings {
            url: url.to_owned(),
            ..Default::default()
        };
        let db = db::connect(&settings).await.unwrap();
        db::migrate(&db).await.unwrap();
        assert!(is_empty(&db).await.unwrap());

        let report = seed(&db).await.unwrap();
        let counts = [
            report.organisations,
            report.users,
            report.programs,
            report.training_sessions,
            report.registrations,
            report.checklists,
            report.assessments,
            report.legal_documents,
        ];
        assert!(counts.iter().all(|n| *n > 0), "{report:?}");
        assert_eq!(report.users, DEMO_ACCOUNTS.len());
        assert!(!is_empty(&db).await.unwrap());

        let provinces = organisation::Entity::find()
            .filter(organisation::Column::Kind.eq(OrganisationKind::Provincial))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(provinces, 34);

        let all = organisation::Entity::find().all(&db).await.unwrap();
        assert_eq!(all.len(), report.organisations);
        let by_id: HashMap<i64, &organisation::Model> = all.iter().map(|o| (o.id, o)).collect();
        for org in &all {
            let parent = org.parent_id.map(|p| by_id[&p]);
            assert_eq!(
                org.path,
                path::child(parent.map(|p| p.path.as_str()), org.id),
                "{}",
                org.code
            );
            assert_eq!(org.depth, parent.map_or(0, |p| p.depth + 1), "{}", org.code);
        }

        for (email, _) in DEMO_ACCOUNTS {
            let user = crate::service::user::find_active_by_email(&db, email)
                .await
                .unwrap();
            assert!(user.is_some(), "{email}");
        }
        let central = crate::service::user::find_active_by_email(&db, DEMO_ACCOUNTS[0].0)
            .await
            .unwrap();
        assert!(
            crate::auth::password::verify(DEMO_PASSWORD, central.and_then(|u| u.password_hash))
                .await
        );

        // Session counters agree with the registrations.
        for session in training_session::Entity::find().all(&db).await.unwrap() {
            let rows = registration::Entity::find()
                .filter(registration::Column::SessionId.eq(session.id))
                .all(&db)
                .await
                .unwrap();
            let live = rows
                .iter()
                .filter(|r| r.status == RegistrationStatus::Registered)
                .count();
            let attended = rows.iter().filter(|r| r.attended).count();
            assert_eq!(
                usize::try_from(session.registered_count).unwrap(),
                live,
                "{}",
                session.title
            );
            assert_eq!(
                usize::try_from(session.attended_count).unwrap(),
                attended,
                "{}",
                session.title
            );
        }

        // Stored results are what the server computes from the stored scores.
        let criteria = criterion::Entity::find().all(&db).await.unwrap();
        let levels = checklist_result_level::Entity::find()
            .all(&db)
            .await
            .unwrap();
        let checklists = crate::entity::criteria_checklist::Entity::find()
            .all(&db)
            .await
            .unwrap();
        for a in assessment::Entity::find().all(&db).await.unwrap() {
            let checklist = checklists.iter().find(|c| c.id == a.checklist_id).unwrap();
            let own_criteria: Vec<_> = criteria
                .iter()
                .filter(|c| c.checklist_id == a.checklist_id)
                .cloned()
                .collect();
            let own_levels: Vec<_> = levels
                .iter()
                .filter(|l| l.checklist_id == a.checklist_id)
                .cloned()
                .collect();
            let scores = assessment_score::Entity::find()
                .filter(assessment_score::Column::AssessmentId.eq(a.id))
                .all(&db)
                .await
                .unwrap();
            assert_eq!(scores.len(), own_criteria.len(), "{}", a.subject_name);
            let answers = scores
                .iter()
                .map(|s| {
                    (
                        s.criterion_id,
                        scoring::Answer {
                            points: s.points,
                            met: s.met,
                        },
                    )
                })
                .collect();
            let outcome = scoring::score(checklist.style, &own_criteria, &own_levels, &answers);
            assert_eq!(
                a.total_points,
                Some(outcome.total_points),
                "{}",
                a.subject_name
            );
            assert_eq!(
                (a.result_rank, a.result_code.as_str()),
                (outcome.result_rank, outcome.result_code.as_str())
            );
        }
        db.close().await.unwrap();
    }

    #[test]
    fn accounts_are_documented() {
        let seeded: Vec<&str> = users::ACCOUNTS.iter().map(|a| a.0).collect();
        let documented: Vec<&str> = DEMO_ACCOUNTS.iter().map(|a| a.0).collect();
        assert_eq!(seeded, documented);
        assert!(seeded.iter().all(|e| *e == e.to_lowercase()));
    }

    #[tokio::test]
    async fn seeds_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        seed_and_check(&format!("sqlite://{}/demo.db", dir.path().display())).await;
    }

    /// Runs the same checks on a fresh PostgreSQL database when `TEST_DATABASE_URL` is set (the
    /// database it names is only used to create and drop the fresh one).
    #[tokio::test]
    async fn seeds_postgres() {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            return;
        };
        let name = format!("demo_seed_test_{}", rand::random::<u32>());
        let admin = db::connect(&DatabaseSettings {
            url: admin_url.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let url = with_database(&admin_url, &name);
        let outcome = tokio::spawn(async move { seed_and_check(&url).await }).await;
        admin
            .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await
            .unwrap();
        admin.close().await.unwrap();
        if let Err(failure) = outcome {
            std::panic::resume_unwind(failure.into_panic());
        }
    }

    /// `url` with its database name replaced by `name`.
    fn with_database(url: &str, name: &str) -> String {
        let (base, query) = url
            .split_once('?')
            .map_or((url, None), |(b, q)| (b, Some(q)));
        let authority = base.find("://").map_or(0, |i| i + 3);
        let root = base[authority..]
            .find('/')
            .map_or(base, |i| &base[..authority + i]);
        match query {
            Some(q) => format!("{root}/{name}?{q}"),
            None => format!("{root}/{name}"),
        }
    }

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h:5432", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
