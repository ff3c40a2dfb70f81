//! Parameters of platform calls: Lambda, CloudTrail, CloudFormation, CloudWatch and its
//! logs, ECR, Route 53, CloudFront, Step Functions, Athena, Glue.

use super::*;

impl Scratch {
    pub(super) fn lambda_function_config(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        op: &Operation,
    ) {
        let index = self.pick_target(rng, env, Res::Function);
        let function = &env.account.pool(Res::Function)[index].name;
        let (runtime, handler) = [
            ("python3.12", "app.handler"),
            ("nodejs20.x", "index.handler"),
            ("java21", "com.example.Handler::handleRequest"),
            ("provided.al2023", "bootstrap"),
        ][(name_hash(function) % 4) as usize];
        let role = &env.account.pool(Res::Role)[skewed(rng, env.account.pool(Res::Role).len())];
        let bucket =
            &env.account.pool(Res::Bucket)[skewed(rng, env.account.pool(Res::Bucket).len())];
        raw(&mut self.params, r#"{"functionName":""#);
        escaped(&mut self.params, function);
        self.params.push(b'"');
        if op.name.starts_with("Create") {
            raw(&mut self.params, r#","runtime":""#);
            raw(&mut self.params, runtime);
            raw(&mut self.params, r#"","role":""#);
            write_arn(&mut self.params, Res::Role, env.account, env.region, role);
            raw(&mut self.params, r#"","handler":""#);
            raw(&mut self.params, handler);
            raw(&mut self.params, r#"","code":{"s3Bucket":""#);
            escaped(&mut self.params, &bucket.name);
            raw(&mut self.params, r#"","s3Key":""#);
            escaped(&mut self.params, function);
            self.params.push(b'/');
            random_chars(&mut self.params, rng, HEX, 16);
            raw(
                &mut self.params,
                r#".zip"},"description":"","timeout":30,"memorySize":256,"publish":true,"packageType":"Zip","architectures":["arm64"]}"#,
            );
        } else if op.name.starts_with("UpdateFunctionCode") {
            raw(&mut self.params, r#","s3Bucket":""#);
            escaped(&mut self.params, &bucket.name);
            raw(&mut self.params, r#"","s3Key":""#);
            escaped(&mut self.params, function);
            self.params.push(b'/');
            random_chars(&mut self.params, rng, HEX, 16);
            raw(&mut self.params, r#".zip","publish":false,"dryRun":false}"#);
        } else {
            raw(&mut self.params, r#","timeout":60,"memorySize":512}"#);
        }
        raw(&mut self.response, r#"{"functionName":""#);
        escaped(&mut self.response, function);
        raw(&mut self.response, r#"","functionArn":""#);
        self.response.extend_from_slice(&self.target_arn);
        raw(&mut self.response, r#"","runtime":""#);
        raw(&mut self.response, runtime);
        raw(&mut self.response, r#"","role":""#);
        write_arn(&mut self.response, Res::Role, env.account, env.region, role);
        raw(&mut self.response, r#"","handler":""#);
        raw(&mut self.response, handler);
        raw(&mut self.response, r#"","codeSize":"#);
        number(&mut self.response, 4_000 + below(rng, 8_000_000) as u64);
        raw(
            &mut self.response,
            r#","description":"","timeout":30,"memorySize":256,"lastModified":""#,
        );
        let start = self.response.len();
        iso_time(&mut self.response, env.time_secs);
        self.response.truncate(start + 19);
        raw(&mut self.response, r#".000+0000","codeSha256":""#);
        random_chars(&mut self.response, rng, BASE64, 43);
        raw(
            &mut self.response,
            r#"=","version":"$LATEST","tracingConfig":{"mode":"PassThrough"},"revisionId":""#,
        );
        json::uuid(&mut self.response, rng);
        raw(
            &mut self.response,
            r#"","state":"Active","lastUpdateStatus":"InProgress","packageType":"Zip","architectures":["arm64"],"ephemeralStorage":{"size":512},"snapStart":{"applyOn":"None","optimizationStatus":"Off"},"loggingConfig":{"logFormat":"Text","logGroup":"/aws/lambda/"#,
        );
        escaped(&mut self.response, function);
        raw(&mut self.response, r#""}}"#);
    }

    pub(super) fn lambda_invoke(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        // Functions rarely invoke themselves: pick among all, not the caller's own.
        let index = skewed(rng, env.account.pool(Res::Function).len());
        self.set_target(env, Res::Function, index);
        raw(&mut self.params, r#"{"functionName":""#);
        self.params.extend_from_slice(&self.target_arn);
        raw(&mut self.params, r#""}"#);
        raw(&mut self.extra, r#"{"functionVersion":""#);
        self.extra.extend_from_slice(&self.target_arn);
        raw(&mut self.extra, r#":$LATEST"}"#);
        self.add_target_resource(env);
    }

    pub(super) fn cloudtrail_lookup_events(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        match below(rng, 3) {
            0 => raw(
                &mut self.params,
                r#"{"maxResults":50,"lookupAttributes":[{"attributeKey":"EventName","attributeValue":"ConsoleLogin"}]}"#,
            ),
            1 => {
                raw(&mut self.params, r#"{"startTime":""#);
                aws_date(&mut self.params, env.time_secs - 3600);
                raw(&mut self.params, r#"","endTime":""#);
                aws_date(&mut self.params, env.time_secs);
                raw(&mut self.params, r#"","maxResults":50}"#);
            }
            _ => raw(
                &mut self.params,
                r#"{"lookupAttributes":[{"attributeKey":"ReadOnly","attributeValue":"false"}],"maxResults":50}"#,
            ),
        }
    }

    pub(super) fn cloudtrail_create_trail(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Trail);
        let bucket = &env.account.pool(Res::Bucket)[0];
        raw(&mut self.params, r#"{"name":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#"","s3BucketName":""#);
        escaped(&mut self.params, &bucket.name);
        raw(
            &mut self.params,
            r#"","isMultiRegionTrail":true,"enableLogFileValidation":true,"includeGlobalServiceEvents":true}"#,
        );
        raw(&mut self.response, r#"{"name":""#);
        self.response.extend_from_slice(&self.target_name);
        raw(&mut self.response, r#"","s3BucketName":""#);
        escaped(&mut self.response, &bucket.name);
        raw(
            &mut self.response,
            r#"","includeGlobalServiceEvents":true,"isMultiRegionTrail":true,"trailARN":""#,
        );
        self.response.extend_from_slice(&self.target_arn);
        raw(
            &mut self.response,
            r#"","logFileValidationEnabled":true,"isOrganizationTrail":false}"#,
        );
        self.not_found = Some(("TrailAlreadyExistsException", Some("Trail already exists")));
    }

    pub(super) fn cloudtrail_put_event_selectors(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Trail);
        const SELECTORS: &str = r#""advancedEventSelectors":[{"name":"Management events selector","fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]},{"name":"S3 data events","fieldSelectors":[{"field":"eventCategory","equals":["Data"]},{"field":"resources.type","equals":["AWS::S3::Object"]}]}]"#;
        raw(&mut self.params, r#"{"trailName":""#);
        self.params.extend_from_slice(&self.target_arn);
        raw(&mut self.params, r#"","#);
        raw(&mut self.params, SELECTORS);
        self.params.push(b'}');
        raw(&mut self.response, r#"{"trailARN":""#);
        self.response.extend_from_slice(&self.target_arn);
        raw(&mut self.response, r#"","#);
        raw(&mut self.response, SELECTORS);
        self.response.push(b'}');
    }

    pub(super) fn cloudformation_stack(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        call: StackCall,
    ) {
        self.pick_target(rng, env, Res::Stack);
        let account = &env.account.id;
        raw(&mut self.params, r#"{"stackName":""#);
        self.params.extend_from_slice(&self.target_name);
        self.params.push(b'"');
        let asset = rng.next_u64() % 64;
        let template = |out: &mut Vec<u8>| {
            raw(out, r#","templateURL":"https://s3."#);
            raw(out, env.region);
            raw(out, ".amazonaws.com/cdk-hnb659fds-assets-");
            raw(out, account);
            out.push(b'-');
            raw(out, env.region);
            out.push(b'/');
            hashed_hex(out, asset, 64);
            raw(
                out,
                r#".json","parameters":[{"parameterKey":"BootstrapVersion","parameterValue":"/cdk-bootstrap/hnb659fds/version"}],"capabilities":["CAPABILITY_IAM","CAPABILITY_NAMED_IAM","CAPABILITY_AUTO_EXPAND"],"roleARN":"arn:aws:iam::"#,
            );
            raw(out, account);
            raw(out, ":role/cdk-hnb659fds-cfn-exec-role-");
            raw(out, account);
            out.push(b'-');
            raw(out, env.region);
            out.push(b'"');
        };
        match call {
            StackCall::Create | StackCall::Update => {
                template(&mut self.params);
                raw(&mut self.params, r#","tags":[]}"#);
                raw(&mut self.response, r#"{"stackId":""#);
                self.response.extend_from_slice(&self.target_arn);
                raw(&mut self.response, r#""}"#);
            }
            StackCall::CreateChangeSet => {
                template(&mut self.params);
                raw(
                    &mut self.params,
                    r#","changeSetName":"cdk-deploy-change-set","changeSetType":"UPDATE","description":"CDK Changeset for execution "#,
                );
                json::uuid(&mut self.params, rng);
                raw(&mut self.params, r#""}"#);
                raw(&mut self.response, r#"{"id":"arn:aws:cloudformation:"#);
                raw(&mut self.response, env.region);
                self.response.push(b':');
                raw(&mut self.response, account);
                raw(&mut self.response, ":changeSet/cdk-deploy-change-set/");
                json::uuid(&mut self.response, rng);
                raw(&mut self.response, r#"","stackId":""#);
                self.response.extend_from_slice(&self.target_arn);
                raw(&mut self.response, r#""}"#);
            }
            StackCall::ExecuteChangeSet | StackCall::DescribeChangeSet => {
                raw(
                    &mut self.params,
                    r#","changeSetName":"cdk-deploy-change-set"}"#,
                );
            }
        }
        self.not_found = Some(("ValidationError", None));
    }

    pub(super) fn log_stream_name(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        if self.target_name.starts_with(b"/aws/lambda/") {
            let start = self.params.len();
            iso_date(&mut self.params, env.time_secs);
            for byte in &mut self.params[start..] {
                if *byte == b'-' {
                    *byte = b'/';
                }
            }
            raw(&mut self.params, "/[$LATEST]");
        } else {
            raw(&mut self.params, "app/web/");
        }
        random_chars(&mut self.params, rng, HEX, 32);
    }

    pub(super) fn logs(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        call: LogsCall,
    ) {
        self.pick_target(rng, env, Res::LogGroup);
        match call {
            LogsCall::StartQuery => {
                raw(&mut self.params, r#"{"logGroupNames":[""#);
                self.params.extend_from_slice(&self.target_name);
                raw(&mut self.params, r#""],"startTime":"#);
                number(&mut self.params, (env.time_secs - 3600).max(0) as u64);
                raw(&mut self.params, r#","endTime":"#);
                number(&mut self.params, env.time_secs.max(0) as u64);
                raw(
                    &mut self.params,
                    r#","queryString":"fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 100"}"#,
                );
                return;
            }
            LogsCall::GetQueryResults => {
                raw(&mut self.params, r#"{"queryId":""#);
                json::uuid(&mut self.params, rng);
                raw(&mut self.params, r#""}"#);
                self.target = None;
                return;
            }
            _ => {}
        }
        raw(&mut self.params, r#"{"logGroupName":""#);
        self.params.extend_from_slice(&self.target_name);
        self.params.push(b'"');
        match call {
            LogsCall::CreateStream => {
                raw(&mut self.params, r#","logStreamName":""#);
                self.log_stream_name(rng, env);
                raw(&mut self.params, r#""}"#);
                self.not_found = Some((
                    "ResourceAlreadyExistsException",
                    Some("The specified log stream already exists"),
                ));
            }
            LogsCall::DescribeStreams => raw(
                &mut self.params,
                r#","orderBy":"LastEventTime","descending":true,"limit":50}"#,
            ),
            LogsCall::GetEvents => {
                raw(&mut self.params, r#","logStreamName":""#);
                self.log_stream_name(rng, env);
                raw(&mut self.params, r#"","startFromHead":false}"#);
            }
            LogsCall::FilterEvents => {
                raw(&mut self.params, r#","startTime":"#);
                number(
                    &mut self.params,
                    (env.time_secs - 3600).max(0) as u64 * 1000,
                );
                raw(&mut self.params, r#","endTime":"#);
                number(&mut self.params, env.time_secs.max(0) as u64 * 1000);
                raw(
                    &mut self.params,
                    r#","filterPattern":"ERROR","interleaved":true}"#,
                );
            }
            LogsCall::PutRetention => raw(&mut self.params, r#","retentionInDays":30}"#),
            LogsCall::StartQuery | LogsCall::GetQueryResults => self.params.push(b'}'),
        }
    }

    pub(super) fn cloudwatch_get_metric_data(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let account = env.account;
        raw(&mut self.params, r#"{"metricDataQueries":["#);
        for query in 0..1 + below(rng, 3) {
            if query > 0 {
                self.params.push(b',');
            }
            let (namespace, metric, dimension, kind) = [
                ("AWS/EC2", "CPUUtilization", "InstanceId", Res::Instance),
                ("AWS/Lambda", "Errors", "FunctionName", Res::Function),
                ("AWS/Lambda", "Duration", "FunctionName", Res::Function),
                (
                    "AWS/SQS",
                    "ApproximateNumberOfMessagesVisible",
                    "QueueName",
                    Res::Queue,
                ),
                (
                    "AWS/RDS",
                    "DatabaseConnections",
                    "DBInstanceIdentifier",
                    Res::DbInstance,
                ),
                (
                    "AWS/DynamoDB",
                    "ConsumedReadCapacityUnits",
                    "TableName",
                    Res::Table,
                ),
            ][skewed(rng, 6)];
            let entry = &account.pool(kind)[skewed(rng, account.pool(kind).len())];
            raw(&mut self.params, r#"{"id":"m"#);
            number(&mut self.params, query as u64);
            raw(
                &mut self.params,
                r#"","metricStat":{"metric":{"namespace":""#,
            );
            raw(&mut self.params, namespace);
            raw(&mut self.params, r#"","metricName":""#);
            raw(&mut self.params, metric);
            raw(&mut self.params, r#"","dimensions":[{"name":""#);
            raw(&mut self.params, dimension);
            raw(&mut self.params, r#"","value":""#);
            escaped(&mut self.params, &entry.name);
            raw(&mut self.params, r#""}]},"period":300,"stat":""#);
            raw(
                &mut self.params,
                ["Average", "Sum", "Maximum", "p99"][below(rng, 4)],
            );
            raw(&mut self.params, r#""},"returnData":true}"#);
        }
        let minute = env.time_secs - env.time_secs.rem_euclid(60);
        raw(&mut self.params, r#"],"startTime":""#);
        aws_date(&mut self.params, minute - 3 * 3600);
        raw(&mut self.params, r#"","endTime":""#);
        aws_date(&mut self.params, minute);
        raw(&mut self.params, r#""}"#);
    }

    pub(super) fn cloudwatch_put_metric_alarm(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Alarm);
        let topic = &env.account.pool(Res::Topic)[skewed(rng, env.account.pool(Res::Topic).len())];
        let group = &env.account.pool(Res::AutoScalingGroup)
            [skewed(rng, env.account.pool(Res::AutoScalingGroup).len())];
        raw(&mut self.params, r#"{"alarmName":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#"","alarmActions":[""#);
        write_arn(&mut self.params, Res::Topic, env.account, env.region, topic);
        raw(
            &mut self.params,
            r#""],"metricName":"CPUUtilization","namespace":"AWS/EC2","statistic":"Average","dimensions":[{"name":"AutoScalingGroupName","value":""#,
        );
        escaped(&mut self.params, &group.name);
        raw(
            &mut self.params,
            r#""}],"period":300,"evaluationPeriods":3,"threshold":80.0,"comparisonOperator":"GreaterThanThreshold","treatMissingData":"missing"}"#,
        );
    }

    pub(super) fn ecr(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        call: EcrCall,
    ) {
        let index = self.pick_target(rng, env, Res::Repository);
        raw(&mut self.params, r#"{"repositoryName":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#"","registryId":""#);
        raw(&mut self.params, &env.account.id);
        self.params.push(b'"');
        let layer = (index as u64) << 8 | below(rng, 12) as u64;
        let tag_draw = rng.next_u64();
        let tag = |out: &mut Vec<u8>| {
            if tag_draw & 3 == 0 {
                raw(out, "latest");
            } else {
                raw(out, "v1.");
                number(out, (tag_draw >> 8) % 30);
                out.push(b'.');
                number(out, (tag_draw >> 16) % 10);
            }
        };
        match call {
            EcrCall::BatchGetImage => {
                raw(&mut self.params, r#","imageIds":[{"imageTag":""#);
                tag(&mut self.params);
                raw(
                    &mut self.params,
                    r#""}],"acceptedMediaTypes":["application/vnd.docker.distribution.manifest.v1+json","application/vnd.docker.distribution.manifest.v2+json","application/vnd.oci.image.manifest.v1+json"]}"#,
                );
            }
            EcrCall::GetDownloadUrl => {
                raw(&mut self.params, r#","layerDigest":"sha256:"#);
                hashed_hex(&mut self.params, layer, 64);
                raw(&mut self.params, r#""}"#);
            }
            EcrCall::CheckLayers => {
                raw(&mut self.params, r#","layerDigests":["sha256:"#);
                hashed_hex(&mut self.params, layer, 64);
                raw(&mut self.params, r#""]}"#);
            }
            EcrCall::DescribeImages => {
                raw(&mut self.params, r#","imageIds":[{"imageTag":""#);
                tag(&mut self.params);
                raw(&mut self.params, r#""}]}"#);
            }
            EcrCall::ListImages => raw(
                &mut self.params,
                r#","filter":{"tagStatus":"TAGGED"},"maxResults":100}"#,
            ),
            EcrCall::PutImage => {
                self.name.clear();
                tag(&mut self.name);
                raw(&mut self.params, r#","imageTag":""#);
                self.params.extend_from_slice(&self.name);
                raw(
                    &mut self.params,
                    r#"","imageManifestMediaType":"application/vnd.docker.distribution.manifest.v2+json"}"#,
                );
                raw(&mut self.response, r#"{"image":{"registryId":""#);
                raw(&mut self.response, &env.account.id);
                raw(&mut self.response, r#"","repositoryName":""#);
                self.response.extend_from_slice(&self.target_name);
                raw(&mut self.response, r#"","imageId":{"imageDigest":"sha256:"#);
                random_chars(&mut self.response, rng, HEX, 64);
                raw(&mut self.response, r#"","imageTag":""#);
                self.response.extend_from_slice(&self.name);
                raw(
                    &mut self.response,
                    r#""},"imageManifestMediaType":"application/vnd.docker.distribution.manifest.v2+json"}}"#,
                );
            }
            EcrCall::InitiateUpload => {
                self.params.push(b'}');
                raw(&mut self.response, r#"{"uploadId":""#);
                json::uuid(&mut self.response, rng);
                raw(&mut self.response, r#"","partSize":10485760}"#);
            }
            EcrCall::CompleteUpload => {
                self.name.clear();
                json::uuid(&mut self.name, rng);
                raw(&mut self.params, r#","uploadId":""#);
                self.params.extend_from_slice(&self.name);
                raw(&mut self.params, r#"","layerDigests":["sha256:"#);
                hashed_hex(&mut self.params, layer, 64);
                raw(&mut self.params, r#""]}"#);
                raw(&mut self.response, r#"{"registryId":""#);
                raw(&mut self.response, &env.account.id);
                raw(&mut self.response, r#"","repositoryName":""#);
                self.response.extend_from_slice(&self.target_name);
                raw(&mut self.response, r#"","uploadId":""#);
                self.response.extend_from_slice(&self.name);
                raw(&mut self.response, r#"","layerDigest":"sha256:"#);
                hashed_hex(&mut self.response, layer, 64);
                raw(&mut self.response, r#""}"#);
            }
        }
    }

    pub(super) fn route53_change_records(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::HostedZone);
        raw(&mut self.params, r#"{"hostedZoneId":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(
            &mut self.params,
            r#"","changeBatch":{"changes":[{"action":"UPSERT","resourceRecordSet":{"name":""#,
        );
        raw(&mut self.params, APPS[skewed(rng, APPS.len())]);
        self.params.push(b'.');
        raw(&mut self.params, ENVS[below(rng, ENVS.len())]);
        self.params.push(b'.');
        raw(&mut self.params, env.account.company);
        raw(
            &mut self.params,
            r#".com","type":"TXT","tTL":300,"resourceRecords":[{"value":"\"heritage=external-dns,external-dns/owner=default\""}]}}]}}"#,
        );
        raw(&mut self.response, r#"{"changeInfo":{"id":"/change/C"#);
        random_chars(&mut self.response, rng, UPPER_ALNUM, 19);
        raw(
            &mut self.response,
            r#"","status":"PENDING","submittedAt":""#,
        );
        aws_date(&mut self.response, env.time_secs);
        raw(&mut self.response, r#""}}"#);
    }

    pub(super) fn cloudfront_invalidation(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Distribution);
        self.name.clear();
        number(
            &mut self.name,
            env.time_secs.max(0) as u64 * 1000 + below(rng, 1000) as u64,
        );
        raw(&mut self.params, r#"{"distributionId":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(
            &mut self.params,
            r#"","invalidationBatch":{"paths":{"quantity":1,"items":["/*"]},"callerReference":""#,
        );
        self.params.extend_from_slice(&self.name);
        raw(&mut self.params, r#""}}"#);
        let mut id = Vec::new();
        id.push(b'I');
        random_chars(&mut id, rng, UPPER_ALNUM, 25);
        raw(
            &mut self.response,
            r#"{"location":"https://cloudfront.amazonaws.com/2020-05-31/distribution/"#,
        );
        self.response.extend_from_slice(&self.target_name);
        raw(&mut self.response, "/invalidation/");
        self.response.extend_from_slice(&id);
        raw(&mut self.response, r#"","invalidation":{"id":""#);
        self.response.extend_from_slice(&id);
        raw(
            &mut self.response,
            r#"","status":"InProgress","createTime":""#,
        );
        aws_date(&mut self.response, env.time_secs);
        raw(
            &mut self.response,
            r#"","invalidationBatch":{"paths":{"quantity":1,"items":["/*"]},"callerReference":""#,
        );
        self.response.extend_from_slice(&self.name);
        raw(&mut self.response, r#""}}}"#);
    }

    pub(super) fn states_start_execution(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::StateMachine);
        self.name.clear();
        json::uuid(&mut self.name, rng);
        raw(&mut self.params, r#"{"stateMachineArn":""#);
        self.params.extend_from_slice(&self.target_arn);
        raw(&mut self.params, r#"","name":""#);
        self.params.extend_from_slice(&self.name);
        raw(
            &mut self.params,
            r#"","input":"HIDDEN_DUE_TO_SECURITY_REASONS"}"#,
        );
        raw(&mut self.response, r#"{"executionArn":"arn:aws:states:"#);
        raw(&mut self.response, env.region);
        self.response.push(b':');
        raw(&mut self.response, &env.account.id);
        raw(&mut self.response, ":execution:");
        self.response.extend_from_slice(&self.target_name);
        self.response.push(b':');
        self.response.extend_from_slice(&self.name);
        raw(&mut self.response, r#"","startDate":""#);
        aws_date(&mut self.response, env.time_secs);
        raw(&mut self.response, r#""}"#);
    }

    pub(super) fn athena_start_query(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::GlueDatabase);
        let bucket =
            &env.account.pool(Res::Bucket)[skewed(rng, env.account.pool(Res::Bucket).len())];
        raw(&mut self.params, r#"{"queryString":"SELECT count(*) FROM "#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#".events WHERE dt = '"#);
        iso_date(&mut self.params, env.time_secs - 86_400);
        raw(&mut self.params, r#"'","clientRequestToken":""#);
        json::uuid(&mut self.params, rng);
        raw(
            &mut self.params,
            r#"","queryExecutionContext":{"database":""#,
        );
        self.params.extend_from_slice(&self.target_name);
        raw(
            &mut self.params,
            r#"","catalog":"AwsDataCatalog"},"resultConfiguration":{"outputLocation":"s3://"#,
        );
        escaped(&mut self.params, &bucket.name);
        raw(&mut self.params, r#"/athena/"},"workGroup":"primary"}"#);
        raw(&mut self.response, r#"{"queryExecutionId":""#);
        json::uuid(&mut self.response, rng);
        raw(&mut self.response, r#""}"#);
    }

    pub(super) fn glue_table(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        extra: &str,
    ) {
        self.pick_target(rng, env, Res::GlueDatabase);
        raw(&mut self.params, r#"{"databaseName":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(
            &mut self.params,
            if extra.is_empty() {
                r#"","name":""#
            } else {
                r#"","tableName":""#
            },
        );
        raw(
            &mut self.params,
            ["events", "orders", "sessions", "clicks", "payments_raw"][skewed(rng, 5)],
        );
        self.params.push(b'"');
        raw(&mut self.params, extra);
        self.params.push(b'}');
        self.not_found = Some(("EntityNotFoundException", Some("Table not found")));
    }
}
