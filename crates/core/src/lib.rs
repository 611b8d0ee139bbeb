//! khuyenhoc-core: the domain of the learning-promotion federation.
//!
//! It holds the sea-orm entities, the one place where access is decided ([`access`]), the
//! services that read and write each aggregate ([`service`]), and the demo dataset ([`demo`]).
//! It knows nothing of HTTP or GraphQL: the layers above call services with an
//! [`access::Actor`] and get domain values or an [`Error`] back.

pub mod access;
pub mod audit;
pub mod auth;
pub mod db;
pub mod demo;
pub mod entity;
pub mod error;
pub mod events;
pub mod page;
pub mod search;
pub mod service;

pub use error::{Error, FieldError, Result};
