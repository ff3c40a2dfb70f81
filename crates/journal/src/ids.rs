//! The eventID table: which event IDs the journal already holds, and where.
//!
//! An open-addressing hash table of 16-byte slots (`hash u64 | location u64`) in one
//! memory-mapped file, `ids.tbl`. It is an accelerator, never the truth:
//!
//! - a hit is confirmed by reading the frame at the slot's location and comparing its event
//!   ID, so a hash collision or a stale slot (its segment removed by retention) never makes
//!   the journal drop a good record;
//! - the header records how far into the journal the table is complete (`covered`); after a
//!   crash the journal re-inserts every frame from there on, so a lost page only costs
//!   re-reading.
//!
//! Layout: a 64-byte header, then `capacity` slots.
//!
//! ```text
//! 0  magic b"OTJIDS\0\0"   8 version u32 (1)   12 reserved u32
//! 16 capacity u64          24 count u64        32 covered next_seq u64
//! 40 covered location u64  48 xxh3 of bytes 0..48, u64   56 reserved
//! ```

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use memmap2::MmapMut;
use xxhash_rust::xxh3::xxh3_64;

use crate::{Error, Location, Position, Result};

const MAGIC: &[u8; 8] = b"OTJIDS\0\0";
const VERSION: u32 = 1;
const HEADER_LEN: usize = 64;
const SLOT_LEN: usize = 16;
/// Grow when more than 7 in 10 slots are used: linear probing stays short below that.
const MAX_LOAD_NUMERATOR: u64 = 7;
const MAX_LOAD_DENOMINATOR: u64 = 10;

/// Returns the table hash of an event ID (never 0, which marks an empty slot).
pub(crate) fn id_hash(event_id: &str) -> u64 {
    xxh3_64(event_id.as_bytes()).max(1)
}

/// The memory-mapped table.
#[derive(Debug)]
pub(crate) struct IdTable {
    path: PathBuf,
    file: File,
    map: MmapMut,
    capacity: u64,
    count: u64,
}

impl IdTable {
    /// Opens the table at `path`; returns it and the journal position it is complete up
    /// to. A missing or unreadable table is replaced by an empty one covering nothing
    /// (`None`): the caller re-inserts the whole journal.
    pub fn open(path: &Path, initial_capacity: u64) -> Result<(IdTable, Option<Position>)> {
        if let Some((table, covered)) = IdTable::try_open_existing(path)? {
            return Ok((table, Some(covered)));
        }
        let table = IdTable::create(path, initial_capacity.next_power_of_two().max(1024))?;
        Ok((table, None))
    }

    /// Replaces the table at `path` with an empty one.
    pub fn create_empty(path: &Path, initial_capacity: u64) -> Result<IdTable> {
        IdTable::create(path, initial_capacity.next_power_of_two().max(1024))
    }

