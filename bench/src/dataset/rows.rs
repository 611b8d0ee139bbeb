//! Backend-neutral rows: the generator emits [`Batch`]es of [`Cell`]s for a [`Table`], and each
//! loader (`crate::load`) renders them for its database (COPY text for PostgreSQL, bound
//! parameters for SQLite).
//!
//! Column lists here must match the migrations (`migrations/src/`); a mismatch fails the load
//! with the database's own error, which names the column.

use chrono::NaiveDate;

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// SQL NULL.
    Null,
    /// An integer (ids, counts, years).
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text (also JSON text and enum values).
    Text(String),
    /// A boolean.
    Bool(bool),
    /// An instant, seconds since the Unix epoch (UTC).
    Ts(i64),
    /// A calendar date.
    Date(NaiveDate),
}

impl Cell {
    /// `Text` from anything string-like.
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(s.into())
    }

    /// `Int`, or `Null` for `None`.
    pub fn opt_int(v: Option<i64>) -> Self {
        v.map_or(Self::Null, Self::Int)
    }

    /// `Ts`, or `Null` for `None`.
    pub fn opt_ts(v: Option<i64>) -> Self {
        v.map_or(Self::Null, Self::Ts)
    }

    /// `Text`, or `Null` for `None`.
    pub fn opt_text(v: Option<String>) -> Self {
        v.map_or(Self::Null, Self::Text)
    }
}

/// An instant as the server stores it on SQLite (sqlx's encoding: RFC 3339 with `+00:00`), so
/// text comparisons against the server's bound parameters order correctly.
pub fn sqlite_timestamp(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+00:00")
}

/// An instant as a PostgreSQL `timestamptz` literal.
pub fn postgres_timestamp(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}+00")
}

/// UTC calendar fields of `secs` since the epoch (H. Hinnant's `civil_from_days`): the loaders
/// format millions of instants, and this is several times cheaper than going through chrono.
fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3_600, rem % 3_600 / 60, rem % 60)
}

/// A row: one cell per column of its table, in the table's column order.
pub type Row = Vec<Cell>;

/// A table the generator fills, with the columns it writes.
#[derive(Debug)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// Column names, in row order.
    pub columns: &'static [&'static str],
}

/// Rows for one table, sent from the generator thread to the loader.
#[derive(Debug)]
pub struct Batch {
    /// Where the rows go.
    pub table: &'static Table,
    /// The rows.
    pub rows: Vec<Row>,
}

macro_rules! tables {
    ($($konst:ident = $name:literal [$($col:literal),+ $(,)?];)+) => {
        $(
            #[doc = concat!("The `", $name, "` table.")]
            pub static $konst: Table = Table { name: $name, columns: &[$($col),+] };
        )+
        /// Every table the generator writes, parents before children (load and count order).
        pub static ALL: &[&Table] = &[$(&$konst),+];
    };
}

tables! {
    ORGANISATION = "organisation" ["id", "code", "name", "short_name", "name_search", "kind",
        "status", "parent_id", "path", "depth", "created_at", "updated_at", "version"];
    APP_USER = "app_user" ["id", "email", "display_name", "display_name_search", "status",
        "created_at", "updated_at", "version"];
    MEMBERSHIP = "membership" ["id", "user_id", "organisation_id", "role", "granted_at"];
    PROGRAM = "program" ["id", "code", "owner_id", "title", "title_search", "agreement_number",
        "signed_on", "starts_on", "ends_on", "status", "objectives", "content_areas",
        "termination_reason", "created_at", "updated_at", "version"];
    PROGRAM_PARTY = "program_party" ["id", "program_id", "organisation_id", "role",
        "signatory_name", "duties", "added_at"];
    COMMITMENT = "commitment" ["id", "program_id", "party_id", "position", "description",
        "indicator", "unit", "target_value", "due_on", "created_at", "updated_at", "version"];
    PROGRAM_REPORT = "program_report" ["id", "program_id", "reporting_organisation_id", "kind",
        "period_year", "title", "achievements", "status", "submitted_at", "acknowledged_at",
        "created_at", "updated_at", "version"];
    REPORT_INDICATOR_VALUE = "report_indicator_value" ["id", "report_id", "commitment_id",
        "value"];
    TRAINING_SESSION = "training_session" ["id", "organiser_id", "program_id", "title",
        "title_search", "audience", "mode", "venue", "online_url", "starts_at", "ends_at",
        "capacity", "status", "cancellation_reason", "registered_count", "attended_count",
        "created_at", "updated_at", "version"];
    REGISTRATION = "registration" ["id", "session_id", "person_name", "person_search",
        "organisation_id", "position", "contact", "dedup_key", "status", "attended",
        "attended_at", "created_at", "updated_at", "version"];
    CRITERIA_CHECKLIST = "criteria_checklist" ["id", "code", "version_no", "model", "style",
        "title", "title_search", "owner_id", "status", "recognition_validity_months",
        "next_level_wait_months", "published_at", "created_at", "updated_at", "version"];
    CHECKLIST_RESULT_LEVEL = "checklist_result_level" ["id", "checklist_id", "rank", "code",
        "label", "min_points"];
    CRITERIA_GROUP = "criteria_group" ["id", "checklist_id", "position", "code", "title",
        "max_points"];
    CRITERION = "criterion" ["id", "checklist_id", "group_id", "position", "code", "title",
        "max_points", "min_points", "required", "evidence_required", "required_from_level"];
    ASSESSMENT = "assessment" ["id", "checklist_id", "checklist_code", "model",
        "organisation_id", "subject_kind", "subject_organisation_id", "subject_name",
        "subject_search", "subject_key", "period_year", "status", "total_points", "result_rank",
        "result_code", "submitted_at", "approved_at", "approver_organisation_id",
        "return_comment", "created_at", "updated_at", "version"];
    ASSESSMENT_SCORE = "assessment_score" ["id", "assessment_id", "criterion_id", "points",
        "met"];
    ASSESSMENT_TRANSITION = "assessment_transition" ["id", "assessment_id", "from_status",
        "to_status", "actor_organisation_id", "comment", "occurred_at"];
    RECOGNITION_DECISION = "recognition_decision" ["id", "assessment_id", "organisation_id",
        "decision_number", "decided_on", "authority_name", "authority_organisation_id",
        "result_code", "result_label", "result_rank", "valid_until", "next_level_eligible_on",
        "created_at"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_match_each_backend() {
        use chrono::{DateTime, SecondsFormat};
        assert_eq!(sqlite_timestamp(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(postgres_timestamp(86_400), "1970-01-02 00:00:00+00");
        // The same text sqlx writes for a `DateTime<Utc>` on SQLite, over the generated range.
        for secs in (1_704_067_200_i64..1_830_000_000).step_by(7_777_777) {
            let expected = DateTime::from_timestamp(secs, 0)
                .map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, false));
            assert_eq!(Some(sqlite_timestamp(secs)), expected);
        }
    }

    #[test]
    fn tables_are_listed_parents_first() {
        let position = |name: &str| ALL.iter().position(|t| t.name == name);
        assert!(position("organisation") < position("membership"));
        assert!(position("assessment") < position("assessment_score"));
    }
}
