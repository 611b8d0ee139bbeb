//! What is assessed: an organisation of the tree, or a named family, clan, community or citizen
//! within the assessing organisation — and the `subject_key` that identifies it across years and
//! checklist versions, so one subject has at most one live assessment per checklist code and
//! year (and one live candidacy per model and year).
//!
//! | refusal | field | code |
//! |---|---|---|
//! | the kind does not fit the learning model (a clan on a family sheet) | `subject.kind` | `SUBJECT_MISMATCH` |
//! | an organisation subject without its organisation | `subject.organisationId` | `REQUIRED` |
//! | the organisation is not readable | `subject.organisationId` | `NOT_FOUND` |
//! | the organisation is outside the assessing organisation's subtree | `subject.organisationId` | `OUT_OF_SUBTREE` |
//! | an organisation given for a named subject | `subject.organisationId` | `NOT_APPLICABLE` |
//! | a named subject without a name | `subject.name` | `REQUIRED` |

use sea_orm::ConnectionTrait;

use crate::access::{Actor, path};
use crate::entity::enums::{LearningModel, SubjectKind};
use crate::entity::organisation;
use crate::service::validate::{MAX_SHORT_TEXT, Validator};
use crate::{Result, search};

/// The subject as the client names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectInput {
    /// What kind of subject.
    pub kind: SubjectKind,
    /// For `ORGANISATION`: the organisation assessed.
    pub organisation_id: Option<i64>,
    /// For named subjects: the name, e.g. "Gia đình ông Nguyễn Văn An".
    pub name: Option<String>,
}

/// A subject resolved against the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// What kind of subject.
    pub kind: SubjectKind,
    /// The organisation assessed, for organisation subjects.
    pub organisation_id: Option<i64>,
    /// The name (the organisation's name for organisation subjects).
    pub name: String,
    /// The identity across years and versions.
    pub key: String,
}

/// Whether a subject of `kind` can be assessed for `model`.
pub fn fits(kind: SubjectKind, model: LearningModel) -> bool {
    use {LearningModel as M, SubjectKind as K};
    matches!(
        (model, kind),
        (M::LearningFamily, K::Family)
            | (M::LearningClan, K::Clan)
            | (M::LearningCitizen, K::Citizen)
            | (M::LearningCommunity, K::Community | K::Organisation)
            | (M::LearningUnit, K::Organisation)
    )
}

/// The key of an organisation subject: the organisation itself, whoever assesses it.
pub fn organisation_key(organisation_id: i64) -> String {
    format!("org:{organisation_id}")
}

/// The key of a named subject: its assessing organisation, kind and normalised name.
pub fn named_key(assessing_id: i64, kind: SubjectKind, name: &str) -> String {
    format!(
        "{assessing_id}:{}:{}",
        kind.as_str(),
        search::normalize(name)
    )
}

/// Resolves `input` for an assessment (or candidacy) of `model` by `assessing`, recording
/// problems in `v`; `None` when it cannot be resolved.
pub async fn resolve(
    db: &impl ConnectionTrait,
    actor: &Actor,
    v: &mut Validator,
    assessing: &organisation::Model,
    model: LearningModel,
    input: &SubjectInput,
) -> Result<Option<Subject>> {
    v.check(
        !fits(input.kind, model),
        "subject.kind",
        "SUBJECT_MISMATCH",
        "this kind of subject is not assessed for this learning model",
    );
    if input.kind != SubjectKind::Organisation {
        v.check(
            input.organisation_id.is_some(),
            "subject.organisationId",
            "NOT_APPLICABLE",
            "only organisation subjects name an organisation",
        );
        let name = v.required(
            "subject.name",
            input.name.as_deref().unwrap_or_default(),
            MAX_SHORT_TEXT,
        );
        if name.is_empty() {
            return Ok(None);
        }
        return Ok(Some(Subject {
            kind: input.kind,
            organisation_id: None,
            key: named_key(assessing.id, input.kind, &name),
            name,
        }));
    }
    let Some(id) = input.organisation_id else {
        v.error(
            "subject.organisationId",
            "REQUIRED",
            "name the organisation assessed",
        );
        return Ok(None);
    };
    let Some(subject) = crate::service::organisation::get(db, actor, id).await? else {
        v.error(
            "subject.organisationId",
            "NOT_FOUND",
            "the organisation does not exist",
        );
        return Ok(None);
    };
    if !path::is_within(&subject.path, &assessing.path) {
        v.error(
            "subject.organisationId",
            "OUT_OF_SUBTREE",
            "an organisation is assessed by itself or an organisation above it",
        );
        return Ok(None);
    }
    Ok(Some(Subject {
        kind: SubjectKind::Organisation,
        organisation_id: Some(subject.id),
        key: organisation_key(subject.id),
        name: subject.name,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_fit_their_models() {
        assert!(fits(SubjectKind::Family, LearningModel::LearningFamily));
        assert!(!fits(SubjectKind::Clan, LearningModel::LearningFamily));
        assert!(fits(
            SubjectKind::Organisation,
            LearningModel::LearningCommunity
        ));
        assert!(fits(SubjectKind::Organisation, LearningModel::LearningUnit));
        assert!(!fits(SubjectKind::Citizen, LearningModel::LearningUnit));
    }

    #[test]
    fn named_keys_ignore_case_and_diacritics() {
        assert_eq!(
            named_key(7, SubjectKind::Family, "Gia đình ông Nguyễn Văn An"),
            named_key(7, SubjectKind::Family, "gia dinh ong  nguyen van an")
        );
        assert_ne!(
            named_key(7, SubjectKind::Family, "An"),
            named_key(8, SubjectKind::Family, "An")
        );
    }
}
