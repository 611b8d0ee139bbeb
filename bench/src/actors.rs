//! The benchmark's actors: users the generator creates (with memberships) and the driver signs in
//! as by minting tokens for them. Emails are fixed so `run` finds them in any generated database.

/// Who acts, and from where in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// ADMIN of the central association: sees everything.
    CentralAdmin,
    /// ADMIN of the first province (thành phố Hà Nội).
    ProvinceAdmin,
    /// EDITOR of the first commune of that province.
    CommuneEditor,
    /// EDITOR of the first partner body: sees only the programs it is party to.
    PartnerEditor,
}

impl Actor {
    /// Every actor.
    pub const ALL: [Actor; 4] = [
        Actor::CentralAdmin,
        Actor::ProvinceAdmin,
        Actor::CommuneEditor,
        Actor::PartnerEditor,
    ];

    /// The user's email.
    pub fn email(self) -> &'static str {
        match self {
            Actor::CentralAdmin => "bench.central.admin@bench.khuyenhoc.vn",
            Actor::ProvinceAdmin => "bench.province.admin@bench.khuyenhoc.vn",
            Actor::CommuneEditor => "bench.commune.editor@bench.khuyenhoc.vn",
            Actor::PartnerEditor => "bench.partner.editor@bench.khuyenhoc.vn",
        }
    }

    /// The user's display name.
    pub fn display_name(self) -> &'static str {
        match self {
            Actor::CentralAdmin => "Quản trị Trung ương (benchmark)",
            Actor::ProvinceAdmin => "Quản trị tỉnh (benchmark)",
            Actor::CommuneEditor => "Biên tập viên xã (benchmark)",
            Actor::PartnerEditor => "Biên tập viên đối tác (benchmark)",
        }
    }

    /// The role of the actor's one membership.
    pub fn role(self) -> &'static str {
        match self {
            Actor::CentralAdmin | Actor::ProvinceAdmin => "ADMIN",
            Actor::CommuneEditor | Actor::PartnerEditor => "EDITOR",
        }
    }
}
