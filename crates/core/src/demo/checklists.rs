//! Inserts the criteria checklists of [`super::checklist_table`] (version 1, published) and a
//! draft version 2 of the learning-family checklist derived from version 1, with the same
//! structure.
//!
//! Group codes are "1", "2", …; criterion codes "1.1", "1.2", …; positions start at 1.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, NotSet, Set};

use super::checklist_table::{CHECKLISTS, ChecklistSpec};
use super::{Seeder, Ymd, at, position};
use crate::entity::enums::ChecklistStatus;
use crate::entity::{checklist_result_level, criteria_checklist, criteria_group, criterion};
use crate::{Error, Result, search};

/// What assessments need of a seeded checklist.
pub(super) struct SeededChecklist {
    pub checklist: criteria_checklist::Model,
    pub criteria: Vec<criterion::Model>,
    pub levels: Vec<checklist_result_level::Model>,
}

/// A version to insert: the spec, its number, status, the version it derives from, and when it
/// was written.
struct Version<'a> {
    spec: &'a ChecklistSpec,
    version_no: i32,
    status: ChecklistStatus,
    derived_from: Option<i64>,
    written: Ymd,
}

/// Seeds the checklists; returns the published ones by code.
pub(super) async fn seed(
    seeder: &mut Seeder<'_>,
) -> Result<HashMap<&'static str, SeededChecklist>> {
    let mut published = HashMap::new();
    for spec in CHECKLISTS {
        let version = Version {
            spec,
            version_no: 1,
            status: ChecklistStatus::Published,
            derived_from: None,
            written: spec.published,
        };
        published.insert(spec.code, insert(seeder, version).await?);
    }
    let family = CHECKLISTS
        .iter()
        .find(|c| c.code == "GDHT-448")
        .ok_or_else(|| Error::Internal("demo checklist GDHT-448 missing".into()))?;
    let v1 = published
        .get(family.code)
        .map(|s| s.checklist.id)
        .ok_or_else(|| Error::Internal("demo checklist GDHT-448 not seeded".into()))?;
    let draft = Version {
        spec: family,
        version_no: 2,
        status: ChecklistStatus::Draft,
        derived_from: Some(v1),
        written: (2026, 9, 1),
    };
    insert(seeder, draft).await?;
    Ok(published)
}

/// Inserts one checklist version with its result levels, groups and criteria.
async fn insert(seeder: &mut Seeder<'_>, version: Version<'_>) -> Result<SeededChecklist> {
    let spec = version.spec;
    let written = at(version.written, 2)?;
    let title = if version.version_no > 1 {
        format!(
            "{} (dự thảo sửa đổi, phiên bản {})",
            spec.title, version.version_no
        )
    } else {
        spec.title.to_owned()
    };
    let published = version.status != ChecklistStatus::Draft;
    let checklist = criteria_checklist::ActiveModel {
        id: NotSet,
        code: Set(spec.code.to_owned()),
        version_no: Set(version.version_no),
        model: Set(spec.model),
        style: Set(spec.style),
        title_search: Set(search::normalize(&title)),
        title: Set(title),
        description: Set(Some(spec.description.to_owned())),
        owner_id: Set(seeder.org_id(spec.owner)?),
        legal_document_id: Set(Some(seeder.document_id(spec.document)?)),
        status: Set(version.status),
        derived_from_id: Set(version.derived_from),
        recognition_validity_months: Set(36),
        next_level_wait_months: Set(12),
        published_at: Set(published.then_some(written)),
        retired_at: Set(None),
        created_at: Set(written),
        updated_at: Set(written),
        version: Set(1),
    }
    .insert(seeder.txn)
    .await?;
    seeder.report.checklists += 1;

    let mut levels = Vec::new();
    for (rank, (code, label, min_points)) in spec.levels.iter().enumerate() {
        let level = checklist_result_level::ActiveModel {
            id: NotSet,
            checklist_id: Set(checklist.id),
            rank: Set(position(rank)?),
            code: Set((*code).to_owned()),
            label: Set((*label).to_owned()),
            min_points: Set(*min_points),
        }
        .insert(seeder.txn)
        .await?;
        levels.push(level);
    }

    let mut criteria = Vec::new();
    for (g, group) in spec.groups.iter().enumerate() {
        let group_no = position(g)?;
        let inserted = criteria_group::ActiveModel {
            id: NotSet,
            checklist_id: Set(checklist.id),
            position: Set(group_no),
            code: Set(group_no.to_string()),
            title: Set(group.title.to_owned()),
            description: Set(None),
            max_points: Set(group.max_points),
        }
        .insert(seeder.txn)
        .await?;
        for (c, (title, max_points, from_level, required, evidence)) in
            group.items.iter().enumerate()
        {
            let item_no = position(c)?;
            let item = criterion::ActiveModel {
                id: NotSet,
                checklist_id: Set(checklist.id),
                group_id: Set(inserted.id),
                position: Set(item_no),
                code: Set(format!("{group_no}.{item_no}")),
                title: Set((*title).to_owned()),
                description: Set(None),
                max_points: Set(*max_points),
                min_points: Set(None),
                required: Set(*required),
                evidence_required: Set(evidence.is_some()),
                evidence_rule: Set(evidence.map(str::to_owned)),
                required_from_level: Set(*from_level),
            }
            .insert(seeder.txn)
            .await?;
            criteria.push(item);
        }
    }
    Ok(SeededChecklist {
        checklist,
        criteria,
        levels,
    })
}
