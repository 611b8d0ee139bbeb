//! Scoring sheets kept between requests.
//!
//! Every assessment write scores against its checklist's sheet: the checklist, its groups, its
//! criteria and its result levels, four statements. A checklist is scored only once published,
//! and from then on nothing of it changes but its status (`RETIRED` closes it to new
//! assessments; the assessment services read the status from the checklist row they load
//! through the scope, never from a sheet). So a published or retired checklist's sheet is the
//! same on every replica for ever, and one process may keep it: the benchmark's submit chain
//! loads it three times (`bench/BASELINE.md`, finding 22). Drafts change and are never kept.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;
use sea_orm::ConnectionTrait;

use super::ScoringSheet;
use crate::Result;
use crate::entity::enums::ChecklistStatus;

/// How many sheets a process keeps (the association publishes a handful of checklists a year,
/// each a few kilobytes).
const CAPACITY: NonZeroUsize = match NonZeroUsize::new(256) {
    Some(capacity) => capacity,
    None => NonZeroUsize::MIN,
};

/// The sheets of published and retired checklists, by checklist id, least recently used
/// dropped first. One per database: ids mean nothing across databases.
#[derive(Debug)]
pub struct SheetCache {
    sheets: Mutex<LruCache<i64, Arc<ScoringSheet>>>,
}

impl Default for SheetCache {
    fn default() -> Self {
        Self {
            sheets: Mutex::new(LruCache::new(CAPACITY)),
        }
    }
}

impl SheetCache {
    /// The sheet of checklist `id`, loaded through `db` unless kept. Not scoped, like
    /// [`ScoringSheet::load`]: callers have read the checklist (or its assessment) through the
    /// scope. The sheet's `checklist.status` is the status when it was loaded; read the current
    /// one from the checklist row.
    pub async fn get(&self, db: &impl ConnectionTrait, id: i64) -> Result<Arc<ScoringSheet>> {
        if let Some(sheet) = self.kept(id) {
            return Ok(sheet);
        }
        let sheet = Arc::new(ScoringSheet::load(db, id).await?);
        if sheet.checklist.status != ChecklistStatus::Draft
            && let Ok(mut sheets) = self.sheets.lock()
        {
            sheets.put(id, Arc::clone(&sheet));
        }
        Ok(sheet)
    }

    fn kept(&self, id: i64) -> Option<Arc<ScoringSheet>> {
        self.sheets.lock().ok()?.get(&id).cloned()
    }
}
