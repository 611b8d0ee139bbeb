//! The demo accounts (listed with their purpose in [`super::DEMO_ACCOUNTS`]) and their
//! memberships. All share one hash of [`super::DEMO_PASSWORD`].

use sea_orm::{ActiveModelTrait, NotSet, Set};

use super::{Seeder, at};
use crate::Result;
use crate::entity::enums::{Role, UserStatus};
use crate::entity::{app_user, membership};
use crate::search;

/// Email (lower-case), display name, organisation code, role.
pub(super) const ACCOUNTS: &[(&str, &str, &str, Role)] = &[
    (
        "central.admin@demo.khuyenhoc.vn",
        "Nguyễn Văn Trung",
        "VAPE",
        Role::Admin,
    ),
    (
        "hanoi.admin@demo.khuyenhoc.vn",
        "Trần Thị Thu Hà",
        "HN",
        Role::Admin,
    ),
    (
        "hanoi.viewer@demo.khuyenhoc.vn",
        "Lê Minh Tuấn",
        "HN",
        Role::Viewer,
    ),
    (
        "hcm.admin@demo.khuyenhoc.vn",
        "Phạm Thanh Sơn",
        "HCM",
        Role::Admin,
    ),
    (
        "commune.editor@demo.khuyenhoc.vn",
        "Đặng Thu Hương",
        "HN-BADINH",
        Role::Editor,
    ),
    (
        "moet.partner@demo.khuyenhoc.vn",
        "Vũ Quốc Bảo",
        "MOET",
        Role::Editor,
    ),
    (
        "auditor@demo.khuyenhoc.vn",
        "Hoàng Mai Anh",
        "VAPE",
        Role::Auditor,
    ),
];

/// Seeds the accounts and one membership each, granted by the central administrator.
pub(super) async fn seed(seeder: &mut Seeder<'_>) -> Result<()> {
    let when = at((2025, 7, 1), 9)?;
    let mut granted_by = None;
    for (email, name, org, role) in ACCOUNTS {
        let organisation_id = seeder.org_id(org)?;
        let user = app_user::ActiveModel {
            id: NotSet,
            email: Set((*email).to_owned()),
            display_name: Set((*name).to_owned()),
            display_name_search: Set(search::normalize(name)),
            password_hash: Set(Some(seeder.password_hash.clone())),
            status: Set(UserStatus::Active),
            phone: Set(None),
            last_login_at: Set(None),
            disabled_at: Set(None),
            created_at: Set(when),
            updated_at: Set(when),
            version: Set(1),
        }
        .insert(seeder.txn)
        .await?;
        membership::ActiveModel {
            id: NotSet,
            user_id: Set(user.id),
            organisation_id: Set(organisation_id),
            role: Set(*role),
            granted_at: Set(when),
            granted_by: Set(granted_by),
            revoked_at: Set(None),
            revoked_by: Set(None),
        }
        .insert(seeder.txn)
        .await?;
        // The first account (the central administrator) grants all the others.
        granted_by = granted_by.or(Some(user.id));
        if matches!(role, Role::Admin | Role::Editor) {
            seeder
                .acting_users
                .entry(organisation_id)
                .or_insert(user.id);
        }
        seeder.report.users += 1;
    }
    Ok(())
}
