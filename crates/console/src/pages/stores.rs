//! Event data stores: the list, the create and edit forms (with the advanced event
//! selectors as a JSON document), and one store's page with its lifecycle buttons
//! (ingestion, delete, restore) and a link to query it.
//!
//! Every view model holds text the server formatted; store ids are percent-encoded here
//! when they join a URL.

use std::fmt::Write as _;

use crate::html::{Esc, push_query_value};
use crate::layout::{csrf_field, push_error};
use crate::pages::events::push_json_html;
use crate::pages::trails::{checkbox, enabled_disabled, or_dash, push_fact, yes_no};

/// The shortest retention period, in days.
pub const MIN_RETENTION_DAYS: u32 = 7;
/// The longest retention period, in days (extendable retention pricing).
pub const MAX_RETENTION_DAYS: u32 = 3653;

/// One row of the store list.
#[derive(Debug, Clone, Default)]
pub struct StoreRow {
    /// The store's ID (the last part of its ARN).
    pub id: String,
    /// `Name`.
    pub name: String,
    /// `Status` as the API spells it (`ENABLED`, `PENDING_DELETION`…).
    pub status: String,
    /// `RetentionPeriod` (days).
    pub retention_days: u32,
    /// `TerminationProtectionEnabled`.
    pub termination_protection: bool,
    /// `MultiRegionEnabled`.
    pub multi_region: bool,
    /// `CreatedTimestamp`, formatted.
    pub created: String,
    /// `EventDataStoreArn`.
    pub arn: String,
}

/// The store list.
#[derive(Debug, Clone, Default)]
pub struct StoreList {
    /// The stores, in `ListEventDataStores` order.
    pub rows: Vec<StoreRow>,
    /// Whether the principal may change things.
    pub can_change: bool,
    /// `ListEventDataStores`' error, shown instead of the table.
    pub error: Option<String>,
}

