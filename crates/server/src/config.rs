//! The config file: what the system does. Every member has a default, so an empty file
//! (or none) is a complete config. This is the reference; every member is listed with its
//! default and unit.
//!
//! ```toml
//! # Where journal, history, credentials and everything else live.
//! data_dir = "./opentrail-data"
//! # The Region this server is: the SigV4 credential scope clients sign for, and the
//! # `awsRegion` of the events it records about itself.
//! region = "us-east-1"
//!
//! [server]
//! # Address `opentrail serve` listens on (the API, /ingest, /healthz, /metrics).
//! listen = "127.0.0.1:4571"
//! # Largest request body accepted, in bytes (as sent, before any gzip decoding).
//! max_body_bytes = 16777216
//! # Largest gzip-encoded /ingest body once decoded, in bytes.
//! max_decoded_body_bytes = 134217728
//! # Time a client has to send its request headers and body, in seconds.
//! request_timeout_secs = 30
//! # Connections served at once; more wait in the kernel's accept queue.
//! max_connections = 1024
//! # Time in-flight requests get to finish after a shutdown signal, in seconds.
//! shutdown_grace_secs = 30
//!
//! [admin]
//! # Account of the admin key made on first start. Absent: a random 12-digit account,
//! # chosen on first start and kept in the data directory (`admin.json`).
//! # account_id = "123456789012"
//!
//! [ingest]
//! # Most records in one /ingest request.
//! max_records_per_request = 10000
//!
//! [history]
//! # Days an event stays searchable, counted from its arrival (an imported archive is kept
//! # this long after the import, however old its events).
//! retention_days = 90
//! # Categories held besides Insights: any of "Management", "Data", "NetworkActivity".
//! categories = ["Management"]
//!
//! [journal]
//! # Size at which a journal segment file is closed and the next begun, in bytes.
//! segment_bytes = 268435456
//!
//! [import]
//! # Largest decompressed file accepted, in bytes (gzip bombs are refused above it).
//! max_file_bytes = 536870912
//!
//! [trails]
//! # Seconds the oldest event of a batch waits before its log file is written (CloudTrail:
//! # about 5 minutes). 1 to 3600. The variable OPENTRAIL_DELIVERY_INTERVAL_SECS overrides it.
//! delivery_interval_secs = 300
//! # Seconds between digest files of a trail (CloudTrail: one hour). 1 to 86400. The
//! # variable OPENTRAIL_DIGEST_PERIOD_SECS overrides it.
//! digest_period_secs = 3600
//! # Days a digest signing key signs before the next one takes over (old public keys
//! # stay listed by ListPublicKeys forever).
//! key_rotation_days = 30
//! # Bytes of records a trail's open batches hold before their files are written early.
//! max_batch_bytes = 67108864
//! # Network activity event sources accepted by advanced selectors besides CloudTrail's
//! # own list, e.g. ["myservice.example.com"].
//! network_event_sources = []
//!
//! [lake]
//! # Bucket of the event data stores' Parquet files. Empty: the local directory
//! # <data_dir>/lake/files/. A name: resolved like a trail's bucket (the buckets tables, then
//! # <data_dir>/buckets/<name>/, then S3 the standard AWS way).
//! bucket = ""
//! # Key prefix of the files in that bucket ("" or ending in "/").
//! prefix = ""
//! # Milliseconds a record waits in memory before its Parquet file is written: how soon
//! # an event can be queried. 100 to 600000.
//! flush_interval_ms = 2000
//! # Threads running queries (each uses the SQL engine's own parallelism).
//! query_workers = 2
//! # Seconds a query may run before it ends TIMED_OUT (CloudTrail: one hour).
//! query_timeout_secs = 3600
//! # Largest result a query may keep, in bytes.
//! max_result_bytes = 268435456
//! # Memory the SQL engine may use for one query (sorts, joins, aggregates), in bytes.
//! query_memory_bytes = 2147483648
//!
//! [insights]
//! # Whether the Insights analyzer runs (it counts every management and data event;
//! # Insights events are written only for trails and event data stores that enable them).
//! enabled = true
//! # Seconds between saves of the analyzer's state (baselines, metric series, open
//! # Insights); it is also saved whenever it emits an Insights event, and at shutdown.
//! save_interval_secs = 30
//!
//! [insights.detection]
//! # The detection thresholds (spec §4.2 of the events spec), all optional:
//! # baseline_days = 28           # days the baseline averages over, 1 to 90
//! # min_baseline_days = 7        # history needed before anything is detected
//! # start_minutes = 2            # consecutive unusual minutes that start an Insight
//! # end_minutes = 10             # calm closed minutes that end it
//! # sigmas = 6.0                 # threshold: max(mean + sigmas·σ, mean·ratio, mean + floor)
//! # ratio = 10.0
//! # floor = 5.0
//! # rare_error_minute = 5        # errors in a minute on an API below 1 error a week
//! # collapse_mean = 10.0         # mean calls/min from which a drop to zero is an Insight
//! # live_minutes = 10            # how late an event may arrive and still count for detection
//! # close_grace_seconds = 60     # wait after a minute ends before judging it closed
//! # late_recompute_seconds = 300 # baseline recomputation after late (imported) events
//!
//! [console]
//! # Whether `opentrail serve` serves the web console under /console/ (on the API's
//! # listener; sign in with an access key id and its secret).
//! enabled = true
//! # Hours a console session lasts from sign-in (the AWS console: 12). 1 to 168.
//! session_hours = 12
//! # Most events one event-history download (CSV or JSON) holds.
//! max_download_events = 100000
//!
//! [rules]
//! # Whether rules (the EventBridge API and the router) run.
//! enabled = true
//! # Route only events a logging trail records, as CloudTrail does for EventBridge. With
//! # false, every event of the rule's account and Region is offered to it.
//! require_trail = true
//! # Events queued in memory per target before the target counts as behind and catches up
//! # from the journal on its own.
//! queue_capacity = 10000
//! # Deliveries in flight at once per target.
//! in_flight = 16
//! # Milliseconds between saves of the targets' journal positions (after a crash, events
//! # delivered since the last save are sent again).
//! save_interval_ms = 200
//! # Folder of `file:` targets and dead-letter files. Empty: <data_dir>/rules/files/.
//! file_dir = ""
//! # Where events go after their last retry. Empty: <data_dir>/rules/dead-letter.ndjson.
//! dead_letter_file = ""
//! # Seconds a webhook may take to answer.
//! webhook_timeout_secs = 10
//! # First and longest wait between retries (doubling, with full jitter).
//! backoff_initial_ms = 500
//! backoff_max_secs = 60
//!
//! # Webhooks that targets name as arn:aws:events:<region>:<account>:api-destination/<name>;
//! # with a secret, each request is signed (X-OpenTrail-Timestamp, X-OpenTrail-Signature).
//! # [[rules.api_destinations]]
//! # name = "alerts"
//! # url = "https://hooks.example.com/opentrail"
//! # secret = "..."                 # optional HMAC-SHA256 key
//! # timeout_secs = 5               # optional; default webhook_timeout_secs
//! # headers = [["X-Team", "sec"]]  # optional extra headers
//! ```
//!
//! A trail's `S3BucketName` names a bucket. `[[buckets]]` tables say where one is; a bucket
//! not listed is the local directory `<data_dir>/buckets/<name>/` when that directory
//! exists, and otherwise an S3 bucket reached the standard AWS way (`AWS_ENDPOINT_URL_S3`
//! or `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` or the
//! shared credentials and config files with `AWS_PROFILE`):
//!
//! ```toml
//! [[buckets]]
//! name = "audit-archive"
//! kind = "s3"                              # "s3" or "local" (<data_dir>/buckets/<name>/)
//! endpoint_url = "http://127.0.0.1:9000"   # MinIO, Ceph, moto...; absent: AWS
//! region = "us-east-1"
//! access_key_id = "..."                    # absent: the environment's credentials
//! secret_access_key = "..."
//! path_style = true                        # path-style addressing (custom endpoints use it anyway)
//! ```
//!
//! Recording endpoints (none by default) are `[[endpoints]]` tables: each a reverse proxy
//! the server runs in front of an S3-compatible store or another AWS-protocol service,
//! recording every call through it as a network activity event (S3 object calls also as
//! data events) and enforcing an endpoint policy. They are read at start; changing one
//! takes a restart.
//!
//! ```toml
//! [[endpoints]]
//! id = "vpce-0a1b2c3d4e5f60718"            # vpce- and 17 lower-case hex digits: vpcEndpointId
//! owner_account = "210987654321"           # 12 digits: vpcEndpointAccountId, receives the events
//! listen = "127.0.0.1:4580"                # where clients send their calls
//! upstream = "http://127.0.0.1:9000"       # the service behind it (http only)
//! # region = "us-east-1"                   # awsRegion of unsigned calls; default: the server's
//! # service = "s3"                         # signing name assumed for unsigned calls
//! # virtual_host_suffixes = ["s3.localhost"]  # Host bucket.<suffix> = virtual-hosted S3
//! # organization_id = "o-exampleorgid"     # aws:PrincipalOrgID of the access keys' principals
//! # policy = '{"Statement":[...]}'         # the endpoint policy (IAM JSON); default: allow all
//! # policy_file = "endpoint-policy.json"   # or read from this file
//! # connect_timeout_ms = 5000              # opening a connection to the upstream
//! # upstream_timeout_secs = 900            # the upstream's answer to a call (its headers),
//! #                                        # from the start of forwarding, body included
//! # max_connections = 1024                 # client connections served at once
//! ```
//!
//! More access keys, each bound to a principal, are declared as `[[keys]]` tables (none by
//! default; the admin key of the data directory always exists):
//!
//! ```toml
//! [[keys]]
//! access_key_id = "AKIAAUDITOR000000001"    # 16 to 128 letters and digits
//! secret_access_key = "..."                 # at least 16 characters
//! account_id = "111122223333"               # 12 digits: the only account it sees
//! user_name = "auditor"                     # the IAM-style user name
//! # arn = "arn:aws:iam::111122223333:user/auditor"   # default: made from the two above
//! permission = "read-only"                  # "read-only", "ingest-only" or "admin"
//! ```
//!
//! **Environment overrides.** Any scalar member can be set from the environment as
//! `OPENTRAIL__<SECTION>__<MEMBER>` (top-level members: `OPENTRAIL__<MEMBER>`), upper or
//! lower case: `OPENTRAIL__SERVER__LISTEN=0.0.0.0:4571`,
//! `OPENTRAIL__HISTORY__RETENTION_DAYS=30`. The value is read as a TOML value when it is
//! one (`30`, `true`, `["Management","Data"]`) and as a string otherwise. The environment
//! wins over the file; command-line flags (`--data-dir`, `--listen`) win over both.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use opentrail_event::EventCategory;
use serde::Deserialize;

