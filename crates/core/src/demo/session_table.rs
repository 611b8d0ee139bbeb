//! The training sessions of the demo, as data: the central association's national training
//! (online, ten connection points), branch sessions in Hà Nội, TP. Hồ Chí Minh and communes,
//! sessions in the learning-promotion month (5/9–5/10) and the lifelong-learning week (1–7/10),
//! held, planned and cancelled.
//!
//! Times are UTC: 01:00 UTC is 08:00 in Vietnam. Speakers are fictional.

use super::Ymd;
use crate::entity::enums::{Audience as A, SessionMode as M, SessionStatus as S};

/// One training session.
pub(super) struct SessionSpec {
    pub organiser: &'static str,
    pub co_organisers: &'static [&'static str],
    /// Code of the program the session serves.
    pub program: Option<&'static str>,
    pub title: &'static str,
    pub description: &'static str,
    pub audience: &'static [A],
    pub mode: M,
    pub venue: Option<&'static str>,
    pub online_url: Option<&'static str>,
    /// Day, starting at 08:00 local time.
    pub day: Ymd,
    pub hours: u32,
    pub capacity: Option<i32>,
    pub planned: i32,
    pub status: S,
    pub cancellation_reason: Option<&'static str>,
    /// Title and, when tied to one, the number of a legal document.
    pub topics: &'static [(&'static str, Option<&'static str>)],
    /// Name, title, affiliation.
    pub speakers: &'static [(&'static str, &'static str, &'static str)],
    /// Organisation code, name, address, expected participants.
    pub connection_points: &'static [(&'static str, &'static str, &'static str, i32)],
    pub registrants: Registrants,
}

/// Who registered for a session.
pub(super) struct Registrants {
    /// Registrations in all.
    pub count: usize,
    /// Of those, how many were cancelled.
    pub cancelled: usize,
    /// Of the live ones, how many attended.
    pub attended: usize,
    /// Organisations the registrants come from (cycled); ignored when the session has
    /// connection points (each registrant then comes from a point's organisation).
    pub from: &'static [&'static str],
    /// Free-text organisations (not in the tree) used for every fourth registrant.
    pub named: &'static [&'static str],
}

const MAIN_HALL: &str = "Hội trường Hội Khuyến học Việt Nam, Hà Nội";

