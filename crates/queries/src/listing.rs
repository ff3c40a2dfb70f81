//! ListQueries.

use opentrail_types::Timestamp;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{ListQueriesRequest, ListedQuery, QueriesPage, QueryStatus};
use crate::service::{Queries, millis};
use crate::token::{self, ListCursor};

impl Queries {
    /// ListQueries: the account's queries that read `store_id`, created within the
    /// retention window and the requested range, newest first.
    ///
    /// # Errors
    ///
    /// `InvalidMaxResults` outside 1–1000, `InvalidQueryStatus` for a status that is not
    /// one of the six, `InvalidDateRange` when `start_time` is after `end_time`,
    /// `InvalidNextToken` for a token of another listing.
    pub fn list(&self, request: &ListQueriesRequest) -> Result<QueriesPage> {
        let page_size = self.page_size(request.max_results, "MaxResults")?;
        let status = match request.status.as_deref() {
            None => None,
            Some(text) => Some(QueryStatus::parse(text).ok_or_else(|| {
                Error::rejected(
                    ErrorKind::InvalidQueryStatus,
                    format!("QueryStatus `{text}` is not one of QUEUED, RUNNING, FINISHED, FAILED, CANCELLED, TIMED_OUT"),
                )
            })?),
        };
        if let (Some(start), Some(end)) = (request.start_time, request.end_time)
            && start > end
        {
            return Err(Error::rejected(
                ErrorKind::InvalidDateRange,
                format!(
                    "StartTime `{}` is after EndTime `{}`",
                    start.format_event_time(),
                    end.format_event_time()
                ),
            ));
        }
        let fingerprint = token::listing_fingerprint(
            &request.account,
            &request.store_id,
            request.start_time,
            request.end_time,
            request.status.as_deref(),
        );
        let cursor = match request.next_token.as_deref() {
            Some(text) => Some(token::decode_listing(text, fingerprint)?),
            None => None,
        };
        let window_start = self
            .inner
            .clock
            .now()
            .saturating_add_millis(-millis(self.inner.limits.results_retention));
        let earliest = request
            .start_time
            .map_or(window_start, |start| start.max(window_start));
        let latest = request.end_time.unwrap_or(Timestamp::MAX);
        let mut matching: Vec<ListedQuery> = {
            let state = self.inner.lock();
            state
                .queries
                .values()
                .map(|entry| &entry.record)
                .filter(|record| {
                    record.account == request.account
                        && record.store_ids.contains(&request.store_id)
                        && record.creation_time >= earliest
                        && record.creation_time <= latest
                        && status.is_none_or(|wanted| record.status == wanted)
                })
                .map(|record| ListedQuery {
                    query_id: record.query_id.clone(),
                    status: record.status,
                    creation_time: record.creation_time,
                })
                .collect()
        };
        matching.sort_by(|left, right| {
            right
                .creation_time
                .cmp(&left.creation_time)
                .then_with(|| left.query_id.cmp(&right.query_id))
        });
        if let Some(cursor) = &cursor {
            matching.retain(|query| is_after_cursor(query, cursor));
        }
        let more = matching.len() > page_size;
        matching.truncate(page_size);
        let next_token = match matching.last() {
            Some(last) if more => Some(token::encode_listing(
                fingerprint,
                &ListCursor {
                    creation_time: last.creation_time,
                    query_id: last.query_id.clone(),
                },
            )),
            _ => None,
        };
        Ok(QueriesPage {
            queries: matching,
            next_token,
        })
    }
}

/// Whether `query` comes after `cursor` in newest-first order.
fn is_after_cursor(query: &ListedQuery, cursor: &ListCursor) -> bool {
    query.creation_time < cursor.creation_time
        || (query.creation_time == cursor.creation_time && query.query_id > cursor.query_id)
}
