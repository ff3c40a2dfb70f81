//! The principals: who calls AWS, as which identity type, from where, with which client.

use super::*;

/// How a principal names its sessions.
#[derive(Debug, Clone)]
pub(crate) enum SessionName {
    /// Always the same (an instance ID, a function name, an e-mail address).
    Fixed(String),
    /// `botocore-session-<creation epoch seconds>`.
    Botocore,
    /// `aws-go-sdk-<creation epoch nanoseconds>`.
    GoSdk,
    /// A 32-hex-digit task ID, new for each session.
    TaskId,
}

/// Which `userIdentity.type` a principal appears as, with the members only that type has.
#[derive(Debug, Clone)]
pub(crate) enum IdentityKind {
    /// `IAMUser` (long-term key, or console sessions with temporary keys).
    IamUser,
    /// `AssumedRole`.
    AssumedRole,
    /// `Root`.
    Root,
    /// `AWSService` (`invoked_by` names the service).
    AwsService,
    /// `FederatedUser`; the IAM user that called `GetFederationToken`.
    FederatedUser {
        issuer_name: String,
        issuer_id: String,
    },
    /// `SAMLUser`.
    SamlUser,
    /// `WebIdentityUser`.
    WebIdentityUser,
    /// `IdentityCenterUser`.
    IdentityCenterUser {
        user_id: String,
        credential_id: String,
    },
    /// Service events: `{accountId, invokedBy}` without a type.
    ServiceEvents,
}

/// One caller.
#[derive(Debug)]
pub(crate) struct Principal {
    /// Index into the world's accounts.
    pub account: usize,
    /// Behaviour.
    pub profile: Profile,
    /// Identity type.
    pub identity: IdentityKind,
    /// Relative activity.
    pub weight: f64,
    /// Index into the configured regions of the region it mostly works in.
    pub home_region: usize,
    /// User name, role name, federated name, SAML subject or web identity user.
    pub name: String,
    /// `AIDA…` or `AROA…` unique ID of the user or role.
    pub unique_id: String,
    /// `AKIA…` long-term key of an IAM user.
    pub access_key: String,
    /// IAM path of the role (`/`, `/service-role/`, ...).
    pub role_path: String,
    /// Session naming.
    pub session: SessionName,
    /// Session lifetime in seconds.
    pub session_secs: i64,
    /// Offset of the session schedule, so sessions do not all start together.
    pub session_phase: i64,
    /// `mfaAuthenticated`.
    pub mfa: bool,
    /// Share of calls made from the console (`sessionCredentialFromConsole`).
    pub console_share: f64,
    /// `invokedBy` (service-linked roles and AWS service principals).
    pub invoked_by: Option<&'static str>,
    /// Instance credentials (`ec2RoleDelivery`).
    pub ec2_delivery: bool,
    /// `webIdFederationData.federatedProvider` of an IRSA role session.
    pub web_federation: Option<String>,
    /// `identityProvider` of SAML and web identity users.
    pub provider: String,
    /// `principalId` of SAML and web identity users.
    pub federated_principal_id: String,
    /// Role a SAML or web identity user assumes.
    pub target_role: String,
    /// Audience of a web identity user's token.
    pub audience: String,
    /// User agents, picked per call.
    pub agents: Vec<Agent>,
    /// Browser user agent for console sign-in and console calls.
    pub browser: &'static str,
    /// Source addresses, picked per call.
    pub ips: Vec<String>,
    /// Calls leave through a VPC endpoint now and then.
    pub in_vpc: bool,
    /// TLS 1.3 (true) or 1.2 (false).
    pub tls13: bool,
    /// Multiplier on the configured error fraction.
    pub error_factor: f64,
    /// Multiplier on the configured throttle fraction.
    pub throttle_factor: f64,
    /// A resource this principal is (an instance, a function), used for most of its calls.
    pub own: Option<(Res, usize)>,
}