    fn try_open_existing(path: &Path) -> Result<Option<(IdTable, Position)>> {
        let file = match OpenOptions::new().read(true).write(true).open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(Error::io(path, error)),
        };
        let len = file
            .metadata()
            .map_err(|error| Error::io(path, error))?
            .len();
        if len < HEADER_LEN as u64 {
            tracing::warn!(path = %path.display(), "event ID table too short; rebuilding it");
            return Ok(None);
        }
        let map = map_file(&file, path)?;
        let header = &map[..HEADER_LEN];
        let stored_check = read_u64(header, 48);
        let valid = &header[..8] == MAGIC
            && read_u32(header, 8) == VERSION
            && xxh3_64(&header[..48]) == stored_check;
        let capacity = read_u64(header, 16);
        if !valid
            || !capacity.is_power_of_two()
            || len != HEADER_LEN as u64 + capacity * SLOT_LEN as u64
        {
            tracing::warn!(path = %path.display(), "event ID table header is damaged; rebuilding it");
            return Ok(None);
        }
        // The header's count is the last checkpoint's; slots inserted after it survive a
        // killed process in the mapped pages, so count what is really there.
        let count = (0..capacity)
            .filter(|index| read_u64(&map, HEADER_LEN + usize_from(*index) * SLOT_LEN) != 0)
            .count() as u64;
        let covered = Position {
            next_seq: read_u64(header, 32),
            location: Location(read_u64(header, 40)),
        };
        let table = IdTable {
            path: path.to_owned(),
            file,
            map,
            capacity,
            count,
        };
        Ok(Some((table, covered)))
    }

    fn create(path: &Path, capacity: u64) -> Result<IdTable> {
        let temporary = path.with_extension("tbl.new");
        let table = IdTable::create_at(&temporary, capacity)?;
        fs::rename(&temporary, path).map_err(|error| Error::io(path, error))?;
        Ok(IdTable {
            path: path.to_owned(),
            ..table
        })
    }

    fn create_at(path: &Path, capacity: u64) -> Result<IdTable> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(|error| Error::io(path, error))?;
        file.set_len(HEADER_LEN as u64 + capacity * SLOT_LEN as u64)
            .map_err(|error| Error::io(path, error))?;
        let map = map_file(&file, path)?;
        let mut table = IdTable {
            path: path.to_owned(),
            file,
            map,
            capacity,
            count: 0,
        };
        table.write_header(Position {
            next_seq: 0,
            location: Location(0),
        });
        Ok(table)
    }

    /// Number of slots in use.
    #[cfg(test)]
    pub fn len(&self) -> u64 {
        self.count
    }

    /// Locations stored under `hash`, in probe order.
    pub fn candidates(&self, hash: u64) -> Vec<Location> {
        let mut found = Vec::new();
        let mask = self.capacity - 1;
        let mut index = hash & mask;
        for _ in 0..self.capacity {
            let (slot_hash, slot_location) = self.slot(index);
            if slot_hash == 0 {
                return found;
            }
            if slot_hash == hash {
                found.push(Location(slot_location));
            }
            index = (index + 1) & mask;
        }
        found
    }

    /// Records that the frame at `location` has an ID hashing to `hash`. Grows the table
    /// when it gets too full; `keep` says which old slots are still worth copying.
    pub fn insert(
        &mut self,
        hash: u64,
        location: Location,
        keep: &dyn Fn(Location) -> bool,
    ) -> Result<()> {
        if (self.count + 1) * MAX_LOAD_DENOMINATOR > self.capacity * MAX_LOAD_NUMERATOR {
            self.grow(keep)?;
        }
        if !self.insert_slot(hash, location.0) {
            // No free slot at all (the count was wrong): make room and try again.
            self.grow(keep)?;
            if !self.insert_slot(hash, location.0) {
                return Err(Error::Corrupt {
                    path: self.path.clone(),
                    offset: 0,
                    reason: String::from("event ID table has no free slot after growing"),
                });
            }
        }
        Ok(())
    }

    /// Stores (`hash`, `location`); false when every slot is taken.
    fn insert_slot(&mut self, hash: u64, location: u64) -> bool {
        let mask = self.capacity - 1;
        let mut index = hash & mask;
        for _ in 0..self.capacity {
            let (slot_hash, slot_location) = self.slot(index);
            if slot_hash == 0 {
                let start = HEADER_LEN + usize_from(index) * SLOT_LEN;
                self.map[start..start + 8].copy_from_slice(&hash.to_le_bytes());
                self.map[start + 8..start + 16].copy_from_slice(&location.to_le_bytes());
                self.count += 1;
                return true;
            }
            if slot_hash == hash && slot_location == location {
                return true;
            }
            index = (index + 1) & mask;
        }
        false
    }

    fn grow(&mut self, keep: &dyn Fn(Location) -> bool) -> Result<()> {
        let live = (0..self.capacity)
            .map(|index| self.slot(index))
            .filter(|(hash, location)| *hash != 0 && keep(Location(*location)))
            .count() as u64;
        let mut capacity = self.capacity;
        while (live + 1) * MAX_LOAD_DENOMINATOR * 2 > capacity * MAX_LOAD_NUMERATOR {
            capacity *= 2;
        }
        let temporary = self.path.with_extension("tbl.new");
        let mut grown = IdTable::create_at(&temporary, capacity)?;
        for index in 0..self.capacity {
            let (hash, location) = self.slot(index);
            if hash != 0 && keep(Location(location)) {
                // The grown table is sized for at most 35 % load: there is always a slot.
                let _ = grown.insert_slot(hash, location);
            }
        }
        // The grown table covers exactly what this one covered.
        let covered = Position {
            next_seq: read_u64(&self.map, 32),
            location: Location(read_u64(&self.map, 40)),
        };
        grown.write_header(covered);
        grown
            .map
            .flush()
            .map_err(|error| Error::io(&temporary, error))?;
        fs::rename(&temporary, &self.path).map_err(|error| Error::io(&self.path, error))?;
        tracing::debug!(capacity, live, "event ID table grown");
        *self = IdTable {
            path: self.path.clone(),
            ..grown
        };
        Ok(())
    }

    /// Makes every slot durable, then records that the table is complete up to `covered`.
    pub fn checkpoint(&mut self, covered: Position) -> Result<()> {
        // Slots first: until the new header is durable, the old `covered` (still true, as
        // slots are only ever added) tells recovery where to start re-inserting.
        self.map
            .flush()
            .map_err(|error| Error::io(&self.path, error))?;
        self.write_header(covered);
        self.map
            .flush_range(0, HEADER_LEN)
            .map_err(|error| Error::io(&self.path, error))?;
        self.file
            .sync_all()
            .map_err(|error| Error::io(&self.path, error))
    }

    fn write_header(&mut self, covered: Position) {
        let header = &mut self.map[..HEADER_LEN];
        header[..8].copy_from_slice(MAGIC);
        header[8..12].copy_from_slice(&VERSION.to_le_bytes());
        header[16..24].copy_from_slice(&self.capacity.to_le_bytes());
        header[24..32].copy_from_slice(&self.count.to_le_bytes());
        header[32..40].copy_from_slice(&covered.next_seq.to_le_bytes());
        header[40..48].copy_from_slice(&covered.location.0.to_le_bytes());
        let check = xxh3_64(&header[..48]);
        header[48..56].copy_from_slice(&check.to_le_bytes());
    }

    fn slot(&self, index: u64) -> (u64, u64) {
        let start = HEADER_LEN + usize_from(index) * SLOT_LEN;
        (read_u64(&self.map, start), read_u64(&self.map, start + 8))
    }
}

