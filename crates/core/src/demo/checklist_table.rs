//! The criteria checklists of the demo, as data, in both styles:
//!
//! * points sheets: learning family (Quyết định 448/QĐ-KHVN, 4 groups, 100 points) with a Hà
//!   Nội variant, learning clan, learning citizen;
//! * indicator sheets with levels: commune learning community (Thông tư 25/2023/TT-BGDĐT, 5
//!   criteria, 15 indicators) and learning unit (Thông tư 24/2023/TT-BGDĐT, 3 criteria).
//!
//! Wording paraphrases the public rules; thresholds such as "80 points" are unverified data.

use super::Ymd;
use crate::entity::enums::{ChecklistStyle as St, LearningModel as M};

/// One published checklist (version 1).
pub(super) struct ChecklistSpec {
    pub code: &'static str,
    pub owner: &'static str,
    pub model: M,
    pub style: St,
    pub title: &'static str,
    pub description: &'static str,
    /// Number of the legal document it implements.
    pub document: &'static str,
    pub published: Ymd,
    /// Result levels by rank: code, label, minimum total (points sheets).
    pub levels: &'static [(&'static str, &'static str, Option<i32>)],
    pub groups: &'static [GroupSpec],
}

/// A criteria group (points sheets) or criterion made of indicators (indicator sheets).
pub(super) struct GroupSpec {
    pub title: &'static str,
    pub max_points: Option<i32>,
    pub items: &'static [ItemSpec],
}

/// A criterion or indicator: title, maximum points (points sheets), level from which it is
/// demanded (indicator sheets), required, evidence rule.
pub(super) type ItemSpec = (
    &'static str,
    Option<i32>,
    Option<i32>,
    bool,
    Option<&'static str>,
);

const FAMILY_LEDGER: Option<&str> =
    Some("Sổ theo dõi học tập của gia đình, có xác nhận của chi hội khuyến học");

/// The learning-family sheet (Quyết định 448/QĐ-KHVN), shared by the national checklist, its
/// draft revision and the Hà Nội variant.
#[rustfmt::skip]
pub(super) const FAMILY_GROUPS: &[GroupSpec] = &[
    GroupSpec { title: "Học tập của trẻ em trong gia đình", max_points: Some(30), items: &[
        ("Trẻ em trong độ tuổi đi học được đến trường, không bỏ học", Some(10), None, true, FAMILY_LEDGER),
        ("Trẻ em học tập tiến bộ, có kết quả học tập từ khá trở lên", Some(10), None, false, Some("Học bạ hoặc sổ liên lạc của nhà trường")),
        ("Trẻ em tham gia hoạt động văn hóa, thể thao, rèn luyện kỹ năng sống", Some(10), None, false, None),
    ] },
    GroupSpec { title: "Học tập của người lớn trong gia đình", max_points: Some(30), items: &[
        ("Người lớn tham gia học tập thường xuyên, ít nhất hai chuyên đề mỗi năm", Some(10), None, true, FAMILY_LEDGER),
        ("Người lớn học tập nâng cao trình độ, tay nghề, kỹ năng", Some(10), None, false, None),
        ("Người lớn biết sử dụng thiết bị số, công nghệ thông tin phục vụ học tập", Some(10), None, false, None),
    ] },
    GroupSpec { title: "Điều kiện học tập của gia đình", max_points: Some(20), items: &[
        ("Có góc học tập, tủ sách hoặc thiết bị học tập", Some(10), None, false, None),
        ("Dành thời gian, kinh phí cho việc học tập của các thành viên", Some(10), None, false, None),
    ] },
    GroupSpec { title: "Tác dụng của học tập", max_points: Some(20), items: &[
        ("Kinh tế gia đình ổn định, phát triển nhờ vận dụng kiến thức", Some(10), None, false, None),
        ("Gia đình văn hóa, chấp hành tốt chủ trương, chính sách, pháp luật", Some(10), None, true, Some("Xác nhận của thôn, tổ dân phố")),
    ] },
];

