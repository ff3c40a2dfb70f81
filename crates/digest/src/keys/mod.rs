//! Signing keys: one RSA key pair per region, rotated on a schedule, public halves kept
//! forever (`spec/trails-and-integrity.md` §2.6, §6).
//!
//! - [`Signer`]: one private key; signs, exports its public half and fingerprint.
//! - [`KeyRing`]: the per-region keys on disk, the current signer of a region, and the
//!   public keys ListPublicKeys serves.

mod ring;
mod signer;
mod store;

pub use ring::{DEFAULT_ROTATION, KeyRing, PublicKeyInfo};
pub use signer::Signer;
