//! Behaviour profiles of principals: which services a kind of caller uses, how often it
//! writes, whether it follows office hours, and which identity types it appears as.

use crate::catalog::Kind;

/// What a principal is, which decides its identity type and its traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Profile {
    /// A developer with an IAM user or an SSO role, using the CLI, SDKs and the console.
    Developer,
    /// An administrator in the console through an SSO role.
    ConsoleAdmin,
    /// A CI/CD deployer (Terraform, CDK, GitHub Actions).
    CiDeploy,
    /// An EC2 instance profile role (SSM agent, app on the instance).
    Ec2Instance,
    /// A Lambda execution role.
    LambdaFunction,
    /// An ECS task role.
    EcsTask,
    /// An EKS worker node role.
    EksNode,
    /// An EKS pod role (IRSA).
    EksPod,
    /// A data pipeline (Glue, Athena, Step Functions).
    DataPipeline,
    /// A third-party security scanner enumerating resources.
    SecurityScanner,
    /// A monitoring integration polling metrics.
    Monitoring,
    /// A service-linked role used by an AWS service (`invokedBy` set).
    ServiceLinked,
    /// An AWS service principal (`AWSService`).
    AwsService,
    /// The account root user.
    Root,
    /// A federated user from `GetFederationToken`.
    Federated,
    /// A SAML user calling `AssumeRoleWithSAML`.
    SamlLogin,
    /// A web identity user calling `AssumeRoleWithWebIdentity`.
    WebIdentityLogin,
    /// An IAM Identity Center user in the access portal.
    IdentityCenter,
    /// The account's own service events (`AwsServiceEvent`).
    ServiceEvents,
}

/// How a profile behaves.
#[derive(Debug)]
pub(crate) struct ProfileSpec {
    /// Office-hours traffic (true) or round-the-clock automation (false).
    pub human: bool,
    /// Share of the configured principals with this profile (0 for the per-account ones).
    pub share: f64,
    /// Mean activity weight of one principal.
    pub activity: f64,
    /// Services (by endpoint prefix) and their weights; spread over the service's
    /// operations of kind `kind` by the catalog weights.
    pub services: &'static [(&'static str, f64)],
    /// The operation kind the service weights draw from.
    pub kind: Kind,
    /// Operations weighted on top of `services`: (endpoint prefix, eventName, weight).
    pub focus: &'static [(&'static str, &'static str, f64)],
    /// Multiplier on write operations drawn through `services`.
    pub write_factor: f64,
    /// Spread `services` weights evenly over read operations (enumeration tools).
    pub uniform_reads: bool,
    /// Data operations this profile calls: (endpoint prefix, eventName, weight).
    pub data: &'static [(&'static str, &'static str, f64)],
}

const NO_FOCUS: &[(&str, &str, f64)] = &[];

impl Profile {
    /// Every profile, in declaration order (`Profile::ALL[p as usize] == p`).
    pub(crate) const ALL: [Profile; 19] = [
        Profile::Developer,
        Profile::ConsoleAdmin,
        Profile::CiDeploy,
        Profile::Ec2Instance,
        Profile::LambdaFunction,
        Profile::EcsTask,
        Profile::EksNode,
        Profile::EksPod,
        Profile::DataPipeline,
        Profile::SecurityScanner,
        Profile::Monitoring,
        Profile::ServiceLinked,
        Profile::AwsService,
        Profile::Root,
        Profile::Federated,
        Profile::SamlLogin,
        Profile::WebIdentityLogin,
        Profile::IdentityCenter,
        Profile::ServiceEvents,
    ];

    /// Every profile that takes a share of the configured principals.
    pub(crate) const SHARED: [Profile; 17] = [
        Profile::Developer,
        Profile::ConsoleAdmin,
        Profile::CiDeploy,
        Profile::Ec2Instance,
        Profile::LambdaFunction,
        Profile::EcsTask,
        Profile::EksNode,
        Profile::EksPod,
        Profile::DataPipeline,
        Profile::SecurityScanner,
        Profile::Monitoring,
        Profile::ServiceLinked,
        Profile::AwsService,
        Profile::Federated,
        Profile::SamlLogin,
        Profile::WebIdentityLogin,
        Profile::IdentityCenter,
    ];

