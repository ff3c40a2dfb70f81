//! Writing one CloudTrail record as compact JSON, in CloudTrail's member order
//! (`spec/events-and-queries.md` §1.1 "Field order").

mod failure;
mod identity;

use rand::RngCore;

use crate::catalog::{Kind, RequestIdStyle};
use crate::json::{self, IAM_ALPHABET, UPPER_ALNUM, escaped, iso_time, number, raw};
use crate::params::{CallEnv, Scratch, hashed_hex};
use crate::plan::{Operation, Plan};
use crate::random::{below, chance, mix, mix3, uniform};
use crate::world::{Account, Agent, IdentityKind, Principal, SessionName};

/// Stream tag of the throttling clumps.
const THROTTLE_STREAM: u64 = 0x7448_524F_5454_4C45;

/// One call to write.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call {
    pub principal: usize,
    pub op: usize,
    pub region: usize,
    pub time_ms: i64,
    /// Index of the burst that added this call, if any.
    pub burst: Option<usize>,
}

/// Why a call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure<'a> {
    None,
    Throttled,
    Denied,
    NotFound,
    Invalid,
    /// A failed console sign-in (`Failed authentication`, no `errorCode`).
    SignIn,
    /// The code a burst asks for.
    Code(&'a str),
}

/// Writes records; keeps scratch buffers between records.
#[derive(Debug)]
pub(crate) struct RecordWriter<'p> {
    plan: &'p Plan,
    scratch: Scratch,
    caller_arn: Vec<u8>,
    request_id: Vec<u8>,
    session_name: Vec<u8>,
}

/// The session of a principal at some instant: when it started and a hash naming it.
#[derive(Debug, Clone, Copy)]
struct Session {
    start_secs: i64,
    hash: u64,
}

