//! CreateTrail, UpdateTrail, DeleteTrail, GetTrail, DescribeTrails, ListTrails.

use opentrail_selectors::SelectorConfig;

use crate::checks::{
    check_bucket_name, check_cloud_watch_logs, check_prefix, check_tags, merge_tags,
    normalize_kms_key_id, probe_bucket, resolve_topic,
};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Caller, TagInput, Trail, TrailInfo, TrailPage};
use crate::names::{TrailRef, trail_arn, validate_trail_name};
use crate::probe::Probes;
use crate::registry::{NotFoundText, Trails, find, find_for_write};
use crate::store::TrailsFile;

/// CreateTrail's members, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateTrailInput {
    /// `Name`.
    pub name: String,
    /// `S3BucketName`.
    pub s3_bucket_name: String,
    /// `S3KeyPrefix`.
    pub s3_key_prefix: Option<String>,
    /// `SnsTopicName`: a topic name or ARN.
    pub sns_topic_name: Option<String>,
    /// `IncludeGlobalServiceEvents` (default true).
    pub include_global_service_events: Option<bool>,
    /// `IsMultiRegionTrail` (default false).
    pub is_multi_region_trail: Option<bool>,
    /// `EnableLogFileValidation` (default false).
    pub enable_log_file_validation: Option<bool>,
    /// `CloudWatchLogsLogGroupArn`.
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// `CloudWatchLogsRoleArn`.
    pub cloud_watch_logs_role_arn: Option<String>,
    /// `KmsKeyId`.
    pub kms_key_id: Option<String>,
    /// `IsOrganizationTrail` (default false).
    pub is_organization_trail: Option<bool>,
    /// `TagsList`.
    pub tags: Vec<TagInput>,
}

/// UpdateTrail's members, as received: only the members given change. An empty text
/// removes an optional setting (prefix, topic, key).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateTrailInput {
    /// `Name`: the trail's name or ARN.
    pub name: String,
    /// `S3BucketName`.
    pub s3_bucket_name: Option<String>,
    /// `S3KeyPrefix`.
    pub s3_key_prefix: Option<String>,
    /// `SnsTopicName`.
    pub sns_topic_name: Option<String>,
    /// `IncludeGlobalServiceEvents`.
    pub include_global_service_events: Option<bool>,
    /// `IsMultiRegionTrail`.
    pub is_multi_region_trail: Option<bool>,
    /// `EnableLogFileValidation`.
    pub enable_log_file_validation: Option<bool>,
    /// `CloudWatchLogsLogGroupArn`.
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// `CloudWatchLogsRoleArn`.
    pub cloud_watch_logs_role_arn: Option<String>,
    /// `KmsKeyId`.
    pub kms_key_id: Option<String>,
    /// `IsOrganizationTrail`.
    pub is_organization_trail: Option<bool>,
}

fn check_not_organization(caller: &Caller, is_organization_trail: Option<bool>) -> Result<()> {
    if is_organization_trail == Some(true) {
        return Err(Error::rejected(
            ErrorKind::OrganizationsNotInUse,
            format!(
                "account `{}` is not a member of an organization: OpenTrail does not use AWS \
                 Organizations, so IsOrganizationTrail must be false",
                caller.account_id
            ),
        ));
    }
    Ok(())
}

fn check_global_events(
    is_multi_region_trail: bool,
    include_global_service_events: bool,
) -> Result<()> {
    if is_multi_region_trail && !include_global_service_events {
        return Err(Error::rejected(
            ErrorKind::InvalidParameterCombination,
            "Multi-Region trail must include global service events.",
        ));
    }
    Ok(())
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|text| !text.is_empty())
}

impl Trails {
    /// Number of live trails of `account` that count in `region`.
    fn trails_counting_in(state: &TrailsFile, account: &str, region: &str) -> usize {
        state
            .trails
            .iter()
            .filter(|trail| {
                !trail.is_deleted() && trail.account_id == account && trail.is_visible_in(region)
            })
            .count()
    }

