//! Recognition decisions (quyết định công nhận): written when an assessment with a passing
//! result is approved, with the dates the rules derive from the decision date, and listed when
//! they are about to expire.
//!
//! * `valid_until` = decision date + the checklist's `recognition_validity_months` (36 by
//!   default): the recognition lapses after it.
//! * `next_level_eligible_on` = decision date + `next_level_wait_months` (12 by default): the
//!   earliest day the subject may apply for the next level.
//!
//! Months are calendar months; a day that does not exist in the target month is clamped to its
//! last day (31 January + 1 month = 28 or 29 February).

use chrono::{Months, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QueryOrder};

use crate::Result;
use crate::access::{Actor, readable};
use crate::entity::recognition_decision::{Column, Entity, Model};
use crate::page::{self, Ordering, Page, PageRequest, SortKey, TotalCount};
use crate::service::program::subtree_ids;

/// The validity end and next-level date of a decision of `decided_on`; `None` past the calendar.
pub fn dates(
    decided_on: NaiveDate,
    validity_months: i32,
    wait_months: i32,
) -> Option<(NaiveDate, NaiveDate)> {
    let after = |months: i32| {
        u32::try_from(months)
            .ok()
            .and_then(|m| decided_on.checked_add_months(Months::new(m)))
    };
    Some((after(validity_months)?, after(wait_months)?))
}

/// Which recognitions to list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExpiringFilter {
    /// Only recognitions valid until a day before this one.
    pub before: NaiveDate,
    /// Only recognitions valid until this day or later (e.g. today, to leave out lapsed ones).
    pub from: Option<NaiveDate>,
    /// Only recognitions of assessments by organisations in this organisation's subtree.
    pub within_organisation: Option<i64>,
}

/// Recognitions soonest to expire first.
pub fn expiring_ordering() -> Ordering<Entity> {
    Ordering {
        name: "VALID_UNTIL",
        column: Some(Column::ValidUntil),
        descending: false,
        key: |m| SortKey::Date(m.valid_until),
        id: Column::Id,
        id_of: |m| m.id,
    }
}

/// One page of the readable recognitions expiring before `filter.before`, soonest first.
pub async fn expiring(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &ExpiringFilter,
    request: &PageRequest,
    max_page: u64,
) -> Result<(Page<Model>, TotalCount)> {
    let mut select = readable::<Entity>(actor).filter(Column::ValidUntil.lt(filter.before));
    if let Some(from) = filter.from {
        select = select.filter(Column::ValidUntil.gte(from));
    }
    if let Some(root) = filter.within_organisation {
        let root = crate::service::organisation::require(db, actor, root).await?;
        select = select.filter(Column::OrganisationId.in_subquery(subtree_ids(&root.path)));
    }
    let total = TotalCount::of(select.clone());
    let ordering = expiring_ordering();
    Ok((
        page::fetch(db, select, &ordering, request, max_page).await?,
        total,
    ))
}

/// The readable decisions of the assessments among `ids`.
pub async fn of_assessments(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: &[i64],
) -> Result<Vec<Model>> {
    Ok(readable::<Entity>(actor)
        .filter(Column::AssessmentId.is_in(ids.iter().copied()))
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_add_calendar_months() {
        assert_eq!(
            dates(day(2025, 3, 15), 36, 12),
            Some((day(2028, 3, 15), day(2026, 3, 15)))
        );
        assert_eq!(
            dates(day(2024, 1, 31), 1, 0),
            Some((day(2024, 2, 29), day(2024, 1, 31)))
        );
        assert_eq!(dates(day(2024, 1, 31), -1, 0), None);
    }
}
