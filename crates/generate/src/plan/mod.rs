//! The checked form of a [`GenerateConfig`]: the world, the operation tables, the number
//! of background events in each delivery window, and the bursts resolved to accounts,
//! regions and principals.

mod bursts;
mod operation;

use std::collections::HashMap;

use crate::catalog::{self, Kind, RequestIdStyle, SERVICES, ServiceSpec, Shape};
use crate::config::{Burst, GenerateConfig};
use crate::profile::Profile;
use crate::random::{AliasTable, mix3};
use crate::rate::{MINUTE_MS, RateModel, WINDOW_MS, apportion};
use crate::summary::{BurstMinute, BurstTruth};
use crate::world::{IdentityKind, Principal, World};
use crate::{Error, Result};
use opentrail_types::Timestamp;

pub(crate) use bursts::BurstPlan;
use bursts::plan_burst;
use operation::profile_ops;
pub(crate) use operation::{OpTable, Operation};

/// Longest period one run may cover.
const MAX_PERIOD_DAYS: i64 = 3_660;

/// Principals with their draw weights.
#[derive(Debug)]
pub(crate) struct PrincipalTable {
    table: AliasTable,
    members: Vec<u32>,
}

impl PrincipalTable {
    fn new(world: &World, weight: impl Fn(&Principal) -> f64) -> Option<PrincipalTable> {
        let mut members = Vec::new();
        let mut weights = Vec::new();
        for (index, principal) in world.principals.iter().enumerate() {
            let value = weight(principal);
            if value > 0.0 {
                members.push(index as u32);
                weights.push(value);
            }
        }
        AliasTable::new(&weights).map(|table| PrincipalTable { table, members })
    }

    /// Draws a principal index.
    pub(crate) fn sample(&self, rng: &mut (impl rand::RngCore + ?Sized)) -> usize {
        self.members[self.table.sample(rng)] as usize
    }
}

/// The checked configuration and everything derived from it.
#[derive(Debug)]
pub(crate) struct Plan {
    pub seed: u64,
    pub start_ms: i64,
    pub end_ms: i64,
    pub regions: Vec<String>,
    pub world: World,
    pub ops: Vec<Operation>,
    pub human: Option<PrincipalTable>,
    pub machine: Option<PrincipalTable>,
    pub data: Option<PrincipalTable>,
    /// Management operations per profile (`Profile as usize`).
    pub management_ops: Vec<Option<OpTable>>,
    /// Data operations per profile.
    pub data_ops: Vec<Option<OpTable>>,
    /// Per principal: the one data operation an AWS service principal makes (CloudTrail
    /// and Config deliver objects, API Gateway and EventBridge invoke functions).
    pub data_override: Vec<Option<usize>>,
    /// Scales the principals' error factors so their activity-weighted mean is 1.
    pub error_scale: f64,
    /// Scales the principals' throttle factors the same way.
    pub throttle_scale: f64,
    pub rate: RateModel,
    /// Start of the first delivery window.
    pub first_window_ms: i64,
    /// Background events per delivery window.
    pub window_events: Vec<u64>,
    pub bursts: Vec<BurstPlan>,
    pub truths: Vec<BurstTruth>,
    pub us_east_1: Option<usize>,
    pub data_event_fraction: f64,
    pub error_fraction: f64,
    pub throttle_fraction: f64,
    pub max_records_per_file: usize,
    pub gzip_level: u32,
    pub threads: usize,
    pub background_events: u64,
    pub burst_events: u64,
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidConfig {
        reason: reason.into(),
    }
}

fn check_fraction(name: &str, value: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&value) {
        return Err(invalid(format!(
            "`{name}` must be between 0 and 1, not `{value}`"
        )));
    }
    Ok(())
}

fn is_region_name(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
}

