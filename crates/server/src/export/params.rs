//! The query string of `GET /export/assessments.csv`, checked field by field.
//!
//! | parameter            | required | value                                                  |
//! |----------------------|----------|--------------------------------------------------------|
//! | `year`               | yes      | the assessment period, 1990–2100                       |
//! | `withinOrganisation` | no       | an `Organisation` global id: assessments made in its subtree |
//! | `model`              | no       | a `LearningModel` value, e.g. `LEARNING_FAMILY`         |
//! | `status`             | no       | `AssessmentStatus` values, comma-separated              |
//!
//! Unknown or repeated parameters are refused rather than ignored: a mistyped filter must not
//! quietly export more than was asked for.

use async_graphql::ID;
use khuyenhoc_core::entity::enums::{AssessmentStatus, LearningModel};
use khuyenhoc_core::service::export::ExportFilter;
use khuyenhoc_core::{Error, FieldError};
use khuyenhoc_graphql::id::{NodeType, decode};
use sea_orm::Iterable;

const KNOWN: [&str; 4] = ["year", "withinOrganisation", "model", "status"];

/// Parses `query` into a filter, or `Invalid` with one error per bad parameter.
pub fn parse(query: &str) -> Result<ExportFilter, Error> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|_| {
        Error::invalid(
            "query",
            "MALFORMED",
            "the query string is not valid URL encoding",
        )
    })?;
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in &pairs {
        if !KNOWN.contains(&name.as_str()) {
            errors.push(FieldError::new(
                name.clone(),
                "UNKNOWN_PARAMETER",
                format!("unknown parameter; expected one of {}", KNOWN.join(", ")),
            ));
        } else if seen.contains(&name.as_str()) {
            errors.push(FieldError::new(
                name.clone(),
                "DUPLICATE_PARAMETER",
                "give this parameter once",
            ));
        } else {
            seen.push(name);
        }
    }
    let value = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim());
    let year = match value("year") {
        None | Some("") => {
            errors.push(FieldError::new(
                "year",
                "REQUIRED",
                "give the year, e.g. year=2025",
            ));
            None
        }
        Some(text) => text.parse::<i32>().ok().or_else(|| {
            errors.push(FieldError::new(
                "year",
                "INVALID",
                "the year must be a whole number",
            ));
            None
        }),
    };
    let within_organisation = value("withinOrganisation")
        .filter(|v| !v.is_empty())
        .and_then(|v| {
            decode(
                &ID(v.to_owned()),
                NodeType::Organisation,
                "withinOrganisation",
            )
            .map_err(|e| errors.extend(field_errors(e)))
            .ok()
        });
    let model = value("model").filter(|v| !v.is_empty()).and_then(|v| {
        let found = LearningModel::iter().find(|m| m.as_str() == v);
        if found.is_none() {
            errors.push(FieldError::new(
                "model",
                "INVALID",
                format!(
                    "not a learning model; expected one of {}",
                    names(LearningModel::iter().map(LearningModel::as_str))
                ),
            ));
        }
        found
    });
    let mut statuses = Vec::new();
    for part in value("status")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
    {
        if part.is_empty() {
            continue;
        }
        match AssessmentStatus::iter().find(|s| s.as_str() == part) {
            Some(status) if !statuses.contains(&status) => statuses.push(status),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "status",
                "INVALID",
                format!(
                    "not an assessment status; expected values among {}",
                    names(AssessmentStatus::iter().map(AssessmentStatus::as_str))
                ),
            )),
        }
    }
    match year {
        Some(year) if errors.is_empty() => Ok(ExportFilter {
            year,
            within_organisation,
            model,
            statuses,
        }),
        _ => Err(Error::Invalid(errors)),
    }
}

fn names<'a>(values: impl Iterator<Item = &'a str>) -> String {
    values.collect::<Vec<_>>().join(", ")
}

fn field_errors(err: Error) -> Vec<FieldError> {
    match err {
        Error::Invalid(errors) => errors,
        // Never the error's own text: a response carries no internals.
        _ => vec![FieldError::new(
            "withinOrganisation",
            "INVALID",
            "not a valid organisation id",
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(query: &str) -> Vec<(String, &'static str)> {
        match parse(query) {
            Err(Error::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn reads_a_full_query() {
        let id = khuyenhoc_graphql::id::encode(NodeType::Organisation, 7);
        let filter = parse(&format!(
            "year=2025&withinOrganisation={}&model=LEARNING_FAMILY&status=APPROVED,SUBMITTED",
            id.as_str()
        ))
        .expect("valid");
        assert_eq!(filter.year, 2025);
        assert_eq!(filter.within_organisation, Some(7));
        assert_eq!(filter.model, Some(LearningModel::LearningFamily));
        assert_eq!(
            filter.statuses,
            [AssessmentStatus::Approved, AssessmentStatus::Submitted]
        );
    }

    #[test]
    fn refuses_bad_missing_unknown_and_repeated_parameters() {
        assert_eq!(codes(""), [("year".to_owned(), "REQUIRED")]);
        assert_eq!(codes("year=abc"), [("year".to_owned(), "INVALID")]);
        assert_eq!(
            codes("year=2025&witinOrganisation=x"),
            [("witinOrganisation".to_owned(), "UNKNOWN_PARAMETER")]
        );
        assert_eq!(
            codes("year=2025&year=2024"),
            [("year".to_owned(), "DUPLICATE_PARAMETER")]
        );
        assert_eq!(
            codes("year=2025&model=FAMILY&status=DONE&withinOrganisation=nope"),
            [
                ("withinOrganisation".to_owned(), "INVALID_ID"),
                ("model".to_owned(), "INVALID"),
                ("status".to_owned(), "INVALID"),
            ]
        );
    }
}
