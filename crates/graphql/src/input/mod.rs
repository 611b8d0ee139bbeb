//! Input objects: filters, orderings and mutation inputs, one area per file.

pub mod assessment;
pub mod checklist;
pub mod organisation;
pub mod program;
pub mod training;
