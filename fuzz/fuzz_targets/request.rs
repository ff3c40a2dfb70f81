//! Any bytes as the parts of a request to `opentrail serve`: the `X-Amz-Target` header,
//! the body as an /ingest body in both formats, and the body as self-audit
//! `requestParameters`. Nothing panics; whatever /ingest accepts is a valid record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opentrail_api::Operation;
use opentrail_server::audit::request_parameters;
use opentrail_server::ingest::{BodyFormat, IngestCaller, prepare};

fuzz_target!(|data: &[u8]| {
    // The first line is the target header, the rest the body.
    let (target, body) = match data.iter().position(|byte| *byte == b'\n') {
        Some(split) => (&data[..split], &data[split + 1..]),
        None => (data, &[][..]),
    };
    let _ = Operation::from_target(std::str::from_utf8(target).ok());
    let _ = request_parameters(body);
    let caller = IngestCaller {
        account_id: "111122223333",
        may_use_other_accounts: data.len() % 2 == 0,
    };
    for format in [BodyFormat::LogFile, BodyFormat::Lines] {
        if let Ok(prepared) = prepare(body, format, &caller, 64) {
            assert_eq!(
                prepared.entries.len() + prepared.failed.len(),
                prepared.records
            );
            for entry in &prepared.entries {
                let event = opentrail_event::Event::parse(
                    &entry.payload,
                    &opentrail_event::RecordLimits::STANDARD,
                );
                assert!(event.is_ok(), "an accepted record does not parse again");
            }
        }
    }
});
