//! Parameters of compute calls: EC2, EKS, Elastic Load Balancing, Systems Manager.

use super::*;

impl Scratch {
    pub(super) fn ec2_describe_instances(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let draw = uniform(rng);
        if draw < 0.5 {
            raw(&mut self.params, r#"{"instancesSet":{},"filterSet":{}}"#);
        } else if draw < 0.8 {
            self.pick_target(rng, env, Res::Instance);
            raw(
                &mut self.params,
                r#"{"instancesSet":{"items":[{"instanceId":""#,
            );
            self.params.extend_from_slice(&self.target_name);
            raw(&mut self.params, r#""}]},"filterSet":{}}"#);
        } else {
            let group = &env.account.pool(Res::AutoScalingGroup)
                [skewed(rng, env.account.pool(Res::AutoScalingGroup).len())];
            raw(
                &mut self.params,
                r#"{"instancesSet":{},"filterSet":{"items":[{"name":"tag:aws:autoscaling:groupName","valueSet":{"items":[{"value":""#,
            );
            escaped(&mut self.params, &group.name);
            raw(
                &mut self.params,
                r#""}]}},{"name":"instance-state-name","valueSet":{"items":[{"value":"running"}]}}]}}"#,
            );
        }
    }

    pub(super) fn ec2_response_start(&mut self, env: &CallEnv<'_>) {
        raw(&mut self.response, r#"{"requestId":""#);
        self.response.extend_from_slice(env.request_id);
        self.response.push(b'"');
    }

    pub(super) fn ec2_instance_state(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        change: InstanceChange,
    ) {
        self.pick_target(rng, env, Res::Instance);
        raw(
            &mut self.params,
            r#"{"instancesSet":{"items":[{"instanceId":""#,
        );
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#""}]}"#);
        if change == InstanceChange::Stop {
            raw(&mut self.params, r#","force":false"#);
        }
        self.params.push(b'}');
        self.ec2_response_start(env);
        let (current, previous) = match change {
            InstanceChange::Reboot => {
                raw(&mut self.response, r#","_return":true}"#);
                return;
            }
            InstanceChange::Start => (
                r#"{"code":0,"name":"pending"}"#,
                r#"{"code":80,"name":"stopped"}"#,
            ),
            InstanceChange::Stop => (
                r#"{"code":64,"name":"stopping"}"#,
                r#"{"code":16,"name":"running"}"#,
            ),
            InstanceChange::Terminate => (
                r#"{"code":32,"name":"shutting-down"}"#,
                r#"{"code":16,"name":"running"}"#,
            ),
        };
        raw(
            &mut self.response,
            r#","instancesSet":{"items":[{"instanceId":""#,
        );
        self.response.extend_from_slice(&self.target_name);
        raw(&mut self.response, r#"","currentState":"#);
        raw(&mut self.response, current);
        raw(&mut self.response, r#","previousState":"#);
        raw(&mut self.response, previous);
        raw(&mut self.response, "}]}}");
    }

    pub(super) fn ec2_run_instances(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let account = env.account;
        let image = &account.pool(Res::Image)[skewed(rng, account.pool(Res::Image).len())];
        let subnet = &account.pool(Res::Subnet)[below(rng, account.pool(Res::Subnet).len())];
        let vpc = &account.pool(Res::Vpc)[below(rng, account.pool(Res::Vpc).len())];
        let group =
            &account.pool(Res::SecurityGroup)[skewed(rng, account.pool(Res::SecurityGroup).len())];
        let instance_type = INSTANCE_TYPES[skewed(rng, INSTANCE_TYPES.len())];
        let app = APPS[below(rng, APPS.len())];
        let ip_hash = rng.next_u64();
        raw(
            &mut self.params,
            r#"{"instancesSet":{"items":[{"imageId":""#,
        );
        raw(&mut self.params, &image.name);
        raw(
            &mut self.params,
            r#"","minCount":1,"maxCount":1}]},"instanceType":""#,
        );
        raw(&mut self.params, instance_type);
        raw(
            &mut self.params,
            r#"","blockDeviceMapping":{},"monitoring":{"enabled":false},"disableApiTermination":false,"disableApiStop":false,"clientToken":""#,
        );
        json::uuid(&mut self.params, rng);
        raw(
            &mut self.params,
            r#"","networkInterfaceSet":{"items":[{"deviceIndex":0,"subnetId":""#,
        );
        raw(&mut self.params, &subnet.name);
        raw(
            &mut self.params,
            r#"","associatePublicIpAddress":false,"groupSet":{"items":[{"groupId":""#,
        );
        raw(&mut self.params, &group.name);
        raw(
            &mut self.params,
            r#""}]}}]},"tagSpecificationSet":{"items":[{"resourceType":"instance","tags":[{"key":"Name","value":""#,
        );
        raw(&mut self.params, app);
        raw(
            &mut self.params,
            r#"-worker"}]}]},"metadataOptions":{"httpTokens":"required"}}"#,
        );

        self.ec2_response_start(env);
        raw(&mut self.response, r#","reservationId":"r-0"#);
        random_chars(&mut self.response, rng, HEX, 16);
        raw(&mut self.response, r#"","ownerId":""#);
        raw(&mut self.response, &account.id);
        raw(
            &mut self.response,
            r#"","groupSet":{},"instancesSet":{"items":[{"instanceId":"i-0"#,
        );
        random_chars(&mut self.response, rng, HEX, 16);
        raw(&mut self.response, r#"","imageId":""#);
        raw(&mut self.response, &image.name);
        raw(
            &mut self.response,
            r#"","instanceState":{"code":0,"name":"pending"},"privateDnsName":"ip-"#,
        );
        private_ip(&mut self.response, ip_hash, b'-');
        if env.region == "us-east-1" {
            raw(&mut self.response, ".ec2.internal");
        } else {
            self.response.push(b'.');
            raw(&mut self.response, env.region);
            raw(&mut self.response, ".compute.internal");
        }
        raw(
            &mut self.response,
            r#"","amiLaunchIndex":0,"productCodes":{},"instanceType":""#,
        );
        raw(&mut self.response, instance_type);
        raw(&mut self.response, r#"","launchTime":"#);
        number(&mut self.response, env.time_secs.max(0) as u64 * 1000);
        raw(&mut self.response, r#","placement":{"availabilityZone":""#);
        zone(&mut self.response, rng, env.region);
        raw(
            &mut self.response,
            r#"","tenancy":"default"},"monitoring":{"state":"disabled"},"subnetId":""#,
        );
        raw(&mut self.response, &subnet.name);
        raw(&mut self.response, r#"","vpcId":""#);
        raw(&mut self.response, &vpc.name);
        raw(&mut self.response, r#"","privateIpAddress":""#);
        private_ip(&mut self.response, ip_hash, b'.');
        raw(
            &mut self.response,
            r#"","stateReason":{"code":"pending","message":"pending"},"architecture":""#,
        );
        raw(
            &mut self.response,
            if instance_type.contains('g') {
                "arm64"
            } else {
                "x86_64"
            },
        );
        raw(
            &mut self.response,
            r#"","rootDeviceType":"ebs","rootDeviceName":"/dev/xvda","blockDeviceMapping":{},"virtualizationType":"hvm","hypervisor":"xen","groupSet":{"items":[{"groupId":""#,
        );
        raw(&mut self.response, &group.name);
        raw(
            &mut self.response,
            r#"","groupName":"default"}]},"sourceDestCheck":true,"ebsOptimized":false,"enaSupport":true,"cpuOptions":{"coreCount":1,"threadsPerCore":2},"capacityReservationSpecification":{"capacityReservationPreference":"open"},"enclaveOptions":{"enabled":false},"metadataOptions":{"state":"pending","httpTokens":"required","httpPutResponseHopLimit":2,"httpEndpoint":"enabled","httpProtocolIpv4":"enabled","httpProtocolIpv6":"disabled","instanceMetadataTags":"disabled"},"maintenanceOptions":{"autoRecovery":"default"}}]}}"#,
        );
    }

    pub(super) fn ec2_create_tags(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        self.pick_target(rng, env, Res::Instance);
        let (tag_key, tag_value) = match below(rng, 4) {
            0 => ("Name", APPS[below(rng, APPS.len())]),
            1 => ("Owner", FIRST_NAMES[below(rng, FIRST_NAMES.len())]),
            2 => ("Environment", ENVS[below(rng, ENVS.len())]),
            _ => ("CostCenter", "cc-4410"),
        };
        raw(
            &mut self.params,
            r#"{"resourcesSet":{"items":[{"resourceId":""#,
        );
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#""}]},"tagSet":{"items":[{"key":""#);
        raw(&mut self.params, tag_key);
        raw(&mut self.params, r#"","value":""#);
        raw(&mut self.params, tag_value);
        raw(&mut self.params, r#""}]}}"#);
        self.ec2_response_start(env);
        raw(&mut self.response, r#","_return":true}"#);
    }

    pub(super) fn ec2_create_volume(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let sizes = ["8", "20", "50", "100", "500"];
        let size = sizes[below(rng, sizes.len())];
        let mut az = Vec::new();
        zone(&mut az, rng, env.region);
        let az = String::from_utf8(az).unwrap_or_default();
        raw(&mut self.params, r#"{"size":""#);
        raw(&mut self.params, size);
        raw(&mut self.params, r#"","zone":""#);
        raw(&mut self.params, &az);
        raw(
            &mut self.params,
            r#"","volumeType":"gp3","encrypted":true,"clientToken":""#,
        );
        json::uuid(&mut self.params, rng);
        raw(&mut self.params, r#""}"#);
        self.ec2_response_start(env);
        raw(&mut self.response, r#","volumeId":"vol-0"#);
        random_chars(&mut self.response, rng, HEX, 16);
        raw(&mut self.response, r#"","size":""#);
        raw(&mut self.response, size);
        raw(&mut self.response, r#"","zone":""#);
        raw(&mut self.response, &az);
        raw(&mut self.response, r#"","status":"creating","createTime":"#);
        number(&mut self.response, env.time_secs.max(0) as u64 * 1000);
        raw(
            &mut self.response,
            r#","volumeType":"gp3","iops":3000,"encrypted":true,"masterEncryptionKeyId":""#,
        );
        let key_entry = &env.account.pool(Res::Key)[0];
        write_arn(
            &mut self.response,
            Res::Key,
            env.account,
            env.region,
            key_entry,
        );
        raw(
            &mut self.response,
            r#"","tagSet":{},"multiAttachEnabled":false,"throughput":125}"#,
        );
    }

    pub(super) fn ec2_attach_volume(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let volume =
            &env.account.pool(Res::Volume)[skewed(rng, env.account.pool(Res::Volume).len())];
        self.pick_target(rng, env, Res::Instance);
        raw(&mut self.params, r#"{"volumeId":""#);
        raw(&mut self.params, &volume.name);
        raw(&mut self.params, r#"","instanceId":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#"","device":"/dev/sdf"}"#);
        self.ec2_response_start(env);
        raw(&mut self.response, r#","volumeId":""#);
        raw(&mut self.response, &volume.name);
        raw(&mut self.response, r#"","instanceId":""#);
        self.response.extend_from_slice(&self.target_name);
        raw(
            &mut self.response,
            r#"","device":"/dev/sdf","status":"attaching","attachTime":"#,
        );
        number(&mut self.response, env.time_secs.max(0) as u64 * 1000);
        raw(&mut self.response, r#","deleteOnTermination":false}"#);
    }

    pub(super) fn ec2_return(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        key_name: &str,
        kind: Res,
    ) {
        self.params.push(b'{');
        key(&mut self.params, key_name);
        if key_name == "networkInterfaceId" {
            raw(&mut self.params, r#""eni-0"#);
            random_chars(&mut self.params, rng, HEX, 16);
            self.params.push(b'"');
            if !env.failed && uniform(rng) < 0.5 {
                raw(&mut self.params, r#","secondaryPrivateIpAddressCount":1"#);
            }
        } else {
            self.pick_target(rng, env, kind);
            self.push_target_value(key_name);
        }
        self.params.push(b'}');
        self.ec2_response_start(env);
        raw(&mut self.response, r#","_return":true}"#);
    }

    pub(super) fn ec2_authorize_ingress(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::SecurityGroup);
        let ports = [22u64, 80, 443, 5432, 3306, 6379, 8080];
        let port = ports[below(rng, ports.len())];
        let cidrs = [
            "10.0.0.0/16",
            "0.0.0.0/0",
            "172.16.0.0/12",
            "192.168.0.0/16",
        ];
        let cidr = cidrs[skewed(rng, cidrs.len())];
        raw(&mut self.params, r#"{"groupId":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(
            &mut self.params,
            r#"","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":"#,
        );
        number(&mut self.params, port);
        raw(&mut self.params, r#","toPort":"#);
        number(&mut self.params, port);
        raw(
            &mut self.params,
            r#","groups":{},"ipRanges":{"items":[{"cidrIp":""#,
        );
        raw(&mut self.params, cidr);
        raw(
            &mut self.params,
            r#""}]},"ipv6Ranges":{},"prefixListIds":{}}]}}"#,
        );
        self.ec2_response_start(env);
        raw(
            &mut self.response,
            r#","_return":true,"securityGroupRuleSet":{"items":[{"groupOwnerId":""#,
        );
        raw(&mut self.response, &env.account.id);
        raw(&mut self.response, r#"","groupId":""#);
        self.response.extend_from_slice(&self.target_name);
        raw(&mut self.response, r#"","securityGroupRuleId":"sgr-0"#);
        random_chars(&mut self.response, rng, HEX, 16);
        raw(
            &mut self.response,
            r#"","isEgress":false,"ipProtocol":"tcp","fromPort":"#,
        );
        number(&mut self.response, port);
        raw(&mut self.response, r#","toPort":"#);
        number(&mut self.response, port);
        raw(&mut self.response, r#","cidrIpv4":""#);
        raw(&mut self.response, cidr);
        raw(&mut self.response, r#""}]}}"#);
    }

    pub(super) fn ec2_create_network_interface(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let account = env.account;
        let subnet = &account.pool(Res::Subnet)[below(rng, account.pool(Res::Subnet).len())];
        let vpc = &account.pool(Res::Vpc)[below(rng, account.pool(Res::Vpc).len())];
        let group =
            &account.pool(Res::SecurityGroup)[skewed(rng, account.pool(Res::SecurityGroup).len())];
        let function = &account.pool(Res::Function)[skewed(rng, account.pool(Res::Function).len())];
        let ip_hash = rng.next_u64();
        let mut description = Vec::new();
        raw(&mut description, "AWS Lambda VPC ENI-");
        escaped(&mut description, &function.name);
        raw(&mut self.params, r#"{"subnetId":""#);
        raw(&mut self.params, &subnet.name);
        raw(&mut self.params, r#"","description":""#);
        self.params.extend_from_slice(&description);
        raw(&mut self.params, r#"","groupSet":{"items":[{"groupId":""#);
        raw(&mut self.params, &group.name);
        raw(
            &mut self.params,
            r#""}]},"privateIpAddressesSet":{},"ipv6AddressCount":0,"clientToken":""#,
        );
        json::uuid(&mut self.params, rng);
        raw(&mut self.params, r#""}"#);
        self.ec2_response_start(env);
        raw(
            &mut self.response,
            r#","networkInterface":{"networkInterfaceId":"eni-0"#,
        );
        random_chars(&mut self.response, rng, HEX, 16);
        raw(&mut self.response, r#"","subnetId":""#);
        raw(&mut self.response, &subnet.name);
        raw(&mut self.response, r#"","vpcId":""#);
        raw(&mut self.response, &vpc.name);
        raw(&mut self.response, r#"","availabilityZone":""#);
        zone(&mut self.response, rng, env.region);
        raw(&mut self.response, r#"","description":""#);
        self.response.extend_from_slice(&description);
        raw(&mut self.response, r#"","ownerId":""#);
        raw(&mut self.response, &account.id);
        raw(
            &mut self.response,
            r#"","requesterManaged":false,"status":"pending","macAddress":"0e:"#,
        );
        for index in 0..5 {
            random_chars(&mut self.response, rng, HEX, 2);
            if index < 4 {
                self.response.push(b':');
            }
        }
        raw(&mut self.response, r#"","privateIpAddress":""#);
        private_ip(&mut self.response, ip_hash, b'.');
        raw(
            &mut self.response,
            r#"","sourceDestCheck":true,"interfaceType":"lambda","groupSet":{"items":[{"groupId":""#,
        );
        raw(&mut self.response, &group.name);
        raw(
            &mut self.response,
            r#"","groupName":"default"}]},"privateIpAddressesSet":{"item":[{"privateIpAddress":""#,
        );
        private_ip(&mut self.response, ip_hash, b'.');
        raw(
            &mut self.response,
            r#"","primary":true}]},"ipv6AddressesSet":{},"tagSet":{}}}"#,
        );
    }

    pub(super) fn ec2_create_snapshot(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Volume);
        raw(&mut self.params, r#"{"volumeId":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(
            &mut self.params,
            r#"","description":"Created by AWS Backup"}"#,
        );
        self.ec2_response_start(env);
        raw(&mut self.response, r#","snapshotId":"snap-0"#);
        random_chars(&mut self.response, rng, HEX, 16);
        raw(&mut self.response, r#"","volumeId":""#);
        self.response.extend_from_slice(&self.target_name);
        raw(&mut self.response, r#"","status":"pending","startTime":"#);
        number(&mut self.response, env.time_secs.max(0) as u64 * 1000);
        raw(&mut self.response, r#","progress":"","ownerId":""#);
        raw(&mut self.response, &env.account.id);
        raw(
            &mut self.response,
            r#"","volumeSize":100,"encrypted":true}"#,
        );
    }

    pub(super) fn instance_ip_hash(&self) -> u64 {
        name_hash(std::str::from_utf8(&self.target_name).unwrap_or_default())
    }

    pub(super) fn ssm_update_instance_information(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Instance);
        let ip_hash = self.instance_ip_hash();
        raw(&mut self.params, r#"{"instanceId":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(
            &mut self.params,
            r#"","agentVersion":"3.3.40.0","agentStatus":"Active","platformType":"Linux","platformName":"Amazon Linux","platformVersion":"2023","iPAddress":""#,
        );
        private_ip(&mut self.params, ip_hash, b'.');
        raw(&mut self.params, r#"","computerName":"ip-"#);
        private_ip(&mut self.params, ip_hash, b'-');
        if env.region == "us-east-1" {
            raw(&mut self.params, ".ec2.internal");
        } else {
            self.params.push(b'.');
            raw(&mut self.params, env.region);
            raw(&mut self.params, ".compute.internal");
        }
        raw(
            &mut self.params,
            r#"","agentName":"amazon-ssm-agent","availabilityZone":""#,
        );
        raw(&mut self.params, env.region);
        self.params.push(b"abc"[(ip_hash % 3) as usize]);
        raw(
            &mut self.params,
            r#"","sSMConnectionChannel":"ssmmessages"}"#,
        );
    }

    pub(super) fn ssm_instance(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        extra: &str,
    ) {
        self.pick_target(rng, env, Res::Instance);
        if extra.is_empty() {
            raw(
                &mut self.params,
                r#"{"filters":[{"key":"InstanceIds","values":[""#,
            );
            self.params.extend_from_slice(&self.target_name);
            raw(&mut self.params, r#""]}]}"#);
        } else {
            raw(&mut self.params, r#"{"instanceId":""#);
            self.params.extend_from_slice(&self.target_name);
            self.params.push(b'"');
            raw(&mut self.params, extra);
            self.params.push(b'}');
        }
    }

    pub(super) fn ssm_get_parameter(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Parameter);
        raw(&mut self.params, r#"{"name":""#);
        self.params.extend_from_slice(&self.target_name);
        self.params.push(b'"');
        if chance(rng, 0.6) {
            raw(&mut self.params, r#","withDecryption":true"#);
        }
        self.params.push(b'}');
        self.not_found = Some(("ParameterNotFound", None));
    }

    pub(super) fn ssm_get_parameters(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let pool = env.account.pool(Res::Parameter);
        raw(&mut self.params, r#"{"names":["#);
        for index in 0..1 + below(rng, 3) {
            if index > 0 {
                self.params.push(b',');
            }
            string(&mut self.params, &pool[skewed(rng, pool.len())].name);
        }
        raw(&mut self.params, r#"],"withDecryption":true}"#);
    }

    pub(super) fn ssm_get_parameters_by_path(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        let pool = env.account.pool(Res::Parameter);
        let name = &pool[skewed(rng, pool.len())].name;
        let path_end = name
            .match_indices('/')
            .nth(2)
            .map_or(name.len(), |(position, _)| position + 1);
        raw(&mut self.params, r#"{"path":""#);
        escaped(&mut self.params, &name[..path_end]);
        raw(
            &mut self.params,
            r#"","recursive":true,"withDecryption":true}"#,
        );
    }

    pub(super) fn ssm_put_parameter(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Parameter);
        raw(&mut self.params, r#"{"name":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(
            &mut self.params,
            r#"","type":"SecureString","overwrite":true,"tier":"Standard","keyId":"alias/aws/ssm"}"#,
        );
        raw(&mut self.response, r#"{"version":"#);
        number(&mut self.response, 1 + below(rng, 40) as u64);
        raw(&mut self.response, r#","tier":"Standard"}"#);
    }

    pub(super) fn ssm_send_command(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Instance);
        raw(&mut self.params, r#"{"instanceIds":[""#);
        self.params.extend_from_slice(&self.target_name);
        raw(
            &mut self.params,
            r#""],"documentName":"AWS-RunShellScript","parameters":"HIDDEN_DUE_TO_SECURITY_REASONS","interactive":false,"timeoutSeconds":600}"#,
        );
        raw(&mut self.response, r#"{"command":{"commandId":""#);
        json::uuid(&mut self.response, rng);
        raw(
            &mut self.response,
            r#"","documentName":"AWS-RunShellScript","documentVersion":"$DEFAULT","comment":"","expiresAfter":""#,
        );
        aws_date(&mut self.response, env.time_secs + 7200);
        raw(
            &mut self.response,
            r#"","parameters":"HIDDEN_DUE_TO_SECURITY_REASONS","instanceIds":[""#,
        );
        self.response.extend_from_slice(&self.target_name);
        raw(
            &mut self.response,
            r#""],"targets":[],"requestedDateTime":""#,
        );
        aws_date(&mut self.response, env.time_secs);
        raw(
            &mut self.response,
            r#"","status":"Pending","statusDetails":"Pending","outputS3Region":""#,
        );
        raw(&mut self.response, env.region);
        raw(
            &mut self.response,
            r#"","outputS3BucketName":"","outputS3KeyPrefix":"","maxConcurrency":"50","maxErrors":"0","targetCount":1,"completedCount":0,"errorCount":0,"deliveryTimedOutCount":0,"serviceRole":"","notificationConfig":{"notificationArn":"","notificationEvents":[],"notificationType":""},"cloudWatchOutputConfig":{"cloudWatchLogGroupName":"","cloudWatchOutputEnabled":false},"timeoutSeconds":600,"alarmConfiguration":{"ignorePollAlarmFailure":false,"alarms":[]},"triggeredAlarms":[]}}"#,
        );
    }

    pub(super) fn ssm_start_session(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
    ) {
        self.pick_target(rng, env, Res::Instance);
        raw(&mut self.params, r#"{"target":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#""}"#);
        self.name.clear();
        let caller = if env.principal.name.is_empty() {
            "session"
        } else {
            &env.principal.name
        };
        for byte in caller.bytes().take(32) {
            self.name.push(
                if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.' {
                    byte
                } else {
                    b'-'
                },
            );
        }
        raw(&mut self.name, "-0");
        random_chars(&mut self.name, rng, HEX, 16);
        raw(&mut self.response, r#"{"sessionId":""#);
        self.response.extend_from_slice(&self.name);
        raw(
            &mut self.response,
            r#"","tokenValue":"Value hidden due to security reasons.","streamUrl":"wss://ssmmessages."#,
        );
        raw(&mut self.response, env.region);
        raw(&mut self.response, ".amazonaws.com/v1/data-channel/");
        self.response.extend_from_slice(&self.name);
        raw(
            &mut self.response,
            r#"?role=publish_subscribe&cell-number=AAEAAQ"}"#,
        );
    }

    pub(super) fn eks_nodegroup(
        &mut self,
        rng: &mut (impl RngCore + ?Sized),
        env: &CallEnv<'_>,
        extra: &str,
    ) {
        self.pick_target(rng, env, Res::EksCluster);
        raw(&mut self.params, r#"{"name":""#);
        self.params.extend_from_slice(&self.target_name);
        raw(&mut self.params, r#"","nodegroupName":"ng-"#);
        raw(
            &mut self.params,
            ["general", "spot", "gpu", "system"][skewed(rng, 4)],
        );
        self.params.push(b'"');
        raw(&mut self.params, extra);
        self.params.push(b'}');
        if !extra.is_empty() {
            raw(&mut self.response, r#"{"update":{"id":""#);
            json::uuid(&mut self.response, rng);
            raw(
                &mut self.response,
                r#"","status":"InProgress","type":"ConfigUpdate","params":[{"type":"MinSize","value":"2"},{"type":"MaxSize","value":"12"},{"type":"DesiredSize","value":"4"}],"createdAt":""#,
            );
            aws_date(&mut self.response, env.time_secs);
            raw(&mut self.response, r#"","errors":[]}}"#);
        }
    }

    pub(super) fn elb_targets(&mut self, rng: &mut (impl RngCore + ?Sized), env: &CallEnv<'_>) {
        self.pick_target(rng, env, Res::TargetGroup);
        raw(&mut self.params, r#"{"targetGroupArn":""#);
        self.params.extend_from_slice(&self.target_arn);
        raw(&mut self.params, r#"","targets":[{"id":""#);
        if chance(rng, 0.5) {
            let instance = &env.account.pool(Res::Instance)
                [skewed(rng, env.account.pool(Res::Instance).len())];
            raw(&mut self.params, &instance.name);
        } else {
            private_ip(&mut self.params, rng.next_u64() % 512, b'.');
        }
        raw(&mut self.params, r#"","port":8080}]}"#);
    }
}
