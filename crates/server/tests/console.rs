//! The web console's sign-in, sessions and protections, against a real server: every
//! sign-in recorded as `ConsoleLogin`, CSRF and cross-site posts refused, sessions ending
//! at expiry and sign-out, pages limited to the principal's account and permission.

use std::sync::Arc;

use opentrail_server::config::KeySection;
use opentrail_types::{ManualClock, Timestamp};

use crate::support::{ACCOUNT, Answer, READER, TestServer, exchange, lookup, start};

const ADMIN: (&str, &str) = ("AKIACONSOLEADMIN0001", "console-admin-secret-0123456789");
const OTHER: (&str, &str) = ("AKIAOTHERACCOUNT0001", "other-account-secret-0123456789");
const OTHER_ACCOUNT: &str = "444455556666";

fn server(clock: Option<Arc<ManualClock>>) -> TestServer {
    start(
        |config| {
            config.keys.push(KeySection {
                access_key_id: String::from(ADMIN.0),
                secret_access_key: String::from(ADMIN.1),
                account_id: String::from(ACCOUNT),
                user_name: String::from("console-admin"),
                arn: None,
                permission: String::from("admin"),
            });
            config.keys.push(KeySection {
                access_key_id: String::from(OTHER.0),
                secret_access_key: String::from(OTHER.1),
                account_id: String::from(OTHER_ACCOUNT),
                user_name: String::from("other"),
                arn: None,
                permission: String::from("read-only"),
            });
            config.console.session_hours = 1;
        },
        clock,
    )
}

fn get(server: &TestServer, path: &str, cookie: Option<&str>) -> Answer {
    let cookie = cookie.map_or(String::new(), |cookie| format!("cookie: {cookie}\r\n"));
    let request = format!(
        "GET {path} HTTP/1.1\r\nhost: {}\r\n{cookie}connection: close\r\n\r\n",
        server.address
    );
    exchange(server.address, request.as_bytes())
}

fn post(
    server: &TestServer,
    path: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
    form: &[(&str, &str)],
) -> Answer {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let cookie = cookie.map_or(String::new(), |cookie| format!("cookie: {cookie}\r\n"));
    let origin = origin.map_or(String::new(), |origin| format!("origin: {origin}\r\n"));
    let request = format!(
        "POST {path} HTTP/1.1\r\nhost: {}\r\n{cookie}{origin}content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        server.address,
        body.len()
    );
    exchange(server.address, request.as_bytes())
}

fn header<'a>(answer: &'a Answer, name: &str) -> Vec<&'a str> {
    answer
        .head
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then_some(value.trim())
        })
        .collect()
}

/// The `name=value` part of the response's cookie `name`.
fn cookie(answer: &Answer, name: &str) -> Option<String> {
    header(answer, "set-cookie").into_iter().find_map(|line| {
        let pair = line.split(';').next()?;
        pair.starts_with(&format!("{name}="))
            .then(|| pair.to_owned())
    })
}

fn body(answer: &Answer) -> String {
    String::from_utf8_lossy(&answer.body).into_owned()
}

