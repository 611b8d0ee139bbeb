//! `program(id:)`, `programs(…)`, `programReports(…)`, `legalDocuments(…)`.

use async_graphql::{Context, ID, InputObject, Object};
use khuyenhoc_core::entity::{legal_document, program};
use khuyenhoc_core::service::{legal_document as documents, program as service};

use crate::connection::{Total, page_request};
use crate::context::{actor, db, loader, max_page};
use crate::enums::LegalDocumentType;
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::input::program::{ProgramFilter, ProgramOrder, ProgramReportFilter, ProgramReportOrder};
use crate::loader::ById;
use crate::object::program::ProgramReport;
use crate::object::{
    LegalDocument, LegalDocumentConnection, Program, ProgramConnection, ProgramReportConnection,
};
use crate::scalar::Date;

/// Reading programs, reports and legal documents.
#[derive(Default)]
pub struct ProgramQuery;

/// Narrows the list of legal documents.
#[derive(InputObject, Debug, Clone, Default)]
pub struct LegalDocumentFilter {
    /// Only these types.
    pub types: Option<Vec<LegalDocumentType>>,
    /// Only documents issued on or after this date.
    pub issued_from: Option<Date>,
    /// Only documents issued on or before this date.
    pub issued_to: Option<Date>,
    /// Only documents still in force. Default: false.
    #[graphql(default)]
    pub in_force_only: bool,
    /// Text in the number or title; case and diacritics ignored.
    pub search: Option<String>,
}

#[Object]
impl ProgramQuery {
    /// The program with this id, or `null` if it does not exist or the viewer may not read it.
    async fn program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The program's global id.")] id: ID,
    ) -> async_graphql::Result<Option<Program>> {
        actor(ctx)?;
        let row = decode(&id, NodeType::Program, "id").api()?;
        Ok(loader(ctx)?
            .load_one(ById::<program::Entity>::of(row))
            .await
            .api()?
            .map(Program))
    }

    /// The programs the viewer may read: those owned in its subtrees, non-draft programs of its
    /// ancestors, and programs its organisations are party to.
    #[allow(clippy::too_many_arguments)]
    async fn programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<ProgramFilter>,
        #[graphql(desc = "Sort order. Default: by start date.")] order_by: Option<ProgramOrder>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ProgramConnection> {
        let actor = actor(ctx)?;
        let filter = filter.unwrap_or_default().to_domain().api()?;
        let order = order_by.unwrap_or_default();
        let ordering = service::ordering(order.field.into(), order.direction.is_desc());
        let request = page_request(first, after, last, before).api()?;
        let (page, total) = service::list(
            db(ctx)?,
            &actor,
            &filter,
            &ordering,
            &request,
            max_page(ctx),
        )
        .await
        .api()?;
        Ok(ProgramConnection::new(
            page,
            Total::deferred(total),
            Program,
        ))
    }

    /// Program reports the viewer may read, across programs (e.g. an acknowledgement queue).
    #[allow(clippy::too_many_arguments)]
    async fn program_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<ProgramReportFilter>,
        #[graphql(desc = "Sort order. Default: newest first.")] order_by: Option<
            ProgramReportOrder,
        >,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ProgramReportConnection> {
        let actor = actor(ctx)?;
        let filter = filter.unwrap_or_default().to_domain().api()?;
        let order = order_by.unwrap_or_default();
        let ordering = service::report_ordering(order.field.into(), order.direction.is_desc());
        let request = page_request(first, after, last, before).api()?;
        let (page, total) = service::list_reports(
            db(ctx)?,
            &actor,
            &filter,
            &ordering,
            &request,
            max_page(ctx),
        )
        .await
        .api()?;
        Ok(ProgramReportConnection::new(
            page,
            Total::deferred(total),
            ProgramReport,
        ))
    }

    /// The legal document with this id.
    async fn legal_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The document's global id.")] id: ID,
    ) -> async_graphql::Result<Option<LegalDocument>> {
        actor(ctx)?;
        let row = decode(&id, NodeType::LegalDocument, "id").api()?;
        Ok(loader(ctx)?
            .load_one(ById::<legal_document::Entity>::of(row))
            .await
            .api()?
            .map(LegalDocument))
    }

    /// Legal documents, newest first.
    #[allow(clippy::too_many_arguments)]
    async fn legal_documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<LegalDocumentFilter>,
        #[graphql(desc = "Rows from the start.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor.")] after: Option<String>,
        #[graphql(desc = "Rows from the end.")] last: Option<i32>,
        #[graphql(desc = "Continue before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<LegalDocumentConnection> {
        let actor = actor(ctx)?;
        let f = filter.unwrap_or_default();
        let domain = documents::LegalDocumentFilter {
            types: f.types.map(|t| t.into_iter().map(Into::into).collect()),
            issued_from: f.issued_from.map(|d| d.0),
            issued_to: f.issued_to.map(|d| d.0),
            in_force_only: f.in_force_only,
            search: f.search,
        };
        let request = page_request(first, after, last, before).api()?;
        let (page, total) = documents::list(db(ctx)?, &actor, &domain, &request, max_page(ctx))
            .await
            .api()?;
        Ok(LegalDocumentConnection::new(
            page,
            Total::deferred(total),
            LegalDocument,
        ))
    }
}
