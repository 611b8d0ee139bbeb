//! Tenant isolation as a property, checked on random worlds.
//!
//! proptest generates worlds from a fixed seed: a new association tree (a central root with
//! provinces, communes, chi hội and Ban Khuyến học nested as `OrganisationKind::may_sit_under`
//! allows), one or two partner bodies with nested units, users holding random roles (some
//! revoked) anywhere in both trees, and records: programs of every status owned by association
//! organisations, with parties from both trees (some removed); reports by a party or a branch of
//! the owner; training sessions by any organisation, optionally under a program and with
//! co-organisers; and registrations. All worlds are inserted next to the demo data in one
//! database per backend.
//!
//! For every user of a world, [`Sight`] works out what the README's rules ("Roles and scope")
//! let it read, as a plain implementation over the generated model that shares nothing with the
//! product's access code. The API must agree exactly, not just as a subset, so nothing of the
//! demo or of another world may show:
//!
//! * the list roots `organisations`, `programs`, `programReports`, `trainingSessions`, `users`
//!   and `auditEvents`, followed page by page;
//! * `node(id)` for every row of the world: non-null exactly when readable;
//! * the relations of every readable row (`parent`, `children`, `programs`, `trainingSessions`,
//!   `owner`, `parties`, `reports`, `organiser`, `program`, `coOrganisers`, `registrations`,
//!   `reportingOrganisation`, `memberships`);
//! * every mutation aimed at an object the user cannot read fails with `NOT_FOUND`, and the full
//!   contents of every table it could touch are identical before and after.
//!
//! A failure prints the world, the user and every disagreement. `ISOLATION_SEED` (a decimal
//! number) and `ISOLATION_CASES` explore other worlds.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{NaiveDate, TimeZone, Utc};
use futures::{StreamExt, stream};
use khuyenhoc_core::entity::enums::{
    OrganisationKind, OrganisationStatus, PartyRole, ProgramStatus, RegistrationStatus, ReportKind,
    ReportStatus, Role, SessionMode, SessionStatus, UserStatus,
};
use khuyenhoc_core::entity::{
    app_user, audit_event, commitment, membership, organisation, program, program_legal_basis,
    program_party, program_report, registration, report_indicator_value, session_co_organiser,
    session_connection_point, session_speaker, session_topic, training_session,
};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Set, Statement,
    TransactionTrait,
};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

/// Worlds per backend, unless `ISOLATION_CASES` says otherwise.
const DEFAULT_CASES: usize = 20;
/// Seed of the world generator, unless `ISOLATION_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x6b68_7579_656e_686f;
/// Out-of-scope objects of each type every user attacks (few enough requests per user to stay
/// within the server's per-user burst; the choice varies between users).
const TARGETS_PER_TYPE: usize = 1;
/// Aliased fields per request (the server refuses documents with many aliases).
const ALIASES_PER_REQUEST: usize = 20;
/// Mutations in flight at once.
const CONCURRENT_WRITES: usize = 8;

// ---------------------------------------------------------------------------------------------
// The generated world
// ---------------------------------------------------------------------------------------------

/// One generated world. Everything refers to organisations, programs and sessions by index.
#[derive(Debug, Clone, Default)]
struct World {
    orgs: Vec<Org>,
    users: Vec<User>,
    programs: Vec<Program>,
    reports: Vec<Report>,
    sessions: Vec<Session>,
    registrations: Vec<Registration>,
}

#[derive(Debug, Clone)]
struct Org {
    parent: Option<usize>,
    kind: OrganisationKind,
}

#[derive(Debug, Clone)]
struct User {
    memberships: Vec<Membership>,
}

#[derive(Debug, Clone)]
struct Membership {
    org: usize,
    role: Role,
    revoked: bool,
}

#[derive(Debug, Clone)]
struct Program {
    owner: usize,
    status: ProgramStatus,
    parties: Vec<Party>,
}

#[derive(Debug, Clone)]
struct Party {
    org: usize,
    role: PartyRole,
    removed: bool,
}

#[derive(Debug, Clone)]
struct Report {
    program: usize,
    reporter: usize,
    status: ReportStatus,
}

#[derive(Debug, Clone)]
struct Session {
    organiser: usize,
    program: Option<usize>,
    co_organisers: Vec<usize>,
    status: SessionStatus,
}

#[derive(Debug, Clone)]
struct Registration {
    session: usize,
    organisation: Option<usize>,
}

impl Program {
    /// Organisations that are live parties.
    fn live_parties(&self) -> impl Iterator<Item = usize> + '_ {
        self.parties.iter().filter(|p| !p.removed).map(|p| p.org)
    }
}

impl World {
    /// `org`, its parent, its grandparent… up to its root.
    fn lineage(&self, org: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(org), |o| self.orgs[*o].parent)
    }

    /// Whether `org` lies in the subtree rooted at `root` (itself included).
    fn is_within(&self, org: usize, root: usize) -> bool {
        self.lineage(org).any(|o| o == root)
    }

    /// Indices of the organisations satisfying `keep`.
    fn org_indices(&self, keep: impl Fn(&Org) -> bool) -> Vec<usize> {
        (0..self.orgs.len())
            .filter(|o| keep(&self.orgs[*o]))
            .collect()
    }

    /// A readable listing of the world, printed when a check fails.
    fn describe(&self) -> String {
        let mut out = String::new();
        for (i, o) in self.orgs.iter().enumerate() {
            let _ = writeln!(out, "  O{i} {:?} under {:?}", o.kind, o.parent);
        }
        for (i, u) in self.users.iter().enumerate() {
            let _ = writeln!(out, "  U{i} {}", describe_memberships(&u.memberships));
        }
        for (i, p) in self.programs.iter().enumerate() {
            let parties: Vec<String> = p
                .parties
                .iter()
                .map(|q| {
                    let removed = if q.removed { " removed" } else { "" };
                    format!("O{} {:?}{removed}", q.org, q.role)
                })
                .collect();
            let _ = writeln!(
                out,
                "  P{i} {:?} owned by O{}, parties [{}]",
                p.status,
                p.owner,
                parties.join(", ")
            );
        }
        for (i, r) in self.reports.iter().enumerate() {
            let _ = writeln!(
                out,
                "  R{i} on P{} by O{} {:?}",
                r.program, r.reporter, r.status
            );
        }
        for (i, t) in self.sessions.iter().enumerate() {
            let _ = writeln!(
                out,
                "  T{i} by O{} program {:?} co-organisers {:?} {:?}",
                t.organiser, t.program, t.co_organisers, t.status
            );
        }
        for (i, g) in self.registrations.iter().enumerate() {
            let _ = writeln!(out, "  G{i} for T{} from {:?}", g.session, g.organisation);
        }
        out
    }
}

fn describe_memberships(memberships: &[Membership]) -> String {
    let all: Vec<String> = memberships
        .iter()
        .map(|m| {
            let revoked = if m.revoked { " (revoked)" } else { "" };
            format!("{:?}@O{}{revoked}", m.role, m.org)
        })
        .collect();
    format!("[{}]", all.join(", "))
}

// ---------------------------------------------------------------------------------------------
// Generating worlds
// ---------------------------------------------------------------------------------------------

const BRANCH_KINDS: &[OrganisationKind] = &[
    OrganisationKind::Provincial,
    OrganisationKind::Commune,
    OrganisationKind::LocalBranch,
    OrganisationKind::LearningBoard,
];
const ROLES: &[Role] = &[Role::Admin, Role::Editor, Role::Viewer, Role::Auditor];
const PROGRAM_STATUSES: &[ProgramStatus] = &[
    ProgramStatus::Draft,
    ProgramStatus::Active,
    ProgramStatus::Completed,
    ProgramStatus::Terminated,
];
const REPORT_STATUSES: &[ReportStatus] = &[
    ReportStatus::Draft,
    ReportStatus::Submitted,
    ReportStatus::Acknowledged,
];
const SESSION_STATUSES: &[SessionStatus] = &[
    SessionStatus::Planned,
    SessionStatus::Held,
    SessionStatus::Cancelled,
];

/// Raw choices; [`World::build`] resolves them against the constraints of the domain.
type RawBranch = (Index, Index);
type RawGrant = (Index, Role, bool);
type RawParty = (Index, Index, bool);
type RawProgram = (Index, ProgramStatus, bool, Vec<RawParty>);
type RawReport = (Index, Index, ReportStatus);
type RawSession = (Index, Option<Index>, Vec<Index>, SessionStatus);
type RawRegistration = (Index, Option<Index>);

