//! Read scope: for every entity, the SQL condition selecting exactly the rows an actor may read.
//!
//! Conditions are built from the actor's grants only (no extra round trip): subtrees become
//! indexed range predicates on `organisation.path`, ancestors become id lists, and rows that
//! hang under another entity are readable exactly when their parent is (a subquery on the
//! parent's own condition). See the module documentation of [`crate::access`] for the rules.
//!
//! Every subquery is a *correlated* `EXISTS` that probes the related rows of the row at hand
//! (`EXISTS (SELECT 1 FROM program WHERE program.id = commitment.program_id AND …)`), never an
//! uncorrelated `x IN (SELECT id FROM … WHERE <scope>)`. The uncorrelated form asks the database
//! for the whole readable set: SQLite materialises it (every assessment of the country to check
//! the scores of one), and PostgreSQL hashes it whenever the scope sits under an `OR` or its plan
//! is generic. A correlated probe costs the same per row whatever the size of the reach, and the
//! planner may still hash it when many rows are checked. Inside such a subquery a column
//! qualified by its table name refers to the nearest enclosing `FROM` of that table, which is the
//! row being probed.

use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, IntoIden, IntoTableRef, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};

use super::path;
use super::{Actor, Grant};
use crate::entity::WithId;
use crate::entity::enums::{ChecklistStatus, OrganisationKind, ProgramStatus, Role};
use crate::entity::{
    app_user, assessment, assessment_score, assessment_transition, audit_event, candidacy,
    checklist_result_level, commitment, criteria_checklist, criteria_group, criterion,
    legal_document, membership, organisation, program, program_legal_basis, program_party,
    program_report, recognition_decision, registration, report_indicator_value,
    session_co_organiser, session_connection_point, session_speaker, session_topic,
    training_session,
};

/// An entity whose rows are readable according to the access rules.
pub trait Scoped: EntityTrait {
    /// The condition selecting the rows of this entity that `actor` may read.
    fn readable_by(actor: &Actor) -> Condition;

    /// A test that proves rows readable by `actor` from their own columns, where the rules allow
    /// it: a row it accepts is readable; a row it rejects may still be, and only
    /// [`Self::readable_by`] can tell. `None` (the default) when no row can be proved this way.
    ///
    /// Readers by id ([`crate::service::lookup::by_ids`]) fetch the rows by key, keep those the
    /// test accepts and ask the database about the rest only: a statement keyed by primary key
    /// plans in microseconds, the full scope condition in about a millisecond.
    fn readable_row_test(
        actor: &Actor,
    ) -> Option<impl Fn(&Self::Model) -> bool + Send + Sync + '_> {
        let _ = actor;
        None::<fn(&Self::Model) -> bool>
    }
}

/// `SELECT … FROM E WHERE <readable by actor>`: the only way services start a user-facing read.
pub fn readable<E: Scoped>(actor: &Actor) -> Select<E> {
    E::find().filter(E::readable_by(actor))
}

/// Whether `actor` reads the whole subtree rooted at the organisation at `path` by rule S (it
/// lies in the subtree of one of the actor's memberships). Every organisation below it is then
/// readable too, so a read confined to that subtree needs no scope condition.
pub fn reads_whole_subtree(actor: &Actor, path: &str) -> bool {
    actor
        .grants
        .iter()
        .any(|grant| path::is_within(path, &grant.organisation_path))
}

/// Organisations the actor may name in a link it writes (a program party, a session
/// co-organiser): every partner body and unit — public institutions, named before any program
/// makes them readable — and the association organisations it may read. An association
/// organisation it may not read is as absent as a missing id, so links cannot probe or reach
/// across the tree.
pub fn linkable_organisations(actor: &Actor) -> Select<organisation::Entity> {
    organisation::Entity::find().filter(
        Condition::any()
            .add(
                organisation::Column::Kind
                    .is_in([OrganisationKind::PartnerBody, OrganisationKind::PartnerUnit]),
            )
            .add(organisation::Entity::readable_by(actor)),
    )
}

/// The reach of an actor, computed once per condition.
struct Reach<'a> {
    /// Roots of the subtrees the actor reads (S), minimal.
    subtrees: Subtrees<'a>,
    /// Strict ancestors of the actor's membership organisations (A).
    ancestors: Vec<i64>,
    /// Roots of the subtrees of partner-tree memberships.
    partner_subtrees: Subtrees<'a>,
    /// Ancestors (and selves) of partner-tree membership organisations.
    partner_lineage: Vec<i64>,
    /// Roots of the subtrees where the actor administers or audits.
    oversight_subtrees: Subtrees<'a>,
    /// Whether the actor administers or audits a root of the association tree.
    oversees_root: bool,
}

