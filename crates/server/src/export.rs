//! `GET /export/assessments.csv`: the assessments the caller may read, with their per-criterion
//! scores, as a streamed CSV file.
//!
//! * **Authentication**: `Authorization: Bearer <token>`, as for `/graphql`; none or a bad one
//!   is 401. The scope is the same as everywhere: only assessments the caller may read.
//! * **Parameters**: see [`params`]; problems are 400 with the GraphQL error shape
//!   (`extensions.code = BAD_USER_INPUT`, one `extensions.fields` entry per bad parameter); an
//!   unreadable `withinOrganisation` is 404 `NOT_FOUND`.
//! * **Layout** (long, "tidy"): one row per assessment × criterion of its checklist version, in
//!   assessment id order and sheet order within an assessment; the assessment's columns repeat
//!   on each of its rows; unanswered criteria have empty `points`/`met`. See [`COLUMNS`].
//! * **Encoding**: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends.
//! * **Streaming**: the header goes out at once, then one chunk per page of
//!   [`khuyenhoc_core::service::export::PAGE_SIZE`] assessments read by keyset; memory stays
//!   flat whatever the size. A database failure after the first byte aborts the response (the
//!   client sees an incomplete transfer, never a silently truncated file).

mod csv;
mod params;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use khuyenhoc_core::Error;
use khuyenhoc_core::audit;
use khuyenhoc_core::service::export::{AssessmentExport, ExportedAssessment, SheetLine};
use khuyenhoc_graphql::id::{NodeType, encode};

use crate::auth::authenticate;
use crate::rejection::Rejection;
use crate::state::AppState;
use crate::telemetry::RequestId;

/// The header row.
pub const COLUMNS: [&str; 25] = [
    "assessment_id",
    "period_year",
    "model",
    "checklist_code",
    "checklist_version",
    "checklist_title",
    "organisation_code",
    "organisation_name",
    "subject_kind",
    "subject_name",
    "subject_organisation_code",
    "status",
    "total_points",
    "result_code",
    "result_rank",
    "result_label",
    "submitted_at",
    "approved_at",
    "group_code",
    "criterion_code",
    "criterion_title",
    "criterion_max_points",
    "points",
    "met",
    "evidence_note",
];

/// `GET /export/assessments.csv?year=…[&withinOrganisation=…][&model=…][&status=…]`.
pub async fn assessments(
    State(state): State<AppState>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let actor = match authenticate(&state, &headers).await {
        Ok(Some(actor)) => actor,
        Ok(None) => {
            return Rejection::new(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "authentication required: send a valid bearer token",
            )
            .into_response();
        }
        Err(rejection) => return rejection.into_response(),
    };
    let opened = audit::with_request_id(request_id.clone(), async {
        let filter = params::parse(query.as_deref().unwrap_or_default())?;
        let year = filter.year;
        let export = AssessmentExport::open(state.services.db.clone(), actor, filter).await?;
        Ok::<_, Error>((year, export))
    })
    .await;
    match opened {
        Ok((year, export)) => csv_response(year, export, request_id),
        Err(err) => failure(&err, &request_id),
    }
}

fn csv_response(year: i32, export: AssessmentExport, request_id: String) -> Response {
    let mut response = Body::from_stream(chunks(export, request_id)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(disposition) =
        HeaderValue::from_str(&format!("attachment; filename=\"assessments-{year}.csv\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The file: the BOM and header, then one chunk per page.
fn chunks(
    export: AssessmentExport,
    request_id: String,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let mut head = csv::Sheet::new();
    {
        let mut row = head.row();
        for column in COLUMNS {
            row.plain(column);
        }
    }
    let head = Bytes::from(format!("{}{}", csv::BOM, head.into_string()));
    let pages = futures::stream::unfold(Some(export), move |state| {
        let request_id = request_id.clone();
        async move {
            let mut export = state?;
            match export.next_page().await {
                Ok(Some(page)) => Some((Ok(Bytes::from(render(&page))), Some(export))),
                Ok(None) => None,
                Err(err) => {
                    tracing::error!(
                        request_id,
                        error = %khuyenhoc_core::error::one_line(&err),
                        "assessment export failed after the response started"
                    );
                    Some((Err(std::io::Error::other("export failed")), None))
                }
            }
        }
    });
    futures::StreamExt::chain(futures::stream::once(async move { Ok(head) }), pages)
}

/// The rows of one page.
fn render(page: &[ExportedAssessment]) -> String {
    let mut sheet = csv::Sheet::new();
    for exported in page {
        match exported.sheet.as_deref().map(|s| s.lines.as_slice()) {
            Some(lines) if !lines.is_empty() => {
                for line in lines {
                    write_row(&mut sheet, exported, Some(line));
                }
            }
            _ => write_row(&mut sheet, exported, None),
        }
    }
    sheet.into_string()
}

fn write_row(sheet: &mut csv::Sheet, exported: &ExportedAssessment, line: Option<&SheetLine>) {
    let a = &exported.assessment;
    let checklist = exported.sheet.as_deref().map(|s| &s.checklist);
    let org = exported.organisation.as_deref();
    let time = |t: Option<sea_orm::prelude::DateTimeUtc>| {
        t.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    };
    let score = line.and_then(|l| exported.scores.get(&l.criterion.id));
    let mut row = sheet.row();
    row.plain(encode(NodeType::Assessment, a.id).as_str())
        .plain(&a.period_year.to_string())
        .plain(a.model.as_str())
        .text(&a.checklist_code)
        .opt(checklist.map(|c| c.version_no))
        .text(checklist.map_or("", |c| c.title.as_str()))
        .text(org.map_or("", |o| o.code.as_str()))
        .text(org.map_or("", |o| o.name.as_str()))
        .plain(a.subject_kind.as_str())
        .text(&a.subject_name)
        .text(
            exported
                .subject_organisation
                .as_deref()
                .map_or("", |o| o.code.as_str()),
        )
        .plain(a.status.as_str())
        .opt(a.total_points)
        .text(&a.result_code)
        .plain(&a.result_rank.to_string())
        .text(&exported.result_label)
        .opt(time(a.submitted_at))
        .opt(time(a.approved_at))
        .text(line.map_or("", |l| l.group_code.as_str()))
        .text(line.map_or("", |l| l.criterion.code.as_str()))
        .text(line.map_or("", |l| l.criterion.title.as_str()))
        .opt(line.and_then(|l| l.criterion.max_points))
        .opt(score.and_then(|s| s.points))
        .opt(score.and_then(|s| s.met))
        .text(score.and_then(|s| s.evidence_note.as_deref()).unwrap_or(""));
}

/// An error before the first byte, as JSON in the GraphQL error shape, mapped once by
/// [`khuyenhoc_graphql::error::to_graphql`].
fn failure(err: &Error, request_id: &str) -> Response {
    let status = match err {
        Error::Invalid(_) => StatusCode::BAD_REQUEST,
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Database(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let gql = khuyenhoc_graphql::error::to_graphql(err);
    let mut extensions = serde_json::to_value(&gql.extensions).unwrap_or_default();
    if err.is_internal()
        && let Some(object) = extensions.as_object_mut()
    {
        object.insert("requestId".into(), request_id.into());
    }
    let body =
        serde_json::json!({ "errors": [{ "message": gql.message, "extensions": extensions }] });
    (status, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_every_column_once() {
        let mut names = COLUMNS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
    }

    #[test]
    fn errors_keep_their_code_and_fields() {
        let err = Error::invalid("year", "REQUIRED", "give the year");
        let response = failure(&err, "r1");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
}
