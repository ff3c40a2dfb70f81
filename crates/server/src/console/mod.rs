//! The web console, served under `/console/` on the API's listener.
//!
//! Pages are rendered on the server (`opentrail-console` turns view models into HTML and
//! SVG); the data behind them comes from the same operations the API serves, called as
//! the signed-in principal ([`Ctx::call`]), so a page shows exactly what that principal's
//! API calls would and is refused what they would be refused. Console actions that change
//! something are recorded like API calls, with `sessionCredentialFromConsole`.
//!
//! | Route | What |
//! | --- | --- |
//! | `GET /console/signin`, `POST /console/signin` | the sign-in form; signing in ([`session`]) |
//! | `POST /console/signout` | signing out |
//! | `GET /console/` | the dashboard |
//! | `GET /console/events`, `/console/events/{eventId}` | event history; one record |
//! | `GET /console/events.csv`, `/console/events.json` | the filtered events, downloaded |
//! | `/console/trails/...` | trails: list, create, edit, selectors, logging, delete ([`trails`]) |
//! | `/console/stores/...` | event data stores: list, create, edit, ingestion, delete, restore ([`stores`]) |
//! | `/console/lake/...` | the Lake query editor, saved queries, a query's results and chart ([`lake`]) |
//! | `/console/insights/...` | Insights and one Insight's rate chart and contributors ([`insights`]) |
//! | `GET /console/assets/{name}` | the stylesheet and script |
//!
//! Every response carries a strict `Content-Security-Policy` (scripts and styles from
//! the console itself only) and `X-Frame-Options: DENY`. Every `POST` needs the session's
//! CSRF token and, when the browser sends one, an `Origin` naming this server.

pub(crate) mod session;

mod dashboard;
mod history;
mod insights;
mod lake;
mod range;
mod saved;
mod stores;
mod trails;

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, HOST, LOCATION, ORIGIN, SET_COOKIE,
    USER_AGENT,
};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use opentrail_api::{ApiError, ErrorCode, Operation, Scope};
use opentrail_console::layout::{self, Frame, Notice, Section, User};
use opentrail_console::{assets, pages};

use crate::audit::{self, ApiCall};
use crate::http::{AnyOperation, State};
use crate::principals::Permission;
use session::{SESSION_COOKIE, SIGNIN_COOKIE, Session, Sessions, SignInAttempt, SignInFailure};

type HttpResponse = Response<Full<Bytes>>;

/// Largest form body a console page accepts (a Lake query or a selector document).
const MAX_FORM_BYTES: u64 = 256 * 1024;

/// The console's state: its sessions and the failed sign-ins per address.
#[derive(Debug)]
pub(crate) struct Console {
    pub sessions: Sessions,
    pub throttle: session::Throttle,
}

impl Console {
    /// The console of a server whose ids come from `ids`.
    pub fn new(ids: &dyn opentrail_types::IdGenerator, session_hours: u64) -> Console {
        Console {
            sessions: Sessions::new(ids, session_hours),
            throttle: session::Throttle::default(),
        }
    }
}

/// A request's query string or form body as name–value pairs, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    fn parse(text: &[u8]) -> Params {
        Params(
            form_urlencoded::parse(text)
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Builds a query string from pairs, each value percent-encoded.
pub(crate) fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        out.append_pair(name, value);
    }
    out.finish()
}

/// [`query_string`] of pairs whose values are owned (a [`range::TimeRange`]'s, a filter's).
pub(crate) fn query_of(pairs: &[(&str, String)]) -> String {
    query_string(pairs.iter().map(|(name, value)| (*name, value.as_str())))
}

/// What a signed-in page handler gets.
pub(crate) struct Ctx<'a> {
    pub state: &'a Arc<State>,
    pub session: Arc<Session>,
    pub peer: SocketAddr,
    pub user_agent: Option<String>,
    pub query: Params,
    /// The form of a `POST` (its CSRF token already checked).
    pub form: Params,
    /// The path below `/console/`, split at `/`.
    pub path: Vec<String>,
}