impl<'a> Reach<'a> {
    fn of(actor: &'a Actor) -> Self {
        let partner: Vec<&Grant> = actor.grants.iter().filter(|g| g.is_partner()).collect();
        let oversight: Vec<&Grant> = actor.grants_with(&[Role::Admin, Role::Auditor]).collect();
        Self {
            subtrees: minimal_roots(actor.grants.iter()),
            ancestors: lineage(actor.grants.iter(), false),
            partner_subtrees: minimal_roots(partner.iter().copied()),
            partner_lineage: lineage(partner.iter().copied(), true),
            oversight_subtrees: minimal_roots(oversight.iter().copied()),
            oversees_root: oversight
                .iter()
                .any(|g| !g.is_partner() && path::depth(&g.organisation_path) == 0),
        }
    }
}

/// The subtrees of some of an actor's grants.
struct Subtrees<'a> {
    /// Paths of the grants' organisations, without those inside another one's subtree.
    roots: Vec<&'a str>,
    /// Whether one of them is the association's central organisation. The subtrees then hold
    /// nearly every organisation (all but the partner bodies' trees), so a probe asks whether
    /// an organisation lies *outside* them ([`within_column`]).
    association_wide: bool,
}

/// The subtrees of `grants`.
fn minimal_roots<'a>(grants: impl Iterator<Item = &'a Grant>) -> Subtrees<'a> {
    let mut association_wide = false;
    let mut paths: Vec<&str> = grants
        .map(|g| {
            association_wide |= g.organisation_kind == OrganisationKind::Central;
            g.organisation_path.as_str()
        })
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let mut roots: Vec<&str> = Vec::with_capacity(paths.len());
    for p in paths {
        if !roots.iter().any(|root| path::is_within(p, root)) {
            roots.push(p);
        }
    }
    Subtrees {
        roots,
        association_wide,
    }
}