struct RawWorld {
    branches: Vec<RawBranch>,
    partner_bodies: usize,
    partner_units: Vec<Index>,
    users: Vec<Vec<RawGrant>>,
    programs: Vec<RawProgram>,
    reports: Vec<RawReport>,
    sessions: Vec<RawSession>,
    registrations: Vec<RawRegistration>,
}

/// Random worlds, as the module documentation describes.
fn worlds() -> impl Strategy<Value = World> {
    let branches = prop::collection::vec((any::<Index>(), any::<Index>()), 3..=9);
    let partners = (1..=2usize, prop::collection::vec(any::<Index>(), 0..=4));
    let users = prop::collection::vec(
        prop::collection::vec(
            (any::<Index>(), select(ROLES), prop::bool::weighted(0.15)),
            1..=3,
        ),
        2..=6,
    );
    let programs = prop::collection::vec(
        (
            any::<Index>(),
            select(PROGRAM_STATUSES),
            prop::bool::weighted(0.7),
            prop::collection::vec(
                (any::<Index>(), any::<Index>(), prop::bool::weighted(0.2)),
                0..=3,
            ),
        ),
        1..=5,
    );
    let reports = prop::collection::vec(
        (any::<Index>(), any::<Index>(), select(REPORT_STATUSES)),
        0..=6,
    );
    let sessions = prop::collection::vec(
        (
            any::<Index>(),
            prop::option::of(any::<Index>()),
            prop::collection::vec(any::<Index>(), 0..=2),
            select(SESSION_STATUSES),
        ),
        0..=6,
    );
    let registrations =
        prop::collection::vec((any::<Index>(), prop::option::of(any::<Index>())), 0..=5);
    (
        branches,
        partners,
        users,
        programs,
        reports,
        sessions,
        registrations,
    )
        .prop_map(
            |(
                branches,
                (partner_bodies, partner_units),
                users,
                programs,
                reports,
                sessions,
                registrations,
            )| {
                World::build(RawWorld {
                    branches,
                    partner_bodies,
                    partner_units,
                    users,
                    programs,
                    reports,
                    sessions,
                    registrations,
                })
            },
        )
}

impl World {
    fn build(raw: RawWorld) -> Self {
        let mut world = Self::default();
        world.grow_association(&raw.branches);
        world.grow_partners(raw.partner_bodies, &raw.partner_units);
        world.add_users(&raw.users);
        world.add_programs(&raw.programs);
        world.add_reports(&raw.reports);
        world.add_sessions(&raw.sessions);
        world.add_registrations(&raw.registrations);
        world
    }

    /// A central root, then branches each under an earlier organisation that may hold it.
    fn grow_association(&mut self, branches: &[RawBranch]) {
        self.orgs.push(Org {
            parent: None,
            kind: OrganisationKind::Central,
        });
        for (parent, kind) in branches {
            let parents =
                self.org_indices(|o| BRANCH_KINDS.iter().any(|k| k.may_sit_under(o.kind)));
            let parent = *parent.get(&parents);
            let kinds: Vec<OrganisationKind> = BRANCH_KINDS
                .iter()
                .copied()
                .filter(|k| k.may_sit_under(self.orgs[parent].kind))
                .collect();
            self.orgs.push(Org {
                parent: Some(parent),
                kind: *kind.get(&kinds),
            });
        }
    }

    /// Partner bodies, then units each under an earlier organisation of a partner tree.
    fn grow_partners(&mut self, bodies: usize, units: &[Index]) {
        for _ in 0..bodies {
            self.orgs.push(Org {
                parent: None,
                kind: OrganisationKind::PartnerBody,
            });
        }
        for parent in units {
            let parents = self.org_indices(|o| o.kind.is_partner());
            self.orgs.push(Org {
                parent: Some(*parent.get(&parents)),
                kind: OrganisationKind::PartnerUnit,
            });
        }
    }

    /// Users with roles anywhere; a role held twice live is stored revoked the second time.
    fn add_users(&mut self, users: &[Vec<RawGrant>]) {
        for grants in users {
            let mut memberships: Vec<Membership> = Vec::new();
            for (org, role, revoked) in grants {
                let org = org.index(self.orgs.len());
                let held = memberships
                    .iter()
                    .any(|m| !m.revoked && m.org == org && m.role == *role);
                memberships.push(Membership {
                    org,
                    role: *role,
                    revoked: *revoked || held,
                });
            }
            self.users.push(User { memberships });
        }
    }

    /// Programs owned in the association; the owner usually signs; other parties from anywhere
    /// (PARTNER for partner organisations, else ASSOCIATION, or COORDINATOR for either).
    fn add_programs(&mut self, programs: &[RawProgram]) {
        let association = self.org_indices(|o| !o.kind.is_partner());
        for (owner, status, owner_signs, raw_parties) in programs {
            let owner = *owner.get(&association);
            let mut parties = Vec::new();
            if *owner_signs {
                parties.push(Party {
                    org: owner,
                    role: PartyRole::Association,
                    removed: false,
                });
            }
            for (org, role, removed) in raw_parties {
                let org = org.index(self.orgs.len());
                let roles = if self.orgs[org].kind.is_partner() {
                    [PartyRole::Partner, PartyRole::Coordinator]
                } else {
                    [PartyRole::Association, PartyRole::Coordinator]
                };
                let live = parties.iter().any(|p: &Party| !p.removed && p.org == org);
                parties.push(Party {
                    org,
                    role: *role.get(&roles),
                    removed: *removed || live,
                });
            }
            self.programs.push(Program {
                owner,
                status: *status,
                parties,
            });
        }
    }

    /// Reports on signed programs, by a live party or a branch of the owner (as the service
    /// requires).
    fn add_reports(&mut self, reports: &[RawReport]) {
        let signed: Vec<usize> = (0..self.programs.len())
            .filter(|p| self.programs[*p].status != ProgramStatus::Draft)
            .collect();
        if signed.is_empty() {
            return;
        }
        for (program, reporter, status) in reports {
            let program = *program.get(&signed);
            let p = &self.programs[program];
            let eligible: Vec<usize> = (0..self.orgs.len())
                .filter(|o| p.live_parties().any(|q| q == *o) || self.is_within(*o, p.owner))
                .collect();
            self.reports.push(Report {
                program,
                reporter: *reporter.get(&eligible),
                status: *status,
            });
        }
    }

    fn add_sessions(&mut self, sessions: &[RawSession]) {
        for (organiser, program, co_organisers, status) in sessions {
            let organiser = organiser.index(self.orgs.len());
            let mut co: Vec<usize> = co_organisers
                .iter()
                .map(|c| c.index(self.orgs.len()))
                .filter(|c| *c != organiser)
                .collect();
            co.sort_unstable();
            co.dedup();
            self.sessions.push(Session {
                organiser,
                program: program.map(|p| p.index(self.programs.len())),
                co_organisers: co,
                status: *status,
            });
        }
    }

    fn add_registrations(&mut self, registrations: &[RawRegistration]) {
        if self.sessions.is_empty() {
            return;
        }
        for (session, organisation) in registrations {
            self.registrations.push(Registration {
                session: session.index(self.sessions.len()),
                organisation: organisation.map(|o| o.index(self.orgs.len())),
            });
        }
    }
}

/// `cases` worlds from `seed`, always the same ones for the same seed.
fn generate(cases: usize, seed: u64) -> Vec<World> {
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::with_cases(u32::try_from(cases).unwrap_or(u32::MAX)),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let strategy = worlds();
    (0..cases)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("generate a world")
                .current()
        })
        .collect()
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------------------------
// The oracle: the README's rules over the generated world
// ---------------------------------------------------------------------------------------------

/// What one user may read according to the README, decided from the world alone.
///
/// * Member of X (any role): records owned in X's subtree; non-draft programs owned by X's
///   ancestors; programs X's subtree is party to.
/// * Member of a partner organisation P: programs P or an ancestor of P in its own tree is
///   party to, with their reports and training sessions.
/// * A report or session is owned by its reporter or organiser (and co-organisers); the owner
///   of a program reads what is attached to it.
/// * Organisations: the subtrees and ancestors of the user's organisations, and the owners and
///   live parties of the programs it reads (so a readable program never shows a hidden party).
/// * Users and memberships: its own, and those in the subtrees where it is ADMIN or AUDITOR.
struct Sight<'w> {
    world: &'w World,
    user: usize,
    /// Live memberships: organisation and role.
    grants: Vec<(usize, Role)>,
}

impl<'w> Sight<'w> {
    fn of(world: &'w World, user: usize) -> Self {
        let grants = world.users[user]
            .memberships
            .iter()
            .filter(|m| !m.revoked)
            .map(|m| (m.org, m.role))
            .collect();
        Self {
            world,
            user,
            grants,
        }
    }