impl<'p> RecordWriter<'p> {
    /// A writer for the calls of `plan`.
    pub(crate) fn new(plan: &'p Plan) -> RecordWriter<'p> {
        RecordWriter {
            plan,
            scratch: Scratch::default(),
            caller_arn: Vec::with_capacity(128),
            request_id: Vec::with_capacity(40),
            session_name: Vec::with_capacity(64),
        }
    }

    /// Appends the record of `call` to `out`.
    pub(crate) fn write(
        &mut self,
        out: &mut Vec<u8>,
        rng: &mut (impl RngCore + ?Sized),
        call: &Call,
    ) {
        let plan = self.plan;
        let principal = &plan.world.principals[call.principal];
        let account = &plan.world.accounts[principal.account];
        let op = &plan.ops[call.op];
        let region = plan.regions[call.region].as_str();
        let time_secs = call.time_ms.div_euclid(1000);
        let signin = op.kind == Kind::SignIn;
        let service_identity = matches!(principal.identity, IdentityKind::ServiceEvents);
        let console =
            signin || (principal.console_share > 0.0 && chance(rng, principal.console_share));
        let via_endpoint = principal.in_vpc && op.vpc_endpoint && chance(rng, 0.2);

        let failure = match call.burst {
            Some(burst) => match plan.bursts[burst].error_code.as_deref() {
                Some(code) => Failure::Code(code),
                None => Failure::None,
            },
            None => self.decide_failure(
                rng,
                call.principal,
                principal,
                op,
                time_secs,
                signin || service_identity,
            ),
        };
        let failure = match failure {
            Failure::Throttled | Failure::Denied | Failure::NotFound | Failure::Invalid
                if signin =>
            {
                Failure::SignIn
            }
            other => other,
        };
        let failed = failure != Failure::None;

        self.request_id.clear();
        match op.request_id {
            RequestIdStyle::Uuid => json::uuid(&mut self.request_id, rng),
            RequestIdStyle::S3 => json::random_chars(&mut self.request_id, rng, UPPER_ALNUM, 16),
            RequestIdStyle::Absent => {}
        }

        self.scratch.clear();
        let env = CallEnv {
            world: &plan.world,
            account,
            region,
            principal,
            time_secs,
            request_id: &self.request_id,
            failed,
        };
        self.scratch.write_shape(rng, &env, op);

        out.extend_from_slice(b"{\"eventVersion\":\"");
        raw(out, op.version);
        raw(out, "\",\"userIdentity\":");
        self.write_identity(
            out,
            call.principal,
            principal,
            account,
            op,
            time_secs,
            console,
            signin,
        );
        raw(out, ",\"eventTime\":\"");
        iso_time(out, time_secs);
        raw(out, "\",\"eventSource\":");
        json::string(out, &op.source);
        raw(out, ",\"eventName\":");
        json::string(out, &op.name);
        raw(out, ",\"awsRegion\":\"");
        raw(out, region);
        raw(out, "\",\"sourceIPAddress\":\"");
        let service_name = service_invoker(principal, op);
        if let Some(service) = service_name {
            raw(out, service);
        } else if via_endpoint {
            let bytes = mix(plan.seed, call.principal as u64).to_be_bytes();
            raw(out, "10.");
            number(out, u64::from(bytes[0] % 32));
            out.push(b'.');
            number(out, u64::from(bytes[1]));
            out.push(b'.');
            number(out, u64::from(bytes[2].max(4)));
        } else {
            let ips = &principal.ips;
            let index = if ips.len() > 1 && !chance(rng, 0.7) {
                below(rng, ips.len())
            } else {
                0
            };
            escaped(out, &ips[index]);
        }
        raw(out, "\",\"userAgent\":\"");
        if let Some(service) = service_name {
            raw(out, service);
        } else if signin {
            raw(out, principal.browser);
        } else if console {
            raw(
                out,
                if chance(rng, 0.6) {
                    "AWS Internal"
                } else {
                    principal.browser
                },
            );
        } else {
            let agents = &principal.agents;
            let index = if agents.len() > 1 && !chance(rng, 0.6) {
                below(rng, agents.len())
            } else {
                0
            };
            match agents[index] {
                Agent::Static(text) => escaped(out, text),
                Agent::Cli(prefix) => {
                    raw(out, prefix);
                    escaped(out, &op.cli);
                }
            }
        }
        out.push(b'"');

        self.write_failure(out, failure, principal, account, op, region);

        raw(out, ",\"requestParameters\":");
        out.extend_from_slice(&self.scratch.params);
        raw(out, ",\"responseElements\":");
        if (!failed || signin) && !self.scratch.response.is_empty() {
            out.extend_from_slice(&self.scratch.response);
        } else {
            raw(out, "null");
        }
        if !self.scratch.extra.is_empty() {
            raw(out, ",\"additionalEventData\":");
            out.extend_from_slice(&self.scratch.extra);
        }
        if !self.request_id.is_empty() {
            raw(out, ",\"requestID\":\"");
            out.extend_from_slice(&self.request_id);
            out.push(b'"');
        }
        raw(out, ",\"eventID\":\"");
        json::uuid(out, rng);
        raw(out, "\",\"readOnly\":");
        raw(
            out,
            if op.read_only && !signin {
                "true"
            } else {
                "false"
            },
        );
        if !self.scratch.resources.is_empty() {
            raw(out, ",\"resources\":[");
            out.extend_from_slice(&self.scratch.resources);
            out.push(b']');
        }
        raw(out, ",\"eventType\":\"");
        raw(
            out,
            match op.kind {
                Kind::SignIn => "AwsConsoleSignIn",
                Kind::ServiceEvent => "AwsServiceEvent",
                Kind::Management | Kind::Data => "AwsApiCall",
            },
        );
        out.push(b'"');
        if let Some(version) = op.api_version {
            raw(out, ",\"apiVersion\":\"");
            raw(out, version);
            out.push(b'"');
        }
        raw(out, ",\"managementEvent\":");
        raw(
            out,
            if op.kind == Kind::Data {
                "false"
            } else {
                "true"
            },
        );
        raw(out, ",\"recipientAccountId\":\"");
        raw(out, &account.id);
        out.push(b'"');
        if !self.scratch.details.is_empty() {
            raw(out, ",\"serviceEventDetails\":");
            out.extend_from_slice(&self.scratch.details);
        }
        let shared = self.scratch.shared_event
            || (matches!(principal.identity, IdentityKind::AwsService)
                && op.source == "s3.amazonaws.com");
        if shared {
            raw(out, ",\"sharedEventID\":\"");
            json::uuid(out, rng);
            out.push(b'"');
        }
        if via_endpoint {
            let endpoint = &account.vpc_endpoints[(mix(plan.seed, call.principal as u64)
                % account.vpc_endpoints.len() as u64)
                as usize];
            raw(out, ",\"vpcEndpointId\":\"");
            raw(out, endpoint);
            out.push(b'"');
            if op.version >= "1.09" {
                raw(out, ",\"vpcEndpointAccountId\":\"");
                raw(out, &account.id);
                out.push(b'"');
            }
        }
        raw(out, ",\"eventCategory\":\"");
        raw(
            out,
            if op.kind == Kind::Data {
                "Data"
            } else {
                "Management"
            },
        );
        out.push(b'"');
        if console && !signin {
            raw(out, ",\"sessionCredentialFromConsole\":\"true\"");
        }
        let tls = service_name.is_none() && (!console || signin);
        if tls {
            raw(out, ",\"tlsDetails\":{\"tlsVersion\":\"");
            if principal.tls13 {
                raw(out, "TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256");
            } else {
                raw(
                    out,
                    "TLSv1.2\",\"cipherSuite\":\"ECDHE-RSA-AES128-GCM-SHA256",
                );
            }
            raw(out, "\",\"clientProvidedHostHeader\":\"");
            if self.scratch.host.is_empty() {
                raw(out, &op.hosts[call.region]);
            } else {
                out.extend_from_slice(&self.scratch.host);
            }
            raw(out, "\"}");
        }
        out.push(b'}');
    }

    fn decide_failure(
        &self,
        rng: &mut (impl RngCore + ?Sized),
        principal_index: usize,
        principal: &Principal,
        op: &Operation,
        time_secs: i64,
        exempt_from_throttling: bool,
    ) -> Failure<'static> {
        if matches!(principal.identity, IdentityKind::ServiceEvents)
            || op.kind == Kind::ServiceEvent
        {
            return Failure::None;
        }
        let plan = self.plan;
        let throttle = if exempt_from_throttling {
            0.0
        } else {
            // Throttling comes in clumps: in about one minute in fifty a principal pushes
            // its limits and is throttled twenty times as often; the mean stays at 1.
            let minute = time_secs.div_euclid(60) as u64;
            let hot = mix3(plan.seed ^ THROTTLE_STREAM, principal_index as u64, minute)
                .is_multiple_of(50);
            let clump = if hot { 20.0 } else { 0.6 };
            plan.throttle_fraction * principal.throttle_factor * plan.throttle_scale * clump
        };
        let error =
            plan.error_fraction * principal.error_factor * plan.error_scale * op.error_boost;
        let draw = uniform(rng);
        let throttle = throttle.min(0.5);
        if draw < throttle {
            return Failure::Throttled;
        }
        if draw >= throttle + error.min(0.9) {
            return Failure::None;
        }
        let kind = uniform(rng);
        if op.error_boost > 1.0 || (0.45..0.9).contains(&kind) {
            Failure::NotFound
        } else if kind < 0.45 {
            Failure::Denied
        } else {
            Failure::Invalid
        }
    }
}

