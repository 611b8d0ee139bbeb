//! The coordination programs of the demo, as data: the central association's programs with
//! national partners (ministries, mass organisations, media), a terminated and a draft one, and
//! programs of the Hà Nội and TP. Hồ Chí Minh branches with provincial partners.
//!
//! Signatories are fictional; titles, parties and periods follow the source article.

use super::Ymd;
use crate::entity::enums::{
    PartyRole as R, ProgramStatus as P, ReportKind as K, ReportStatus as S,
};

/// A program with everything under it.
pub(super) struct ProgramSpec {
    pub code: &'static str,
    pub owner: &'static str,
    pub title: &'static str,
    pub agreement: Option<&'static str>,
    /// Signing day and place (none for drafts).
    pub signed: Option<(Ymd, &'static str)>,
    pub period: (Ymd, Ymd),
    pub status: P,
    pub termination_reason: Option<&'static str>,
    pub objectives: &'static str,
    pub areas: &'static [&'static str],
    /// Parties, the owner (association side) first.
    pub parties: &'static [PartySpec],
    /// Numbers of the legal documents the program rests on.
    pub basis: &'static [&'static str],
    pub commitments: &'static [CommitmentSpec],
    pub reports: &'static [ReportSpec],
}

/// A party: organisation code, role, signatory (name, title), duties.
pub(super) type PartySpec = (
    &'static str,
    R,
    Option<(&'static str, &'static str)>,
    &'static str,
);

/// A commitment: committing party's code, description, indicator, unit, target, due day.
pub(super) type CommitmentSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    Ymd,
);

/// A report on a program.
pub(super) struct ReportSpec {
    pub reporter: &'static str,
    pub kind: K,
    pub year: Option<i32>,
    pub status: S,
    /// Day it was submitted (or last edited, for drafts).
    pub dated: Ymd,
    pub title: &'static str,
    pub achievements: &'static str,
    pub shortcomings: Option<&'static str>,
    pub proposals: Option<&'static str>,
    /// Indicator values: index into the program's commitments, value.
    pub values: &'static [(usize, f64)],
}

const ASSOCIATION_DUTIES: &str = "Chỉ đạo các cấp Hội phối hợp triển khai; vận động nguồn lực xã hội; tổng hợp, báo cáo kết quả.";

