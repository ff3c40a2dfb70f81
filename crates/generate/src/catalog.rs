//! The catalog of AWS services and API operations the generator draws from.
//!
//! Each service names its endpoint (`eventSource`), the IAM action prefix and error codes
//! its protocol uses, whether it is global (recorded in `us-east-1`), and the
//! `eventVersion` it writes. Each operation says whether it is read-only, how popular it
//! is within its service (`weight`, a Zipf-like spread), what kind of record it makes
//! (management or data call, service event, console sign-in) and how its
//! `requestParameters` look ([`Shape`]).

/// The kind of resource an operation acts on; the world keeps a pool of each per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Res {
    Bucket,
    Instance,
    Volume,
    SecurityGroup,
    Vpc,
    Subnet,
    Image,
    Function,
    Table,
    Key,
    Secret,
    Parameter,
    LogGroup,
    Stack,
    Repository,
    EksCluster,
    DbInstance,
    Topic,
    Queue,
    Role,
    User,
    Policy,
    Trail,
    Alarm,
    HostedZone,
    Distribution,
    EcsCluster,
    StateMachine,
    LoadBalancer,
    TargetGroup,
    AutoScalingGroup,
    Rule,
    Certificate,
    GlueDatabase,
    Detector,
}

impl Res {
    /// Every resource kind, in a fixed order (its index is `self as usize`).
    pub(crate) const ALL: [Res; 35] = [
        Res::Bucket,
        Res::Instance,
        Res::Volume,
        Res::SecurityGroup,
        Res::Vpc,
        Res::Subnet,
        Res::Image,
        Res::Function,
        Res::Table,
        Res::Key,
        Res::Secret,
        Res::Parameter,
        Res::LogGroup,
        Res::Stack,
        Res::Repository,
        Res::EksCluster,
        Res::DbInstance,
        Res::Topic,
        Res::Queue,
        Res::Role,
        Res::User,
        Res::Policy,
        Res::Trail,
        Res::Alarm,
        Res::HostedZone,
        Res::Distribution,
        Res::EcsCluster,
        Res::StateMachine,
        Res::LoadBalancer,
        Res::TargetGroup,
        Res::AutoScalingGroup,
        Res::Rule,
        Res::Certificate,
        Res::GlueDatabase,
        Res::Detector,
    ];

    /// The CloudFormation-style type written in `resources[].type`, if records carry one.
    pub(crate) const fn resource_type(self) -> Option<&'static str> {
        Some(match self {
            Res::Bucket => "AWS::S3::Bucket",
            Res::Instance => "AWS::EC2::Instance",
            Res::Volume => "AWS::EC2::Volume",
            Res::SecurityGroup => "AWS::EC2::SecurityGroup",
            Res::Vpc => "AWS::EC2::VPC",
            Res::Subnet => "AWS::EC2::Subnet",
            Res::Image => "AWS::EC2::Image",
            Res::Function => "AWS::Lambda::Function",
            Res::Table => "AWS::DynamoDB::Table",
            Res::Key => "AWS::KMS::Key",
            Res::Secret => "AWS::SecretsManager::Secret",
            // SSM writes parameter resources without a type (see the fixture records).
            Res::Parameter => return None,
            Res::LogGroup => "AWS::Logs::LogGroup",
            Res::Stack => "AWS::CloudFormation::Stack",
            Res::Repository => "AWS::ECR::Repository",
            Res::EksCluster => "AWS::EKS::Cluster",
            Res::DbInstance => "AWS::RDS::DBInstance",
            Res::Topic => "AWS::SNS::Topic",
            Res::Queue => "AWS::SQS::Queue",
            Res::Role => "AWS::IAM::Role",
            Res::User => "AWS::IAM::User",
            Res::Policy => "AWS::IAM::Policy",
            Res::Trail => "AWS::CloudTrail::Trail",
            Res::Alarm => "AWS::CloudWatch::Alarm",
            Res::HostedZone => "AWS::Route53::HostedZone",
            Res::Distribution => "AWS::CloudFront::Distribution",
            Res::EcsCluster => "AWS::ECS::Cluster",
            Res::StateMachine => "AWS::StepFunctions::StateMachine",
            Res::LoadBalancer => "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Res::TargetGroup => "AWS::ElasticLoadBalancingV2::TargetGroup",
            Res::AutoScalingGroup => "AWS::AutoScaling::AutoScalingGroup",
            Res::Rule => "AWS::Events::Rule",
            Res::Certificate => "AWS::CertificateManager::Certificate",
            Res::GlueDatabase => "AWS::Glue::Database",
            Res::Detector => "AWS::GuardDuty::Detector",
        })
    }
}

/// What kind of record an operation makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A management `AwsApiCall`.
    Management,
    /// A data `AwsApiCall` (`managementEvent` false, `eventCategory` `Data`).
    Data,
    /// An `AwsServiceEvent` the service records on its own.
    ServiceEvent,
    /// An `AwsConsoleSignIn` record of `signin.amazonaws.com`.
    SignIn,
}

/// EC2 instance state changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InstanceChange {
    Start,
    Stop,
    Terminate,
    Reboot,
}

/// S3 object-level (data) calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectCall {
    Get,
    Head,
    Put,
    Delete,
    List,
}

/// KMS cryptographic calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CryptoCall {
    Decrypt,
    Encrypt,
    GenerateDataKey,
}

/// DynamoDB item-level (data) calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemCall {
    Get,
    Put,
    Update,
    Delete,
    Query,
    Scan,
    BatchGet,
    BatchWrite,
}

/// CloudWatch Logs calls on a log group or stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LogsCall {
    CreateStream,
    DescribeStreams,
    GetEvents,
    FilterEvents,
    PutRetention,
    StartQuery,
    GetQueryResults,
}

/// CloudFormation stack writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StackCall {
    Create,
    Update,
    CreateChangeSet,
    ExecuteChangeSet,
    DescribeChangeSet,
}

/// ECR calls on a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EcrCall {
    BatchGetImage,
    GetDownloadUrl,
    CheckLayers,
    DescribeImages,
    ListImages,
    PutImage,
    InitiateUpload,
    CompleteUpload,
}

/// Secrets Manager writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecretCall {
    Create,
    PutValue,
    Rotate,
    Delete,
}

/// SQS calls on a queue URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueueCall {
    GetAttributes,
    SetAttributes,
    Delete,
    Purge,
    Send,
    Receive,
    DeleteMessage,
}

