//! The Relay `Node` interface.

use async_graphql::Interface;

use super::{
    Assessment, AuditEvent, Candidacy, CriteriaChecklist, LegalDocument, Membership, Organisation,
    Program, ProgramReport, RecognitionDecision, Registration, TrainingSession, User,
};

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "async_graphql::ID", desc = "Opaque global id."))]
pub enum Node {
    /// An organisation.
    Organisation(Organisation),
    /// A user.
    User(User),
    /// A membership.
    Membership(Membership),
    /// An audit event.
    AuditEvent(AuditEvent),
    /// A legal document.
    LegalDocument(LegalDocument),
    /// A coordination program.
    Program(Program),
    /// A program report.
    ProgramReport(ProgramReport),
    /// A training session.
    TrainingSession(TrainingSession),
    /// A registration for a training session.
    Registration(Registration),
    /// A criteria checklist version.
    CriteriaChecklist(CriteriaChecklist),
    /// An assessment.
    Assessment(Assessment),
    /// A candidacy for a learning model.
    Candidacy(Candidacy),
    /// A recognition decision.
    RecognitionDecision(RecognitionDecision),
}
