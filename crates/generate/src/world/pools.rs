//! The resources of an account: names drawn from word lists, IDs in AWS's forms.

use super::*;

fn named(name: String) -> Resource {
    Resource {
        name,
        tail: String::new(),
    }
}

pub(super) fn build_pool(
    rng: &mut (impl RngCore + ?Sized),
    kind: Res,
    company: &str,
    earlier: &[Vec<Resource>],
) -> Vec<Resource> {
    let mut pool: Vec<Resource> = Vec::new();
    let size = match kind {
        Res::Bucket => 30,
        Res::Instance => 60,
        Res::Volume => 40,
        Res::SecurityGroup => 20,
        Res::Vpc => 3,
        Res::Subnet => 12,
        Res::Image => 8,
        Res::Function => 40,
        Res::Table => 20,
        Res::Key => 12,
        Res::Secret => 25,
        Res::Parameter => 60,
        Res::LogGroup => 20,
        Res::Stack => 20,
        Res::Repository => 15,
        Res::EksCluster => 2,
        Res::DbInstance => 6,
        Res::Topic => 12,
        Res::Queue => 16,
        Res::Role | Res::User => 4,
        Res::Policy => 15,
        Res::Trail => 2,
        Res::Alarm => 30,
        Res::HostedZone => 4,
        Res::Distribution => 4,
        Res::EcsCluster => 3,
        Res::StateMachine => 6,
        Res::LoadBalancer => 5,
        Res::TargetGroup => 10,
        Res::AutoScalingGroup => 6,
        Res::Rule => 12,
        Res::Certificate => 5,
        Res::GlueDatabase => 6,
        Res::Detector => 1,
    };
    if kind == Res::LogGroup {
        // Log groups of the functions first, at the same indexes as the functions.
        for function in &earlier[Res::Function as usize] {
            pool.push(named(format!("/aws/lambda/{}", function.name)));
        }
    }
    let target = if kind == Res::LogGroup {
        size + pool.len()
    } else {
        size
    };
    let mut attempts = 0;
    while pool.len() < target {
        attempts += 1;
        let (app, env) = app_env(rng);
        let entry = match kind {
            Res::Bucket => {
                let suffixes = [
                    "data",
                    "logs",
                    "artifacts",
                    "backups",
                    "assets",
                    "uploads",
                    "exports",
                    "raw",
                    "curated",
                    "tfstate",
                    "athena-results",
                    "static",
                ];
                named(format!("{company}-{app}-{env}-{}", pick(rng, &suffixes)))
            }
            Res::Instance => named(format!("i-0{}", random_string(rng, HEX, 16))),
            Res::Volume => named(format!("vol-0{}", random_string(rng, HEX, 16))),
            Res::SecurityGroup => named(format!("sg-0{}", random_string(rng, HEX, 16))),
            Res::Vpc => named(format!("vpc-0{}", random_string(rng, HEX, 16))),
            Res::Subnet => named(format!("subnet-0{}", random_string(rng, HEX, 16))),
            Res::Image => named(format!("ami-0{}", random_string(rng, HEX, 16))),
            Res::Function => {
                let verbs = [
                    "handler",
                    "processor",
                    "worker",
                    "api",
                    "consumer",
                    "sync",
                    "cleanup",
                    "authorizer",
                    "resizer",
                    "notifier",
                    "exporter",
                    "webhook",
                ];
                named(format!("{app}-{env}-{}", pick(rng, &verbs)))
            }
            Res::Table => {
                let nouns = [
                    "orders",
                    "sessions",
                    "events",
                    "customers",
                    "items",
                    "locks",
                    "state",
                    "idempotency",
                    "jobs",
                    "audit",
                ];
                named(format!("{app}-{env}-{}", pick(rng, &nouns)))
            }
            Res::Key => named(uuid_string(rng)),
            Res::Secret => {
                let names = [
                    "db-credentials",
                    "api-key",
                    "stripe-token",
                    "oauth-client",
                    "jwt-signing-key",
                    "smtp-password",
                ];
                Resource {
                    name: format!("{env}/{app}/{}", pick(rng, &names)),
                    tail: random_string(rng, ALNUM, 6),
                }
            }
            Res::Parameter => {
                let names = [
                    "db/host",
                    "db/password",
                    "api/endpoint",
                    "feature-flags",
                    "queue-url",
                    "log-level",
                    "cache/ttl",
                    "api/key",
                ];
                named(format!("/{env}/{app}/{}", pick(rng, &names)))
            }
            Res::LogGroup => {
                let forms = ["/ecs/", "/aws/apigateway/", "/app/", "/aws/codebuild/"];
                named(format!("{}{app}-{env}", pick(rng, &forms)))
            }
            Res::Stack => {
                let parts = [
                    "network",
                    "data",
                    "service",
                    "pipeline",
                    "monitoring",
                    "app",
                ];
                Resource {
                    name: format!("{app}-{env}-{}", pick(rng, &parts)),
                    tail: uuid_string(rng),
                }
            }
            Res::Repository => {
                let parts = ["api", "worker", "web", "migrations", "cron"];
                named(format!("{app}/{}", pick(rng, &parts)))
            }
            Res::EksCluster => named(format!("{company}-{env}-eks")),
            Res::DbInstance => {
                let parts = ["db", "replica", "aurora"];
                named(format!("{app}-{env}-{}", pick(rng, &parts)))
            }
            Res::Topic => {
                let parts = ["events", "alerts", "notifications"];
                named(format!("{app}-{env}-{}", pick(rng, &parts)))
            }
            Res::Queue => {
                let parts = ["jobs", "events", "tasks", "dlq"];
                named(format!("{app}-{env}-{}", pick(rng, &parts)))
            }
            Res::Role => {
                let names = [
                    "OrganizationAccountAccessRole",
                    "AWSServiceRoleForSupport",
                    "AWSServiceRoleForTrustedAdvisor",
                    "BreakGlassAdmin",
                ];
                Resource {
                    name: String::from(pick(rng, &names)),
                    tail: String::from("/"),
                }
            }
            Res::User => {
                let names = [
                    "legacy-backup",
                    "ses-smtp-user",
                    "readonly-auditor",
                    "s3-sync",
                ];
                Resource {
                    name: String::from(pick(rng, &names)),
                    tail: String::from("/"),
                }
            }
            Res::Policy => named(format!("{app}-{env}-access")),
            Res::Trail => named(String::from(if pool.is_empty() {
                "management-events"
            } else {
                "org-audit-trail"
            })),
            Res::Alarm => {
                let parts = [
                    "high-cpu",
                    "5xx-errors",
                    "latency-p99",
                    "dlq-depth",
                    "throttles",
                ];
                named(format!("{app}-{env}-{}", pick(rng, &parts)))
            }
            Res::HostedZone => named(format!("Z{}", random_string(rng, UPPER_ALNUM, 20))),
            Res::Distribution => named(format!("E{}", random_string(rng, UPPER_ALNUM, 13))),
            Res::EcsCluster => named(format!("{app}-{env}")),
            Res::StateMachine => {
                let parts = ["workflow", "pipeline", "reconcile"];
                named(format!("{app}-{env}-{}", pick(rng, &parts)))
            }
            Res::LoadBalancer => Resource {
                name: format!("{app}-{env}-alb"),
                tail: random_string(rng, HEX, 16),
            },
            Res::TargetGroup => Resource {
                name: format!("{app}-{env}-tg"),
                tail: random_string(rng, HEX, 16),
            },
            Res::AutoScalingGroup => Resource {
                name: format!("{app}-{env}-asg"),
                tail: uuid_string(rng),
            },
            Res::Rule => {
                let parts = ["schedule", "events", "nightly"];
                named(format!("{app}-{env}-{}", pick(rng, &parts)))
            }
            Res::Certificate => named(uuid_string(rng)),
            Res::GlueDatabase => named(format!("{app}_{env}")),
            Res::Detector => named(random_string(rng, HEX, 32)),
        };
        // Names drawn from word lists repeat; keep the pool free of duplicates, but give up
        // on uniqueness for tiny name spaces.
        if attempts < 500 && pool.iter().any(|existing| existing.name == entry.name) {
            continue;
        }
        pool.push(entry);
    }
    pool
}
