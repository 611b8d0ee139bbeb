//! A minimal RFC 4180 writer: comma-separated, CRLF line ends, a field quoted (with its quotes
//! doubled) when it holds a comma, a quote, a CR or a LF. UTF-8 throughout; the file starts with
//! a byte-order mark so spreadsheet programs read Vietnamese text as UTF-8.
//!
//! Free text typed by users goes through [`Row::text`], which also defuses spreadsheet formulas
//! (CWE-1236): a value starting with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so a
//! spreadsheet shows it as text instead of evaluating it.

/// The UTF-8 byte-order mark.
pub const BOM: &str = "\u{feff}";

/// Builds rows into a text buffer.
#[derive(Debug, Default)]
pub struct Sheet {
    out: String,
}

impl Sheet {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a row.
    pub fn row(&mut self) -> Row<'_> {
        Row {
            out: &mut self.out,
            first: true,
        }
    }

    /// The text written so far.
    pub fn into_string(self) -> String {
        self.out
    }
}

/// One row being written; ends with CRLF when dropped.
#[derive(Debug)]
pub struct Row<'a> {
    out: &'a mut String,
    first: bool,
}

impl Row<'_> {
    /// A value written as it is (numbers, codes, timestamps), quoted if needed.
    pub fn plain(&mut self, value: &str) -> &mut Self {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        if value.contains([',', '"', '\r', '\n']) {
            self.out.push('"');
            self.out.push_str(&value.replace('"', "\"\""));
            self.out.push('"');
        } else {
            self.out.push_str(value);
        }
        self
    }

    /// Free text typed by a user: formula-defused, then written as [`plain`](Self::plain).
    pub fn text(&mut self, value: &str) -> &mut Self {
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            self.plain(&format!("'{value}"))
        } else {
            self.plain(value)
        }
    }

    /// An optional value; empty when absent.
    pub fn opt(&mut self, value: Option<impl ToString>) -> &mut Self {
        match value {
            Some(v) => self.plain(&v.to_string()),
            None => self.plain(""),
        }
    }
}

impl Drop for Row<'_> {
    fn drop(&mut self) {
        self.out.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_quoting() {
        let mut sheet = Sheet::new();
        sheet
            .row()
            .plain("Gia đình ông Nguyễn Văn An")
            .plain("a,b")
            .plain("say \"hi\"")
            .plain("two\nlines")
            .opt(None::<i32>)
            .opt(Some(80));
        assert_eq!(
            sheet.into_string(),
            "Gia đình ông Nguyễn Văn An,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,80\r\n"
        );
    }

    #[test]
    fn defuses_formulas_in_free_text() {
        let mut sheet = Sheet::new();
        sheet
            .row()
            .text("=HYPERLINK(\"x\")")
            .text("-1")
            .text("Hà Nội");
        assert_eq!(
            sheet.into_string(),
            "\"'=HYPERLINK(\"\"x\"\")\",'-1,Hà Nội\r\n"
        );
    }
}