/// Ids of the ancestors of the grants' organisations (and the organisations themselves when
/// `with_self`).
fn lineage<'a>(grants: impl Iterator<Item = &'a Grant>, with_self: bool) -> Vec<i64> {
    let mut ids: Vec<i64> = grants
        .flat_map(|g| {
            let mut ids = path::ids(&g.organisation_path);
            if !with_self {
                ids.pop();
            }
            ids
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Proves a record readable from its owner's id alone, for the first two arms of the program
/// and checklist rules: the owner is one of the actor's membership organisations (in S: each
/// lies in its own subtree), or a strict ancestor of one (A) and the record is not a draft.
struct OwnerTest {
    /// The actor's membership organisations, sorted.
    members_of: Vec<i64>,
    /// Their strict ancestors, sorted.
    ancestors: Vec<i64>,
}

impl OwnerTest {
    fn of(actor: &Actor) -> Self {
        let mut members_of: Vec<i64> = actor.grants.iter().map(|g| g.organisation_id).collect();
        members_of.sort_unstable();
        members_of.dedup();
        Self {
            members_of,
            ancestors: lineage(actor.grants.iter(), false),
        }
    }

    fn proves(&self, owner_id: i64, draft: bool) -> bool {
        self.members_of.binary_search(&owner_id).is_ok()
            || (!draft && self.ancestors.binary_search(&owner_id).is_ok())
    }
}

/// A condition that is never true.
fn nothing() -> Condition {
    Condition::all().add(Expr::cust("1 = 0"))
}

/// `organisation.path` lies in one of the subtrees rooted at `roots`.
fn path_within(roots: &[&str]) -> Condition {
    if roots.is_empty() {
        return nothing();
    }
    path_in_any(Expr::col(organisation::Column::Path.as_column_ref()), roots)
}

/// `path` lies in one of the subtrees rooted at `roots` (non-empty).
fn path_in_any(path: Expr, roots: &[&str]) -> Condition {
    roots.iter().fold(Condition::any(), |any, root| {
        any.add(path::in_subtree(path.clone(), root))
    })
}

/// `column` names an organisation in one of the `subtrees`; false for none.
///
/// Written as a correlated `EXISTS` that probes the organisation by id, not as
/// `column IN (SELECT id FROM organisation WHERE …)`: under an `OR` of several scope arms
/// PostgreSQL can only evaluate an `IN` as a hashed subplan, which reads every organisation of
/// the subtrees (13,000 for the centre) to check a handful of rows; an `EXISTS` it evaluates per
/// row (one primary-key probe) or hashed, whichever its estimates favour. As a top-level
/// condition both become the same semi-join.
fn within<C: ColumnTrait>(column: C, subtrees: &Subtrees<'_>) -> Condition {
    within_column(column.entity_name(), column, subtrees)
}

/// [`within`] for `table.column`.
///
/// For association-wide subtrees the probe is turned around: `column` is set and names no
/// organisation *outside* the subtrees (`NOT EXISTS`). The two agree because every such column
/// is a foreign key to `organisation`. PostgreSQL often hashes these probes when they sit under
/// an `OR`; hashing the organisations outside the association's tree (the partner bodies, 75
/// on the national set) instead of the 13,356 inside it made the centre's dashboard sessions
/// statement 5.9 → 0.8 ms (`bench/BASELINE.md`, finding 24).
fn within_column<T: IntoIden, C: IntoIden>(
    table: T,
    column: C,
    subtrees: &Subtrees<'_>,
) -> Condition {
    let roots = subtrees.roots.as_slice();
    if roots.is_empty() {
        return nothing();
    }
    if !subtrees.association_wide {
        return organisation_probe(table, column, |path, _| path_in_any(path, roots));
    }
    let (table, column) = (table.into_iden(), column.into_iden());
    let set = Expr::col((table.clone(), column.clone())).is_not_null();
    let outside = organisation_probe(table, column, |path, _| path_in_any(path, roots).not());
    Condition::all().add(set).add(outside.not())
}

/// `EXISTS (SELECT 1 FROM organisation AS scope_organisation WHERE scope_organisation.id =
/// table.column AND <reached>)`; `reached` gets the probed organisation's path and id columns.
fn organisation_probe<T: IntoIden, C: IntoIden>(
    table: T,
    column: C,
    reached: impl FnOnce(Expr, Expr) -> Condition,
) -> Condition {
    let scope = Alias::new("scope_organisation");
    let id = Expr::col((scope.clone(), organisation::Column::Id));
    let path = Expr::col((scope.clone(), organisation::Column::Path));
    exists_in(
        organisation::Entity.into_table_ref().alias(scope),
        Condition::all()
            .add(id.clone().equals((table, column)))
            .add(reached(path, id)),
    )
}

/// `column` names an organisation in one of the subtrees at `roots` or among `ids`; false when
/// both are empty.
///
/// One correlated `EXISTS` with the `OR` inside it, never `within(…) OR column IN (ids)`: when
/// PostgreSQL hashes a party condition (counting a partner's programs, say) an `OR` around the
/// probe leaves it no index, so it read every party of the country (12,548 rows for 534
/// matches); with the `OR` on `organisation` it finds the few organisations by path and by id
/// and the parties through `program_party_organisation_idx` (count of a partner's programs,
/// national: 9.6 → 3.0 ms).
fn within_or_among<C: ColumnTrait>(column: C, subtrees: &Subtrees<'_>, ids: &[i64]) -> Condition {
    if ids.is_empty() {
        return within(column, subtrees);
    }
    let roots = subtrees.roots.as_slice();
    organisation_probe(column.entity_name(), column, |path, id| {
        let among = Condition::any().add(id.is_in(ids.to_vec()));
        if roots.is_empty() {
            among
        } else {
            among.add(path_in_any(path, roots))
        }
    })
}

/// `column` names a program owned in one of the `subtrees` (a correlated `EXISTS`, for the
/// reason given at [`within`]).
fn owned_program_within<C: ColumnTrait>(column: C, subtrees: &Subtrees<'_>) -> Condition {
    if subtrees.roots.is_empty() {
        return nothing();
    }
    let scope = Alias::new("scope_program");
    exists_in(
        program::Entity.into_table_ref().alias(scope.clone()),
        Condition::all()
            .add(Expr::col((scope.clone(), program::Column::Id)).equals(column.as_column_ref()))
            .add(within_column(scope, program::Column::OwnerId, subtrees)),
    )
}

/// `a = b`, both qualified by their tables: the link of a correlated subquery.
fn joined<A: ColumnTrait, B: ColumnTrait>(a: A, b: B) -> Expr {
    Expr::col(a.as_column_ref()).equals(b.as_column_ref())
}

/// `EXISTS (SELECT 1 FROM <table> WHERE <condition>)`.
fn exists_in<T: IntoTableRef>(table: T, condition: Condition) -> Condition {
    Condition::all().add(Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(table)
            .cond_where(condition)
            .to_owned(),
    ))
}

/// `column` names a row of `P` that `actor` may read: the rule for rows that hang under a
/// parent (a commitment under its program, a score under its assessment).
fn names_readable<P: Scoped + WithId, C: ColumnTrait>(actor: &Actor, column: C) -> Condition {
    exists_in(
        P::default(),
        Condition::all()
            .add(joined(P::id_column(), column))
            .add(P::readable_by(actor)),
    )
}

/// `program` (a program id column) names a program with a live party satisfying `party`.
fn has_party<C: ColumnTrait>(program: C, party: Condition) -> Condition {
    exists_in(
        program_party::Entity,
        Condition::all()
            .add(joined(program_party::Column::ProgramId, program))
            .add(program_party::Column::RemovedAt.is_null())
            .add(party),
    )
}

/// `program` (a program id column) names a program a partner-tree member reaches through a
/// party (P); their reports and sessions are readable to it.
fn partner_program<C: ColumnTrait>(program: C, reach: &Reach<'_>) -> Condition {
    if reach.partner_lineage.is_empty() {
        return nothing();
    }
    let party = within_or_among(
        program_party::Column::OrganisationId,
        &reach.partner_subtrees,
        &reach.partner_lineage,
    );
    has_party(program, party)
}

impl Scoped for organisation::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        Condition::any()
            .add(path_within(&reach.subtrees.roots))
            .add(organisation::Column::Id.is_in(reach.ancestors.clone()))
            // A party to a readable program.
            .add(exists_in(
                program_party::Entity,
                Condition::all()
                    .add(joined(
                        program_party::Column::OrganisationId,
                        organisation::Column::Id,
                    ))
                    .add(program_party::Column::RemovedAt.is_null())
                    .add(names_readable::<program::Entity, _>(
                        actor,
                        program_party::Column::ProgramId,
                    )),
            ))
            // The owner of a readable program.
            .add(exists_in(
                program::Entity,
                Condition::all()
                    .add(joined(program::Column::OwnerId, organisation::Column::Id))
                    .add(program::Entity::readable_by(actor)),
            ))
    }

    /// The first two arms of [`Self::readable_by`], on the row's own path and id: an
    /// organisation in the actor's subtrees or among their ancestors. Whether it is a party to
    /// or the owner of a readable program needs the database.
    fn readable_row_test(
        actor: &Actor,
    ) -> Option<impl Fn(&organisation::Model) -> bool + Send + Sync + '_> {
        let ancestors = lineage(actor.grants.iter(), false);
        Some(move |row: &organisation::Model| {
            reads_whole_subtree(actor, &row.path) || ancestors.binary_search(&row.id).is_ok()
        })
    }
}

