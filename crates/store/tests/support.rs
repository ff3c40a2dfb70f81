//! Shared set-up: a journal and a history in a temporary folder.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use opentrail_event::{Event, RecordLimits};
use opentrail_journal::{AppendEntry, Attachment, Journal, JournalConfig};
use opentrail_store::{History, HistoryConfig, LookupEvent, LookupEventsInput, LookupQuery};
use opentrail_types::SharedClock;
use opentrail_types::json_text;

pub struct Harness {
    pub dir: tempfile::TempDir,
    pub journal: Journal,
    pub history: Option<History>,
    pub clock: SharedClock,
    pub config: HistoryConfig,
}

impl Harness {
    pub fn new(config: HistoryConfig, clock: SharedClock) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let journal = open_journal(dir.path(), &clock);
        let history = History::open(
            &dir.path().join("history"),
            journal.clone(),
            config.clone(),
            clock.clone(),
        )
        .unwrap();
        Harness {
            dir,
            journal,
            history: Some(history),
            clock,
            config,
        }
    }

    pub fn history(&self) -> &History {
        self.history.as_ref().unwrap()
    }

    /// Appends records (JSON text), stamping missing event IDs, and waits until searchable.
    /// The history indexes them by parsing them.
    pub fn append(&self, records: &[String]) {
        self.append_entries(records, false);
    }

    /// As [`Harness::append`], attaching each event's lookup keys as import and ingest do,
    /// so that the history indexes them from the keys.
    pub fn append_with_keys(&self, records: &[String]) {
        self.append_entries(records, true);
    }

    fn append_entries(&self, records: &[String], attach_keys: bool) {
        let mut entries = Vec::new();
        for (index, json) in records.iter().enumerate() {
            let compact = json_text::compact(json).into_bytes();
            let mut event = Event::parse(&compact, &RecordLimits::STANDARD).unwrap();
            let payload = if event.event_id().is_none() {
                event.set_event_id(format!("stamped-{index}-{}", entries.len()));
                event.to_json()
            } else {
                compact
            };
            let entry = AppendEntry::new(event.event_id().unwrap().to_owned(), payload);
            entries.push(if attach_keys {
                let keys: Attachment = Arc::new(event.lookup_keys());
                entry.with_attachment(keys)
            } else {
                entry
            });
        }
        self.journal.append(entries).unwrap();
        assert!(self.history().wait_caught_up(Duration::from_secs(10)));
    }

    /// Closes and reopens the history (and the journal).
    pub fn restart(&mut self) {
        if let Some(history) = self.history.take() {
            history.close();
        }
        self.journal = open_journal(self.dir.path(), &self.clock);
        let history = History::open(
            &self.dir.path().join("history"),
            self.journal.clone(),
            self.config.clone(),
            self.clock.clone(),
        )
        .unwrap();
        assert!(history.wait_caught_up(Duration::from_secs(10)));
        self.history = Some(history);
    }

    /// Every page of a lookup, concatenated.
    pub fn lookup_all(&self, input: LookupEventsInput) -> Vec<LookupEvent> {
        self.lookup_all_as(None, input)
    }

    /// Every page of a lookup restricted to `account` (as the server sets it), concatenated.
    pub fn lookup_all_as(
        &self,
        account: Option<&str>,
        mut input: LookupEventsInput,
    ) -> Vec<LookupEvent> {
        let mut all = Vec::new();
        loop {
            let mut query = LookupQuery::from_input(&input).unwrap();
            query.account = account.map(str::to_owned);
            let page = self.history().lookup_events(&query).unwrap();
            assert!(page.events.len() <= query.max_results);
            all.extend(page.events);
            match page.next_token {
                Some(token) => input.next_token = Some(token),
                None => return all,
            }
        }
    }
}

fn open_journal(dir: &Path, clock: &SharedClock) -> Journal {
    Journal::open(
        &dir.join("journal"),
        JournalConfig {
            segment_bytes: 256 * 1024,
            ..JournalConfig::default()
        },
        clock.clone(),
    )
    .unwrap()
}

pub fn attributes(pairs: &[(&str, &str)]) -> LookupEventsInput {
    LookupEventsInput {
        lookup_attributes: pairs
            .iter()
            .map(|(key, value)| (Some((*key).to_owned()), Some((*value).to_owned())))
            .collect(),
        ..LookupEventsInput::default()
    }
}

pub fn ids(events: &[LookupEvent]) -> Vec<String> {
    events.iter().map(|event| event.event_id.clone()).collect()
}