/// The body of the store list.
pub fn store_list(view: &StoreList) -> String {
    let mut out = String::with_capacity(2048 + view.rows.len() * 700);
    out.push_str("<p class=\"muted\">Event data stores keep events for Lake queries.</p>");
    if view.can_change {
        out.push_str("<div class=\"actions\"><a class=\"button primary\" href=\"/console/stores/new\">Create event data store</a></div>");
    }
    if let Some(error) = &view.error {
        push_error(&mut out, error);
        return out;
    }
    out.push_str(concat!(
        "<div class=\"table-wrap\"><table id=\"stores\"><caption class=\"skip\">Event data stores</caption><thead><tr>",
        "<th scope=\"col\">Name</th><th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">Retention (days)</th>",
        "<th scope=\"col\">Termination protection</th><th scope=\"col\">Multi-region</th>",
        "<th scope=\"col\">Created</th><th scope=\"col\">Event data store ID</th></tr></thead><tbody>"
    ));
    if view.rows.is_empty() {
        out.push_str("<tr><td colspan=\"7\" class=\"muted\">No event data stores yet.</td></tr>");
    }
    for row in &view.rows {
        out.push_str("<tr><td><a href=\"/console/stores/");
        push_query_value(&mut out, &row.id);
        let _ = write!(
            out,
            concat!(
                "\">{name}</a></td><td>{status}</td><td class=\"num\">{retention}</td><td>{protection}</td>",
                "<td>{multi}</td><td class=\"mono\">{created}</td><td class=\"wrap mono\" title=\"{arn}\">{id}</td></tr>"
            ),
            name = Esc(&row.name),
            status = StatusBadge(&row.status),
            retention = row.retention_days,
            protection = enabled_disabled(row.termination_protection),
            multi = yes_no(row.multi_region),
            created = Esc(or_dash(&row.created)),
            arn = Esc(&row.arn),
            id = Esc(&row.id),
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

/// The kinds of store the create form offers: form value and label.
pub const STORE_KINDS: [(&str, &str); 2] = [
    ("management", "CloudTrail management events (all of them)"),
    ("json", "Advanced event selectors (the JSON below)"),
];

/// The create and edit forms of a store.
#[derive(Debug, Clone, Default)]
pub struct StoreForm {
    /// The session's CSRF token.
    pub csrf: String,
    /// The store being edited (its ID and name); `None` on the create form.
    pub editing: Option<(String, String)>,
    /// `name`.
    pub name: String,
    /// `retention`: days, as typed.
    pub retention: String,
    /// `termination_protection`.
    pub termination_protection: bool,
    /// `multi_region`.
    pub multi_region: bool,
    /// `kind`: one of [`STORE_KINDS`] (create only).
    pub kind: String,
    /// `selectors`: `{"AdvancedEventSelectors":[…]}`.
    pub selectors: String,
    /// `start_ingestion` (create only).
    pub start_ingestion: bool,
}

/// The body of the create or edit form.
pub fn store_form(view: &StoreForm) -> String {
    let mut out = String::with_capacity(4096 + view.selectors.len() * 2);
    match &view.editing {
        Some((id, name)) => {
            let mut base = String::from("/console/stores/");
            push_query_value(&mut base, id);
            let _ = write!(
                out,
                concat!(
                    "<p><a href=\"{base}\">← {name}</a></p>",
                    "<section class=\"panel\"><form method=\"post\" id=\"store-form\" action=\"{base}/edit\">{csrf}"
                ),
                base = base,
                name = Esc(name),
                csrf = csrf_field(&view.csrf),
            );
        }
        None => {
            let _ = write!(
                out,
                concat!(
                    "<p><a href=\"/console/stores\">← Event data stores</a></p>",
                    "<section class=\"panel\"><form method=\"post\" id=\"store-form\" action=\"/console/stores\">{csrf}"
                ),
                csrf = csrf_field(&view.csrf),
            );
        }
    }
    let _ = write!(
        out,
        concat!(
            "<h2>General details</h2><div class=\"fields\"><div><label for=\"name\">Name</label>",
            "<input type=\"text\" id=\"name\" name=\"name\" value=\"{name}\" size=\"40\" maxlength=\"128\" required ",
            "spellcheck=\"false\" aria-describedby=\"name-hint\"></div>",
            "<div><label for=\"retention\">Retention period (days)</label>",
            "<input type=\"number\" id=\"retention\" name=\"retention\" value=\"{retention}\" min=\"{min}\" max=\"{max}\" step=\"1\" required></div></div>",
            "<p class=\"small muted\" id=\"name-hint\">Name: 3 to 128 letters, digits, periods, underscores and hyphens. ",
            "Retention: {min} to {max} days.</p>"
        ),
        name = Esc(&view.name),
        retention = Esc(&view.retention),
        min = MIN_RETENTION_DAYS,
        max = MAX_RETENTION_DAYS,
    );
    checkbox(
        &mut out,
        "termination_protection",
        "Termination protection (the store cannot be deleted while it is on)",
        view.termination_protection,
    );
    checkbox(
        &mut out,
        "multi_region",
        "Include events from every region",
        view.multi_region,
    );
    if view.editing.is_none() {
        checkbox(
            &mut out,
            "start_ingestion",
            "Start ingesting events now",
            view.start_ingestion,
        );
        out.push_str("<h2>Events</h2><fieldset><legend>Event type</legend>");
        for (value, label) in STORE_KINDS {
            let checked = if value == view.kind || (view.kind.is_empty() && value == "management") {
                " checked"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<label for=\"kind-{value}\"><input type=\"radio\" name=\"kind\" id=\"kind-{value}\" value=\"{value}\"{checked}> {label}</label>"
            );
        }
        out.push_str("</fieldset>");
    } else {
        out.push_str("<h2>Events</h2>");
    }
    let _ = write!(
        out,
        concat!(
            "<label for=\"selectors\">Advanced event selectors (JSON)</label>",
            "<textarea id=\"selectors\" name=\"selectors\" rows=\"16\" spellcheck=\"false\" aria-describedby=\"selectors-hint\">{json}</textarea>",
            "<p class=\"small muted\" id=\"selectors-hint\">One object holding <span class=\"mono\">AdvancedEventSelectors</span>, ",
            "as CreateEventDataStore takes them. The kind of events a store holds (its <span class=\"mono\">eventCategory</span>) cannot change later.</p>",
        ),
        json = Esc(&view.selectors),
    );
    let (button, cancel) = match &view.editing {
        Some((id, _)) => {
            let mut cancel = String::from("/console/stores/");
            push_query_value(&mut cancel, id);
            ("Save changes", cancel)
        }
        None => ("Create event data store", String::from("/console/stores")),
    };
    let _ = write!(
        out,
        "<div class=\"actions\"><button type=\"submit\" class=\"primary\">{button}</button><a class=\"button\" href=\"{cancel}\">Cancel</a></div></form></section>"
    );
    out
}

/// One store's page.
#[derive(Debug, Clone, Default)]
pub struct StoreDetail {
    /// The session's CSRF token.
    pub csrf: String,
    /// Whether the principal may change the store (then its buttons show).
    pub can_change: bool,
    /// The store's ID.
    pub id: String,
    /// `Name`.
    pub name: String,
    /// `EventDataStoreArn`.
    pub arn: String,
    /// `Status` as the API spells it.
    pub status: String,
    /// `RetentionPeriod` (days).
    pub retention_days: u32,
    /// `TerminationProtectionEnabled`.
    pub termination_protection: bool,
    /// `MultiRegionEnabled`.
    pub multi_region: bool,
    /// `OrganizationEnabled`.
    pub organization: bool,
    /// `BillingMode`.
    pub billing_mode: String,
    /// `KmsKeyId` (empty when none).
    pub kms_key_id: String,
    /// `FederationStatus`.
    pub federation_status: String,
    /// `CreatedTimestamp`, formatted.
    pub created: String,
    /// `UpdatedTimestamp`, formatted.
    pub updated: String,
    /// `{"AdvancedEventSelectors":[…]}`, pretty-printed.
    pub selectors_json: String,
}

/// The body of one store's page.
pub fn store_detail(view: &StoreDetail) -> String {
    let mut out = String::with_capacity(6144 + view.selectors_json.len() * 2);
    let mut base = String::from("/console/stores/");
    push_query_value(&mut base, &view.id);
    out.push_str("<p><a href=\"/console/stores\">← Event data stores</a></p><div class=\"actions\" id=\"store-actions\">");
    let pending_deletion = view.status == "PENDING_DELETION";
    if !pending_deletion {
        out.push_str("<a class=\"button primary\" href=\"/console/lake?store=");
        push_query_value(&mut out, &view.id);
        out.push_str("\">Query this store</a>");
    }
    if view.can_change {
        let csrf = csrf_field(&view.csrf);
        if pending_deletion {
            let _ = write!(
                out,
                "<form method=\"post\" action=\"{base}/restore\" class=\"inline\">{csrf}<button type=\"submit\">Restore event data store</button></form>"
            );
        } else {
            let _ = write!(
                out,
                "<a class=\"button\" href=\"{base}/edit\">Edit event data store</a>"
            );
            let ingestion = match view.status.as_str() {
                "ENABLED" => Some(("stop", "Stop ingestion")),
                "STOPPED_INGESTION" => Some(("start", "Start ingestion")),
                _ => None,
            };
            if let Some((action, label)) = ingestion {
                let _ = write!(
                    out,
                    concat!(
                        "<form method=\"post\" action=\"{base}/ingestion\" class=\"inline\">{csrf}",
                        "<input type=\"hidden\" name=\"action\" value=\"{action}\"><button type=\"submit\">{label}</button></form>"
                    ),
                    base = base,
                    csrf = csrf,
                    action = action,
                    label = label,
                );
            }
            let _ = write!(
                out,
                concat!(
                    "<form method=\"post\" action=\"{base}/delete\" class=\"inline\" data-confirm=\"Delete event data store {name}? ",
                    "It can be restored for 7 days.\">{csrf}<button type=\"submit\" class=\"danger\">Delete event data store</button></form>"
                ),
                base = base,
                name = Esc(&view.name),
                csrf = csrf,
            );
        }
    }
    out.push_str("</div>");
    if pending_deletion {
        out.push_str("<p class=\"muted\">This store is pending deletion: it is purged 7 days after it was deleted unless restored, and it cannot be queried meanwhile.</p>");
    }
    let _ = write!(
        out,
        "<section class=\"panel\" id=\"general\"><h2>General details</h2><dl class=\"facts\"><dt>Status</dt><dd>{}</dd>",
        StatusBadge(&view.status)
    );
    push_fact(&mut out, "Name", &view.name);
    push_fact(&mut out, "Event data store ID", &view.id);
    push_fact(&mut out, "ARN", &view.arn);
    push_fact(
        &mut out,
        "Retention period",
        &format!("{} days", view.retention_days),
    );
    push_fact(
        &mut out,
        "Termination protection",
        enabled_disabled(view.termination_protection),
    );
    push_fact(&mut out, "Multi-region", yes_no(view.multi_region));
    push_fact(&mut out, "Organization", yes_no(view.organization));
    push_fact(&mut out, "Billing mode", &view.billing_mode);
    push_fact(
        &mut out,
        "KMS key",
        if view.kms_key_id.is_empty() {
            "Not set"
        } else {
            &view.kms_key_id
        },
    );
    push_fact(&mut out, "Lake query federation", &view.federation_status);
    push_fact(&mut out, "Created", &view.created);
    push_fact(&mut out, "Last updated", &view.updated);
    out.push_str("</dl></section><section class=\"panel\" id=\"selectors\"><h2>Advanced event selectors</h2><pre class=\"json\" tabindex=\"0\" aria-label=\"Advanced event selectors JSON\">");
    push_json_html(&mut out, &view.selectors_json);
    out.push_str("</pre></section>");
    out
}

/// A store status as a badge: the API's name in words, coloured by what it means.
struct StatusBadge<'a>(&'a str);

impl std::fmt::Display for StatusBadge<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (class, label) = match self.0 {
            "ENABLED" => (" good", "Enabled"),
            "STOPPED_INGESTION" => (" warn", "Stopped ingestion"),
            "PENDING_DELETION" => (" bad", "Pending deletion"),
            "CREATED" => ("", "Created"),
            "STARTING_INGESTION" => ("", "Starting ingestion"),
            "STOPPING_INGESTION" => ("", "Stopping ingestion"),
            other => {
                return write!(formatter, "<span class=\"badge\">{}</span>", Esc(other));
            }
        };
        write!(formatter, "<span class=\"badge{class}\">{label}</span>")
    }
}
