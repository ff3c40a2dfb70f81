//! The injected ID generator.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Alphabet of the 16-character unique part of log-file names (`[A-Za-z0-9]`).
const UNIQUE_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A source of identifiers: event IDs, request IDs, the unique part of file names.
pub trait IdGenerator: Send + Sync + fmt::Debug {
    /// Fills `bytes` with fresh random (or, in tests, deterministic) bytes.
    fn fill(&self, bytes: &mut [u8]);

    /// Returns a lower-case 8-4-4-4-12 UUID (version 4), the form of `eventID`.
    fn uuid(&self) -> String {
        let mut bytes = [0u8; 16];
        self.fill(&mut bytes);
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
            .to_string()
    }

    /// Returns 16 characters from `[A-Za-z0-9]`, the unique part of a log-file name.
    fn unique16(&self) -> String {
        let mut bytes = [0u8; 16];
        self.fill(&mut bytes);
        bytes
            .iter()
            .map(|byte| char::from(UNIQUE_ALPHABET[usize::from(*byte) % UNIQUE_ALPHABET.len()]))
            .collect()
    }
}

/// An ID generator shared between components.
pub type SharedIds = Arc<dyn IdGenerator>;

/// IDs from the operating system's random source.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl IdGenerator for RandomIds {
    fn fill(&self, bytes: &mut [u8]) {
        rand::rng().fill_bytes(bytes);
    }
}

/// IDs from a seeded generator: the same seed gives the same sequence, on every platform.
#[derive(Debug)]
pub struct SeededIds {
    rng: Mutex<ChaCha8Rng>,
}

impl SeededIds {
    /// Returns a generator seeded with `seed`.
    pub fn new(seed: u64) -> SeededIds {
        SeededIds {
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
        }
    }

    /// Returns a number in `0..upper` from the same stream (for tests that need both).
    pub fn below(&self, upper: u64) -> u64 {
        self.rng
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .random_range(0..upper.max(1))
    }
}

impl IdGenerator for SeededIds {
    fn fill(&self, bytes: &mut [u8]) {
        // A poisoned lock only means another thread panicked mid-draw; the generator state
        // is still a valid ChaCha state, so keep using it.
        self.rng
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .fill_bytes(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_lowercase_v4() {
        let id = RandomIds.uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_eq!(id, id.to_lowercase());
    }

    #[test]
    fn seeded_ids_repeat_for_the_same_seed() {
        let first = SeededIds::new(7);
        let second = SeededIds::new(7);
        assert_eq!(first.uuid(), second.uuid());
        assert_eq!(first.unique16(), second.unique16());
        assert_ne!(SeededIds::new(8).uuid(), SeededIds::new(7).uuid());
    }

    #[test]
    fn unique16_uses_the_log_file_alphabet() {
        let unique = RandomIds.unique16();
        assert_eq!(unique.len(), 16);
        assert!(unique.bytes().all(|byte| byte.is_ascii_alphanumeric()));
    }
}
