//! Input validation that collects every problem before anything is written.

use crate::{Error, FieldError, Result};

/// Longest accepted short text (names, titles, codes).
pub const MAX_SHORT_TEXT: usize = 300;
/// Longest accepted long text (descriptions, report sections).
pub const MAX_LONG_TEXT: usize = 20_000;

/// Collects field errors; [`Validator::finish`] fails with all of them.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// A validator with no errors.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error.
    pub fn error(
        &mut self,
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Records errors found elsewhere (e.g. by a shared check of nested input).
    pub fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        self.errors.extend(errors);
    }

    /// Records an error on `field` if `failed`.
    pub fn check(&mut self, failed: bool, field: &str, code: &'static str, message: &str) {
        if failed {
            self.error(field, code, message);
        }
    }

    /// A required, trimmed text of at most `max` characters; returns the trimmed value.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.error(field, "REQUIRED", "this field is required");
        } else {
            self.text_rules(field, trimmed, max);
        }
        trimmed.to_owned()
    }

    /// An optional text: blank becomes `None`; at most `max` characters.
    pub fn optional(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
        self.text_rules(field, trimmed, max);
        Some(trimmed.to_owned())
    }

    fn text_rules(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.error(field, "TOO_LONG", format!("at most {max} characters"));
        }
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.error(
                field,
                "INVALID_CHARACTERS",
                "control characters are not allowed",
            );
        }
    }

    /// A code: 1–64 characters of letters, digits, `-`, `_`, `.`; returned upper-cased.
    pub fn code(&mut self, field: &str, value: &str) -> String {
        let code = value.trim().to_uppercase();
        let valid = !code.is_empty()
            && code.len() <= 64
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        self.check(
            !valid,
            field,
            "INVALID_FORMAT",
            "a code is 1 to 64 letters, digits, '-', '_' or '.'",
        );
        code
    }

    /// An optional email address, lower-cased.
    pub fn email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let email = value
            .map(str::trim)
            .filter(|v| !v.is_empty())?
            .to_lowercase();
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
            })
            && !email.chars().any(char::is_whitespace);
        self.check(!valid, field, "INVALID_FORMAT", "not a valid email address");
        Some(email)
    }

    /// Fails with every recorded error, if any.
    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_error() {
        let mut v = Validator::new();
        v.required("name", "  ", 10);
        v.code("code", "hà nội");
        v.email("email", Some("not-an-email"));
        let Err(Error::Invalid(errors)) = v.finish() else {
            panic!("expected errors")
        };
        let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("name", "REQUIRED"),
                ("code", "INVALID_FORMAT"),
                ("email", "INVALID_FORMAT")
            ]
        );
    }
}
