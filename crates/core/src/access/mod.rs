//! Access control: who is asking ([`Actor`]), what they may read ([`scope`]) and what they may
//! change ([`policy`]).
//!
//! This module is the only place that decides access. Services build every read from
//! [`scope::readable`] (or [`scope::Scoped::readable_by`] inside a subquery) and check every
//! write with the [`policy`] methods on [`Actor`]; resolvers never decide access themselves.
//! Two shortcuts are decided here as well, and nowhere else: a read by id keeps the rows that
//! [`scope::Scoped::readable_row_test`] proves readable from their own columns and asks the
//! scope about the rest, and a read confined to a subtree the actor reads whole
//! ([`scope::reads_whole_subtree`]) needs no scope condition at all.
//!
//! # Rules
//!
//! * **S** — the subtrees of the actor's memberships (any role). Records owned by an
//!   organisation in S are readable.
//! * **A** — the strict ancestors of the actor's membership organisations. Reference data an
//!   ancestor publishes is readable down the tree: non-draft programs and checklists it owns.
//! * A program is also readable by its parties: when one of its live parties is in S, or is a
//!   partner-tree organisation of the actor or an ancestor of one in its own tree (P). An
//!   ancestor in the association does not count as a party here: every branch would then read
//!   its siblings' programs, drafts included, whenever the central association is a party.
//! * **P** — for memberships in a partner body's tree: S and A of those memberships. Members of
//!   a partner body read every report and training session of the programs a party in P is on.
//! * Writes follow roles (see [`policy`]); an object the actor cannot read does not exist for
//!   it (`NOT_FOUND`), one it can read but not change is `FORBIDDEN`.

mod actor;
pub mod path;
pub mod policy;
pub mod scope;

pub use actor::{Actor, Grant};
pub use scope::{Scoped, linkable_organisations, readable, reads_whole_subtree};
