//! Changing programs, their parties, commitments, legal basis and reports.

use async_graphql::{Context, Object, SimpleObject};
use khuyenhoc_core::service::program as service;

use crate::context::{actor, db, events};
use crate::error::IntoApi;
use crate::id::{NodeType, decode};
use crate::input::program::*;
use crate::object::payload::split;
use crate::object::program::{Commitment, ProgramParty, ProgramReport};
use crate::object::{Program, UserError};

/// Result of a change to a program.
#[derive(SimpleObject)]
pub struct ProgramPayload {
    /// The program after the change; `null` when `userErrors` is not empty.
    pub program: Option<Program>,
    /// Why the input was rejected; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of a change to a program's parties.
#[derive(SimpleObject)]
pub struct ProgramPartyPayload {
    /// The party after the change; `null` when `userErrors` is not empty.
    pub party: Option<ProgramParty>,
    /// Why the input was rejected; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of a change to a commitment.
#[derive(SimpleObject)]
pub struct CommitmentPayload {
    /// The commitment after the change; `null` when `userErrors` is not empty.
    pub commitment: Option<Commitment>,
    /// Why the input was rejected; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of a change to a report.
#[derive(SimpleObject)]
pub struct ProgramReportPayload {
    /// The report after the change; `null` when `userErrors` is not empty.
    pub report: Option<ProgramReport>,
    /// Why the input was rejected; empty on success.
    pub user_errors: Vec<UserError>,
}

fn program_payload(
    r: khuyenhoc_core::Result<khuyenhoc_core::entity::program::Model>,
) -> async_graphql::Result<ProgramPayload> {
    let (program, user_errors) = split(r)?;
    Ok(ProgramPayload {
        program: program.map(Program),
        user_errors,
    })
}

fn report_payload(
    r: khuyenhoc_core::Result<khuyenhoc_core::entity::program_report::Model>,
) -> async_graphql::Result<ProgramReportPayload> {
    let (report, user_errors) = split(r)?;
    Ok(ProgramReportPayload {
        report: report.map(ProgramReport),
        user_errors,
    })
}

fn commitment_payload(
    r: khuyenhoc_core::Result<khuyenhoc_core::entity::commitment::Model>,
) -> async_graphql::Result<CommitmentPayload> {
    let (commitment, user_errors) = split(r)?;
    Ok(CommitmentPayload {
        commitment: commitment.map(Commitment),
        user_errors,
    })
}

/// Program mutations.
#[derive(Default)]
pub struct ProgramMutation;

#[Object]
impl ProgramMutation {
    /// Creates a program in `DRAFT`, owned by an organisation you edit for; the owner becomes its
    /// association-side party.
    async fn create_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: CreateProgramInput,
    ) -> async_graphql::Result<ProgramPayload> {
        let actor = actor(ctx)?;
        let new = service::NewProgram {
            owner_id: decode(&input.owner_id, NodeType::Organisation, "ownerId").api()?,
            code: input.code,
            title: input.title,
            agreement_number: input.agreement_number,
            signed_on: input.signed_on.map(|d| d.0),
            signed_place: input.signed_place,
            starts_on: input.starts_on.0,
            ends_on: input.ends_on.0,
            objectives: input.objectives,
            content_areas: input.content_areas,
        };
        program_payload(service::create(db(ctx)?, &actor, new).await)
    }

