//! Parameters of identity and secrets calls: IAM, STS, KMS, Secrets Manager, console
//! sign-in, Organizations.

use super::*;

impl Scratch {
    pub(super) fn new_user_name(rng: &mut (impl RngCore + ?Sized), out: &mut Vec<u8>) {
        raw(out, FIRST_NAMES[below(rng, FIRST_NAMES.len())]);
        out.push(b'.');
        raw(out, LAST_NAMES[below(rng, LAST_NAMES.len())]);
    }

    pub(super) fn iam_create_user(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        self.name.clear();
        Self::new_user_name(rng, &mut self.name);
        let name = String::from_utf8_lossy(&self.name).into_owned();
        raw(&mut self.params, r#"{"userName":""#);
        raw(&mut self.params, &name);
        raw(&mut self.params, r#""}"#);
        raw(&mut self.response, r#"{"user":{"path":"/","userName":""#);
        raw(&mut self.response, &name);
        raw(&mut self.response, r#"","userId":""#);
        raw(
            &mut self.response,
            &iam_unique_id("AIDA", env.account, &name),
        );
        raw(&mut self.response, r#"","arn":"arn:aws:iam::"#);
        raw(&mut self.response, &env.account.id);
        raw(&mut self.response, ":user/");
        raw(&mut self.response, &name);
        raw(&mut self.response, r#"","createDate":""#);
        aws_date(&mut self.response, env.time_secs);
        raw(&mut self.response, r#""}}"#);
        self.not_found = Some((
            "EntityAlreadyExists",
            Some("User with name already exists."),
        ));
    }

    pub(super) fn iam_create_role(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        let app = APPS[below(rng, APPS.len())];
        let env_name = ENVS[below(rng, ENVS.len())];
        let kinds = ["lambda-role", "task-role", "ec2-role", "deploy-role"];
        let name = format!("{app}-{env_name}-{}", kinds[below(rng, kinds.len())]);
        raw(&mut self.params, r#"{"roleName":""#);
        raw(&mut self.params, &name);
        raw(
            &mut self.params,
            r#"","assumeRolePolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}","maxSessionDuration":3600}"#,
        );
        raw(&mut self.response, r#"{"role":{"path":"/","roleName":""#);
        raw(&mut self.response, &name);
        raw(&mut self.response, r#"","roleId":""#);
        raw(
            &mut self.response,
            &iam_unique_id("AROA", env.account, &name),
        );
        raw(&mut self.response, r#"","arn":"arn:aws:iam::"#);
        raw(&mut self.response, &env.account.id);
        raw(&mut self.response, ":role/");
        raw(&mut self.response, &name);
        raw(&mut self.response, r#"","createDate":""#);
        aws_date(&mut self.response, env.time_secs);
        raw(
            &mut self.response,
            r#"","assumeRolePolicyDocument":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"}}"#,
        );
    }

    pub(super) fn iam_create_access_key(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::User);
        raw(&mut self.params, r#"{"userName":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#""}"#);
        raw(&mut self.response, r#"{"accessKey":{"userName":""#);
        self.response.extend_from_slice(&self.target_name);
        raw(&mut self.response, r#"","accessKeyId":"AKIA"#);
        raw(&mut self.response, &env.account.code);
        random_chars(&mut self.response, rng, json::IAM_ALPHABET, 8);
        raw(&mut self.response, r#"","status":"Active","createDate":""#);
        aws_date(&mut self.response, env.time_secs);
        raw(&mut self.response, r#""}}"#);
    }

    pub(super) fn iam_attach_role_policy(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Role);
        raw(&mut self.params, r#"{"roleName":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#"","policyArn":""#);
        if chance(rng, 0.6) {
            raw(
                &mut self.params,
                MANAGED_POLICIES[skewed(rng, MANAGED_POLICIES.len())],
            );
        } else {
            let policy =
                &env.account.pool(Res::Policy)[skewed(rng, env.account.pool(Res::Policy).len())];
            write_arn(
                &mut self.params,
                Res::Policy,
                env.account,
                env.region,
                policy,
            );
        }
        raw(&mut self.params, r#""}"#);
    }

    /// Writes `"credentials":{...}` into the response (a session of `seconds`).
    pub(super) fn credentials(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        seconds: i64,
    ) {
        raw(&mut self.response, r#""credentials":{"accessKeyId":"ASIA"#);
        raw(&mut self.response, &env.account.code);
        random_chars(&mut self.response, rng, json::IAM_ALPHABET, 8);
        raw(&mut self.response, r#"","sessionToken":""#);
        raw(&mut self.response, SESSION_TOKEN_PREFIX);
        let length = 380 + below(rng, 420);
        random_chars(&mut self.response, rng, BASE64, length);
        raw(&mut self.response, r#"","expiration":""#);
        aws_date(&mut self.response, env.time_secs + seconds);
        raw(&mut self.response, r#""}"#);
    }

    /// Writes `"assumedRoleUser":{...}` for `role` and `session`.
    pub(super) fn assumed_role_user(&mut self, env: &CallEnv<'_>, role: &str, session: &[u8]) {
        raw(
            &mut self.response,
            r#""assumedRoleUser":{"assumedRoleId":""#,
        );
        raw(
            &mut self.response,
            &iam_unique_id("AROA", env.account, role),
        );
        self.response.push(b':');
        self.response.extend_from_slice(session);
        raw(&mut self.response, r#"","arn":"arn:aws:sts::"#);
        raw(&mut self.response, &env.account.id);
        raw(&mut self.response, ":assumed-role/");
        escaped(&mut self.response, role);
        self.response.push(b'/');
        self.response.extend_from_slice(session);
        raw(&mut self.response, r#""}"#);
    }

    pub(super) fn sts_assume_role(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        let index = self.pick_target(rng, env, Res::Role);
        let role = env.account.pool(Res::Role)[index].name.clone();
        self.name.clear();
        let account = env.account;
        match (&env.principal.identity, env.principal.invoked_by) {
            (IdentityKind::AwsService, Some("lambda.amazonaws.com")) => {
                raw(
                    &mut self.name,
                    &account.pool(Res::Function)[skewed(rng, account.pool(Res::Function).len())]
                        .name,
                );
            }
            (IdentityKind::AwsService, Some("ec2.amazonaws.com")) => {
                raw(
                    &mut self.name,
                    &account.pool(Res::Instance)[skewed(rng, account.pool(Res::Instance).len())]
                        .name,
                );
            }
            (IdentityKind::AwsService, Some("ecs-tasks.amazonaws.com")) => {
                random_chars(&mut self.name, rng, HEX, 32);
            }
            (IdentityKind::AwsService, Some(service)) => {
                let short = service.split('.').next().unwrap_or(service);
                raw(&mut self.name, "AWS-");
                raw(&mut self.name, short);
                raw(&mut self.name, "-");
                number(&mut self.name, env.time_secs.max(0) as u64);
            }
            _ => {
                raw(&mut self.name, "botocore-session-");
                number(&mut self.name, env.time_secs.max(0) as u64);
            }
        }
        raw(&mut self.params, r#"{"roleArn":""#);
        self.params.extend_from_slice(&self.target_arn);
        raw(&mut self.params, r#"","roleSessionName":""#);
        self.params.extend_from_slice(&self.name);
        raw(&mut self.params, r#"","durationSeconds":3600}"#);
        raw(&mut self.response, "{");
        self.credentials(rng, env, 3600);
        self.response.push(b',');
        let session = std::mem::take(&mut self.name);
        self.assumed_role_user(env, &role, &session);
        self.name = session;
        self.response.push(b'}');
        self.shared_event = matches!(env.principal.identity, IdentityKind::AwsService);
    }

    pub(super) fn sts_assume_role_with_saml(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let principal = env.principal;
        let role = if principal.target_role.is_empty() {
            "Okta-ReadOnly"
        } else {
            &principal.target_role
        };
        let provider = if role.starts_with("Okta") {
            "OktaSAML"
        } else {
            "ADFS"
        };
        self.target = Some(Res::Role);
        self.target_name.clear();
        raw(&mut self.target_name, role);
        self.target_arn.clear();
        raw(&mut self.target_arn, "arn:aws:iam::");
        raw(&mut self.target_arn, &env.account.id);
        raw(&mut self.target_arn, ":role/");
        raw(&mut self.target_arn, role);
        self.arn.clear();
        raw(&mut self.arn, "arn:aws:iam::");
        raw(&mut self.arn, &env.account.id);
        raw(&mut self.arn, ":saml-provider/");
        raw(&mut self.arn, provider);
        raw(&mut self.params, r#"{"sAMLAssertionID":"_"#);
        random_chars(&mut self.params, rng, HEX, 32);
        raw(&mut self.params, r#"","roleSessionName":""#);
        escaped(&mut self.params, &principal.name);
        raw(&mut self.params, r#"","principalTags":{},"principalArn":""#);
        self.params.extend_from_slice(&self.arn);
        raw(&mut self.params, r#"","roleArn":""#);
        self.params.extend_from_slice(&self.target_arn);
        raw(&mut self.params, r#"","durationSeconds":3600}"#);
        raw(&mut self.response, "{");
        self.credentials(rng, env, 3600);
        self.response.push(b',');
        let session = principal.name.as_bytes().to_vec();
        self.assumed_role_user(env, role, &session);
        raw(&mut self.response, r#","subject":""#);
        escaped(&mut self.response, &principal.name);
        raw(
            &mut self.response,
            r#"","subjectType":"persistent","issuer":""#,
        );
        raw(
            &mut self.response,
            if provider == "OktaSAML" {
                "http://www.okta.com/exk4b9r2cmQX7Zf1d697"
            } else {
                "http://adfs.corp.example.com/adfs/services/trust"
            },
        );
        raw(
            &mut self.response,
            r#"","audience":"https://signin.aws.amazon.com/saml","nameQualifier":""#,
        );
        escaped(&mut self.response, &principal.provider);
        raw(&mut self.response, r#""}"#);
        let role_arn = std::mem::take(&mut self.target_arn);
        self.add_resource(Some(&env.account.id), Some("AWS::IAM::Role"), &role_arn);
        self.target_arn = role_arn;
        let provider_arn = std::mem::take(&mut self.arn);
        self.add_resource(
            Some(&env.account.id),
            Some("AWS::IAM::SAMLProvider"),
            &provider_arn,
        );
        self.arn = provider_arn;
    }

    pub(super) fn sts_assume_role_with_web_identity(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let principal = env.principal;
        let role = if principal.target_role.is_empty() {
            "web-identity-role"
        } else {
            &principal.target_role
        };
        self.target = Some(Res::Role);
        self.target_name.clear();
        raw(&mut self.target_name, role);
        self.target_arn.clear();
        raw(&mut self.target_arn, "arn:aws:iam::");
        raw(&mut self.target_arn, &env.account.id);
        raw(&mut self.target_arn, ":role/");
        raw(&mut self.target_arn, role);
        self.name.clear();
        if principal.provider.contains("githubusercontent") {
            raw(&mut self.name, "GitHubActions");
        } else {
            raw(&mut self.name, "botocore-session-");
            number(&mut self.name, env.time_secs.max(0) as u64);
        }
        raw(&mut self.params, r#"{"roleArn":""#);
        self.params.extend_from_slice(&self.target_arn);
        raw(&mut self.params, r#"","roleSessionName":""#);
        self.params.extend_from_slice(&self.name);
        raw(&mut self.params, r#"","durationSeconds":3600}"#);
        raw(&mut self.response, "{");
        self.credentials(rng, env, 3600);
        raw(&mut self.response, r#","subjectFromWebIdentityToken":""#);
        escaped(&mut self.response, &principal.name);
        raw(&mut self.response, r#"","#);
        let session = std::mem::take(&mut self.name);
        self.assumed_role_user(env, role, &session);
        self.name = session;
        raw(&mut self.response, r#","provider":""#);
        escaped(&mut self.response, &principal.provider);
        raw(&mut self.response, r#"","audience":""#);
        escaped(&mut self.response, &principal.audience);
        raw(&mut self.response, r#""}"#);
    }

    pub(super) fn kms_crypto(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        call: CryptoCall,
    ) {
        self.pick_target(rng, env, Res::Key);
        self.params.push(b'{');
        match call {
            CryptoCall::Decrypt => {}
            CryptoCall::Encrypt => raw(&mut self.params, r#""keyId":"alias/aws/secretsmanager","#),
            CryptoCall::GenerateDataKey => {
                raw(&mut self.params, r#""keyId":""#);
                self.params.extend_from_slice(&self.target_arn);
                raw(&mut self.params, r#"","keySpec":"AES_256","#);
            }
        }
        if call != CryptoCall::GenerateDataKey {
            raw(
                &mut self.params,
                r#""encryptionAlgorithm":"SYMMETRIC_DEFAULT","#,
            );
        }
        raw(&mut self.params, r#""encryptionContext":{"#);
        let account = env.account;
        let lambda_own = matches!(env.principal.own, Some((Res::Function, _)));
        let context = if lambda_own { 1 } else { below(rng, 5) };
        match context {
            0 => {
                let bucket =
                    &account.pool(Res::Bucket)[skewed(rng, account.pool(Res::Bucket).len())];
                raw(&mut self.params, r#""aws:s3:arn":""#);
                write_arn(&mut self.params, Res::Bucket, account, env.region, bucket);
            }
            1 => {
                let index = match env.principal.own {
                    Some((Res::Function, own)) => own,
                    _ => skewed(rng, account.pool(Res::Function).len()),
                };
                raw(&mut self.params, r#""aws:lambda:FunctionArn":""#);
                write_arn(
                    &mut self.params,
                    Res::Function,
                    account,
                    env.region,
                    &account.pool(Res::Function)[index],
                );
            }
            2 => {
                let secret =
                    &account.pool(Res::Secret)[skewed(rng, account.pool(Res::Secret).len())];
                raw(&mut self.params, r#""SecretARN":""#);
                write_arn(&mut self.params, Res::Secret, account, env.region, secret);
                raw(&mut self.params, r#"","SecretVersionId":""#);
                json::uuid(&mut self.params, rng);
            }
            3 => {
                let parameter =
                    &account.pool(Res::Parameter)[skewed(rng, account.pool(Res::Parameter).len())];
                raw(&mut self.params, r#""PARAMETER_ARN":""#);
                write_arn(
                    &mut self.params,
                    Res::Parameter,
                    account,
                    env.region,
                    parameter,
                );
            }
            _ => {
                let volume =
                    &account.pool(Res::Volume)[skewed(rng, account.pool(Res::Volume).len())];
                raw(&mut self.params, r#""aws:ebs:id":""#);
                raw(&mut self.params, &volume.name);
            }
        }
        raw(&mut self.params, r#""}}"#);
    }

    pub(super) fn kms_create_key(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        let app = APPS[below(rng, APPS.len())];
        self.name.clear();
        json::uuid(&mut self.name, rng);
        raw(&mut self.params, r#"{"description":""#);
        raw(&mut self.params, app);
        raw(
            &mut self.params,
            r#" data key","keyUsage":"ENCRYPT_DECRYPT","keySpec":"SYMMETRIC_DEFAULT","origin":"AWS_KMS","bypassPolicyLockoutSafetyCheck":false,"multiRegion":false}"#,
        );
        self.target = Some(Res::Key);
        self.target_name.clear();
        self.target_name.extend_from_slice(&self.name);
        self.target_arn.clear();
        raw(&mut self.target_arn, "arn:aws:kms:");
        raw(&mut self.target_arn, env.region);
        self.target_arn.push(b':');
        raw(&mut self.target_arn, &env.account.id);
        raw(&mut self.target_arn, ":key/");
        self.target_arn.extend_from_slice(&self.name);
        raw(&mut self.response, r#"{"keyMetadata":{"aWSAccountId":""#);
        raw(&mut self.response, &env.account.id);
        raw(&mut self.response, r#"","keyId":""#);
        self.response.extend_from_slice(&self.name);
        raw(&mut self.response, r#"","arn":""#);
        self.response.extend_from_slice(&self.target_arn);
        raw(&mut self.response, r#"","creationDate":""#);
        aws_date(&mut self.response, env.time_secs);
        raw(&mut self.response, r#"","enabled":true,"description":""#);
        raw(&mut self.response, app);
        raw(
            &mut self.response,
            r#" data key","keyUsage":"ENCRYPT_DECRYPT","keyState":"Enabled","origin":"AWS_KMS","keyManager":"CUSTOMER","customerMasterKeySpec":"SYMMETRIC_DEFAULT","keySpec":"SYMMETRIC_DEFAULT","encryptionAlgorithms":["SYMMETRIC_DEFAULT"],"multiRegion":false}}"#,
        );
        self.add_target_resource(env);
    }

    pub(super) fn kms_schedule_key_deletion(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Key);
        raw(&mut self.params, r#"{"keyId":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#"","pendingWindowInDays":30}"#);
        raw(&mut self.response, r#"{"keyId":""#);
        self.response.extend_from_slice(&self.target_arn);
        raw(&mut self.response, r#"","deletionDate":""#);
        aws_date(&mut self.response, env.time_secs + 30 * 86_400);
        raw(
            &mut self.response,
            r#"","keyState":"PendingDeletion","pendingWindowInDays":30}"#,
        );
    }

    pub(super) fn kms_create_grant(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Key);
        let role = &env.account.pool(Res::Role)[skewed(rng, env.account.pool(Res::Role).len())];
        raw(&mut self.params, r#"{"keyId":""#);
        self.params.extend_from_slice(&self.target_arn);
        raw(&mut self.params, r#"","granteePrincipal":""#);
        write_arn(&mut self.params, Res::Role, env.account, env.region, role);
        raw(
            &mut self.params,
            r#"","operations":["Decrypt","GenerateDataKeyWithoutPlaintext","ReEncryptFrom","ReEncryptTo","DescribeKey"],"retiringPrincipal":"ec2."#,
        );
        raw(&mut self.params, env.region);
        raw(&mut self.params, r#".amazonaws.com"}"#);
        raw(&mut self.response, r#"{"grantId":""#);
        random_chars(&mut self.response, rng, HEX, 64);
        raw(&mut self.response, r#"","keyId":""#);
        self.response.extend_from_slice(&self.target_arn);
        raw(&mut self.response, r#""}"#);
    }

    pub(super) fn secrets_write(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        call: SecretCall,
    ) {
        let index = self.pick_target(rng, env, Res::Secret);
        let name = &env.account.pool(Res::Secret)[index].name;
        self.name.clear();
        json::uuid(&mut self.name, rng);
        match call {
            SecretCall::Create => {
                raw(&mut self.params, r#"{"name":""#);
                escaped(&mut self.params, name);
                raw(&mut self.params, r#"","clientRequestToken":""#);
                self.params.extend_from_slice(&self.name);
                raw(
                    &mut self.params,
                    r#"","forceOverwriteReplicaSecret":false}"#,
                );
                self.not_found = Some((
                    "ResourceExistsException",
                    Some("The operation failed because the secret already exists."),
                ));
            }
            SecretCall::PutValue | SecretCall::Rotate => {
                raw(&mut self.params, r#"{"secretId":""#);
                self.params.extend_from_slice(&self.target_arn);
                raw(&mut self.params, r#"","clientRequestToken":""#);
                self.params.extend_from_slice(&self.name);
                self.params.push(b'"');
                if call == SecretCall::Rotate {
                    raw(&mut self.params, r#","rotateImmediately":true"#);
                }
                self.params.push(b'}');
            }
            SecretCall::Delete => {
                raw(&mut self.params, r#"{"secretId":""#);
                self.params.extend_from_slice(&self.target_arn);
                raw(&mut self.params, r#"","recoveryWindowInDays":30}"#);
            }
        }
        raw(&mut self.response, r#"{"aRN":""#);
        self.response.extend_from_slice(&self.target_arn);
        raw(&mut self.response, r#"","name":""#);
        escaped(&mut self.response, name);
        if call == SecretCall::Delete {
            raw(&mut self.response, r#"","deletionDate":""#);
            aws_date(&mut self.response, env.time_secs + 30 * 86_400);
        } else {
            raw(&mut self.response, r#"","versionId":""#);
            self.response.extend_from_slice(&self.name);
        }
        if call == SecretCall::PutValue {
            raw(&mut self.response, r#"","versionStages":["AWSCURRENT"]}"#);
        } else {
            raw(&mut self.response, r#""}"#);
        }
    }

    pub(super) fn secrets_service_event(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        op: &Operation,
    ) {
        let index = self.pick_target(rng, env, Res::Secret);
        raw(&mut self.params, "null");
        if op.name == "RotationSucceeded" {
            raw(&mut self.extra, r#"{"SecretId":""#);
            self.extra.extend_from_slice(&self.target_arn);
            raw(&mut self.extra, r#""}"#);
        } else {
            raw(&mut self.extra, r#"{"ARN":""#);
            self.extra.extend_from_slice(&self.target_arn);
            raw(&mut self.extra, r#"","Name":""#);
            escaped(&mut self.extra, &env.account.pool(Res::Secret)[index].name);
            raw(&mut self.extra, r#""}"#);
        }
    }

    pub(super) fn console_login(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        raw(&mut self.params, "null");
        raw(
            &mut self.response,
            if env.failed {
                r#"{"ConsoleLogin":"Failure"}"#
            } else {
                r#"{"ConsoleLogin":"Success"}"#
            },
        );
        raw(
            &mut self.extra,
            r#"{"LoginTo":"https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_"#,
        );
        raw(&mut self.extra, env.region);
        self.extra.push(b'_');
        random_chars(&mut self.extra, rng, HEX, 16);
        raw(&mut self.extra, r#"","MobileVersion":"No","MFAUsed":""#);
        raw(
            &mut self.extra,
            if env.principal.mfa { "Yes" } else { "No" },
        );
        raw(&mut self.extra, r#""}"#);
        self.host.clear();
        raw(&mut self.host, "signin.aws.amazon.com");
    }

    pub(super) fn organizations_account(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        op: &Operation,
    ) {
        let account = &env.world.accounts[below(rng, env.world.accounts.len())];
        match op.name.as_str() {
            "DescribeAccount" => {
                raw(&mut self.params, "{");
                member(&mut self.params, "accountId", &account.id);
                raw(&mut self.params, "}");
            }
            "ListPoliciesForTarget" => {
                raw(&mut self.params, "{");
                member(&mut self.params, "targetId", &account.id);
                raw(&mut self.params, r#","filter":"SERVICE_CONTROL_POLICY"}"#);
            }
            _ => {
                raw(&mut self.params, "{");
                member(&mut self.params, "resourceId", &account.id);
                raw(
                    &mut self.params,
                    r#","tags":[{"key":"team","value":"platform"}]}"#,
                );
            }
        }
    }
}
