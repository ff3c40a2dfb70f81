//! Parameters of storage and messaging calls: S3, DynamoDB, SQS, SNS.

use super::*;

impl Scratch {
    /// `additionalEventData` of S3 calls.
    pub(super) fn s3_additional(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        bytes_in: u64,
        bytes_out: u64,
    ) {
        raw(
            &mut self.extra,
            r#"{"SignatureVersion":"SigV4","CipherSuite":""#,
        );
        raw(
            &mut self.extra,
            if env.principal.tls13 {
                "TLS_AES_128_GCM_SHA256"
            } else {
                "ECDHE-RSA-AES128-GCM-SHA256"
            },
        );
        raw(&mut self.extra, r#"","bytesTransferredIn":"#);
        number(&mut self.extra, bytes_in);
        raw(
            &mut self.extra,
            r#","AuthenticationMethod":"AuthHeader","x-amz-id-2":""#,
        );
        random_chars(&mut self.extra, rng, BASE64, 76);
        raw(&mut self.extra, r#"=","bytesTransferredOut":"#);
        number(&mut self.extra, bytes_out);
        self.extra.push(b'}');
    }

    /// Sets the virtual host of `bucket` as the TLS host and writes the S3 parameter head.
    pub(super) fn s3_head(&mut self, env: &CallEnv<'_>, bucket: &str) {
        self.host.clear();
        escaped(&mut self.host, bucket);
        raw(&mut self.host, ".s3.");
        raw(&mut self.host, env.region);
        raw(&mut self.host, ".amazonaws.com");
        raw(&mut self.params, r#"{"bucketName":""#);
        escaped(&mut self.params, bucket);
        raw(&mut self.params, r#"","Host":""#);
        self.params.extend_from_slice(&self.host);
        self.params.push(b'"');
    }

    pub(super) fn s3_bucket(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        op: &Operation,
        subresource: &str,
    ) {
        let index = self.pick_target(rng, env, Res::Bucket);
        let bucket = &env.account.pool(Res::Bucket)[index].name;
        self.s3_head(env, bucket);
        if !subresource.is_empty() {
            self.params.push(b',');
            key(&mut self.params, subresource);
            raw(&mut self.params, r#""""#);
        }
        self.params.push(b'}');
        let bytes_out = if op.read_only {
            100 + below(rng, 1900) as u64
        } else {
            0
        };
        let bytes_in = if op.read_only {
            0
        } else {
            150 + below(rng, 900) as u64
        };
        self.s3_additional(rng, env, bytes_in, bytes_out);
        self.not_found = Some(match subresource {
            "policy" => (
                "NoSuchBucketPolicy",
                Some("The bucket policy does not exist"),
            ),
            "encryption" => (
                "ServerSideEncryptionConfigurationNotFoundError",
                Some("The server side encryption configuration was not found"),
            ),
            "tagging" => ("NoSuchTagSet", Some("The TagSet does not exist")),
            "publicAccessBlock" => (
                "NoSuchPublicAccessBlockConfiguration",
                Some("The public access block configuration was not found"),
            ),
            "cors" => (
                "NoSuchCORSConfiguration",
                Some("The CORS configuration does not exist"),
            ),
            "lifecycle" => (
                "NoSuchLifecycleConfiguration",
                Some("The lifecycle configuration does not exist"),
            ),
            "ownershipControls" => (
                "OwnershipControlsNotFoundError",
                Some("The bucket ownership controls were not found"),
            ),
            _ => ("NoSuchBucket", Some("The specified bucket does not exist")),
        });
    }

    pub(super) fn s3_create_bucket(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let index = self.pick_target(rng, env, Res::Bucket);
        let bucket = &env.account.pool(Res::Bucket)[index].name;
        self.s3_head(env, bucket);
        if env.region != "us-east-1" {
            raw(
                &mut self.params,
                r#","CreateBucketConfiguration":{"LocationConstraint":""#,
            );
            raw(&mut self.params, env.region);
            raw(
                &mut self.params,
                r#"","xmlns":"http://s3.amazonaws.com/doc/2006-03-01/"}"#,
            );
        }
        self.params.push(b'}');
        self.s3_additional(rng, env, 0, 0);
        self.not_found = Some((
            "BucketAlreadyOwnedByYou",
            Some(
                "Your previous request to create the named bucket succeeded and you already own it.",
            ),
        ));
    }

    pub(super) fn s3_list_buckets(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        self.host.clear();
        raw(&mut self.host, "s3.");
        raw(&mut self.host, env.region);
        raw(&mut self.host, ".amazonaws.com");
        raw(&mut self.params, r#"{"Host":""#);
        self.params.extend_from_slice(&self.host);
        raw(&mut self.params, r#""}"#);
        let bytes_out = 2_000 + 120 * env.account.pool(Res::Bucket).len() as u64;
        self.s3_additional(rng, env, 0, bytes_out);
    }

    pub(super) fn s3_object(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        call: ObjectCall,
    ) {
        let index = self.pick_target(rng, env, Res::Bucket);
        let bucket = &env.account.pool(Res::Bucket)[index].name;
        self.s3_head(env, bucket);
        let prefix = OBJECT_PREFIXES[skewed(rng, OBJECT_PREFIXES.len())];
        self.name.clear();
        if call == ObjectCall::List {
            raw(&mut self.params, r#","list-type":"2","prefix":""#);
            raw(&mut self.params, prefix);
            raw(
                &mut self.params,
                r#"/","delimiter":"/","encoding-type":"url"}"#,
            );
        } else {
            raw(&mut self.name, prefix);
            self.name.push(b'/');
            iso_date(
                &mut self.name,
                env.time_secs - 86_400 * below(rng, 3) as i64,
            );
            for byte in &mut self.name[prefix.len()..] {
                if *byte == b'-' {
                    *byte = b'/';
                }
            }
            self.name.push(b'/');
            hashed_hex(&mut self.name, rng.next_u64() % 4096, 12);
            self.name.push(b'.');
            raw(
                &mut self.name,
                OBJECT_EXTENSIONS[skewed(rng, OBJECT_EXTENSIONS.len())],
            );
            raw(&mut self.params, r#","key":""#);
            self.params.extend_from_slice(&self.name);
            raw(&mut self.params, r#""}"#);
        }
        let size = 200 + (uniform(rng).powi(4) * 50_000_000.0) as u64;
        let (bytes_in, bytes_out) = match call {
            ObjectCall::Get => (0, size),
            ObjectCall::Put => (size, 0),
            ObjectCall::List => (0, 800 + below(rng, 6000) as u64),
            ObjectCall::Head | ObjectCall::Delete => (0, 0),
        };
        self.s3_additional(rng, env, bytes_in, bytes_out);
        if call == ObjectCall::Put {
            raw(
                &mut self.response,
                r#"{"x-amz-server-side-encryption":"AES256""#,
            );
            if chance(rng, 0.4) {
                raw(&mut self.response, r#","x-amz-version-id":""#);
                random_chars(&mut self.response, rng, json::ALNUM, 32);
                self.response.push(b'"');
            }
            self.response.push(b'}');
        }
        if call != ObjectCall::List {
            let mut arn = Vec::with_capacity(self.target_arn.len() + self.name.len() + 1);
            arn.extend_from_slice(&self.target_arn);
            arn.push(b'/');
            arn.extend_from_slice(&self.name);
            self.add_resource(None, Some("AWS::S3::Object"), &arn);
            self.not_found = Some(match call {
                ObjectCall::Get | ObjectCall::Head => {
                    ("NoSuchKey", Some("The specified key does not exist."))
                }
                _ => ("NoSuchBucket", Some("The specified bucket does not exist")),
            });
        }
        let arn = std::mem::take(&mut self.target_arn);
        self.add_resource(Some(&env.account.id), Some("AWS::S3::Bucket"), &arn);
        self.target_arn = arn;
    }

    pub(super) fn dynamo_key(&mut self, rng: &mut (impl RngCore + ?Sized)) {
        let entities = ["ORDER#", "USER#", "SESSION#", "ITEM#", "TENANT#"];
        raw(&mut self.params, r#"{"pk":""#);
        raw(&mut self.params, entities[below(rng, entities.len())]);
        number(&mut self.params, (uniform(rng).powi(2) * 100_000.0) as u64);
        raw(&mut self.params, r#"","sk":""#);
        raw(
            &mut self.params,
            ["METADATA", "PROFILE", "STATE", "V#0"][below(rng, 4)],
        );
        raw(&mut self.params, r#""}"#);
    }

    pub(super) fn dynamo_item(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        call: ItemCall,
    ) {
        self.pick_target(rng, env, Res::Table);
        let table = String::from_utf8_lossy(&self.target_name).into_owned();
        match call {
            ItemCall::BatchGet | ItemCall::BatchWrite => {
                raw(&mut self.params, r#"{"requestItems":[{"tableName":""#);
                escaped(&mut self.params, &table);
                raw(&mut self.params, r#"","#);
                raw(
                    &mut self.params,
                    if call == ItemCall::BatchGet {
                        r#""keys":["#
                    } else {
                        r#""putRequests":["#
                    },
                );
                for index in 0..1 + below(rng, 3) {
                    if index > 0 {
                        self.params.push(b',');
                    }
                    self.dynamo_key(rng);
                }
                raw(&mut self.params, "]}]}");
            }
            _ => {
                raw(&mut self.params, r#"{"tableName":""#);
                escaped(&mut self.params, &table);
                self.params.push(b'"');
                match call {
                    ItemCall::Query => {
                        if chance(rng, 0.3) {
                            raw(&mut self.params, r#","indexName":"gsi1""#);
                        }
                        raw(
                            &mut self.params,
                            r#","keyConditionExpression":"pk = :pk","limit":50,"scanIndexForward":false}"#,
                        );
                    }
                    ItemCall::Scan => raw(&mut self.params, r#","limit":100}"#),
                    _ => {
                        raw(&mut self.params, r#","key":"#);
                        self.dynamo_key(rng);
                        match call {
                            ItemCall::Get => raw(&mut self.params, r#","consistentRead":false}"#),
                            ItemCall::Update => raw(
                                &mut self.params,
                                r#","updateExpression":"SET #status = :status, #updatedAt = :updatedAt","conditionExpression":"attribute_exists(pk)","returnValues":"ALL_NEW"}"#,
                            ),
                            _ => self.params.push(b'}'),
                        }
                    }
                }
            }
        }
    }

    pub(super) fn dynamo_create_table(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Table);
        const SCHEMA: &str = r#""attributeDefinitions":[{"attributeName":"pk","attributeType":"S"},{"attributeName":"sk","attributeType":"S"}],"keySchema":[{"attributeName":"pk","keyType":"HASH"},{"attributeName":"sk","keyType":"RANGE"}]"#;
        raw(&mut self.params, r#"{"tableName":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#"","#);
        raw(&mut self.params, SCHEMA);
        raw(
            &mut self.params,
            r#","billingMode":"PAY_PER_REQUEST","sSESpecification":{"enabled":true}}"#,
        );
        raw(&mut self.response, r#"{"tableDescription":{"#);
        raw(&mut self.response, SCHEMA);
        raw(&mut self.response, r#","tableName":""#);
        self.response.extend_from_slice(&self.target_name);
        raw(
            &mut self.response,
            r#"","tableStatus":"CREATING","creationDateTime":""#,
        );
        aws_date(&mut self.response, env.time_secs);
        raw(
            &mut self.response,
            r#"","provisionedThroughput":{"numberOfDecreasesToday":0,"readCapacityUnits":0,"writeCapacityUnits":0},"tableSizeBytes":0,"itemCount":0,"tableArn":""#,
        );
        self.response.extend_from_slice(&self.target_arn);
        raw(&mut self.response, r#"","tableId":""#);
        json::uuid(&mut self.response, rng);
        raw(
            &mut self.response,
            r#"","billingModeSummary":{"billingMode":"PAY_PER_REQUEST"},"deletionProtectionEnabled":false}}"#,
        );
        self.not_found = Some(("ResourceInUseException", Some("Table already exists")));
    }

    pub(super) fn sns_subscribe(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        self.pick_target(rng, env, Res::Topic);
        let queue = &env.account.pool(Res::Queue)[skewed(rng, env.account.pool(Res::Queue).len())];
        raw(&mut self.params, r#"{"topicArn":""#);
        self.params.extend_from_slice(&self.target_arn);
        raw(&mut self.params, r#"","protocol":"sqs","endpoint":""#);
        write_arn(&mut self.params, Res::Queue, env.account, env.region, queue);
        raw(&mut self.params, r#"","returnSubscriptionArn":true}"#);
        raw(&mut self.response, r#"{"subscriptionArn":""#);
        self.response.extend_from_slice(&self.target_arn);
        self.response.push(b':');
        json::uuid(&mut self.response, rng);
        raw(&mut self.response, r#""}"#);
    }

    pub(super) fn queue_url(&self, out: &mut Vec<u8>, env: &CallEnv<'_>) {
        raw(out, "https://sqs.");
        raw(out, env.region);
        raw(out, ".amazonaws.com/");
        raw(out, &env.account.id);
        out.push(b'/');
        out.extend_from_slice(&self.target_name);
    }

    pub(super) fn queue_url_into_response(&mut self, env: &CallEnv<'_>) {
        let mut out = std::mem::take(&mut self.response);
        self.queue_url(&mut out, env);
        self.response = out;
    }

    pub(super) fn sqs(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        call: QueueCall,
    ) {
        self.pick_target(rng, env, Res::Queue);
        raw(&mut self.params, r#"{"queueUrl":""#);
        let mut out = std::mem::take(&mut self.params);
        self.queue_url(&mut out, env);
        self.params = out;
        self.params.push(b'"');
        match call {
            QueueCall::GetAttributes => raw(&mut self.params, r#","attributeNames":["All"]}"#),
            QueueCall::SetAttributes => raw(
                &mut self.params,
                r#","attributes":{"VisibilityTimeout":"60"}}"#,
            ),
            QueueCall::Delete | QueueCall::Purge => self.params.push(b'}'),
            QueueCall::Send => {
                raw(
                    &mut self.params,
                    r#","messageBody":"HIDDEN_DUE_TO_SECURITY_REASONS"}"#,
                );
                raw(&mut self.response, r#"{"mD5OfMessageBody":""#);
                random_chars(&mut self.response, rng, HEX, 32);
                raw(&mut self.response, r#"","messageId":""#);
                json::uuid(&mut self.response, rng);
                raw(&mut self.response, r#""}"#);
            }
            QueueCall::Receive => raw(
                &mut self.params,
                r#","maxNumberOfMessages":10,"waitTimeSeconds":20,"attributeNames":["All"]}"#,
            ),
            QueueCall::DeleteMessage => raw(
                &mut self.params,
                r#","receiptHandle":"HIDDEN_DUE_TO_SECURITY_REASONS"}"#,
            ),
        }
    }
}