    /// Changes a program's details (not once completed, terminated or archived).
    async fn update_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: UpdateProgramInput,
    ) -> async_graphql::Result<ProgramPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Program, "id").api()?;
        let changes = service::ProgramChanges {
            version: input.version,
            title: input.title,
            agreement_number: input.agreement_number,
            signed_on: input.signed_on.map(|d| d.0),
            signed_place: input.signed_place,
            starts_on: input.starts_on.map(|d| d.0),
            ends_on: input.ends_on.map(|d| d.0),
            objectives: input.objectives,
            content_areas: input.content_areas,
        };
        program_payload(service::update(db(ctx)?, &actor, id, changes).await)
    }

    /// Moves a program along DRAFT → ACTIVE → COMPLETED (or to TERMINATED). Activating needs a
    /// signing date and a partner; terminating needs a reason.
    async fn change_program_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: ChangeProgramStatusInput,
    ) -> async_graphql::Result<ProgramPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Program, "id").api()?;
        program_payload(
            service::change_status(
                db(ctx)?,
                &actor,
                id,
                input.status.into(),
                input.reason,
                input.version,
            )
            .await,
        )
    }

    /// Archives a program: kept, read-only, hidden from default lists.
    async fn archive_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<ProgramPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Program, "id").api()?;
        program_payload(service::archive(db(ctx)?, &actor, id, input.version).await)
    }

    /// Replaces the legal documents a program is based on.
    async fn set_program_legal_basis(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: SetProgramLegalBasisInput,
    ) -> async_graphql::Result<ProgramPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Program, "id").api()?;
        let docs = input
            .legal_document_ids
            .iter()
            .map(|d| decode(d, NodeType::LegalDocument, "legalDocumentIds"))
            .collect::<Result<Vec<_>, _>>()
            .api()?;
        program_payload(service::set_legal_basis(db(ctx)?, &actor, id, &docs, input.version).await)
    }

    /// Adds a party to a program.
    async fn add_program_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: AddProgramPartyInput,
    ) -> async_graphql::Result<ProgramPartyPayload> {
        let actor = actor(ctx)?;
        let program_id = decode(&input.program_id, NodeType::Program, "programId").api()?;
        let party = service::NewParty {
            organisation_id: decode(
                &input.organisation_id,
                NodeType::Organisation,
                "organisationId",
            )
            .api()?,
            role: input.role.into(),
            signatory_name: input.signatory_name,
            signatory_title: input.signatory_title,
            duties: input.duties,
        };
        let (party, user_errors) =
            split(service::add_party(db(ctx)?, &actor, program_id, party, input.version).await)?;
        Ok(ProgramPartyPayload {
            party: party.map(ProgramParty),
            user_errors,
        })
    }

    /// Removes a party from a program (kept as removed; its commitments are archived).
    async fn remove_program_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: RemoveProgramPartyInput,
    ) -> async_graphql::Result<ProgramPartyPayload> {
        let actor = actor(ctx)?;
        let party_id = decode(&input.party_id, NodeType::ProgramParty, "partyId").api()?;
        let (party, user_errors) =
            split(service::remove_party(db(ctx)?, &actor, party_id, input.version).await)?;
        Ok(ProgramPartyPayload {
            party: party.map(ProgramParty),
            user_errors,
        })
    }

    /// Adds a commitment for a party.
    async fn create_commitment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: CreateCommitmentInput,
    ) -> async_graphql::Result<CommitmentPayload> {
        let actor = actor(ctx)?;
        let new = service::NewCommitment {
            party_id: decode(&input.party_id, NodeType::ProgramParty, "partyId").api()?,
            description: input.description,
            indicator: input.indicator,
            unit: input.unit,
            target_value: input.target_value,
            due_on: input.due_on.map(|d| d.0),
        };
        commitment_payload(service::create_commitment(db(ctx)?, &actor, new).await)
    }

    /// Changes a commitment.
    async fn update_commitment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: UpdateCommitmentInput,
    ) -> async_graphql::Result<CommitmentPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Commitment, "id").api()?;
        let changes = service::CommitmentChanges {
            version: input.version,
            description: input.description,
            indicator: input.indicator,
            unit: input.unit,
            target_value: input.target_value,
            due_on: input.due_on.map(|d| d.0),
        };
        commitment_payload(service::update_commitment(db(ctx)?, &actor, id, changes).await)
    }

    /// Archives a commitment.
    async fn archive_commitment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<CommitmentPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::Commitment, "id").api()?;
        commitment_payload(service::archive_commitment(db(ctx)?, &actor, id, input.version).await)
    }

    /// Writes a draft report on a program, for an organisation you edit for.
    async fn create_program_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: CreateProgramReportInput,
    ) -> async_graphql::Result<ProgramReportPayload> {
        let actor = actor(ctx)?;
        let new = service::NewReport {
            program_id: decode(&input.program_id, NodeType::Program, "programId").api()?,
            reporting_organisation_id: decode(
                &input.reporting_organisation_id,
                NodeType::Organisation,
                "reportingOrganisationId",
            )
            .api()?,
            kind: input.kind.into(),
            period_year: input.period_year,
            title: input.title,
            achievements: input.achievements,
            shortcomings: input.shortcomings,
            proposals: input.proposals,
            indicator_values: indicator_values(&input.indicator_values).api()?,
        };
        report_payload(service::create_report(db(ctx)?, &actor, new).await)
    }

    /// Changes a draft report.
    async fn update_program_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: UpdateProgramReportInput,
    ) -> async_graphql::Result<ProgramReportPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::ProgramReport, "id").api()?;
        let changes = service::ReportChanges {
            version: input.version,
            title: input.title,
            achievements: input.achievements,
            shortcomings: input.shortcomings,
            proposals: input.proposals,
            indicator_values: input
                .indicator_values
                .as_deref()
                .map(indicator_values)
                .transpose()
                .api()?,
        };
        report_payload(service::update_report(db(ctx)?, &actor, id, changes).await)
    }

    /// Submits a draft report to the program's owner.
    async fn submit_program_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<ProgramReportPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::ProgramReport, "id").api()?;
        report_payload(
            service::submit_report(db(ctx)?, events(ctx)?, &actor, id, input.version).await,
        )
    }

    /// Acknowledges a submitted report (editors of the program's owner; never your own
    /// organisation's report).
    async fn acknowledge_program_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The arguments of this change.")] input: VersionedInput,
    ) -> async_graphql::Result<ProgramReportPayload> {
        let actor = actor(ctx)?;
        let id = decode(&input.id, NodeType::ProgramReport, "id").api()?;
        report_payload(service::acknowledge_report(db(ctx)?, &actor, id, input.version).await)
    }
}
