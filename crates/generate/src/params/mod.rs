//! `requestParameters`, `responseElements`, `additionalEventData`, `resources` and
//! `serviceEventDetails` of each operation, written into scratch buffers that the record
//! writer then places in CloudTrail's member order.

mod arn;
mod compute;
mod identity;
mod platform;
mod storage;

use rand::RngCore;

use crate::catalog::{
    CryptoCall, EcrCall, InstanceChange, ItemCall, LogsCall, ObjectCall, QueueCall, Res,
    SecretCall, Shape, Special, StackCall,
};
use crate::json::{
    self, BASE64, HEX, UPPER_ALNUM, aws_date, escaped, iso_date, iso_time, key, member, number,
    random_chars, raw, string,
};
use crate::plan::Operation;
use crate::random::{below, chance, skewed, splitmix64, uniform};
use crate::world::{
    APPS, Account, ENVS, FIRST_NAMES, IdentityKind, LAST_NAMES, Principal, World, iam_unique_id,
};
pub(crate) use arn::write_arn;

/// What the shape writers need to know about the call.
#[derive(Debug)]
pub(crate) struct CallEnv<'a> {
    pub world: &'a World,
    pub account: &'a Account,
    pub region: &'a str,
    pub principal: &'a Principal,
    pub time_secs: i64,
    pub request_id: &'a [u8],
    pub failed: bool,
}

/// Buffers one record's variable parts are written into.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// `requestParameters` JSON (never empty after a shape ran).
    pub params: Vec<u8>,
    /// `responseElements` JSON, or empty for `null`.
    pub response: Vec<u8>,
    /// `additionalEventData` JSON, or empty when absent.
    pub extra: Vec<u8>,
    /// Elements of `resources`, comma-separated, or empty when absent.
    pub resources: Vec<u8>,
    /// `serviceEventDetails` JSON, or empty when absent.
    pub details: Vec<u8>,
    /// TLS host header when it differs from the service endpoint (S3 virtual hosts).
    pub host: Vec<u8>,
    /// Kind of the main resource, for not-found errors.
    pub target: Option<Res>,
    /// Name of the main resource.
    pub target_name: Vec<u8>,
    /// ARN of the main resource.
    pub target_arn: Vec<u8>,
    /// Operation-specific not-found error (S3 configuration probes, missing keys).
    pub not_found: Option<(&'static str, Option<&'static str>)>,
    /// Write a `sharedEventID` (calls made by AWS services on the account's resources).
    pub shared_event: bool,
    arn: Vec<u8>,
    name: Vec<u8>,
}

const SESSION_TOKEN_PREFIX: &str = "IQoJb3JpZ2luX2VjE";
const INSTANCE_TYPES: [&str; 8] = [
    "t3.micro",
    "t3.medium",
    "m5.large",
    "m6i.xlarge",
    "c6g.large",
    "r5.2xlarge",
    "t4g.small",
    "m7g.large",
];
const OBJECT_PREFIXES: [&str; 9] = [
    "raw/events",
    "exports",
    "uploads",
    "reports",
    "logs",
    "images",
    "models",
    "backups",
    "tmp",
];
const OBJECT_EXTENSIONS: [&str; 8] = ["json", "parquet", "csv", "gz", "png", "jpg", "pdf", "zip"];
const MANAGED_POLICIES: [&str; 6] = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
];

/// Appends `count` hex digits derived from `hash` (stable values such as layer digests).
pub(crate) fn hashed_hex(out: &mut Vec<u8>, hash: u64, count: usize) {
    let mut state = hash;
    let mut left = 0;
    let mut bits = 0u64;
    for _ in 0..count {
        if left == 0 {
            state = splitmix64(state);
            bits = state;
            left = 16;
        }
        out.push(HEX[(bits & 0xF) as usize]);
        bits >>= 4;
        left -= 1;
    }
}

/// Appends an availability zone of `region` (`us-east-1b`).
fn zone(out: &mut Vec<u8>, rng: &mut (impl RngCore + ?Sized), region: &str) {
    raw(out, region);
    out.push(b"abc"[below(rng, 3)]);
}

/// Appends a private address derived from `hash`.
fn private_ip(out: &mut Vec<u8>, hash: u64, separator: u8) {
    let bytes = splitmix64(hash).to_be_bytes();
    raw(out, "10");
    out.push(separator);
    number(out, u64::from(bytes[0] % 32));
    out.push(separator);
    number(out, u64::from(bytes[1]));
    out.push(separator);
    number(out, u64::from(bytes[2].max(4)));
}