/// Prefix of the environment variables that override config members.
pub const ENV_PREFIX: &str = "OPENTRAIL__";

/// A config that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file `{path}`")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The TOML (after environment overrides) does not fit the config.
    #[error("config {origin} is not valid")]
    Parse {
        /// `file `…`` or `from the environment`.
        origin: String,
        /// Why.
        #[source]
        source: toml::de::Error,
    },
    /// A member has a value out of its range.
    #[error("{0}")]
    Invalid(String),
}

/// The whole config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Data directory. Default `./opentrail-data`.
    pub data_dir: PathBuf,
    /// The server's Region. Default `us-east-1`.
    pub region: String,
    /// `[server]`.
    pub server: ServerSection,
    /// `[admin]`.
    pub admin: AdminSection,
    /// `[ingest]`.
    pub ingest: IngestSection,
    /// `[[keys]]`: access keys besides the admin key.
    pub keys: Vec<KeySection>,
    /// Event history.
    pub history: HistorySection,
    /// The journal.
    pub journal: JournalSection,
    /// `opentrail import`.
    pub import: ImportSection,
    /// Trail delivery and digests.
    pub trails: TrailsSection,
    /// `[[buckets]]`: where trail buckets are.
    pub buckets: Vec<opentrail_blob::BucketConfig>,
    /// Lake: event data store files and queries.
    pub lake: LakeSection,
    /// `[insights]`: the Insights analyzer.
    pub insights: InsightsSection,
    /// `[rules]`: EventBridge-style rules and their router.
    pub rules: RulesSection,
    /// `[[endpoints]]`: recording endpoints.
    pub endpoints: Vec<EndpointSection>,
    /// `[console]`: the web console.
    pub console: ConsoleSection,
    /// The `AWS_*` variables (and `HOME`) of the environment the config was loaded with:
    /// how buckets not listed in `[[buckets]]` are reached, the standard AWS way.
    #[serde(skip)]
    pub aws_environment: Vec<(String, String)>,
}

