//! Limits on the shape of a GraphQL document, checked before it is validated or executed:
//! its length in characters, how many aliases it uses and how many directives it carries. Depth
//! and complexity are the schema's own limits; these catch the cheap-to-send, costly-to-check
//! documents (alias floods, directive floods, megabyte queries) that those do not.
//!
//! A request's document is parsed once: [`async_graphql::Request::parsed_query`] keeps the parsed
//! document in the request, and the guard, [`operation_type`] and the schema's execution all
//! read that copy.

use async_graphql::Request;
use async_graphql::parser::Positioned;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use axum::http::StatusCode;

use crate::rejection::Rejection;

/// The document limits, from `[limits]` in the configuration.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    /// Longest document, in characters.
    pub max_chars: usize,
    /// Most aliased fields in one document.
    pub max_aliases: usize,
    /// Most directives in one document.
    pub max_directives: usize,
}

/// What a document contains, counted over every operation and fragment.
#[derive(Debug, Default, PartialEq, Eq)]
struct Census {
    aliases: usize,
    directives: usize,
}

/// Checks `request`'s document against `limits`, parsing it (once) only when its length is
/// within them. A document that does not parse passes: execution reports the parse error with
/// its position.
pub fn check(request: &mut Request, limits: &DocumentLimits) -> Result<(), Rejection> {
    let chars = request.query.chars().count();
    if chars > limits.max_chars {
        return Err(too_large(
            "DOCUMENT_TOO_LARGE",
            format!(
                "the document has {chars} characters; at most {} are accepted",
                limits.max_chars
            ),
        ));
    }
    let Ok(document) = request.parsed_query() else {
        return Ok(());
    };
    let census = census(document);
    if census.aliases > limits.max_aliases {
        return Err(too_large(
            "TOO_MANY_ALIASES",
            format!(
                "the document uses {} aliases; at most {} are accepted",
                census.aliases, limits.max_aliases
            ),
        ));
    }
    if census.directives > limits.max_directives {
        return Err(too_large(
            "TOO_MANY_DIRECTIVES",
            format!(
                "the document uses {} directives; at most {} are accepted",
                census.directives, limits.max_directives
            ),
        ));
    }
    Ok(())
}

/// The type of the operation `request` runs: `None` when its document does not parse or names
/// no such operation. Parses the document at most once (see the module documentation).
pub fn operation_type(request: &mut Request) -> Option<OperationType> {
    let name = request.operation_name.clone();
    match &request.parsed_query().ok()?.operations {
        DocumentOperations::Single(op) => Some(op.node.ty),
        DocumentOperations::Multiple(ops) => name
            .as_deref()
            .and_then(|name| ops.get(name))
            .map(|op| op.node.ty),
    }
}

fn too_large(code: &'static str, message: String) -> Rejection {
    Rejection::new(StatusCode::BAD_REQUEST, code, message)
}

fn census(document: &ExecutableDocument) -> Census {
    let mut census = Census::default();
    for (_, operation) in document.operations.iter() {
        census.directives += operation.node.directives.len();
        count_selections(&operation.node.selection_set, &mut census);
    }
    for fragment in document.fragments.values() {
        census.directives += fragment.node.directives.len();
        count_selections(&fragment.node.selection_set, &mut census);
    }
    census
}

fn count_selections(set: &Positioned<SelectionSet>, census: &mut Census) {
    for selection in &set.node.items {
        match &selection.node {
            Selection::Field(field) => {
                census.aliases += usize::from(field.node.alias.is_some());
                census.directives += field.node.directives.len();
                count_selections(&field.node.selection_set, census);
            }
            Selection::FragmentSpread(spread) => {
                census.directives += spread.node.directives.len();
            }
            Selection::InlineFragment(inline) => {
                census.directives += inline.node.directives.len();
                count_selections(&inline.node.selection_set, census);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: DocumentLimits = DocumentLimits {
        max_chars: 200,
        max_aliases: 2,
        max_directives: 2,
    };

    fn counted(query: &str) -> Census {
        census(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn aliases_and_directives_are_counted_everywhere() {
        let query = "query Q @a { x: f(a: 1) @b { y: g ...F @c ... on T @d { z: h } } } \
                     fragment F on T @e { w: i @f }";
        assert_eq!(
            counted(query),
            Census {
                aliases: 4,
                directives: 6
            }
        );
    }

    #[test]
    fn limits_reject_with_their_codes() {
        let code = |q: &str| {
            check(&mut Request::new(q), &LIMITS)
                .err()
                .map(|r| format!("{r:?}"))
        };
        assert_eq!(code("{ a: f b: g }"), None);
        assert!(
            code("{ a: f b: g c: h }")
                .unwrap()
                .contains("TOO_MANY_ALIASES")
        );
        assert!(
            code("{ f @skip(if: false) @skip(if: false) @skip(if: false) }")
                .unwrap()
                .contains("TOO_MANY_DIRECTIVES")
        );
        assert!(
            code(&"{ f }".repeat(50))
                .unwrap()
                .contains("DOCUMENT_TOO_LARGE")
        );
        assert_eq!(code("{ unparsable"), None);
    }

    #[test]
    fn the_operation_type_follows_the_operation_name() {
        let typed = |q: &str, name: Option<&str>| {
            let mut request = Request::new(q);
            if let Some(name) = name {
                request = request.operation_name(name);
            }
            operation_type(&mut request)
        };
        assert_eq!(typed("{ f }", None), Some(OperationType::Query));
        let two = "query Q { f } mutation M { g }";
        assert_eq!(typed(two, Some("M")), Some(OperationType::Mutation));
        assert_eq!(typed(two, Some("Q")), Some(OperationType::Query));
        assert_eq!(typed(two, None), None);
        assert_eq!(typed("{ unparsable", None), None);
    }
}