#[rustfmt::skip]
pub(super) const PROGRAMS: &[ProgramSpec] = &[
    ProgramSpec {
        code: "CTPH-LDTBXH-2018", owner: "VAPE",
        title: "Chương trình phối hợp giữa Bộ Lao động – Thương binh và Xã hội và Hội Khuyến học Việt Nam về khuyến học, dạy nghề cho lao động nông thôn giai đoạn 2018–2023",
        agreement: Some("01/CTPH-LĐTBXH-KHVN"), signed: Some(((2018, 9, 13), "Hà Nội")),
        period: ((2018, 9, 13), (2023, 12, 31)), status: P::Completed, termination_reason: None,
        objectives: "Gắn khuyến học, khuyến tài với dạy nghề; nâng cao trình độ nghề cho lao động nông thôn, góp phần xây dựng xã hội học tập.",
        areas: &[
            "Tuyên truyền, tư vấn học nghề cho lao động nông thôn",
            "Vận động học bổng cho người học nghề có hoàn cảnh khó khăn",
            "Xây dựng mô hình học tập gắn với học nghề tại cộng đồng",
            "Tôn vinh người lao động giỏi nghề",
        ],
        parties: &[
            ("VAPE", R::Association, Some(("Nguyễn Đức Thành", "Phó Chủ tịch Hội Khuyến học Việt Nam")), ASSOCIATION_DUTIES),
            ("BNV", R::Partner, Some(("Lê Văn Quang", "Thứ trưởng Bộ Lao động – Thương binh và Xã hội")), "Chỉ đạo cơ sở giáo dục nghề nghiệp tuyển sinh, đào tạo nghề cho lao động nông thôn (nay do Bộ Nội vụ kế thừa)."),
        ],
        basis: &["11-CT/TW"],
        commitments: &[
            ("BNV", "Đào tạo nghề cho lao động nông thôn qua các cơ sở giáo dục nghề nghiệp", "Số lao động nông thôn được học nghề", "người", 50_000.0, (2023, 12, 31)),
            ("VAPE", "Vận động học bổng học nghề cho người có hoàn cảnh khó khăn", "Số suất học bổng học nghề", "suất", 10_000.0, (2023, 12, 31)),
            ("VAPE", "Xây dựng mô hình trung tâm học tập cộng đồng gắn với học nghề", "Số mô hình được xây dựng", "mô hình", 200.0, (2023, 6, 30)),
        ],
        reports: &[
            ReportSpec {
                reporter: "VAPE", kind: K::Annual, year: Some(2019), status: S::Acknowledged, dated: (2020, 1, 15),
                title: "Báo cáo kết quả thực hiện Chương trình phối hợp năm 2019",
                achievements: "Trao 1.850 suất học bổng học nghề; 42 trung tâm học tập cộng đồng mở lớp nghề ngắn hạn.",
                shortcomings: Some("Nhiều địa phương chưa bố trí kinh phí đối ứng."), proposals: Some("Đưa nội dung học nghề vào tiêu chí Gia đình học tập."),
                values: &[(1, 1_850.0), (2, 42.0)],
            },
            ReportSpec {
                reporter: "VAPE", kind: K::MidTerm, year: None, status: S::Acknowledged, dated: (2021, 3, 10),
                title: "Sơ kết 3 năm thực hiện Chương trình phối hợp (2018–2021)",
                achievements: "Hơn 28.000 lao động nông thôn được học nghề; 5.200 suất học bổng; 96 mô hình học tập gắn với nghề.",
                shortcomings: Some("Dịch COVID-19 làm gián đoạn nhiều lớp học nghề."), proposals: Some("Tăng hình thức học trực tuyến kết hợp thực hành tại cơ sở."),
                values: &[(0, 28_400.0), (1, 5_200.0), (2, 96.0)],
            },
            ReportSpec {
                reporter: "BNV", kind: K::Final, year: None, status: S::Submitted, dated: (2024, 1, 25),
                title: "Báo cáo tổng kết của Bộ về Chương trình phối hợp giai đoạn 2018–2023",
                achievements: "Vượt chỉ tiêu đào tạo nghề cho lao động nông thôn.",
                shortcomings: Some("Chất lượng việc làm sau học nghề chưa đồng đều."), proposals: Some("Ký chương trình phối hợp giai đoạn mới với cơ quan kế thừa."),
                values: &[(0, 52_300.0)],
            },
            ReportSpec {
                reporter: "VAPE", kind: K::Final, year: None, status: S::Acknowledged, dated: (2024, 2, 5),
                title: "Tổng kết Chương trình phối hợp giai đoạn 2018–2023",
                achievements: "Hoàn thành và vượt các chỉ tiêu: 52.300 lao động học nghề, 10.850 suất học bổng, 214 mô hình.",
                shortcomings: Some("Công tác theo dõi, thống kê ở cấp xã còn hạn chế."), proposals: Some("Số hóa việc báo cáo kết quả chương trình phối hợp."),
                values: &[(0, 52_300.0), (1, 10_850.0), (2, 214.0)],
            },
        ],
    },
    ProgramSpec {
        code: "CTPH-BGDDT-2021", owner: "VAPE",
        title: "Chương trình phối hợp giữa Bộ Giáo dục và Đào tạo và Hội Khuyến học Việt Nam về đẩy mạnh xây dựng xã hội học tập giai đoạn 2021–2030",
        agreement: Some("02/CTPH-BGDĐT-KHVN"), signed: Some(((2021, 10, 2), "Hà Nội")),
        period: ((2021, 10, 2), (2030, 12, 31)), status: P::Active, termination_reason: None,
        objectives: "Phối hợp thực hiện Đề án Xây dựng xã hội học tập giai đoạn 2021–2030 và Đề án thúc đẩy học tập suốt đời trong gia đình, dòng họ, cộng đồng.",
        areas: &[
            "Xây dựng các mô hình học tập",
            "Phát triển trung tâm học tập cộng đồng",
            "Đánh giá, công nhận các danh hiệu học tập",
            "Bồi dưỡng cán bộ làm công tác khuyến học",
        ],
        parties: &[
            ("VAPE", R::Association, Some(("Nguyễn Đức Thành", "Phó Chủ tịch Hội Khuyến học Việt Nam")), ASSOCIATION_DUTIES),
            ("MOET", R::Partner, Some(("Hoàng Minh Đức", "Thứ trưởng Bộ Giáo dục và Đào tạo")), "Ban hành tiêu chí, hướng dẫn đánh giá các mô hình học tập; chỉ đạo ngành giáo dục phối hợp."),
            ("MOET-GDTX", R::Coordinator, None, "Đầu mối theo dõi, tổng hợp; bồi dưỡng cán bộ trung tâm học tập cộng đồng."),
        ],
        basis: &["49-KL/TW", "489/QĐ-TTg", "1373/QĐ-TTg", "387/QĐ-TTg"],
        commitments: &[
            ("MOET", "Ban hành, hướng dẫn tiêu chí đánh giá, công nhận các mô hình học tập", "Số văn bản hướng dẫn được ban hành", "văn bản", 4.0, (2025, 12, 31)),
            ("VAPE", "Vận động các gia đình đăng ký, xây dựng Gia đình học tập", "Tỷ lệ gia đình đạt danh hiệu Gia đình học tập", "%", 70.0, (2025, 12, 31)),
            ("MOET-GDTX", "Bồi dưỡng cán bộ quản lý trung tâm học tập cộng đồng", "Số cán bộ được bồi dưỡng", "người", 5_000.0, (2030, 12, 31)),
            ("VAPE", "Phối hợp đánh giá, công nhận Cộng đồng học tập cấp xã", "Tỷ lệ xã đạt Cộng đồng học tập mức độ 1 trở lên", "%", 80.0, (2030, 12, 31)),
        ],
        reports: &[
            ReportSpec {
                reporter: "VAPE", kind: K::Annual, year: Some(2023), status: S::Acknowledged, dated: (2024, 1, 20),
                title: "Báo cáo kết quả năm 2023",
                achievements: "61,5% gia đình đạt Gia đình học tập; 52% xã đạt Cộng đồng học tập.",
                shortcomings: Some("Tiêu chí mới chưa được hướng dẫn kịp thời tới cấp xã."), proposals: Some("Tập huấn Thông tư 24 và 25/2023 cho cán bộ cấp xã."),
                values: &[(1, 61.5), (3, 52.0)],
            },
            ReportSpec {
                reporter: "VAPE", kind: K::Annual, year: Some(2024), status: S::Acknowledged, dated: (2025, 1, 20),
                title: "Báo cáo kết quả năm 2024",
                achievements: "65,2% gia đình đạt Gia đình học tập; 58% xã đạt Cộng đồng học tập.",
                shortcomings: Some("Số liệu giữa các địa phương chưa thống nhất."), proposals: Some("Số hóa việc đánh giá, công nhận."),
                values: &[(1, 65.2), (3, 58.0)],
            },
            ReportSpec {
                reporter: "MOET", kind: K::Annual, year: Some(2024), status: S::Acknowledged, dated: (2025, 1, 18),
                title: "Báo cáo của Bộ Giáo dục và Đào tạo năm 2024",
                achievements: "Ban hành Thông tư 24/2023 và 25/2023; bồi dưỡng 2.150 cán bộ trung tâm học tập cộng đồng.",
                shortcomings: None, proposals: Some("Hội hướng dẫn chi hội tham gia đánh giá theo tiêu chí mới."),
                values: &[(0, 2.0), (2, 2_150.0)],
            },
            ReportSpec {
                reporter: "HN", kind: K::Annual, year: Some(2024), status: S::Submitted, dated: (2025, 1, 15),
                title: "Báo cáo kết quả năm 2024 của Hội Khuyến học thành phố Hà Nội",
                achievements: "72,4% gia đình đạt Gia đình học tập; 66% xã, phường đạt Cộng đồng học tập.",
                shortcomings: Some("Một số xã chưa cập nhật số liệu."), proposals: Some("Hỗ trợ phần mềm quản lý danh hiệu học tập."),
                values: &[(1, 72.4), (3, 66.0)],
            },
            ReportSpec {
                reporter: "HCM", kind: K::Annual, year: Some(2024), status: S::Submitted, dated: (2025, 1, 16),
                title: "Báo cáo kết quả năm 2024 của Hội Khuyến học Thành phố Hồ Chí Minh",
                achievements: "68,9% gia đình đạt Gia đình học tập; 61% phường, xã đạt Cộng đồng học tập.",
                shortcomings: Some("Địa bàn đông dân, biến động dân cư lớn."), proposals: Some("Tăng cường tập huấn cho chi hội trưởng."),
                values: &[(1, 68.9), (3, 61.0)],
            },
            ReportSpec {
                reporter: "HN", kind: K::Annual, year: Some(2025), status: S::Submitted, dated: (2026, 1, 14),
                title: "Báo cáo kết quả năm 2025 của Hội Khuyến học thành phố Hà Nội",
                achievements: "74% gia đình đạt Gia đình học tập sau sắp xếp 126 xã, phường.",
                shortcomings: Some("Hồ sơ của các xã mới sáp nhập chưa đầy đủ."), proposals: Some("Hướng dẫn chuyển tiếp danh hiệu khi sắp xếp đơn vị hành chính."),
                values: &[(1, 74.0)],
            },
            ReportSpec {
                reporter: "HCM", kind: K::Annual, year: Some(2025), status: S::Draft, dated: (2026, 1, 10),
                title: "Báo cáo kết quả năm 2025 của Hội Khuyến học Thành phố Hồ Chí Minh",
                achievements: "Đang tổng hợp số liệu từ 168 phường, xã, đặc khu.",
                shortcomings: None, proposals: None,
                values: &[(1, 70.3)],
            },
            ReportSpec {
                reporter: "MOET", kind: K::Annual, year: Some(2025), status: S::Draft, dated: (2026, 1, 12),
                title: "Báo cáo của Bộ Giáo dục và Đào tạo năm 2025",
                achievements: "Hướng dẫn đánh giá Cộng đồng học tập sau sắp xếp chính quyền hai cấp.",
                shortcomings: None, proposals: None,
                values: &[(0, 2.0)],
            },
            ReportSpec {
                reporter: "VAPE", kind: K::MidTerm, year: None, status: S::Submitted, dated: (2026, 3, 20),
                title: "Sơ kết 5 năm thực hiện Chương trình phối hợp (2021–2026)",
                achievements: "Tỷ lệ Gia đình học tập tăng đều qua các năm; 3.900 cán bộ trung tâm học tập cộng đồng được bồi dưỡng.",
                shortcomings: Some("Chưa đạt chỉ tiêu 70% Gia đình học tập năm 2025."), proposals: Some("Bổ sung chỉ tiêu về chuyển đổi số trong học tập suốt đời."),
                values: &[(1, 67.8), (2, 3_900.0), (3, 63.0)],
            },
        ],
    },
    ProgramSpec {
        code: "CTPH-HLHPN-2022", owner: "VAPE",
        title: "Chương trình phối hợp giữa Hội Liên hiệp Phụ nữ Việt Nam và Hội Khuyến học Việt Nam về xây dựng gia đình học tập, phụ nữ học tập suốt đời giai đoạn 2022–2027",
        agreement: Some("03/CTPH-HLHPN-KHVN"), signed: Some(((2022, 3, 8), "Hà Nội")),
        period: ((2022, 3, 8), (2027, 12, 31)), status: P::Active, termination_reason: None,
        objectives: "Phụ nữ là nòng cốt xây dựng Gia đình học tập và học tập suốt đời.",
        areas: &[
            "Xây dựng Gia đình học tập",
            "Phụ nữ học tập suốt đời",
            "Kỹ năng số cho phụ nữ",
        ],
        parties: &[
            ("VAPE", R::Association, Some(("Nguyễn Đức Thành", "Phó Chủ tịch Hội Khuyến học Việt Nam")), ASSOCIATION_DUTIES),
            ("HLHPN", R::Partner, Some(("Hà Thị Nga", "Phó Chủ tịch Hội Liên hiệp Phụ nữ Việt Nam")), "Vận động hội viên đăng ký Gia đình học tập; lồng ghép vào phong trào của Hội."),
        ],
        basis: &["387/QĐ-TTg", "1373/QĐ-TTg"],
        commitments: &[
            ("HLHPN", "Vận động hội viên đăng ký xây dựng Gia đình học tập", "Số hộ gia đình hội viên đăng ký", "hộ", 1_000_000.0, (2027, 12, 31)),
            ("VAPE", "Tập huấn đánh giá Gia đình học tập cho cán bộ Hội Phụ nữ", "Số lớp tập huấn", "lớp", 120.0, (2026, 12, 31)),
            ("HLHPN", "Vận động phụ nữ đạt danh hiệu Công dân học tập", "Số phụ nữ được công nhận Công dân học tập", "người", 500_000.0, (2027, 12, 31)),
        ],
        reports: &[
            ReportSpec {
                reporter: "HLHPN", kind: K::Annual, year: Some(2024), status: S::Acknowledged, dated: (2025, 1, 22),
                title: "Báo cáo năm 2024 của Hội Liên hiệp Phụ nữ Việt Nam",
                achievements: "812.000 hộ hội viên đăng ký Gia đình học tập; 215.000 phụ nữ đạt Công dân học tập.",
                shortcomings: Some("Phụ nữ vùng sâu ít tiếp cận học trực tuyến."), proposals: None,
                values: &[(0, 812_000.0), (2, 215_000.0)],
            },
            ReportSpec {
                reporter: "HLHPN", kind: K::Annual, year: Some(2025), status: S::Submitted, dated: (2026, 1, 22),
                title: "Báo cáo năm 2025 của Hội Liên hiệp Phụ nữ Việt Nam",
                achievements: "905.000 hộ đăng ký; tổ chức 64 lớp kỹ năng số cho hội viên.",
                shortcomings: None, proposals: Some("Hội Khuyến học cung cấp tài liệu hướng dẫn đánh giá."),
                values: &[(0, 905_000.0)],
            },
            ReportSpec {
                reporter: "VAPE", kind: K::MidTerm, year: None, status: S::Draft, dated: (2025, 9, 15),
                title: "Sơ kết giữa kỳ Chương trình phối hợp với Hội Liên hiệp Phụ nữ Việt Nam",
                achievements: "Đang tổng hợp.",
                shortcomings: None, proposals: None,
                values: &[(1, 58.0)],
            },
        ],
    },
    ProgramSpec {
        code: "CTPH-TWDOAN-2023", owner: "VAPE",
        title: "Chương trình phối hợp giữa Trung ương Đoàn TNCS Hồ Chí Minh và Hội Khuyến học Việt Nam về thanh niên học tập suốt đời giai đoạn 2023–2028",
        agreement: Some("04/CTPH-TWĐTN-KHVN"), signed: Some(((2023, 3, 26), "Hà Nội")),
        period: ((2023, 3, 26), (2028, 3, 26)), status: P::Active, termination_reason: None,
        objectives: "Thanh niên là lực lượng xung kích xây dựng xã hội học tập, công dân học tập.",
        areas: &[
            "Công dân học tập",
            "Chuyển đổi số trong học tập",
            "Học bổng cho đoàn viên vượt khó",
        ],
        parties: &[
            ("VAPE", R::Association, Some(("Nguyễn Đức Thành", "Phó Chủ tịch Hội Khuyến học Việt Nam")), ASSOCIATION_DUTIES),
            ("TWDOAN", R::Partner, Some(("Bùi Quang Huy", "Bí thư Trung ương Đoàn")), "Tổ chức lớp kỹ năng số; vận động đoàn viên tham gia học tập suốt đời."),
        ],
        basis: &["677/QĐ-TTg", "1373/QĐ-TTg"],
        commitments: &[
            ("TWDOAN", "Tổ chức lớp kỹ năng số cho đoàn viên, thanh niên", "Số lớp được tổ chức", "lớp", 2_000.0, (2028, 3, 26)),
            ("VAPE", "Trao học bổng cho đoàn viên vượt khó học giỏi", "Số suất học bổng", "suất", 3_000.0, (2028, 3, 26)),
        ],
        reports: &[ReportSpec {
            reporter: "TWDOAN",
            kind: K::Annual,
            year: Some(2024),
            status: S::Submitted,
            dated: (2025, 2, 10),
            title: "Báo cáo năm 2024 của Trung ương Đoàn",
            achievements: "Tổ chức 540 lớp kỹ năng số; trao 610 suất học bổng.",
            shortcomings: None,
            proposals: Some("Mở rộng nền tảng học trực tuyến dùng chung."),
            values: &[(0, 540.0), (1, 610.0)],
        }],
    },
    ProgramSpec {
        code: "CTPH-TRUYENTHONG-2024", owner: "VAPE",
        title: "Chương trình phối hợp truyền thông về khuyến học, khuyến tài, xây dựng xã hội học tập giữa Đài Truyền hình Việt Nam, Đài Tiếng nói Việt Nam và Hội Khuyến học Việt Nam giai đoạn 2024–2026",
        agreement: Some("05/CTPH-VTV-VOV-KHVN"), signed: Some(((2024, 10, 2), "Hà Nội")),
        period: ((2024, 10, 2), (2026, 12, 31)), status: P::Active, termination_reason: None,
        objectives: "Tuyên truyền rộng rãi phong trào khuyến học, tôn vinh các điển hình học tập.",
        areas: &[
            "Phóng sự, chuyên đề truyền hình",
            "Chương trình phát thanh",
            "Tôn vinh điển hình học tập",
        ],
        parties: &[
            ("VAPE", R::Association, Some(("Nguyễn Đức Thành", "Phó Chủ tịch Hội Khuyến học Việt Nam")), ASSOCIATION_DUTIES),
            ("VTV", R::Partner, Some(("Đỗ Thanh Hải", "Phó Tổng Giám đốc Đài Truyền hình Việt Nam")), "Sản xuất, phát sóng phóng sự về khuyến học."),
            ("VOV", R::Partner, Some(("Vũ Hải Quang", "Phó Tổng Giám đốc Đài Tiếng nói Việt Nam")), "Phát sóng chương trình phát thanh chuyên đề."),
            ("CDKH", R::Coordinator, None, "Cung cấp tư liệu, chuyên trang về điển hình khuyến học."),
        ],
        basis: &["1315/QĐ-TTg"],
        commitments: &[
            ("VTV", "Sản xuất phóng sự về điển hình học tập", "Số phóng sự phát sóng", "phóng sự", 48.0, (2026, 12, 31)),
            ("VOV", "Phát sóng chương trình chuyên đề khuyến học", "Số chương trình phát thanh", "chương trình", 96.0, (2026, 12, 31)),
            ("CDKH", "Xuất bản chuyên trang về điển hình khuyến học", "Số chuyên trang", "chuyên trang", 24.0, (2026, 12, 31)),
        ],
        reports: &[
            ReportSpec {
                reporter: "VAPE", kind: K::Annual, year: Some(2025), status: S::Submitted, dated: (2026, 1, 28),
                title: "Báo cáo kết quả truyền thông năm 2025",
                achievements: "26 phóng sự, 50 chương trình phát thanh, 13 chuyên trang.",
                shortcomings: Some("Tin bài về cấp xã còn ít."), proposals: None,
                values: &[(0, 26.0), (1, 50.0), (2, 13.0)],
            },
            ReportSpec {
                reporter: "VTV", kind: K::Annual, year: Some(2025), status: S::Draft, dated: (2026, 1, 20),
                title: "Báo cáo năm 2025 của Đài Truyền hình Việt Nam",
                achievements: "Phát sóng 26 phóng sự trong Tháng khuyến học.",
                shortcomings: None, proposals: None,
                values: &[(0, 26.0)],
            },
        ],
    },
    ProgramSpec {
        code: "CTPH-TLD-2019", owner: "VAPE",
        title: "Chương trình phối hợp giữa Tổng Liên đoàn Lao động Việt Nam và Hội Khuyến học Việt Nam về xây dựng đơn vị học tập trong doanh nghiệp giai đoạn 2019–2024",
        agreement: Some("06/CTPH-TLĐ-KHVN"), signed: Some(((2019, 7, 28), "Hà Nội")),
        period: ((2019, 7, 28), (2024, 7, 28)),
        status: P::Terminated,
        termination_reason: Some(
            "Hai bên thống nhất kết thúc sớm để xây dựng chương trình mới theo Thông tư 24/2023/TT-BGDĐT.",
        ),
        objectives: "Xây dựng doanh nghiệp, công đoàn cơ sở thành đơn vị học tập.",
        areas: &[
            "Đơn vị học tập trong doanh nghiệp",
            "Ban Khuyến học trong doanh nghiệp",
        ],
        parties: &[
            ("VAPE", R::Association, Some(("Nguyễn Đức Thành", "Phó Chủ tịch Hội Khuyến học Việt Nam")), ASSOCIATION_DUTIES),
            ("TLD", R::Partner, Some(("Phan Văn Anh", "Phó Chủ tịch Tổng Liên đoàn Lao động Việt Nam")), "Chỉ đạo công đoàn cơ sở vận động người lao động học tập."),
        ],
        basis: &["49-KL/TW"],
        commitments: &[
            ("TLD", "Xây dựng đơn vị học tập trong doanh nghiệp", "Số doanh nghiệp đạt Đơn vị học tập", "doanh nghiệp", 500.0, (2024, 7, 28)),
            ("VAPE", "Thành lập Ban Khuyến học trong doanh nghiệp", "Số Ban Khuyến học được thành lập", "ban", 1_000.0, (2024, 7, 28)),
        ],
        reports: &[ReportSpec {
            reporter: "VAPE",
            kind: K::MidTerm,
            year: None,
            status: S::Acknowledged,
            dated: (2021, 8, 10),
            title: "Sơ kết 2 năm Chương trình phối hợp với Tổng Liên đoàn Lao động Việt Nam",
            achievements: "Thành lập 410 Ban Khuyến học; 130 doanh nghiệp đạt Đơn vị học tập.",
            shortcomings: Some("Doanh nghiệp ngoài nhà nước ít tham gia."),
            proposals: Some("Điều chỉnh tiêu chí phù hợp doanh nghiệp."),
            values: &[(0, 130.0), (1, 410.0)],
        }],
    },
    ProgramSpec {
        code: "CTPH-HND-2027", owner: "VAPE",
        title: "Dự thảo Chương trình phối hợp giữa Hội Nông dân Việt Nam và Hội Khuyến học Việt Nam về nông dân học tập, làm giàu giai đoạn 2027–2031",
        agreement: None, signed: None,
        period: ((2027, 1, 1), (2031, 12, 31)), status: P::Draft, termination_reason: None,
        objectives: "Nông dân học tập suốt đời, ứng dụng khoa học kỹ thuật vào sản xuất.",
        areas: &[
            "Học tập gắn với sản xuất nông nghiệp",
            "Chuyển đổi số cho nông dân",
        ],
        parties: &[
            ("VAPE", R::Association, None, ASSOCIATION_DUTIES),
            ("HND", R::Partner, None, "Vận động hội viên nông dân tham gia học tập."),
        ],
        basis: &["1373/QĐ-TTg"],
        commitments: &[
            ("HND", "Mở lớp chuyển giao kỹ thuật cho nông dân", "Số lớp được mở", "lớp", 3_000.0, (2031, 12, 31)),
            ("VAPE", "Công nhận hộ nông dân đạt Gia đình học tập", "Số hộ được công nhận", "hộ", 200_000.0, (2031, 12, 31)),
        ],
        reports: &[],
    },
    ProgramSpec {
        code: "CTPH-HN-CAHN-2024", owner: "HN",
        title: "Chương trình phối hợp giữa Hội Khuyến học thành phố Hà Nội và Công an thành phố Hà Nội về khuyến học, khuyến tài trong lực lượng Công an Thủ đô giai đoạn 2024–2027",
        agreement: Some("12/CTPH-CATP-HKH"), signed: Some(((2024, 5, 15), "Hà Nội")),
        period: ((2024, 5, 15), (2027, 5, 15)), status: P::Active, termination_reason: None,
        objectives: "Xây dựng Đơn vị học tập trong các đơn vị Công an thành phố; khuyến học cho con em cán bộ, chiến sĩ.",
        areas: &[
            "Đơn vị học tập",
            "Học bổng cho con em cán bộ, chiến sĩ",
            "Công dân học tập trong lực lượng công an",
        ],
        parties: &[
            ("HN", R::Association, Some(("Trần Thị Thu Hà", "Chủ tịch Hội Khuyến học thành phố Hà Nội")), ASSOCIATION_DUTIES),
            ("CAHN", R::Partner, Some(("Nguyễn Thanh Tùng", "Phó Giám đốc Công an thành phố Hà Nội")), "Chỉ đạo các đơn vị xây dựng Đơn vị học tập."),
        ],
        basis: &["24/2023/TT-BGDĐT", "49-KL/TW"],
        commitments: &[
            ("CAHN", "Xây dựng Đơn vị học tập trong các đơn vị Công an thành phố", "Số đơn vị được công nhận Đơn vị học tập", "đơn vị", 30.0, (2027, 5, 15)),
            ("HN", "Trao học bổng cho con cán bộ, chiến sĩ học giỏi", "Số suất học bổng", "suất", 300.0, (2027, 5, 15)),
        ],
        reports: &[
            ReportSpec {
                reporter: "CAHN", kind: K::Annual, year: Some(2024), status: S::Acknowledged, dated: (2025, 1, 12),
                title: "Báo cáo năm 2024 của Công an thành phố Hà Nội",
                achievements: "8 đơn vị được công nhận Đơn vị học tập.",
                shortcomings: None, proposals: None,
                values: &[(0, 8.0)],
            },
            ReportSpec {
                reporter: "HN", kind: K::Annual, year: Some(2025), status: S::Submitted, dated: (2026, 1, 9),
                title: "Báo cáo năm 2025 của Hội Khuyến học thành phố Hà Nội",
                achievements: "Trao 120 suất học bổng; 17 đơn vị đạt Đơn vị học tập.",
                shortcomings: None, proposals: Some("Nhân rộng mô hình ở công an cấp xã."),
                values: &[(0, 17.0), (1, 120.0)],
            },
            ReportSpec {
                reporter: "HN-BADINH", kind: K::Annual, year: Some(2025), status: S::Draft, dated: (2026, 1, 6),
                title: "Báo cáo năm 2025 của Hội Khuyến học phường Ba Đình",
                achievements: "Phối hợp với Công an phường trao 12 suất học bổng.",
                shortcomings: None, proposals: None,
                values: &[(1, 12.0)],
            },
        ],
    },
    ProgramSpec {
        code: "CTPH-HCM-THANHDOAN-2025", owner: "HCM",
        title: "Chương trình phối hợp giữa Hội Khuyến học Thành phố Hồ Chí Minh và Thành Đoàn Thành phố Hồ Chí Minh về thanh niên học tập suốt đời giai đoạn 2025–2030",
        agreement: Some("07/CTPH-TĐ-HKH"), signed: Some(((2025, 3, 26), "Thành phố Hồ Chí Minh")),
        period: ((2025, 3, 26), (2030, 12, 31)), status: P::Active, termination_reason: None,
        objectives: "Đoàn viên, thanh niên thành phố đạt danh hiệu Công dân học tập.",
        areas: &["Công dân học tập", "Kỹ năng số cho thanh niên"],
        parties: &[
            ("HCM", R::Association, Some(("Phạm Thanh Sơn", "Chủ tịch Hội Khuyến học Thành phố Hồ Chí Minh")), ASSOCIATION_DUTIES),
            ("HCM-THANHDOAN", R::Partner, Some(("Ngô Minh Hải", "Phó Bí thư Thành Đoàn")), "Vận động đoàn viên đăng ký Công dân học tập."),
        ],
        basis: &["677/QĐ-TTg"],
        commitments: &[
            ("HCM-THANHDOAN", "Vận động đoàn viên đạt danh hiệu Công dân học tập", "Tỷ lệ đoàn viên đạt Công dân học tập", "%", 60.0, (2030, 12, 31)),
            ("HCM", "Tập huấn tiêu chí Công dân học tập cho cán bộ Đoàn", "Số cán bộ Đoàn được tập huấn", "người", 1_500.0, (2027, 12, 31)),
        ],
        reports: &[
            ReportSpec {
                reporter: "HCM-SAIGON", kind: K::Annual, year: Some(2025), status: S::Submitted, dated: (2026, 1, 8),
                title: "Báo cáo năm 2025 của Hội Khuyến học phường Sài Gòn",
                achievements: "Tập huấn 85 cán bộ Đoàn phường.",
                shortcomings: None, proposals: None,
                values: &[(1, 85.0)],
            },
            ReportSpec {
                reporter: "HCM-THANHDOAN", kind: K::Annual, year: Some(2025), status: S::Draft, dated: (2026, 1, 15),
                title: "Báo cáo năm 2025 của Thành Đoàn Thành phố Hồ Chí Minh",
                achievements: "34% đoàn viên đạt Công dân học tập.",
                shortcomings: None, proposals: None,
                values: &[(0, 34.0)],
            },
        ],
    },
];