/// The service name a call appears to come from, when a service made it.
fn service_invoker(principal: &Principal, op: &Operation) -> Option<&'static str> {
    if let Some(service) = principal.invoked_by {
        return Some(service);
    }
    if matches!(principal.identity, IdentityKind::ServiceEvents) {
        return Some(match op.source.as_str() {
            "secretsmanager.amazonaws.com" => "secretsmanager.amazonaws.com",
            _ => "AWS Internal",
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::config::GenerateConfig;

    #[test]
    fn every_operation_writes_valid_json_for_every_identity() {
        let config = GenerateConfig {
            principals: 40,
            ..GenerateConfig::default()
        };
        let plan = Plan::new(&config).unwrap();
        let mut writer = RecordWriter::new(&plan);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut out = Vec::new();
        for op in 0..plan.ops.len() {
            for principal in 0..plan.world.principals.len() {
                for round in 0..3 {
                    let call = Call {
                        principal,
                        op,
                        region: (principal + round) % plan.regions.len(),
                        time_ms: config.start.as_millis() + 3_600_000 * round as i64,
                        burst: None,
                    };
                    out.clear();
                    writer.write(&mut out, &mut rng, &call);
                    let value: serde_json::Value =
                        serde_json::from_slice(&out).unwrap_or_else(|error| {
                            panic!(
                                "{}: {error}\n{}",
                                plan.ops[op].name,
                                String::from_utf8_lossy(&out)
                            )
                        });
                    assert!(value.is_object());
                }
            }
        }
    }

    #[test]
    fn temporary_keys_are_stable_within_a_session() {
        let plan = Plan::new(&GenerateConfig::default()).unwrap();
        let writer = RecordWriter::new(&plan);
        let (index, principal) = plan
            .world
            .principals
            .iter()
            .enumerate()
            .find(|(_, principal)| matches!(principal.identity, IdentityKind::AssumedRole))
            .unwrap();
        let at = |secs: i64| writer.session(index, principal, secs);
        let base = 1_772_409_600 - principal.session_phase + principal.session_secs;
        assert_eq!(at(base).hash, at(base + 10).hash);
        assert_ne!(at(base).hash, at(base + principal.session_secs).hash);
        assert!(at(base + 5).start_secs <= base + 5);
    }
}