    fn partner_grants(&self) -> impl Iterator<Item = usize> + '_ {
        self.grants
            .iter()
            .map(|(org, _)| *org)
            .filter(|org| self.world.orgs[*org].kind.is_partner())
    }

    /// In the subtree of one of the user's organisations.
    fn in_reach(&self, org: usize) -> bool {
        self.grants
            .iter()
            .any(|(g, _)| self.world.is_within(org, *g))
    }

    /// A strict ancestor of one of the user's organisations.
    fn above(&self, org: usize) -> bool {
        self.grants
            .iter()
            .any(|(g, _)| *g != org && self.world.is_within(*g, org))
    }

    /// A partner organisation the user belongs to, or an ancestor of one in its own tree.
    fn partner_or_its_ancestor(&self, org: usize) -> bool {
        self.partner_grants().any(|g| self.world.is_within(g, org))
    }

    /// In the subtree of a partner organisation the user belongs to.
    fn in_partner_reach(&self, org: usize) -> bool {
        self.partner_grants().any(|g| self.world.is_within(org, g))
    }

    /// In the subtree of an organisation where the user is ADMIN or AUDITOR.
    fn oversees(&self, org: usize) -> bool {
        self.grants.iter().any(|(g, role)| {
            matches!(role, Role::Admin | Role::Auditor) && self.world.is_within(org, *g)
        })
    }

    /// ADMIN or AUDITOR of the root of an association tree: reads the audit events that belong
    /// to no organisation.
    fn oversees_an_association_root(&self) -> bool {
        self.grants.iter().any(|(g, role)| {
            matches!(role, Role::Admin | Role::Auditor)
                && self.world.orgs[*g].kind == OrganisationKind::Central
        })
    }

    fn program(&self, p: usize) -> bool {
        let program = &self.world.programs[p];
        self.in_reach(program.owner)
            || (self.above(program.owner) && program.status != ProgramStatus::Draft)
            || program
                .live_parties()
                .any(|q| self.in_reach(q) || self.partner_or_its_ancestor(q))
    }

    /// A program the user reaches as a member of a partner body, with all its reports and
    /// sessions.
    fn partner_program(&self, p: usize) -> bool {
        self.world.programs[p]
            .live_parties()
            .any(|q| self.in_partner_reach(q) || self.partner_or_its_ancestor(q))
    }

    /// Records attached to program `p` that the user reads because of the program.
    fn attached_to_readable_program(&self, p: usize) -> bool {
        self.in_reach(self.world.programs[p].owner) || self.partner_program(p)
    }

    fn organisation(&self, o: usize) -> bool {
        self.in_reach(o)
            || self.above(o)
            || (0..self.world.programs.len()).any(|p| {
                let program = &self.world.programs[p];
                (program.owner == o || program.live_parties().any(|q| q == o)) && self.program(p)
            })
    }

    fn report(&self, r: usize) -> bool {
        let report = &self.world.reports[r];
        self.in_reach(report.reporter) || self.attached_to_readable_program(report.program)
    }

    fn session(&self, t: usize) -> bool {
        let session = &self.world.sessions[t];
        self.in_reach(session.organiser)
            || session.co_organisers.iter().any(|c| self.in_reach(*c))
            || session
                .program
                .is_some_and(|p| self.attached_to_readable_program(p))
    }

    fn registration(&self, g: usize) -> bool {
        self.session(self.world.registrations[g].session)
    }

    fn user(&self, u: usize) -> bool {
        u == self.user
            || self.world.users[u]
                .memberships
                .iter()
                .any(|m| !m.revoked && self.oversees(m.org))
    }

    fn membership(&self, u: usize, m: usize) -> bool {
        u == self.user || self.oversees(self.world.users[u].memberships[m].org)
    }
}

// ---------------------------------------------------------------------------------------------
// Inserting a world
// ---------------------------------------------------------------------------------------------

/// The database ids of a world's rows, by the world's indices.
#[derive(Debug, Default)]
struct Rows {
    orgs: Vec<i64>,
    users: Vec<i64>,
    memberships: Vec<Vec<i64>>,
    programs: Vec<i64>,
    parties: Vec<Vec<i64>>,
    reports: Vec<i64>,
    sessions: Vec<i64>,
    registrations: Vec<i64>,
}

/// A world as inserted: its model, its rows, and the prefix of its codes and emails.
struct Placed {
    case: usize,
    world: World,
    rows: Rows,
}

impl Placed {
    fn prefix(&self) -> String {
        format!("ISO{:02}", self.case)
    }

    fn email(&self, user: usize) -> String {
        format!("iso{:02}.u{user}@isolation.test", self.case)
    }

    fn org(&self, o: usize) -> String {
        gid("Organisation", self.rows.orgs[o])
    }

    fn program(&self, p: usize) -> String {
        gid("Program", self.rows.programs[p])
    }

    fn party(&self, p: usize, q: usize) -> String {
        gid("ProgramParty", self.rows.parties[p][q])
    }

    fn report(&self, r: usize) -> String {
        gid("ProgramReport", self.rows.reports[r])
    }

    fn session(&self, t: usize) -> String {
        gid("TrainingSession", self.rows.sessions[t])
    }

    fn registration(&self, g: usize) -> String {
        gid("Registration", self.rows.registrations[g])
    }

    fn user(&self, u: usize) -> String {
        gid("User", self.rows.users[u])
    }

    fn membership(&self, u: usize, m: usize) -> String {
        gid("Membership", self.rows.memberships[u][m])
    }

    /// Short names of the world's global ids, for messages.
    fn labels(&self) -> BTreeMap<String, String> {
        let w = &self.world;
        let mut labels = BTreeMap::new();
        for o in 0..w.orgs.len() {
            labels.insert(self.org(o), format!("O{o}"));
        }
        for p in 0..w.programs.len() {
            labels.insert(self.program(p), format!("P{p}"));
        }
        for r in 0..w.reports.len() {
            labels.insert(self.report(r), format!("R{r}"));
        }
        for t in 0..w.sessions.len() {
            labels.insert(self.session(t), format!("T{t}"));
        }
        for g in 0..w.registrations.len() {
            labels.insert(self.registration(g), format!("G{g}"));
        }
        for (u, user) in w.users.iter().enumerate() {
            labels.insert(self.user(u), format!("U{u}"));
            for m in 0..user.memberships.len() {
                labels.insert(self.membership(u, m), format!("U{u}.M{m}"));
            }
        }
        labels
    }
}

/// The opaque global id of row `id` of `node_type` (`base64url("Type:id")`).
fn gid(node_type: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{node_type}:{id}"))
}

async fn place(app: &TestApp, case: usize, world: World) -> Placed {
    let mut placed = Placed {
        case,
        world,
        rows: Rows::default(),
    };
    let txn = app.db.begin().await.expect("begin");
    insert_orgs(&txn, &mut placed).await;
    insert_users(&txn, &mut placed).await;
    insert_programs(&txn, &mut placed).await;
    insert_reports(&txn, &mut placed).await;
    insert_sessions(&txn, &mut placed).await;
    insert_registrations(&txn, &mut placed).await;
    txn.commit().await.expect("commit");
    // Written around the service, like a bulk load: recount the statistics tallies.
    khuyenhoc_core::service::statistics::tally::rebuild(&app.db)
        .await
        .expect("rebuild tallies");
    placed
}

