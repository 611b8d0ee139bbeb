//! Identity: password hashing and signed access tokens.

pub mod password;
pub mod token;

pub use token::{Claims, IssuedToken, SigningKey, TokenError, TokenSettings, Tokens};