impl Scoped for app_user::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        let overseen_member = exists_in(
            membership::Entity,
            Condition::all()
                .add(joined(membership::Column::UserId, app_user::Column::Id))
                .add(membership::Column::RevokedAt.is_null())
                .add(within(
                    membership::Column::OrganisationId,
                    &reach.oversight_subtrees,
                )),
        );
        Condition::any()
            .add(app_user::Column::Id.eq(actor.user_id))
            .add(overseen_member)
    }
}

impl Scoped for membership::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        Condition::any()
            .add(membership::Column::UserId.eq(actor.user_id))
            .add(within(
                membership::Column::OrganisationId,
                &reach.oversight_subtrees,
            ))
    }
}

impl Scoped for audit_event::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        let mut any = Condition::any().add(within(
            audit_event::Column::OrganisationId,
            &reach.oversight_subtrees,
        ));
        if reach.oversees_root {
            any = any.add(audit_event::Column::OrganisationId.is_null());
        }
        any
    }
}

impl Scoped for legal_document::Entity {
    /// Legal documents are public law: every authenticated user reads them.
    fn readable_by(_actor: &Actor) -> Condition {
        Condition::all()
    }
}

impl Scoped for program::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        // A party in the actor's subtrees, or a partner-tree organisation of the actor or one of
        // its ancestors in that tree. Not an ancestor in the association: every branch would then
        // read its siblings' programs, drafts included, whenever the central association is a
        // party to them.
        let party = within_or_among(
            program_party::Column::OrganisationId,
            &reach.subtrees,
            &reach.partner_lineage,
        );
        Condition::any()
            .add(within(program::Column::OwnerId, &reach.subtrees))
            .add(
                Condition::all()
                    .add(program::Column::OwnerId.is_in(reach.ancestors.clone()))
                    .add(program::Column::Status.ne(ProgramStatus::Draft)),
            )
            .add(has_party(program::Column::Id, party))
    }

    /// The owner arms of [`Self::readable_by`] where the owner's id decides them
    /// ([`OwnerTest`]); a program reached through a party or owned deeper in the actor's
    /// subtree needs the database.
    fn readable_row_test(
        actor: &Actor,
    ) -> Option<impl Fn(&program::Model) -> bool + Send + Sync + '_> {
        let owner = OwnerTest::of(actor);
        Some(move |row: &program::Model| {
            owner.proves(row.owner_id, row.status == ProgramStatus::Draft)
        })
    }
}

