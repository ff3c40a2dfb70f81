//! Open batches: the events read since the last flush, per stream, in memory.

use std::collections::BTreeMap;

use opentrail_types::Timestamp;

use crate::route::{Routed, Stream};

/// The events of one stream waiting for the next flush.
#[derive(Debug, Default)]
pub struct Open {
    /// The records, comma-separated, as they are inside `"Records":[...]`.
    pub records: Vec<u8>,
    /// How many.
    pub count: usize,
    /// Newest `eventTime`.
    pub newest: Timestamp,
    /// Oldest `eventTime`.
    pub oldest: Timestamp,
}

/// Every open batch of a trail. All close together (see `Worker::flush`), so the
/// journal position saved with a flush covers exactly the events written.
#[derive(Debug, Default)]
pub struct Batches {
    streams: BTreeMap<Stream, Open>,
    bytes: usize,
    oldest_arrival: Option<Timestamp>,
}

impl Batches {
    /// Adds one routed event.
    pub fn add(&mut self, routed: Routed, arrival: Timestamp, payload: &[u8]) {
        let open = self.streams.entry(routed.stream).or_default();
        if open.count == 0 {
            open.newest = routed.event_time;
            open.oldest = routed.event_time;
        } else {
            open.records.push(b',');
            open.newest = open.newest.max(routed.event_time);
            open.oldest = open.oldest.min(routed.event_time);
        }
        open.records.extend_from_slice(payload);
        open.count += 1;
        self.bytes += payload.len() + 1;
        if self.oldest_arrival.is_none() {
            self.oldest_arrival = Some(arrival);
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Whether nothing is open.
    pub fn is_empty(&self) -> bool {
        self.streams.is_empty()
    }

    /// When the oldest open event arrived.
    pub fn oldest_arrival(&self) -> Option<Timestamp> {
        self.oldest_arrival
    }

    /// Takes every open batch, leaving none.
    pub fn take(&mut self) -> BTreeMap<Stream, Open> {
        self.bytes = 0;
        self.oldest_arrival = None;
        std::mem::take(&mut self.streams)
    }

    /// Drops every open batch (their events are read again from the journal).
    pub fn clear(&mut self) {
        self.take();
    }
}

/// The inflated bytes of a log file: `{"Records":[...]}`, compact, no trailing newline.
pub fn log_file_body(open: &Open) -> Vec<u8> {
    let mut body = Vec::with_capacity(open.records.len() + 14);
    body.extend_from_slice(b"{\"Records\":[");
    body.extend_from_slice(&open.records);
    body.extend_from_slice(b"]}");
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Kind;

    #[test]
    fn batches_keep_records_in_order_and_times() {
        let mut batches = Batches::default();
        let stream = Stream {
            account: "111122223333".into(),
            region: "us-east-1".into(),
            kind: Kind::CloudTrail,
        };
        for (second, payload) in [(20, "{\"a\":1}"), (10, "{\"b\":2}"), (30, "{\"c\":3}")] {
            batches.add(
                Routed {
                    stream: stream.clone(),
                    event_time: Timestamp::from_secs(second),
                },
                Timestamp::from_secs(100 + second),
                payload.as_bytes(),
            );
        }
        assert_eq!(batches.oldest_arrival(), Some(Timestamp::from_secs(120)));
        let taken = batches.take();
        assert!(batches.is_empty());
        assert_eq!(batches.bytes(), 0);
        let open = &taken[&stream];
        assert_eq!(
            log_file_body(open),
            b"{\"Records\":[{\"a\":1},{\"b\":2},{\"c\":3}]}"
        );
        assert_eq!(open.newest, Timestamp::from_secs(30));
        assert_eq!(open.oldest, Timestamp::from_secs(10));
    }
}
