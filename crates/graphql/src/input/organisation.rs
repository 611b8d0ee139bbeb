//! Inputs for listing and changing organisations.

use async_graphql::{Enum, ID, InputObject};
use khuyenhoc_core::service::organisation as service;

use crate::enums::{OrderDirection, OrganisationKind, OrganisationStatus};
use crate::id::{NodeType, decode_opt};

/// Narrows a list of organisations. Every filter narrows; none widens what the viewer may read.
#[derive(InputObject, Debug, Clone, Default)]
pub struct OrganisationFilter {
    /// Only organisations of these kinds.
    pub kinds: Option<Vec<OrganisationKind>>,
    /// Only organisations in these statuses. Default: `[ACTIVE]`.
    pub statuses: Option<Vec<OrganisationStatus>>,
    /// Only direct children of this organisation.
    pub parent: Option<ID>,
    /// Only organisations in the subtree of this organisation (itself included).
    pub within_organisation: Option<ID>,
    /// Text contained in the name or code; case and Vietnamese diacritics are ignored, so
    /// "ha noi" finds "Hà Nội".
    pub search: Option<String>,
}

impl OrganisationFilter {
    /// The domain filter.
    pub fn to_domain(&self) -> Result<service::OrganisationFilter, khuyenhoc_core::Error> {
        Ok(service::OrganisationFilter {
            kinds: self
                .kinds
                .as_ref()
                .map(|k| k.iter().map(|&k| k.into()).collect()),
            statuses: self
                .statuses
                .as_ref()
                .map(|s| s.iter().map(|&s| s.into()).collect()),
            parent_id: decode_opt(
                self.parent.as_ref(),
                NodeType::Organisation,
                "filter.parent",
            )?,
            within_organisation: decode_opt(
                self.within_organisation.as_ref(),
                NodeType::Organisation,
                "filter.withinOrganisation",
            )?,
            search: self.search.clone(),
        })
    }
}

/// Fields organisations can be sorted by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(remote = "service::OrganisationSort")]
pub enum OrganisationOrderField {
    /// The name, ignoring case and diacritics.
    #[default]
    Name,
    /// The code.
    Code,
    /// When the organisation was created.
    CreatedAt,
}

/// How to sort a list of organisations. Ties are broken by id, so the order is total.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct OrganisationOrder {
    /// The field to sort by.
    pub field: OrganisationOrderField,
    /// The direction. Default: `ASC`.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl OrganisationOrder {
    /// The domain ordering.
    pub fn ordering(
        self,
    ) -> khuyenhoc_core::page::Ordering<khuyenhoc_core::entity::organisation::Entity> {
        service::ordering(self.field.into(), self.direction.is_desc())
    }
}

/// A new organisation under an existing parent.
#[derive(InputObject, Debug, Clone)]
pub struct CreateOrganisationInput {
    /// The parent organisation; you must administer it.
    pub parent_id: ID,
    /// Unique code, e.g. `HN-BADINH` (letters, digits, `-`, `_`, `.`; stored upper-case).
    pub code: String,
    /// Full name, e.g. "Hội Khuyến học phường Ba Đình".
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Kind; must fit under the parent's kind (e.g. a COMMUNE under a PROVINCIAL branch).
    pub kind: OrganisationKind,
    /// Postal address.
    pub address: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Contact phone.
    pub phone: Option<String>,
}

/// Changes to an organisation's own details. Omitted fields keep their value; an empty string
/// clears an optional field.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateOrganisationInput {
    /// The organisation.
    pub id: ID,
    /// The `version` you read; a stale version fails with `CONFLICT`.
    pub version: i32,
    /// New name.
    pub name: Option<String>,
    /// New short name.
    pub short_name: Option<String>,
    /// New postal address.
    pub address: Option<String>,
    /// New contact email.
    pub email: Option<String>,
    /// New contact phone.
    pub phone: Option<String>,
}

/// Archives an organisation that has no active children.
#[derive(InputObject, Debug, Clone)]
pub struct ArchiveOrganisationInput {
    /// The organisation.
    pub id: ID,
    /// The `version` you read.
    pub version: i32,
}

/// Moves an organisation and its whole subtree under a new parent.
#[derive(InputObject, Debug, Clone)]
pub struct MoveOrganisationInput {
    /// The organisation to move.
    pub id: ID,
    /// Its new parent.
    pub new_parent_id: ID,
    /// The `version` of the organisation you read.
    pub version: i32,
}

/// Merges one organisation into another of the same kind: children, records and memberships
/// move to the target; the source stays as `MERGED`, pointing at the target.
#[derive(InputObject, Debug, Clone)]
pub struct MergeOrganisationInput {
    /// The organisation that disappears into the target.
    pub source_id: ID,
    /// The organisation that absorbs it.
    pub target_id: ID,
    /// The `version` of the source you read.
    pub version: i32,
}