/// Rows hanging under a program are readable with it.
macro_rules! readable_with_program {
    ($($entity:ident),+) => {$(
        impl Scoped for $entity::Entity {
            fn readable_by(actor: &Actor) -> Condition {
                names_readable::<program::Entity, _>(actor, $entity::Column::ProgramId)
            }
        }
    )+};
}
readable_with_program!(program_party, program_legal_basis, commitment);

impl Scoped for program_report::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        Condition::any()
            .add(within(
                program_report::Column::ReportingOrganisationId,
                &reach.subtrees,
            ))
            .add(owned_program_within(
                program_report::Column::ProgramId,
                &reach.subtrees,
            ))
            .add(partner_program(program_report::Column::ProgramId, &reach))
    }
}

impl Scoped for report_indicator_value::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        names_readable::<program_report::Entity, _>(actor, report_indicator_value::Column::ReportId)
    }
}

impl Scoped for training_session::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        let co_organised = exists_in(
            session_co_organiser::Entity,
            Condition::all()
                .add(joined(
                    session_co_organiser::Column::SessionId,
                    training_session::Column::Id,
                ))
                .add(within(
                    session_co_organiser::Column::OrganisationId,
                    &reach.subtrees,
                )),
        );
        Condition::any()
            .add(within(
                training_session::Column::OrganiserId,
                &reach.subtrees,
            ))
            .add(co_organised)
            .add(owned_program_within(
                training_session::Column::ProgramId,
                &reach.subtrees,
            ))
            .add(partner_program(training_session::Column::ProgramId, &reach))
    }
}

/// Rows hanging under a training session are readable with it.
macro_rules! readable_with_session {
    ($($entity:ident),+) => {$(
        impl Scoped for $entity::Entity {
            fn readable_by(actor: &Actor) -> Condition {
                names_readable::<training_session::Entity, _>(actor, $entity::Column::SessionId)
            }
        }
    )+};
}
readable_with_session!(
    session_co_organiser,
    session_topic,
    session_speaker,
    session_connection_point,
    registration
);

impl Scoped for criteria_checklist::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        Condition::any()
            .add(within(criteria_checklist::Column::OwnerId, &reach.subtrees))
            .add(
                Condition::all()
                    .add(criteria_checklist::Column::OwnerId.is_in(reach.ancestors.clone()))
                    .add(criteria_checklist::Column::Status.ne(ChecklistStatus::Draft)),
            )
    }

    /// Both arms of [`Self::readable_by`] where the owner's id decides them ([`OwnerTest`]);
    /// a checklist owned deeper in the actor's subtree needs the database.
    fn readable_row_test(
        actor: &Actor,
    ) -> Option<impl Fn(&criteria_checklist::Model) -> bool + Send + Sync + '_> {
        let owner = OwnerTest::of(actor);
        Some(move |row: &criteria_checklist::Model| {
            owner.proves(row.owner_id, row.status == ChecklistStatus::Draft)
        })
    }
}

/// Rows hanging under a checklist are readable with it.
macro_rules! readable_with_checklist {
    ($($entity:ident),+) => {$(
        impl Scoped for $entity::Entity {
            fn readable_by(actor: &Actor) -> Condition {
                names_readable::<criteria_checklist::Entity, _>(actor, $entity::Column::ChecklistId)
            }
        }
    )+};
}
readable_with_checklist!(checklist_result_level, criteria_group, criterion);

impl Scoped for assessment::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        Condition::any()
            .add(within(assessment::Column::OrganisationId, &reach.subtrees))
            .add(within(
                assessment::Column::SubjectOrganisationId,
                &reach.subtrees,
            ))
    }
}

impl Scoped for candidacy::Entity {
    fn readable_by(actor: &Actor) -> Condition {
        let reach = Reach::of(actor);
        Condition::any()
            .add(within(candidacy::Column::OrganisationId, &reach.subtrees))
            .add(within(
                candidacy::Column::SubjectOrganisationId,
                &reach.subtrees,
            ))
    }
}

