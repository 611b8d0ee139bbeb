//! Bulk work for commune offices: up to [`MAX_ROWS`] assessments opened or answered in one
//! request, all or nothing.
//!
//! Every row runs the same code as the single mutations ([`super::write`]) inside one write
//! transaction, each in its own savepoint so a refused row leaves no trace and the rows after it
//! are still checked. If any row is refused, the transaction is rolled back and every refusal is
//! reported with its row index; otherwise everything is committed at once. Rows see the rows
//! before them, so two rows opening the same subject are a `DUPLICATE` just as two requests are.
//!
//! | refusal | field | code |
//! |---|---|---|
//! | no rows, or more than [`MAX_ROWS`] | `rows` | `REQUIRED`, `TOO_MANY` |
//! | a row with neither `id` nor what a new assessment needs | the missing field | `REQUIRED` |
//! | a row with `id` and fields only a new assessment takes | that field | `NOT_APPLICABLE` |
//! | an assessment the actor cannot read | `id` | `NOT_FOUND` |
//! | an assessment or organisation the actor cannot edit | `id` / `organisationId` | `FORBIDDEN` |
//! | a stale `version` | `version` | `CONFLICT` |
//!
//! plus every refusal of [`super::create`] and [`super::save_scores`], with the row's fields.

use sea_orm::{DatabaseConnection, TransactionTrait};

use super::write::{NewAssessment, ScoreInput, create_in, save_scores_in};
use crate::access::Actor;
use crate::db::begin_write;
use crate::entity::assessment::Model;
use crate::events::{Events, Pending};
use crate::service::checklist::SheetCache;
use crate::{Error, FieldError, Result};

/// The most rows one request may carry.
pub const MAX_ROWS: usize = 1_000;

/// One row of a bulk request.
#[derive(Debug, Clone)]
pub enum BulkRow {
    /// Open a new assessment with `scores` as its first answers.
    Create {
        /// The new assessment.
        new: NewAssessment,
        /// Answers to save right away.
        scores: Vec<ScoreInput>,
    },
    /// Save `scores` to an existing draft or returned assessment.
    Update {
        /// The assessment.
        id: i64,
        /// The version the client read.
        version: i32,
        /// The answers.
        scores: Vec<ScoreInput>,
    },
    /// A row that could not be read (e.g. a malformed id); its problems are reported as they
    /// are, with the others'.
    Invalid(Vec<FieldError>),
}

/// A refusal of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row's index in the request, from 0.
    pub row: usize,
    /// The field within the row, e.g. `scores.2.points`; empty for the row as a whole.
    pub field: String,
    /// Stable code, e.g. `OUT_OF_RANGE`, `DUPLICATE`, `NOT_FOUND`.
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

/// What a bulk request did.
#[derive(Debug)]
pub enum BulkOutcome {
    /// Every row was saved; the assessments in row order.
    Saved(Vec<Model>),
    /// Nothing was saved; every refused row's problems, in row order.
    Refused(Vec<RowError>),
}

/// Opens or answers every row's assessment, or none of them. Errors that are not about a row
/// (the database is unavailable, a broken invariant) fail the whole request.
pub async fn save_many(
    db: &DatabaseConnection,
    events: &Events,
    sheets: &SheetCache,
    actor: &Actor,
    rows: Vec<BulkRow>,
) -> Result<BulkOutcome> {
    if rows.is_empty() {
        return Err(Error::invalid("rows", "REQUIRED", "give at least one row"));
    }
    if rows.len() > MAX_ROWS {
        return Err(Error::invalid(
            "rows",
            "TOO_MANY",
            format!("at most {MAX_ROWS} rows per request"),
        ));
    }
    let txn = begin_write(db).await?;
    let mut saved = Vec::with_capacity(rows.len());
    let mut announcements = Vec::new();
    let mut refused = Vec::new();
    for (index, row) in rows.into_iter().enumerate() {
        if let BulkRow::Invalid(fields) = row {
            refused.extend(fields.into_iter().map(|f| row_error(index, f)));
            continue;
        }
        let subject_field = match &row {
            BulkRow::Create { .. } => RowSubject::New,
            _ => RowSubject::Existing,
        };
        let savepoint = txn.begin().await?;
        match save_row(&savepoint, events, sheets, actor, row).await {
            Ok((model, pending)) => {
                savepoint.commit().await?;
                saved.push(model);
                announcements.extend(pending);
            }
            Err(err) => {
                savepoint.rollback().await?;
                refused.extend(row_errors(index, subject_field, err)?);
            }
        }
    }
    if refused.is_empty() {
        txn.commit().await?;
        for pending in announcements {
            pending.announce();
        }
        Ok(BulkOutcome::Saved(saved))
    } else {
        txn.rollback().await?;
        Ok(BulkOutcome::Refused(refused))
    }
}

/// Saves one row in `txn`; a new assessment comes with the event announcing it.
async fn save_row(
    txn: &sea_orm::DatabaseTransaction,
    events: &Events,
    sheets: &SheetCache,
    actor: &Actor,
    row: BulkRow,
) -> Result<(Model, Option<Pending>)> {
    match row {
        BulkRow::Create { new, scores } => {
            let (created, pending) = create_in(txn, events, sheets, actor, new, &scores).await?;
            Ok((created, Some(pending)))
        }
        BulkRow::Update {
            id,
            version,
            scores,
        } => Ok((
            save_scores_in(txn, sheets, actor, id, version, &scores).await?,
            None,
        )),
        BulkRow::Invalid(fields) => Err(Error::Invalid(fields)),
    }
}

fn row_error(row: usize, f: FieldError) -> RowError {
    RowError {
        row,
        field: f.field,
        code: f.code,
        message: f.message,
    }
}

/// Whether a row opens an assessment or changes one: it decides which field a `NOT_FOUND` or
/// `CONFLICT` without a field of its own is reported on.
#[derive(Debug, Clone, Copy)]
enum RowSubject {
    New,
    Existing,
}

/// The row errors `err` stands for, or `err` itself when it is not about the row.
fn row_errors(row: usize, subject: RowSubject, err: Error) -> Result<Vec<RowError>> {
    let single = |field: &str, code: &'static str, message: String| {
        vec![RowError {
            row,
            field: field.to_owned(),
            code,
            message,
        }]
    };
    match err {
        Error::Invalid(fields) => Ok(fields.into_iter().map(|f| row_error(row, f)).collect()),
        Error::NotFound => Ok(match subject {
            RowSubject::New => single(
                "organisationId",
                "NOT_FOUND",
                "the organisation does not exist".into(),
            ),
            RowSubject::Existing => {
                single("id", "NOT_FOUND", "the assessment does not exist".into())
            }
        }),
        Error::Forbidden(reason) => Ok(single("", "FORBIDDEN", reason)),
        Error::Conflict(reason) => Ok(match subject {
            RowSubject::New => single("subject", "CONFLICT", reason),
            RowSubject::Existing => single("version", "CONFLICT", reason),
        }),
        other => Err(other),
    }
}
