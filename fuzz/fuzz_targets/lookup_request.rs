//! Any bytes as a LookupEvents request body: decoding and checking never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opentrail_api::ops::lookup_events::LookupEventsRequest;
use opentrail_store::LookupQuery;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = serde_json::from_slice::<LookupEventsRequest>(data) {
        let _ = LookupQuery::from_input(&request.into_input());
    }
});