fn check_config(config: &GenerateConfig) -> Result<()> {
    let start = config.start.as_millis();
    let end = config.end.as_millis();
    if start.rem_euclid(1000) != 0 || end.rem_euclid(1000) != 0 {
        return Err(invalid("`start` and `end` must be whole seconds"));
    }
    if start < 0 {
        return Err(invalid("`start` must not be before 1970"));
    }
    if end <= start {
        return Err(invalid(format!(
            "`end` ({}) must be after `start` ({})",
            config.end.format_event_time(),
            config.start.format_event_time()
        )));
    }
    if end - start > MAX_PERIOD_DAYS * 86_400_000 {
        return Err(invalid(format!(
            "the period must not exceed {MAX_PERIOD_DAYS} days"
        )));
    }
    if !(1..=1000).contains(&config.accounts) {
        return Err(invalid(format!(
            "`accounts` must be 1 to 1000, not `{}`",
            config.accounts
        )));
    }
    if config.regions.is_empty() {
        return Err(invalid("`regions` must name at least one region"));
    }
    for (index, region) in config.regions.iter().enumerate() {
        if !is_region_name(region) {
            return Err(invalid(format!("`{region}` is not a region name")));
        }
        if config.regions[..index].contains(region) {
            return Err(invalid(format!("region `{region}` is listed twice")));
        }
    }
    if config.principals > 1_000_000 {
        return Err(invalid("`principals` must be at most 1000000"));
    }
    check_fraction("data_event_fraction", config.data_event_fraction)?;
    check_fraction("error_fraction", config.error_fraction)?;
    check_fraction("throttle_fraction", config.throttle_fraction)?;
    if config.error_fraction + config.throttle_fraction > 1.0 {
        return Err(invalid(
            "`error_fraction` plus `throttle_fraction` must not exceed 1",
        ));
    }
    if !(1..=100_000).contains(&config.max_records_per_file) {
        return Err(invalid("`max_records_per_file` must be 1 to 100000"));
    }
    if config.gzip_level > 9 {
        return Err(invalid(format!(
            "`gzip_level` must be 0 to 9, not `{}`",
            config.gzip_level
        )));
    }
    if config.bursts.len() > 60_000 {
        return Err(invalid("at most 60000 bursts are supported"));
    }
    if config.threads > 1024 {
        return Err(invalid("`threads` must be at most 1024"));
    }
    Ok(())
}