    /// Refuses a name taken in the caller's region, and a trail over the per-region limit
    /// (a multi-region trail counts in every region where the account has trails).
    fn check_can_create(
        &self,
        state: &TrailsFile,
        caller: &Caller,
        name: &str,
        multi_region: bool,
    ) -> Result<()> {
        let taken = state.trails.iter().any(|trail| {
            !trail.is_deleted()
                && trail.account_id == caller.account_id
                && trail.home_region == caller.region
                && trail.name == name
        });
        if taken {
            return Err(Error::rejected(
                ErrorKind::TrailAlreadyExists,
                format!(
                    "Trail {name} already exists for customer: {}",
                    caller.account_id
                ),
            ));
        }
        let mut regions = vec![caller.region.clone()];
        if multi_region {
            for trail in &state.trails {
                if trail.account_id == caller.account_id && !regions.contains(&trail.home_region) {
                    regions.push(trail.home_region.clone());
                }
            }
        }
        let limit = self.limits.trails_per_region;
        for region in regions {
            if Self::trails_counting_in(state, &caller.account_id, &region) >= limit {
                return Err(Error::rejected(
                    ErrorKind::MaximumNumberOfTrailsExceeded,
                    format!(
                        "User: {} already has {limit} trails in {region}.",
                        caller.account_id
                    ),
                ));
            }
        }
        Ok(())
    }

    /// CreateTrail: a new trail, not logging, with the default event selectors.
    ///
    /// # Errors
    ///
    /// In this order: `InvalidTrailName`, `TrailAlreadyExists`,
    /// `MaximumNumberOfTrailsExceeded`, `InvalidS3BucketName`, `InvalidS3Prefix`,
    /// `InvalidKmsKeyId`, `InvalidCloudWatchLogs*`/`InvalidParameterCombination`/
    /// `Unsupported` (CloudWatch Logs), `OrganizationsNotInUse`,
    /// `InvalidParameterCombination` (multi-region without global events),
    /// `InvalidTagParameter`, `TagsLimitExceeded`, then the external checks
    /// (`S3BucketDoesNotExist`, `InsufficientS3BucketPolicy`, `InvalidSnsTopicName`,
    /// `InsufficientSnsTopicPolicy`), and storage errors.
    pub fn create_trail(
        &self,
        caller: &Caller,
        input: CreateTrailInput,
        probes: Probes<'_>,
    ) -> Result<Trail> {
        validate_trail_name(&input.name)?;
        let multi_region = input.is_multi_region_trail.unwrap_or(false);
        self.check_can_create(&self.read(), caller, &input.name, multi_region)?;
        check_bucket_name(&input.s3_bucket_name)?;
        let s3_key_prefix = non_empty(input.s3_key_prefix);
        if let Some(prefix) = &s3_key_prefix {
            check_prefix(prefix)?;
        }
        let kms_key_id = match non_empty(input.kms_key_id) {
            Some(key) => Some(normalize_kms_key_id(
                &key,
                &caller.region,
                &caller.account_id,
            )?),
            None => None,
        };
        check_cloud_watch_logs(
            input.cloud_watch_logs_log_group_arn.as_deref(),
            input.cloud_watch_logs_role_arn.as_deref(),
        )?;
        check_not_organization(caller, input.is_organization_trail)?;
        let include_global_service_events = input.include_global_service_events.unwrap_or(true);
        check_global_events(multi_region, include_global_service_events)?;
        let tags = merge_tags(&[], check_tags(input.tags)?, self.limits.tags_per_trail)?;
        probe_bucket(probes, &input.s3_bucket_name)?;
        let topic = match non_empty(input.sns_topic_name) {
            Some(topic) => Some(resolve_topic(
                probes,
                &caller.account_id,
                &caller.region,
                &topic,
            )?),
            None => None,
        };
        let (sns_topic_name, sns_topic_arn) = topic.unzip();
        let trail = Trail {
            arn: trail_arn(&caller.region, &caller.account_id, &input.name),
            name: input.name,
            account_id: caller.account_id.clone(),
            home_region: caller.region.clone(),
            s3_bucket_name: input.s3_bucket_name,
            s3_key_prefix,
            sns_topic_name,
            sns_topic_arn,
            include_global_service_events,
            is_multi_region_trail: multi_region,
            log_file_validation_enabled: input.enable_log_file_validation.unwrap_or(false),
            cloud_watch_logs_log_group_arn: None,
            cloud_watch_logs_role_arn: None,
            kms_key_id,
            is_organization_trail: false,
            tags,
            selectors: SelectorConfig::trail_default(),
            has_custom_event_selectors: false,
            insight_selectors: Vec::new(),
            logging: false,
            logging_history: Vec::new(),
            validation_since: None,
            created: self.now(),
            generation: 1,
            deleted_at: None,
        };
        self.mutate(|state| {
            // Checked again under the write lock: another call may have won the race.
            self.check_can_create(state, caller, &trail.name, multi_region)?;
            state.trails.push(trail.clone());
            Ok(trail)
        })
    }

