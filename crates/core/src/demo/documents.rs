//! The legal documents the domain refers to, owned by the central association: the Party's
//! directive and conclusion, the Prime Minister's decisions, the Ministry's circulars, the
//! association's own criteria decisions and the 2025 resolution on the provinces.
//!
//! Issue dates come from DOMAIN.md where it gives them; where it gives only a year or month the
//! day is a placeholder and `effective_on` is left empty.

use sea_orm::{ActiveModelTrait, NotSet, Set};

use super::{Seeder, Ymd, at, date};
use crate::Result;
use crate::entity::enums::LegalDocumentType as T;
use crate::entity::legal_document;
use crate::search;

/// One document: number, type, title, issuer, issued on, effective on.
type DocumentRow = (
    &'static str,
    T,
    &'static str,
    &'static str,
    Ymd,
    Option<Ymd>,
);

const DOCUMENTS: &[DocumentRow] = &[
    (
        "11-CT/TW",
        T::Directive,
        "Chỉ thị về tăng cường sự lãnh đạo của Đảng đối với công tác khuyến học, khuyến tài, xây dựng xã hội học tập",
        "Bộ Chính trị",
        (2007, 4, 13),
        Some((2007, 4, 13)),
    ),
    (
        "49-KL/TW",
        T::Conclusion,
        "Kết luận về tiếp tục thực hiện Chỉ thị số 11-CT/TW của Bộ Chính trị khóa X về tăng cường sự lãnh đạo của Đảng đối với công tác khuyến học, khuyến tài, xây dựng xã hội học tập",
        "Ban Bí thư Trung ương Đảng",
        (2019, 5, 10),
        Some((2019, 5, 10)),
    ),
    (
        "489/QĐ-TTg",
        T::Decision,
        "Quyết định ban hành Kế hoạch thực hiện Kết luận số 49-KL/TW ngày 10/5/2019 của Ban Bí thư",
        "Thủ tướng Chính phủ",
        (2020, 4, 8),
        Some((2020, 4, 8)),
    ),
    (
        "1373/QĐ-TTg",
        T::Decision,
        "Quyết định phê duyệt Đề án \"Xây dựng xã hội học tập giai đoạn 2021 – 2030\"",
        "Thủ tướng Chính phủ",
        (2021, 7, 30),
        Some((2021, 7, 30)),
    ),
    (
        "387/QĐ-TTg",
        T::Decision,
        "Quyết định phê duyệt Đề án \"Đẩy mạnh các hoạt động học tập suốt đời trong gia đình, dòng họ, cộng đồng, đơn vị đến năm 2030\"",
        "Thủ tướng Chính phủ",
        (2022, 3, 25),
        Some((2022, 3, 25)),
    ),
    (
        "677/QĐ-TTg",
        T::Decision,
        "Quyết định phê duyệt Đề án \"Đẩy mạnh xây dựng mô hình công dân học tập giai đoạn 2021 – 2030\"",
        "Thủ tướng Chính phủ",
        (2022, 6, 3),
        Some((2022, 6, 3)),
    ),
    (
        "1315/QĐ-TTg",
        T::Decision,
        "Quyết định về phong trào thi đua \"Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời\" giai đoạn 2023 – 2030",
        "Thủ tướng Chính phủ",
        (2023, 11, 1),
        None,
    ),
    (
        "24/2023/TT-BGDĐT",
        T::Circular,
        "Thông tư quy định tiêu chí, quy trình đánh giá, công nhận \"Đơn vị học tập\"",
        "Bộ Giáo dục và Đào tạo",
        (2023, 12, 1),
        None,
    ),
    (
        "25/2023/TT-BGDĐT",
        T::Circular,
        "Thông tư quy định tiêu chí, quy trình đánh giá, công nhận \"Cộng đồng học tập\" cấp xã",
        "Bộ Giáo dục và Đào tạo",
        (2023, 12, 1),
        None,
    ),
    (
        "448/QĐ-KHVN",
        T::Decision,
        "Quyết định ban hành Hướng dẫn tiêu chí đánh giá, công nhận \"Gia đình học tập\", \"Dòng họ học tập\", \"Cộng đồng học tập\" cấp thôn và \"Đơn vị học tập\" cấp cơ sở",
        "Hội Khuyến học Việt Nam",
        (2015, 1, 1),
        None,
    ),
    (
        "324/QĐ-KHVN",
        T::Decision,
        "Quyết định ban hành Hướng dẫn tiêu chí đánh giá, công nhận \"Công dân học tập\"",
        "Hội Khuyến học Việt Nam",
        (2023, 1, 1),
        None,
    ),
    (
        "202/2025/QH15",
        T::Resolution,
        "Nghị quyết về việc sắp xếp đơn vị hành chính cấp tỉnh",
        "Quốc hội",
        (2025, 6, 12),
        Some((2025, 6, 12)),
    ),
];

/// Later documents that replace earlier ones: (superseded, superseding).
const SUPERSEDED: &[(&str, &str)] = &[("448/QĐ-KHVN", "324/QĐ-KHVN")];

/// Seeds the documents and their supersession links.
pub(super) async fn seed(seeder: &mut Seeder<'_>) -> Result<()> {
    let owner = seeder.org_id("VAPE")?;
    let created_at = at((2025, 7, 1), 8)?;
    for (number, doc_type, title, issuer, issued, effective) in DOCUMENTS {
        let created = legal_document::ActiveModel {
            id: NotSet,
            owner_id: Set(owner),
            number: Set((*number).to_owned()),
            doc_type: Set(*doc_type),
            title: Set((*title).to_owned()),
            title_search: Set(search::normalize(title)),
            issuer: Set((*issuer).to_owned()),
            issued_on: Set(date(*issued)?),
            effective_on: Set(effective.map(date).transpose()?),
            superseded_by_id: Set(None),
            summary: Set(None),
            url: Set(None),
            created_at: Set(created_at),
            updated_at: Set(created_at),
            archived_at: Set(None),
            version: Set(1),
        }
        .insert(seeder.txn)
        .await?;
        seeder.documents.insert(number, created);
        seeder.report.legal_documents += 1;
    }
    for (old, new) in SUPERSEDED {
        let by = seeder.document_id(new)?;
        let Some(current) = seeder.documents.get(old).cloned() else {
            return Err(crate::Error::Internal(format!(
                "demo document {old} missing"
            )));
        };
        let mut next: legal_document::ActiveModel = current.into();
        next.superseded_by_id = Set(Some(by));
        let saved = next.update(seeder.txn).await?;
        seeder.documents.insert(old, saved);
    }
    Ok(())
}