impl Ctx<'_> {
    /// The signed-in principal as pages show it.
    pub fn user(&self) -> User {
        let principal = &self.session.caller.principal;
        User {
            arn: principal.arn.clone(),
            account_id: principal.account_id.clone(),
            read_only: principal.permission != Permission::Admin,
        }
    }

    /// Calls a CloudTrail operation as the signed-in principal, with the same permission
    /// check as the API; calls that change something are recorded like API calls (and
    /// answer only once their record is durable, as the API does).
    pub async fn call(
        &self,
        operation: Operation,
        request: serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        let caller = &self.session.caller;
        let any = AnyOperation::CloudTrail(operation);
        let read_only = operation.is_read_only();
        let body = Bytes::from(serde_json::to_vec(&request).unwrap_or_default());
        let result = async {
            if !caller.principal.permission.allows_call(read_only) {
                return Err(crate::http::access_denied_in(
                    caller,
                    any.service(),
                    any.name(),
                ));
            }
            if self
                .state
                .draining
                .load(std::sync::atomic::Ordering::Relaxed)
            {
                return Err(crate::http::shutting_down());
            }
            let scope = Scope {
                account_id: caller.principal.account_id.clone(),
                region: caller.region.clone(),
            };
            let answer = crate::http::dispatch(self.state, scope, any, body.clone()).await?;
            serde_json::from_slice(&answer).map_err(|error| {
                ApiError::new(
                    ErrorCode::InternalFailure,
                    format!("the operation's answer is not JSON: {error}"),
                )
            })
        }
        .await;
        if !read_only {
            let request_id = self.state.ids.uuid();
            let error = result.as_ref().err();
            let call = ApiCall {
                event_source: any.event_source(),
                request_parameters: audit::request_parameters(&body),
                response_elements: result.as_ref().ok().cloned(),
                error: error.map(|error| (error.code.as_str(), error.message.as_str())),
                from_console: true,
                ..crate::http::call_record(
                    self.state,
                    &request_id,
                    self.peer,
                    self.user_agent.as_deref(),
                    caller,
                    any.name(),
                    read_only,
                )
            };
            crate::http::record_audit_event(self.state, call, result.is_ok()).await;
        }
        result
    }

    /// A whole page for this session.
    pub fn page(
        &self,
        title: &str,
        section: Section,
        notice: Option<&Notice>,
        body: &str,
    ) -> Reply {
        let user = self.user();
        let frame = Frame {
            title,
            section: Some(section),
            user: Some(&user),
            csrf: &self.session.csrf,
            notice,
        };
        Reply::Html(StatusCode::OK, layout::page(&frame, body))
    }

    /// A page saying what went wrong, with the error's status.
    pub fn error_page(&self, status: StatusCode, section: Section, message: &str) -> Reply {
        let user = self.user();
        let frame = Frame {
            title: "Something went wrong",
            section: Some(section),
            user: Some(&user),
            csrf: &self.session.csrf,
            notice: None,
        };
        Reply::Html(status, layout::error_page(&frame, message))
    }

    /// The page for a failed operation: its code and message.
    pub fn api_error_page(&self, section: Section, error: &ApiError) -> Reply {
        let status =
            StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
        self.error_page(status, section, &api_error_text(error))
    }

    /// The CSRF token of this session's forms.
    pub fn csrf(&self) -> &str {
        &self.session.csrf
    }
}

/// An error as the console shows it: `Code: message`.
pub(crate) fn api_error_text(error: &ApiError) -> String {
    format!("{}: {}", error.code.as_str(), error.message)
}

/// What a handler answers.
pub(crate) enum Reply {
    /// A page.
    Html(StatusCode, String),
    /// `303 See Other` to a console path (after a form, so a reload does not repeat it).
    Redirect(String),
    /// A file to save.
    Download {
        content_type: &'static str,
        file_name: String,
        body: Vec<u8>,
    },
}

/// Routes one request under `/console`.
pub(crate) async fn route(
    state: &Arc<State>,
    peer: SocketAddr,
    request: Request<Incoming>,
) -> HttpResponse {
    let started = std::time::Instant::now();
    let mut response = route_inner(state, peer, request).await;
    // The server's own time, for browsers' developer tools and the console benchmark.
    if let Ok(value) = HeaderValue::from_str(&format!(
        "app;dur={:.1}",
        started.elapsed().as_secs_f64() * 1000.0
    )) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}

