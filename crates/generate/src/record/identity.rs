//! `userIdentity`: one writer per identity type, with sessions derived from the seed.

use super::*;

impl RecordWriter<'_> {
    pub(super) fn session(
        &self,
        principal_index: usize,
        principal: &Principal,
        time_secs: i64,
    ) -> Session {
        let period = principal.session_secs.max(60);
        let shifted = time_secs + principal.session_phase;
        let index = shifted.div_euclid(period);
        Session {
            start_secs: index * period - principal.session_phase,
            hash: mix3(self.plan.seed, principal_index as u64, index as u64),
        }
    }

    pub(super) fn write_session_name(&mut self, principal: &Principal, session: Session) {
        self.session_name.clear();
        match &principal.session {
            SessionName::Fixed(name) => escaped(&mut self.session_name, name),
            SessionName::Botocore => {
                raw(&mut self.session_name, "botocore-session-");
                number(&mut self.session_name, session.start_secs.max(0) as u64);
            }
            SessionName::GoSdk => {
                raw(&mut self.session_name, "aws-go-sdk-");
                number(&mut self.session_name, session.start_secs.max(0) as u64);
                json::padded(&mut self.session_name, session.hash % 1_000_000_000, 9);
            }
            SessionName::TaskId => hashed_hex(&mut self.session_name, session.hash, 32),
        }
    }

    pub(super) fn temporary_key(out: &mut Vec<u8>, account: &Account, session: Session) {
        raw(out, "ASIA");
        raw(out, &account.code);
        let mut bits = session.hash;
        for _ in 0..8 {
            out.push(IAM_ALPHABET[(bits & 31) as usize]);
            bits >>= 5;
        }
    }

    pub(super) fn session_attributes(out: &mut Vec<u8>, session: Session, mfa: bool) {
        raw(out, "\"attributes\":{\"creationDate\":\"");
        iso_time(out, session.start_secs);
        raw(out, "\",\"mfaAuthenticated\":\"");
        raw(out, if mfa { "true" } else { "false" });
        raw(out, "\"}");
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "all parts of one call, passed to keep the hot path free of allocation"
    )]
    pub(super) fn write_identity(
        &mut self,
        out: &mut Vec<u8>,
        principal_index: usize,
        principal: &Principal,
        account: &Account,
        op: &Operation,
        time_secs: i64,
        console: bool,
        signin: bool,
    ) {
        self.caller_arn.clear();
        let account_id = account.id.as_str();
        match &principal.identity {
            IdentityKind::IamUser => {
                raw(&mut self.caller_arn, "arn:aws:iam::");
                raw(&mut self.caller_arn, account_id);
                raw(&mut self.caller_arn, ":user/");
                escaped(&mut self.caller_arn, &principal.name);
                raw(out, "{\"type\":\"IAMUser\",\"principalId\":\"");
                raw(out, &principal.unique_id);
                raw(out, "\",\"arn\":\"");
                out.extend_from_slice(&self.caller_arn);
                raw(out, "\",\"accountId\":\"");
                raw(out, account_id);
                out.push(b'"');
                if signin {
                    raw(out, ",\"userName\":");
                    json::string(out, &principal.name);
                } else if console {
                    let session = self.session(principal_index, principal, time_secs);
                    raw(out, ",\"accessKeyId\":\"");
                    Self::temporary_key(out, account, session);
                    raw(out, "\",\"userName\":");
                    json::string(out, &principal.name);
                    raw(
                        out,
                        ",\"sessionContext\":{\"sessionIssuer\":{},\"webIdFederationData\":{},",
                    );
                    Self::session_attributes(out, session, principal.mfa);
                    out.push(b'}');
                } else {
                    raw(out, ",\"accessKeyId\":\"");
                    raw(out, &principal.access_key);
                    raw(out, "\",\"userName\":");
                    json::string(out, &principal.name);
                }
                out.push(b'}');
            }
            IdentityKind::AssumedRole => {
                let session = self.session(principal_index, principal, time_secs);
                self.write_session_name(principal, session);
                raw(&mut self.caller_arn, "arn:aws:sts::");
                raw(&mut self.caller_arn, account_id);
                raw(&mut self.caller_arn, ":assumed-role/");
                escaped(&mut self.caller_arn, &principal.name);
                self.caller_arn.push(b'/');
                self.caller_arn.extend_from_slice(&self.session_name);
                raw(out, "{\"type\":\"AssumedRole\",\"principalId\":\"");
                raw(out, &principal.unique_id);
                out.push(b':');
                out.extend_from_slice(&self.session_name);
                raw(out, "\",\"arn\":\"");
                out.extend_from_slice(&self.caller_arn);
                raw(out, "\",\"accountId\":\"");
                raw(out, account_id);
                out.push(b'"');
                if principal.invoked_by.is_none() && !signin {
                    raw(out, ",\"accessKeyId\":\"");
                    Self::temporary_key(out, account, session);
                    out.push(b'"');
                }
                raw(
                    out,
                    ",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"",
                );
                raw(out, &principal.unique_id);
                raw(out, "\",\"arn\":\"arn:aws:iam::");
                raw(out, account_id);
                raw(out, ":role");
                escaped(out, &principal.role_path);
                escaped(out, &principal.name);
                raw(out, "\",\"accountId\":\"");
                raw(out, account_id);
                raw(out, "\",\"userName\":");
                json::string(out, &principal.name);
                raw(out, "},\"webIdFederationData\":");
                match &principal.web_federation {
                    Some(provider) => {
                        raw(out, "{\"federatedProvider\":");
                        json::string(out, provider);
                        raw(out, ",\"attributes\":{}}");
                    }
                    None => raw(out, "{}"),
                }
                out.push(b',');
                Self::session_attributes(out, session, principal.mfa);
                if principal.ec2_delivery {
                    raw(out, ",\"ec2RoleDelivery\":\"2.0\"");
                }
                out.push(b'}');
                if let Some(service) = principal.invoked_by {
                    raw(out, ",\"invokedBy\":\"");
                    raw(out, service);
                    out.push(b'"');
                }
                out.push(b'}');
            }
            IdentityKind::Root => {
                raw(&mut self.caller_arn, "arn:aws:iam::");
                raw(&mut self.caller_arn, account_id);
                raw(&mut self.caller_arn, ":root");
                raw(out, "{\"type\":\"Root\",\"principalId\":\"");
                raw(out, account_id);
                raw(out, "\",\"arn\":\"");
                out.extend_from_slice(&self.caller_arn);
                raw(out, "\",\"accountId\":\"");
                raw(out, account_id);
                raw(out, "\",\"accessKeyId\":\"");
                if !signin {
                    let session = self.session(principal_index, principal, time_secs);
                    Self::temporary_key(out, account, session);
                    raw(
                        out,
                        "\",\"sessionContext\":{\"sessionIssuer\":{},\"webIdFederationData\":{},",
                    );
                    Self::session_attributes(out, session, principal.mfa);
                    out.push(b'}');
                } else {
                    out.push(b'"');
                }
                out.push(b'}');
            }
            IdentityKind::AwsService => {
                raw(out, "{\"type\":\"AWSService\",\"invokedBy\":\"");
                raw(out, principal.invoked_by.unwrap_or("AWS Internal"));
                raw(out, "\"}");
            }
            IdentityKind::FederatedUser {
                issuer_name,
                issuer_id,
            } => {
                let session = self.session(principal_index, principal, time_secs);
                raw(&mut self.caller_arn, "arn:aws:sts::");
                raw(&mut self.caller_arn, account_id);
                raw(&mut self.caller_arn, ":federated-user/");
                escaped(&mut self.caller_arn, &principal.name);
                raw(out, "{\"type\":\"FederatedUser\",\"principalId\":\"");
                raw(out, account_id);
                out.push(b':');
                escaped(out, &principal.name);
                raw(out, "\",\"arn\":\"");
                out.extend_from_slice(&self.caller_arn);
                raw(out, "\",\"accountId\":\"");
                raw(out, account_id);
                raw(out, "\",\"accessKeyId\":\"");
                Self::temporary_key(out, account, session);
                raw(
                    out,
                    "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"IAMUser\",\"principalId\":\"",
                );
                raw(out, issuer_id);
                raw(out, "\",\"arn\":\"arn:aws:iam::");
                raw(out, account_id);
                raw(out, ":user/");
                escaped(out, issuer_name);
                raw(out, "\",\"accountId\":\"");
                raw(out, account_id);
                raw(out, "\",\"userName\":");
                json::string(out, issuer_name);
                raw(out, "},\"webIdFederationData\":{},");
                Self::session_attributes(out, session, principal.mfa);
                raw(out, "}}");
            }
            IdentityKind::SamlUser | IdentityKind::WebIdentityUser => {
                let type_name = if matches!(principal.identity, IdentityKind::SamlUser) {
                    "SAMLUser"
                } else {
                    "WebIdentityUser"
                };
                raw(out, "{\"type\":\"");
                raw(out, type_name);
                raw(out, "\",\"principalId\":");
                json::string(out, &principal.federated_principal_id);
                raw(out, ",\"userName\":");
                json::string(out, &principal.name);
                raw(out, ",\"identityProvider\":");
                json::string(out, &principal.provider);
                out.push(b'}');
            }
            IdentityKind::IdentityCenterUser {
                user_id,
                credential_id,
            } => {
                raw(out, "{\"type\":\"IdentityCenterUser\",\"accountId\":\"");
                raw(out, account_id);
                raw(out, "\",\"onBehalfOf\":{\"userId\":\"");
                raw(out, user_id);
                raw(out, "\",\"identityStoreArn\":\"arn:aws:identitystore::");
                raw(out, account_id);
                raw(out, ":identitystore/");
                raw(out, &account.identity_store);
                raw(out, "\"},\"credentialId\":\"");
                raw(out, credential_id);
                raw(out, "\"}");
            }
            IdentityKind::ServiceEvents => {
                raw(out, "{\"accountId\":\"");
                raw(out, account_id);
                raw(out, "\",\"invokedBy\":\"");
                raw(
                    out,
                    service_invoker(principal, op).unwrap_or("AWS Internal"),
                );
                raw(out, "\"}");
            }
        }
    }
}
