//! Any bytes as an incoming record: parsing and checking never panic, and a record that
//! passes the checks writes back to JSON that parses to the same value (lossless), and
//! its lookup keys derive the same way from the full model and the index view.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opentrail_event::{Event, IndexView, RecordLimits, parse_record, record_to_json};
use opentrail_types::json_text;

fuzz_target!(|data: &[u8]| {
    let mut compact = Vec::with_capacity(data.len());
    json_text::compact_into(data, &mut compact);
    if let Ok(record) = parse_record(&compact) {
        let written = record_to_json(&record);
        let again = parse_record(&written).expect("a written record parses");
        assert_eq!(record_to_json(&again), written, "the writer is not stable");
    }
    if let Ok(event) = Event::parse(&compact, &RecordLimits::STANDARD) {
        let view = IndexView::parse(&compact).expect("a checked record has an index view");
        if let Ok(keys) = view.lookup_keys() {
            assert_eq!(keys, event.lookup_keys());
        }
    }
});