impl Plan {
    /// Checks `config` and derives the plan.
    pub(crate) fn new(config: &GenerateConfig) -> Result<Plan> {
        check_config(config)?;
        let regions = config.regions.clone();
        let us_east_1 = regions.iter().position(|region| region == "us-east-1");
        let world = World::build(config.seed, config.accounts, &regions, config.principals);

        let mut ops = Vec::new();
        let mut op_index: HashMap<(&str, &str), usize> = HashMap::new();
        for service in SERVICES {
            for op in service.ops {
                op_index.insert((service.source, op.name), ops.len());
                ops.push(Operation::new(service, op, &regions));
            }
        }

        let management_ops = profiles()
            .map(|profile| profile_ops(profile, &ops, &op_index, us_east_1.is_some(), false))
            .collect::<Vec<_>>();
        let data_ops = profiles()
            .map(|profile| profile_ops(profile, &ops, &op_index, us_east_1.is_some(), true))
            .collect::<Vec<_>>();
        let can_call = |principal: &Principal| management_ops[principal.profile as usize].is_some();
        let human = PrincipalTable::new(&world, |principal| {
            if principal.profile.spec().human && can_call(principal) {
                principal.weight
            } else {
                0.0
            }
        });
        let machine = PrincipalTable::new(&world, |principal| {
            if !principal.profile.spec().human && can_call(principal) {
                principal.weight
            } else {
                0.0
            }
        });
        let put_object = op_index.get(&("s3.amazonaws.com", "PutObject")).copied();
        let invoke = op_index.get(&("lambda.amazonaws.com", "Invoke")).copied();
        let data_override: Vec<Option<usize>> = world
            .principals
            .iter()
            .map(
                |principal| match (&principal.identity, principal.invoked_by) {
                    (
                        IdentityKind::AwsService,
                        Some("cloudtrail.amazonaws.com" | "config.amazonaws.com"),
                    ) => put_object,
                    (
                        IdentityKind::AwsService,
                        Some(
                            "apigateway.amazonaws.com"
                            | "events.amazonaws.com"
                            | "states.amazonaws.com",
                        ),
                    ) => invoke,
                    _ => None,
                },
            )
            .collect();
        let data = PrincipalTable::new(&world, |principal| {
            let service_without_data = matches!(principal.identity, IdentityKind::AwsService)
                && !matches!(
                    principal.invoked_by,
                    Some(
                        "cloudtrail.amazonaws.com"
                            | "config.amazonaws.com"
                            | "apigateway.amazonaws.com"
                            | "events.amazonaws.com"
                            | "states.amazonaws.com"
                    )
                );
            if data_ops[principal.profile as usize].is_some() && !service_without_data {
                principal.weight
            } else {
                0.0
            }
        });
        let (mut weight_sum, mut error_sum, mut throttle_sum) = (0.0, 0.0, 0.0);
        for principal in &world.principals {
            if matches!(principal.identity, IdentityKind::ServiceEvents) {
                continue;
            }
            weight_sum += principal.weight;
            error_sum += principal.weight * principal.error_factor;
            throttle_sum += principal.weight * principal.throttle_factor;
        }
        let error_scale = if error_sum > 0.0 {
            weight_sum / error_sum
        } else {
            1.0
        };
        let throttle_scale = if throttle_sum > 0.0 {
            weight_sum / throttle_sum
        } else {
            1.0
        };
        let background_events = config.events;
        if background_events > 0 && human.is_none() && machine.is_none() {
            return Err(invalid(
                "no principal can make management calls; add principals or regions",
            ));
        }
        if background_events > 0 && config.data_event_fraction > 0.0 && data.is_none() {
            return Err(invalid(
                "`data_event_fraction` is above 0 but no principal makes data calls; raise `principals`",
            ));
        }

        let start_ms = config.start.as_millis();
        let end_ms = config.end.as_millis();
        let rate = RateModel::new(config.seed);
        let first_window_ms = start_ms.div_euclid(WINDOW_MS) * WINDOW_MS;
        let window_count = (end_ms - first_window_ms + WINDOW_MS - 1).div_euclid(WINDOW_MS);
        let mut window_weights = Vec::with_capacity(window_count as usize);
        for window in 0..window_count {
            let window_start = first_window_ms + window * WINDOW_MS;
            let mut weight = 0.0;
            for minute in 0..5 {
                let minute_start = window_start + minute * MINUTE_MS;
                let inside = minute_overlap(minute_start, start_ms, end_ms);
                if inside > 0 {
                    weight += rate.minute(minute_start).total() * inside as f64 / MINUTE_MS as f64;
                }
            }
            window_weights.push(weight);
        }
        let mut window_events = Vec::new();
        apportion(background_events, &window_weights, &mut window_events);

        let mut bursts = Vec::new();
        let mut truths = Vec::new();
        let mut burst_events = 0u64;
        let mut owned_index = op_index_owned(&ops);
        for (index, burst) in config.bursts.iter().enumerate() {
            let (plan, truth) = plan_burst(
                index,
                burst,
                config,
                &world,
                &regions,
                &mut ops,
                &mut owned_index,
                us_east_1,
            )?;
            burst_events += truth.events;
            bursts.push(plan);
            truths.push(truth);
        }

        let threads = if config.threads == 0 {
            std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            config.threads
        };
        Ok(Plan {
            seed: config.seed,
            start_ms,
            end_ms,
            regions,
            world,
            ops,
            human,
            machine,
            data,
            management_ops,
            data_ops,
            data_override,
            error_scale,
            throttle_scale,
            rate,
            first_window_ms,
            window_events,
            bursts,
            truths,
            us_east_1,
            data_event_fraction: config.data_event_fraction,
            error_fraction: config.error_fraction,
            throttle_fraction: config.throttle_fraction,
            max_records_per_file: config.max_records_per_file,
            gzip_level: config.gzip_level,
            threads,
            background_events,
            burst_events,
        })
    }

    /// Start of the delivery window at `index`.
    pub(crate) fn window_start(&self, index: usize) -> i64 {
        self.first_window_ms + index as i64 * WINDOW_MS
    }

