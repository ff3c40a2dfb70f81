//! ARNs of the resources in the world.

use crate::catalog::Res;
use crate::json::{escaped, raw};
use crate::world::{Account, Resource};

/// Writes the ARN of `entry` (a resource of `kind` in `account`, `region`) to `out`.
pub(crate) fn write_arn(
    out: &mut Vec<u8>,
    kind: Res,
    account: &Account,
    region: &str,
    entry: &Resource,
) {
    let regional = |out: &mut Vec<u8>, service: &str| {
        raw(out, "arn:aws:");
        raw(out, service);
        out.push(b':');
        raw(out, region);
        out.push(b':');
        raw(out, &account.id);
        out.push(b':');
    };
    match kind {
        Res::Bucket => raw(out, "arn:aws:s3:::"),
        Res::Instance => {
            regional(out, "ec2");
            raw(out, "instance/");
        }
        Res::Volume => {
            regional(out, "ec2");
            raw(out, "volume/");
        }
        Res::SecurityGroup => {
            regional(out, "ec2");
            raw(out, "security-group/");
        }
        Res::Vpc => {
            regional(out, "ec2");
            raw(out, "vpc/");
        }
        Res::Subnet => {
            regional(out, "ec2");
            raw(out, "subnet/");
        }
        Res::Image => {
            raw(out, "arn:aws:ec2:");
            raw(out, region);
            raw(out, "::image/");
        }
        Res::Function => {
            regional(out, "lambda");
            raw(out, "function:");
        }
        Res::Table => {
            regional(out, "dynamodb");
            raw(out, "table/");
        }
        Res::Key => {
            regional(out, "kms");
            raw(out, "key/");
        }
        Res::Secret => {
            regional(out, "secretsmanager");
            raw(out, "secret:");
        }
        Res::Parameter => {
            regional(out, "ssm");
            raw(out, "parameter");
        }
        Res::LogGroup => {
            regional(out, "logs");
            raw(out, "log-group:");
        }
        Res::Stack => {
            regional(out, "cloudformation");
            raw(out, "stack/");
        }
        Res::Repository => {
            regional(out, "ecr");
            raw(out, "repository/");
        }
        Res::EksCluster => {
            regional(out, "eks");
            raw(out, "cluster/");
        }
        Res::DbInstance => {
            regional(out, "rds");
            raw(out, "db:");
        }
        Res::Topic => regional(out, "sns"),
        Res::Queue => regional(out, "sqs"),
        Res::Role | Res::User | Res::Policy => {
            raw(out, "arn:aws:iam::");
            raw(out, &account.id);
            raw(
                out,
                match kind {
                    Res::Role => ":role",
                    Res::User => ":user",
                    _ => ":policy/",
                },
            );
            if kind != Res::Policy {
                raw(
                    out,
                    if entry.tail.is_empty() {
                        "/"
                    } else {
                        &entry.tail
                    },
                );
            }
        }
        Res::Trail => {
            regional(out, "cloudtrail");
            raw(out, "trail/");
        }
        Res::Alarm => {
            regional(out, "cloudwatch");
            raw(out, "alarm:");
        }
        Res::HostedZone => raw(out, "arn:aws:route53:::hostedzone/"),
        Res::Distribution => {
            raw(out, "arn:aws:cloudfront::");
            raw(out, &account.id);
            raw(out, ":distribution/");
        }
        Res::EcsCluster => {
            regional(out, "ecs");
            raw(out, "cluster/");
        }
        Res::StateMachine => {
            regional(out, "states");
            raw(out, "stateMachine:");
        }
        Res::LoadBalancer => {
            regional(out, "elasticloadbalancing");
            raw(out, "loadbalancer/app/");
        }
        Res::TargetGroup => {
            regional(out, "elasticloadbalancing");
            raw(out, "targetgroup/");
        }
        Res::AutoScalingGroup => {
            regional(out, "autoscaling");
            raw(out, "autoScalingGroup:");
            raw(out, &entry.tail);
            raw(out, ":autoScalingGroupName/");
        }
        Res::Rule => {
            regional(out, "events");
            raw(out, "rule/");
        }
        Res::Certificate => {
            regional(out, "acm");
            raw(out, "certificate/");
        }
        Res::GlueDatabase => {
            regional(out, "glue");
            raw(out, "database/");
        }
        Res::Detector => {
            regional(out, "guardduty");
            raw(out, "detector/");
        }
    }
    escaped(out, &entry.name);
    match kind {
        Res::Secret => {
            out.push(b'-');
            raw(out, &entry.tail);
        }
        Res::Stack | Res::LoadBalancer | Res::TargetGroup => {
            out.push(b'/');
            raw(out, &entry.tail);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;

    #[test]
    fn arns_follow_the_documented_forms() {
        let regions = vec![String::from("eu-west-1")];
        let world = World::build(3, 1, &regions, 20);
        let account = &world.accounts[0];
        let arn = |kind: Res| {
            let mut out = Vec::new();
            write_arn(&mut out, kind, account, "eu-west-1", &account.pool(kind)[0]);
            String::from_utf8(out).unwrap()
        };
        assert!(arn(Res::Bucket).starts_with("arn:aws:s3:::"));
        assert!(arn(Res::Function).starts_with(&format!(
            "arn:aws:lambda:eu-west-1:{}:function:",
            account.id
        )));
        assert!(arn(Res::Role).starts_with(&format!("arn:aws:iam::{}:role/", account.id)));
        let secret = arn(Res::Secret);
        assert_eq!(secret.rsplit('-').next().unwrap().len(), 6, "{secret}");
        assert!(arn(Res::Parameter).contains(":parameter/"));
        assert!(arn(Res::AutoScalingGroup).contains(":autoScalingGroupName/"));
    }
}