async fn route_inner(
    state: &Arc<State>,
    peer: SocketAddr,
    request: Request<Incoming>,
) -> HttpResponse {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let rest = path
        .strip_prefix("/console")
        .unwrap_or("")
        .trim_start_matches('/');
    if parts.method == Method::GET
        && let Some(name) = rest.strip_prefix("assets/")
    {
        return asset(name);
    }
    let now = state.clock.now();
    let cookies = cookies(&parts.headers);
    let session = cookies
        .iter()
        .find(|(name, _)| name == SESSION_COOKIE)
        .and_then(|(_, value)| state.console.sessions.find(value, now));
    let query = Params::parse(parts.uri.query().unwrap_or("").as_bytes());

    let form = if parts.method == Method::POST {
        if !same_origin(&parts.headers) {
            return plain(
                StatusCode::FORBIDDEN,
                "the form was posted from another site",
            );
        }
        match crate::http::read_body(state, &parts.headers, body, MAX_FORM_BYTES).await {
            Ok(body) => Params::parse(&body),
            Err(failure) => {
                let error = failure.into_error();
                return plain(StatusCode::PAYLOAD_TOO_LARGE, &api_error_text(&error));
            }
        }
    } else {
        Params::default()
    };
    let user_agent = parts
        .headers
        .get(USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(|text| text.chars().take(1024).collect::<String>());

    if rest == "signin" {
        return match parts.method {
            Method::GET => sign_in_page(state, &query, None, "", StatusCode::OK),
            Method::POST => sign_in(state, peer, &parts.headers, &cookies, &form, user_agent).await,
            _ => method_not_allowed(),
        };
    }
    let Some(session) = session else {
        if parts.method == Method::GET {
            let next = match parts.uri.path_and_query() {
                Some(target) => target.as_str().to_owned(),
                None => String::from("/console/"),
            };
            return redirect(&format!(
                "/console/signin?{}",
                query_string([("next", next.as_str())])
            ));
        }
        return plain(
            StatusCode::UNAUTHORIZED,
            "the session has ended; sign in again",
        );
    };
    if parts.method == Method::POST
        && !Sessions::csrf_holds(&session, form.get("csrf").unwrap_or(""))
    {
        return plain(
            StatusCode::FORBIDDEN,
            "the form's CSRF token does not belong to this session; reload the page",
        );
    }
    if rest == "signout" {
        if parts.method != Method::POST {
            return method_not_allowed();
        }
        state.console.sessions.close(&session.id);
        let mut response = redirect("/console/signin");
        add_cookie(
            &mut response,
            &format!("{SESSION_COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"),
        );
        return response;
    }
    let ctx = Ctx {
        state,
        session,
        peer,
        user_agent,
        query,
        form,
        path: rest.split('/').map(str::to_owned).collect(),
    };
    let segments: Vec<&str> = ctx.path.iter().map(String::as_str).collect();
    let reply = match (&parts.method, segments.as_slice()) {
        (&Method::GET, [""]) => dashboard::dashboard(&ctx).await,
        (&Method::GET, ["events"]) => history::event_history(&ctx).await,
        (&Method::GET, ["events.csv"]) => history::download(&ctx, history::Format::Csv).await,
        (&Method::GET, ["events.json"]) => history::download(&ctx, history::Format::Json).await,
        (&Method::GET, ["events", event_id]) => history::event_detail(&ctx, event_id).await,
        (method, ["trails", rest @ ..]) => trails::route(&ctx, method, rest).await,
        (method, ["stores", rest @ ..]) => stores::route(&ctx, method, rest).await,
        (method, ["lake", rest @ ..]) => lake::route(&ctx, method, rest).await,
        (method, ["insights", rest @ ..]) => insights::route(&ctx, method, rest).await,
        _ => ctx.error_page(
            StatusCode::NOT_FOUND,
            Section::Dashboard,
            "There is no such page in the console.",
        ),
    };
    respond(reply)
}

fn respond(reply: Reply) -> HttpResponse {
    match reply {
        Reply::Html(status, body) => html(status, body),
        Reply::Redirect(location) => redirect(&location),
        Reply::Download {
            content_type,
            file_name,
            body,
        } => {
            let mut response = Response::new(Full::new(Bytes::from(body)));
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            if let Ok(value) =
                HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
            {
                headers.insert(CONTENT_DISPOSITION, value);
            }
            secure_headers(headers);
            response
        }
    }
}

/// The sign-in page, with a fresh pre-session cookie its CSRF token is bound to.
fn sign_in_page(
    state: &State,
    query: &Params,
    notice: Option<&Notice>,
    access_key_id: &str,
    status: StatusCode,
) -> HttpResponse {
    let nonce = Sessions::new_signin_nonce(state.ids.as_ref());
    let view = pages::events::SignIn {
        csrf: state.console.sessions.signin_token(&nonce),
        access_key_id: access_key_id.to_owned(),
        next: safe_next(query.get("next")).to_owned(),
    };
    let frame = Frame {
        title: "Sign in",
        section: None,
        user: None,
        csrf: "",
        notice,
    };
    let mut response = html(status, layout::page(&frame, &pages::events::sign_in(&view)));
    add_cookie(
        &mut response,
        &format!("{SIGNIN_COOKIE}={nonce}; Path=/console/signin; HttpOnly; SameSite=Strict"),
    );
    response
}

/// Where to go after signing in: a console path only (never another site).
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(next)
            if next.starts_with("/console/")
                && !next.starts_with("//")
                && !next.contains('\\')
                && !next.starts_with("/console/signin") =>
        {
            next
        }
        _ => "/console/",
    }
}