    /// Records the whole run writes.
    pub(crate) fn total_events(&self) -> u64 {
        self.background_events + self.burst_events
    }
}

/// Milliseconds of the minute at `minute_start` that lie inside `[start, end)`.
pub(crate) fn minute_overlap(minute_start: i64, start: i64, end: i64) -> i64 {
    let low = minute_start.max(start);
    let high = (minute_start + MINUTE_MS).min(end);
    (high - low).max(0)
}

fn profiles() -> impl Iterator<Item = Profile> {
    Profile::ALL.into_iter()
}

fn op_index_owned(ops: &[Operation]) -> HashMap<(String, String), usize> {
    ops.iter()
        .enumerate()
        .map(|(index, op)| ((op.source.clone(), op.name.clone()), index))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_share_the_events_exactly() {
        let config = GenerateConfig {
            events: 12_345,
            start: Timestamp::from_secs(1_772_409_600 + 90),
            end: Timestamp::from_secs(1_772_409_600 + 3 * 3600 + 30),
            ..GenerateConfig::default()
        };
        let plan = Plan::new(&config).unwrap();
        assert_eq!(plan.window_events.iter().sum::<u64>(), 12_345);
        assert_eq!(plan.window_events.len(), 37);
        assert_eq!(plan.first_window_ms, 1_772_409_600_000);
    }

    #[test]
    fn bad_configurations_are_named() {
        let base = GenerateConfig::default();
        let cases: Vec<(GenerateConfig, &str)> = vec![
            (
                GenerateConfig {
                    end: base.start,
                    ..base.clone()
                },
                "`end`",
            ),
            (
                GenerateConfig {
                    accounts: 0,
                    ..base.clone()
                },
                "`accounts`",
            ),
            (
                GenerateConfig {
                    regions: vec![],
                    ..base.clone()
                },
                "`regions`",
            ),
            (
                GenerateConfig {
                    regions: vec![String::from("US East")],
                    ..base.clone()
                },
                "`US East`",
            ),
            (
                GenerateConfig {
                    error_fraction: 1.5,
                    ..base.clone()
                },
                "`error_fraction`",
            ),
            (
                GenerateConfig {
                    gzip_level: 11,
                    ..base.clone()
                },
                "`gzip_level`",
            ),
            (
                GenerateConfig {
                    bursts: vec![Burst::new(
                        Timestamp::from_secs(0),
                        5,
                        "ec2.amazonaws.com",
                        "RunInstances",
                        10,
                    )],
                    ..base.clone()
                },
                "outside the generated period",
            ),
            (
                GenerateConfig {
                    bursts: vec![
                        Burst::new(base.start, 5, "ec2.amazonaws.com", "RunInstances", 10)
                            .in_region("mars-1"),
                    ],
                    ..base.clone()
                },
                "`mars-1`",
            ),
        ];
        for (config, expected) in cases {
            let error = Plan::new(&config).unwrap_err();
            assert!(error.to_string().contains(expected), "{error}");
        }
    }

    #[test]
    fn global_services_need_us_east_1() {
        let config = GenerateConfig {
            regions: vec![String::from("eu-west-1")],
            ..GenerateConfig::default()
        };
        let plan = Plan::new(&config).unwrap();
        for table in plan.management_ops.iter().flatten() {
            for op in &table.ops {
                assert!(!plan.ops[usize::from(*op)].global);
            }
        }
    }

    #[test]
    fn unknown_burst_operations_are_added() {
        let base = GenerateConfig::default();
        let config = GenerateConfig {
            bursts: vec![Burst::new(
                base.start,
                3,
                "bedrock.amazonaws.com",
                "InvokeModel",
                7,
            )],
            ..base
        };
        let plan = Plan::new(&config).unwrap();
        let op = &plan.ops[plan.bursts[0].op];
        assert_eq!(op.name, "InvokeModel");
        assert_eq!(op.hosts[0], "bedrock.us-east-1.amazonaws.com");
        assert_eq!(plan.truths[0].events, 21);
        assert_eq!(plan.burst_events, 21);
    }
}
