//! Diacritic-insensitive search keys.
//!
//! Vietnamese text is stored beside a normalised copy (`*_search` columns): lower case, tone and
//! vowel marks removed, `đ` folded to `d`, whitespace collapsed. A search term is normalised the
//! same way and matched with `LIKE`, which both databases support and index, so "ha noi" finds
//! "Hà Nội" and "dang" finds "Đặng".

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// The search key of `text`.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A `LIKE` pattern matching search keys that contain `term` (after normalisation), with
/// `LIKE` metacharacters in the term escaped by `\`. `None` for a blank term.
pub fn contains_pattern(term: &str) -> Option<String> {
    let key = normalize(term);
    if key.is_empty() {
        return None;
    }
    let mut pattern = String::with_capacity(key.len() + 2);
    pattern.push('%');
    for c in key.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Some(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_vietnamese_marks_and_folds_d() {
        assert_eq!(normalize("Hà Nội"), "ha noi");
        assert_eq!(normalize("Đặng Thị  Hương"), "dang thi huong");
        assert_eq!(normalize("TẬP HUẤN Kết luận 49"), "tap huan ket luan 49");
        assert_eq!(normalize("  Thừa Thiên   Huế "), "thua thien hue");
    }

    #[test]
    fn escapes_like_metacharacters() {
        assert_eq!(contains_pattern("100%_x").as_deref(), Some("%100\\%\\_x%"));
        assert_eq!(contains_pattern("   "), None);
    }
}