/// A user agent of a principal.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Agent {
    /// Used as is.
    Static(&'static str),
    /// An `aws` CLI prefix; the command (`ec2.describe-instances`) is appended.
    Cli(&'static str),
}

const CLI_LINUX: &str = "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1016-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#";
const CLI_MAC: &str = "aws-cli/2.13.25 Python/3.11.5 Darwin/23.1.0 exe/x86_64 prompt/off command/";
const BOTO3: &str = "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.5.0-1016-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69";
const BOTO3_OLD: &str = "Boto3/1.26.165 Python/3.10.6 Linux/5.19.0-46-generic Botocore/1.29.165";
const BOTO3_LAMBDA: &str = "Boto3/1.34.42 md/Botocore#1.34.42 ua/2.0 os/linux#5.10.213-223.830.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.42";
const JS_LAMBDA: &str = "aws-sdk-js/3.523.0 ua/2.0 os/linux#5.10.213-223.830.amzn2.x86_64 lang/js md/nodejs#20.11.1 exec-env/AWS_Lambda_nodejs20.x api/dynamodb#3.523.0";
const GO_V2: &str =
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sqs#1.31.1";
const JAVA_ECS: &str = "aws-sdk-java/2.25.16 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy";
const TERRAFORM: &str = "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64";
const CDK: &str = "aws-sdk-js/2.1581.0 linux/v20.11.1 promise aws-cdk/2.133.0";
const SSM_AGENT: &str = "aws-sdk-go/1.44.260 (go1.21.6; linux; amd64) amazon-ssm-agent/3.3.40.0";
const CW_AGENT: &str =
    "aws-sdk-go/1.48.6 (go1.21.6; linux; amd64) CWAgent/1.300032.3b392 (go1.21.6; linux; amd64)";
const KUBELET: &str = "kubelet/v1.29.0-eks-5e0fdde (linux/amd64) kubernetes/5e0fdde";
const VPC_CNI: &str = "aws-sdk-go/1.50.2 (go1.21.6; linux; amd64) amazon-vpc-cni-k8s/1.16.4";
const ECR_CREDENTIALS: &str = "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 api/ecr#1.24.6 ecr-credential-provider";
const EXTERNAL_DNS: &str = "aws-sdk-go/1.44.302 (go1.20.5; linux; amd64) external-dns";
const LB_CONTROLLER: &str = "aws-sdk-go/1.44.327 (go1.21.5; linux; amd64) elbv2.k8s.aws/v2.7.1";
const AWS_INTERNAL_JAVA: &str = "aws-internal/3 aws-sdk-java/1.12.680 Linux/5.10.210-178.855.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Amazon.com_Inc. cfg/retry-mode/standard";
const SCANNER: &str = "aws-sdk-go/1.50.34 (go1.21.8; linux; amd64) SecurityScanner/4.12.0";
const PROWLER: &str = "Boto3/1.34.64 md/Botocore#1.34.64 ua/2.0 os/linux#6.1.79 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.34.64 prowler/3.15.0";
const DATADOG: &str = "aws-sdk-go/1.44.327 (go1.21.5; linux; amd64) Datadog-AWS-Integration";
const POWERSHELL: &str = "AWSPowerShell.Common/4.1.532.0 .NET_Core/8.0.2 OS/Microsoft_Windows_10.0.22631 PowerShellCore/7.4 ClientAsync";
const BROWSERS: [&str; 4] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
];
/// First octets of public address space handed to ISPs and clouds.
const PUBLIC_OCTETS: [u8; 24] = [
    23, 31, 37, 45, 62, 73, 77, 81, 86, 89, 90, 94, 98, 104, 108, 146, 151, 176, 178, 185, 188,
    203, 212, 217,
];
/// First octets of AWS-owned public address space.
pub(super) const AWS_OCTETS: [u8; 8] = [3, 18, 34, 35, 44, 52, 54, 100];
const SERVICE_PRINCIPALS: [&str; 9] = [
    "lambda.amazonaws.com",
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "events.amazonaws.com",
    "states.amazonaws.com",
    "apigateway.amazonaws.com",
    "glue.amazonaws.com",
];
const SERVICE_LINKED_ROLES: [(&str, &str, &str); 6] = [
    (
        "AWSServiceRoleForAutoScaling",
        "autoscaling.amazonaws.com",
        "AutoScaling",
    ),
    ("AWSServiceRoleForECS", "ecs.amazonaws.com", "ECS"),
    (
        "AWSServiceRoleForElasticLoadBalancing",
        "elasticloadbalancing.amazonaws.com",
        "ElasticLoadBalancing",
    ),
    (
        "AWSServiceRoleForConfig",
        "config.amazonaws.com",
        "AWSConfig-Describe",
    ),
    (
        "AWSServiceRoleForAmazonEKSNodegroup",
        "eks-nodegroup.amazonaws.com",
        "EKS",
    ),
    ("AWSServiceRoleForRDS", "rds.amazonaws.com", "SLRManagement"),
];