/// Hand-written parameter shapes for operations whose records carry more than one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Special {
    Ec2DescribeInstances,
    Ec2InstanceState(InstanceChange),
    Ec2RunInstances,
    Ec2CreateTags,
    Ec2CreateVolume,
    Ec2AttachVolume,
    Ec2Return(&'static str, Res),
    Ec2AuthorizeIngress,
    Ec2CreateNetworkInterface,
    Ec2CreateSnapshot,
    S3Bucket(&'static str),
    S3CreateBucket,
    S3ListBuckets,
    S3Object(ObjectCall),
    IamCreateUser,
    IamCreateRole,
    IamCreateAccessKey,
    IamAttachRolePolicy,
    StsAssumeRole,
    StsAssumeRoleWithSaml,
    StsAssumeRoleWithWebIdentity,
    StsGetSessionToken,
    KmsCrypto(CryptoCall),
    KmsCreateKey,
    KmsScheduleKeyDeletion,
    KmsCreateGrant,
    KmsServiceEvent,
    LambdaFunctionConfig,
    LambdaInvoke,
    DynamoItem(ItemCall),
    DynamoCreateTable,
    CloudTrailLookupEvents,
    CloudTrailCreateTrail,
    CloudTrailPutEventSelectors,
    CloudFormationStack(StackCall),
    Logs(LogsCall),
    CloudWatchGetMetricData,
    CloudWatchPutMetricAlarm,
    SsmUpdateInstanceInformation,
    SsmInstance(&'static str),
    SsmGetParameter,
    SsmGetParameters,
    SsmGetParametersByPath,
    SsmPutParameter,
    SsmSendCommand,
    SsmStartSession,
    SecretsWrite(SecretCall),
    SecretsServiceEvent,
    SnsCreateTopic,
    SnsSubscribe,
    SnsPublish,
    Sqs(QueueCall),
    SqsCreateQueue,
    Ecr(EcrCall),
    EksNodegroup(&'static str),
    ElbTargets,
    Route53ChangeRecords,
    CloudFrontInvalidation,
    StatesStartExecution,
    EventsPutRule,
    AthenaStartQuery,
    AthenaQueryId,
    GlueTable(&'static str),
    GlueStartJobRun,
    ConsoleLogin,
    SsoAccount(&'static str),
    OrganizationsAccount,
}

/// How an operation's `requestParameters` (and, for writes, `responseElements`) look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `requestParameters` is `null`.
    Null,
    /// A fixed object.
    Fixed(&'static str),
    /// `{"<key>":"<resource name>"}`.
    Name(&'static str, Res),
    /// `{"<key>":"<resource ARN>"}`.
    Arn(&'static str, Res),
    /// `{"<key>":["<resource name>"]}`.
    NameList(&'static str, Res),
    /// `{"<key>":"<resource name>",<extra members>}`.
    NameWith(&'static str, Res, &'static str),
    /// A hand-written shape.
    Special(Special),
}

/// One API operation of a service.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpSpec {
    /// `eventName`.
    pub name: &'static str,
    /// `readOnly`.
    pub read_only: bool,
    /// Relative popularity within the service.
    pub weight: u16,
    /// Record kind.
    pub kind: Kind,
    /// Parameter shape.
    pub shape: Shape,
    /// Whether records list the touched resource in `resources`.
    pub resources: bool,
}

impl OpSpec {
    const fn with_resources(self) -> OpSpec {
        OpSpec {
            resources: true,
            ..self
        }
    }
}

const fn read(name: &'static str, weight: u16, shape: Shape) -> OpSpec {
    OpSpec {
        name,
        read_only: true,
        weight,
        kind: Kind::Management,
        shape,
        resources: false,
    }
}

const fn write(name: &'static str, weight: u16, shape: Shape) -> OpSpec {
    OpSpec {
        name,
        read_only: false,
        weight,
        kind: Kind::Management,
        shape,
        resources: false,
    }
}

const fn data(name: &'static str, read_only: bool, weight: u16, shape: Shape) -> OpSpec {
    OpSpec {
        name,
        read_only,
        weight,
        kind: Kind::Data,
        shape,
        resources: true,
    }
}

const fn service_event(name: &'static str, weight: u16, shape: Shape) -> OpSpec {
    OpSpec {
        name,
        read_only: false,
        weight,
        kind: Kind::ServiceEvent,
        shape,
        resources: false,
    }
}

const fn special(value: Special) -> Shape {
    Shape::Special(value)
}

/// How a service writes `requestID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestIdStyle {
    /// A lower-case UUID.
    Uuid,
    /// S3's 16 upper-case letters and digits.
    S3,
    /// No `requestID` (console sign-in).
    Absent,
}

/// One AWS service.
#[derive(Debug)]
pub(crate) struct ServiceSpec {
    /// `eventSource`.
    pub source: &'static str,
    /// The `aws` CLI command group, for `command/...` in CLI user agents.
    pub cli: &'static str,
    /// IAM action prefix, for access-denied messages.
    pub iam: &'static str,
    /// Error code of an authorization failure.
    pub denied: &'static str,
    /// Error code of throttling.
    pub throttle: &'static str,
    /// Error code of a bad parameter.
    pub invalid: &'static str,
    /// Global services record every call in `us-east-1`.
    pub global: bool,
    /// `eventVersion` this service writes.
    pub version: &'static str,
    /// `apiVersion`, for the few services that report it.
    pub api_version: Option<&'static str>,
    /// Endpoint host, `{r}` standing for the region.
    pub host: &'static str,
    /// `requestID` style.
    pub request_id: RequestIdStyle,
    /// Operations.
    pub ops: &'static [OpSpec],
}

use InstanceChange as Ic;
use Res as R;
use Shape::{Arn, Fixed, Name, NameList, NameWith, Null};
use Special as Sp;

const JSON_DENIED: &str = "AccessDeniedException";
const JSON_THROTTLE: &str = "ThrottlingException";
const JSON_INVALID: &str = "ValidationException";

/// Every service in the catalog.
pub(crate) static SERVICES: &[ServiceSpec] = &[
    ServiceSpec {
        source: "ec2.amazonaws.com",
        cli: "ec2",
        iam: "ec2",
        denied: "Client.UnauthorizedOperation",
        throttle: "Client.RequestLimitExceeded",
        invalid: "Client.InvalidParameterValue",
        global: false,
        version: "1.10",
        api_version: None,
        host: "ec2.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("DescribeInstances", 200, special(Sp::Ec2DescribeInstances)),
            read(
                "DescribeInstanceStatus",
                60,
                Fixed(r#"{"instancesSet":{},"filterSet":{},"includeAllInstances":false}"#),
            ),
            read(
                "DescribeTags",
                70,
                Fixed(
                    r#"{"filterSet":{"items":[{"name":"resource-type","valueSet":{"items":[{"value":"instance"}]}}]}}"#,
                ),
            ),
            read(
                "DescribeVolumes",
                50,
                Fixed(r#"{"volumeSet":{},"filterSet":{}}"#),
            ),
            read(
                "DescribeSecurityGroups",
                50,
                Fixed(r#"{"securityGroupSet":{},"securityGroupIdSet":{},"filterSet":{}}"#),
            ),
            read(
                "DescribeSubnets",
                40,
                Fixed(r#"{"subnetSet":{},"filterSet":{}}"#),
            ),
            read("DescribeVpcs", 35, Fixed(r#"{"vpcSet":{},"filterSet":{}}"#)),
            read(
                "DescribeNetworkInterfaces",
                45,
                Fixed(r#"{"networkInterfaceIdSet":{},"filterSet":{}}"#),
            ),
            read(
                "DescribeImages",
                30,
                Fixed(
                    r#"{"executableBySet":{},"imagesSet":{},"ownersSet":{"items":[{"owner":"self"}]},"filterSet":{}}"#,
                ),
            ),
            read(
                "DescribeSnapshots",
                15,
                Fixed(
                    r#"{"snapshotSet":{},"ownersSet":{"items":[{"owner":"self"}]},"restorableBySet":{},"filterSet":{}}"#,
                ),
            ),
            read(
                "DescribeRouteTables",
                15,
                Fixed(r#"{"routeTableIdSet":{},"filterSet":{}}"#),
            ),
            read(
                "DescribeAvailabilityZones",
                25,
                Fixed(r#"{"availabilityZoneSet":{},"availabilityZoneIdSet":{}}"#),
            ),
            read(
                "DescribeAddresses",
                10,
                Fixed(r#"{"publicIpsSet":{},"allocationIdsSet":{},"filterSet":{}}"#),
            ),
            read("DescribeKeyPairs", 8, Fixed(r#"{"keySet":{}}"#)),
            read(
                "DescribeLaunchTemplates",
                10,
                Fixed(r#"{"DescribeLaunchTemplatesRequest":{"MaxResults":200}}"#),
            ),
            read(
                "DescribeRegions",
                12,
                Fixed(r#"{"regionSet":{},"allRegions":false}"#),
            ),
            read(
                "DescribeInstanceTypes",
                8,
                Fixed(r#"{"DescribeInstanceTypesRequest":{"MaxResults":100}}"#),
            ),
            write(
                "StartInstances",
                6,
                special(Sp::Ec2InstanceState(Ic::Start)),
            ),
            write("StopInstances", 6, special(Sp::Ec2InstanceState(Ic::Stop))),
            write(
                "TerminateInstances",
                4,
                special(Sp::Ec2InstanceState(Ic::Terminate)),
            ),
            write(
                "RebootInstances",
                2,
                special(Sp::Ec2InstanceState(Ic::Reboot)),
            ),
            write("RunInstances", 5, special(Sp::Ec2RunInstances)),
            write("CreateTags", 12, special(Sp::Ec2CreateTags)),
            write("CreateVolume", 3, special(Sp::Ec2CreateVolume)),
            write("AttachVolume", 3, special(Sp::Ec2AttachVolume)),
            write(
                "DeleteVolume",
                2,
                special(Sp::Ec2Return("volumeId", R::Volume)),
            ),
            write("CreateSnapshot", 3, special(Sp::Ec2CreateSnapshot)),
            write(
                "AuthorizeSecurityGroupIngress",
                2,
                special(Sp::Ec2AuthorizeIngress),
            ),
            write(
                "RevokeSecurityGroupIngress",
                1,
                special(Sp::Ec2Return("groupId", R::SecurityGroup)),
            ),
            write(
                "CreateNetworkInterface",
                8,
                special(Sp::Ec2CreateNetworkInterface),
            ),
            write(
                "DeleteNetworkInterface",
                6,
                special(Sp::Ec2Return("networkInterfaceId", R::Instance)),
            ),
            write(
                "ModifyInstanceAttribute",
                2,
                special(Sp::Ec2Return("instanceId", R::Instance)),
            ),
            write(
                "AssignPrivateIpAddresses",
                4,
                special(Sp::Ec2Return("networkInterfaceId", R::Instance)),
            ),
        ],
    },
    ServiceSpec {
        source: "s3.amazonaws.com",
        cli: "s3api",
        iam: "s3",
        denied: "AccessDenied",
        throttle: "SlowDown",
        invalid: "InvalidArgument",
        global: false,
        version: "1.10",
        api_version: None,
        host: "s3.{r}.amazonaws.com",
        request_id: RequestIdStyle::S3,
        ops: &[
            read("ListBuckets", 60, special(Sp::S3ListBuckets)),
            read("GetBucketLocation", 80, special(Sp::S3Bucket("location"))).with_resources(),
            read("GetBucketAcl", 60, special(Sp::S3Bucket("acl"))).with_resources(),
            read("GetBucketPolicy", 30, special(Sp::S3Bucket("policy"))).with_resources(),
            read(
                "GetBucketVersioning",
                30,
                special(Sp::S3Bucket("versioning")),
            )
            .with_resources(),
            read(
                "GetBucketEncryption",
                25,
                special(Sp::S3Bucket("encryption")),
            )
            .with_resources(),
            read("GetBucketTagging", 25, special(Sp::S3Bucket("tagging"))).with_resources(),
            read(
                "GetBucketPublicAccessBlock",
                20,
                special(Sp::S3Bucket("publicAccessBlock")),
            )
            .with_resources(),
            read("GetBucketLogging", 12, special(Sp::S3Bucket("logging"))).with_resources(),
            read(
                "GetBucketOwnershipControls",
                10,
                special(Sp::S3Bucket("ownershipControls")),
            )
            .with_resources(),
            read("GetBucketLifecycle", 8, special(Sp::S3Bucket("lifecycle"))).with_resources(),
            read("GetBucketCors", 6, special(Sp::S3Bucket("cors"))).with_resources(),
            write("CreateBucket", 2, special(Sp::S3CreateBucket)).with_resources(),
            write("PutBucketPolicy", 2, special(Sp::S3Bucket("policy"))).with_resources(),
            write("PutBucketTagging", 3, special(Sp::S3Bucket("tagging"))).with_resources(),
            write(
                "PutBucketEncryption",
                1,
                special(Sp::S3Bucket("encryption")),
            )
            .with_resources(),
            write(
                "PutBucketVersioning",
                1,
                special(Sp::S3Bucket("versioning")),
            )
            .with_resources(),
            write(
                "PutBucketPublicAccessBlock",
                1,
                special(Sp::S3Bucket("publicAccessBlock")),
            )
            .with_resources(),
            write("DeleteBucket", 1, special(Sp::S3Bucket(""))).with_resources(),
            data(
                "GetObject",
                true,
                400,
                special(Sp::S3Object(ObjectCall::Get)),
            ),
            data(
                "HeadObject",
                true,
                150,
                special(Sp::S3Object(ObjectCall::Head)),
            ),
            data(
                "PutObject",
                false,
                200,
                special(Sp::S3Object(ObjectCall::Put)),
            ),
            data(
                "DeleteObject",
                false,
                40,
                special(Sp::S3Object(ObjectCall::Delete)),
            ),
            data(
                "ListObjects",
                true,
                80,
                special(Sp::S3Object(ObjectCall::List)),
            ),
        ],
    },
    ServiceSpec {
        source: "iam.amazonaws.com",
        cli: "iam",
        iam: "iam",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "ValidationError",
        global: true,
        version: "1.08",
        api_version: None,
        host: "iam.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("GetUser", 40, Name("userName", R::User)),
            read("ListUsers", 25, Null),
            read("ListRoles", 40, Null),
            read("GetRole", 60, Name("roleName", R::Role)),
            read("ListAttachedRolePolicies", 40, Name("roleName", R::Role)),
            read("ListRolePolicies", 35, Name("roleName", R::Role)),
            read(
                "GetRolePolicy",
                20,
                NameWith("roleName", R::Role, r#""policyName":"inline-access""#),
            ),
            read("ListInstanceProfilesForRole", 10, Name("roleName", R::Role)),
            read("GetPolicy", 25, Arn("policyArn", R::Policy)),
            read(
                "GetPolicyVersion",
                20,
                NameWith("policyArn", R::Policy, r#""versionId":"v3""#),
            ),
            read(
                "ListPolicies",
                12,
                Fixed(
                    r#"{"scope":"Local","onlyAttached":false,"policyUsageFilter":"PermissionsPolicy"}"#,
                ),
            ),
            read("ListAccessKeys", 15, Name("userName", R::User)),
            read("ListGroupsForUser", 10, Name("userName", R::User)),
            read("ListMFADevices", 8, Name("userName", R::User)),
            read("ListAttachedUserPolicies", 8, Name("userName", R::User)),
            read("GetAccountSummary", 10, Null),
            read("GetAccountPasswordPolicy", 5, Null),
            read("ListAccountAliases", 8, Null),
            read("GenerateCredentialReport", 3, Null),
            read("GetCredentialReport", 3, Null),
            write("CreateUser", 1, special(Sp::IamCreateUser)),
            write("DeleteUser", 1, Name("userName", R::User)),
            write("CreateRole", 2, special(Sp::IamCreateRole)),
            write("AttachRolePolicy", 2, special(Sp::IamAttachRolePolicy)),
            write(
                "PutRolePolicy",
                2,
                NameWith(
                    "roleName",
                    R::Role,
                    r#""policyName":"inline-access","policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],\"Resource\":\"*\"}]}""#,
                ),
            ),
            write(
                "UpdateAssumeRolePolicy",
                1,
                NameWith(
                    "roleName",
                    R::Role,
                    r#""policyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}""#,
                ),
            ),
            write("CreateAccessKey", 1, special(Sp::IamCreateAccessKey)),
            write(
                "UpdateAccessKey",
                1,
                NameWith("userName", R::User, r#""status":"Inactive""#),
            ),
            write(
                "TagRole",
                2,
                NameWith(
                    "roleName",
                    R::Role,
                    r#""tags":[{"key":"owner","value":"platform"}]"#,
                ),
            ),
        ],
    },
    ServiceSpec {
        source: "sts.amazonaws.com",
        cli: "sts",
        iam: "sts",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "ValidationError",
        global: false,
        version: "1.08",
        api_version: None,
        host: "sts.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("GetCallerIdentity", 100, Null),
            read("AssumeRole", 80, special(Sp::StsAssumeRole)).with_resources(),
            read("AssumeRoleWithSAML", 10, special(Sp::StsAssumeRoleWithSaml)).with_resources(),
            read(
                "AssumeRoleWithWebIdentity",
                10,
                special(Sp::StsAssumeRoleWithWebIdentity),
            )
            .with_resources(),
            read("GetSessionToken", 5, special(Sp::StsGetSessionToken)),
            read(
                "DecodeAuthorizationMessage",
                1,
                Fixed(r#"{"encodedMessage":"HIDDEN_DUE_TO_SECURITY_REASONS"}"#),
            ),
        ],
    },
    ServiceSpec {
        source: "kms.amazonaws.com",
        cli: "kms",
        iam: "kms",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: JSON_INVALID,
        global: false,
        version: "1.09",
        api_version: None,
        host: "kms.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("Decrypt", 300, special(Sp::KmsCrypto(CryptoCall::Decrypt))).with_resources(),
            read(
                "GenerateDataKey",
                150,
                special(Sp::KmsCrypto(CryptoCall::GenerateDataKey)),
            )
            .with_resources(),
            read("Encrypt", 40, special(Sp::KmsCrypto(CryptoCall::Encrypt))).with_resources(),
            read("DescribeKey", 40, Arn("keyId", R::Key)).with_resources(),
            read("ListAliases", 20, Null),
            read("ListKeys", 10, Null),
            read(
                "GetKeyPolicy",
                10,
                NameWith("keyId", R::Key, r#""policyName":"default""#),
            )
            .with_resources(),
            read("GetKeyRotationStatus", 10, Name("keyId", R::Key)).with_resources(),
            read("ListResourceTags", 8, Name("keyId", R::Key)).with_resources(),
            write("CreateKey", 1, special(Sp::KmsCreateKey)),
            write("CreateGrant", 4, special(Sp::KmsCreateGrant)).with_resources(),
            write(
                "ScheduleKeyDeletion",
                1,
                special(Sp::KmsScheduleKeyDeletion),
            )
            .with_resources(),
            write("EnableKeyRotation", 1, Name("keyId", R::Key)).with_resources(),
            service_event("RotateKey", 3, special(Sp::KmsServiceEvent)).with_resources(),
            service_event("DeleteKey", 1, special(Sp::KmsServiceEvent)).with_resources(),
        ],
    },
    ServiceSpec {
        source: "lambda.amazonaws.com",
        cli: "lambda",
        iam: "lambda",
        denied: JSON_DENIED,
        throttle: "TooManyRequestsException",
        invalid: "InvalidParameterValueException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "lambda.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("ListFunctions20150331", 60, Null),
            read(
                "GetFunction20150331v2",
                50,
                Name("functionName", R::Function),
            ),
            read(
                "GetFunctionConfiguration20150331v2",
                40,
                Name("functionName", R::Function),
            ),
            read("GetPolicy20150331v2", 15, Name("functionName", R::Function)),
            read(
                "ListEventSourceMappings20150331",
                15,
                Name("functionName", R::Function),
            ),
            read(
                "ListVersionsByFunction20150331",
                10,
                Name("functionName", R::Function),
            ),
            read("ListAliases20150331", 8, Name("functionName", R::Function)),
            read("ListTags20170331", 10, Arn("resource", R::Function)),
            read("GetFunctionUrlConfig", 4, Name("functionName", R::Function)),
            write(
                "CreateFunction20150331",
                2,
                special(Sp::LambdaFunctionConfig),
            ),
            write(
                "UpdateFunctionCode20150331v2",
                8,
                special(Sp::LambdaFunctionConfig),
            ),
            write(
                "UpdateFunctionConfiguration20150331v2",
                4,
                special(Sp::LambdaFunctionConfig),
            ),
            write(
                "PublishVersion20150331",
                3,
                Name("functionName", R::Function),
            ),
            write(
                "AddPermission20150331v2",
                2,
                NameWith(
                    "functionName",
                    R::Function,
                    r#""statementId":"AllowExecutionFromAPIGateway","action":"lambda:InvokeFunction","principal":"apigateway.amazonaws.com""#,
                ),
            ),
            write(
                "DeleteFunction20150331",
                1,
                Name("functionName", R::Function),
            ),
            data("Invoke", false, 300, special(Sp::LambdaInvoke)),
        ],
    },
    ServiceSpec {
        source: "dynamodb.amazonaws.com",
        cli: "dynamodb",
        iam: "dynamodb",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: JSON_INVALID,
        global: false,
        version: "1.08",
        api_version: None,
        host: "dynamodb.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("DescribeTable", 100, Name("tableName", R::Table)).with_resources(),
            read("ListTables", 30, Null),
            read("DescribeContinuousBackups", 10, Name("tableName", R::Table)).with_resources(),
            read("DescribeTimeToLive", 10, Name("tableName", R::Table)).with_resources(),
            read("ListTagsOfResource", 10, Arn("resourceArn", R::Table)).with_resources(),
            read("DescribeLimits", 3, Null),
            write("CreateTable", 1, special(Sp::DynamoCreateTable)).with_resources(),
            write(
                "UpdateTable",
                2,
                NameWith("tableName", R::Table, r#""billingMode":"PAY_PER_REQUEST""#),
            )
            .with_resources(),
            write(
                "UpdateTimeToLive",
                1,
                NameWith(
                    "tableName",
                    R::Table,
                    r#""timeToLiveSpecification":{"enabled":true,"attributeName":"expiresAt"}"#,
                ),
            )
            .with_resources(),
            write("DeleteTable", 1, Name("tableName", R::Table)).with_resources(),
            data("GetItem", true, 300, special(Sp::DynamoItem(ItemCall::Get))),
            data("Query", true, 250, special(Sp::DynamoItem(ItemCall::Query))),
            data(
                "PutItem",
                false,
                150,
                special(Sp::DynamoItem(ItemCall::Put)),
            ),
            data(
                "UpdateItem",
                false,
                100,
                special(Sp::DynamoItem(ItemCall::Update)),
            ),
            data(
                "DeleteItem",
                false,
                20,
                special(Sp::DynamoItem(ItemCall::Delete)),
            ),
            data(
                "BatchGetItem",
                true,
                30,
                special(Sp::DynamoItem(ItemCall::BatchGet)),
            ),
            data(
                "BatchWriteItem",
                false,
                30,
                special(Sp::DynamoItem(ItemCall::BatchWrite)),
            ),
            data("Scan", true, 10, special(Sp::DynamoItem(ItemCall::Scan))),
        ],
    },
    ServiceSpec {
        source: "cloudtrail.amazonaws.com",
        cli: "cloudtrail",
        iam: "cloudtrail",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: "InvalidParameterException",
        global: false,
        version: "1.11",
        api_version: None,
        host: "cloudtrail.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("LookupEvents", 40, special(Sp::CloudTrailLookupEvents)),
            read(
                "DescribeTrails",
                30,
                Fixed(r#"{"trailNameList":[],"includeShadowTrails":true}"#),
            ),
            read("GetTrailStatus", 30, Arn("name", R::Trail)),
            read("GetEventSelectors", 15, Arn("trailName", R::Trail)),
            read("GetInsightSelectors", 8, Arn("trailName", R::Trail)),
            read("ListTrails", 10, Null),
            read("GetTrail", 8, Name("name", R::Trail)),
            read("ListEventDataStores", 4, Null),
            write("CreateTrail", 1, special(Sp::CloudTrailCreateTrail)),
            write(
                "UpdateTrail",
                1,
                NameWith(
                    "name",
                    R::Trail,
                    r#""isMultiRegionTrail":true,"enableLogFileValidation":true"#,
                ),
            ),
            write(
                "PutEventSelectors",
                1,
                special(Sp::CloudTrailPutEventSelectors),
            ),
            write("StartLogging", 1, Arn("name", R::Trail)),
            write("StopLogging", 1, Arn("name", R::Trail)),
            write("DeleteTrail", 1, Name("name", R::Trail)),
        ],
    },
    ServiceSpec {
        source: "cloudformation.amazonaws.com",
        cli: "cloudformation",
        iam: "cloudformation",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "ValidationError",
        global: false,
        version: "1.09",
        api_version: None,
        host: "cloudformation.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("DescribeStacks", 100, Name("stackName", R::Stack)),
            read("DescribeStackEvents", 80, Name("stackName", R::Stack)),
            read("DescribeStackResources", 20, Name("stackName", R::Stack)),
            read("ListStackResources", 20, Name("stackName", R::Stack)),
            read(
                "GetTemplate",
                15,
                NameWith("stackName", R::Stack, r#""templateStage":"Original""#),
            ),
            read("GetTemplateSummary", 10, Name("stackName", R::Stack)),
            read(
                "ListStacks",
                15,
                Fixed(
                    r#"{"stackStatusFilter":["CREATE_COMPLETE","UPDATE_COMPLETE","UPDATE_ROLLBACK_COMPLETE","ROLLBACK_COMPLETE"]}"#,
                ),
            ),
            read(
                "DescribeChangeSet",
                15,
                special(Sp::CloudFormationStack(StackCall::DescribeChangeSet)),
            ),
            read("ValidateTemplate", 5, Null),
            write(
                "CreateStack",
                2,
                special(Sp::CloudFormationStack(StackCall::Create)),
            ),
            write(
                "UpdateStack",
                4,
                special(Sp::CloudFormationStack(StackCall::Update)),
            ),
            write(
                "CreateChangeSet",
                8,
                special(Sp::CloudFormationStack(StackCall::CreateChangeSet)),
            ),
            write(
                "ExecuteChangeSet",
                8,
                special(Sp::CloudFormationStack(StackCall::ExecuteChangeSet)),
            ),
            write("DeleteStack", 1, Name("stackName", R::Stack)),
        ],
    },
    ServiceSpec {
        source: "logs.amazonaws.com",
        cli: "logs",
        iam: "logs",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: "InvalidParameterException",
        global: false,
        version: "1.09",
        api_version: None,
        host: "logs.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            write(
                "CreateLogStream",
                120,
                special(Sp::Logs(LogsCall::CreateStream)),
            ),
            read("DescribeLogGroups", 40, Fixed(r#"{"limit":50}"#)),
            read(
                "DescribeLogStreams",
                40,
                special(Sp::Logs(LogsCall::DescribeStreams)),
            ),
            read("GetLogEvents", 30, special(Sp::Logs(LogsCall::GetEvents))),
            read(
                "FilterLogEvents",
                20,
                special(Sp::Logs(LogsCall::FilterEvents)),
            ),
            read("StartQuery", 8, special(Sp::Logs(LogsCall::StartQuery))),
            read(
                "GetQueryResults",
                15,
                special(Sp::Logs(LogsCall::GetQueryResults)),
            ),
            read(
                "DescribeSubscriptionFilters",
                5,
                Name("logGroupName", R::LogGroup),
            ),
            write("CreateLogGroup", 6, Name("logGroupName", R::LogGroup)),
            write(
                "PutRetentionPolicy",
                3,
                special(Sp::Logs(LogsCall::PutRetention)),
            ),
            write("DeleteLogGroup", 1, Name("logGroupName", R::LogGroup)),
        ],
    },
    ServiceSpec {
        source: "monitoring.amazonaws.com",
        cli: "cloudwatch",
        iam: "cloudwatch",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "InvalidParameterValue",
        global: false,
        version: "1.09",
        api_version: None,
        host: "monitoring.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("GetMetricData", 200, special(Sp::CloudWatchGetMetricData)),
            read("DescribeAlarms", 50, Fixed(r#"{"maxRecords":100}"#)),
            read(
                "ListMetrics",
                40,
                Fixed(r#"{"namespace":"AWS/EC2","metricName":"CPUUtilization"}"#),
            ),
            read(
                "GetMetricStatistics",
                30,
                Fixed(
                    r#"{"namespace":"AWS/Lambda","metricName":"Errors","startTime":"Feb 1, 2026, 12:00:00 AM","endTime":"Feb 1, 2026, 1:00:00 AM","period":300,"statistics":["Sum"]}"#,
                ),
            ),
            read(
                "DescribeAlarmHistory",
                8,
                NameWith(
                    "alarmName",
                    R::Alarm,
                    r#""historyItemType":"StateUpdate","maxRecords":100"#,
                ),
            ),
            read(
                "GetDashboard",
                6,
                Fixed(r#"{"dashboardName":"service-overview"}"#),
            ),
            write("PutMetricAlarm", 4, special(Sp::CloudWatchPutMetricAlarm)),
            write("DeleteAlarms", 1, NameList("alarmNames", R::Alarm)),
            write(
                "SetAlarmState",
                1,
                NameWith(
                    "alarmName",
                    R::Alarm,
                    r#""stateValue":"OK","stateReason":"manual reset""#,
                ),
            ),
            write(
                "PutDashboard",
                1,
                Fixed(r#"{"dashboardName":"service-overview"}"#),
            ),
        ],
    },
    ServiceSpec {
        source: "ssm.amazonaws.com",
        cli: "ssm",
        iam: "ssm",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: JSON_INVALID,
        global: false,
        version: "1.08",
        api_version: None,
        host: "ssm.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            write(
                "UpdateInstanceInformation",
                100,
                special(Sp::SsmUpdateInstanceInformation),
            ),
            read(
                "ListInstanceAssociations",
                60,
                special(Sp::SsmInstance(r#","maxResults":20"#)),
            ),
            read("GetParameter", 120, special(Sp::SsmGetParameter)).with_resources(),
            read("GetParameters", 50, special(Sp::SsmGetParameters)),
            read(
                "GetParametersByPath",
                30,
                special(Sp::SsmGetParametersByPath),
            ),
            read("DescribeParameters", 15, Fixed(r#"{"maxResults":50}"#)),
            read(
                "DescribeInstanceInformation",
                25,
                special(Sp::SsmInstance("")),
            ),
            read("ListCommands", 8, Fixed(r#"{"maxResults":50}"#)),
            read(
                "GetCommandInvocation",
                8,
                special(Sp::SsmInstance(
                    r#","commandId":"0b6f2d3e-51a4-4c77-8e0a-3f9c1b2d7e65""#,
                )),
            ),
            read("GetDocument", 5, Fixed(r#"{"name":"AWS-RunShellScript"}"#)),
            write("PutParameter", 4, special(Sp::SsmPutParameter)).with_resources(),
            write("SendCommand", 3, special(Sp::SsmSendCommand)),
            write("StartSession", 2, special(Sp::SsmStartSession)),
        ],
    },
    ServiceSpec {
        source: "secretsmanager.amazonaws.com",
        cli: "secretsmanager",
        iam: "secretsmanager",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: "InvalidParameterException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "secretsmanager.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("GetSecretValue", 200, Arn("secretId", R::Secret)),
            read("DescribeSecret", 40, Arn("secretId", R::Secret)),
            read("ListSecrets", 15, Fixed(r#"{"maxResults":100}"#)),
            read("GetResourcePolicy", 8, Arn("secretId", R::Secret)),
            read("ListSecretVersionIds", 4, Arn("secretId", R::Secret)),
            write(
                "CreateSecret",
                1,
                special(Sp::SecretsWrite(SecretCall::Create)),
            ),
            write(
                "PutSecretValue",
                3,
                special(Sp::SecretsWrite(SecretCall::PutValue)),
            ),
            write(
                "RotateSecret",
                2,
                special(Sp::SecretsWrite(SecretCall::Rotate)),
            ),
            write(
                "UpdateSecret",
                1,
                NameWith(
                    "secretId",
                    R::Secret,
                    r#""description":"rotated by platform automation""#,
                ),
            ),
            write(
                "DeleteSecret",
                1,
                special(Sp::SecretsWrite(SecretCall::Delete)),
            ),
            service_event("RotationSucceeded", 3, special(Sp::SecretsServiceEvent)),
            service_event(
                "StartSecretVersionDelete",
                1,
                special(Sp::SecretsServiceEvent),
            ),
            service_event(
                "EndSecretVersionDelete",
                1,
                special(Sp::SecretsServiceEvent),
            ),
        ],
    },
    ServiceSpec {
        source: "rds.amazonaws.com",
        cli: "rds",
        iam: "rds",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "InvalidParameterValue",
        global: false,
        version: "1.08",
        api_version: None,
        host: "rds.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "DescribeDBInstances",
                100,
                Name("dBInstanceIdentifier", R::DbInstance),
            ),
            read("DescribeDBClusters", 40, Null),
            read(
                "DescribeDBSnapshots",
                15,
                Name("dBInstanceIdentifier", R::DbInstance),
            ),
            read(
                "DescribeDBEngineVersions",
                10,
                Fixed(r#"{"engine":"postgres","defaultOnly":true}"#),
            ),
            read(
                "DescribeEvents",
                10,
                Fixed(r#"{"sourceType":"db-instance","duration":60}"#),
            ),
            read("DescribePendingMaintenanceActions", 8, Null),
            read(
                "ListTagsForResource",
                15,
                Arn("resourceName", R::DbInstance),
            ),
            write(
                "CreateDBSnapshot",
                2,
                NameWith(
                    "dBInstanceIdentifier",
                    R::DbInstance,
                    r#""dBSnapshotIdentifier":"manual-snapshot-before-upgrade""#,
                ),
            ),
            write(
                "ModifyDBInstance",
                1,
                NameWith(
                    "dBInstanceIdentifier",
                    R::DbInstance,
                    r#""applyImmediately":true,"backupRetentionPeriod":7"#,
                ),
            ),
            write(
                "StopDBInstance",
                1,
                Name("dBInstanceIdentifier", R::DbInstance),
            ),
            write(
                "StartDBInstance",
                1,
                Name("dBInstanceIdentifier", R::DbInstance),
            ),
            write(
                "RebootDBInstance",
                1,
                Name("dBInstanceIdentifier", R::DbInstance),
            ),
        ],
    },
    ServiceSpec {
        source: "sns.amazonaws.com",
        cli: "sns",
        iam: "sns",
        denied: "AuthorizationError",
        throttle: "Throttling",
        invalid: "InvalidParameter",
        global: false,
        version: "1.09",
        api_version: None,
        host: "sns.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("ListTopics", 30, Null),
            read("GetTopicAttributes", 50, Arn("topicArn", R::Topic)),
            read("ListSubscriptionsByTopic", 20, Arn("topicArn", R::Topic)),
            read("ListSubscriptions", 10, Null),
            read("ListTagsForResource", 8, Arn("resourceArn", R::Topic)),
            write("CreateTopic", 2, special(Sp::SnsCreateTopic)),
            write("Subscribe", 2, special(Sp::SnsSubscribe)),
            write(
                "SetTopicAttributes",
                1,
                NameWith(
                    "topicArn",
                    R::Topic,
                    r#""attributeName":"DisplayName","attributeValue":"alerts""#,
                ),
            ),
            write("DeleteTopic", 1, Arn("topicArn", R::Topic)),
            data("Publish", false, 120, special(Sp::SnsPublish)),
        ],
    },
    ServiceSpec {
        source: "sqs.amazonaws.com",
        cli: "sqs",
        iam: "sqs",
        denied: "AccessDenied",
        throttle: "RequestThrottled",
        invalid: "InvalidParameterValue",
        global: false,
        version: "1.09",
        api_version: None,
        host: "sqs.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "GetQueueAttributes",
                100,
                special(Sp::Sqs(QueueCall::GetAttributes)),
            ),
            read("ListQueues", 20, Null),
            read("GetQueueUrl", 40, Name("queueName", R::Queue)),
            read(
                "ListQueueTags",
                8,
                special(Sp::Sqs(QueueCall::GetAttributes)),
            ),
            write("CreateQueue", 1, special(Sp::SqsCreateQueue)),
            write(
                "SetQueueAttributes",
                2,
                special(Sp::Sqs(QueueCall::SetAttributes)),
            ),
            write("DeleteQueue", 1, special(Sp::Sqs(QueueCall::Delete))),
            write("PurgeQueue", 1, special(Sp::Sqs(QueueCall::Purge))),
            data("SendMessage", false, 150, special(Sp::Sqs(QueueCall::Send))),
            data(
                "ReceiveMessage",
                false,
                250,
                special(Sp::Sqs(QueueCall::Receive)),
            ),
            data(
                "DeleteMessage",
                false,
                120,
                special(Sp::Sqs(QueueCall::DeleteMessage)),
            ),
        ],
    },
    ServiceSpec {
        source: "ecr.amazonaws.com",
        cli: "ecr",
        iam: "ecr",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: "InvalidParameterException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "api.ecr.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("GetAuthorizationToken", 120, Null),
            read(
                "BatchGetImage",
                80,
                special(Sp::Ecr(EcrCall::BatchGetImage)),
            )
            .with_resources(),
            read(
                "GetDownloadUrlForLayer",
                100,
                special(Sp::Ecr(EcrCall::GetDownloadUrl)),
            )
            .with_resources(),
            read(
                "BatchCheckLayerAvailability",
                20,
                special(Sp::Ecr(EcrCall::CheckLayers)),
            )
            .with_resources(),
            read("DescribeRepositories", 15, Null),
            read(
                "DescribeImages",
                20,
                special(Sp::Ecr(EcrCall::DescribeImages)),
            )
            .with_resources(),
            read("ListImages", 10, special(Sp::Ecr(EcrCall::ListImages))).with_resources(),
            read(
                "DescribeImageScanFindings",
                5,
                special(Sp::Ecr(EcrCall::DescribeImages)),
            )
            .with_resources(),
            write(
                "InitiateLayerUpload",
                6,
                special(Sp::Ecr(EcrCall::InitiateUpload)),
            )
            .with_resources(),
            write(
                "CompleteLayerUpload",
                6,
                special(Sp::Ecr(EcrCall::CompleteUpload)),
            )
            .with_resources(),
            write("PutImage", 5, special(Sp::Ecr(EcrCall::PutImage))).with_resources(),
            write(
                "CreateRepository",
                1,
                NameWith(
                    "repositoryName",
                    R::Repository,
                    r#""imageTagMutability":"MUTABLE","imageScanningConfiguration":{"scanOnPush":true}"#,
                ),
            ),
        ],
    },
    ServiceSpec {
        source: "eks.amazonaws.com",
        cli: "eks",
        iam: "eks",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: "InvalidParameterException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "eks.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("DescribeCluster", 100, Name("name", R::EksCluster)),
            read("ListClusters", 20, Null),
            read("ListNodegroups", 15, Name("clusterName", R::EksCluster)),
            read("DescribeNodegroup", 15, special(Sp::EksNodegroup(""))),
            read("ListAddons", 10, Name("clusterName", R::EksCluster)),
            read(
                "DescribeAddon",
                8,
                NameWith("clusterName", R::EksCluster, r#""addonName":"vpc-cni""#),
            ),
            read("ListAccessEntries", 5, Name("clusterName", R::EksCluster)),
            write(
                "UpdateNodegroupConfig",
                2,
                special(Sp::EksNodegroup(
                    r#","scalingConfig":{"minSize":2,"maxSize":12,"desiredSize":4}"#,
                )),
            ),
            write(
                "UpdateClusterConfig",
                1,
                NameWith(
                    "name",
                    R::EksCluster,
                    r#""logging":{"clusterLogging":[{"types":["api","audit"],"enabled":true}]}"#,
                ),
            ),
            write(
                "CreateAccessEntry",
                1,
                NameWith("clusterName", R::EksCluster, r#""type":"STANDARD""#),
            ),
        ],
    },
    ServiceSpec {
        source: "organizations.amazonaws.com",
        cli: "organizations",
        iam: "organizations",
        denied: JSON_DENIED,
        throttle: "TooManyRequestsException",
        invalid: "InvalidInputException",
        global: true,
        version: "1.09",
        api_version: None,
        host: "organizations.us-east-1.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("DescribeOrganization", 50, Null),
            read("ListAccounts", 30, Null),
            read("ListRoots", 10, Null),
            read(
                "ListPolicies",
                10,
                Fixed(r#"{"filter":"SERVICE_CONTROL_POLICY"}"#),
            ),
            read("DescribeAccount", 15, special(Sp::OrganizationsAccount)),
            read(
                "ListPoliciesForTarget",
                8,
                special(Sp::OrganizationsAccount),
            ),
            read(
                "ListOrganizationalUnitsForParent",
                8,
                Fixed(r#"{"parentId":"r-7x3q"}"#),
            ),
            read("ListDelegatedAdministrators", 5, Null),
            write("TagResource", 1, special(Sp::OrganizationsAccount)),
        ],
    },
    ServiceSpec {
        source: "signin.amazonaws.com",
        cli: "signin",
        iam: "signin",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "ValidationError",
        global: true,
        version: "1.08",
        api_version: None,
        host: "signin.aws.amazon.com",
        request_id: RequestIdStyle::Absent,
        ops: &[OpSpec {
            name: "ConsoleLogin",
            read_only: false,
            weight: 1,
            kind: Kind::SignIn,
            shape: special(Sp::ConsoleLogin),
            resources: false,
        }],
    },
    ServiceSpec {
        source: "elasticloadbalancing.amazonaws.com",
        cli: "elbv2",
        iam: "elasticloadbalancing",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "ValidationError",
        global: false,
        version: "1.08",
        api_version: Some("2015-12-01"),
        host: "elasticloadbalancing.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("DescribeLoadBalancers", 60, Fixed(r#"{"pageSize":400}"#)),
            read(
                "DescribeTargetGroups",
                50,
                Arn("loadBalancerArn", R::LoadBalancer),
            ),
            read(
                "DescribeTargetHealth",
                80,
                Arn("targetGroupArn", R::TargetGroup),
            ),
            read(
                "DescribeListeners",
                20,
                Arn("loadBalancerArn", R::LoadBalancer),
            ),
            read("DescribeTags", 20, NameList("resourceArns", R::TargetGroup)),
            read(
                "DescribeLoadBalancerAttributes",
                10,
                Arn("loadBalancerArn", R::LoadBalancer),
            ),
            write("RegisterTargets", 10, special(Sp::ElbTargets)),
            write("DeregisterTargets", 8, special(Sp::ElbTargets)),
            write(
                "ModifyTargetGroupAttributes",
                1,
                NameWith(
                    "targetGroupArn",
                    R::TargetGroup,
                    r#""attributes":[{"key":"deregistration_delay.timeout_seconds","value":"30"}]"#,
                ),
            ),
        ],
    },
    ServiceSpec {
        source: "autoscaling.amazonaws.com",
        cli: "autoscaling",
        iam: "autoscaling",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "ValidationError",
        global: false,
        version: "1.08",
        api_version: None,
        host: "autoscaling.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "DescribeAutoScalingGroups",
                80,
                NameList("autoScalingGroupNames", R::AutoScalingGroup),
            ),
            read(
                "DescribeScalingActivities",
                20,
                Name("autoScalingGroupName", R::AutoScalingGroup),
            ),
            read("DescribeLaunchConfigurations", 5, Null),
            read(
                "DescribeLifecycleHooks",
                8,
                Name("autoScalingGroupName", R::AutoScalingGroup),
            ),
            read("DescribeAutoScalingInstances", 15, Null),
            write(
                "SetDesiredCapacity",
                5,
                NameWith(
                    "autoScalingGroupName",
                    R::AutoScalingGroup,
                    r#""desiredCapacity":4,"honorCooldown":false"#,
                ),
            ),
            write(
                "UpdateAutoScalingGroup",
                3,
                NameWith(
                    "autoScalingGroupName",
                    R::AutoScalingGroup,
                    r#""minSize":2,"maxSize":10,"desiredCapacity":3"#,
                ),
            ),
            write(
                "CompleteLifecycleAction",
                4,
                NameWith(
                    "autoScalingGroupName",
                    R::AutoScalingGroup,
                    r#""lifecycleHookName":"drain","lifecycleActionResult":"CONTINUE""#,
                ),
            ),
        ],
    },
    ServiceSpec {
        source: "route53.amazonaws.com",
        cli: "route53",
        iam: "route53",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "InvalidInput",
        global: true,
        version: "1.08",
        api_version: Some("2013-04-01"),
        host: "route53.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("ListHostedZones", 30, Null),
            read("GetHostedZone", 20, Name("id", R::HostedZone)),
            read(
                "ListResourceRecordSets",
                60,
                Name("hostedZoneId", R::HostedZone),
            ),
            read("GetChange", 15, Fixed(r#"{"id":"C0412957K4MH3XL3Y3UM"}"#)),
            read("ListHostedZonesByName", 10, Null),
            write(
                "ChangeResourceRecordSets",
                10,
                special(Sp::Route53ChangeRecords),
            ),
        ],
    },
    ServiceSpec {
        source: "cloudfront.amazonaws.com",
        cli: "cloudfront",
        iam: "cloudfront",
        denied: "AccessDenied",
        throttle: "Throttling",
        invalid: "InvalidArgument",
        global: true,
        version: "1.08",
        api_version: Some("2020_05_31"),
        host: "cloudfront.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("ListDistributions", 20, Null),
            read("GetDistribution", 15, Name("id", R::Distribution)),
            read("GetDistributionConfig", 8, Name("id", R::Distribution)),
            write("CreateInvalidation", 6, special(Sp::CloudFrontInvalidation)),
        ],
    },
    ServiceSpec {
        source: "ecs.amazonaws.com",
        cli: "ecs",
        iam: "ecs",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: "InvalidParameterException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "ecs.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "DescribeServices",
                60,
                NameWith(
                    "cluster",
                    R::EcsCluster,
                    r#""services":["orders-api","payments-worker"]"#,
                ),
            ),
            read("ListTasks", 40, Name("cluster", R::EcsCluster)),
            read(
                "DescribeTasks",
                40,
                NameWith(
                    "cluster",
                    R::EcsCluster,
                    r#""tasks":["0f5b1e7c4a3d4b2e9c8f7a6b5d4c3e2f"]"#,
                ),
            ),
            read("ListClusters", 15, Null),
            read("DescribeClusters", 15, NameList("clusters", R::EcsCluster)),
            read("ListServices", 20, Name("cluster", R::EcsCluster)),
            read(
                "DescribeTaskDefinition",
                25,
                Fixed(r#"{"taskDefinition":"orders-api:42"}"#),
            ),
            read(
                "DescribeContainerInstances",
                10,
                Name("cluster", R::EcsCluster),
            ),
            write(
                "UpdateService",
                5,
                NameWith(
                    "cluster",
                    R::EcsCluster,
                    r#""service":"orders-api","desiredCount":3,"forceNewDeployment":true"#,
                ),
            ),
            write(
                "RunTask",
                6,
                NameWith(
                    "cluster",
                    R::EcsCluster,
                    r#""taskDefinition":"nightly-report:7","count":1,"launchType":"FARGATE""#,
                ),
            ),
            write(
                "RegisterTaskDefinition",
                3,
                Fixed(
                    r#"{"family":"orders-api","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024"}"#,
                ),
            ),
        ],
    },
    ServiceSpec {
        source: "states.amazonaws.com",
        cli: "stepfunctions",
        iam: "states",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: JSON_INVALID,
        global: false,
        version: "1.08",
        api_version: None,
        host: "states.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "DescribeExecution",
                40,
                Arn("executionArn", R::StateMachine),
            ),
            read(
                "ListExecutions",
                20,
                NameWith(
                    "stateMachineArn",
                    R::StateMachine,
                    r#""statusFilter":"RUNNING""#,
                ),
            ),
            read(
                "DescribeStateMachine",
                15,
                Arn("stateMachineArn", R::StateMachine),
            ),
            read("ListStateMachines", 10, Null),
            write("StartExecution", 20, special(Sp::StatesStartExecution)),
        ],
    },
    ServiceSpec {
        source: "events.amazonaws.com",
        cli: "events",
        iam: "events",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: JSON_INVALID,
        global: false,
        version: "1.08",
        api_version: None,
        host: "events.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("ListRules", 20, Null),
            read("DescribeRule", 20, Name("name", R::Rule)),
            read("ListTargetsByRule", 20, Name("rule", R::Rule)),
            read("DescribeEventBus", 5, Null),
            write("PutRule", 2, special(Sp::EventsPutRule)),
            write(
                "PutTargets",
                2,
                NameWith(
                    "rule",
                    R::Rule,
                    r#""targets":[{"id":"1","arn":"arn:aws:sqs:us-east-1:000000000000:events"}]"#,
                ),
            ),
        ],
    },
    ServiceSpec {
        source: "glue.amazonaws.com",
        cli: "glue",
        iam: "glue",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: "InvalidInputException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "glue.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("GetTable", 60, special(Sp::GlueTable(""))),
            read("GetTables", 20, Name("databaseName", R::GlueDatabase)),
            read("GetDatabase", 20, Name("name", R::GlueDatabase)),
            read(
                "GetPartitions",
                30,
                special(Sp::GlueTable(r#","maxResults":1000"#)),
            ),
            read(
                "GetJobRun",
                20,
                Fixed(
                    r#"{"jobName":"nightly-compaction","runId":"jr_2b9b3f6a1e4d5c7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a"}"#,
                ),
            ),
            write("StartJobRun", 5, special(Sp::GlueStartJobRun)),
            write(
                "BatchCreatePartition",
                8,
                special(Sp::GlueTable(
                    r#","partitionInputList":[{"values":["2026","03"]}]"#,
                )),
            ),
        ],
    },
    ServiceSpec {
        source: "athena.amazonaws.com",
        cli: "athena",
        iam: "athena",
        denied: JSON_DENIED,
        throttle: "TooManyRequestsException",
        invalid: "InvalidRequestException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "athena.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("GetQueryExecution", 80, special(Sp::AthenaQueryId)),
            read("GetQueryResults", 40, special(Sp::AthenaQueryId)),
            read("GetWorkGroup", 10, Fixed(r#"{"workGroup":"primary"}"#)),
            read("ListWorkGroups", 5, Null),
            write("StartQueryExecution", 30, special(Sp::AthenaStartQuery)),
        ],
    },
    ServiceSpec {
        source: "config.amazonaws.com",
        cli: "configservice",
        iam: "config",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: JSON_INVALID,
        global: false,
        version: "1.08",
        api_version: None,
        host: "config.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            write(
                "PutEvaluations",
                60,
                Fixed(
                    r#"{"evaluations":[{"complianceResourceType":"AWS::EC2::Instance","complianceType":"COMPLIANT"}],"resultToken":"HIDDEN_DUE_TO_SECURITY_REASONS","testMode":false}"#,
                ),
            ),
            read("DescribeConfigRules", 15, Null),
            read("DescribeComplianceByConfigRule", 10, Null),
            read("DescribeConfigurationRecorderStatus", 10, Null),
            read(
                "GetComplianceDetailsByConfigRule",
                8,
                Fixed(
                    r#"{"configRuleName":"s3-bucket-ssl-requests-only","complianceTypes":["NON_COMPLIANT"]}"#,
                ),
            ),
        ],
    },
    ServiceSpec {
        source: "guardduty.amazonaws.com",
        cli: "guardduty",
        iam: "guardduty",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: "BadRequestException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "guardduty.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("ListDetectors", 20, Null),
            read("GetDetector", 15, Name("detectorId", R::Detector)),
            read(
                "ListFindings",
                25,
                NameWith(
                    "detectorId",
                    R::Detector,
                    r#""findingCriteria":{"criterion":{"service.archived":{"eq":["false"]}}},"maxResults":50"#,
                ),
            ),
            read(
                "GetFindings",
                15,
                NameWith(
                    "detectorId",
                    R::Detector,
                    r#""findingIds":["a2c6d8e0f1b3c5d7e9f0a1b2c3d4e5f6"]"#,
                ),
            ),
        ],
    },
    ServiceSpec {
        source: "securityhub.amazonaws.com",
        cli: "securityhub",
        iam: "securityhub",
        denied: JSON_DENIED,
        throttle: "TooManyRequestsException",
        invalid: "InvalidInputException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "securityhub.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "GetFindings",
                30,
                Fixed(
                    r#"{"filters":{"recordState":[{"value":"ACTIVE","comparison":"EQUALS"}]},"maxResults":100}"#,
                ),
            ),
            read("DescribeHub", 10, Null),
            read("GetEnabledStandards", 8, Null),
            write(
                "BatchImportFindings",
                15,
                Fixed(
                    r#"{"findings":[{"productArn":"arn:aws:securityhub:us-east-1::product/aws/guardduty"}]}"#,
                ),
            ),
            write(
                "BatchUpdateFindings",
                4,
                Fixed(r#"{"workflow":{"status":"RESOLVED"}}"#),
            ),
        ],
    },
    ServiceSpec {
        source: "health.amazonaws.com",
        cli: "health",
        iam: "health",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: JSON_INVALID,
        global: true,
        version: "1.08",
        api_version: None,
        host: "health.us-east-1.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "DescribeEventAggregates",
                20,
                Fixed(
                    r#"{"filter":{"eventStatusCodes":["open","upcoming"]},"aggregateField":"eventTypeCategory"}"#,
                ),
            ),
            read(
                "DescribeEvents",
                15,
                Fixed(r#"{"filter":{"eventStatusCodes":["open"]},"maxResults":100}"#),
            ),
        ],
    },
    ServiceSpec {
        source: "acm.amazonaws.com",
        cli: "acm",
        iam: "acm",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: JSON_INVALID,
        global: false,
        version: "1.08",
        api_version: None,
        host: "acm.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "ListCertificates",
                20,
                Fixed(r#"{"certificateStatuses":["ISSUED"],"maxItems":1000}"#),
            ),
            read(
                "DescribeCertificate",
                30,
                Arn("certificateArn", R::Certificate),
            ),
            read(
                "ListTagsForCertificate",
                8,
                Arn("certificateArn", R::Certificate),
            ),
        ],
    },
    ServiceSpec {
        source: "tagging.amazonaws.com",
        cli: "resourcegroupstaggingapi",
        iam: "tag",
        denied: JSON_DENIED,
        throttle: JSON_THROTTLE,
        invalid: "InvalidParameterException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "tagging.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[read(
            "GetResources",
            30,
            Fixed(
                r#"{"resourcesPerPage":100,"resourceTypeFilters":["ec2:instance","lambda:function"]}"#,
            ),
        )],
    },
    ServiceSpec {
        source: "ce.amazonaws.com",
        cli: "ce",
        iam: "ce",
        denied: JSON_DENIED,
        throttle: "LimitExceededException",
        invalid: JSON_INVALID,
        global: true,
        version: "1.08",
        api_version: None,
        host: "ce.us-east-1.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "GetCostAndUsage",
                10,
                Fixed(
                    r#"{"timePeriod":{"start":"2026-02-01","end":"2026-03-01"},"granularity":"DAILY","metrics":["UnblendedCost"],"groupBy":[{"type":"DIMENSION","key":"SERVICE"}]}"#,
                ),
            ),
            read(
                "GetCostForecast",
                4,
                Fixed(
                    r#"{"timePeriod":{"start":"2026-03-04","end":"2026-04-01"},"metric":"UNBLENDED_COST","granularity":"MONTHLY"}"#,
                ),
            ),
        ],
    },
    ServiceSpec {
        source: "account.amazonaws.com",
        cli: "account",
        iam: "account",
        denied: JSON_DENIED,
        throttle: "TooManyRequestsException",
        invalid: JSON_INVALID,
        global: true,
        version: "1.08",
        api_version: None,
        host: "account.us-east-1.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read("GetContactInformation", 5, Null),
            read(
                "GetRegionOptStatus",
                3,
                Fixed(r#"{"RegionName":"eu-north-1"}"#),
            ),
            read("ListRegions", 3, Fixed(r#"{"MaxResults":50}"#)),
        ],
    },
    ServiceSpec {
        source: "sso.amazonaws.com",
        cli: "sso",
        iam: "sso",
        denied: JSON_DENIED,
        throttle: "TooManyRequestsException",
        invalid: "InvalidRequestException",
        global: false,
        version: "1.08",
        api_version: None,
        host: "portal.sso.{r}.amazonaws.com",
        request_id: RequestIdStyle::Uuid,
        ops: &[
            read(
                "GetRoleCredentials",
                30,
                special(Sp::SsoAccount(r#","roleName":"AdministratorAccess""#)),
            ),
            read("ListAccounts", 15, Null),
            read("ListAccountRoles", 15, special(Sp::SsoAccount(""))),
            write("Logout", 2, Null),
        ],
    },
];

/// A flat index of one operation: service and position within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OpRef {
    pub service: u16,
    pub op: u16,
}

impl OpRef {
    /// The operation.
    pub(crate) fn spec(self) -> &'static OpSpec {
        &SERVICES[usize::from(self.service)].ops[usize::from(self.op)]
    }
}

/// Finds an operation by `eventSource` and `eventName`.
pub(crate) fn find(source: &str, name: &str) -> Option<OpRef> {
    for (service_index, service) in SERVICES.iter().enumerate() {
        if service.source != source {
            continue;
        }
        for (op_index, op) in service.ops.iter().enumerate() {
            if op.name == name {
                return Some(OpRef {
                    service: service_index as u16,
                    op: op_index as u16,
                });
            }
        }
    }
    None
}

/// Finds a service by `eventSource`.
pub(crate) fn find_service(source: &str) -> Option<usize> {
    SERVICES.iter().position(|service| service.source == source)
}

/// The `aws` CLI spelling of an operation: `DescribeInstances` → `describe-instances`,
/// `GetFunction20150331v2` → `get-function`.
pub(crate) fn cli_command(name: &str) -> String {
    let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == 'v');
    let trimmed = if trimmed.len() + 4 <= name.len() {
        trimmed
    } else {
        name
    };
    let mut out = String::with_capacity(trimmed.len() + 8);
    let chars: Vec<char> = trimmed.chars().collect();
    for (index, character) in chars.iter().enumerate() {
        if character.is_ascii_uppercase() {
            let previous_lower = index > 0 && chars[index - 1].is_ascii_lowercase();
            let next_lower = chars.get(index + 1).is_some_and(char::is_ascii_lowercase);
            let previous_upper = index > 0 && chars[index - 1].is_ascii_uppercase();
            if index > 0 && (previous_lower || (previous_upper && next_lower)) {
                out.push('-');
            }
            out.push(character.to_ascii_lowercase());
        } else {
            out.push(*character);
        }
    }
    out
}

/// The IAM action name of an operation (Lambda's dated suffixes removed).
pub(crate) fn iam_action(name: &str) -> &str {
    let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == 'v');
    if trimmed.len() + 4 <= name.len() {
        trimmed
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_shapes_are_json_objects() {
        for service in SERVICES {
            for op in service.ops {
                if let Fixed(text) = op.shape {
                    let value: serde_json::Value = serde_json::from_str(text)
                        .unwrap_or_else(|error| panic!("{}: {error}", op.name));
                    assert!(value.is_object(), "{}", op.name);
                }
                if let NameWith(_, _, extra) = op.shape {
                    let text = format!(r#"{{"k":"v",{extra}}}"#);
                    serde_json::from_str::<serde_json::Value>(&text)
                        .unwrap_or_else(|error| panic!("{}: {error}", op.name));
                }
            }
        }
    }

    #[test]
    fn catalog_is_large_and_unique() {
        assert!(SERVICES.len() >= 30);
        let total: usize = SERVICES.iter().map(|service| service.ops.len()).sum();
        assert!(total >= 250, "{total}");
        for (index, service) in SERVICES.iter().enumerate() {
            assert_eq!(find_service(service.source), Some(index));
            for op in service.ops {
                let found = find(service.source, op.name).unwrap();
                assert_eq!(found.spec().name, op.name);
            }
        }
    }

    #[test]
    fn cli_commands_are_kebab_case() {
        assert_eq!(cli_command("DescribeInstances"), "describe-instances");
        assert_eq!(cli_command("GetFunction20150331v2"), "get-function");
        assert_eq!(cli_command("ListTags20170331"), "list-tags");
        assert_eq!(cli_command("AssumeRoleWithSAML"), "assume-role-with-saml");
        assert_eq!(cli_command("GetBucketPolicy"), "get-bucket-policy");
        assert_eq!(cli_command("ListMFADevices"), "list-mfa-devices");
        assert_eq!(
            iam_action("UpdateFunctionCode20150331v2"),
            "UpdateFunctionCode"
        );
        assert_eq!(iam_action("GetObject"), "GetObject");
    }
}
