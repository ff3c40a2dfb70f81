//! The shape of normal traffic.

use opentrail_generate::GenerateConfig;
use serde_json::Value;

use crate::support::{read_output, run, small_config};

#[test]
fn traffic_follows_the_day_and_mixes_as_configured() {
    let config = GenerateConfig {
        data_event_fraction: 0.25,
        error_fraction: 0.04,
        ..small_config(10_000)
    };
    let (dir, _) = run(&config);
    let mut per_hour = [0u64; 24];
    let mut data = 0u64;
    let mut errors = 0u64;
    let mut total = 0u64;
    for file in read_output(dir.path()) {
        for raw in &file.records {
            let record: Value = serde_json::from_str(raw.get()).unwrap();
            let time = record["eventTime"].as_str().unwrap();
            let hour: usize = time[11..13].parse().unwrap();
            per_hour[hour] += 1;
            total += 1;
            if record["eventCategory"] == "Data" {
                data += 1;
            }
            if record.get("errorCode").is_some()
                || record["responseElements"]["ConsoleLogin"] == "Failure"
            {
                errors += 1;
            }
        }
    }
    let busiest = *per_hour.iter().max().unwrap() as f64;
    let quietest = *per_hour.iter().min().unwrap() as f64;
    assert!(busiest > 1.5 * quietest, "{per_hour:?}");
    let data_share = data as f64 / total as f64;
    assert!((data_share - 0.25).abs() < 0.02, "{data_share}");
    let error_share = errors as f64 / total as f64;
    assert!(error_share > 0.02 && error_share < 0.09, "{error_share}");
}