/// Organisations, parents first, with the stored path `/root/…/parent/self/` and depth.
async fn insert_orgs(txn: &DatabaseTransaction, placed: &mut Placed) {
    let now = Utc::now();
    let mut paths: Vec<String> = Vec::new();
    for (i, org) in placed.world.orgs.iter().enumerate() {
        let name = format!("{} org {i} {}", placed.prefix(), org.kind.as_str());
        let parent_path = org.parent.map_or("/", |p| paths[p].as_str()).to_owned();
        let inserted = organisation::ActiveModel {
            code: Set(format!("{}-O{i}", placed.prefix())),
            name_search: Set(name.to_lowercase()),
            name: Set(name),
            kind: Set(org.kind),
            status: Set(OrganisationStatus::Active),
            parent_id: Set(org.parent.map(|p| placed.rows.orgs[p])),
            path: Set(format!("{parent_path}pending/")),
            depth: Set(i32::try_from(placed.world.lineage(i).count() - 1).unwrap()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(txn)
        .await
        .expect("insert organisation");
        let path = format!("{parent_path}{}/", inserted.id);
        let mut with_path: organisation::ActiveModel = inserted.into();
        with_path.path = Set(path.clone());
        let saved = with_path.update(txn).await.expect("set path");
        placed.rows.orgs.push(saved.id);
        paths.push(path);
    }
}

async fn insert_users(txn: &DatabaseTransaction, placed: &mut Placed) {
    let now = Utc::now();
    for (u, user) in placed.world.users.iter().enumerate() {
        let name = format!("{} user {u}", placed.prefix());
        let row = app_user::ActiveModel {
            email: Set(placed.email(u)),
            display_name_search: Set(name.to_lowercase()),
            display_name: Set(name),
            status: Set(UserStatus::Active),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(txn)
        .await
        .expect("insert user");
        let mut ids = Vec::new();
        for m in &user.memberships {
            let membership = membership::ActiveModel {
                user_id: Set(row.id),
                organisation_id: Set(placed.rows.orgs[m.org]),
                role: Set(m.role),
                granted_at: Set(now),
                revoked_at: Set(m.revoked.then_some(now)),
                ..Default::default()
            }
            .insert(txn)
            .await
            .expect("insert membership");
            ids.push(membership.id);
        }
        placed.rows.users.push(row.id);
        placed.rows.memberships.push(ids);
    }
}

async fn insert_programs(txn: &DatabaseTransaction, placed: &mut Placed) {
    let now = Utc::now();
    for (p, spec) in placed.world.programs.iter().enumerate() {
        let title = format!("{} program {p}", placed.prefix());
        let row = program::ActiveModel {
            code: Set(format!("{}-P{p}", placed.prefix())),
            owner_id: Set(placed.rows.orgs[spec.owner]),
            title_search: Set(title.to_lowercase()),
            title: Set(title),
            starts_on: Set(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()),
            ends_on: Set(NaiveDate::from_ymd_opt(2030, 12, 31).unwrap()),
            status: Set(spec.status),
            content_areas: Set(json!([])),
            termination_reason: Set(
                (spec.status == ProgramStatus::Terminated).then(|| "generated".to_owned())
            ),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(txn)
        .await
        .expect("insert program");
        let mut ids = Vec::new();
        for party in &spec.parties {
            let inserted = program_party::ActiveModel {
                program_id: Set(row.id),
                organisation_id: Set(placed.rows.orgs[party.org]),
                role: Set(party.role),
                added_at: Set(now),
                removed_at: Set(party.removed.then_some(now)),
                ..Default::default()
            }
            .insert(txn)
            .await
            .expect("insert party");
            ids.push(inserted.id);
        }
        placed.rows.programs.push(row.id);
        placed.rows.parties.push(ids);
    }
}

async fn insert_reports(txn: &DatabaseTransaction, placed: &mut Placed) {
    let now = Utc::now();
    for (r, spec) in placed.world.reports.iter().enumerate() {
        let submitted = spec.status != ReportStatus::Draft;
        let acknowledged = spec.status == ReportStatus::Acknowledged;
        let row = program_report::ActiveModel {
            program_id: Set(placed.rows.programs[spec.program]),
            reporting_organisation_id: Set(placed.rows.orgs[spec.reporter]),
            kind: Set(ReportKind::Annual),
            // One year per report keeps (program, reporter, kind, year) unique.
            period_year: Set(Some(2000 + i32::try_from(r).unwrap())),
            title: Set(format!("{} report {r}", placed.prefix())),
            status: Set(spec.status),
            submitted_at: Set(submitted.then_some(now)),
            acknowledged_at: Set(acknowledged.then_some(now)),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(txn)
        .await
        .expect("insert report");
        placed.rows.reports.push(row.id);
    }
}

async fn insert_sessions(txn: &DatabaseTransaction, placed: &mut Placed) {
    let now = Utc::now();
    let starts = Utc.with_ymd_and_hms(2026, 9, 5, 1, 0, 0).unwrap();
    for (t, spec) in placed.world.sessions.iter().enumerate() {
        let title = format!("{} session {t}", placed.prefix());
        let registered = placed
            .world
            .registrations
            .iter()
            .filter(|g| g.session == t)
            .count();
        let row = training_session::ActiveModel {
            organiser_id: Set(placed.rows.orgs[spec.organiser]),
            program_id: Set(spec.program.map(|p| placed.rows.programs[p])),
            title_search: Set(title.to_lowercase()),
            title: Set(title),
            audience: Set(json!(["KEY_STAFF"])),
            mode: Set(SessionMode::InPerson),
            venue: Set(Some("Hội trường".to_owned())),
            starts_at: Set(starts),
            ends_at: Set(starts + chrono::Duration::hours(8)),
            status: Set(spec.status),
            cancellation_reason: Set(
                (spec.status == SessionStatus::Cancelled).then(|| "generated".to_owned())
            ),
            registered_count: Set(i32::try_from(registered).unwrap()),
            attended_count: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(txn)
        .await
        .expect("insert session");
        for c in &spec.co_organisers {
            session_co_organiser::Entity::insert(session_co_organiser::ActiveModel {
                session_id: Set(row.id),
                organisation_id: Set(placed.rows.orgs[*c]),
            })
            .exec_without_returning(txn)
            .await
            .expect("insert co-organiser");
        }
        placed.rows.sessions.push(row.id);
    }
}

async fn insert_registrations(txn: &DatabaseTransaction, placed: &mut Placed) {
    let now = Utc::now();
    for (g, spec) in placed.world.registrations.iter().enumerate() {
        let person = format!("{} person {g}", placed.prefix());
        let row = registration::ActiveModel {
            session_id: Set(placed.rows.sessions[spec.session]),
            person_search: Set(person.to_lowercase()),
            person_name: Set(person),
            organisation_id: Set(spec.organisation.map(|o| placed.rows.orgs[o])),
            dedup_key: Set(format!("person-{g}")),
            status: Set(RegistrationStatus::Registered),
            attended: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(txn)
        .await
        .expect("insert registration");
        placed.rows.registrations.push(row.id);
    }
}

// ---------------------------------------------------------------------------------------------
// Talking to the API
// ---------------------------------------------------------------------------------------------

/// Disagreements between the API and the rules, collected for one user.
struct Findings {
    labels: BTreeMap<String, String>,
    problems: Vec<String>,
}

impl Findings {
    fn name(&self, id: &str) -> String {
        self.labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("foreign {}", decoded(id)))
    }

    fn names(&self, ids: &BTreeSet<String>) -> Vec<String> {
        ids.iter().map(|id| self.name(id)).collect()
    }

    /// Records a problem unless `actual` is exactly `expected`.
    fn same_set(&mut self, what: &str, expected: &BTreeSet<String>, actual: &BTreeSet<String>) {
        if expected != actual {
            let missing: BTreeSet<String> = expected.difference(actual).cloned().collect();
            let extra: BTreeSet<String> = actual.difference(expected).cloned().collect();
            self.problems.push(format!(
                "{what}: missing {:?}, unexpected {:?}",
                self.names(&missing),
                self.names(&extra)
            ));
        }
    }

    /// Records a problem unless the optional id `actual` is `expected`.
    fn same_ref(&mut self, what: &str, expected: Option<&String>, actual: &Value) {
        let actual = actual["id"].as_str();
        if expected.map(String::as_str) != actual {
            self.problems.push(format!(
                "{what}: expected {:?}, got {:?}",
                expected.map(|e| self.name(e)),
                actual.map(|a| self.name(a))
            ));
        }
    }
}

/// `Type:id` of a global id, for messages about rows the world does not know.
fn decoded(id: &str) -> String {
    URL_SAFE_NO_PAD
        .decode(id)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| id.to_owned())
}

/// Runs a query that must not fail and returns its data.
async fn read(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let (status, body) = app.post(Some(token), query, variables).await;
    assert!(
        status == 200 && body.get("errors").is_none(),
        "query failed ({status}): {body:#}\n{query}"
    );
    body["data"].clone()
}

/// The ids of every node of the connection at `root`, following pages.
async fn list_ids(app: &TestApp, token: &str, root: &str, arguments: &str) -> BTreeSet<String> {
    let query = format!(
        "query($after: String) {{ {root}(first: 100, after: $after{arguments}) \
         {{ pageInfo {{ hasNextPage endCursor }} nodes {{ id }} }} }}"
    );
    let mut ids = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let data = read(app, token, &query, json!({ "after": after })).await;
        let connection = &data[root];
        ids.extend(ids_of(&connection["nodes"]));
        if connection["pageInfo"]["hasNextPage"] != true {
            return ids;
        }
        after = connection["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
}

/// The `id`s of a JSON array of objects.
fn ids_of(nodes: &Value) -> BTreeSet<String> {
    nodes
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter_map(|n| n["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The ids of a page that must be complete.
fn page_ids(findings: &mut Findings, what: &str, connection: &Value) -> BTreeSet<String> {
    if connection["pageInfo"]["hasNextPage"] != false {
        findings.problems.push(format!(
            "{what}: expected one complete page, got {connection}"
        ));
    }
    ids_of(&connection["nodes"])
}

/// The error message of a mutation on an object that does not exist.
async fn message_for_missing(app: &TestApp) -> String {
    let body = app
        .gql_as(
            CENTRAL_ADMIN,
            UPDATE_ORGANISATION,
            json!({ "id": app.absent_id("Organisation") }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    body["errors"][0]["message"]
        .as_str()
        .expect("message")
        .to_owned()
}

/// Global ids of the rows of the audit log that belong to no organisation.
async fn global_audit_events(app: &TestApp) -> BTreeSet<String> {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id FROM audit_event WHERE organisation_id IS NULL".to_owned(),
        ))
        .await
        .expect("audit events");
    rows.iter()
        .map(|row| gid("AuditEvent", row.try_get::<i64>("", "id").expect("id")))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Checking one user
// ---------------------------------------------------------------------------------------------

/// What the rules say `sight` reads of the placed world, as global ids per type.
struct Expected {
    orgs: BTreeSet<String>,
    programs: BTreeSet<String>,
    reports: BTreeSet<String>,
    sessions: BTreeSet<String>,
    registrations: BTreeSet<String>,
    users: BTreeSet<String>,
    memberships: BTreeSet<String>,
}

/// The ids of the indices below `n` that `visible` keeps.
fn ids_where(
    n: usize,
    visible: impl Fn(usize) -> bool,
    id: impl Fn(usize) -> String,
) -> BTreeSet<String> {
    (0..n).filter(|i| visible(*i)).map(id).collect()
}

impl Expected {
    fn of(placed: &Placed, sight: &Sight<'_>) -> Self {
        let w = &placed.world;
        let memberships = w
            .users
            .iter()
            .enumerate()
            .flat_map(|(u, user)| (0..user.memberships.len()).map(move |m| (u, m)))
            .filter(|(u, m)| sight.membership(*u, *m))
            .map(|(u, m)| placed.membership(u, m))
            .collect();
        Self {
            orgs: ids_where(w.orgs.len(), |o| sight.organisation(o), |o| placed.org(o)),
            programs: ids_where(
                w.programs.len(),
                |p| sight.program(p),
                |p| placed.program(p),
            ),
            reports: ids_where(w.reports.len(), |r| sight.report(r), |r| placed.report(r)),
            sessions: ids_where(
                w.sessions.len(),
                |t| sight.session(t),
                |t| placed.session(t),
            ),
            registrations: ids_where(
                w.registrations.len(),
                |g| sight.registration(g),
                |g| placed.registration(g),
            ),
            users: ids_where(w.users.len(), |u| sight.user(u), |u| placed.user(u)),
            memberships,
        }
    }
}

/// Every check for one user of a world; the disagreements found.
async fn check_user(app: &TestApp, placed: &Placed, user: usize, missing: &str) -> Vec<String> {
    let sight = Sight::of(&placed.world, user);
    let expected = Expected::of(placed, &sight);
    let token = app.token(&placed.email(user)).await;
    let mut findings = Findings {
        labels: placed.labels(),
        problems: Vec::new(),
    };
    check_lists(app, &token, &sight, &expected, &mut findings).await;
    check_nodes(app, &token, placed, &expected, &mut findings).await;
    check_relations(app, &token, placed, &sight, &expected, &mut findings).await;
    check_writes(app, &token, placed, &sight, missing, &mut findings).await;
    findings.problems
}

/// The list roots, every page, against the expected sets.
async fn check_lists(
    app: &TestApp,
    token: &str,
    sight: &Sight<'_>,
    expected: &Expected,
    findings: &mut Findings,
) {
    let all_statuses = ", filter: {statuses: [ACTIVE, ARCHIVED, MERGED]}";
    let with_archived = ", filter: {includeArchived: true}";
    let lists = [
        ("organisations", all_statuses, &expected.orgs),
        ("programs", with_archived, &expected.programs),
        ("programReports", "", &expected.reports),
        ("trainingSessions", with_archived, &expected.sessions),
        ("users", "", &expected.users),
    ];
    for (root, arguments, expected) in lists {
        let actual = list_ids(app, token, root, arguments).await;
        findings.same_set(root, expected, &actual);
    }
    let audit = if sight.oversees_an_association_root() {
        global_audit_events(app).await
    } else {
        BTreeSet::new()
    };
    let actual = list_ids(app, token, "auditEvents", "").await;
    findings.same_set("auditEvents", &audit, &actual);
}

/// Every row of the world with its global id and whether the rules let the user read it.
fn every_row(placed: &Placed, expected: &Expected) -> Vec<(String, bool)> {
    let w = &placed.world;
    let mut all: Vec<(String, bool)> = Vec::new();
    let mut add = |id: String, visible: &BTreeSet<String>| {
        let seen = visible.contains(&id);
        all.push((id, seen));
    };
    for o in 0..w.orgs.len() {
        add(placed.org(o), &expected.orgs);
    }
    for p in 0..w.programs.len() {
        add(placed.program(p), &expected.programs);
    }
    for r in 0..w.reports.len() {
        add(placed.report(r), &expected.reports);
    }
    for t in 0..w.sessions.len() {
        add(placed.session(t), &expected.sessions);
    }
    for g in 0..w.registrations.len() {
        add(placed.registration(g), &expected.registrations);
    }
    for (u, user) in w.users.iter().enumerate() {
        add(placed.user(u), &expected.users);
        for m in 0..user.memberships.len() {
            add(placed.membership(u, m), &expected.memberships);
        }
    }
    all
}

/// `node(id)` for every row of the world, a few aliased fields per request (the server limits
/// aliases per document).
async fn check_nodes(
    app: &TestApp,
    token: &str,
    placed: &Placed,
    expected: &Expected,
    findings: &mut Findings,
) {
    for chunk in every_row(placed, expected).chunks(ALIASES_PER_REQUEST) {
        let mut query = String::from("query {");
        for (i, (id, _)) in chunk.iter().enumerate() {
            let _ = write!(query, " n{i}: node(id: \"{id}\") {{ id }}");
        }
        query.push_str(" }");
        let data = read(app, token, &query, json!({})).await;
        for (i, (id, visible)) in chunk.iter().enumerate() {
            let expected = visible.then_some(id);
            findings.same_ref(
                &format!("node({})", findings.name(id)),
                expected,
                &data[format!("n{i}")],
            );
        }
    }
}

/// `nodes(ids)` over every row of the world, with the relations of each type.
const RELATIONS: &str = r"query($ids: [ID!]!) { nodes(ids: $ids) { id
  ... on Organisation {
    parent { id }
    children(first: 100, filter: {statuses: [ACTIVE, ARCHIVED, MERGED]}) { pageInfo { hasNextPage } nodes { id } }
    programs(first: 100, filter: {includeArchived: true}) { pageInfo { hasNextPage } nodes { id } }
    trainingSessions(first: 100, filter: {includeArchived: true}) { pageInfo { hasNextPage } nodes { id } }
  }
  ... on Program {
    owner { id }
    parties { id role organisation { id } }
    reports(first: 100) { pageInfo { hasNextPage } nodes { id } }
    trainingSessions(first: 100, filter: {includeArchived: true}) { pageInfo { hasNextPage } nodes { id } }
  }
  ... on ProgramReport { program { id } reportingOrganisation { id } }
  ... on TrainingSession {
    organiser { id }
    program { id }
    coOrganisers { id }
    registrations(first: 100, filter: {includeCancelled: true}) { pageInfo { hasNextPage } nodes { id } }
  }
  ... on User { memberships { id } }
} }";

/// `nodes(ids)` for every row of the world, and the relations of the readable ones.
async fn check_relations(
    app: &TestApp,
    token: &str,
    placed: &Placed,
    sight: &Sight<'_>,
    expected: &Expected,
    findings: &mut Findings,
) {
    let rows = every_row(placed, expected);
    let mut got: BTreeMap<String, Value> = BTreeMap::new();
    for chunk in rows.chunks(100) {
        let ids: Vec<&String> = chunk.iter().map(|(id, _)| id).collect();
        let data = read(app, token, RELATIONS, json!({ "ids": ids })).await;
        let nodes = data["nodes"].as_array().cloned().unwrap_or_default();
        for ((id, visible), node) in chunk.iter().zip(nodes) {
            let expected = visible.then_some(id);
            findings.same_ref(&format!("nodes[{}]", findings.name(id)), expected, &node);
            got.insert(id.clone(), node);
        }
    }
    let w = &placed.world;
    for o in (0..w.orgs.len()).filter(|o| sight.organisation(*o)) {
        check_organisation(placed, sight, o, &got[&placed.org(o)], findings);
    }
    for p in (0..w.programs.len()).filter(|p| sight.program(*p)) {
        check_program(placed, sight, p, &got[&placed.program(p)], findings);
    }
    for r in (0..w.reports.len()).filter(|r| sight.report(*r)) {
        let report = &w.reports[r];
        let node = &got[&placed.report(r)];
        let me = findings.name(&placed.report(r));
        let program = sight
            .program(report.program)
            .then(|| placed.program(report.program));
        findings.same_ref(&format!("{me}.program"), program.as_ref(), &node["program"]);
        findings.same_ref(
            &format!("{me}.reportingOrganisation"),
            visible_org(placed, sight, report.reporter).as_ref(),
            &node["reportingOrganisation"],
        );
    }
    for t in (0..w.sessions.len()).filter(|t| sight.session(*t)) {
        check_session(placed, sight, t, &got[&placed.session(t)], findings);
    }
    for u in (0..w.users.len()).filter(|u| sight.user(*u)) {
        let me = findings.name(&placed.user(u));
        let memberships: BTreeSet<String> = w.users[u]
            .memberships
            .iter()
            .enumerate()
            .filter(|(m, membership)| !membership.revoked && sight.membership(u, *m))
            .map(|(m, _)| placed.membership(u, m))
            .collect();
        let actual = ids_of(&got[&placed.user(u)]["memberships"]);
        findings.same_set(&format!("{me}.memberships"), &memberships, &actual);
    }
}

/// The global id of organisation `o` if the user reads it.
fn visible_org(placed: &Placed, sight: &Sight<'_>, o: usize) -> Option<String> {
    sight.organisation(o).then(|| placed.org(o))
}

fn check_organisation(
    placed: &Placed,
    sight: &Sight<'_>,
    o: usize,
    node: &Value,
    findings: &mut Findings,
) {
    let w = &placed.world;
    let me = findings.name(&placed.org(o));
    let parent = w.orgs[o].parent.and_then(|p| visible_org(placed, sight, p));
    findings.same_ref(&format!("{me}.parent"), parent.as_ref(), &node["parent"]);
    let children: BTreeSet<String> = (0..w.orgs.len())
        .filter(|c| w.orgs[*c].parent == Some(o))
        .filter_map(|c| visible_org(placed, sight, c))
        .collect();
    let programs: BTreeSet<String> = (0..w.programs.len())
        .filter(|p| w.programs[*p].owner == o && sight.program(*p))
        .map(|p| placed.program(p))
        .collect();
    let sessions: BTreeSet<String> = (0..w.sessions.len())
        .filter(|t| w.sessions[*t].organiser == o && sight.session(*t))
        .map(|t| placed.session(t))
        .collect();
    for (field, expected) in [
        ("children", children),
        ("programs", programs),
        ("trainingSessions", sessions),
    ] {
        let what = format!("{me}.{field}");
        let actual = page_ids(findings, &what, &node[field]);
        findings.same_set(&what, &expected, &actual);
    }
}

fn check_program(
    placed: &Placed,
    sight: &Sight<'_>,
    p: usize,
    node: &Value,
    findings: &mut Findings,
) {
    let w = &placed.world;
    let program = &w.programs[p];
    let me = findings.name(&placed.program(p));
    let owner = visible_org(placed, sight, program.owner);
    findings.same_ref(&format!("{me}.owner"), owner.as_ref(), &node["owner"]);
    let party =
        |id: &str, role: &str, org: Option<&str>| format!("{id} {role} {}", org.unwrap_or("null"));
    let parties: BTreeSet<String> = program
        .parties
        .iter()
        .enumerate()
        .filter(|(_, q)| !q.removed)
        .map(|(q, p_)| {
            let org = visible_org(placed, sight, p_.org);
            party(&placed.party(p, q), p_.role.as_str(), org.as_deref())
        })
        .collect();
    let actual: BTreeSet<String> = node["parties"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|q| {
                    party(
                        q["id"].as_str().unwrap_or("?"),
                        q["role"].as_str().unwrap_or("?"),
                        q["organisation"]["id"].as_str(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    findings.same_set(&format!("{me}.parties"), &parties, &actual);
    let reports: BTreeSet<String> = (0..w.reports.len())
        .filter(|r| w.reports[*r].program == p && sight.report(*r))
        .map(|r| placed.report(r))
        .collect();
    let sessions: BTreeSet<String> = (0..w.sessions.len())
        .filter(|t| w.sessions[*t].program == Some(p) && sight.session(*t))
        .map(|t| placed.session(t))
        .collect();
    for (field, expected) in [("reports", reports), ("trainingSessions", sessions)] {
        let what = format!("{me}.{field}");
        let actual = page_ids(findings, &what, &node[field]);
        findings.same_set(&what, &expected, &actual);
    }
}

fn check_session(
    placed: &Placed,
    sight: &Sight<'_>,
    t: usize,
    node: &Value,
    findings: &mut Findings,
) {
    let w = &placed.world;
    let session = &w.sessions[t];
    let me = findings.name(&placed.session(t));
    let organiser = visible_org(placed, sight, session.organiser);
    findings.same_ref(
        &format!("{me}.organiser"),
        organiser.as_ref(),
        &node["organiser"],
    );
    let program = session
        .program
        .filter(|p| sight.program(*p))
        .map(|p| placed.program(p));
    findings.same_ref(&format!("{me}.program"), program.as_ref(), &node["program"]);
    let co: BTreeSet<String> = session
        .co_organisers
        .iter()
        .filter_map(|c| visible_org(placed, sight, *c))
        .collect();
    findings.same_set(
        &format!("{me}.coOrganisers"),
        &co,
        &ids_of(&node["coOrganisers"]),
    );
    let registered: BTreeSet<String> = (0..w.registrations.len())
        .filter(|g| w.registrations[*g].session == t)
        .map(|g| placed.registration(g))
        .collect();
    let what = format!("{me}.registrations");
    let actual = page_ids(findings, &what, &node["registrations"]);
    findings.same_set(&what, &registered, &actual);
}

// ---------------------------------------------------------------------------------------------
// Writes on what a user cannot read
// ---------------------------------------------------------------------------------------------

/// One mutation to try.
struct Attempt {
    label: String,
    query: &'static str,
    variables: Value,
}

const START: &str = "2026-10-01T01:00:00Z";
const END: &str = "2026-10-01T09:00:00Z";

const UPDATE_ORGANISATION: &str = r#"mutation($id: ID!) { updateOrganisation(input: {id: $id, version: 1, name: "Đổi tên trái phép"}) { userErrors { code } } }"#;
const ARCHIVE_ORGANISATION: &str = r"mutation($id: ID!) { archiveOrganisation(input: {id: $id, version: 1}) { userErrors { code } } }";
const CREATE_ORGANISATION: &str = r#"mutation($id: ID!, $code: String!, $kind: OrganisationKind!) { createOrganisation(input: {parentId: $id, code: $code, name: "Chi hội lạ", kind: $kind}) { userErrors { code } } }"#;
const MOVE_ORGANISATION: &str = r"mutation($id: ID!, $to: ID!) { moveOrganisation(input: {id: $id, newParentId: $to, version: 1}) { userErrors { code } } }";
const MERGE_ORGANISATION: &str = r"mutation($id: ID!, $to: ID!) { mergeOrganisation(input: {sourceId: $id, targetId: $to, version: 1}) { userErrors { code } } }";
const CREATE_PROGRAM: &str = r#"mutation($id: ID!, $code: String!) { createProgram(input: {ownerId: $id, code: $code, title: "Chương trình lạ", startsOn: "2026-01-01", endsOn: "2027-12-31"}) { userErrors { code } } }"#;
const PLAN_SESSION: &str = r#"mutation($id: ID!, $start: DateTime!, $end: DateTime!) { planTrainingSession(input: {organiserId: $id, startsAt: $start, endsAt: $end, details: {title: "Tập huấn lạ"}}) { userErrors { code } } }"#;
const INVITE_USER: &str = r#"mutation($id: ID!, $email: String!) { inviteUser(input: {organisationId: $id, email: $email, displayName: "Người lạ", role: ADMIN}) { userErrors { code } } }"#;
const REPORT_AS: &str = r#"mutation($program: ID!, $id: ID!) { createProgramReport(input: {programId: $program, reportingOrganisationId: $id, kind: ANNUAL, periodYear: 2026, title: "Báo cáo lạ"}) { userErrors { code } } }"#;
const REGISTER_FROM: &str = r#"mutation($session: ID!, $id: ID!) { registerParticipant(input: {sessionId: $session, personName: "Người lạ", organisationId: $id}) { userErrors { code } } }"#;

const UPDATE_PROGRAM: &str = r#"mutation($id: ID!) { updateProgram(input: {id: $id, version: 1, title: "Đổi tên trái phép"}) { userErrors { code } } }"#;
const TERMINATE_PROGRAM: &str = r#"mutation($id: ID!) { changeProgramStatus(input: {id: $id, version: 1, status: TERMINATED, reason: "Chấm dứt trái phép"}) { userErrors { code } } }"#;
const ARCHIVE_PROGRAM: &str =
    r"mutation($id: ID!) { archiveProgram(input: {id: $id, version: 1}) { userErrors { code } } }";
const SET_LEGAL_BASIS: &str = r"mutation($id: ID!) { setProgramLegalBasis(input: {id: $id, version: 1, legalDocumentIds: []}) { userErrors { code } } }";
const ADD_PARTY: &str = r"mutation($id: ID!, $org: ID!) { addProgramParty(input: {programId: $id, organisationId: $org, role: COORDINATOR, version: 1}) { userErrors { code } } }";
const REPORT_ON: &str = r#"mutation($id: ID!, $org: ID!) { createProgramReport(input: {programId: $id, reportingOrganisationId: $org, kind: ANNUAL, periodYear: 2026, title: "Báo cáo lạ"}) { userErrors { code } } }"#;

const REMOVE_PARTY: &str = r"mutation($id: ID!) { removeProgramParty(input: {partyId: $id, version: 1}) { userErrors { code } } }";
const CREATE_COMMITMENT: &str = r#"mutation($id: ID!) { createCommitment(input: {partyId: $id, description: "Cam kết lạ", indicator: "Số lớp"}) { userErrors { code } } }"#;

const UPDATE_REPORT: &str = r#"mutation($id: ID!) { updateProgramReport(input: {id: $id, version: 1, title: "Đổi tên trái phép"}) { userErrors { code } } }"#;
const SUBMIT_REPORT: &str = r"mutation($id: ID!) { submitProgramReport(input: {id: $id, version: 1}) { userErrors { code } } }";
const ACKNOWLEDGE_REPORT: &str = r"mutation($id: ID!) { acknowledgeProgramReport(input: {id: $id, version: 1}) { userErrors { code } } }";

const UPDATE_SESSION: &str = r#"mutation($id: ID!) { updateTrainingSession(input: {id: $id, version: 1, details: {title: "Đổi tên trái phép"}}) { userErrors { code } } }"#;
const RESCHEDULE_SESSION: &str = r"mutation($id: ID!, $start: DateTime!, $end: DateTime!) { rescheduleTrainingSession(input: {id: $id, version: 1, startsAt: $start, endsAt: $end}) { userErrors { code } } }";
const CANCEL_SESSION: &str = r#"mutation($id: ID!) { cancelTrainingSession(input: {id: $id, version: 1, reason: "Hủy trái phép"}) { userErrors { code } } }"#;
const HOLD_SESSION: &str = r"mutation($id: ID!) { markTrainingSessionHeld(input: {id: $id, version: 1}) { userErrors { code } } }";
const ARCHIVE_SESSION: &str = r"mutation($id: ID!) { archiveTrainingSession(input: {id: $id, version: 1}) { userErrors { code } } }";
const REGISTER: &str = r#"mutation($id: ID!) { registerParticipant(input: {sessionId: $id, personName: "Người lạ"}) { userErrors { code } } }"#;

const CANCEL_REGISTRATION: &str = r"mutation($id: ID!) { cancelRegistration(input: {id: $id, version: 1}) { userErrors { code } } }";
const MARK_ATTENDANCE: &str = r"mutation($id: ID!) { markAttendance(input: {id: $id, version: 1, attended: true}) { userErrors { code } } }";

const DISABLE_USER: &str =
    r"mutation($id: ID!) { disableUser(input: {id: $id}) { userErrors { code } } }";
const ENABLE_USER: &str =
    r"mutation($id: ID!) { enableUser(input: {id: $id}) { userErrors { code } } }";
const SET_PASSWORD: &str = r#"mutation($id: ID!) { setUserPassword(input: {id: $id, password: "mật khẩu trái phép 2026"}) { userErrors { code } } }"#;
const REVOKE_MEMBERSHIP: &str =
    r"mutation($id: ID!) { revokeMembership(input: {id: $id}) { userErrors { code } } }";

/// Up to [`TARGETS_PER_TYPE`] of `candidates`, spread over the list and varying with `salt`.
fn targets<T: Clone>(candidates: &[T], salt: usize) -> Vec<T> {
    if candidates.is_empty() {
        return Vec::new();
    }
    let mut picked: Vec<usize> = (0..TARGETS_PER_TYPE)
        .map(|k| (salt + k * (candidates.len() / TARGETS_PER_TYPE + 1)) % candidates.len())
        .collect();
    picked.sort_unstable();
    picked.dedup();
    picked.into_iter().map(|i| candidates[i].clone()).collect()
}

/// Mutations on the organisations, programs, parties, reports, sessions, registrations, users
/// and memberships of the world the user cannot read.
fn attempts(placed: &Placed, sight: &Sight<'_>) -> Vec<Attempt> {
    let w = &placed.world;
    let salt = placed.case * 7 + sight.user;
    let mut out = Vec::new();
    let mut attempt = |label: String, query: &'static str, variables: Value| {
        out.push(Attempt {
            label,
            query,
            variables,
        });
    };
    // Something of the user's own: an organisation it belongs to, a program and a session it
    // reads. Mixed with a hidden object, they must not turn NOT_FOUND into anything else.
    let own_org = sight.grants.first().map(|(o, _)| placed.org(*o));
    let readable_program = (0..w.programs.len())
        .find(|p| sight.program(*p))
        .map(|p| placed.program(p));
    let readable_session = (0..w.sessions.len())
        .find(|t| sight.session(*t))
        .map(|t| placed.session(t));

    let hidden_orgs: Vec<usize> = (0..w.orgs.len())
        .filter(|o| !sight.organisation(*o))
        .collect();
    for (n, o) in targets(&hidden_orgs, salt).into_iter().enumerate() {
        let id = placed.org(o);
        let name = format!("O{o}");
        let code = format!("{}-X{}-{n}", placed.prefix(), sight.user);
        let kind = if w.orgs[o].kind.is_partner() {
            "PARTNER_UNIT"
        } else {
            "LOCAL_BRANCH"
        };
        let vars = json!({ "id": id });
        attempt(
            format!("updateOrganisation {name}"),
            UPDATE_ORGANISATION,
            vars.clone(),
        );
        attempt(
            format!("archiveOrganisation {name}"),
            ARCHIVE_ORGANISATION,
            vars.clone(),
        );
        attempt(
            format!("createOrganisation under {name}"),
            CREATE_ORGANISATION,
            json!({ "id": id, "code": code, "kind": kind }),
        );
        attempt(
            format!("createProgram owned by {name}"),
            CREATE_PROGRAM,
            json!({ "id": id, "code": code }),
        );
        attempt(
            format!("planTrainingSession by {name}"),
            PLAN_SESSION,
            json!({ "id": id, "start": START, "end": END }),
        );
        attempt(
            format!("inviteUser to {name}"),
            INVITE_USER,
            json!({ "id": id, "email": format!("{}.x{}.{n}@isolation.test", placed.prefix().to_lowercase(), sight.user) }),
        );
        let mine = own_org.clone().unwrap_or_else(|| id.clone());
        attempt(
            format!("moveOrganisation {name}"),
            MOVE_ORGANISATION,
            json!({ "id": id, "to": mine }),
        );
        attempt(
            format!("mergeOrganisation {name}"),
            MERGE_ORGANISATION,
            json!({ "id": id, "to": mine }),
        );
        if let Some(mine) = &own_org {
            attempt(
                format!("moveOrganisation own under {name}"),
                MOVE_ORGANISATION,
                json!({ "id": mine, "to": id }),
            );
            attempt(
                format!("mergeOrganisation own into {name}"),
                MERGE_ORGANISATION,
                json!({ "id": mine, "to": id }),
            );
        }
        if let Some(program) = &readable_program {
            attempt(
                format!("createProgramReport as {name}"),
                REPORT_AS,
                json!({ "program": program, "id": id }),
            );
        }
        if let Some(session) = &readable_session {
            attempt(
                format!("registerParticipant from {name}"),
                REGISTER_FROM,
                json!({ "session": session, "id": id }),
            );
        }
    }

    let hidden_programs: Vec<usize> = (0..w.programs.len())
        .filter(|p| !sight.program(*p))
        .collect();
    for p in targets(&hidden_programs, salt) {
        let id = placed.program(p);
        let name = format!("P{p}");
        let org = own_org
            .clone()
            .unwrap_or_else(|| placed.org(w.programs[p].owner));
        let vars = json!({ "id": id });
        attempt(
            format!("updateProgram {name}"),
            UPDATE_PROGRAM,
            vars.clone(),
        );
        attempt(
            format!("changeProgramStatus {name}"),
            TERMINATE_PROGRAM,
            vars.clone(),
        );
        attempt(
            format!("archiveProgram {name}"),
            ARCHIVE_PROGRAM,
            vars.clone(),
        );
        attempt(
            format!("setProgramLegalBasis {name}"),
            SET_LEGAL_BASIS,
            vars,
        );
        attempt(
            format!("addProgramParty to {name}"),
            ADD_PARTY,
            json!({ "id": id, "org": org }),
        );
        attempt(
            format!("createProgramReport on {name}"),
            REPORT_ON,
            json!({ "id": id, "org": org }),
        );
    }

    let hidden_parties: Vec<(usize, usize)> = hidden_programs
        .iter()
        .flat_map(|p| {
            w.programs[*p]
                .parties
                .iter()
                .enumerate()
                .filter(|(_, q)| !q.removed)
                .map(move |(q, _)| (*p, q))
        })
        .collect();
    for (p, q) in targets(&hidden_parties, salt) {
        let vars = json!({ "id": placed.party(p, q) });
        attempt(
            format!("removeProgramParty P{p}.{q}"),
            REMOVE_PARTY,
            vars.clone(),
        );
        attempt(
            format!("createCommitment P{p}.{q}"),
            CREATE_COMMITMENT,
            vars,
        );
    }

    let hidden_reports: Vec<usize> = (0..w.reports.len()).filter(|r| !sight.report(*r)).collect();
    for r in targets(&hidden_reports, salt) {
        let vars = json!({ "id": placed.report(r) });
        attempt(
            format!("updateProgramReport R{r}"),
            UPDATE_REPORT,
            vars.clone(),
        );
        attempt(
            format!("submitProgramReport R{r}"),
            SUBMIT_REPORT,
            vars.clone(),
        );
        attempt(
            format!("acknowledgeProgramReport R{r}"),
            ACKNOWLEDGE_REPORT,
            vars,
        );
    }

    let hidden_sessions: Vec<usize> = (0..w.sessions.len())
        .filter(|t| !sight.session(*t))
        .collect();
    for t in targets(&hidden_sessions, salt) {
        let id = placed.session(t);
        let vars = json!({ "id": id });
        attempt(
            format!("updateTrainingSession T{t}"),
            UPDATE_SESSION,
            vars.clone(),
        );
        attempt(
            format!("rescheduleTrainingSession T{t}"),
            RESCHEDULE_SESSION,
            json!({ "id": id, "start": START, "end": END }),
        );
        attempt(
            format!("cancelTrainingSession T{t}"),
            CANCEL_SESSION,
            vars.clone(),
        );
        attempt(
            format!("markTrainingSessionHeld T{t}"),
            HOLD_SESSION,
            vars.clone(),
        );
        attempt(
            format!("archiveTrainingSession T{t}"),
            ARCHIVE_SESSION,
            vars.clone(),
        );
        attempt(format!("registerParticipant T{t}"), REGISTER, vars);
    }

    let hidden_registrations: Vec<usize> = (0..w.registrations.len())
        .filter(|g| !sight.registration(*g))
        .collect();
    for g in targets(&hidden_registrations, salt) {
        let vars = json!({ "id": placed.registration(g) });
        attempt(
            format!("cancelRegistration G{g}"),
            CANCEL_REGISTRATION,
            vars.clone(),
        );
        attempt(format!("markAttendance G{g}"), MARK_ATTENDANCE, vars);
    }

    let hidden_users: Vec<usize> = (0..w.users.len()).filter(|u| !sight.user(*u)).collect();
    for u in targets(&hidden_users, salt) {
        let vars = json!({ "id": placed.user(u) });
        attempt(format!("disableUser U{u}"), DISABLE_USER, vars.clone());
        attempt(format!("enableUser U{u}"), ENABLE_USER, vars.clone());
        attempt(format!("setUserPassword U{u}"), SET_PASSWORD, vars);
    }

    let hidden_memberships: Vec<(usize, usize)> = (0..w.users.len())
        .flat_map(|u| (0..w.users[u].memberships.len()).map(move |m| (u, m)))
        .filter(|(u, m)| !sight.membership(*u, *m))
        .collect();
    for (u, m) in targets(&hidden_memberships, salt) {
        attempt(
            format!("revokeMembership U{u}.M{m}"),
            REVOKE_MEMBERSHIP,
            json!({ "id": placed.membership(u, m) }),
        );
    }
    out
}

/// Runs [`attempts`] and requires each to fail exactly as on a missing object (`missing` is
/// that message), leaving every table as it was.
async fn check_writes(
    app: &TestApp,
    token: &str,
    placed: &Placed,
    sight: &Sight<'_>,
    missing: &str,
    findings: &mut Findings,
) {
    let attempts = attempts(placed, sight);
    if attempts.is_empty() {
        return;
    }
    let before = dump(app).await;
    let answers: Vec<(String, Value)> = stream::iter(attempts)
        .map(|a| async move {
            let (_, body) = app.post(Some(token), a.query, a.variables).await;
            (a.label, body)
        })
        .buffer_unordered(CONCURRENT_WRITES)
        .collect()
        .await;
    for (label, body) in answers {
        let refused = error_code(&body) == Some("NOT_FOUND")
            && body["errors"][0]["message"] == missing
            && body["data"].is_null();
        if !refused {
            findings
                .problems
                .push(format!("{label}: expected NOT_FOUND, got {body}"));
        }
    }
    let after = dump(app).await;
    for (table, rows) in &before {
        if after.get(table) != Some(rows) {
            let old: BTreeSet<&String> = rows.iter().collect();
            let new: BTreeSet<&String> = after[table].iter().collect();
            findings.problems.push(format!(
                "table {table} changed: removed {:?}, added {:?}",
                old.difference(&new).collect::<Vec<_>>(),
                new.difference(&old).collect::<Vec<_>>()
            ));
        }
    }
}

/// Every row of every table a mutation above could touch, rendered and sorted.
async fn dump(app: &TestApp) -> BTreeMap<&'static str, Vec<String>> {
    macro_rules! tables {
        ($($entity:ident),+ $(,)?) => {{
            let mut out = BTreeMap::new();
            $(
                let mut rows: Vec<String> = $entity::Entity::find()
                    .all(&app.db)
                    .await
                    .expect(stringify!($entity))
                    .iter()
                    .map(|row| format!("{row:?}"))
                    .collect();
                rows.sort();
                out.insert(stringify!($entity), rows);
            )+
            out
        }};
    }
    tables!(
        organisation,
        app_user,
        membership,
        program,
        program_party,
        program_legal_basis,
        commitment,
        program_report,
        report_indicator_value,
        training_session,
        session_co_organiser,
        session_topic,
        session_speaker,
        session_connection_point,
        registration,
        audit_event,
    )
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

on_both!(random_worlds_stay_isolated, |app| {
    let cases = env_or("ISOLATION_CASES", DEFAULT_CASES);
    let seed = env_or("ISOLATION_SEED", DEFAULT_SEED);
    let mut placed = Vec::new();
    for (case, world) in generate(cases, seed).into_iter().enumerate() {
        placed.push(place(app, case, world).await);
    }
    let missing = message_for_missing(app).await;
    let mut failures = Vec::new();
    for world in &placed {
        for user in 0..world.world.users.len() {
            let problems = check_user(app, world, user, &missing).await;
            if !problems.is_empty() {
                failures.push(format!(
                    "world {} (seed {seed:#x}), user U{user} {}:\n  {}\nworld:\n{}",
                    world.case,
                    describe_memberships(&world.world.users[user].memberships),
                    problems.join("\n  "),
                    world.world.describe()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} users saw something the rules do not allow, or missed something they do:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
});