/// `POST /console/signin`.
async fn sign_in(
    state: &Arc<State>,
    peer: SocketAddr,
    headers: &HeaderMap,
    cookies: &[(String, String)],
    form: &Params,
    user_agent: Option<String>,
) -> HttpResponse {
    let nonce = cookies
        .iter()
        .find(|(name, _)| name == SIGNIN_COOKIE)
        .map_or("", |(_, value)| value.as_str());
    if !state
        .console
        .sessions
        .signin_token_holds(nonce, form.get("csrf").unwrap_or(""))
    {
        let notice = Notice::Failed(String::from(
            "The sign-in form expired or was not sent by this page. Sign in again.",
        ));
        return sign_in_page(state, form, Some(&notice), "", StatusCode::FORBIDDEN);
    }
    let access_key_id = form.get("access_key_id").unwrap_or("").trim();
    let secret = form.get("secret_access_key").unwrap_or("");
    let throttle = &state.console.throttle;
    let checked = if throttle.blocks(peer.ip(), state.clock.now()) {
        // Refused unchecked, so a guesser learns nothing more; still recorded.
        Err(SignInFailure::Throttled(
            state
                .keys
                .get(access_key_id)
                .map(|key| key.principal.clone()),
        ))
    } else {
        session::check_key(&state.keys, access_key_id, secret)
    };
    let principal = match &checked {
        Ok(principal) => Some(principal.clone()),
        Err(SignInFailure::WrongSecret(principal)) => Some(principal.clone()),
        Err(SignInFailure::Throttled(principal)) => principal.clone(),
        Err(SignInFailure::UnknownKey) => None,
    };
    let host = headers
        .get(HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("localhost");
    let login_to = format!("http://{host}/console/");
    let attempt = SignInAttempt {
        time: state.clock.now(),
        event_id: state.ids.uuid(),
        principal: principal.as_deref(),
        access_key_id: principal.as_ref().map(|_| access_key_id),
        fallback_account: &state.admin_account,
        region: &state.engine.config.region,
        peer,
        user_agent: user_agent.as_deref(),
        login_to: &login_to,
        success: checked.is_ok(),
    };
    // A sign-in answers only once its record is durable, like any change the server
    // acknowledges.
    let recorded = match session::console_login_record(&attempt)
        .map_err(|error| error.to_string())
        .and_then(|event| crate::http::journal_entry(&event, "sign-in"))
    {
        Ok(entry) => state
            .engine
            .journal
            .append_async(vec![entry])
            .await
            .map(|_| ())
            .map_err(|error| error.to_string()),
        Err(error) => Err(error),
    };
    if let Err(error) = recorded {
        tracing::error!(error, "the sign-in record could not be written");
        let notice = Notice::Failed(String::from(
            "The sign-in could not be recorded, so it was refused. Try again.",
        ));
        return sign_in_page(
            state,
            form,
            Some(&notice),
            access_key_id,
            StatusCode::SERVICE_UNAVAILABLE,
        );
    }
    let principal = match checked {
        Ok(principal) => {
            throttle.succeeded(peer.ip());
            principal
        }
        Err(SignInFailure::Throttled(_)) => {
            let notice = Notice::Failed(format!(
                "Too many failed sign-ins from this address: try again in {} minutes.",
                session::FAILURE_WINDOW_MS / 60_000
            ));
            return sign_in_page(
                state,
                form,
                Some(&notice),
                access_key_id,
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
        Err(_) => {
            throttle.failed(peer.ip(), state.clock.now());
            let notice = Notice::Failed(String::from(
                "The access key ID or secret access key is not valid.",
            ));
            return sign_in_page(
                state,
                form,
                Some(&notice),
                access_key_id,
                StatusCode::UNAUTHORIZED,
            );
        }
    };
    let caller = audit::Caller {
        principal,
        access_key_id: access_key_id.to_owned(),
        region: state.engine.config.region.clone(),
    };
    let sessions = &state.console.sessions;
    let session = sessions.open(state.ids.as_ref(), caller, state.clock.now());
    let mut response = redirect(safe_next(form.get("next")));
    add_cookie(
        &mut response,
        &format!(
            "{SESSION_COOKIE}={}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={}",
            sessions.cookie_value(&session),
            sessions.lifetime_secs()
        ),
    );
    add_cookie(
        &mut response,
        &format!("{SIGNIN_COOKIE}=; Path=/console/signin; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    response
}

/// The request's cookies as name–value pairs.
fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            Some((name.to_owned(), value.to_owned()))
        })
        .take(64)
        .collect()
}

/// Whether a `POST` comes from this server's own pages: browsers send `Origin` on form
/// posts; when present its host must be the request's `Host`.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|value| value.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .unwrap_or("");
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

fn asset(name: &str) -> HttpResponse {
    match assets::asset(name) {
        Some(asset) => {
            let mut response = Response::new(Full::new(Bytes::from_static(asset.body.as_bytes())));
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
            // URLs carry the build's hash (`?v=`): a new build's files have new URLs.
            headers.insert(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            secure_headers(headers);
            response
        }
        None => plain(StatusCode::NOT_FOUND, "no such asset"),
    }
}

fn secure_headers(headers: &mut HeaderMap) {
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
}

fn html(status: StatusCode, body: String) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    secure_headers(headers);
    response
}

fn plain(status: StatusCode, text: &str) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from(format!("{text}\n"))));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    secure_headers(headers);
    response
}

fn method_not_allowed() -> HttpResponse {
    plain(
        StatusCode::METHOD_NOT_ALLOWED,
        "this method is not allowed here",
    )
}

pub(crate) fn redirect(location: &str) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    secure_headers(response.headers_mut());
    response
}

fn add_cookie(response: &mut HttpResponse, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_inside_the_console() {
        assert_eq!(
            safe_next(Some("/console/events?x=1")),
            "/console/events?x=1"
        );
        assert_eq!(safe_next(Some("https://evil.example/")), "/console/");
        assert_eq!(safe_next(Some("//evil.example/console/")), "/console/");
        assert_eq!(safe_next(Some("/console/\\evil")), "/console/");
        assert_eq!(safe_next(Some("/console/signin")), "/console/");
        assert_eq!(safe_next(None), "/console/");
    }

    #[test]
    fn origins_must_match_the_host() {
        let mut headers = HeaderMap::new();
        assert!(same_origin(&headers));
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:4571"));
        headers.insert(ORIGIN, HeaderValue::from_static("http://127.0.0.1:4571"));
        assert!(same_origin(&headers));
        headers.insert(ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(!same_origin(&headers));
        headers.insert(ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&headers));
    }
}