    /// UpdateTrail: changes the members given, in the trail's home region.
    ///
    /// # Errors
    ///
    /// `InvalidTrailName`, `CloudTrailArnInvalid`, `TrailNotFound`, `InvalidHomeRegion`,
    /// then CreateTrail's member checks (a bucket is probed only when it changes).
    pub fn update_trail(
        &self,
        caller: &Caller,
        input: UpdateTrailInput,
        probes: Probes<'_>,
    ) -> Result<Trail> {
        let current = {
            let state = self.read();
            let index = find_for_write(&state.trails, caller, &input.name)?;
            state.trails[index].clone()
        };
        let bucket = input
            .s3_bucket_name
            .filter(|bucket| *bucket != current.s3_bucket_name);
        if let Some(bucket) = &bucket {
            check_bucket_name(bucket)?;
        }
        if let Some(prefix) = &input.s3_key_prefix {
            check_prefix(prefix)?;
        }
        let kms_key_id = match input.kms_key_id {
            Some(key) if key.is_empty() => Some(None),
            Some(key) => Some(Some(normalize_kms_key_id(
                &key,
                &current.home_region,
                &current.account_id,
            )?)),
            None => None,
        };
        check_cloud_watch_logs(
            input.cloud_watch_logs_log_group_arn.as_deref(),
            input.cloud_watch_logs_role_arn.as_deref(),
        )?;
        check_not_organization(caller, input.is_organization_trail)?;
        check_global_events(
            input
                .is_multi_region_trail
                .unwrap_or(current.is_multi_region_trail),
            input
                .include_global_service_events
                .unwrap_or(current.include_global_service_events),
        )?;
        if let Some(bucket) = &bucket {
            probe_bucket(probes, bucket)?;
        }
        let topic = match input.sns_topic_name {
            Some(topic) if topic.is_empty() => Some(None),
            Some(topic) => Some(Some(resolve_topic(
                probes,
                &current.account_id,
                &current.home_region,
                &topic,
            )?)),
            None => None,
        };
        let now = self.now();
        self.mutate(|state| {
            let index = find_for_write(&state.trails, caller, &input.name)?;
            let trail = &mut state.trails[index];
            let before = trail.clone();
            if let Some(bucket) = bucket {
                trail.s3_bucket_name = bucket;
            }
            if let Some(prefix) = input.s3_key_prefix {
                trail.s3_key_prefix = non_empty(Some(prefix));
            }
            if let Some(topic) = topic {
                (trail.sns_topic_name, trail.sns_topic_arn) = topic.unzip();
            }
            if let Some(include) = input.include_global_service_events {
                trail.include_global_service_events = include;
            }
            if let Some(multi_region) = input.is_multi_region_trail {
                trail.is_multi_region_trail = multi_region;
            }
            // Checked on the merged trail: a concurrent update may have changed the other member.
            check_global_events(
                trail.is_multi_region_trail,
                trail.include_global_service_events,
            )?;
            if let Some(enabled) = input.enable_log_file_validation {
                if enabled && !trail.log_file_validation_enabled && trail.logging {
                    // Validation turned on while logging: a new digest chain starts now.
                    trail.validation_since = Some(now);
                }
                trail.log_file_validation_enabled = enabled;
            }
            if let Some(key) = kms_key_id {
                trail.kms_key_id = key;
            }
            if *trail != before {
                trail.generation += 1;
            }
            Ok(trail.clone())
        })
    }

