//! Bursts resolved against the world, with their ground truth.

use super::*;

/// A burst resolved against the world.
#[derive(Debug)]
pub(crate) struct BurstPlan {
    pub op: usize,
    pub account: usize,
    pub region: usize,
    pub principal: usize,
    pub error_code: Option<String>,
    /// First minute with calls (inside the period).
    pub first_minute_ms: i64,
    /// End of the last minute with calls.
    pub end_minute_ms: i64,
    pub per_minute: u32,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call site; the pieces are the plan being built"
)]
pub(super) fn plan_burst(
    index: usize,
    burst: &Burst,
    config: &GenerateConfig,
    world: &World,
    regions: &[String],
    ops: &mut Vec<Operation>,
    op_index: &mut HashMap<(String, String), usize>,
    us_east_1: Option<usize>,
) -> Result<(BurstPlan, BurstTruth)> {
    let name = format!("burst {index}");
    if burst.minutes == 0 || burst.per_minute == 0 {
        return Err(invalid(format!(
            "{name}: `minutes` and `per_minute` must be at least 1"
        )));
    }
    if burst.per_minute > 1_000_000 {
        return Err(invalid(format!(
            "{name}: `per_minute` must be at most 1000000"
        )));
    }
    if burst.event_source.is_empty() || burst.event_name.is_empty() {
        return Err(invalid(format!(
            "{name}: `event_source` and `event_name` must not be empty"
        )));
    }
    if burst.account >= world.accounts.len() {
        return Err(invalid(format!(
            "{name}: account index `{}` is out of range ({} accounts)",
            burst.account,
            world.accounts.len()
        )));
    }
    let op = match op_index.get(&(burst.event_source.clone(), burst.event_name.clone())) {
        Some(&found) => found,
        None => {
            ops.push(Operation::custom(
                &burst.event_source,
                &burst.event_name,
                regions,
            ));
            let added = ops.len() - 1;
            op_index.insert(
                (burst.event_source.clone(), burst.event_name.clone()),
                added,
            );
            added
        }
    };
    let region = match &burst.region {
        Some(region) => regions
            .iter()
            .position(|known| known == region)
            .ok_or_else(|| {
                invalid(format!(
                    "{name}: region `{region}` is not one of the configured regions"
                ))
            })?,
        None if ops[op].global => us_east_1.ok_or_else(|| {
            invalid(format!(
                "{name}: `{}` is a global service, recorded in us-east-1, which is not configured",
                burst.event_source
            ))
        })?,
        None => 0,
    };
    let start_ms = config.start.as_millis();
    let end_ms = config.end.as_millis();
    let burst_start = burst.start.as_millis().div_euclid(MINUTE_MS) * MINUTE_MS;
    let burst_end = burst_start.saturating_add(i64::from(burst.minutes) * MINUTE_MS);
    let first_minute_ms = burst_start.max(start_ms.div_euclid(MINUTE_MS) * MINUTE_MS);
    let end_minute_ms = burst_end.min(end_ms);
    if end_minute_ms <= first_minute_ms {
        return Err(invalid(format!(
            "{name}: `{}` for {} minutes lies outside the generated period",
            burst.start.format_event_time(),
            burst.minutes
        )));
    }
    let principal = burst_principal(index, config.seed, world, burst.account);
    let mut minutes = Vec::new();
    let mut minute = first_minute_ms;
    while minute < end_minute_ms {
        if minute_overlap(minute, start_ms, end_ms) > 0 {
            minutes.push(BurstMinute {
                minute: Timestamp::from_millis(minute),
                events: u64::from(burst.per_minute),
            });
        }
        minute += MINUTE_MS;
    }
    let events = minutes.iter().map(|minute| minute.events).sum();
    let account = &world.accounts[burst.account];
    let principal_arn = principal_arn(&world.principals[principal], &account.id);
    Ok((
        BurstPlan {
            op,
            account: burst.account,
            region,
            principal,
            error_code: burst.error_code.clone(),
            first_minute_ms,
            end_minute_ms,
            per_minute: burst.per_minute,
        },
        BurstTruth {
            account_id: account.id.clone(),
            region: regions[region].clone(),
            event_source: burst.event_source.clone(),
            event_name: burst.event_name.clone(),
            error_code: burst.error_code.clone(),
            principal_arn,
            minutes,
            events,
        },
    ))
}

/// Picks the principal of a burst: a role or user of the account, chosen by the seed.
pub(super) fn burst_principal(index: usize, seed: u64, world: &World, account: usize) -> usize {
    let mut candidates: Vec<usize> = world
        .principals
        .iter()
        .enumerate()
        .filter(|(_, principal)| principal.account == account)
        .filter(|(_, principal)| {
            matches!(
                principal.identity,
                IdentityKind::AssumedRole | IdentityKind::IamUser
            ) && principal.invoked_by.is_none()
        })
        .map(|(position, _)| position)
        .collect();
    if candidates.is_empty() {
        candidates = world
            .principals
            .iter()
            .enumerate()
            .filter(|(_, principal)| {
                principal.account == account && principal.profile == Profile::Root
            })
            .map(|(position, _)| position)
            .collect();
    }
    let choice = mix3(seed, 0xB0B5, index as u64) as usize % candidates.len().max(1);
    candidates.get(choice).copied().unwrap_or(0)
}

/// The ARN a principal's records carry in `userIdentity.arn` (session part omitted for
/// roles: `arn:aws:sts::<account>:assumed-role/<role>`).
pub(super) fn principal_arn(principal: &Principal, account_id: &str) -> String {
    match &principal.identity {
        IdentityKind::IamUser => format!("arn:aws:iam::{account_id}:user/{}", principal.name),
        IdentityKind::AssumedRole => {
            format!("arn:aws:sts::{account_id}:assumed-role/{}", principal.name)
        }
        IdentityKind::Root => format!("arn:aws:iam::{account_id}:root"),
        _ => String::new(),
    }
}
