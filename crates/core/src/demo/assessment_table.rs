//! The assessments and candidacies of the demo, as data: families, clans, citizens, communes
//! (as learning communities) and learning boards (as learning units) assessed by Hà Nội and
//! TP. Hồ Chí Minh communes and chi hội (and two other provinces), from 2022 to 2025, in every
//! workflow state. Results are not written here: they are computed from the answers.

use crate::entity::enums::{AssessmentStatus as St, LearningModel as M, SubjectKind as K};

/// How well a subject did; turned into per-criterion answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answers {
    /// (Nearly) full marks; every indicator met.
    Strong,
    /// Passes level 1 / the pass mark, misses some level-2 indicators or points.
    Good,
    /// Below the pass mark; a level-1 indicator missed.
    Weak,
    /// Still being filled in: the last third of the criteria unanswered.
    Partial,
}

/// What is assessed.
#[derive(Debug, Clone, Copy)]
pub(super) enum Subject {
    /// A named family, clan, community or citizen.
    Named(K, &'static str),
    /// The organisation with this code, which assesses itself.
    Organisation(&'static str),
}

/// One assessment: assessing organisation, checklist code, subject, year, status, answers, and
/// whether it was returned once before reaching its status.
pub(super) type AssessmentSpec = (&'static str, &'static str, Subject, i32, St, Answers, bool);

use Answers::{Good as G, Partial as P, Strong as S, Weak as W};
use Subject::{Named, Organisation as Org};

const FAMILY: &str = "GDHT-448";
const CLAN: &str = "DHHT-448";
const CITIZEN: &str = "CONGDANHT-324";
const COMMUNITY: &str = "CDHT-25-2023";
const UNIT: &str = "DVHT-24-2023";

#[rustfmt::skip]
pub(super) const ASSESSMENTS: &[AssessmentSpec] = &[
    // Phường Ba Đình (Hà Nội) and its chi hội.
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình ông Nguyễn Văn An"), 2022, St::Approved, S, false),
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình ông Nguyễn Văn An"), 2023, St::Approved, G, false),
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình ông Nguyễn Văn An"), 2024, St::Approved, S, false),
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình ông Nguyễn Văn An"), 2025, St::Submitted, S, false),
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình bà Trần Thị Bích"), 2023, St::Approved, G, false),
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình bà Trần Thị Bích"), 2024, St::Approved, W, false),
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình ông Lê Quang Cường"), 2025, St::Submitted, G, false),
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình bà Phạm Thu Dung"), 2025, St::Draft, P, false),
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình ông Hoàng Văn Em"), 2025, St::Returned, G, false),
    ("HN-BADINH", FAMILY, Named(K::Family, "Gia đình ông Đỗ Minh Phúc"), 2025, St::Approved, G, true),
    ("HN-BADINH-TDP5", FAMILY, Named(K::Family, "Gia đình ông Vũ Đình Giang"), 2024, St::Approved, G, false),
    ("HN-BADINH-TDP5", FAMILY, Named(K::Family, "Gia đình bà Ngô Thị Hạnh"), 2025, St::Submitted, S, false),
    ("HN-BADINH-TDP5", FAMILY, Named(K::Family, "Gia đình ông Bùi Văn Khải"), 2025, St::Draft, P, false),
    ("HN-BADINH", COMMUNITY, Org("HN-BADINH"), 2024, St::Approved, G, false),
    ("HN-BADINH", COMMUNITY, Org("HN-BADINH"), 2025, St::Submitted, S, false),
    // Other Hà Nội communes.
    ("HN-SOCSON", FAMILY, Named(K::Family, "Gia đình ông Đặng Văn Lâm"), 2023, St::Approved, S, false),
    ("HN-SOCSON", FAMILY, Named(K::Family, "Gia đình bà Dương Thị Mận"), 2025, St::Submitted, W, false),
    ("HN-SOCSON", CLAN, Named(K::Clan, "Dòng họ Nguyễn Đình"), 2024, St::Approved, G, false),
    ("HN-SOCSON", CLAN, Named(K::Clan, "Dòng họ Trần Văn"), 2025, St::Draft, P, false),
    ("HN-SOCSON", COMMUNITY, Org("HN-SOCSON"), 2024, St::Approved, S, false),
    ("HN-BAVI", FAMILY, Named(K::Family, "Gia đình ông Phùng Văn Nghĩa"), 2024, St::Approved, S, false),
    ("HN-BAVI", FAMILY, Named(K::Family, "Gia đình bà Kiều Thị Oanh"), 2025, St::Returned, W, false),
    ("HN-BAVI", COMMUNITY, Org("HN-BAVI"), 2025, St::Draft, P, false),
    ("HN-BAVI-HONGUYEN", CLAN, Named(K::Clan, "Dòng họ Nguyễn thôn Đoài"), 2025, St::Submitted, S, false),
    ("HN-CAUGIAY", CITIZEN, Named(K::Citizen, "Ông Dương Minh Khánh"), 2024, St::Approved, G, false),
    ("HN-CAUGIAY", CITIZEN, Named(K::Citizen, "Bà Lý Thu Lan"), 2025, St::Draft, P, false),
    ("HN-CAUGIAY", CITIZEN, Named(K::Citizen, "Bà Mai Thị Ngọc"), 2025, St::Approved, S, false),
    ("HN-HOANKIEM", COMMUNITY, Org("HN-HOANKIEM"), 2025, St::Returned, W, false),
    ("HN-HOANKIEM", "GDHT-HN-2024", Named(K::Family, "Gia đình ông Trịnh Văn Quý"), 2024, St::Approved, S, false),
    ("HN-BKH-CVA", UNIT, Org("HN-BKH-CVA"), 2024, St::Approved, G, false),
    // TP. Hồ Chí Minh.
    ("HCM-CUCHI", FAMILY, Named(K::Family, "Gia đình ông Huỳnh Văn Long"), 2023, St::Approved, G, false),
    ("HCM-CUCHI", FAMILY, Named(K::Family, "Gia đình ông Huỳnh Văn Long"), 2024, St::Approved, S, false),
    ("HCM-CUCHI", FAMILY, Named(K::Family, "Gia đình bà Phan Thị Mai"), 2025, St::Submitted, G, false),
    ("HCM-CUCHI", FAMILY, Named(K::Family, "Gia đình ông Võ Văn Nam"), 2025, St::Draft, P, false),
    ("HCM-CUCHI", FAMILY, Named(K::Family, "Gia đình bà Hồ Thị Oanh"), 2025, St::Returned, G, false),
    ("HCM-CUCHI", COMMUNITY, Org("HCM-CUCHI"), 2024, St::Approved, G, false),
    ("HCM-CUCHI-PHUHOA", FAMILY, Named(K::Family, "Gia đình ông Nguyễn Văn Út"), 2025, St::Submitted, S, false),
    ("HCM-CUCHI-HOTRAN", CLAN, Named(K::Clan, "Dòng họ Trần ấp Phú Hòa"), 2024, St::Approved, G, true),
    ("HCM-BKH-DMCC", UNIT, Org("HCM-BKH-DMCC"), 2025, St::Submitted, G, false),
    ("HCM-SAIGON", FAMILY, Named(K::Family, "Gia đình ông Đặng Quốc Phong"), 2022, St::Approved, G, false),
    ("HCM-SAIGON", FAMILY, Named(K::Family, "Gia đình bà Lê Thị Quyên"), 2025, St::Approved, S, false),
    ("HCM-SAIGON", COMMUNITY, Org("HCM-SAIGON"), 2025, St::Returned, W, false),
    ("HCM-THUDAUMOT", COMMUNITY, Org("HCM-THUDAUMOT"), 2025, St::Submitted, S, false),
    ("HCM-BENTHANH", CITIZEN, Named(K::Citizen, "Ông Trương Văn Sang"), 2025, St::Submitted, G, false),
    ("HCM-BENTHANH", CITIZEN, Named(K::Citizen, "Bà Mai Thị Tuyết"), 2024, St::Approved, S, false),
    // Elsewhere.
    ("NB-HOALU", FAMILY, Named(K::Family, "Gia đình ông Đinh Văn Vinh"), 2025, St::Submitted, G, false),
    ("TH-SAMSON", CLAN, Named(K::Clan, "Dòng họ Lê Khả"), 2025, St::Draft, P, false),
];

/// Candidacies with no assessment of their own: organisation, model, subject, year, target
/// level, withdrawn. (Every family assessed for 2024 or 2025 also gets a candidacy, marked
/// assessed and linked to its assessment.)
#[rustfmt::skip]
pub(super) const OPEN_CANDIDACIES: &[(&str, M, Subject, i32, i32, bool)] = &[
    ("HN-BADINH", M::LearningFamily, Named(K::Family, "Gia đình ông Nguyễn Văn Xuân"), 2025, 1, false),
    ("HN-BAVI", M::LearningFamily, Named(K::Family, "Gia đình bà Trần Thị Yến"), 2025, 1, true),
    ("HCM-CUCHI", M::LearningFamily, Named(K::Family, "Gia đình ông Phạm Văn Đông"), 2025, 1, false),
    ("HN-BADINH", M::LearningFamily, Named(K::Family, "Gia đình ông Nguyễn Văn An"), 2026, 1, false),
    ("HN-BADINH", M::LearningFamily, Named(K::Family, "Gia đình ông Nguyễn Văn Xuân"), 2026, 1, false),
    ("HN-BAVI", M::LearningFamily, Named(K::Family, "Gia đình bà Trần Thị Yến"), 2026, 1, false),
    ("HCM-CUCHI", M::LearningFamily, Named(K::Family, "Gia đình bà Phan Thị Mai"), 2026, 1, false),
    ("HN-SOCSON", M::LearningClan, Named(K::Clan, "Dòng họ Nguyễn Đình"), 2026, 1, false),
    ("HN-BADINH", M::LearningCommunity, Org("HN-BADINH"), 2026, 2, false),
    ("HCM-CUCHI", M::LearningCommunity, Org("HCM-CUCHI"), 2026, 2, false),
];
