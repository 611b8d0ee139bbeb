//! The organisation trees: the association (central, the 34 provinces after Nghị quyết
//! 202/2025/QH15, communes, chi hội, Ban Khuyến học, one ward branch merged in 2025) and the
//! partner bodies with some of their units (one ministry merged in 2025).
//!
//! Rows are inserted with a placeholder path, then given `path::child(parent path, own id)`.

use sea_orm::{ActiveModelTrait, NotSet, Set};

use super::{Seeder, at};
use crate::Result;
use crate::access::path;
use crate::entity::enums::{OrganisationKind as K, OrganisationStatus};
use crate::entity::organisation;
use crate::search;

/// The 34 province-level branches: code, locality (the branch is "Hội Khuyến học {locality}"),
/// short name.
const PROVINCES: &[(&str, &str, &str)] = &[
    ("HN", "thành phố Hà Nội", "Hà Nội"),
    ("HUE", "thành phố Huế", "Huế"),
    ("HP", "thành phố Hải Phòng", "Hải Phòng"),
    ("DN", "thành phố Đà Nẵng", "Đà Nẵng"),
    ("HCM", "Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh"),
    ("CT", "thành phố Cần Thơ", "Cần Thơ"),
    ("TQ", "tỉnh Tuyên Quang", "Tuyên Quang"),
    ("CB", "tỉnh Cao Bằng", "Cao Bằng"),
    ("LCU", "tỉnh Lai Châu", "Lai Châu"),
    ("LCA", "tỉnh Lào Cai", "Lào Cai"),
    ("TNG", "tỉnh Thái Nguyên", "Thái Nguyên"),
    ("DB", "tỉnh Điện Biên", "Điện Biên"),
    ("LS", "tỉnh Lạng Sơn", "Lạng Sơn"),
    ("SL", "tỉnh Sơn La", "Sơn La"),
    ("PT", "tỉnh Phú Thọ", "Phú Thọ"),
    ("BN", "tỉnh Bắc Ninh", "Bắc Ninh"),
    ("QNI", "tỉnh Quảng Ninh", "Quảng Ninh"),
    ("HY", "tỉnh Hưng Yên", "Hưng Yên"),
    ("NB", "tỉnh Ninh Bình", "Ninh Bình"),
    ("TH", "tỉnh Thanh Hóa", "Thanh Hóa"),
    ("NA", "tỉnh Nghệ An", "Nghệ An"),
    ("HT", "tỉnh Hà Tĩnh", "Hà Tĩnh"),
    ("QT", "tỉnh Quảng Trị", "Quảng Trị"),
    ("QNG", "tỉnh Quảng Ngãi", "Quảng Ngãi"),
    ("GL", "tỉnh Gia Lai", "Gia Lai"),
    ("KHA", "tỉnh Khánh Hòa", "Khánh Hòa"),
    ("LDG", "tỉnh Lâm Đồng", "Lâm Đồng"),
    ("DLK", "tỉnh Đắk Lắk", "Đắk Lắk"),
    ("DNA", "tỉnh Đồng Nai", "Đồng Nai"),
    ("TNI", "tỉnh Tây Ninh", "Tây Ninh"),
    ("VL", "tỉnh Vĩnh Long", "Vĩnh Long"),
    ("DTP", "tỉnh Đồng Tháp", "Đồng Tháp"),
    ("CM", "tỉnh Cà Mau", "Cà Mau"),
    ("AG", "tỉnh An Giang", "An Giang"),
];

