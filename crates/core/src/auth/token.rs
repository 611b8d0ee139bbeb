//! Signed access tokens (JWT), HS256 with a shared secret or RS256 with a key pair.
//!
//! Verification accepts exactly the configured algorithm (so `alg: none` and RS/HS confusion
//! fail), requires `exp` and `sub`, and checks `iss`/`aud` when configured. Tokens carry no
//! permissions: the actor's memberships are loaded fresh for every request.

use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The key material tokens are signed and verified with.
#[derive(Clone)]
pub enum SigningKey {
    /// HMAC-SHA256 with a shared secret (at least 32 bytes).
    Hs256 {
        /// The secret.
        secret: Vec<u8>,
    },
    /// RSA-SHA256. Without the private key this server only verifies tokens.
    Rs256 {
        /// PEM of the private key, to issue tokens.
        private_pem: Option<Vec<u8>>,
        /// PEM of the public key, to verify tokens.
        public_pem: Vec<u8>,
    },
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Hs256 { .. } => f.write_str("Hs256 { secret: <redacted> }"),
            Self::Rs256 { private_pem, .. } => write!(
                f,
                "Rs256 {{ private_pem: {}, public_pem: <set> }}",
                if private_pem.is_some() {
                    "<redacted>"
                } else {
                    "<none>"
                }
            ),
        }
    }
}

/// How tokens are issued and checked.
#[derive(Debug, Clone)]
pub struct TokenSettings {
    /// Key material.
    pub key: SigningKey,
    /// Expected and issued `iss`, if any.
    pub issuer: Option<String>,
    /// Expected and issued `aud`, if any.
    pub audience: Option<String>,
    /// Lifetime of issued tokens.
    pub ttl: Duration,
    /// Clock skew tolerated when checking `exp`.
    pub leeway: Duration,
}

/// Why a token could not be issued or was rejected. The API reports all rejections alike.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The configured key cannot be used.
    #[error("invalid token key: {0}")]
    Key(String),
    /// This server has no private key to issue RS256 tokens.
    #[error("this server only verifies tokens (no private key configured)")]
    CannotIssue,
    /// The token is malformed, expired, badly signed, or has wrong claims.
    #[error("invalid token")]
    Invalid,
}

/// The claims we issue and require.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id, as a decimal string.
    pub sub: String,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// Issue time, seconds since the epoch.
    pub iat: u64,
    /// Issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

impl Claims {
    /// The user id in `sub`.
    pub fn user_id(&self) -> Result<i64, TokenError> {
        self.sub.parse().map_err(|_| TokenError::Invalid)
    }
}

/// A freshly issued token.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The compact JWT.
    pub token: String,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// Issues and verifies tokens with one configured key.
#[derive(Clone)]
pub struct Tokens {
    algorithm: Algorithm,
    encoding: Option<EncodingKey>,
    decoding: DecodingKey,
    validation: Validation,
    settings: TokenSettings,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Shortest accepted HS256 secret.
pub const MIN_SECRET_BYTES: usize = 32;

impl Tokens {
    /// Prepares keys and validation rules; fails on unusable key material.
    pub fn new(settings: TokenSettings) -> Result<Self, TokenError> {
        let (algorithm, encoding, decoding) = match &settings.key {
            SigningKey::Hs256 { secret } => {
                if secret.len() < MIN_SECRET_BYTES {
                    return Err(TokenError::Key(format!(
                        "the HS256 secret must be at least {MIN_SECRET_BYTES} bytes"
                    )));
                }
                let invalid =
                    |e: jsonwebtoken::errors::Error| TokenError::Key(format!("HS256 secret: {e}"));
                (
                    Algorithm::HS256,
                    Some(EncodingKey::from_secret(secret).map_err(invalid)?),
                    DecodingKey::from_secret(secret).map_err(invalid)?,
                )
            }
            SigningKey::Rs256 {
                private_pem,
                public_pem,
            } => {
                let encoding = private_pem
                    .as_deref()
                    .map(EncodingKey::from_rsa_pem)
                    .transpose()
                    .map_err(|e| TokenError::Key(format!("RS256 private key: {e}")))?;
                let decoding = DecodingKey::from_rsa_pem(public_pem)
                    .map_err(|e| TokenError::Key(format!("RS256 public key: {e}")))?;
                (Algorithm::RS256, encoding, decoding)
            }
        };
        let mut validation = Validation::new(algorithm);
        validation.leeway = settings.leeway.as_secs();
        validation.set_required_spec_claims(&["exp", "sub"]);
        match &settings.issuer {
            Some(iss) => validation.set_issuer(&[iss]),
            None => validation.iss = None,
        }
        match &settings.audience {
            Some(aud) => validation.set_audience(&[aud]),
            None => validation.validate_aud = false,
        }
        Ok(Self {
            algorithm,
            encoding,
            decoding,
            validation,
            settings,
        })
    }

    /// The configured lifetime of issued tokens.
    pub fn ttl(&self) -> Duration {
        self.settings.ttl
    }

    /// Issues a token for `user_id` valid for `ttl` (the configured lifetime when `None`).
    pub fn issue(&self, user_id: i64, ttl: Option<Duration>) -> Result<IssuedToken, TokenError> {
        let encoding = self.encoding.as_ref().ok_or(TokenError::CannotIssue)?;
        let now = Utc::now();
        let ttl = chrono::Duration::from_std(ttl.unwrap_or(self.settings.ttl))
            .map_err(|_| TokenError::Key("token lifetime out of range".into()))?;
        let expires_at = now + ttl;
        let claims = Claims {
            sub: user_id.to_string(),
            exp: u64::try_from(expires_at.timestamp()).unwrap_or(0),
            iat: u64::try_from(now.timestamp()).unwrap_or(0),
            iss: self.settings.issuer.clone(),
            aud: self.settings.audience.clone(),
        };
        let token = jsonwebtoken::encode(&Header::new(self.algorithm), &claims, encoding)
            .map_err(|e| TokenError::Key(e.to_string()))?;
        Ok(IssuedToken { token, expires_at })
    }

    /// Verifies signature, algorithm and claims of `token`.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| TokenError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hs(secret: &str) -> Tokens {
        Tokens::new(TokenSettings {
            key: SigningKey::Hs256 {
                secret: secret.as_bytes().to_vec(),
            },
            issuer: Some("khuyenhoc".into()),
            audience: None,
            ttl: Duration::from_secs(60),
            leeway: Duration::from_secs(0),
        })
        .unwrap()
    }

    #[test]
    fn issued_tokens_verify_and_foreign_ones_do_not() {
        let tokens = hs("0123456789abcdef0123456789abcdef");
        let issued = tokens.issue(42, None).unwrap();
        let claims = tokens.verify(&issued.token).unwrap();
        assert_eq!(claims.user_id().ok(), Some(42));
        let other = hs("fedcba9876543210fedcba9876543210");
        assert!(other.verify(&issued.token).is_err());
        assert!(tokens.verify("not.a.token").is_err());
    }

    #[test]
    fn short_secrets_are_refused() {
        let result = Tokens::new(TokenSettings {
            key: SigningKey::Hs256 {
                secret: b"short".to_vec(),
            },
            issuer: None,
            audience: None,
            ttl: Duration::from_secs(60),
            leeway: Duration::from_secs(0),
        });
        assert!(matches!(result, Err(TokenError::Key(_))));
    }
}