/// `[console]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleSection {
    /// Whether the console is served. Default true.
    pub enabled: bool,
    /// Hours a session lasts from sign-in. Default 12.
    pub session_hours: u64,
    /// Most events in one event-history download. Default 100,000.
    pub max_download_events: usize,
}

impl Default for ConsoleSection {
    fn default() -> ConsoleSection {
        ConsoleSection {
            enabled: true,
            session_hours: 12,
            max_download_events: 100_000,
        }
    }
}

/// `[insights]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InsightsSection {
    /// Whether the analyzer runs. Default true.
    pub enabled: bool,
    /// Seconds between state saves. Default 30.
    pub save_interval_secs: u64,
    /// `[insights.detection]`: the detection settings.
    pub detection: opentrail_insights::InsightsConfig,
}

impl Default for InsightsSection {
    fn default() -> InsightsSection {
        InsightsSection {
            enabled: true,
            save_interval_secs: 30,
            detection: opentrail_insights::InsightsConfig::default(),
        }
    }
}

/// `[rules]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulesSection {
    /// Whether rules run. Default true.
    pub enabled: bool,
    /// Route only events some logging trail records. Default true.
    pub require_trail: bool,
    /// Jobs queued per target before it falls behind. Default 10,000.
    pub queue_capacity: usize,
    /// Deliveries in flight per target. Default 16.
    pub in_flight: usize,
    /// Milliseconds between position saves. Default 200.
    pub save_interval_ms: u64,
    /// Folder of `file:` targets; empty for `<data_dir>/rules/files/`.
    pub file_dir: PathBuf,
    /// The default dead-letter file; empty for `<data_dir>/rules/dead-letter.ndjson`.
    pub dead_letter_file: PathBuf,
    /// Seconds a webhook may take. Default 10.
    pub webhook_timeout_secs: u64,
    /// First wait between retries, in milliseconds. Default 500.
    pub backoff_initial_ms: u64,
    /// Longest wait between retries, in seconds. Default 60.
    pub backoff_max_secs: u64,
    /// `[[rules.api_destinations]]`: named webhooks.
    pub api_destinations: Vec<ApiDestinationSection>,
}

impl Default for RulesSection {
    fn default() -> RulesSection {
        RulesSection {
            enabled: true,
            require_trail: true,
            queue_capacity: 10_000,
            in_flight: 16,
            save_interval_ms: 200,
            file_dir: PathBuf::new(),
            dead_letter_file: PathBuf::new(),
            webhook_timeout_secs: 10,
            backoff_initial_ms: 500,
            backoff_max_secs: 60,
            api_destinations: Vec::new(),
        }
    }
}

/// One `[[rules.api_destinations]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiDestinationSection {
    /// The name targets use in `arn:aws:events:…:api-destination/<name>`.
    pub name: String,
    /// Where events are POSTed.
    pub url: String,
    /// HMAC-SHA256 key; requests are signed when present.
    #[serde(default)]
    pub secret: Option<String>,
    /// Seconds the webhook may take; default `rules.webhook_timeout_secs`.
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// Extra headers.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