fn human_ips(rng: &mut (impl RngCore + ?Sized)) -> Vec<String> {
    let mut ips: Vec<String> = (0..1 + below(rng, 2))
        .map(|_| public_ip(rng, &PUBLIC_OCTETS))
        .collect();
    if chance(rng, 0.1) {
        let words = [
            rng.next_u32() as u16,
            rng.next_u32() as u16,
            rng.next_u32() as u16,
        ];
        ips.push(format!(
            "2a02:8108:{:x}:{:x}:{:x}::1",
            words[0], words[1], words[2]
        ));
    }
    ips
}

fn lognormal(rng: &mut (impl RngCore + ?Sized), sigma: f64) -> f64 {
    (sigma * normal(rng.next_u64())).exp()
}

pub(super) fn build_principal(
    rng: &mut (impl RngCore + ?Sized),
    seed: u64,
    account: &Account,
    account_index: usize,
    profile: Profile,
    regions: &[String],
) -> Principal {
    let spec = profile.spec();
    let region_count = regions.len().max(1);
    let home_region = if chance(rng, 0.6) {
        0
    } else {
        below(rng, region_count)
    };
    let (app, env) = app_env(rng);
    let first = FIRST_NAMES[below(rng, FIRST_NAMES.len())];
    let last = LAST_NAMES[below(rng, LAST_NAMES.len())];
    let email = format!("{first}.{last}@{}.com", account.company);
    let mut principal = Principal {
        account: account_index,
        profile,
        identity: IdentityKind::AssumedRole,
        weight: spec.activity * lognormal(rng, 0.9),
        home_region,
        name: String::new(),
        unique_id: String::new(),
        access_key: String::new(),
        role_path: String::from("/"),
        session: SessionName::Botocore,
        session_secs: 3600,
        session_phase: (rng.next_u64() % 3600) as i64,
        mfa: false,
        console_share: 0.0,
        invoked_by: None,
        ec2_delivery: false,
        web_federation: None,
        provider: String::new(),
        federated_principal_id: String::new(),
        target_role: String::new(),
        audience: String::new(),
        agents: Vec::new(),
        browser: BROWSERS[below(rng, BROWSERS.len())],
        ips: Vec::new(),
        in_vpc: false,
        tls13: chance(rng, 0.6),
        error_factor: lognormal(rng, 0.7).clamp(0.1, 10.0),
        throttle_factor: lognormal(rng, 0.7).clamp(0.1, 10.0),
        own: None,
    };
    if chance(rng, 0.05) {
        // A misconfigured caller that fails a lot.
        principal.error_factor *= 8.0;
    }
    let sso_suffix = hashed_string(mix(text_hash(&account.id), 0x550), HEX, 16);
    match profile {
        Profile::Developer | Profile::ConsoleAdmin => {
            principal.ips = human_ips(rng);
            principal.agents = vec![
                Agent::Cli(CLI_LINUX),
                Agent::Cli(CLI_MAC),
                Agent::Static(BOTO3),
                Agent::Static(TERRAFORM),
                Agent::Static(POWERSHELL),
            ];
            principal.agents.truncate(2 + below(rng, 4));
            principal.session_secs = 8 * 3600;
            let iam_user = profile == Profile::Developer && chance(rng, 0.5);
            if iam_user {
                principal.identity = IdentityKind::IamUser;
                principal.name = format!("{first}.{last}");
                principal.console_share = 0.3;
                principal.mfa = chance(rng, 0.8);
            } else {
                let role = if profile == Profile::Developer {
                    "DeveloperAccess"
                } else {
                    "AdministratorAccess"
                };
                principal.name = format!("AWSReservedSSO_{role}_{sso_suffix}");
                principal.role_path = String::from("/aws-reserved/sso.amazonaws.com/");
                principal.session = SessionName::Fixed(email);
                principal.console_share = if profile == Profile::Developer {
                    0.4
                } else {
                    0.85
                };
            }
        }
        Profile::CiDeploy => {
            principal.ips = (0..4).map(|_| public_ip(rng, &AWS_OCTETS)).collect();
            principal.agents = vec![
                Agent::Static(TERRAFORM),
                Agent::Static(CDK),
                Agent::Static(BOTO3),
            ];
            if chance(rng, 0.5) {
                principal.identity = IdentityKind::IamUser;
                principal.name = String::from(pick(
                    rng,
                    &[
                        "ci-deploy",
                        "terraform-ci",
                        "jenkins",
                        "gitlab-runner",
                        "deploy-bot",
                    ],
                ));
            } else {
                principal.name = String::from(pick(
                    rng,
                    &[
                        "github-actions-deploy",
                        "terraform-apply",
                        "codebuild-deploy",
                    ],
                ));
                principal.session = SessionName::Fixed(String::from("GitHubActions"));
            }
        }
        Profile::Ec2Instance | Profile::EksNode => {
            let instance = below(rng, account.pool(Res::Instance).len());
            principal.own = Some((Res::Instance, instance));
            principal.session =
                SessionName::Fixed(account.pool(Res::Instance)[instance].name.clone());
            principal.session_secs = 6 * 3600;
            principal.ec2_delivery = true;
            principal.in_vpc = true;
            principal.ips = vec![account.nat_ips[below(rng, account.nat_ips.len())].clone()];
            if profile == Profile::Ec2Instance {
                principal.name = format!("{app}-{env}-ec2-role");
                principal.agents = vec![
                    Agent::Static(SSM_AGENT),
                    Agent::Static(CW_AGENT),
                    Agent::Static(BOTO3_OLD),
                    Agent::Cli(CLI_LINUX),
                ];
            } else {
                let cluster =
                    &account.pool(Res::EksCluster)[below(rng, account.pool(Res::EksCluster).len())];
                principal.name = format!(
                    "eksctl-{}-nodegroup-ng-NodeInstanceRole-{}",
                    cluster.name,
                    hashed_string(mix(text_hash(&cluster.name), seed), UPPER_ALNUM, 12)
                );
                principal.agents = vec![
                    Agent::Static(KUBELET),
                    Agent::Static(VPC_CNI),
                    Agent::Static(ECR_CREDENTIALS),
                ];
            }
        }
        Profile::LambdaFunction => {
            let function = below(rng, account.pool(Res::Function).len());
            principal.own = Some((Res::Function, function));
            let function_name = account.pool(Res::Function)[function].name.clone();
            principal.name = format!(
                "{function_name}-role-{}",
                hashed_string(
                    mix(text_hash(&function_name), seed),
                    b"abcdefghijklmnopqrstuvwxyz0123456789",
                    8
                )
            );
            principal.role_path = String::from("/service-role/");
            principal.session = SessionName::Fixed(function_name);
            principal.session_secs = 12 * 3600;
            principal.ips = (0..6).map(|_| public_ip(rng, &AWS_OCTETS)).collect();
            principal.agents = vec![if chance(rng, 0.5) {
                Agent::Static(BOTO3_LAMBDA)
            } else {
                Agent::Static(JS_LAMBDA)
            }];
        }
        Profile::EcsTask => {
            principal.name = format!("{app}-{env}-task-role");
            principal.session = SessionName::TaskId;
            principal.session_secs = 6 * 3600;
            principal.in_vpc = true;
            principal.ips = vec![account.nat_ips[below(rng, account.nat_ips.len())].clone()];
            principal.agents = vec![Agent::Static(JAVA_ECS), Agent::Static(GO_V2)];
        }
        Profile::EksPod => {
            principal.name = format!("{app}-{env}-irsa");
            principal.session = if chance(rng, 0.5) {
                SessionName::Botocore
            } else {
                SessionName::GoSdk
            };
            principal.in_vpc = true;
            principal.ips = vec![account.nat_ips[below(rng, account.nat_ips.len())].clone()];
            principal.web_federation = Some(format!(
                "arn:aws:iam::{}:oidc-provider/oidc.eks.{}.amazonaws.com/id/{}",
                account.id,
                regions.first().map_or("us-east-1", String::as_str),
                hashed_string(text_hash(&account.id), b"0123456789ABCDEF", 32)
            ));
            principal.agents = vec![
                Agent::Static(EXTERNAL_DNS),
                Agent::Static(LB_CONTROLLER),
                Agent::Static(GO_V2),
                Agent::Static(BOTO3),
            ];
        }
        Profile::DataPipeline => {
            principal.name = format!("AWSGlueServiceRole-{app}-{env}");
            principal.role_path = String::from("/service-role/");
            principal.session = SessionName::Fixed(String::from("GlueJobRunnerSession"));
            principal.ips = (0..4).map(|_| public_ip(rng, &AWS_OCTETS)).collect();
            principal.agents = vec![Agent::Static(AWS_INTERNAL_JAVA), Agent::Static(BOTO3)];
        }
        Profile::SecurityScanner => {
            principal.name = String::from(pick(
                rng,
                &["SecurityAuditRole", "prowler-scan-role", "wiz-access-role"],
            ));
            principal.session = SessionName::Fixed(String::from("SecurityAudit"));
            principal.ips = (0..2).map(|_| public_ip(rng, &PUBLIC_OCTETS)).collect();
            principal.agents = vec![Agent::Static(if chance(rng, 0.5) {
                SCANNER
            } else {
                PROWLER
            })];
        }
        Profile::Monitoring => {
            principal.name = String::from(pick(
                rng,
                &["DatadogIntegrationRole", "grafana-cloudwatch-read"],
            ));
            principal.session = SessionName::Fixed(String::from("DatadogAWSIntegration"));
            principal.ips = (0..3).map(|_| public_ip(rng, &AWS_OCTETS)).collect();
            principal.agents = vec![Agent::Static(DATADOG)];
        }
        Profile::ServiceLinked => {
            let (role, service, session) =
                SERVICE_LINKED_ROLES[below(rng, SERVICE_LINKED_ROLES.len())];
            principal.name = String::from(role);
            principal.role_path = format!("/aws-service-role/{service}/");
            principal.session = SessionName::Fixed(String::from(session));
            principal.invoked_by = Some(service);
        }
        Profile::AwsService => {
            principal.identity = IdentityKind::AwsService;
            principal.invoked_by = Some(SERVICE_PRINCIPALS[below(rng, SERVICE_PRINCIPALS.len())]);
        }
        Profile::Root => {
            principal.identity = IdentityKind::Root;
            principal.error_factor = 0.1;
            principal.name = String::from("root");
            principal.console_share = 1.0;
            principal.mfa = true;
            principal.ips = human_ips(rng);
            principal.agents = vec![Agent::Static(BROWSERS[0])];
        }
        Profile::Federated => {
            let issuer_name = String::from("federation-broker");
            principal.identity = IdentityKind::FederatedUser {
                issuer_id: iam_unique_id("AIDA", account, &issuer_name),
                issuer_name,
            };
            principal.name = format!(
                "{first}-{}",
                pick(rng, &["partner", "contractor", "support"])
            );
            principal.console_share = 0.5;
            principal.session_secs = 12 * 3600;
            principal.ips = human_ips(rng);
            principal.agents = vec![Agent::Static(BOTO3_OLD), Agent::Cli(CLI_MAC)];
        }
        Profile::SamlLogin => {
            principal.identity = IdentityKind::SamlUser;
            let qualifier = format!(
                "{}=",
                hashed_string(mix(text_hash(&account.id), 0x5A31), BASE64, 27)
            );
            principal.name = email;
            principal.federated_principal_id = format!("{qualifier}:{}", principal.name);
            principal.provider = qualifier;
            principal.target_role = String::from(pick(
                rng,
                &[
                    "Okta-Admins",
                    "Okta-ReadOnly",
                    "ADFS-Developers",
                    "ADFS-Operations",
                ],
            ));
            principal.ips = human_ips(rng);
            principal.agents = vec![Agent::Static(
                "aws-internal/3 aws-sdk-java/1.12.680 Linux/5.10.210 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Amazon.com_Inc. cfg/retry-mode/standard",
            )];
        }
        Profile::WebIdentityLogin => {
            principal.identity = IdentityKind::WebIdentityUser;
            let variant = below(rng, 4);
            let (provider, audience, subject, role) = match variant {
                0 => (
                    format!(
                        "arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com",
                        account.id
                    ),
                    String::from("sts.amazonaws.com"),
                    format!("repo:{}/{app}-service:ref:refs/heads/main", account.company),
                    String::from("github-actions-deploy"),
                ),
                1 => (
                    format!(
                        "arn:aws:iam::{}:oidc-provider/oidc.eks.{}.amazonaws.com/id/{}",
                        account.id,
                        regions.first().map_or("us-east-1", String::as_str),
                        hashed_string(text_hash(&account.id), b"0123456789ABCDEF", 32)
                    ),
                    String::from("sts.amazonaws.com"),
                    format!("system:serviceaccount:{app}:{app}-{env}"),
                    format!("{app}-{env}-irsa"),
                ),
                2 => {
                    let region = regions.first().map_or("us-east-1", String::as_str);
                    (
                        String::from("cognito-identity.amazonaws.com"),
                        format!("{region}:{}", uuid_string(rng)),
                        format!("{region}:{}", uuid_string(rng)),
                        format!("Cognito_{app}Auth_Role"),
                    )
                }
                _ => (
                    String::from("accounts.google.com"),
                    format!(
                        "{}-{}.apps.googleusercontent.com",
                        random_string(rng, b"0123456789", 12),
                        random_string(rng, b"abcdefghijklmnopqrstuvwxyz0123456789", 32)
                    ),
                    random_string(rng, b"0123456789", 21),
                    String::from("google-federated-reader"),
                ),
            };
            principal.federated_principal_id = format!("{provider}:{audience}:{subject}");
            principal.audience = audience;
            principal.name = subject;
            principal.provider = provider;
            principal.target_role = role;
            principal.ips = (0..3).map(|_| public_ip(rng, &AWS_OCTETS)).collect();
            principal.agents = vec![Agent::Static(BOTO3), Agent::Static(GO_V2)];
        }
        Profile::IdentityCenter => {
            principal.identity = IdentityKind::IdentityCenterUser {
                user_id: uuid_string(rng),
                credential_id: random_string(
                    rng,
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                    60,
                ),
            };
            principal.name = email;
            principal.ips = human_ips(rng);
            principal.agents = vec![Agent::Static(principal.browser)];
        }
        Profile::ServiceEvents => {
            principal.identity = IdentityKind::ServiceEvents;
        }
    }
    principal.unique_id = match principal.identity {
        IdentityKind::IamUser => iam_unique_id("AIDA", account, &principal.name),
        IdentityKind::AssumedRole => iam_unique_id("AROA", account, &principal.name),
        _ => String::new(),
    };
    if matches!(principal.identity, IdentityKind::IamUser) {
        let key = hashed_string(
            mix3(text_hash(&account.id), text_hash(&principal.name), 0x4B),
            IAM_ALPHABET,
            8,
        );
        principal.access_key = format!("AKIA{}{key}", account.code);
    }
    if principal.ips.is_empty() {
        principal.ips = vec![public_ip(rng, &AWS_OCTETS)];
    }
    if principal.agents.is_empty() {
        principal.agents = vec![Agent::Static(BOTO3)];
    }
    principal
}