    /// The profile's behaviour.
    pub(crate) fn spec(self) -> &'static ProfileSpec {
        match self {
            Profile::Developer => &DEVELOPER,
            Profile::ConsoleAdmin => &CONSOLE_ADMIN,
            Profile::CiDeploy => &CI_DEPLOY,
            Profile::Ec2Instance => &EC2_INSTANCE,
            Profile::LambdaFunction => &LAMBDA_FUNCTION,
            Profile::EcsTask => &ECS_TASK,
            Profile::EksNode => &EKS_NODE,
            Profile::EksPod => &EKS_POD,
            Profile::DataPipeline => &DATA_PIPELINE,
            Profile::SecurityScanner => &SECURITY_SCANNER,
            Profile::Monitoring => &MONITORING,
            Profile::ServiceLinked => &SERVICE_LINKED,
            Profile::AwsService => &AWS_SERVICE,
            Profile::Root => &ROOT,
            Profile::Federated => &FEDERATED,
            Profile::SamlLogin => &SAML_LOGIN,
            Profile::WebIdentityLogin => &WEB_IDENTITY_LOGIN,
            Profile::IdentityCenter => &IDENTITY_CENTER,
            Profile::ServiceEvents => &SERVICE_EVENTS,
        }
    }
}

static DEVELOPER: ProfileSpec = ProfileSpec {
    human: true,
    share: 0.13,
    activity: 1.0,
    services: &[
        ("ec2", 20.0),
        ("s3", 15.0),
        ("iam", 8.0),
        ("lambda", 8.0),
        ("logs", 8.0),
        ("cloudformation", 6.0),
        ("dynamodb", 5.0),
        ("monitoring", 5.0),
        ("ssm", 4.0),
        ("secretsmanager", 3.0),
        ("ecr", 3.0),
        ("eks", 3.0),
        ("ecs", 3.0),
        ("rds", 3.0),
        ("sns", 2.0),
        ("sqs", 2.0),
        ("kms", 2.0),
        ("cloudtrail", 2.0),
        ("elasticloadbalancing", 2.0),
        ("autoscaling", 1.0),
        ("route53", 1.0),
        ("states", 1.0),
        ("events", 1.0),
        ("athena", 1.0),
        ("acm", 0.5),
        ("organizations", 0.5),
    ],
    kind: Kind::Management,
    focus: &[
        ("sts", "GetCallerIdentity", 8.0),
        ("sts", "AssumeRole", 2.0),
        ("signin", "ConsoleLogin", 0.3),
    ],
    write_factor: 0.4,
    uniform_reads: false,
    data: &[
        ("s3", "GetObject", 5.0),
        ("s3", "ListObjects", 3.0),
        ("s3", "PutObject", 2.0),
        ("s3", "HeadObject", 1.0),
        ("dynamodb", "Query", 1.0),
        ("dynamodb", "GetItem", 1.0),
        ("lambda", "Invoke", 1.0),
    ],
};

static CONSOLE_ADMIN: ProfileSpec = ProfileSpec {
    human: true,
    share: 0.05,
    activity: 1.2,
    services: &[
        ("ec2", 15.0),
        ("iam", 12.0),
        ("s3", 10.0),
        ("cloudtrail", 5.0),
        ("monitoring", 6.0),
        ("logs", 5.0),
        ("lambda", 4.0),
        ("rds", 4.0),
        ("cloudformation", 4.0),
        ("kms", 2.0),
        ("organizations", 3.0),
        ("health", 3.0),
        ("config", 2.0),
        ("guardduty", 2.0),
        ("securityhub", 2.0),
        ("ce", 1.0),
        ("elasticloadbalancing", 2.0),
        ("route53", 1.0),
        ("cloudfront", 1.0),
        ("acm", 1.0),
        ("eks", 1.0),
        ("account", 0.5),
    ],
    kind: Kind::Management,
    focus: &[("signin", "ConsoleLogin", 0.6)],
    write_factor: 0.3,
    uniform_reads: false,
    data: NO_FOCUS,
};

static CI_DEPLOY: ProfileSpec = ProfileSpec {
    human: true,
    share: 0.05,
    activity: 2.0,
    services: &[
        ("cloudformation", 30.0),
        ("s3", 12.0),
        ("iam", 10.0),
        ("lambda", 10.0),
        ("ecr", 8.0),
        ("ec2", 5.0),
        ("ssm", 4.0),
        ("logs", 3.0),
        ("ecs", 4.0),
        ("eks", 2.0),
        ("kms", 2.0),
        ("cloudfront", 1.0),
    ],
    kind: Kind::Management,
    focus: &[
        ("sts", "GetCallerIdentity", 8.0),
        ("sts", "AssumeRole", 5.0),
        ("cloudformation", "DescribeStackEvents", 12.0),
        ("cloudformation", "DescribeStacks", 12.0),
    ],
    write_factor: 2.0,
    uniform_reads: false,
    data: &[
        ("s3", "PutObject", 5.0),
        ("s3", "HeadObject", 3.0),
        ("s3", "GetObject", 2.0),
    ],
};

