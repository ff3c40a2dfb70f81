//! Console sessions: sign-in with an access key and its secret, the signed session
//! cookie, CSRF tokens, sign-out and expiry, and the `ConsoleLogin` record of every
//! sign-in.
//!
//! A session lives in this process's memory only: a restart signs everyone out, and a
//! signed-out session can never come back. The cookie holds a random session id and an
//! HMAC of it under a key drawn at start, so a forged or altered cookie is refused
//! before the table is even consulted. Every form carries a CSRF token, an HMAC of the
//! session id under the same key; the sign-in form (before any session) carries one
//! bound to a random pre-session cookie instead.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use hmac::{Hmac, KeyInit, Mac};
use opentrail_event::{Event, Record, RecordLimits, UserIdentity, ValidationError};
use opentrail_types::{IdGenerator, Timestamp};
use serde_json::value::RawValue;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::audit::{Caller, HIDDEN};
use crate::principals::{KeyRegistry, Principal};

/// The session cookie.
pub(crate) const SESSION_COOKIE: &str = "ot_session";
/// The pre-session cookie the sign-in form's CSRF token is bound to.
pub(crate) const SIGNIN_COOKIE: &str = "ot_signin";
/// `eventSource` of sign-in records.
pub(crate) const SIGNIN_SOURCE: &str = "signin.amazonaws.com";
/// Most sessions held at once; signing in past it drops the ones closest to expiry.
const MAX_SESSIONS: usize = 10_000;
/// Failed sign-ins from one address within [`FAILURE_WINDOW_MS`] after which its further
/// attempts are refused unchecked until the window ends.
pub(crate) const MAX_FAILURES: u32 = 10;
/// The window failed sign-ins are counted in.
pub(crate) const FAILURE_WINDOW_MS: i64 = 5 * 60_000;
/// Most addresses whose failures are remembered at once.
const MAX_FAILING_ADDRESSES: usize = 10_000;

type HmacSha256 = Hmac<Sha256>;

/// One signed-in principal.
#[derive(Debug)]
pub(crate) struct Session {
    /// The session id (32 hex characters).
    pub id: String,
    /// Who, as the API sees the key.
    pub caller: Caller,
    /// When it ends.
    pub expires: Timestamp,
    /// The CSRF token its forms carry.
    pub csrf: String,
}

/// Every live session, and the key that signs cookies and tokens.
#[derive(Debug)]
pub(crate) struct Sessions {
    key: [u8; 32],
    lifetime_ms: i64,
    live: Mutex<HashMap<String, Arc<Session>>>,
}

impl Sessions {
    /// A new, empty table with a fresh signing key.
    pub fn new(ids: &dyn IdGenerator, session_hours: u64) -> Sessions {
        let mut key = [0u8; 32];
        ids.fill(&mut key);
        let hours = i64::try_from(session_hours).unwrap_or(168);
        Sessions {
            key,
            lifetime_ms: hours.saturating_mul(3_600_000),
            live: Mutex::new(HashMap::new()),
        }
    }