/// The value of the first hidden `csrf` field of a page.
fn csrf(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

/// Signs in with `key`; returns the session cookie (`ot_session=…`) or the failed answer.
fn sign_in(server: &TestServer, key: (&str, &str)) -> Result<String, Answer> {
    let form = get(server, "/console/signin", None);
    assert_eq!(form.status, 200);
    let nonce = cookie(&form, "ot_signin").expect("a sign-in cookie");
    let token = csrf(&body(&form));
    let answer = post(
        server,
        "/console/signin",
        Some(&nonce),
        Some(&format!("http://{}", server.address)),
        &[
            ("csrf", token.as_str()),
            ("access_key_id", key.0),
            ("secret_access_key", key.1),
            ("next", "/console/events"),
        ],
    );
    match cookie(&answer, "ot_session") {
        Some(session) if answer.status == 303 => Ok(session),
        _ => Err(answer),
    }
}

/// Waits (up to 10 s) until the reader's account's history holds `count` sign-ins: a
/// record is searchable within about a second of being acknowledged.
fn await_logins(server: &TestServer, count: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while console_logins(server).len() < count {
        assert!(
            std::time::Instant::now() < deadline,
            "sign-ins not searchable"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The `ConsoleLogin` records of the reader's account, newest first.
fn console_logins(server: &TestServer) -> Vec<serde_json::Value> {
    let answer = lookup(
        server,
        br#"{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"ConsoleLogin"}]}"#,
    );
    assert_eq!(answer.status, 200, "{}", body(&answer));
    answer.json()["Events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| serde_json::from_str(event["CloudTrailEvent"].as_str().unwrap()).unwrap())
        .collect()
}

#[test]
fn sign_ins_are_recorded_and_sessions_open_pages() {
    let server = server(None);
    // A page without a session sends the browser to sign in, remembering where it was.
    let page = get(&server, "/console/events?range=1h", None);
    assert_eq!(page.status, 303);
    assert_eq!(
        header(&page, "location"),
        ["/console/signin?next=%2Fconsole%2Fevents%3Frange%3D1h"]
    );

    let failed = sign_in(&server, (ADMIN.0, "not-the-secret")).unwrap_err();
    assert_eq!(failed.status, 401);
    assert!(body(&failed).contains("not valid"));
    let unknown = sign_in(&server, ("AKIANOSUCHKEY0000001", "x")).unwrap_err();
    assert_eq!(unknown.status, 401);

    let session = sign_in(&server, ADMIN).unwrap();
    await_logins(&server, 3);
    let answer = get(&server, "/console/events", Some(&session));
    assert_eq!(answer.status, 200);
    let html = body(&answer);
    assert!(html.contains("arn:aws:iam::111122223333:user/console-admin"));
    assert!(
        html.contains(">ConsoleLogin</a>"),
        "the sign-in is in the history"
    );
    let headers = header(&answer, "content-security-policy");
    assert!(headers[0].contains("script-src 'self'"));

    // Each attempt is a ConsoleLogin record, answered only once durable.
    let logins = console_logins(&server);
    let outcomes: Vec<&str> = logins
        .iter()
        .map(|record| record["responseElements"]["ConsoleLogin"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["Success", "Failure", "Failure"]);
    assert!(
        logins
            .iter()
            .all(|record| record["eventType"] == "AwsConsoleSignIn"
                && record["eventSource"] == "signin.amazonaws.com"
                && record["recipientAccountId"] == ACCOUNT)
    );
    assert_eq!(logins[0]["userIdentity"]["userName"], "console-admin");
    // Newest first: the unknown key, whose name is never logged, then the wrong secret.
    assert_eq!(
        logins[1]["userIdentity"]["userName"],
        "HIDDEN_DUE_TO_SECURITY_REASONS"
    );
    assert_eq!(logins[2]["errorMessage"], "Failed authentication");
    assert_eq!(logins[2]["userIdentity"]["userName"], "console-admin");
}

#[test]
fn forms_need_the_session_token_and_this_site() {
    let server = server(None);
    let session = sign_in(&server, ADMIN).unwrap();
    await_logins(&server, 1);
    let page = body(&get(&server, "/console/events", Some(&session)));
    let token = csrf(&page);

    // Signing out with another token, or from another site, does nothing.
    let forged = post(
        &server,
        "/console/signout",
        Some(&session),
        None,
        &[("csrf", "x")],
    );
    assert_eq!(forged.status, 403);
    let cross_site = post(
        &server,
        "/console/signout",
        Some(&session),
        Some("http://evil.example"),
        &[("csrf", token.as_str())],
    );
    assert_eq!(cross_site.status, 403);
    assert_eq!(get(&server, "/console/events", Some(&session)).status, 200);

    // A sign-in form posted without its pre-session cookie is refused and not recorded.
    let before = console_logins(&server).len();
    let form = get(&server, "/console/signin", None);
    let refused = post(
        &server,
        "/console/signin",
        None,
        None,
        &[
            ("csrf", csrf(&body(&form)).as_str()),
            ("access_key_id", ADMIN.0),
            ("secret_access_key", ADMIN.1),
        ],
    );
    assert_eq!(refused.status, 403);
    assert!(cookie(&refused, "ot_session").is_none());
    assert_eq!(console_logins(&server).len(), before);

    // Signing out ends the session for good.
    let out = post(
        &server,
        "/console/signout",
        Some(&session),
        None,
        &[("csrf", token.as_str())],
    );
    assert_eq!(out.status, 303);
    assert_eq!(get(&server, "/console/events", Some(&session)).status, 303);
    // A forged cookie opens nothing.
    let (id, _) = session.split_once('.').unwrap();
    assert_eq!(
        get(&server, "/console/events", Some(&format!("{id}.00"))).status,
        303
    );
}

#[test]
fn sessions_end_when_they_expire() {
    let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
    let server = server(Some(clock.clone()));
    let session = sign_in(&server, ADMIN).unwrap();
    assert_eq!(get(&server, "/console/events", Some(&session)).status, 200);
    clock.advance_millis(59 * 60 * 1000);
    assert_eq!(get(&server, "/console/events", Some(&session)).status, 200);
    clock.advance_millis(2 * 60 * 1000);
    assert_eq!(get(&server, "/console/events", Some(&session)).status, 303);
}

#[test]
fn pages_show_only_the_principals_account() {
    let server = server(None);
    let admin = sign_in(&server, ADMIN).unwrap();
    let other = sign_in(&server, OTHER).unwrap();
    await_logins(&server, 1);
    // The other key's record went to its account; give its index the same time.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // The other account's history holds its own sign-in only.
    let html = body(&get(&server, "/console/events", Some(&other)));
    assert!(html.contains("arn:aws:iam::444455556666:user/other"));
    assert_eq!(html.matches(">ConsoleLogin</a>").count(), 1);
    let html = body(&get(&server, "/console/events", Some(&admin)));
    assert_eq!(html.matches(">ConsoleLogin</a>").count(), 1);
    // A record of another account is not found.
    let logins = console_logins(&server);
    let id = logins[0]["eventID"].as_str().unwrap();
    assert_eq!(
        get(&server, &format!("/console/events/{id}"), Some(&admin)).status,
        200
    );
    assert_eq!(
        get(&server, &format!("/console/events/{id}"), Some(&other)).status,
        404
    );
    // The dashboard counts the principal's account only.
    let dashboard = body(&get(&server, "/console/?range=1h", Some(&other)));
    assert!(dashboard.contains(">1 events</a>"), "{dashboard}");
}

#[test]
fn downloads_hold_the_filtered_events() {
    let server = server(None);
    let session = sign_in(&server, READER).unwrap();
    let _ = sign_in(&server, (READER.0, "wrong")).unwrap_err();
    await_logins(&server, 2);
    let csv = get(
        &server,
        "/console/events.csv?attr=EventName&value=ConsoleLogin&range=1h",
        Some(&session),
    );
    assert_eq!(csv.status, 200);
    assert!(
        header(&csv, "content-disposition")[0].starts_with("attachment; filename=\"event_history_")
    );
    let text = body(&csv);
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("eventTime,username,eventName,")
    );
    assert_eq!(lines.count(), 2);
    let json = get(
        &server,
        "/console/events.json?attr=EventName&value=ConsoleLogin&range=1h",
        Some(&session),
    );
    let records: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(records["Records"].as_array().unwrap().len(), 2);
    assert_eq!(records["Records"][0]["eventName"], "ConsoleLogin");
}

#[test]
fn guessing_secrets_is_slowed_down_and_still_recorded() {
    let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
    let server = server(Some(clock.clone()));
    for _ in 0..10 {
        assert_eq!(
            sign_in(&server, (ADMIN.0, "guess")).unwrap_err().status,
            401
        );
    }
    // The right secret is refused unchecked until the window ends, and recorded.
    let refused = sign_in(&server, ADMIN).unwrap_err();
    assert_eq!(refused.status, 429);
    assert!(body(&refused).contains("Too many failed sign-ins"));
    await_logins(&server, 11);
    let logins = console_logins(&server);
    assert_eq!(logins[0]["responseElements"]["ConsoleLogin"], "Failure");
    assert_eq!(logins[0]["userIdentity"]["userName"], "console-admin");
    clock.advance_millis(5 * 60 * 1000);
    assert!(sign_in(&server, ADMIN).is_ok());
}

#[test]
fn console_changes_are_recorded_as_api_calls_from_the_console() {
    let server = server(None);
    let session = sign_in(&server, ADMIN).unwrap();
    let token = csrf(&body(&get(&server, "/console/stores/new", Some(&session))));
    let created = post(
        &server,
        "/console/stores",
        Some(&session),
        None,
        &[
            ("csrf", token.as_str()),
            ("name", "from-console"),
            ("retention", "30"),
            ("kind", "management"),
        ],
    );
    assert_eq!(created.status, 303, "{}", body(&created));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let record = loop {
        let answer = lookup(
            &server,
            br#"{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"CreateEventDataStore"}]}"#,
        );
        if let Some(event) = answer.json()["Events"].as_array().unwrap().first() {
            let record: serde_json::Value =
                serde_json::from_str(event["CloudTrailEvent"].as_str().unwrap()).unwrap();
            break record;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no CreateEventDataStore record"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(record["sessionCredentialFromConsole"], "true");
    assert_eq!(record["eventType"], "AwsApiCall");
    assert_eq!(record["userIdentity"]["userName"], "console-admin");
    assert_eq!(record["requestParameters"]["name"], "from-console");
    assert_eq!(record["requestParameters"]["retentionPeriod"], 30);
    // A read-only principal is refused the same change, as by the API.
    let reader = sign_in(&server, READER).unwrap();
    let token = csrf(&body(&get(&server, "/console/stores", Some(&reader))));
    let refused = post(
        &server,
        "/console/stores",
        Some(&reader),
        None,
        &[
            ("csrf", token.as_str()),
            ("name", "nope"),
            ("kind", "management"),
        ],
    );
    assert!(
        body(&refused).contains("AccessDeniedException"),
        "{}",
        body(&refused)
    );
}