#[rustfmt::skip]
pub(super) const CHECKLISTS: &[ChecklistSpec] = &[
    ChecklistSpec {
        code: "GDHT-448", owner: "VAPE", model: M::LearningFamily, style: St::Points,
        title: "Tiêu chí đánh giá, công nhận Gia đình học tập",
        description: "Bốn nhóm tiêu chí, tổng 100 điểm; đạt khi từ 80 điểm trở lên và đạt các tiêu chí bắt buộc.",
        document: "448/QĐ-KHVN", published: (2016, 1, 5),
        levels: &[("MET", "Đạt", Some(80))],
        groups: FAMILY_GROUPS,
    },
    ChecklistSpec {
        code: "CDHT-25-2023", owner: "VAPE", model: M::LearningCommunity, style: St::Indicators,
        title: "Tiêu chí đánh giá, công nhận Cộng đồng học tập cấp xã",
        description: "Năm tiêu chí, mười lăm chỉ tiêu; mức độ 2 đòi hỏi thêm một số chỉ tiêu.",
        document: "25/2023/TT-BGDĐT", published: (2024, 2, 1),
        levels: &[("LEVEL_1", "Mức độ 1 (Khá)", None), ("LEVEL_2", "Mức độ 2 (Tốt)", None)],
        groups: &[
            GroupSpec { title: "Công tác lãnh đạo, chỉ đạo", max_points: None, items: &[
                ("Có nghị quyết hoặc kế hoạch của cấp ủy, chính quyền về xây dựng xã hội học tập hằng năm", None, Some(1), true, Some("Nghị quyết, kế hoạch năm đánh giá")),
                ("Ban Chỉ đạo xây dựng xã hội học tập được kiện toàn, hoạt động thường xuyên", None, Some(1), true, None),
                ("Định kỳ sơ kết, tổng kết, khen thưởng tập thể, cá nhân tiêu biểu", None, Some(2), true, None),
            ] },
            GroupSpec { title: "Huy động nguồn lực", max_points: None, items: &[
                ("Huy động được các tổ chức, cá nhân tham gia xây dựng xã hội học tập", None, Some(1), true, None),
                ("Quỹ khuyến học được duy trì và tăng trưởng hằng năm", None, Some(1), true, Some("Báo cáo tài chính Quỹ khuyến học")),
                ("Bố trí ngân sách cho hoạt động học tập suốt đời tại cộng đồng", None, Some(2), true, None),
            ] },
            GroupSpec { title: "Trung tâm học tập cộng đồng và thư viện", max_points: None, items: &[
                ("Trung tâm học tập cộng đồng có kế hoạch và hoạt động thường xuyên", None, Some(1), true, None),
                ("Có thư viện hoặc tủ sách cộng đồng phục vụ người dân", None, Some(1), true, None),
                ("Ứng dụng công nghệ thông tin, học liệu số trong hoạt động học tập", None, Some(2), true, None),
            ] },
            GroupSpec { title: "Phổ cập giáo dục, xóa mù chữ", max_points: None, items: &[
                ("Duy trì chuẩn phổ cập giáo dục mầm non cho trẻ em 5 tuổi, tiểu học và trung học cơ sở", None, Some(1), true, Some("Quyết định công nhận đạt chuẩn phổ cập giáo dục")),
                ("Đạt chuẩn xóa mù chữ mức độ 1", None, Some(1), true, None),
                ("Đạt chuẩn xóa mù chữ mức độ 2", None, Some(2), true, None),
            ] },
            GroupSpec { title: "Hiệu quả xây dựng cộng đồng học tập", max_points: None, items: &[
                ("Tỷ lệ Gia đình học tập, Dòng họ học tập đạt chỉ tiêu của địa phương", None, Some(1), true, None),
                ("Tỷ lệ Công dân học tập đạt chỉ tiêu của địa phương", None, Some(1), true, None),
                ("Đời sống kinh tế, văn hóa của người dân được nâng lên", None, Some(1), true, None),
            ] },
        ],
    },
    ChecklistSpec {
        code: "DVHT-24-2023", owner: "VAPE", model: M::LearningUnit, style: St::Indicators,
        title: "Tiêu chí đánh giá, công nhận Đơn vị học tập",
        description: "Ba tiêu chí: điều kiện học tập, kết quả học tập của thành viên, hiệu quả học tập.",
        document: "24/2023/TT-BGDĐT", published: (2024, 2, 1),
        levels: &[("LEVEL_1", "Mức độ 1 (Khá)", None), ("LEVEL_2", "Mức độ 2 (Tốt)", None)],
        groups: &[
            GroupSpec { title: "Điều kiện học tập", max_points: None, items: &[
                ("Có kế hoạch học tập hằng năm của đơn vị", None, Some(1), true, Some("Kế hoạch học tập năm đánh giá")),
                ("Bố trí kinh phí cho hoạt động học tập", None, Some(1), true, None),
                ("Thực hiện chuyển đổi số trong học tập", None, Some(2), true, None),
            ] },
            GroupSpec { title: "Kết quả học tập của thành viên", max_points: None, items: &[
                ("Thành viên hoàn thành kế hoạch học tập cá nhân", None, Some(1), true, None),
                ("Thành viên nâng cao trình độ chuyên môn, kỹ năng số", None, Some(2), true, None),
            ] },
            GroupSpec { title: "Hiệu quả học tập", max_points: None, items: &[
                ("Ít nhất 90% thành viên đạt danh hiệu Công dân học tập", None, Some(1), true, None),
                ("Đơn vị hoàn thành xuất sắc nhiệm vụ được giao", None, Some(2), true, None),
            ] },
        ],
    },
    ChecklistSpec {
        code: "DHHT-448", owner: "VAPE", model: M::LearningClan, style: St::Points,
        title: "Tiêu chí đánh giá, công nhận Dòng họ học tập",
        description: "Ba nhóm tiêu chí, tổng 100 điểm; đạt khi từ 80 điểm trở lên.",
        document: "448/QĐ-KHVN", published: (2016, 1, 5),
        levels: &[("MET", "Đạt", Some(80))],
        groups: &[
            GroupSpec { title: "Phong trào học tập của dòng họ", max_points: Some(40), items: &[
                ("Có quy ước, kế hoạch khuyến học của dòng họ", Some(10), None, true, Some("Quy ước dòng họ, biên bản họp họ")),
                ("Có quỹ khuyến học, khen thưởng con cháu học giỏi", Some(15), None, true, Some("Sổ quỹ khuyến học của dòng họ")),
                ("Tỷ lệ gia đình trong dòng họ đạt Gia đình học tập", Some(15), None, false, None),
            ] },
            GroupSpec { title: "Kết quả học tập của con cháu", max_points: Some(30), items: &[
                ("Trẻ em trong độ tuổi đi học được đến trường", Some(15), None, false, None),
                ("Con cháu đạt thành tích cao trong học tập, lao động", Some(15), None, false, None),
            ] },
            GroupSpec { title: "Tác dụng của học tập", max_points: Some(30), items: &[
                ("Dòng họ đoàn kết, không có người vi phạm pháp luật", Some(15), None, true, None),
                ("Đời sống của các gia đình trong dòng họ được nâng lên", Some(15), None, false, None),
            ] },
        ],
    },
    ChecklistSpec {
        code: "CONGDANHT-324", owner: "VAPE", model: M::LearningCitizen, style: St::Points,
        title: "Tiêu chí đánh giá, công nhận Công dân học tập",
        description: "Ba nhóm tiêu chí, tổng 100 điểm; đạt khi từ 70 điểm trở lên.",
        document: "324/QĐ-KHVN", published: (2023, 3, 1),
        levels: &[("MET", "Đạt", Some(70))],
        groups: &[
            GroupSpec { title: "Học tập thường xuyên, suốt đời", max_points: Some(40), items: &[
                ("Có kế hoạch học tập cá nhân", Some(20), None, true, Some("Kế hoạch học tập cá nhân, có xác nhận của chi hội")),
                ("Tham gia ít nhất hai chuyên đề học tập mỗi năm", Some(20), None, false, None),
            ] },
            GroupSpec { title: "Kỹ năng số và ngoại ngữ", max_points: Some(30), items: &[
                ("Sử dụng được thiết bị số, khai thác thông tin trên mạng", Some(20), None, false, None),
                ("Có kỹ năng ngoại ngữ hoặc tiếng dân tộc phù hợp với công việc", Some(10), None, false, None),
            ] },
            GroupSpec { title: "Vận dụng kiến thức", max_points: Some(30), items: &[
                ("Vận dụng kiến thức vào công việc và cuộc sống", Some(20), None, false, None),
                ("Tham gia hoạt động cộng đồng, chia sẻ kiến thức", Some(10), None, false, None),
            ] },
        ],
    },
    ChecklistSpec {
        code: "GDHT-HN-2024", owner: "HN", model: M::LearningFamily, style: St::Points,
        title: "Tiêu chí Gia đình học tập áp dụng tại thành phố Hà Nội",
        description: "Biến thể của thành phố Hà Nội: thêm mức Gia đình học tập tiêu biểu từ 95 điểm.",
        document: "448/QĐ-KHVN", published: (2024, 3, 1),
        levels: &[("MET", "Đạt", Some(80)), ("OUTSTANDING", "Gia đình học tập tiêu biểu", Some(95))],
        groups: FAMILY_GROUPS,
    },
];