/// One `[[endpoints]]` table: a recording endpoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointSection {
    /// `vpce-` and 17 lower-case hex digits.
    pub id: String,
    /// The owning account.
    pub owner_account: String,
    /// Where the endpoint listens.
    pub listen: SocketAddr,
    /// `http://host:port` of the service behind it.
    pub upstream: String,
    /// `awsRegion` of unsigned calls; default the server's Region.
    #[serde(default)]
    pub region: Option<String>,
    /// The signing name assumed for unsigned calls. Default `s3`.
    #[serde(default = "default_endpoint_service")]
    pub service: String,
    /// Host suffixes of virtual-hosted-style S3 calls.
    #[serde(default)]
    pub virtual_host_suffixes: Vec<String>,
    /// `aws:PrincipalOrgID` of the registry's principals.
    #[serde(default)]
    pub organization_id: Option<String>,
    /// The endpoint policy, inline.
    #[serde(default)]
    pub policy: Option<String>,
    /// The endpoint policy, from a file.
    #[serde(default)]
    pub policy_file: Option<PathBuf>,
    /// Milliseconds to open a connection to the upstream. Default 5,000.
    #[serde(default = "default_connect_timeout_ms")]
    pub connect_timeout_ms: u64,
    /// Seconds the upstream may take to answer a call (status and headers), counted from
    /// the start of forwarding. Default 900.
    #[serde(default = "default_upstream_timeout_secs")]
    pub upstream_timeout_secs: u64,
    /// Client connections served at once. Default 1,024.
    #[serde(default = "default_endpoint_connections")]
    pub max_connections: usize,
}

fn default_endpoint_service() -> String {
    String::from("s3")
}

fn default_upstream_timeout_secs() -> u64 {
    900
}

fn default_connect_timeout_ms() -> u64 {
    5_000
}

fn default_endpoint_connections() -> usize {
    1_024
}

/// `[trails]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrailsSection {
    /// Seconds the oldest event of a batch waits before its file is written. Default 300.
    pub delivery_interval_secs: u64,
    /// Seconds between digests. Default 3600.
    pub digest_period_secs: u64,
    /// Days a signing key signs. Default 30.
    pub key_rotation_days: u64,
    /// Bytes of records open batches hold before their files are written. Default 64 MiB.
    pub max_batch_bytes: u64,
    /// Extra network activity event sources. Default none.
    pub network_event_sources: Vec<String>,
}

impl Default for TrailsSection {
    fn default() -> TrailsSection {
        TrailsSection {
            delivery_interval_secs: 300,
            digest_period_secs: 3_600,
            key_rotation_days: 30,
            max_batch_bytes: 64 * 1024 * 1024,
            network_event_sources: Vec::new(),
        }
    }
}

/// `[lake]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LakeSection {
    /// The bucket of the Parquet files; empty for `<data_dir>/lake/files/`. Default empty.
    pub bucket: String,
    /// Key prefix in the bucket. Default empty.
    pub prefix: String,
    /// Milliseconds a record waits before its file is written. Default 2000.
    pub flush_interval_ms: u64,
    /// Threads running queries. Default 2.
    pub query_workers: usize,
    /// Seconds before a query times out. Default 3600.
    pub query_timeout_secs: u64,
    /// Largest result kept per query, in bytes. Default 256 MiB.
    pub max_result_bytes: u64,
    /// Memory the SQL engine may use per query, in bytes. Default 2 GiB.
    pub query_memory_bytes: u64,
}

impl Default for LakeSection {
    fn default() -> LakeSection {
        LakeSection {
            bucket: String::new(),
            prefix: String::new(),
            flush_interval_ms: 2_000,
            query_workers: 2,
            query_timeout_secs: 3_600,
            max_result_bytes: 256 * 1024 * 1024,
            query_memory_bytes: 2 * 1024 * 1024 * 1024,
        }
    }
}

/// Variables named in the trail issue (short names for tests and demos) and the config
/// member each stands for.
const SHORT_VARIABLES: &[(&str, &str)] = &[
    (
        "OPENTRAIL_DELIVERY_INTERVAL_SECS",
        "OPENTRAIL__TRAILS__DELIVERY_INTERVAL_SECS",
    ),
    (
        "OPENTRAIL_DIGEST_PERIOD_SECS",
        "OPENTRAIL__TRAILS__DIGEST_PERIOD_SECS",
    ),
];

/// `[server]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSection {
    /// Listen address. Default `127.0.0.1:4571`.
    pub listen: String,
    /// Largest body, in bytes. Default 16,777,216 (16 MiB).
    pub max_body_bytes: u64,
    /// Largest decoded gzip body, in bytes. Default 134,217,728 (128 MiB).
    pub max_decoded_body_bytes: u64,
    /// Time to receive a request, in seconds. Default 30.
    pub request_timeout_secs: u64,
    /// Connections served at once. Default 1024.
    pub max_connections: usize,
    /// Grace period for in-flight requests at shutdown, in seconds. Default 30.
    pub shutdown_grace_secs: u64,
}

/// `[admin]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminSection {
    /// The admin key's account. Default: random, chosen on first start.
    pub account_id: Option<String>,
}

/// `[ingest]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestSection {
    /// Most records per request. Default 10,000.
    pub max_records_per_request: usize,
}

/// One `[[keys]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySection {
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The principal's account (12 digits).
    pub account_id: String,
    /// The principal's user name.
    pub user_name: String,
    /// The principal's ARN. Default `arn:aws:iam::<account_id>:user/<user_name>`.
    pub arn: Option<String>,
    /// `read-only`, `ingest-only` or `admin`.
    pub permission: String,
}

/// `[history]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistorySection {
    /// Days an event stays searchable, from its arrival. Default 90.
    pub retention_days: u64,
    /// Categories held besides Insights. Default `["Management"]`.
    pub categories: Vec<String>,
}

/// `[journal]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JournalSection {
    /// Segment size, in bytes. Default 268,435,456 (256 MiB).
    pub segment_bytes: u64,
}