    fn mac(&self, purpose: &str, text: &str) -> String {
        let Ok(mut mac) = HmacSha256::new_from_slice(&self.key) else {
            // HMAC takes keys of any length (RFC 2104 §2): this cannot happen.
            return String::new();
        };
        mac.update(purpose.as_bytes());
        mac.update(b":");
        mac.update(text.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Opens a session for `caller`; returns it and the cookie value.
    pub fn open(&self, ids: &dyn IdGenerator, caller: Caller, now: Timestamp) -> Arc<Session> {
        let mut raw = [0u8; 16];
        ids.fill(&mut raw);
        let id = hex::encode(raw);
        let session = Arc::new(Session {
            csrf: self.mac("csrf", &id),
            id: id.clone(),
            caller,
            expires: now.saturating_add_millis(self.lifetime_ms),
        });
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        live.retain(|_, session| session.expires > now);
        if live.len() >= MAX_SESSIONS {
            // Bounded memory: the sessions that would end soonest go first.
            let mut ends: Vec<(Timestamp, String)> = live
                .values()
                .map(|session| (session.expires, session.id.clone()))
                .collect();
            ends.sort();
            for (_, id) in ends.into_iter().take(live.len() + 1 - MAX_SESSIONS) {
                live.remove(&id);
            }
        }
        live.insert(id, session.clone());
        session
    }

    /// The cookie value of a session: its id and the id's signature.
    pub fn cookie_value(&self, session: &Session) -> String {
        format!("{}.{}", session.id, self.mac("session", &session.id))
    }

    /// The live session a cookie value names, if its signature holds and it has not
    /// ended.
    pub fn find(&self, cookie: &str, now: Timestamp) -> Option<Arc<Session>> {
        let (id, signature) = cookie.split_once('.')?;
        let expected = self.mac("session", id);
        if !bool::from(expected.as_bytes().ct_eq(signature.as_bytes())) {
            return None;
        }
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        match live.get(id) {
            Some(session) if session.expires > now => Some(session.clone()),
            Some(_) => {
                live.remove(id);
                None
            }
            None => None,
        }
    }

    /// Ends a session.
    pub fn close(&self, id: &str) {
        self.live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
    }

    /// Whether `token` is the CSRF token of `session`.
    pub fn csrf_holds(session: &Session, token: &str) -> bool {
        bool::from(session.csrf.as_bytes().ct_eq(token.as_bytes()))
    }

    /// A fresh pre-session value for the sign-in form.
    pub fn new_signin_nonce(ids: &dyn IdGenerator) -> String {
        let mut raw = [0u8; 16];
        ids.fill(&mut raw);
        hex::encode(raw)
    }

    /// The sign-in form's CSRF token for a pre-session value.
    pub fn signin_token(&self, nonce: &str) -> String {
        self.mac("signin", nonce)
    }

    /// Whether `token` is the sign-in token of `nonce`.
    pub fn signin_token_holds(&self, nonce: &str, token: &str) -> bool {
        !nonce.is_empty() && bool::from(self.signin_token(nonce).as_bytes().ct_eq(token.as_bytes()))
    }

    /// Seconds a session lasts (the cookie's `Max-Age`).
    pub fn lifetime_secs(&self) -> i64 {
        self.lifetime_ms / 1000
    }
}

/// Failed sign-ins per client address: what slows down guessing secrets.
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    /// Address → failures since the window's start, and that start.
    failures: Mutex<HashMap<IpAddr, (u32, Timestamp)>>,
}

impl Throttle {
    /// Whether `address` has failed too often lately.
    pub fn blocks(&self, address: IpAddr, now: Timestamp) -> bool {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        failures.get(&address).is_some_and(|(count, since)| {
            *count >= MAX_FAILURES && now.as_millis() - since.as_millis() < FAILURE_WINDOW_MS
        })
    }

    /// Counts a failed sign-in from `address`.
    pub fn failed(&self, address: IpAddr, now: Timestamp) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() >= MAX_FAILING_ADDRESSES && !failures.contains_key(&address) {
            // Bounded memory: forget the windows that have ended, then the oldest.
            failures
                .retain(|_, (_, since)| now.as_millis() - since.as_millis() < FAILURE_WINDOW_MS);
            if failures.len() >= MAX_FAILING_ADDRESSES
                && let Some(oldest) = failures
                    .iter()
                    .min_by_key(|(_, (_, since))| *since)
                    .map(|(address, _)| *address)
            {
                failures.remove(&oldest);
            }
        }
        let entry = failures.entry(address).or_insert((0, now));
        if now.as_millis() - entry.1.as_millis() >= FAILURE_WINDOW_MS {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    /// Forgets the failures of `address` (it signed in).
    pub fn succeeded(&self, address: IpAddr) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&address);
    }
}

/// Checks an access key id and secret against the registry; the principal when they
/// match. The secret is compared in constant time.
pub(crate) fn check_key(
    keys: &KeyRegistry,
    access_key_id: &str,
    secret: &str,
) -> Result<Arc<Principal>, SignInFailure> {
    let Some(key) = keys.get(access_key_id) else {
        return Err(SignInFailure::UnknownKey);
    };
    if bool::from(key.secret.expose().as_bytes().ct_eq(secret.as_bytes())) {
        Ok(key.principal.clone())
    } else {
        Err(SignInFailure::WrongSecret(key.principal.clone()))
    }
}

/// Why a sign-in failed.
#[derive(Debug)]
pub(crate) enum SignInFailure {
    /// No such access key.
    UnknownKey,
    /// The key exists; the secret is not its own.
    WrongSecret(Arc<Principal>),
    /// Too many failures from the client's address: not checked (the key's principal
    /// when the key is known, for the record).
    Throttled(Option<Arc<Principal>>),
}