#[expect(unsafe_code, reason = "memory-mapping is the point of this table")]
fn map_file(file: &File, path: &Path) -> Result<MmapMut> {
    // SAFETY: the table file lives in a data directory that this process owns through the
    // directory lock, and only this type resizes it (always by replacing the file and
    // mapping the new one). Nothing else truncates or writes it while it is mapped.
    unsafe { MmapMut::map_mut(file) }.map_err(|error| Error::io(path, error))
}

fn usize_from(value: u64) -> usize {
    // The table is memory-mapped, so every index into it fits in usize.
    usize::try_from(value).unwrap_or(usize::MAX)
}

fn read_u64(bytes: &[u8], start: usize) -> u64 {
    let mut array = [0u8; 8];
    array.copy_from_slice(&bytes[start..start + 8]);
    u64::from_le_bytes(array)
}

fn read_u32(bytes: &[u8], start: usize) -> u32 {
    let mut array = [0u8; 4];
    array.copy_from_slice(&bytes[start..start + 4]);
    u32::from_le_bytes(array)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep_all(_: Location) -> bool {
        true
    }

    #[test]
    fn inserted_ids_are_found_and_others_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let (mut table, covered) = IdTable::open(&dir.path().join("ids.tbl"), 16).unwrap();
        assert!(covered.is_none());
        for number in 0..10_000u64 {
            table
                .insert(
                    id_hash(&format!("id-{number}")),
                    Location(number + 1),
                    &keep_all,
                )
                .unwrap();
        }
        assert_eq!(table.len(), 10_000);
        for number in 0..10_000u64 {
            let found = table.candidates(id_hash(&format!("id-{number}")));
            assert!(found.contains(&Location(number + 1)), "{number}");
        }
        assert!(table.candidates(id_hash("absent")).is_empty());
    }

    #[test]
    fn checkpointed_tables_reopen_with_their_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ids.tbl");
        let (mut table, _) = IdTable::open(&path, 16).unwrap();
        table.insert(id_hash("a"), Location(99), &keep_all).unwrap();
        let covered = Position {
            next_seq: 2,
            location: Location(123),
        };
        table.checkpoint(covered).unwrap();
        drop(table);
        let (table, reopened) = IdTable::open(&path, 16).unwrap();
        assert_eq!(reopened, Some(covered));
        assert_eq!(table.candidates(id_hash("a")), vec![Location(99)]);
    }

    #[test]
    fn damaged_headers_are_rebuilt_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ids.tbl");
        let (mut table, _) = IdTable::open(&path, 16).unwrap();
        table
            .checkpoint(Position {
                next_seq: 5,
                location: Location(7),
            })
            .unwrap();
        drop(table);
        let mut bytes = fs::read(&path).unwrap();
        bytes[33] ^= 0xff;
        fs::write(&path, bytes).unwrap();
        let (_, covered) = IdTable::open(&path, 16).unwrap();
        assert_eq!(covered, None);
    }

    /// Regression: after a kill, slots inserted since the last checkpoint are in the file
    /// but not in the header's count; trusting that count let the table fill up completely
    /// and the next insert probe forever (found by the SIGKILL crash test).
    #[test]
    fn slots_inserted_after_the_last_checkpoint_are_counted_on_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ids.tbl");
        let (mut table, _) = IdTable::open(&path, 1024).unwrap();
        table
            .checkpoint(Position {
                next_seq: 1,
                location: Location(16),
            })
            .unwrap();
        for number in 0..600u64 {
            table
                .insert(
                    id_hash(&format!("before-{number}")),
                    Location(number + 1),
                    &keep_all,
                )
                .unwrap();
        }
        drop(table);
        let (mut table, covered) = IdTable::open(&path, 1024).unwrap();
        assert_eq!(
            covered,
            Some(Position {
                next_seq: 1,
                location: Location(16)
            })
        );
        assert_eq!(table.len(), 600);
        for number in 0..2_000u64 {
            table
                .insert(
                    id_hash(&format!("after-{number}")),
                    Location(10_000 + number),
                    &keep_all,
                )
                .unwrap();
        }
        assert!(
            table
                .candidates(id_hash("after-1999"))
                .contains(&Location(11_999))
        );
        assert!(
            table
                .candidates(id_hash("before-599"))
                .contains(&Location(600))
        );
    }

    #[test]
    fn growth_drops_slots_that_are_no_longer_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (mut table, _) = IdTable::open(&dir.path().join("ids.tbl"), 1024).unwrap();
        let keep_even = |location: Location| location.0.is_multiple_of(2);
        for number in 1..=2_000u64 {
            table
                .insert(id_hash(&number.to_string()), Location(number), &keep_even)
                .unwrap();
        }
        // Growth happened (2,000 > 0.7 × 1,024) and dropped odd slots inserted before it.
        assert!(table.len() < 2_000);
        assert!(table.candidates(id_hash("2000")).contains(&Location(2000)));
    }
}