fn name_hash(name: &str) -> u64 {
    crate::world::text_hash(name)
}

impl Scratch {
    /// Clears every buffer for the next record.
    pub(crate) fn clear(&mut self) {
        self.params.clear();
        self.response.clear();
        self.extra.clear();
        self.resources.clear();
        self.details.clear();
        self.host.clear();
        self.target = None;
        self.target_name.clear();
        self.target_arn.clear();
        self.not_found = None;
        self.shared_event = false;
    }

    /// Picks a resource of `kind`: the principal's own one most of the time, otherwise a
    /// popular one.
    fn choose(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>, kind: Res) -> usize {
        let pool = env.account.pool(kind);
        if let Some((own_kind, own)) = env.principal.own {
            let matches = own_kind == kind || (own_kind == Res::Function && kind == Res::LogGroup);
            if matches && own < pool.len() && chance(rng, 0.8) {
                return own;
            }
        }
        skewed(rng, pool.len())
    }

    /// Makes the resource at `index` the call's main resource.
    fn set_target(&mut self, env: &CallEnv<'_>, kind: Res, index: usize) {
        let entry = &env.account.pool(kind)[index];
        self.target = Some(kind);
        self.target_name.clear();
        self.target_name.extend_from_slice(entry.name.as_bytes());
        self.target_arn.clear();
        write_arn(&mut self.target_arn, kind, env.account, env.region, entry);
    }

    /// Chooses a resource of `kind` and makes it the main one; returns its index.
    fn pick_target(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        kind: Res,
    ) -> usize {
        let index = self.choose(rng, env, kind);
        self.set_target(env, kind, index);
        index
    }

    /// Appends one `resources` element.
    fn add_resource(&mut self, account: Option<&str>, resource_type: Option<&str>, arn: &[u8]) {
        if !self.resources.is_empty() {
            self.resources.push(b',');
        }
        self.resources.push(b'{');
        let mut first = true;
        if let Some(account) = account {
            member(&mut self.resources, "accountId", account);
            first = false;
        }
        if let Some(resource_type) = resource_type {
            if !first {
                self.resources.push(b',');
            }
            member(&mut self.resources, "type", resource_type);
            first = false;
        }
        if !first {
            self.resources.push(b',');
        }
        key(&mut self.resources, "ARN");
        self.resources.push(b'"');
        self.resources.extend_from_slice(arn);
        self.resources.extend_from_slice(b"\"}");
    }

    /// Lists the main resource in `resources`.
    fn add_target_resource(&mut self, env: &CallEnv<'_>) {
        let Some(kind) = self.target else {
            return;
        };
        let arn = std::mem::take(&mut self.target_arn);
        self.add_resource(Some(&env.account.id), kind.resource_type(), &arn);
        self.target_arn = arn;
    }

    /// Writes the target's name (or ARN, for keys ending in `Arn`/`Arns`) as a JSON string.
    fn push_target_value(&mut self, key_name: &str) {
        self.params.push(b'"');
        if key_name.ends_with("Arn") || key_name.ends_with("Arns") || key_name == "secretId" {
            self.params.extend_from_slice(&self.target_arn);
        } else {
            let name = std::mem::take(&mut self.target_name);
            escaped(
                &mut self.params,
                std::str::from_utf8(&name).unwrap_or_default(),
            );
            self.target_name = name;
        }
        self.params.push(b'"');
    }

    /// Runs the shape of `op`.
    pub(crate) fn write_shape(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        op: &Operation,
    ) {
        match op.shape {
            Shape::Null => raw(&mut self.params, "null"),
            Shape::Fixed(text) => raw(&mut self.params, text),
            Shape::Name(key_name, kind) | Shape::Arn(key_name, kind) => {
                self.pick_target(rng, env, kind);
                self.params.push(b'{');
                key(&mut self.params, key_name);
                if matches!(op.shape, Shape::Arn(..)) {
                    self.params.push(b'"');
                    let arn = std::mem::take(&mut self.target_arn);
                    self.params.extend_from_slice(&arn);
                    self.target_arn = arn;
                    self.params.push(b'"');
                } else {
                    self.push_target_value(key_name);
                }
                self.params.push(b'}');
            }
            Shape::NameList(key_name, kind) => {
                self.pick_target(rng, env, kind);
                self.params.push(b'{');
                key(&mut self.params, key_name);
                self.params.push(b'[');
                self.push_target_value(key_name);
                self.params.extend_from_slice(b"]}");
            }
            Shape::NameWith(key_name, kind, extra) => {
                self.pick_target(rng, env, kind);
                self.params.push(b'{');
                key(&mut self.params, key_name);
                self.push_target_value(key_name);
                self.params.push(b',');
                raw(&mut self.params, extra);
                self.params.push(b'}');
            }
            Shape::Special(special) => self.write_special(rng, env, op, special),
        }
        if op.resources && self.resources.is_empty() {
            self.add_target_resource(env);
        }
    }