/// What a `ConsoleLogin` record says.
#[derive(Debug)]
pub(crate) struct SignInAttempt<'a> {
    /// When.
    pub time: Timestamp,
    /// `eventID`.
    pub event_id: String,
    /// The key's principal, when the key is known.
    pub principal: Option<&'a Principal>,
    /// The access key id given, when it is known (AWS never logs an unknown user name).
    pub access_key_id: Option<&'a str>,
    /// The account the record goes to when the key is unknown (the server's own).
    pub fallback_account: &'a str,
    /// `awsRegion`.
    pub region: &'a str,
    /// The client.
    pub peer: SocketAddr,
    /// Its `User-Agent`.
    pub user_agent: Option<&'a str>,
    /// The console's URL, `additionalEventData.LoginTo`.
    pub login_to: &'a str,
    /// Whether it succeeded.
    pub success: bool,
}

/// The `ConsoleLogin` record of a sign-in, shaped as CloudTrail writes them
/// (`AwsConsoleSignIn`, `responseElements.ConsoleLogin` `Success` or `Failure`, and
/// `errorMessage` `Failed authentication` on failure).
pub(crate) fn console_login_record(attempt: &SignInAttempt<'_>) -> Result<Event, ValidationError> {
    let identity = match attempt.principal {
        Some(principal) => UserIdentity {
            identity_type: Some(String::from("IAMUser")),
            principal_id: Some(principal.principal_id.clone()),
            arn: Some(principal.arn.clone()),
            account_id: Some(principal.account_id.clone()),
            access_key_id: attempt.access_key_id.map(str::to_owned),
            user_name: Some(principal.user_name.clone()),
            ..UserIdentity::default()
        },
        // CloudTrail hides what an unknown user typed: it may be a password.
        None => UserIdentity {
            identity_type: Some(String::from("IAMUser")),
            account_id: Some(attempt.fallback_account.to_owned()),
            access_key_id: Some(String::new()),
            user_name: Some(String::from(HIDDEN)),
            ..UserIdentity::default()
        },
    };
    let account = attempt
        .principal
        .map_or(attempt.fallback_account, |principal| {
            principal.account_id.as_str()
        });
    let outcome = if attempt.success {
        "Success"
    } else {
        "Failure"
    };
    let raw = |value: serde_json::Value| serde_json::value::to_raw_value(&value).ok();
    let mut record = Record {
        event_version: Some(String::from(crate::audit::EVENT_VERSION)),
        user_identity: Some(identity),
        event_time: Some(attempt.time.format_event_time()),
        event_source: Some(String::from(SIGNIN_SOURCE)),
        event_name: Some(String::from("ConsoleLogin")),
        aws_region: Some(attempt.region.to_owned()),
        source_ip_address: Some(attempt.peer.ip().to_string()),
        user_agent: attempt.user_agent.map(str::to_owned),
        error_message: (!attempt.success).then(|| String::from("Failed authentication")),
        request_parameters: RawValue::from_string(String::from("null")).ok(),
        response_elements: raw(serde_json::json!({ "ConsoleLogin": outcome })),
        additional_event_data: raw(serde_json::json!({
            "LoginTo": attempt.login_to,
            "MobileVersion": "No",
            "MFAUsed": "No",
        })),
        event_id: Some(attempt.event_id.clone()),
        read_only: Some(false),
        event_type: Some(String::from("AwsConsoleSignIn")),
        management_event: Some(true),
        recipient_account_id: Some(account.to_owned()),
        event_category: Some(String::from("Management")),
        ..Record::default()
    };
    record.apply_field_limits();
    Event::from_record(record, &RecordLimits::STANDARD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principals::Permission;
    use opentrail_types::SeededIds;

    fn caller() -> Caller {
        Caller {
            principal: Arc::new(Principal {
                account_id: String::from("111122223333"),
                arn: String::from("arn:aws:iam::111122223333:user/admin"),
                user_name: String::from("admin"),
                principal_id: String::from("AIDAEXAMPLE00000000X"),
                permission: Permission::Admin,
            }),
            access_key_id: String::from("AKIAEXAMPLE000000000"),
            region: String::from("us-east-1"),
        }
    }

    #[test]
    fn cookies_are_signed_and_sessions_end() {
        let ids = SeededIds::new(7);
        let sessions = Sessions::new(&ids, 1);
        let now = Timestamp::from_secs(1_800_000_000);
        let session = sessions.open(&ids, caller(), now);
        let cookie = sessions.cookie_value(&session);
        assert!(sessions.find(&cookie, now).is_some());
        // An altered id or signature is refused.
        let mut forged = cookie.clone().into_bytes();
        forged[0] = if forged[0] == b'a' { b'b' } else { b'a' };
        let forged = String::from_utf8(forged).unwrap();
        assert!(sessions.find(&forged, now).is_none());
        assert!(sessions.find(&format!("{}.00", session.id), now).is_none());
        assert!(sessions.find("garbage", now).is_none());
        // Another server's key does not sign the same cookie.
        let other = Sessions::new(&SeededIds::new(8), 1);
        assert!(other.find(&cookie, now).is_none());
        // Expiry, then sign-out.
        assert!(
            sessions
                .find(&cookie, now.saturating_add_millis(3_600_000))
                .is_none()
        );
        let again = sessions.open(&ids, caller(), now);
        let cookie = sessions.cookie_value(&again);
        sessions.close(&again.id);
        assert!(sessions.find(&cookie, now).is_none());
    }

    #[test]
    fn csrf_tokens_are_bound_to_their_session_or_nonce() {
        let ids = SeededIds::new(7);
        let sessions = Sessions::new(&ids, 12);
        let now = Timestamp::from_secs(1_800_000_000);
        let first = sessions.open(&ids, caller(), now);
        let second = sessions.open(&ids, caller(), now);
        assert!(Sessions::csrf_holds(&first, &first.csrf));
        assert!(!Sessions::csrf_holds(&first, &second.csrf));
        assert!(!Sessions::csrf_holds(&first, ""));
        let nonce = Sessions::new_signin_nonce(&ids);
        let token = sessions.signin_token(&nonce);
        assert!(sessions.signin_token_holds(&nonce, &token));
        assert!(!sessions.signin_token_holds("", &sessions.signin_token("")));
        assert!(!sessions.signin_token_holds(&nonce, &first.csrf));
    }

    #[test]
    fn addresses_that_fail_too_often_wait_for_the_window_to_end() {
        let throttle = Throttle::default();
        let (guesser, other): (IpAddr, IpAddr) =
            ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let now = Timestamp::from_secs(1_800_000_000);
        for _ in 0..MAX_FAILURES - 1 {
            throttle.failed(guesser, now);
        }
        assert!(!throttle.blocks(guesser, now));
        throttle.failed(guesser, now);
        assert!(throttle.blocks(guesser, now));
        assert!(!throttle.blocks(other, now));
        let later = now.saturating_add_millis(FAILURE_WINDOW_MS);
        assert!(!throttle.blocks(guesser, later));
        // A new window counts from its first failure.
        throttle.failed(guesser, later);
        assert!(!throttle.blocks(guesser, later));
        throttle.succeeded(guesser);
        assert!(!throttle.blocks(guesser, later));
    }

    #[test]
    fn sign_in_records_match_cloudtrail() {
        let caller = caller();
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let attempt = |principal, success| SignInAttempt {
            time: Timestamp::from_secs(1_795_000_000),
            event_id: String::from("6d1bd6a4-9c83-4c3e-9a46-0f1f5d9a3a11"),
            principal,
            access_key_id: Some("AKIAEXAMPLE000000000"),
            fallback_account: "999988887777",
            region: "us-east-1",
            peer,
            user_agent: Some("Mozilla/5.0"),
            login_to: "http://127.0.0.1:4571/console/",
            success,
        };
        let ok = console_login_record(&attempt(Some(&caller.principal), true)).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&ok.to_json()).unwrap();
        assert_eq!(json["eventType"], "AwsConsoleSignIn");
        assert_eq!(json["eventSource"], "signin.amazonaws.com");
        assert_eq!(json["eventName"], "ConsoleLogin");
        assert_eq!(json["responseElements"]["ConsoleLogin"], "Success");
        assert_eq!(json["userIdentity"]["userName"], "admin");
        assert_eq!(json["recipientAccountId"], "111122223333");
        assert!(json.get("errorMessage").is_none());
        let failed = console_login_record(&attempt(None, false)).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&failed.to_json()).unwrap();
        assert_eq!(json["responseElements"]["ConsoleLogin"], "Failure");
        assert_eq!(json["errorMessage"], "Failed authentication");
        assert_eq!(json["userIdentity"]["userName"], HIDDEN);
        assert_eq!(json["recipientAccountId"], "999988887777");
    }
}