static EC2_INSTANCE: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.20,
    activity: 1.5,
    services: &[],
    kind: Kind::Management,
    focus: &[
        ("ssm", "UpdateInstanceInformation", 30.0),
        ("ssm", "ListInstanceAssociations", 12.0),
        ("ssm", "GetParameter", 8.0),
        ("ec2", "DescribeTags", 8.0),
        ("ec2", "DescribeInstances", 4.0),
        ("kms", "Decrypt", 5.0),
        ("secretsmanager", "GetSecretValue", 5.0),
        ("logs", "CreateLogStream", 2.0),
        ("logs", "DescribeLogStreams", 2.0),
        ("sts", "GetCallerIdentity", 2.0),
        ("ecr", "GetAuthorizationToken", 2.0),
        ("autoscaling", "CompleteLifecycleAction", 0.2),
    ],
    write_factor: 1.0,
    uniform_reads: false,
    data: &[
        ("s3", "GetObject", 5.0),
        ("s3", "PutObject", 3.0),
        ("s3", "HeadObject", 1.0),
        ("dynamodb", "GetItem", 2.0),
        ("dynamodb", "PutItem", 1.0),
        ("sqs", "ReceiveMessage", 2.0),
        ("sqs", "DeleteMessage", 1.0),
    ],
};

static LAMBDA_FUNCTION: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.18,
    activity: 1.5,
    services: &[],
    kind: Kind::Management,
    focus: &[
        ("logs", "CreateLogStream", 20.0),
        ("logs", "CreateLogGroup", 1.0),
        ("kms", "Decrypt", 10.0),
        ("kms", "GenerateDataKey", 4.0),
        ("secretsmanager", "GetSecretValue", 10.0),
        ("ssm", "GetParameter", 10.0),
        ("ssm", "GetParametersByPath", 2.0),
        ("dynamodb", "DescribeTable", 4.0),
        ("sqs", "GetQueueAttributes", 3.0),
        ("sts", "GetCallerIdentity", 1.0),
        ("states", "StartExecution", 1.0),
        ("sns", "GetTopicAttributes", 1.0),
    ],
    write_factor: 1.0,
    uniform_reads: false,
    data: &[
        ("dynamodb", "GetItem", 8.0),
        ("dynamodb", "Query", 6.0),
        ("dynamodb", "PutItem", 5.0),
        ("dynamodb", "UpdateItem", 4.0),
        ("dynamodb", "BatchWriteItem", 1.0),
        ("s3", "GetObject", 6.0),
        ("s3", "PutObject", 4.0),
        ("sqs", "SendMessage", 4.0),
        ("sns", "Publish", 3.0),
        ("lambda", "Invoke", 2.0),
    ],
};

static ECS_TASK: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.08,
    activity: 1.5,
    services: &[],
    kind: Kind::Management,
    focus: &[
        ("ecr", "GetAuthorizationToken", 8.0),
        ("ecr", "BatchGetImage", 6.0),
        ("ecr", "GetDownloadUrlForLayer", 10.0),
        ("logs", "CreateLogStream", 6.0),
        ("secretsmanager", "GetSecretValue", 8.0),
        ("ssm", "GetParameters", 8.0),
        ("kms", "Decrypt", 8.0),
        ("sqs", "GetQueueUrl", 4.0),
        ("dynamodb", "DescribeTable", 2.0),
        ("sts", "AssumeRole", 1.0),
    ],
    write_factor: 1.0,
    uniform_reads: false,
    data: &[
        ("sqs", "ReceiveMessage", 8.0),
        ("sqs", "DeleteMessage", 5.0),
        ("sqs", "SendMessage", 3.0),
        ("dynamodb", "Query", 5.0),
        ("dynamodb", "PutItem", 3.0),
        ("s3", "GetObject", 4.0),
        ("s3", "PutObject", 3.0),
    ],
};

static EKS_NODE: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.04,
    activity: 2.5,
    services: &[],
    kind: Kind::Management,
    focus: &[
        ("ec2", "DescribeInstances", 10.0),
        ("ec2", "DescribeNetworkInterfaces", 10.0),
        ("ec2", "AssignPrivateIpAddresses", 2.0),
        ("ec2", "CreateNetworkInterface", 1.0),
        ("ec2", "DescribeTags", 4.0),
        ("ecr", "GetAuthorizationToken", 8.0),
        ("ecr", "BatchGetImage", 8.0),
        ("ecr", "GetDownloadUrlForLayer", 10.0),
        ("eks", "DescribeCluster", 8.0),
        ("autoscaling", "DescribeAutoScalingGroups", 4.0),
        ("sts", "GetCallerIdentity", 2.0),
    ],
    write_factor: 1.0,
    uniform_reads: false,
    data: NO_FOCUS,
};