    fn write_special(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        op: &Operation,
        special: Special,
    ) {
        match special {
            Special::Ec2DescribeInstances => self.ec2_describe_instances(rng, env),
            Special::Ec2InstanceState(change) => self.ec2_instance_state(rng, env, change),
            Special::Ec2RunInstances => self.ec2_run_instances(rng, env),
            Special::Ec2CreateTags => self.ec2_create_tags(rng, env),
            Special::Ec2CreateVolume => self.ec2_create_volume(rng, env),
            Special::Ec2AttachVolume => self.ec2_attach_volume(rng, env),
            Special::Ec2Return(key_name, kind) => self.ec2_return(rng, env, key_name, kind),
            Special::Ec2AuthorizeIngress => self.ec2_authorize_ingress(rng, env),
            Special::Ec2CreateNetworkInterface => self.ec2_create_network_interface(rng, env),
            Special::Ec2CreateSnapshot => self.ec2_create_snapshot(rng, env),
            Special::S3Bucket(subresource) => self.s3_bucket(rng, env, op, subresource),
            Special::S3CreateBucket => self.s3_create_bucket(rng, env),
            Special::S3ListBuckets => self.s3_list_buckets(rng, env),
            Special::S3Object(call) => self.s3_object(rng, env, call),
            Special::IamCreateUser => self.iam_create_user(rng, env),
            Special::IamCreateRole => self.iam_create_role(rng, env),
            Special::IamCreateAccessKey => self.iam_create_access_key(rng, env),
            Special::IamAttachRolePolicy => self.iam_attach_role_policy(rng, env),
            Special::StsAssumeRole => self.sts_assume_role(rng, env),
            Special::StsAssumeRoleWithSaml => self.sts_assume_role_with_saml(rng, env),
            Special::StsAssumeRoleWithWebIdentity => {
                self.sts_assume_role_with_web_identity(rng, env)
            }
            Special::StsGetSessionToken => {
                raw(&mut self.params, r#"{"durationSeconds":43200}"#);
                raw(&mut self.response, "{");
                self.credentials(rng, env, 43_200);
                raw(&mut self.response, "}");
            }
            Special::KmsCrypto(call) => self.kms_crypto(rng, env, call),
            Special::KmsCreateKey => self.kms_create_key(rng, env),
            Special::KmsScheduleKeyDeletion => self.kms_schedule_key_deletion(rng, env),
            Special::KmsCreateGrant => self.kms_create_grant(rng, env),
            Special::KmsServiceEvent => {
                self.pick_target(rng, env, Res::Key);
                raw(&mut self.params, "null");
                raw(&mut self.details, "{");
                member(
                    &mut self.details,
                    "keyId",
                    std::str::from_utf8(&self.target_name).unwrap_or_default(),
                );
                raw(&mut self.details, "}");
            }
            Special::LambdaFunctionConfig => self.lambda_function_config(rng, env, op),
            Special::LambdaInvoke => self.lambda_invoke(rng, env),
            Special::DynamoItem(call) => self.dynamo_item(rng, env, call),
            Special::DynamoCreateTable => self.dynamo_create_table(rng, env),
            Special::CloudTrailLookupEvents => self.cloudtrail_lookup_events(rng, env),
            Special::CloudTrailCreateTrail => self.cloudtrail_create_trail(rng, env),
            Special::CloudTrailPutEventSelectors => self.cloudtrail_put_event_selectors(rng, env),
            Special::CloudFormationStack(call) => self.cloudformation_stack(rng, env, call),
            Special::Logs(call) => self.logs(rng, env, call),
            Special::CloudWatchGetMetricData => self.cloudwatch_get_metric_data(rng, env),
            Special::CloudWatchPutMetricAlarm => self.cloudwatch_put_metric_alarm(rng, env),
            Special::SsmUpdateInstanceInformation => self.ssm_update_instance_information(rng, env),
            Special::SsmInstance(extra) => self.ssm_instance(rng, env, extra),
            Special::SsmGetParameter => self.ssm_get_parameter(rng, env),
            Special::SsmGetParameters => self.ssm_get_parameters(rng, env),
            Special::SsmGetParametersByPath => self.ssm_get_parameters_by_path(rng, env),
            Special::SsmPutParameter => self.ssm_put_parameter(rng, env),
            Special::SsmSendCommand => self.ssm_send_command(rng, env),
            Special::SsmStartSession => self.ssm_start_session(rng, env),
            Special::SecretsWrite(call) => self.secrets_write(rng, env, call),
            Special::SecretsServiceEvent => self.secrets_service_event(rng, env, op),
            Special::SnsCreateTopic => {
                self.pick_target(rng, env, Res::Topic);
                raw(&mut self.params, "{");
                key(&mut self.params, "name");
                self.push_target_value("name");
                raw(&mut self.params, r#","attributes":{},"tags":[]}"#);
                raw(&mut self.response, r#"{"topicArn":""#);
                self.response.extend_from_slice(&self.target_arn);
                raw(&mut self.response, r#""}"#);
            }
            Special::SnsSubscribe => self.sns_subscribe(rng, env),
            Special::SnsPublish => {
                self.pick_target(rng, env, Res::Topic);
                raw(&mut self.params, r#"{"topicArn":""#);
                self.params.extend_from_slice(&self.target_arn);
                raw(
                    &mut self.params,
                    r#"","message":"HIDDEN_DUE_TO_SECURITY_REASONS"}"#,
                );
                raw(&mut self.response, r#"{"messageId":""#);
                json::uuid(&mut self.response, rng);
                raw(&mut self.response, r#""}"#);
            }
            Special::Sqs(call) => self.sqs(rng, env, call),
            Special::SqsCreateQueue => {
                self.pick_target(rng, env, Res::Queue);
                raw(&mut self.params, "{");
                key(&mut self.params, "queueName");
                self.push_target_value("queueName");
                raw(
                    &mut self.params,
                    r#","attributes":{"VisibilityTimeout":"30","MessageRetentionPeriod":"345600"}}"#,
                );
                raw(&mut self.response, r#"{"queueUrl":""#);
                self.queue_url_into_response(env);
                raw(&mut self.response, r#""}"#);
            }
            Special::Ecr(call) => self.ecr(rng, env, call),
            Special::EksNodegroup(extra) => self.eks_nodegroup(rng, env, extra),
            Special::ElbTargets => self.elb_targets(rng, env),
            Special::Route53ChangeRecords => self.route53_change_records(rng, env),
            Special::CloudFrontInvalidation => self.cloudfront_invalidation(rng, env),
            Special::StatesStartExecution => self.states_start_execution(rng, env),
            Special::EventsPutRule => {
                self.pick_target(rng, env, Res::Rule);
                raw(&mut self.params, "{");
                key(&mut self.params, "name");
                self.push_target_value("name");
                raw(
                    &mut self.params,
                    r#","scheduleExpression":"rate(5 minutes)","state":"ENABLED","description":""}"#,
                );
                raw(&mut self.response, r#"{"ruleArn":""#);
                self.response.extend_from_slice(&self.target_arn);
                raw(&mut self.response, r#""}"#);
            }
            Special::AthenaStartQuery => self.athena_start_query(rng, env),
            Special::AthenaQueryId => {
                raw(&mut self.params, r#"{"queryExecutionId":""#);
                json::uuid(&mut self.params, rng);
                raw(&mut self.params, r#""}"#);
            }
            Special::GlueTable(extra) => self.glue_table(rng, env, extra),
            Special::GlueStartJobRun => {
                let (app, env_name) = (APPS[below(rng, APPS.len())], ENVS[below(rng, ENVS.len())]);
                raw(&mut self.params, r#"{"jobName":""#);
                raw(&mut self.params, app);
                self.params.push(b'-');
                raw(&mut self.params, env_name);
                raw(
                    &mut self.params,
                    r#"-etl","arguments":"HIDDEN_DUE_TO_SECURITY_REASONS"}"#,
                );
                raw(&mut self.response, r#"{"jobRunId":"jr_"#);
                random_chars(&mut self.response, rng, HEX, 64);
                raw(&mut self.response, r#""}"#);
            }
            Special::ConsoleLogin => self.console_login(rng, env),
            Special::SsoAccount(extra) => {
                let account = &env.world.accounts[below(rng, env.world.accounts.len())];
                raw(&mut self.params, "{");
                member(&mut self.params, "accountId", &account.id);
                raw(&mut self.params, extra);
                raw(&mut self.params, "}");
            }
            Special::OrganizationsAccount => self.organizations_account(rng, env, op),
        }
    }
}
