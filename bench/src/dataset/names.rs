//! Vietnamese names for generated rows: the 34 provinces after the 2025 merger, and people,
//! places and titles composed from common parts. Everything is chosen by the caller's seeded RNG,
//! so a seed always gives the same names.

use std::sync::OnceLock;

use khuyenhoc_core::search::normalize;
use rand::Rng;
use rand::seq::IndexedRandom;

/// The 34 provincial-level units after the 2025 merger (name, code).
pub const PROVINCES: [(&str, &str); 34] = [
    ("thành phố Hà Nội", "HN"),
    ("Thành phố Hồ Chí Minh", "HCM"),
    ("thành phố Hải Phòng", "HP"),
    ("thành phố Đà Nẵng", "DN"),
    ("thành phố Cần Thơ", "CT"),
    ("thành phố Huế", "HUE"),
    ("tỉnh Lai Châu", "LCH"),
    ("tỉnh Điện Biên", "DB"),
    ("tỉnh Sơn La", "SL"),
    ("tỉnh Lạng Sơn", "LS"),
    ("tỉnh Quảng Ninh", "QNI"),
    ("tỉnh Thanh Hóa", "TH"),
    ("tỉnh Nghệ An", "NA"),
    ("tỉnh Hà Tĩnh", "HT"),
    ("tỉnh Cao Bằng", "CB"),
    ("tỉnh Tuyên Quang", "TQ"),
    ("tỉnh Lào Cai", "LCA"),
    ("tỉnh Thái Nguyên", "TN"),
    ("tỉnh Phú Thọ", "PT"),
    ("tỉnh Bắc Ninh", "BN"),
    ("tỉnh Hưng Yên", "HY"),
    ("tỉnh Ninh Bình", "NB"),
    ("tỉnh Quảng Trị", "QT"),
    ("tỉnh Quảng Ngãi", "QNG"),
    ("tỉnh Gia Lai", "GL"),
    ("tỉnh Khánh Hòa", "KH"),
    ("tỉnh Lâm Đồng", "LD"),
    ("tỉnh Đắk Lắk", "DL"),
    ("tỉnh Đồng Nai", "DNA"),
    ("tỉnh Tây Ninh", "TNI"),
    ("tỉnh Vĩnh Long", "VL"),
    ("tỉnh Đồng Tháp", "DT"),
    ("tỉnh Cà Mau", "CM"),
    ("tỉnh An Giang", "AG"),
];

const SURNAMES: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô",
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu"];
const GIVEN: [&str; 20] = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai",
    "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Yến",
];
const PLACE: [&str; 24] = [
    "Tân Lập",
    "Hòa Bình",
    "Đông Hưng",
    "Phú Mỹ",
    "An Khánh",
    "Thạch Bàn",
    "Yên Hòa",
    "Quang Trung",
    "Tiên Phong",
    "Đại Đồng",
    "Hợp Thành",
    "Minh Khai",
    "Thống Nhất",
    "Vĩnh Phúc",
    "Bình Minh",
    "Hưng Đạo",
    "Xuân Phương",
    "Kim Liên",
    "Tân Tiến",
    "Hòa Lạc",
    "Long Hưng",
    "Phước Thành",
    "Đồng Tâm",
    "Nghĩa Trung",
];
const TOPICS: [&str; 10] = [
    "công tác khuyến học, khuyến tài",
    "xây dựng xã hội học tập",
    "đánh giá, công nhận Gia đình học tập",
    "chuyển đổi số trong hoạt động Hội",
    "Quỹ khuyến học và vận động nguồn lực",
    "Trung tâm học tập cộng đồng",
    "Công dân học tập",
    "Dòng họ học tập",
    "kỹ năng số cho hội viên",
    "học tập suốt đời",
];

/// A name and its search key (`khuyenhoc_core::search::normalize` of it).
#[derive(Debug)]
pub struct Name {
    /// As written.
    pub text: String,
    /// Normalised for search.
    pub search: String,
}

/// Every full name the generator uses, normalised once (millions of rows reuse them).
fn people() -> &'static [Name] {
    static PEOPLE: OnceLock<Vec<Name>> = OnceLock::new();
    PEOPLE.get_or_init(|| {
        let mut all = Vec::with_capacity(SURNAMES.len() * MIDDLE.len() * GIVEN.len());
        for s in SURNAMES {
            for m in MIDDLE {
                for g in GIVEN {
                    let text = format!("{s} {m} {g}");
                    let search = normalize(&text);
                    all.push(Name { text, search });
                }
            }
        }
        all
    })
}

/// A person's full name, with its search key.
pub fn person(rng: &mut impl Rng) -> &'static Name {
    let all = people();
    &all[rng.random_range(0..all.len())]
}

/// A family name (surname) for a clan.
pub fn surname(rng: &mut impl Rng) -> &'static str {
    pick(rng, &SURNAMES)
}

/// A place name (commune, village).
pub fn place(rng: &mut impl Rng) -> &'static str {
    pick(rng, &PLACE)
}

/// A training or program topic.
pub fn topic(rng: &mut impl Rng) -> &'static str {
    pick(rng, &TOPICS)
}

fn pick<'a>(rng: &mut impl Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}
