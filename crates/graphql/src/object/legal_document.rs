//! `LegalDocument`: a directive, decision, circular, … that programs, training topics and
//! checklists refer to.

use async_graphql::{Context, ID, Object};
use khuyenhoc_core::entity::legal_document::{self, Model};

use crate::context::loader;
use crate::enums::LegalDocumentType;
use crate::error::IntoApi;
use crate::id::{NodeType, encode};
use crate::loader::ById;
use crate::scalar::{Date, DateTime};

/// A legal document (văn bản): Chỉ thị, Kết luận, Nghị quyết, Quyết định, Thông tư, …
#[derive(Debug, Clone)]
pub struct LegalDocument(pub Model);

crate::connection!(
    LegalDocumentConnection,
    LegalDocumentEdge,
    LegalDocument,
    "A page of legal documents, newest first.",
    "A legal document in a page, with its cursor."
);

/// A legal document (văn bản): Chỉ thị, Kết luận, Nghị quyết, Quyết định, Thông tư, …
#[Object]
impl LegalDocument {
    /// Opaque global id.
    pub async fn id(&self) -> ID {
        encode(NodeType::LegalDocument, self.0.id)
    }

    /// Number and symbol, e.g. `387/QĐ-TTg`.
    async fn number(&self) -> &str {
        &self.0.number
    }

    /// Type of document.
    async fn document_type(&self) -> LegalDocumentType {
        self.0.doc_type.into()
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Issuing body, e.g. "Thủ tướng Chính phủ".
    async fn issuer(&self) -> &str {
        &self.0.issuer
    }

    /// Date of issue.
    async fn issued_on(&self) -> Date {
        self.0.issued_on.into()
    }

    /// Date it takes effect.
    async fn effective_on(&self) -> Option<Date> {
        self.0.effective_on.map(Into::into)
    }

    /// Short summary.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// Link to the full text.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// Whether it is still in force (not superseded).
    async fn in_force(&self) -> bool {
        self.0.superseded_by_id.is_none()
    }

    /// The document that superseded this one.
    async fn superseded_by(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<LegalDocument>> {
        let Some(id) = self.0.superseded_by_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(ById::<legal_document::Entity>::of(id))
            .await
            .api()?
            .map(LegalDocument))
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