/// `[import]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportSection {
    /// Largest decompressed file, in bytes. Default 536,870,912 (512 MiB).
    pub max_file_bytes: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            data_dir: PathBuf::from("./opentrail-data"),
            region: String::from("us-east-1"),
            server: ServerSection::default(),
            admin: AdminSection::default(),
            ingest: IngestSection::default(),
            keys: Vec::new(),
            history: HistorySection::default(),
            journal: JournalSection::default(),
            import: ImportSection::default(),
            trails: TrailsSection::default(),
            buckets: Vec::new(),
            lake: LakeSection::default(),
            insights: InsightsSection::default(),
            rules: RulesSection::default(),
            endpoints: Vec::new(),
            console: ConsoleSection::default(),
            aws_environment: Vec::new(),
        }
    }
}

impl Default for ServerSection {
    fn default() -> ServerSection {
        ServerSection {
            listen: String::from("127.0.0.1:4571"),
            max_body_bytes: 16 * 1024 * 1024,
            max_decoded_body_bytes: 128 * 1024 * 1024,
            request_timeout_secs: 30,
            max_connections: 1024,
            shutdown_grace_secs: 30,
        }
    }
}

impl Default for IngestSection {
    fn default() -> IngestSection {
        IngestSection {
            max_records_per_request: 10_000,
        }
    }
}

impl Default for HistorySection {
    fn default() -> HistorySection {
        HistorySection {
            retention_days: 90,
            categories: vec![String::from("Management")],
        }
    }
}

impl Default for JournalSection {
    fn default() -> JournalSection {
        JournalSection {
            segment_bytes: 256 * 1024 * 1024,
        }
    }
}

impl Default for ImportSection {
    fn default() -> ImportSection {
        ImportSection {
            max_file_bytes: 512 * 1024 * 1024,
        }
    }
}

