//! The frame every page shares: head, the top bar with the sections and the signed-in
//! principal, notices, and the sign-out form.

use std::fmt::Write as _;

use crate::assets;
use crate::html::Esc;

/// The parts of the console, in the order of the top bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `/console/`.
    Dashboard,
    /// `/console/events`.
    Events,
    /// `/console/insights`.
    Insights,
    /// `/console/lake`.
    Lake,
    /// `/console/stores`.
    Stores,
    /// `/console/trails`.
    Trails,
}

impl Section {
    const ALL: [Section; 6] = [
        Section::Dashboard,
        Section::Events,
        Section::Insights,
        Section::Lake,
        Section::Stores,
        Section::Trails,
    ];

    /// The section's page.
    pub fn href(self) -> &'static str {
        match self {
            Section::Dashboard => "/console/",
            Section::Events => "/console/events",
            Section::Insights => "/console/insights",
            Section::Lake => "/console/lake",
            Section::Stores => "/console/stores",
            Section::Trails => "/console/trails",
        }
    }

    /// Its name in the top bar.
    pub fn label(self) -> &'static str {
        match self {
            Section::Dashboard => "Dashboard",
            Section::Events => "Event history",
            Section::Insights => "Insights",
            Section::Lake => "Lake query",
            Section::Stores => "Event data stores",
            Section::Trails => "Trails",
        }
    }
}

/// Who is signed in, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The principal's ARN.
    pub arn: String,
    /// Its account.
    pub account_id: String,
    /// Whether it may only read (pages then offer no forms that change anything).
    pub read_only: bool,
}

/// A message shown above a page's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Something done.
    Done(String),
    /// Something that failed, with the error's code and message.
    Failed(String),
}

/// What the frame of one page needs.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// The page title (also the `<h1>`).
    pub title: &'a str,
    /// The section highlighted in the top bar.
    pub section: Option<Section>,
    /// The signed-in principal; `None` on the sign-in page.
    pub user: Option<&'a User>,
    /// The session's CSRF token, put in the sign-out form.
    pub csrf: &'a str,
    /// A message to show.
    pub notice: Option<&'a Notice>,
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(token: &str) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        Esc(token)
    )
}

/// Appends an error message as pages show it (an alert, read out by screen readers).
pub fn push_error(out: &mut String, message: &str) {
    let _ = write!(
        out,
        "<div class=\"notice error\" role=\"alert\">{}</div>",
        Esc(message)
    );
}

/// A whole page: `body` is put inside `<main>`, after the `<h1>` and any notice.
pub fn page(frame: &Frame<'_>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 3072);
    let version = assets::VERSION;
    let _ = write!(
        out,
        concat!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>{title} · OpenTrail</title><link rel=\"icon\" href=\"data:,\">",
            "<link rel=\"stylesheet\" href=\"/console/assets/console.css?v={version}\">",
            "<script src=\"/console/assets/console.js?v={version}\" defer></script>",
            "</head><body><a class=\"skip\" href=\"#main\">Skip to content</a>",
            "<header class=\"top\"><a class=\"brand\" href=\"/console/\">OpenTrail</a>"
        ),
        title = Esc(frame.title),
        version = version,
    );
    if let Some(user) = frame.user {
        out.push_str("<nav aria-label=\"Console\">");
        for section in Section::ALL {
            let current = if frame.section == Some(section) {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(
                out,
                "<a href=\"{}\"{current}>{}</a>",
                section.href(),
                section.label()
            );
        }
        let _ = write!(
            out,
            concat!(
                "</nav><div class=\"who\"><span title=\"{arn}\">{arn}</span>",
                "<form method=\"post\" action=\"/console/signout\">{csrf}",
                "<button type=\"submit\">Sign out</button></form></div>"
            ),
            arn = Esc(&user.arn),
            csrf = csrf_field(frame.csrf),
        );
    }
    let _ = write!(
        out,
        "</header><main id=\"main\"><h1>{}</h1>",
        Esc(frame.title)
    );
    match frame.notice {
        Some(Notice::Done(text)) => {
            let _ = write!(
                out,
                "<div class=\"notice ok\" role=\"status\">{}</div>",
                Esc(text)
            );
        }
        Some(Notice::Failed(text)) => push_error(&mut out, text),
        None => {}
    }
    out.push_str(body);
    out.push_str("</main></body></html>\n");
    out
}

/// A page that only says what went wrong (an unknown page, a failed call).
pub fn error_page(frame: &Frame<'_>, message: &str) -> String {
    let notice = Notice::Failed(message.to_owned());
    let frame = Frame {
        notice: Some(&notice),
        ..*frame
    };
    page(
        &frame,
        "<p><a href=\"/console/\">Back to the dashboard</a></p>",
    )
}