/// Branches below the provinces, parents first: parent code, code, kind, locality. The name is
/// the locality prefixed by the kind ("Hội Khuyến học", "Chi hội Khuyến học", "Ban Khuyến
/// học").
const BRANCHES: &[(&str, &str, K, &str)] = &[
    ("HN", "HN-BADINH", K::Commune, "phường Ba Đình"),
    ("HN", "HN-HOANKIEM", K::Commune, "phường Hoàn Kiếm"),
    ("HN", "HN-CAUGIAY", K::Commune, "phường Cầu Giấy"),
    ("HN", "HN-HADONG", K::Commune, "phường Hà Đông"),
    ("HN", "HN-SOCSON", K::Commune, "xã Sóc Sơn"),
    ("HN", "HN-BAVI", K::Commune, "xã Ba Vì"),
    (
        "HN",
        "HN-BKH-CVA",
        K::LearningBoard,
        "Trường THPT Chu Văn An",
    ),
    (
        "HN-BADINH",
        "HN-BADINH-TDP5",
        K::LocalBranch,
        "tổ dân phố số 5",
    ),
    (
        "HN-BADINH",
        "HN-BADINH-TH",
        K::LocalBranch,
        "Trường Tiểu học Ba Đình",
    ),
    ("HN-BAVI", "HN-BAVI-DOAI", K::LocalBranch, "thôn Đoài"),
    (
        "HN-BAVI",
        "HN-BAVI-HONGUYEN",
        K::LocalBranch,
        "dòng họ Nguyễn",
    ),
    ("HCM", "HCM-SAIGON", K::Commune, "phường Sài Gòn"),
    ("HCM", "HCM-BENTHANH", K::Commune, "phường Bến Thành"),
    ("HCM", "HCM-CUCHI", K::Commune, "xã Củ Chi"),
    ("HCM", "HCM-THUDAUMOT", K::Commune, "phường Thủ Dầu Một"),
    ("HCM", "HCM-VUNGTAU", K::Commune, "phường Vũng Tàu"),
    ("HCM-SAIGON", "HCM-SAIGON-KP3", K::LocalBranch, "khu phố 3"),
    (
        "HCM-CUCHI",
        "HCM-CUCHI-PHUHOA",
        K::LocalBranch,
        "ấp Phú Hòa",
    ),
    (
        "HCM-CUCHI",
        "HCM-CUCHI-HOTRAN",
        K::LocalBranch,
        "dòng họ Trần",
    ),
    (
        "HCM-CUCHI",
        "HCM-BKH-DMCC",
        K::LearningBoard,
        "Công ty TNHH Dệt may Củ Chi",
    ),
    ("NB", "NB-HOALU", K::Commune, "phường Hoa Lư"),
    ("TH", "TH-SAMSON", K::Commune, "phường Sầm Sơn"),
    ("DN", "DN-HAICHAU", K::Commune, "phường Hải Châu"),
];

/// Partner bodies (roots of their own trees, parent `None`) and their units, parents first:
/// parent code, code, name.
const PARTNERS: &[(Option<&str>, &str, &str)] = &[
    (None, "MOET", "Bộ Giáo dục và Đào tạo"),
    (Some("MOET"), "MOET-GDTX", "Vụ Giáo dục thường xuyên"),
    (
        Some("MOET"),
        "MOET-NGCB",
        "Cục Nhà giáo và Cán bộ quản lý giáo dục",
    ),
    (None, "BNV", "Bộ Nội vụ"),
    (Some("BNV"), "BNV-TCPCP", "Vụ Tổ chức phi chính phủ"),
    (None, "BQP", "Bộ Quốc phòng"),
    (None, "BCA", "Bộ Công an"),
    (None, "MTTQ", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"),
    (None, "TLD", "Tổng Liên đoàn Lao động Việt Nam"),
    (None, "HLHPN", "Hội Liên hiệp Phụ nữ Việt Nam"),
    (Some("HLHPN"), "HLHPN-GDXH", "Ban Gia đình – Xã hội"),
    (None, "TWDOAN", "Trung ương Đoàn TNCS Hồ Chí Minh"),
    (None, "HND", "Hội Nông dân Việt Nam"),
    (None, "NHANDAN", "Báo Nhân Dân"),
    (None, "VTV", "Đài Truyền hình Việt Nam"),
    (None, "VOV", "Đài Tiếng nói Việt Nam"),
    (None, "TTXVN", "Thông tấn xã Việt Nam"),
    (None, "CDKH", "Báo Công dân & Khuyến học"),
    (None, "CAHN", "Công an thành phố Hà Nội"),
    (None, "HCM-THANHDOAN", "Thành Đoàn Thành phố Hồ Chí Minh"),
];

/// Bodies merged in 2025, kept so old references resolve: parent code, code, kind, name, code
/// of the organisation they were merged into.
const MERGED: &[(Option<&str>, &str, K, &str, &str)] = &[
    (
        Some("HN"),
        "HN-QUANTHANH",
        K::Commune,
        "Hội Khuyến học phường Quán Thánh",
        "HN-BADINH",
    ),
    (
        None,
        "MOLISA",
        K::PartnerBody,
        "Bộ Lao động – Thương binh và Xã hội",
        "BNV",
    ),
];

/// One organisation to insert.
struct NewOrg<'a> {
    parent: Option<&'a str>,
    code: &'static str,
    name: String,
    short_name: Option<&'a str>,
    kind: K,
    merged_into: Option<&'a str>,
}