static EKS_POD: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.04,
    activity: 1.5,
    services: &[],
    kind: Kind::Management,
    focus: &[
        ("sqs", "GetQueueAttributes", 10.0),
        ("secretsmanager", "GetSecretValue", 8.0),
        ("kms", "Decrypt", 5.0),
        ("dynamodb", "DescribeTable", 4.0),
        ("route53", "ListResourceRecordSets", 8.0),
        ("route53", "ListHostedZones", 3.0),
        ("route53", "ChangeResourceRecordSets", 1.0),
        ("elasticloadbalancing", "DescribeTargetHealth", 6.0),
        ("elasticloadbalancing", "DescribeLoadBalancers", 3.0),
        ("elasticloadbalancing", "RegisterTargets", 1.0),
        ("ec2", "DescribeSecurityGroups", 3.0),
        ("ec2", "DescribeSubnets", 2.0),
        ("s3", "GetBucketLocation", 2.0),
    ],
    write_factor: 1.0,
    uniform_reads: false,
    data: &[
        ("s3", "GetObject", 5.0),
        ("s3", "PutObject", 3.0),
        ("dynamodb", "GetItem", 4.0),
        ("dynamodb", "Query", 3.0),
        ("sqs", "ReceiveMessage", 4.0),
        ("sqs", "SendMessage", 2.0),
        ("sns", "Publish", 2.0),
    ],
};

static DATA_PIPELINE: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.03,
    activity: 1.5,
    services: &[
        ("glue", 30.0),
        ("athena", 30.0),
        ("states", 10.0),
        ("s3", 5.0),
        ("logs", 3.0),
    ],
    kind: Kind::Management,
    focus: &[("kms", "Decrypt", 5.0), ("kms", "GenerateDataKey", 3.0)],
    write_factor: 1.0,
    uniform_reads: false,
    data: &[
        ("s3", "GetObject", 8.0),
        ("s3", "PutObject", 5.0),
        ("s3", "ListObjects", 4.0),
        ("s3", "HeadObject", 2.0),
        ("s3", "DeleteObject", 1.0),
    ],
};

static SECURITY_SCANNER: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.02,
    activity: 2.0,
    services: &[
        ("ec2", 10.0),
        ("s3", 10.0),
        ("iam", 15.0),
        ("kms", 4.0),
        ("lambda", 5.0),
        ("rds", 4.0),
        ("cloudtrail", 4.0),
        ("logs", 3.0),
        ("monitoring", 3.0),
        ("sns", 3.0),
        ("sqs", 3.0),
        ("ecr", 3.0),
        ("eks", 3.0),
        ("ecs", 3.0),
        ("secretsmanager", 3.0),
        ("ssm", 3.0),
        ("dynamodb", 3.0),
        ("elasticloadbalancing", 3.0),
        ("autoscaling", 2.0),
        ("route53", 2.0),
        ("cloudfront", 2.0),
        ("acm", 2.0),
        ("guardduty", 2.0),
        ("config", 2.0),
        ("organizations", 2.0),
        ("events", 1.0),
        ("states", 1.0),
        ("glue", 1.0),
    ],
    kind: Kind::Management,
    focus: &[("sts", "GetCallerIdentity", 1.0)],
    write_factor: 0.0,
    uniform_reads: true,
    data: NO_FOCUS,
};

static MONITORING: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.02,
    activity: 2.5,
    services: &[
        ("monitoring", 40.0),
        ("tagging", 10.0),
        ("ec2", 5.0),
        ("rds", 5.0),
        ("elasticloadbalancing", 5.0),
        ("lambda", 5.0),
        ("dynamodb", 4.0),
        ("sqs", 3.0),
        ("autoscaling", 3.0),
        ("ecs", 3.0),
    ],
    kind: Kind::Management,
    focus: &[("monitoring", "GetMetricData", 30.0)],
    write_factor: 0.0,
    uniform_reads: false,
    data: NO_FOCUS,
};

static SERVICE_LINKED: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.05,
    activity: 1.0,
    services: &[
        ("ec2", 20.0),
        ("elasticloadbalancing", 4.0),
        ("autoscaling", 3.0),
    ],
    kind: Kind::Management,
    focus: &[
        ("ec2", "CreateNetworkInterface", 3.0),
        ("ec2", "DeleteNetworkInterface", 3.0),
        ("ec2", "CreateTags", 1.0),
        ("kms", "CreateGrant", 1.0),
        ("kms", "GenerateDataKey", 1.0),
    ],
    // Service-linked roles make the writes in `focus` only.
    write_factor: 0.0,
    uniform_reads: false,
    data: NO_FOCUS,
};

