//! Training sessions and what hangs under them, batched per relation.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use khuyenhoc_core::entity::{
    registration, session_connection_point, session_speaker, session_topic, training_session,
};
use khuyenhoc_core::page::{Page, PageRequest};
use khuyenhoc_core::service::training::{
    self as service, OrganisationCount, RegistrationFilter, SessionFilter, SessionSort,
};

use super::Loaders;
use super::program::page_loader;
use crate::error::ApiError;

/// Declares a key for "all X of one parent", loaded by a service call that returns the rows of
/// many parents already grouped by parent id.
macro_rules! grouped_loader {
    ($(#[$meta:meta])* $key:ident => $value:ty, |$l:ident, $ids:ident| $load:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub i64);

        impl Loader<$key> for Loaders {
            type Value = Vec<$value>;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$value>>, ApiError> {
                let $l = self;
                let $ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
                let mut found: HashMap<i64, Vec<$value>> = $load;
                Ok(keys.iter().map(|k| (*k, found.remove(&k.0).unwrap_or_default())).collect())
            }
        }
    };
}
pub(crate) use grouped_loader;

grouped_loader!(
    /// Key: the co-organiser ids of a session.
    CoOrganisersOf => i64,
    |l, ids| service::co_organisers(&l.db, &*l.actor()?, &ids).await?
);
grouped_loader!(
    /// Key: the topics of a session.
    TopicsOf => session_topic::Model,
    |l, ids| service::topics(&l.db, &*l.actor()?, &ids).await?
);
grouped_loader!(
    /// Key: the speakers of a session.
    SpeakersOf => session_speaker::Model,
    |l, ids| service::speakers(&l.db, &*l.actor()?, &ids).await?
);
grouped_loader!(
    /// Key: the connection points of a session.
    ConnectionPointsOf => session_connection_point::Model,
    |l, ids| service::connection_points(&l.db, &*l.actor()?, &ids).await?
);
grouped_loader!(
    /// Key: registration counts by organisation of a session.
    CountsByOrganisationOf => OrganisationCount,
    |l, ids| service::counts_by_organisation(&l.db, &*l.actor()?, &ids).await?
);

/// Arguments of a nested session list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionListArgs {
    /// Filter.
    pub filter: SessionFilter,
    /// Sort field.
    pub sort: SessionSort,
    /// Descending.
    pub descending: bool,
    /// Page.
    pub page: PageRequest,
}

page_loader!(
    /// Key: one page of a program's sessions.
    SessionsOfProgram, SessionListArgs => training_session::Model,
    |l, ids, a| service::pages_by(
        &l.db, &*l.actor()?, training_session::Column::ProgramId, &ids, &a.filter,
        &service::ordering(a.sort, a.descending), &a.page, l.limits.max_page_size,
    ).await?
);

page_loader!(
    /// Key: one page of the sessions an organisation organises.
    SessionsOrganisedBy, SessionListArgs => training_session::Model,
    |l, ids, a| service::pages_by(
        &l.db, &*l.actor()?, training_session::Column::OrganiserId, &ids, &a.filter,
        &service::ordering(a.sort, a.descending), &a.page, l.limits.max_page_size,
    ).await?
);

/// Arguments of a nested registration list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegistrationListArgs {
    /// Filter.
    pub filter: RegistrationFilter,
    /// Page.
    pub page: PageRequest,
}

page_loader!(
    /// Key: one page of a session's registrations.
    RegistrationsOf, RegistrationListArgs => registration::Model,
    |l, ids, a| service::registrations_of_sessions(&l.db, &*l.actor()?, &ids, &a.filter, &a.page, l.limits.max_page_size).await?
);