/// Seeds both trees.
pub(super) async fn seed(seeder: &mut Seeder<'_>) -> Result<()> {
    insert(
        seeder,
        NewOrg {
            parent: None,
            code: "VAPE",
            name: "Hội Khuyến học Việt Nam".to_owned(),
            short_name: Some("Trung ương Hội"),
            kind: K::Central,
            merged_into: None,
        },
    )
    .await?;
    for (code, locality, short) in PROVINCES {
        let org = NewOrg {
            parent: Some("VAPE"),
            code,
            name: format!("Hội Khuyến học {locality}"),
            short_name: Some(short),
            kind: K::Provincial,
            merged_into: None,
        };
        insert(seeder, org).await?;
    }
    for (parent, code, kind, locality) in BRANCHES {
        let prefix = match kind {
            K::LocalBranch => "Chi hội Khuyến học",
            K::LearningBoard => "Ban Khuyến học",
            _ => "Hội Khuyến học",
        };
        let org = NewOrg {
            parent: Some(parent),
            code,
            name: format!("{prefix} {locality}"),
            short_name: Some(locality),
            kind: *kind,
            merged_into: None,
        };
        insert(seeder, org).await?;
    }
    for (parent, code, name) in PARTNERS {
        let org = NewOrg {
            parent: *parent,
            code,
            name: (*name).to_owned(),
            short_name: None,
            kind: if parent.is_some() {
                K::PartnerUnit
            } else {
                K::PartnerBody
            },
            merged_into: None,
        };
        insert(seeder, org).await?;
    }
    for (parent, code, kind, name, into) in MERGED {
        let org = NewOrg {
            parent: *parent,
            code,
            name: (*name).to_owned(),
            short_name: None,
            kind: *kind,
            merged_into: Some(into),
        };
        insert(seeder, org).await?;
    }
    Ok(())
}

/// Inserts one organisation under its parent (or as a root), sets its path, and records it by
/// code.
async fn insert(seeder: &mut Seeder<'_>, new: NewOrg<'_>) -> Result<organisation::Model> {
    let parent = match new.parent {
        Some(code) => Some(seeder.org(code)?.clone()),
        None => None,
    };
    let merged_into = match new.merged_into {
        Some(code) => Some(seeder.org_id(code)?),
        None => None,
    };
    let created_at = at((2025, 7, 1), 8)?;
    let status = if merged_into.is_some() {
        OrganisationStatus::Merged
    } else {
        OrganisationStatus::Active
    };
    let inserted = organisation::ActiveModel {
        id: NotSet,
        code: Set(new.code.to_owned()),
        name_search: Set(search::normalize(&new.name)),
        name: Set(new.name),
        short_name: Set(new.short_name.map(str::to_owned)),
        kind: Set(new.kind),
        status: Set(status),
        parent_id: Set(parent.as_ref().map(|p| p.id)),
        // Placeholder until the id is known; replaced just below.
        path: Set(parent
            .as_ref()
            .map_or_else(|| "/".to_owned(), |p| p.path.clone())),
        depth: Set(parent.as_ref().map_or(0, |p| p.depth + 1)),
        merged_into_id: Set(merged_into),
        address: Set(None),
        email: Set(None),
        phone: Set(None),
        created_at: Set(created_at),
        updated_at: Set(created_at),
        archived_at: Set(merged_into.map(|_| created_at)),
        version: Set(1),
    }
    .insert(seeder.txn)
    .await?;
    let own_path = path::child(parent.as_ref().map(|p| p.path.as_str()), inserted.id);
    let mut with_path: organisation::ActiveModel = inserted.into();
    with_path.path = Set(own_path);
    let saved = with_path.update(seeder.txn).await?;
    seeder.orgs.insert(new.code, saved.clone());
    seeder.report.organisations += 1;
    Ok(saved)
}
