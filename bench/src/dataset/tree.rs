//! The organisation trees (association and partner bodies) and the benchmark's users.
//!
//! Ids are assigned in order: central `1`, then provinces, communes, unit branches, partner
//! bodies and their departments. `path` is the materialised ancestor path `/1/…/self/` the server
//! relies on for subtree ranges; `name_search` is `khuyenhoc_core::search::normalize(name)`.

use khuyenhoc_core::search::normalize;
use rand::Rng;

use super::rows::{self, Cell};
use super::{Emitter, Plan, base_time, names, rng_for};
use crate::actors::Actor;

/// A commune branch and the province above it.
#[derive(Debug, Clone, Copy)]
pub struct Commune {
    /// Organisation id.
    pub id: i64,
    /// The province's organisation id.
    pub province: i64,
}

/// A unit/village branch and its commune.
#[derive(Debug, Clone, Copy)]
pub struct Branch {
    /// Organisation id.
    pub id: i64,
    /// Index of its commune in [`Tree::communes`].
    pub commune: usize,
}

/// The generated organisations, for the generators that attach rows to them.
#[derive(Debug, Clone)]
pub struct Tree {
    /// The central association.
    pub central: i64,
    /// Provincial branches (index 0 is Hà Nội, the bench province).
    pub provinces: Vec<i64>,
    /// Commune branches; commune `i` sits under province `i % provinces`.
    pub communes: Vec<Commune>,
    /// Unit branches; branch `j` sits under commune `j % communes`.
    pub branches: Vec<Branch>,
    /// Partner bodies (roots of their own trees).
    pub partners: Vec<i64>,
}

/// Emits the organisations, the actors' users and memberships; returns the tree.
pub fn generate(plan: &Plan, seed: u64, out: &mut Emitter) -> Tree {
    let mut rng = rng_for(seed, 1);
    let mut next_id = 0_i64;
    let mut org = |out: &mut Emitter,
                   code: String,
                   name: String,
                   short: Option<String>,
                   kind: &str,
                   parent: Option<(i64, &str)>|
     -> (i64, String) {
        next_id += 1;
        let id = next_id;
        let path = format!("{}{id}/", parent.map_or("/", |(_, p)| p));
        let depth = path.matches('/').count() as i64 - 2;
        out.emit(
            &rows::ORGANISATION,
            vec![
                Cell::Int(id),
                Cell::Text(code),
                Cell::text(name.clone()),
                Cell::opt_text(short),
                Cell::Text(normalize(&name)),
                Cell::text(kind),
                Cell::text("ACTIVE"),
                Cell::opt_int(parent.map(|(p, _)| p)),
                Cell::text(path.clone()),
                Cell::Int(depth),
                Cell::Ts(base_time()),
                Cell::Ts(base_time()),
                Cell::Int(1),
            ],
        );
        (id, path)
    };

    let (central, central_path) = org(
        out,
        "VAPE".into(),
        "Hội Khuyến học Việt Nam".into(),
        Some("Trung ương Hội".into()),
        "CENTRAL",
        None,
    );
    let mut provinces = Vec::with_capacity(plan.provinces);
    let mut province_paths = Vec::with_capacity(plan.provinces);
    for i in 0..plan.provinces {
        let (name, code) = names::PROVINCES[i % names::PROVINCES.len()];
        let (id, path) = org(
            out,
            code.to_owned(),
            format!("Hội Khuyến học {name}"),
            None,
            "PROVINCIAL",
            Some((central, &central_path)),
        );
        provinces.push(id);
        province_paths.push((code, path));
    }
    let mut communes = Vec::with_capacity(plan.communes);
    let mut commune_paths = Vec::with_capacity(plan.communes);
    for i in 0..plan.communes {
        let p = i % plan.provinces;
        let (code, ppath) = &province_paths[p];
        let kind = if rng.random_bool(0.3) {
            "phường"
        } else {
            "xã"
        };
        let (id, path) = org(
            out,
            format!("{code}-X{i:04}"),
            format!("Hội Khuyến học {kind} {} {}", names::place(&mut rng), i + 1),
            None,
            "COMMUNE",
            Some((provinces[p], ppath)),
        );
        communes.push(Commune {
            id,
            province: provinces[p],
        });
        commune_paths.push(path);
    }
    let mut branches = Vec::with_capacity(plan.branches);
    for j in 0..plan.branches {
        let c = j % plan.communes;
        let (name, kind) = if rng.random_bool(0.8) {
            (
                format!("Chi hội Khuyến học thôn {}", names::place(&mut rng)),
                "LOCAL_BRANCH",
            )
        } else {
            (
                format!("Ban Khuyến học trường {}", names::place(&mut rng)),
                "LEARNING_BOARD",
            )
        };
        let (id, _) = org(
            out,
            format!("X{c:04}-B{j:05}"),
            name,
            None,
            kind,
            Some((communes[c].id, &commune_paths[c])),
        );
        branches.push(Branch { id, commune: c });
    }
    let mut partners = Vec::with_capacity(plan.partner_bodies);
    for k in 0..plan.partner_bodies {
        let (id, path) = org(
            out,
            format!("DT{k:02}"),
            format!("Bộ, ngành đối tác số {}", k + 1),
            None,
            "PARTNER_BODY",
            None,
        );
        for u in 0..plan.units_per_partner {
            org(
                out,
                format!("DT{k:02}-V{u}"),
                format!("Vụ {} thuộc đối tác số {}", names::topic(&mut rng), k + 1),
                None,
                "PARTNER_UNIT",
                Some((id, &path)),
            );
        }
        partners.push(id);
    }
    let tree = Tree {
        central,
        provinces,
        communes,
        branches,
        partners,
    };
    users(&tree, out);
    tree
}

/// The organisation each actor is a member of.
pub fn home_of(tree: &Tree, actor: Actor) -> i64 {
    match actor {
        Actor::CentralAdmin => tree.central,
        Actor::ProvinceAdmin => tree.provinces[0],
        Actor::CommuneEditor => tree.communes[0].id,
        Actor::PartnerEditor => tree.partners[0],
    }
}

fn users(tree: &Tree, out: &mut Emitter) {
    for (i, actor) in Actor::ALL.into_iter().enumerate() {
        let id = i as i64 + 1;
        out.emit(
            &rows::APP_USER,
            vec![
                Cell::Int(id),
                Cell::text(actor.email()),
                Cell::text(actor.display_name()),
                Cell::Text(normalize(actor.display_name())),
                Cell::text("ACTIVE"),
                Cell::Ts(base_time()),
                Cell::Ts(base_time()),
                Cell::Int(1),
            ],
        );
        out.emit(
            &rows::MEMBERSHIP,
            vec![
                Cell::Int(id),
                Cell::Int(id),
                Cell::Int(home_of(tree, actor)),
                Cell::text(actor.role()),
                Cell::Ts(base_time()),
            ],
        );
    }
}