static AWS_SERVICE: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.03,
    activity: 3.0,
    services: &[],
    kind: Kind::Management,
    focus: &[
        ("sts", "AssumeRole", 30.0),
        ("s3", "GetBucketAcl", 4.0),
        ("s3", "GetBucketLocation", 1.0),
    ],
    write_factor: 1.0,
    uniform_reads: false,
    data: &[
        ("s3", "PutObject", 4.0),
        ("lambda", "Invoke", 4.0),
        ("sns", "Publish", 1.0),
    ],
};

static ROOT: ProfileSpec = ProfileSpec {
    human: true,
    share: 0.0,
    activity: 0.08,
    services: &[],
    kind: Kind::Management,
    focus: &[
        ("signin", "ConsoleLogin", 6.0),
        ("iam", "GetAccountSummary", 4.0),
        ("iam", "ListUsers", 2.0),
        ("iam", "GetAccountPasswordPolicy", 1.0),
        ("iam", "ListMFADevices", 1.0),
        ("ce", "GetCostAndUsage", 4.0),
        ("account", "GetContactInformation", 2.0),
        ("organizations", "DescribeOrganization", 1.0),
        ("health", "DescribeEventAggregates", 2.0),
    ],
    write_factor: 1.0,
    uniform_reads: false,
    data: NO_FOCUS,
};

static FEDERATED: ProfileSpec = ProfileSpec {
    human: true,
    share: 0.02,
    activity: 0.6,
    services: &[
        ("ec2", 10.0),
        ("s3", 6.0),
        ("logs", 3.0),
        ("monitoring", 3.0),
        ("cloudformation", 2.0),
    ],
    kind: Kind::Management,
    focus: &[("sts", "GetCallerIdentity", 3.0)],
    write_factor: 0.2,
    uniform_reads: false,
    data: &[("s3", "GetObject", 3.0), ("s3", "ListObjects", 1.0)],
};

static SAML_LOGIN: ProfileSpec = ProfileSpec {
    human: true,
    share: 0.02,
    activity: 0.3,
    services: &[],
    kind: Kind::Management,
    focus: &[("sts", "AssumeRoleWithSAML", 1.0)],
    write_factor: 1.0,
    uniform_reads: false,
    data: NO_FOCUS,
};

static WEB_IDENTITY_LOGIN: ProfileSpec = ProfileSpec {
    human: true,
    share: 0.02,
    activity: 0.6,
    services: &[],
    kind: Kind::Management,
    focus: &[("sts", "AssumeRoleWithWebIdentity", 1.0)],
    write_factor: 1.0,
    uniform_reads: false,
    data: NO_FOCUS,
};

static IDENTITY_CENTER: ProfileSpec = ProfileSpec {
    human: true,
    share: 0.02,
    activity: 0.4,
    services: &[("sso", 1.0)],
    kind: Kind::Management,
    focus: NO_FOCUS,
    write_factor: 1.0,
    uniform_reads: false,
    data: NO_FOCUS,
};

static SERVICE_EVENTS: ProfileSpec = ProfileSpec {
    human: false,
    share: 0.0,
    activity: 0.05,
    services: &[("kms", 3.0), ("secretsmanager", 2.0)],
    kind: Kind::ServiceEvent,
    focus: NO_FOCUS,
    write_factor: 1.0,
    uniform_reads: false,
    data: NO_FOCUS,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    #[test]
    fn all_is_in_declaration_order() {
        for (index, profile) in Profile::ALL.iter().enumerate() {
            assert_eq!(*profile as usize, index);
        }
    }

    #[test]
    fn profile_references_exist_in_the_catalog() {
        let all = Profile::SHARED
            .iter()
            .copied()
            .chain([Profile::Root, Profile::ServiceEvents]);
        for profile in all {
            let spec = profile.spec();
            for (service, _) in spec.services {
                let source = format!("{service}.amazonaws.com");
                assert!(catalog::find_service(&source).is_some(), "{source}");
            }
            for (service, name, _) in spec.focus.iter().chain(spec.data) {
                let source = format!("{service}.amazonaws.com");
                assert!(catalog::find(&source, name).is_some(), "{source} {name}");
            }
        }
        let total: f64 = Profile::SHARED
            .iter()
            .map(|profile| profile.spec().share)
            .sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
    }
}
