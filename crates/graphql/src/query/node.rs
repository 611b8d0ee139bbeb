//! `node(id:)` and `nodes(ids:)`.

use async_graphql::{Context, ID, Object};
use futures::future::try_join_all;

use crate::context::loader;
use crate::error::IntoApi;
use crate::id::{NodeType, decode_any};
use crate::loader::ById;
use khuyenhoc_core::entity;

use crate::object::{
    Assessment, AuditEvent, Candidacy, CriteriaChecklist, LegalDocument, Membership, Node,
    Organisation, Program, ProgramReport, RecognitionDecision, Registration, TrainingSession, User,
};

/// Relay node lookups.
#[derive(Default)]
pub struct NodeQuery;

/// Most ids `nodes` accepts at once.
const MAX_NODES: usize = 100;

#[Object]
impl NodeQuery {
    /// The object with this global id, or `null` if it does not exist or the viewer may not
    /// read it (the two are indistinguishable).
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        load_node(ctx, &id).await
    }

    /// The objects with these global ids, in the same order; `null` for each one that does not
    /// exist or that the viewer may not read. At most 100 ids.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(khuyenhoc_core::Error::invalid(
                "ids",
                "OUT_OF_RANGE",
                format!("at most {MAX_NODES} ids at once"),
            ))
            .api();
        }
        try_join_all(ids.iter().map(|id| load_node(ctx, id))).await
    }
}

async fn load_node(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Node>> {
    crate::context::actor(ctx)?;
    let Some((node_type, row)) = decode_any(id) else {
        return Ok(None);
    };
    let loader = loader(ctx)?;
    macro_rules! load {
        ($entity:ident, $variant:ident) => {
            loader
                .load_one(ById::<entity::$entity::Entity>::of(row))
                .await
                .api()?
                .map(|m| Node::$variant($variant(m)))
        };
    }
    Ok(match node_type {
        NodeType::Organisation => load!(organisation, Organisation),
        NodeType::User => load!(app_user, User),
        NodeType::Membership => load!(membership, Membership),
        NodeType::AuditEvent => load!(audit_event, AuditEvent),
        NodeType::LegalDocument => load!(legal_document, LegalDocument),
        NodeType::Program => load!(program, Program),
        NodeType::ProgramReport => load!(program_report, ProgramReport),
        NodeType::TrainingSession => load!(training_session, TrainingSession),
        NodeType::Registration => load!(registration, Registration),
        NodeType::CriteriaChecklist => load!(criteria_checklist, CriteriaChecklist),
        NodeType::Assessment => load!(assessment, Assessment),
        NodeType::Candidacy => load!(candidacy, Candidacy),
        NodeType::RecognitionDecision => load!(recognition_decision, RecognitionDecision),
        _ => None,
    })
}