impl Config {
    /// Reads `path` (or starts from the defaults when there is none), then applies the
    /// `OPENTRAIL__…` variables among `environment`.
    ///
    /// # Errors
    ///
    /// An unreadable file, TOML errors, unknown members, and values out of range.
    pub fn load(
        path: Option<&Path>,
        environment: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let (mut table, origin) = match path {
            None => (toml::Table::new(), String::from("(defaults)")),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                let table: toml::Table =
                    toml::from_str(&text).map_err(|source| ConfigError::Parse {
                        origin: format!("file `{}`", path.display()),
                        source,
                    })?;
                (table, format!("file `{}`", path.display()))
            }
        };
        let environment: Vec<(String, String)> = environment.into_iter().collect();
        let aws_environment: Vec<(String, String)> = environment
            .iter()
            .filter(|(name, _)| name.starts_with("AWS_") || name == "HOME")
            .cloned()
            .collect();
        let environment = environment.into_iter().map(|(name, value)| {
            match SHORT_VARIABLES.iter().find(|(short, _)| *short == name) {
                Some((_, long)) => ((*long).to_owned(), value),
                None => (name, value),
            }
        });
        let overridden = apply_environment(&mut table, environment)?;
        let origin = if overridden.is_empty() {
            origin
        } else {
            format!("{origin} with {}", overridden.join(", "))
        };
        let mut config: Config = table
            .try_into()
            .map_err(|source| ConfigError::Parse { origin, source })?;
        config.aws_environment = aws_environment;
        config.check()?;
        Ok(config)
    }

    fn check_rules(&self) -> Result<(), ConfigError> {
        let rules = &self.rules;
        let invalid = |message: String| Err(ConfigError::Invalid(message));
        if rules.queue_capacity == 0 || rules.in_flight == 0 {
            return invalid(String::from(
                "`rules.queue_capacity` and `rules.in_flight` must be at least 1",
            ));
        }
        if !(10..=60_000).contains(&rules.save_interval_ms) {
            return invalid(String::from(
                "`rules.save_interval_ms` must be between 10 and 60000",
            ));
        }
        if rules.webhook_timeout_secs == 0 || rules.backoff_initial_ms == 0 {
            return invalid(String::from(
                "`rules.webhook_timeout_secs` and `rules.backoff_initial_ms` must be at least 1",
            ));
        }
        if rules.backoff_max_secs.saturating_mul(1000) < rules.backoff_initial_ms {
            return invalid(String::from(
                "`rules.backoff_max_secs` must not be shorter than `rules.backoff_initial_ms`",
            ));
        }
        let mut names = std::collections::HashSet::new();
        for destination in &rules.api_destinations {
            let valid_name = (1..=64).contains(&destination.name.len())
                && destination
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
            if !valid_name {
                return invalid(format!(
                    "`rules.api_destinations` name `{}` must be 1 to 64 of letters, digits, `.`, `_` and `-`",
                    destination.name
                ));
            }
            if !names.insert(destination.name.as_str()) {
                return invalid(format!(
                    "`rules.api_destinations` names `{}` twice",
                    destination.name
                ));
            }
            let lower = destination.url.to_ascii_lowercase();
            if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                return invalid(format!(
                    "`rules.api_destinations` `{}` has url `{}`; it must be http:// or https://",
                    destination.name, destination.url
                ));
            }
            if destination.timeout_secs == Some(0) {
                return invalid(format!(
                    "`rules.api_destinations` `{}` has timeout_secs 0",
                    destination.name
                ));
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), ConfigError> {
        let invalid = |message: String| Err(ConfigError::Invalid(message));
        if let Err(message) = self.insights.detection.check() {
            return invalid(message);
        }
        if self.insights.save_interval_secs == 0 {
            return invalid(String::from(
                "`insights.save_interval_secs` must be at least 1",
            ));
        }
        self.check_rules()?;
        self.endpoint_specs()?;
        if !(1..=168).contains(&self.console.session_hours) {
            return invalid(format!(
                "`console.session_hours` is {}; it must be 1 to 168",
                self.console.session_hours
            ));
        }
        if self.console.max_download_events == 0 {
            return invalid(String::from(
                "`console.max_download_events` must be at least 1",
            ));
        }
        if self.history.retention_days == 0 {
            return invalid(String::from("`history.retention_days` must be at least 1"));
        }
        self.history_categories()?;
        if self.journal.segment_bytes < 1024 * 1024 {
            return invalid(String::from(
                "`journal.segment_bytes` must be at least 1048576",
            ));
        }
        if !(100..=600_000).contains(&self.lake.flush_interval_ms) {
            return invalid(String::from(
                "`lake.flush_interval_ms` must be between 100 and 600000",
            ));
        }
        if self.lake.query_workers == 0 || self.lake.query_timeout_secs == 0 {
            return invalid(String::from(
                "`lake.query_workers` and `lake.query_timeout_secs` must be at least 1",
            ));
        }
        if !self.lake.prefix.is_empty() && !self.lake.prefix.ends_with('/') {
            return invalid(String::from("`lake.prefix` must be empty or end in `/`"));
        }
        if !(1..=3_600).contains(&self.trails.delivery_interval_secs) {
            return invalid(format!(
                "`trails.delivery_interval_secs` is {}; it must be 1 to 3600",
                self.trails.delivery_interval_secs
            ));
        }
        if !(1..=86_400).contains(&self.trails.digest_period_secs) {
            return invalid(format!(
                "`trails.digest_period_secs` is {}; it must be 1 to 86400",
                self.trails.digest_period_secs
            ));
        }
        if self.trails.key_rotation_days == 0 {
            return invalid(String::from(
                "`trails.key_rotation_days` must be at least 1",
            ));
        }
        if self.trails.max_batch_bytes < 1024 * 1024 {
            return invalid(String::from(
                "`trails.max_batch_bytes` must be at least 1048576",
            ));
        }
        if self.import.max_file_bytes == 0 {
            return invalid(String::from("`import.max_file_bytes` must be at least 1"));
        }
        if !is_region(&self.region) {
            return invalid(format!(
                "`region` is `{}`; a Region looks like `us-east-1`",
                self.region
            ));
        }
        self.listen_address()?;
        let server = &self.server;
        if server.max_body_bytes < 1024 {
            return invalid(String::from(
                "`server.max_body_bytes` must be at least 1024",
            ));
        }
        if server.max_decoded_body_bytes < server.max_body_bytes {
            return invalid(String::from(
                "`server.max_decoded_body_bytes` must be at least `server.max_body_bytes`",
            ));
        }
        if server.request_timeout_secs == 0 {
            return invalid(String::from(
                "`server.request_timeout_secs` must be at least 1",
            ));
        }
        if server.max_connections == 0 {
            return invalid(String::from("`server.max_connections` must be at least 1"));
        }
        if self.ingest.max_records_per_request == 0 {
            return invalid(String::from(
                "`ingest.max_records_per_request` must be at least 1",
            ));
        }
        if let Some(account) = &self.admin.account_id
            && !is_account_id(account)
        {
            return invalid(format!(
                "`admin.account_id` is `{account}`; an account id is 12 digits"
            ));
        }
        Ok(())
    }

    /// `server.listen` as an address.
    ///
    /// # Errors
    ///
    /// When it is not `HOST:PORT` with an IP address.
    pub fn listen_address(&self) -> Result<SocketAddr, ConfigError> {
        self.server.listen.parse().map_err(|_| {
            ConfigError::Invalid(format!(
                "`server.listen` is `{}`; give an IP address and port such as `127.0.0.1:4571`",
                self.server.listen
            ))
        })
    }

    /// `history.categories` as categories.
    ///
    /// # Errors
    ///
    /// A name that is not `Management`, `Data` or `NetworkActivity`.
    pub fn history_categories(&self) -> Result<Vec<EventCategory>, ConfigError> {
        let mut categories = Vec::new();
        for name in &self.history.categories {
            match EventCategory::from_wire(name) {
                Some(
                    category @ (EventCategory::Management
                    | EventCategory::Data
                    | EventCategory::NetworkActivity),
                ) => {
                    categories.push(category);
                }
                _ => {
                    return Err(ConfigError::Invalid(format!(
                        "`history.categories` has `{name}`; use Management, Data or NetworkActivity"
                    )));
                }
            }
        }
        Ok(categories)
    }

    /// The `[[endpoints]]`, checked: ids, accounts, upstreams and policies valid, ids and
    /// listen addresses unique (and not the API's own address).
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the endpoint and what is wrong.
    pub fn endpoint_specs(&self) -> Result<Vec<opentrail_endpoint::EndpointSpec>, ConfigError> {
        use opentrail_endpoint::spec;
        let mut specs: Vec<opentrail_endpoint::EndpointSpec> = Vec::new();
        for section in &self.endpoints {
            let invalid = |what: String| {
                ConfigError::Invalid(format!("`endpoints` `{}`: {what}", section.id))
            };
            spec::check_id(&section.id).map_err(|error| invalid(error.to_string()))?;
            spec::check_account(&section.owner_account)
                .map_err(|error| invalid(format!("`owner_account`: {error}")))?;
            let upstream = spec::parse_upstream(&section.upstream)
                .map_err(|error| invalid(error.to_string()))?;
            let policy = match (&section.policy, &section.policy_file) {
                (Some(_), Some(_)) => {
                    return Err(invalid(String::from(
                        "give `policy` or `policy_file`, not both",
                    )));
                }
                (Some(text), None) => opentrail_policy::Policy::parse(text)
                    .map_err(|error| invalid(format!("`policy`: {error}")))?,
                (None, Some(path)) => {
                    let text = std::fs::read_to_string(path).map_err(|error| {
                        invalid(format!("`policy_file` `{}`: {error}", path.display()))
                    })?;
                    opentrail_policy::Policy::parse(&text).map_err(|error| {
                        invalid(format!("`policy_file` `{}`: {error}", path.display()))
                    })?
                }
                (None, None) => opentrail_policy::Policy::full_access(),
            };
            if section.service.is_empty() {
                return Err(invalid(String::from("`service` is empty")));
            }
            if section.max_connections == 0
                || section.connect_timeout_ms == 0
                || section.upstream_timeout_secs == 0
            {
                return Err(invalid(String::from(
                    "`max_connections`, `connect_timeout_ms` and `upstream_timeout_secs` must be at least 1",
                )));
            }
            if self.server.listen.parse::<SocketAddr>().ok() == Some(section.listen) {
                return Err(invalid(format!(
                    "`listen` {} is the API's own address",
                    section.listen
                )));
            }
            if let Some(other) = specs
                .iter()
                .find(|other| other.id == section.id || other.listen == section.listen)
            {
                return Err(invalid(format!(
                    "its id or `listen` address is also endpoint `{}`'s",
                    other.id
                )));
            }
            specs.push(opentrail_endpoint::EndpointSpec {
                id: section.id.clone(),
                owner_account: section.owner_account.clone(),
                listen: section.listen,
                upstream,
                region: section
                    .region
                    .clone()
                    .unwrap_or_else(|| self.region.clone()),
                default_service: section.service.clone(),
                virtual_host_suffixes: section.virtual_host_suffixes.clone(),
                policy,
                organization_id: section.organization_id.clone(),
                connect_timeout: Duration::from_millis(section.connect_timeout_ms),
                upstream_timeout: Duration::from_secs(section.upstream_timeout_secs),
                max_connections: section.max_connections,
            });
        }
        Ok(specs)
    }

    /// `history.retention_days` as a duration.
    pub fn retention(&self) -> Duration {
        Duration::from_secs(self.history.retention_days.saturating_mul(86_400))
    }
}