    /// DeleteTrail: the trail disappears from the API; a tombstone stays for the delivery
    /// engine (logging stops now) until [`Trails::purge`].
    ///
    /// # Errors
    ///
    /// `InvalidTrailName`, `CloudTrailArnInvalid`, `TrailNotFound`, `InvalidHomeRegion`,
    /// storage errors.
    pub fn delete_trail(&self, caller: &Caller, name: &str) -> Result<()> {
        let now = self.now();
        self.mutate(|state| {
            let index = find_for_write(&state.trails, caller, name)?;
            let trail = &mut state.trails[index];
            if trail.logging {
                trail.logging = false;
                if let Some(last) = trail.logging_history.last_mut() {
                    last.stop = Some(now);
                }
            }
            trail.deleted_at = Some(now);
            trail.generation += 1;
            Ok(())
        })
    }

    /// GetTrail: a trail of the caller's region by name, or any of the caller's trails by
    /// ARN.
    ///
    /// # Errors
    ///
    /// `InvalidTrailName`, `CloudTrailArnInvalid`, `TrailNotFound`.
    pub fn get_trail(&self, caller: &Caller, name: &str) -> Result<Trail> {
        self.find_trail(caller, name, NotFoundText::AsGiven)
    }

    pub(crate) fn find_trail(
        &self,
        caller: &Caller,
        name: &str,
        text: NotFoundText,
    ) -> Result<Trail> {
        let reference = TrailRef::parse(name)?;
        let state = self.read();
        let index = find(&state.trails, caller, &reference, name, text)?;
        Ok(state.trails[index].clone())
    }

    /// DescribeTrails: with no names, the trails of the caller's region plus, when
    /// `include_shadow_trails`, the multi-region trails of other regions; with names,
    /// the trails they name (unknown ones are skipped). Ordered by ARN.
    ///
    /// # Errors
    ///
    /// `InvalidTrailName`, `CloudTrailArnInvalid`.
    pub fn describe_trails(
        &self,
        caller: &Caller,
        names: Option<Vec<String>>,
        include_shadow_trails: bool,
    ) -> Result<Vec<Trail>> {
        let names = names.unwrap_or_default();
        let mut references = Vec::with_capacity(names.len());
        for name in &names {
            references.push(TrailRef::parse(name)?);
        }
        let state = self.read();
        let mut found: Vec<Trail> = Vec::new();
        if references.is_empty() {
            found.extend(
                state
                    .trails
                    .iter()
                    .filter(|trail| {
                        !trail.is_deleted()
                            && trail.account_id == caller.account_id
                            && (trail.home_region == caller.region
                                || (include_shadow_trails && trail.is_multi_region_trail))
                    })
                    .cloned(),
            );
        }
        for (reference, name) in references.iter().zip(&names) {
            if let Ok(index) = find(
                &state.trails,
                caller,
                reference,
                name,
                NotFoundText::AsGiven,
            ) {
                let trail = &state.trails[index];
                if !found.iter().any(|seen| seen.arn == trail.arn) {
                    found.push(trail.clone());
                }
            }
        }
        found.sort_by(|left, right| left.arn.cmp(&right.arn));
        Ok(found)
    }

    /// ListTrails: every trail visible in the caller's region (shadows included), ordered
    /// by ARN, a page at a time. The token is the ARN the previous page ended with.
    pub fn list_trails(&self, caller: &Caller, next_token: Option<&str>) -> TrailPage {
        let state = self.read();
        let mut visible: Vec<&Trail> = state
            .trails
            .iter()
            .filter(|trail| {
                !trail.is_deleted()
                    && trail.account_id == caller.account_id
                    && trail.is_visible_in(&caller.region)
                    && next_token.is_none_or(|token| trail.arn.as_str() > token)
            })
            .collect();
        visible.sort_by(|left, right| left.arn.cmp(&right.arn));
        let page_size = self.limits.list_trails_page_size.max(1);
        let next_token = (visible.len() > page_size).then(|| visible[page_size - 1].arn.clone());
        let trails = visible
            .into_iter()
            .take(page_size)
            .map(|trail| TrailInfo {
                trail_arn: trail.arn.clone(),
                name: trail.name.clone(),
                home_region: trail.home_region.clone(),
            })
            .collect();
        TrailPage { trails, next_token }
    }
}
