//! Operations as the generator uses them, and the per-profile draw tables.

use super::*;

/// Sources whose calls leave instances through VPC endpoints now and then.
const VPC_ENDPOINT_SOURCES: [&str; 9] = [
    "s3.amazonaws.com",
    "kms.amazonaws.com",
    "secretsmanager.amazonaws.com",
    "ssm.amazonaws.com",
    "sqs.amazonaws.com",
    "dynamodb.amazonaws.com",
    "ecr.amazonaws.com",
    "logs.amazonaws.com",
    "sts.amazonaws.com",
];

/// One API operation as the generator uses it.
#[derive(Debug)]
pub(crate) struct Operation {
    pub source: String,
    pub name: String,
    pub read_only: bool,
    pub kind: Kind,
    pub shape: Shape,
    pub resources: bool,
    pub global: bool,
    pub version: &'static str,
    pub api_version: Option<&'static str>,
    pub request_id: RequestIdStyle,
    pub denied: &'static str,
    pub throttle: &'static str,
    pub invalid: &'static str,
    /// `iam:GetRole`, for access-denied messages.
    pub iam_action: String,
    /// `iam.get-role`, for CLI user agents.
    pub cli: String,
    /// TLS host header per configured region.
    pub hosts: Vec<String>,
    /// Calls may go through a VPC endpoint.
    pub vpc_endpoint: bool,
    /// Multiplier on the error probability (configuration probes fail often).
    pub error_boost: f64,
}

impl Operation {
    pub(super) fn new(
        service: &ServiceSpec,
        op: &catalog::OpSpec,
        regions: &[String],
    ) -> Operation {
        let hosts = regions
            .iter()
            .map(|region| {
                if service.source == "sts.amazonaws.com" && region == "us-east-1" {
                    String::from("sts.amazonaws.com")
                } else {
                    service.host.replace("{r}", region)
                }
            })
            .collect();
        let probes = [
            "GetBucketPolicy",
            "GetBucketEncryption",
            "GetBucketTagging",
            "GetBucketCors",
            "GetBucketLifecycle",
            "GetBucketPublicAccessBlock",
            "GetBucketOwnershipControls",
        ];
        Operation {
            source: String::from(service.source),
            name: String::from(op.name),
            read_only: op.read_only,
            kind: op.kind,
            shape: op.shape,
            resources: op.resources,
            global: service.global,
            version: service.version,
            api_version: service.api_version,
            request_id: service.request_id,
            denied: service.denied,
            throttle: service.throttle,
            invalid: service.invalid,
            iam_action: format!("{}:{}", service.iam, catalog::iam_action(op.name)),
            cli: format!("{}.{}", service.cli, catalog::cli_command(op.name)),
            hosts,
            vpc_endpoint: VPC_ENDPOINT_SOURCES.contains(&service.source),
            error_boost: if probes.contains(&op.name) { 8.0 } else { 1.0 },
        }
    }

    /// An operation named by a burst but missing from the catalog.
    pub(super) fn custom(source: &str, name: &str, regions: &[String]) -> Operation {
        let known = catalog::find_service(source).map(|index| &SERVICES[index]);
        let prefix = source.strip_suffix(".amazonaws.com").unwrap_or(source);
        let read_only = [
            "Get", "List", "Describe", "Head", "Lookup", "Search", "BatchGet",
        ]
        .iter()
        .any(|verb| name.starts_with(verb));
        let spec = catalog::OpSpec {
            name: "",
            read_only,
            weight: 1,
            kind: Kind::Management,
            shape: Shape::Null,
            resources: false,
        };
        let fallback = ServiceSpec {
            source: "",
            cli: "",
            iam: "",
            denied: "AccessDeniedException",
            throttle: "ThrottlingException",
            invalid: "ValidationException",
            global: false,
            version: "1.08",
            api_version: None,
            host: "",
            request_id: RequestIdStyle::Uuid,
            ops: &[],
        };
        let service = known.unwrap_or(&fallback);
        let mut operation = Operation::new(service, &spec, regions);
        operation.source = String::from(source);
        operation.name = String::from(name);
        operation.iam_action = format!(
            "{}:{}",
            if known.is_some() { service.iam } else { prefix },
            name
        );
        operation.cli = format!(
            "{}.{}",
            if known.is_some() { service.cli } else { prefix },
            catalog::cli_command(name)
        );
        if known.is_none() {
            operation.hosts = regions
                .iter()
                .map(|region| format!("{prefix}.{region}.amazonaws.com"))
                .collect();
        }
        operation.vpc_endpoint = false;
        operation.error_boost = 1.0;
        operation
    }
}

/// Operations of one profile with their draw weights.
#[derive(Debug)]
pub(crate) struct OpTable {
    table: AliasTable,
    pub(super) ops: Vec<u16>,
}

impl OpTable {
    /// Draws an operation index.
    pub(crate) fn sample(&self, rng: &mut (impl rand::RngCore + ?Sized)) -> usize {
        usize::from(self.ops[self.table.sample(rng)])
    }
}

/// Builds the draw table of one profile's management (or data) operations.
pub(super) fn profile_ops(
    profile: Profile,
    ops: &[Operation],
    op_index: &HashMap<(&str, &str), usize>,
    has_us_east_1: bool,
    data: bool,
) -> Option<OpTable> {
    let spec = profile.spec();
    let mut weights = vec![0.0f64; ops.len()];
    let usable = |op: &Operation| has_us_east_1 || !op.global;
    if data {
        for (service, name, weight) in spec.data {
            let source = format!("{service}.amazonaws.com");
            if let Some(&index) = op_index.get(&(source.as_str(), *name)) {
                weights[index] += weight;
            }
        }
    } else {
        for (service, service_weight) in spec.services {
            let source = format!("{service}.amazonaws.com");
            let members: Vec<usize> = ops
                .iter()
                .enumerate()
                .filter(|(_, op)| op.source == source && op.kind == spec.kind)
                .filter(|(_, op)| !spec.uniform_reads || op.read_only)
                .map(|(index, _)| index)
                .collect();
            let raw: Vec<f64> = members
                .iter()
                .map(|&index| {
                    let op = &ops[index];
                    let base = if spec.uniform_reads {
                        1.0
                    } else {
                        f64::from(catalog_weight(op))
                    };
                    if op.read_only {
                        base
                    } else {
                        base * spec.write_factor
                    }
                })
                .collect();
            let total: f64 = raw.iter().sum();
            if total <= 0.0 {
                continue;
            }
            for (index, value) in members.iter().zip(raw) {
                weights[*index] += service_weight * value / total;
            }
        }
        for (service, name, weight) in spec.focus {
            let source = format!("{service}.amazonaws.com");
            if let Some(&index) = op_index.get(&(source.as_str(), *name)) {
                weights[index] += weight;
            }
        }
    }
    let mut members = Vec::new();
    let mut kept = Vec::new();
    for (index, weight) in weights.into_iter().enumerate() {
        if weight > 0.0 && usable(&ops[index]) {
            members.push(index as u16);
            kept.push(weight);
        }
    }
    AliasTable::new(&kept).map(|table| OpTable {
        table,
        ops: members,
    })
}

pub(super) fn catalog_weight(op: &Operation) -> u16 {
    catalog::find(&op.source, &op.name).map_or(1, |found| found.spec().weight)
}