/// Whether `text` is 12 ASCII digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|byte| byte.is_ascii_digit())
}

fn is_region(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 32
        && text
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

/// Writes the `OPENTRAIL__…` variables into `table`; returns their names.
fn apply_environment(
    table: &mut toml::Table,
    environment: impl IntoIterator<Item = (String, String)>,
) -> Result<Vec<String>, ConfigError> {
    let mut applied = Vec::new();
    for (name, value) in environment {
        let Some(path) = name.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        let parts: Vec<String> = path.split("__").map(str::to_ascii_lowercase).collect();
        if parts.iter().any(String::is_empty) || parts.len() > 2 {
            return Err(ConfigError::Invalid(format!(
                "environment variable `{name}` names no config member; use `{ENV_PREFIX}<MEMBER>` or `{ENV_PREFIX}<SECTION>__<MEMBER>`"
            )));
        }
        let parsed = parse_env_value(&value);
        let mut target = &mut *table;
        for section in &parts[..parts.len() - 1] {
            let entry = target
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let toml::Value::Table(inner) = entry else {
                return Err(ConfigError::Invalid(format!(
                    "environment variable `{name}`: `{section}` is not a section"
                )));
            };
            target = inner;
        }
        if let Some(member) = parts.last() {
            target.insert(member.clone(), parsed);
        }
        applied.push(format!("`{name}`"));
    }
    Ok(applied)
}

/// A TOML value when the text is one (`30`, `true`, `["a"]`), else the text as a string.
fn parse_env_value(text: &str) -> toml::Value {
    let document = format!("value = {text}");
    match toml::from_str::<toml::Table>(&document) {
        Ok(mut table) => table
            .remove("value")
            .unwrap_or_else(|| toml::Value::String(text.to_owned())),
        Err(_) => toml::Value::String(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documented_examples() -> Vec<String> {
        let mut examples = Vec::new();
        let mut current: Option<Vec<&str>> = None;
        for line in include_str!("config.rs").lines() {
            let Some(doc) = line.strip_prefix("//!") else {
                continue;
            };
            let doc = doc.strip_prefix(' ').unwrap_or(doc);
            match (&mut current, doc) {
                (None, "```toml") => current = Some(Vec::new()),
                (Some(lines), "```") => {
                    examples.push(lines.join("\n"));
                    current = None;
                }
                (Some(lines), text) => lines.push(text),
                (None, _) => {}
            }
        }
        examples
    }

    #[test]
    fn the_documented_example_is_the_default() {
        let documented = &documented_examples()[0];
        let parsed: Config = toml::from_str(documented).unwrap();
        let default = Config::default();
        assert_eq!(parsed.data_dir, default.data_dir);
        assert_eq!(parsed.region, default.region);
        assert_eq!(parsed.server.listen, default.server.listen);
        assert_eq!(parsed.server.max_body_bytes, default.server.max_body_bytes);
        assert_eq!(
            parsed.server.max_decoded_body_bytes,
            default.server.max_decoded_body_bytes
        );
        assert_eq!(
            parsed.server.request_timeout_secs,
            default.server.request_timeout_secs
        );
        assert_eq!(
            parsed.server.max_connections,
            default.server.max_connections
        );
        assert_eq!(
            parsed.server.shutdown_grace_secs,
            default.server.shutdown_grace_secs
        );
        assert_eq!(parsed.admin.account_id, default.admin.account_id);
        assert_eq!(
            parsed.ingest.max_records_per_request,
            default.ingest.max_records_per_request
        );
        assert_eq!(
            parsed.history.retention_days,
            default.history.retention_days
        );
        assert_eq!(parsed.history.categories, default.history.categories);
        assert_eq!(parsed.journal.segment_bytes, default.journal.segment_bytes);
        assert_eq!(parsed.import.max_file_bytes, default.import.max_file_bytes);
    }

    #[test]
    fn the_documented_key_example_parses() {
        let examples = documented_examples();
        let documented = examples
            .iter()
            .find(|text| text.contains("[[keys]]"))
            .unwrap();
        let parsed: Config = toml::from_str(documented).unwrap();
        assert_eq!(parsed.keys.len(), 1);
        assert_eq!(parsed.keys[0].permission, "read-only");
    }

    #[test]
    fn the_documented_endpoint_example_parses_and_is_checked() {
        let examples = documented_examples();
        let documented = examples
            .iter()
            .find(|text| text.contains("[[endpoints]]"))
            .unwrap();
        let parsed: Config = toml::from_str(documented).unwrap();
        let specs = parsed.endpoint_specs().unwrap();
        assert_eq!(specs.len(), 1);
        assert_eq!(specs[0].id, "vpce-0a1b2c3d4e5f60718");
        assert_eq!(specs[0].region, "us-east-1");
        let mut twice = parsed.clone();
        twice.endpoints.push(parsed.endpoints[0].clone());
        let error = twice.endpoint_specs().unwrap_err().to_string();
        assert!(error.contains("also endpoint"), "{error}");
        let mut bad = parsed.clone();
        bad.endpoints[0].policy = Some(String::from(r#"{"Statement":[{"Effect":"Allow"}]}"#));
        let error = bad.endpoint_specs().unwrap_err().to_string();
        assert!(error.contains("`policy`"), "{error}");
        let mut bad = parsed;
        bad.endpoints[0].upstream = String::from("https://s3.example.com");
        assert!(bad.endpoint_specs().is_err());
    }

    #[test]
    fn the_documented_bucket_example_parses() {
        let examples = documented_examples();
        let documented = examples
            .iter()
            .find(|text| text.contains("[[buckets]]"))
            .unwrap();
        let parsed: Config = toml::from_str(documented).unwrap();
        parsed.check().unwrap();
        assert_eq!(parsed.buckets.len(), 1);
        assert_eq!(parsed.buckets[0].name, "audit-archive");
    }

    #[test]
    fn short_trail_variables_set_the_trail_timings() {
        let config = Config::load(
            None,
            vec![
                (
                    "OPENTRAIL_DELIVERY_INTERVAL_SECS".to_owned(),
                    "1".to_owned(),
                ),
                ("OPENTRAIL_DIGEST_PERIOD_SECS".to_owned(), "5".to_owned()),
            ],
        )
        .unwrap();
        assert_eq!(config.trails.delivery_interval_secs, 1);
        assert_eq!(config.trails.digest_period_secs, 5);
        let refused = Config::load(
            None,
            vec![(
                "OPENTRAIL_DELIVERY_INTERVAL_SECS".to_owned(),
                "0".to_owned(),
            )],
        );
        assert!(refused.is_err());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        assert!(toml::from_str::<Config>("[history]\nretention = 5").is_err());
        let bad: Config = toml::from_str("[history]\ncategories = [\"Insight\"]").unwrap();
        assert!(bad.check().is_err());
        let zero: Config = toml::from_str("[history]\nretention_days = 0").unwrap();
        assert!(zero.check().is_err());
        let listen: Config = toml::from_str("[server]\nlisten = \"localhost\"").unwrap();
        assert!(listen.check().is_err());
        let account: Config = toml::from_str("[admin]\naccount_id = \"12\"").unwrap();
        assert!(account.check().is_err());
    }

    #[test]
    fn environment_overrides_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("opentrail.toml");
        std::fs::write(&path, "[server]\nlisten = \"127.0.0.1:1\"\n").unwrap();
        let environment = vec![
            (
                String::from("OPENTRAIL__SERVER__LISTEN"),
                String::from("127.0.0.1:2"),
            ),
            (
                String::from("OPENTRAIL__history__retention_days"),
                String::from("30"),
            ),
            (
                String::from("OPENTRAIL__DATA_DIR"),
                String::from("/tmp/x y"),
            ),
            (String::from("UNRELATED"), String::from("1")),
        ];
        let config = Config::load(Some(&path), environment).unwrap();
        assert_eq!(config.server.listen, "127.0.0.1:2");
        assert_eq!(config.history.retention_days, 30);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/x y"));
    }

    #[test]
    fn bad_environment_overrides_name_the_variable() {
        let unknown = Config::load(
            None,
            vec![(String::from("OPENTRAIL__SERVER__NOPE"), String::from("1"))],
        )
        .unwrap_err();
        assert!(
            format!("{unknown}").contains("OPENTRAIL__SERVER__NOPE"),
            "{unknown}"
        );
        let deep = Config::load(
            None,
            vec![(String::from("OPENTRAIL__A__B__C"), String::from("1"))],
        )
        .unwrap_err();
        assert!(format!("{deep}").contains("OPENTRAIL__A__B__C"));
    }
}
