//! Opaque global ids: `base64url("Type:id")`, as the Relay `Node` interface expects.
//!
//! Clients must treat ids as opaque strings; the encoding only lets the server route
//! `node(id:)` to the right type.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use khuyenhoc_core::Error;

/// The node types that have global ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeType {
    /// `Organisation`.
    Organisation,
    /// `User`.
    User,
    /// `Membership`.
    Membership,
    /// `LegalDocument`.
    LegalDocument,
    /// `Program`.
    Program,
    /// `ProgramParty`.
    ProgramParty,
    /// `Commitment`.
    Commitment,
    /// `ProgramReport`.
    ProgramReport,
    /// `TrainingSession`.
    TrainingSession,
    /// `Registration`.
    Registration,
    /// `ConnectionPoint`.
    ConnectionPoint,
    /// `CriteriaChecklist`.
    CriteriaChecklist,
    /// `Assessment`.
    Assessment,
    /// `Candidacy`.
    Candidacy,
    /// `RecognitionDecision`.
    RecognitionDecision,
    /// `AuditEvent`.
    AuditEvent,
}

impl NodeType {
    const ALL: [Self; 16] = [
        Self::Organisation,
        Self::User,
        Self::Membership,
        Self::LegalDocument,
        Self::Program,
        Self::ProgramParty,
        Self::Commitment,
        Self::ProgramReport,
        Self::TrainingSession,
        Self::Registration,
        Self::ConnectionPoint,
        Self::CriteriaChecklist,
        Self::Assessment,
        Self::Candidacy,
        Self::RecognitionDecision,
        Self::AuditEvent,
    ];

    /// The GraphQL type name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Organisation => "Organisation",
            Self::User => "User",
            Self::Membership => "Membership",
            Self::LegalDocument => "LegalDocument",
            Self::Program => "Program",
            Self::ProgramParty => "ProgramParty",
            Self::Commitment => "Commitment",
            Self::ProgramReport => "ProgramReport",
            Self::TrainingSession => "TrainingSession",
            Self::Registration => "Registration",
            Self::ConnectionPoint => "ConnectionPoint",
            Self::CriteriaChecklist => "CriteriaChecklist",
            Self::Assessment => "Assessment",
            Self::Candidacy => "Candidacy",
            Self::RecognitionDecision => "RecognitionDecision",
            Self::AuditEvent => "AuditEvent",
        }
    }
}

/// The global id of row `id` of `node_type`.
pub fn encode(node_type: NodeType, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", node_type.name())))
}

/// Splits a global id into its type and row id.
pub fn decode_any(id: &ID) -> Option<(NodeType, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str().trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (name, raw) = text.split_once(':')?;
    let node_type = NodeType::ALL.into_iter().find(|t| t.name() == name)?;
    let row: i64 = raw.parse().ok().filter(|n| *n > 0)?;
    Some((node_type, row))
}

/// The row id of a global id that must be of `expected` type; `field` names the argument.
///
/// A well-formed id of another type, or an id that does not decode, is reported as
/// `BAD_USER_INPUT`: it cannot name anything, readable or not, so this leaks nothing.
pub fn decode(id: &ID, expected: NodeType, field: &str) -> Result<i64, Error> {
    match decode_any(id) {
        Some((found, row)) if found == expected => Ok(row),
        _ => Err(Error::invalid(
            field,
            "INVALID_ID",
            format!("not a valid {} id", expected.name()),
        )),
    }
}

/// Decodes an optional id argument.
pub fn decode_opt(id: Option<&ID>, expected: NodeType, field: &str) -> Result<Option<i64>, Error> {
    id.map(|id| decode(id, expected, field)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let id = encode(NodeType::Program, 42);
        assert_eq!(decode_any(&id), Some((NodeType::Program, 42)));
        assert!(decode(&id, NodeType::Organisation, "id").is_err());
        assert_eq!(decode_any(&ID("%%%".into())), None);
        assert_eq!(decode_any(&ID(URL_SAFE_NO_PAD.encode("Program:-1"))), None);
        assert_eq!(decode_any(&ID(URL_SAFE_NO_PAD.encode("Nope:1"))), None);
    }
}
