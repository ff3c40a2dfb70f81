//! What to generate: [`GenerateConfig`] and injected unusual activity ([`Burst`]).

use opentrail_types::Timestamp;

/// Settings of one generation run.
///
/// The same configuration always gives byte-identical files, whatever the thread count.
/// Build it from [`GenerateConfig::default`] and change the fields you need:
///
/// ```
/// use opentrail_generate::GenerateConfig;
///
/// let config = GenerateConfig { seed: 7, events: 1_000, ..GenerateConfig::default() };
/// assert_eq!(config.accounts, 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateConfig {
    /// Seed of every random choice. Default: `0`.
    pub seed: u64,
    /// Number of background (normal traffic) events, spread over `[start, end)`. Burst
    /// events come on top. Default: `100_000`.
    pub events: u64,
    /// First instant of the generated period, whole seconds. Default:
    /// `2026-03-02T00:00:00Z` (a Monday).
    pub start: Timestamp,
    /// End of the generated period (exclusive), whole seconds, at most 3,660 days after
    /// `start`. Default: one day after the default start.
    pub end: Timestamp,
    /// Number of AWS accounts (1 to 1,000); the first is the busiest. Default: `3`.
    pub accounts: usize,
    /// Regions traffic goes to; the first is the busiest. Global services (IAM,
    /// Organizations, Route 53, CloudFront, sign-in) are recorded in `us-east-1` and only
    /// generated when `us-east-1` is listed. Default: `us-east-1`, `us-west-2`,
    /// `eu-west-1`, `ap-southeast-2`.
    pub regions: Vec<String>,
    /// Number of principals (users, roles, services) across the accounts, not counting
    /// each account's root user and service events. With at least 17, every identity type
    /// appears. Default: `200`.
    pub principals: usize,
    /// Fraction (0 to 1) of background events that are data events (S3 objects, Lambda
    /// `Invoke`, DynamoDB items, SNS `Publish`, SQS messages), with `managementEvent` false
    /// and `eventCategory` `Data`. Default: `0.0`.
    pub data_event_fraction: f64,
    /// Mean fraction (0 to 1) of background calls that fail with an authorization,
    /// not-found or validation error; some principals fail far more often than others.
    /// Default: `0.03`.
    pub error_fraction: f64,
    /// Mean fraction (0 to 1) of background calls that are throttled. Default: `0.005`.
    pub throttle_fraction: f64,
    /// Unusual activity injected on top of the background. Default: none.
    pub bursts: Vec<Burst>,
    /// Most records in one log file (1 to 100,000). A 5-minute window of one account and
    /// region with more records is split over several files. Default: `2_000`.
    pub max_records_per_file: usize,
    /// Gzip compression level, 0 (none) to 9 (best). Default: `3`, which on two cores
    /// writes about 240,000 events/s at a 6:1 ratio (level 6: about 165,000 events/s at
    /// 7:1; level 1: about 320,000 events/s at 4.4:1).
    pub gzip_level: u32,
    /// Worker threads; `0` means one per available CPU. Does not change the output.
    /// Default: `0`.
    pub threads: usize,
}

impl Default for GenerateConfig {
    fn default() -> GenerateConfig {
        let start = Timestamp::from_secs(1_772_409_600);
        GenerateConfig {
            seed: 0,
            events: 100_000,
            start,
            end: start.saturating_add_millis(86_400_000),
            accounts: 3,
            regions: ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]
                .into_iter()
                .map(String::from)
                .collect(),
            principals: 200,
            data_event_fraction: 0.0,
            error_fraction: 0.03,
            throttle_fraction: 0.005,
            bursts: Vec::new(),
            max_records_per_file: 2_000,
            gzip_level: 3,
            threads: 0,
        }
    }
}

/// Unusual activity injected on top of the background traffic, for scoring anomaly
/// detection (call-rate bursts, error storms).
///
/// During each minute of `[start, start + minutes)` (inside the generated period) the
/// burst adds exactly `per_minute` calls of `event_source`/`event_name` by one principal
/// of the account, in one region. With `error_code`, every one of them fails with that
/// code. The ground truth is reported in [`crate::Summary::bursts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Burst {
    /// First minute (seconds are dropped).
    pub start: Timestamp,
    /// Length in minutes (at least 1).
    pub minutes: u32,
    /// `eventSource` (`ec2.amazonaws.com`). Any value is accepted; sources and names
    /// outside the built-in catalog get `requestParameters` `null`.
    pub event_source: String,
    /// `eventName` (`RunInstances`).
    pub event_name: String,
    /// Calls added in each minute (at least 1).
    pub per_minute: u32,
    /// `errorCode` of every added call (`ThrottlingException`, `AccessDenied`), or `None`
    /// for successful calls.
    pub error_code: Option<String>,
    /// Index of the account (0 is the busiest). Default: `0`.
    pub account: usize,
    /// Region; `None` means the first configured region (`us-east-1` for global services).
    pub region: Option<String>,
}

impl Burst {
    /// Returns a call-rate burst of successful calls in account 0 and the first region.
    pub fn new(
        start: Timestamp,
        minutes: u32,
        event_source: impl Into<String>,
        event_name: impl Into<String>,
        per_minute: u32,
    ) -> Burst {
        Burst {
            start,
            minutes,
            event_source: event_source.into(),
            event_name: event_name.into(),
            per_minute,
            error_code: None,
            account: 0,
            region: None,
        }
    }

    /// Makes every call of the burst fail with `code` (an error-rate burst).
    pub fn with_error_code(mut self, code: impl Into<String>) -> Burst {
        self.error_code = Some(code.into());
        self
    }

    /// Puts the burst in the account at `index`.
    pub fn in_account(mut self, index: usize) -> Burst {
        self.account = index;
        self
    }

    /// Puts the burst in `region`.
    pub fn in_region(mut self, region: impl Into<String>) -> Burst {
        self.region = Some(region.into());
        self
    }
}