#[rustfmt::skip]
pub(super) const SESSIONS: &[SessionSpec] = &[
    SessionSpec {
        organiser: "VAPE", co_organisers: &["MOET-GDTX"], program: Some("CTPH-BGDDT-2021"),
        title: "Hội nghị tập huấn công tác khuyến học, khuyến tài, xây dựng xã hội học tập năm 2025",
        description: "Tập huấn trực tuyến toàn quốc cho cán bộ chủ chốt các cấp Hội sau sắp xếp đơn vị hành chính.",
        audience: &[A::KeyStaff, A::CommuneStaff], mode: M::Online, venue: None,
        online_url: Some("https://truc-tuyen.demo.khuyenhoc.vn/tap-huan-2025"),
        day: (2025, 9, 10), hours: 7, capacity: None, planned: 150, status: S::Held, cancellation_reason: None,
        topics: &[
            ("Quán triệt Kết luận 49-KL/TW của Ban Bí thư", Some("49-KL/TW")),
            ("Triển khai Đề án Xây dựng xã hội học tập giai đoạn 2021–2030", Some("1373/QĐ-TTg")),
            ("Hướng dẫn đánh giá, công nhận Cộng đồng học tập cấp xã", Some("25/2023/TT-BGDĐT")),
            ("Tổ chức các cấp Hội sau sắp xếp đơn vị hành chính", Some("202/2025/QH15")),
        ],
        speakers: &[
            ("PGS.TS. Nguyễn Thị Lan", "Phó Chủ tịch", "Hội Khuyến học Việt Nam"),
            ("ThS. Trần Văn Bình", "Phó Vụ trưởng", "Vụ Giáo dục thường xuyên, Bộ Giáo dục và Đào tạo"),
            ("Lê Thị Hồng", "Trưởng Ban Công tác Hội", "Hội Khuyến học Việt Nam"),
        ],
        connection_points: &[
            ("VAPE", "Điểm cầu chính: Hội Khuyến học Việt Nam", MAIN_HALL, 30),
            ("HN", "Điểm cầu thành phố Hà Nội", "Hội trường Hội Khuyến học thành phố Hà Nội", 15),
            ("HCM", "Điểm cầu Thành phố Hồ Chí Minh", "Hội trường Hội Khuyến học Thành phố Hồ Chí Minh", 15),
            ("HP", "Điểm cầu thành phố Hải Phòng", "Hội Khuyến học thành phố Hải Phòng", 10),
            ("DN", "Điểm cầu thành phố Đà Nẵng", "Hội Khuyến học thành phố Đà Nẵng", 10),
            ("HUE", "Điểm cầu thành phố Huế", "Hội Khuyến học thành phố Huế", 10),
            ("CT", "Điểm cầu thành phố Cần Thơ", "Hội Khuyến học thành phố Cần Thơ", 10),
            ("TQ", "Điểm cầu tỉnh Tuyên Quang", "Hội Khuyến học tỉnh Tuyên Quang", 10),
            ("NA", "Điểm cầu tỉnh Nghệ An", "Hội Khuyến học tỉnh Nghệ An", 10),
            ("AG", "Điểm cầu tỉnh An Giang", "Hội Khuyến học tỉnh An Giang", 10),
        ],
        registrants: Registrants { count: 40, cancelled: 2, attended: 36, from: &[], named: &[] },
    },
    SessionSpec {
        organiser: "VAPE", co_organisers: &["MOET-GDTX"], program: Some("CTPH-BGDDT-2021"),
        title: "Tập huấn triển khai Thông tư 24/2023/TT-BGDĐT và 25/2023/TT-BGDĐT về đánh giá Đơn vị học tập, Cộng đồng học tập",
        description: "Giới thiệu tiêu chí mới theo mức độ 1 (Khá) và mức độ 2 (Tốt), quy trình hồ sơ và thời hạn công nhận.",
        audience: &[A::KeyStaff, A::BoardMembers], mode: M::Hybrid, venue: Some(MAIN_HALL),
        online_url: Some("https://truc-tuyen.demo.khuyenhoc.vn/thong-tu-24-25"),
        day: (2024, 4, 16), hours: 4, capacity: Some(150), planned: 130, status: S::Held, cancellation_reason: None,
        topics: &[
            ("Tiêu chí Đơn vị học tập", Some("24/2023/TT-BGDĐT")),
            ("Tiêu chí Cộng đồng học tập cấp xã", Some("25/2023/TT-BGDĐT")),
        ],
        speakers: &[("ThS. Trần Văn Bình", "Phó Vụ trưởng", "Vụ Giáo dục thường xuyên, Bộ Giáo dục và Đào tạo")],
        connection_points: &[],
        registrants: Registrants { count: 30, cancelled: 0, attended: 28, from: &["HN", "HCM", "HP", "DN", "CT", "NB", "TH", "NA", "HUE", "PT"], named: &[] },
    },
    SessionSpec {
        organiser: "VAPE", co_organisers: &["HLHPN"], program: Some("CTPH-HLHPN-2022"),
        title: "Tập huấn đánh giá, công nhận Gia đình học tập cho cán bộ Hội Liên hiệp Phụ nữ",
        description: "Tổ chức nhân Ngày Khuyến học Việt Nam 2/10, trong Tuần lễ học tập suốt đời.",
        audience: &[A::PartnerStaff], mode: M::InPerson,
        venue: Some("Hội trường Hội Liên hiệp Phụ nữ Việt Nam, Hà Nội"), online_url: None,
        day: (2025, 10, 2), hours: 4, capacity: Some(120), planned: 110, status: S::Held, cancellation_reason: None,
        topics: &[
            ("Đề án thúc đẩy học tập suốt đời trong gia đình, dòng họ, cộng đồng", Some("387/QĐ-TTg")),
            ("Tiêu chí Gia đình học tập", Some("448/QĐ-KHVN")),
        ],
        speakers: &[("Nguyễn Thị Lan", "Phó Chủ tịch", "Hội Khuyến học Việt Nam"), ("Hà Thị Nga", "Phó Chủ tịch", "Hội Liên hiệp Phụ nữ Việt Nam")],
        connection_points: &[],
        registrants: Registrants { count: 24, cancelled: 0, attended: 22, from: &["HLHPN", "HLHPN-GDXH"], named: &["Hội Liên hiệp Phụ nữ thành phố Hà Nội", "Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh"] },
    },
    SessionSpec {
        organiser: "HN", co_organisers: &[], program: Some("CTPH-BGDDT-2021"),
        title: "Tập huấn đánh giá, công nhận Gia đình học tập, Dòng họ học tập cho cán bộ cấp xã thành phố Hà Nội",
        description: "Hưởng ứng Tháng khuyến học; hướng dẫn chấm điểm và lập hồ sơ công nhận.",
        audience: &[A::CommuneStaff, A::BranchHeads], mode: M::InPerson,
        venue: Some("Hội trường Hội Khuyến học thành phố Hà Nội"), online_url: None,
        day: (2025, 9, 18), hours: 7, capacity: Some(140), planned: 130, status: S::Held, cancellation_reason: None,
        topics: &[
            ("Tiêu chí Gia đình học tập, Dòng họ học tập", Some("448/QĐ-KHVN")),
            ("Mục tiêu học tập suốt đời đến năm 2030", Some("387/QĐ-TTg")),
        ],
        speakers: &[("Trần Thị Thu Hà", "Chủ tịch", "Hội Khuyến học thành phố Hà Nội")],
        connection_points: &[],
        registrants: Registrants { count: 35, cancelled: 1, attended: 31, from: &["HN-BADINH", "HN-HOANKIEM", "HN-CAUGIAY", "HN-HADONG", "HN-SOCSON", "HN-BAVI"], named: &["Trung tâm học tập cộng đồng xã Ba Vì", "Trường THCS Nguyễn Du"] },
    },
    SessionSpec {
        organiser: "HN", co_organisers: &["CAHN"], program: Some("CTPH-HN-CAHN-2024"),
        title: "Tập huấn xây dựng Đơn vị học tập trong Công an thành phố Hà Nội",
        description: "Hướng dẫn các đơn vị tự đánh giá theo tiêu chí Đơn vị học tập.",
        audience: &[A::PartnerStaff, A::KeyStaff], mode: M::InPerson,
        venue: Some("Hội trường Công an thành phố Hà Nội"), online_url: None,
        day: (2026, 9, 22), hours: 4, capacity: Some(120), planned: 110, status: S::Held, cancellation_reason: None,
        topics: &[("Tiêu chí Đơn vị học tập", Some("24/2023/TT-BGDĐT"))],
        speakers: &[("Trần Thị Thu Hà", "Chủ tịch", "Hội Khuyến học thành phố Hà Nội")],
        connection_points: &[],
        registrants: Registrants { count: 20, cancelled: 0, attended: 18, from: &["CAHN"], named: &["Công an phường Ba Đình", "Công an xã Sóc Sơn"] },
    },
    SessionSpec {
        organiser: "HN", co_organisers: &[], program: None,
        title: "Hưởng ứng Tuần lễ học tập suốt đời năm 2027: chuyển đổi số trong học tập cộng đồng",
        description: "Tập huấn kết hợp trực tiếp và trực tuyến tới các xã, phường.",
        audience: &[A::CommuneStaff, A::BranchHeads, A::Members], mode: M::Hybrid,
        venue: Some("Hội trường Hội Khuyến học thành phố Hà Nội"),
        online_url: Some("https://truc-tuyen.demo.khuyenhoc.vn/ha-noi-tuan-le-2027"),
        day: (2027, 10, 1), hours: 4, capacity: Some(150), planned: 140, status: S::Planned, cancellation_reason: None,
        topics: &[("Xây dựng xã hội học tập giai đoạn 2021–2030", Some("1373/QĐ-TTg")), ("Kỹ năng số cho người học suốt đời", None)],
        speakers: &[],
        connection_points: &[
            ("HN-BADINH", "Điểm cầu phường Ba Đình", "Nhà văn hóa phường Ba Đình", 20),
            ("HN-HOANKIEM", "Điểm cầu phường Hoàn Kiếm", "Nhà văn hóa phường Hoàn Kiếm", 20),
            ("HN-CAUGIAY", "Điểm cầu phường Cầu Giấy", "Nhà văn hóa phường Cầu Giấy", 20),
            ("HN-SOCSON", "Điểm cầu xã Sóc Sơn", "Trung tâm học tập cộng đồng xã Sóc Sơn", 20),
            ("HN-BAVI", "Điểm cầu xã Ba Vì", "Trung tâm học tập cộng đồng xã Ba Vì", 20),
        ],
        registrants: Registrants { count: 15, cancelled: 1, attended: 0, from: &[], named: &[] },
    },
    SessionSpec {
        organiser: "HN-BADINH", co_organisers: &[], program: None,
        title: "Tập huấn kỹ năng số cho chi hội trưởng phường Ba Đình",
        description: "Quản lý hội viên và hồ sơ Gia đình học tập trên phần mềm.",
        audience: &[A::BranchHeads], mode: M::InPerson, venue: Some("Nhà văn hóa phường Ba Đình"), online_url: None,
        day: (2026, 12, 12), hours: 4, capacity: Some(20), planned: 20, status: S::Planned, cancellation_reason: None,
        topics: &[("Ứng dụng công nghệ số trong quản lý hội viên", None), ("Hồ sơ đánh giá Gia đình học tập", Some("448/QĐ-KHVN"))],
        speakers: &[("Đặng Thu Hương", "Phó Chủ tịch", "Hội Khuyến học phường Ba Đình")],
        connection_points: &[],
        registrants: Registrants { count: 12, cancelled: 2, attended: 0, from: &["HN-BADINH-TDP5", "HN-BADINH-TH", "HN-BADINH"], named: &[] },
    },
    SessionSpec {
        organiser: "HCM", co_organisers: &["HCM-THANHDOAN"], program: Some("CTPH-HCM-THANHDOAN-2025"),
        title: "Tập huấn Công dân học tập cho cán bộ Đoàn Thành phố Hồ Chí Minh",
        description: "Tổ chức trong Tuần lễ học tập suốt đời năm 2026.",
        audience: &[A::PartnerStaff, A::KeyStaff], mode: M::InPerson,
        venue: Some("Nhà Văn hóa Thanh niên Thành phố Hồ Chí Minh"), online_url: None,
        day: (2026, 10, 3), hours: 6, capacity: Some(150), planned: 120, status: S::Held, cancellation_reason: None,
        topics: &[("Đề án xây dựng mô hình Công dân học tập", Some("677/QĐ-TTg")), ("Tiêu chí Công dân học tập", Some("324/QĐ-KHVN"))],
        speakers: &[("Phạm Thanh Sơn", "Chủ tịch", "Hội Khuyến học Thành phố Hồ Chí Minh")],
        connection_points: &[],
        registrants: Registrants { count: 30, cancelled: 1, attended: 27, from: &["HCM-THANHDOAN", "HCM-SAIGON", "HCM-BENTHANH", "HCM-THUDAUMOT", "HCM-VUNGTAU"], named: &["Đoàn Trường Đại học Sư phạm"] },
    },
    SessionSpec {
        organiser: "HCM-CUCHI", co_organisers: &[], program: None,
        title: "Tuần lễ học tập suốt đời năm 2027: tập huấn cho chi hội trưởng xã Củ Chi",
        description: "Hướng dẫn vận động các gia đình đăng ký Gia đình học tập.",
        audience: &[A::BranchHeads, A::Members], mode: M::InPerson,
        venue: Some("Trung tâm học tập cộng đồng xã Củ Chi"), online_url: None,
        day: (2027, 10, 2), hours: 4, capacity: Some(50), planned: 45, status: S::Planned, cancellation_reason: None,
        topics: &[("Học tập suốt đời trong gia đình, dòng họ", Some("387/QĐ-TTg"))],
        speakers: &[("Lý Văn Tâm", "Chủ tịch", "Hội Khuyến học xã Củ Chi")],
        connection_points: &[],
        registrants: Registrants { count: 8, cancelled: 0, attended: 0, from: &["HCM-CUCHI-PHUHOA", "HCM-CUCHI-HOTRAN", "HCM-BKH-DMCC"], named: &[] },
    },
    SessionSpec {
        organiser: "VAPE", co_organisers: &["VTV", "VOV", "CDKH"], program: Some("CTPH-TRUYENTHONG-2024"),
        title: "Tập huấn kỹ năng truyền thông về khuyến học cho phóng viên, biên tập viên",
        description: "Kỹ năng khai thác, giới thiệu điển hình học tập.",
        audience: &[A::PartnerStaff], mode: M::Hybrid, venue: Some(MAIN_HALL),
        online_url: Some("https://truc-tuyen.demo.khuyenhoc.vn/truyen-thong"),
        day: (2025, 11, 12), hours: 6, capacity: Some(60), planned: 60, status: S::Cancelled,
        cancellation_reason: Some("Lùi lại do trùng lịch hội nghị tổng kết phong trào thi đua của Trung ương; sẽ tổ chức lại trong năm 2026."),
        topics: &[("Phong trào thi đua xây dựng xã hội học tập", Some("1315/QĐ-TTg"))],
        speakers: &[],
        connection_points: &[],
        registrants: Registrants { count: 6, cancelled: 6, attended: 0, from: &["VTV", "VOV", "CDKH"], named: &[] },
    },
    SessionSpec {
        organiser: "NB-HOALU", co_organisers: &[], program: None,
        title: "Tập huấn xây dựng Dòng họ học tập phường Hoa Lư",
        description: "Dành cho trưởng các dòng họ và chi hội trưởng.",
        audience: &[A::Members, A::BranchHeads], mode: M::InPerson, venue: Some("Nhà văn hóa phường Hoa Lư"), online_url: None,
        day: (2027, 9, 8), hours: 4, capacity: None, planned: 80, status: S::Planned, cancellation_reason: None,
        topics: &[("Tiêu chí Dòng họ học tập", Some("448/QĐ-KHVN"))],
        speakers: &[("Vũ Đức Thịnh", "Chủ tịch", "Hội Khuyến học phường Hoa Lư")],
        connection_points: &[],
        registrants: Registrants { count: 5, cancelled: 0, attended: 0, from: &["NB-HOALU"], named: &["Dòng họ Đinh phường Hoa Lư", "Dòng họ Trương phường Hoa Lư"] },
    },
];