/// Rows hanging under an assessment are readable with it.
macro_rules! readable_with_assessment {
    ($($entity:ident),+) => {$(
        impl Scoped for $entity::Entity {
            fn readable_by(actor: &Actor) -> Condition {
                names_readable::<assessment::Entity, _>(actor, $entity::Column::AssessmentId)
            }
        }
    )+};
}
readable_with_assessment!(
    assessment_score,
    assessment_transition,
    recognition_decision
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::enums::OrganisationKind;

    fn grant(path: &str, kind: OrganisationKind, role: Role) -> Grant {
        Grant {
            membership_id: 1,
            organisation_id: *path::ids(path).last().unwrap_or(&0),
            organisation_path: path.to_owned(),
            organisation_kind: kind,
            role,
        }
    }

    fn actor_with(grant: Grant) -> Actor {
        Actor {
            user_id: 1,
            email: "a@b.vn".into(),
            display_name: "A".into(),
            grants: vec![grant],
        }
    }

    fn organisation_at(id: i64, path: &str) -> organisation::Model {
        organisation::Model {
            id,
            code: format!("O{id}"),
            name: format!("Organisation {id}"),
            short_name: None,
            name_search: format!("organisation {id}"),
            kind: OrganisationKind::Commune,
            status: crate::entity::enums::OrganisationStatus::Active,
            parent_id: None,
            path: path.to_owned(),
            depth: path::depth(path),
            merged_into_id: None,
            address: None,
            email: None,
            phone: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            archived_at: None,
            version: 1,
        }
    }

    #[test]
    fn an_owner_proves_readable_when_it_is_a_membership_or_publishes_from_above() {
        let actor = actor_with(grant("/1/5/9/", OrganisationKind::Commune, Role::Editor));
        let owner = OwnerTest::of(&actor);
        assert!(owner.proves(9, true), "its own organisation's drafts");
        assert!(
            owner.proves(5, false) && owner.proves(1, false),
            "published from above"
        );
        assert!(!owner.proves(5, true), "an ancestor's draft");
        assert!(!owner.proves(50, false), "a sibling");
        assert!(
            !owner.proves(90, false),
            "below it: only the database knows the path"
        );

        let test = organisation::Entity::readable_row_test(&actor);
        let reads =
            |id: i64, path: &str| test.as_ref().is_some_and(|t| t(&organisation_at(id, path)));
        assert!(
            reads(9, "/1/5/9/") && reads(90, "/1/5/9/90/"),
            "its subtree"
        );
        assert!(reads(1, "/1/") && reads(5, "/1/5/"), "its ancestors");
        assert!(!reads(50, "/1/50/") && !reads(10, "/1/5/10/"), "siblings");
    }

    #[test]
    fn the_centre_probes_for_organisations_outside_the_association() {
        use sea_orm::{DbBackend, QueryTrait};
        let sql = |grant: Grant| {
            readable::<training_session::Entity>(&actor_with(grant))
                .build(DbBackend::Postgres)
                .to_string()
        };
        let centre = sql(grant("/1/", OrganisationKind::Central, Role::Viewer));
        assert!(
            centre.contains(r#""training_session"."organiser_id" IS NOT NULL AND (NOT EXISTS("#),
            "{centre}"
        );
        assert!(
            centre.contains(r#"(NOT ("scope_organisation"."path" >= '/1/' AND"#),
            "{centre}"
        );
        let province = sql(grant("/1/5/", OrganisationKind::Provincial, Role::Viewer));
        assert!(!province.contains("NOT EXISTS"), "{province}");
        let partner = sql(grant("/90/", OrganisationKind::PartnerBody, Role::Viewer));
        assert!(!partner.contains("NOT EXISTS"), "{partner}");
    }

    #[test]
    fn minimal_roots_drop_nested_subtrees() {
        let grants = [
            grant("/1/5/", OrganisationKind::Provincial, Role::Viewer),
            grant("/1/5/9/", OrganisationKind::Commune, Role::Editor),
            grant("/1/50/", OrganisationKind::Provincial, Role::Viewer),
        ];
        assert_eq!(minimal_roots(grants.iter()).roots, vec!["/1/5/", "/1/50/"]);
        assert_eq!(lineage(grants.iter(), false), vec![1, 5]);
        assert_eq!(lineage(grants.iter(), true), vec![1, 5, 9, 50]);
    }
}
