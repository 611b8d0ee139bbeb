//! Legal documents: public reference data every signed-in user reads; editors of the owning
//! organisation (the central association) maintain them.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, Set,
};

use super::validate::{MAX_LONG_TEXT, MAX_SHORT_TEXT, Validator};
use crate::access::{Actor, readable};
use crate::audit;
use crate::db::begin_write;
use crate::entity::enums::LegalDocumentType;
use crate::entity::legal_document::{self, Column, Entity, Model};
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::{Error, Result, search};

/// Filters for listing legal documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LegalDocumentFilter {
    /// Only these types.
    pub types: Option<Vec<LegalDocumentType>>,
    /// Only documents issued on or after this date.
    pub issued_from: Option<NaiveDate>,
    /// Only documents issued on or before this date.
    pub issued_to: Option<NaiveDate>,
    /// Only documents in force (not superseded).
    pub in_force_only: bool,
    /// Text in the number or title, diacritics ignored.
    pub search: Option<String>,
}

/// Newest issue date first.
pub fn ordering() -> Ordering<Entity> {
    Ordering {
        name: "ISSUED_ON",
        column: Some(Column::IssuedOn),
        descending: true,
        key: |m| SortKey::Date(m.issued_on),
        id: Column::Id,
        id_of: |m| m.id,
    }
}

/// One page of legal documents.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &LegalDocumentFilter,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<Model>, TotalCount)> {
    let mut select = readable::<Entity>(actor).filter(Column::ArchivedAt.is_null());
    if let Some(types) = &filter.types {
        select = select.filter(Column::DocType.is_in(types.clone()));
    }
    if let Some(from) = filter.issued_from {
        select = select.filter(Column::IssuedOn.gte(from));
    }
    if let Some(to) = filter.issued_to {
        select = select.filter(Column::IssuedOn.lte(to));
    }
    if filter.in_force_only {
        select = select.filter(Column::SupersededById.is_null());
    }
    if let Some(pattern) = filter.search.as_deref().and_then(search::contains_pattern) {
        select = select.filter(
            Expr::col((Entity, Column::TitleSearch))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(
                    Expr::cust_with_exprs("LOWER($1)", [Expr::col((Entity, Column::Number))])
                        .like(LikeExpr::new(pattern).escape('\\')),
                ),
        );
    }
    let total = TotalCount::of(select.clone());
    Ok((
        page::fetch(db, select, &ordering(), request, max_page).await?,
        total,
    ))
}

/// A new legal document.
#[derive(Debug, Clone)]
pub struct NewLegalDocument {
    /// Number, e.g. "387/QĐ-TTg".
    pub number: String,
    /// Type.
    pub doc_type: LegalDocumentType,
    /// Title.
    pub title: String,
    /// Issuing body.
    pub issuer: String,
    /// Issue date.
    pub issued_on: NaiveDate,
    /// Effective date.
    pub effective_on: Option<NaiveDate>,
    /// Summary.
    pub summary: Option<String>,
    /// Link to the text.
    pub url: Option<String>,
}

/// Records a legal document, owned by the root organisation the actor edits for.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewLegalDocument,
) -> Result<Model> {
    let owner = actor
        .grants
        .iter()
        .find(|g| {
            !g.is_partner()
                && crate::access::path::depth(&g.organisation_path) == 0
                && actor.can_edit_records_of(&g.organisation_path)
        })
        .ok_or_else(|| {
            Error::Forbidden(
                "only editors of the central association record legal documents".into(),
            )
        })?;
    let mut v = Validator::new();
    let number = v.required("number", &input.number, 100);
    let title = v.required("title", &input.title, MAX_SHORT_TEXT);
    let issuer = v.required("issuer", &input.issuer, MAX_SHORT_TEXT);
    let summary = v.optional("summary", input.summary.as_deref(), MAX_LONG_TEXT);
    let url = v.optional("url", input.url.as_deref(), 2000);
    v.check(
        input.effective_on.is_some_and(|e| e < input.issued_on),
        "effectiveOn",
        "DATE_ORDER",
        "a document cannot take effect before it is issued",
    );
    if Entity::find()
        .filter(Column::Number.eq(number.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        v.error(
            "number",
            "DUPLICATE",
            "a document with this number is already recorded",
        );
    }
    v.finish()?;
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let created = legal_document::ActiveModel {
        id: NotSet,
        owner_id: Set(owner.organisation_id),
        number: Set(number),
        doc_type: Set(input.doc_type),
        title_search: Set(search::normalize(&title)),
        title: Set(title),
        issuer: Set(issuer),
        issued_on: Set(input.issued_on),
        effective_on: Set(input.effective_on),
        superseded_by_id: Set(None),
        summary: Set(summary),
        url: Set(url),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    audit::write(
        &txn,
        actor,
        owner.organisation_id,
        "LegalDocument",
        created.id,
        "create",
        audit::diff(None, Some(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Marks `id` as superseded by `by` (editors of its owner).
pub async fn supersede(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    by: i64,
    version: i32,
) -> Result<Model> {
    let current = super::lookup::by_id::<Entity>(db, actor, id)
        .await?
        .ok_or(Error::NotFound)?;
    let newer = super::lookup::by_id::<Entity>(db, actor, by)
        .await?
        .ok_or(Error::NotFound)?;
    let owner = super::organisation::require(db, actor, current.owner_id).await?;
    actor.require(
        actor.can_edit_records_of(&owner.path),
        "only editors of the owning organisation change legal documents",
    )?;
    let mut v = Validator::new();
    v.check(
        newer.id == current.id,
        "supersededById",
        "INVALID_TARGET",
        "a document cannot supersede itself",
    );
    v.check(
        newer.issued_on < current.issued_on,
        "supersededById",
        "DATE_ORDER",
        "the superseding document must be issued later",
    );
    v.finish()?;
    let mut next: legal_document::ActiveModel = current.clone().into();
    next.superseded_by_id = Set(Some(newer.id));
    let txn = begin_write(db).await?;
    let saved = super::versioned::save::<Entity>(&txn, id, next, version).await?;
    audit::write(
        &txn,
        actor,
        owner.id,
        "LegalDocument",
        id,
        "supersede",
        audit::diff(Some(&current), Some(&saved)),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
