//! The crash test: a writer process is killed with SIGKILL at random moments, again and
//! again; every acknowledged event must then be in the journal exactly once.
//!
//! The test binary re-runs itself as the writer (`writer_process`, ignored unless the
//! environment names a journal folder). The writer prints `ack <id>` after each append
//! returns, so the parent knows exactly what was acknowledged before the kill.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentrail_journal::{AppendEntry, AppendOutcome, Journal, JournalConfig};
use opentrail_types::SystemClock;
use rand::Rng;

const DIR_VAR: &str = "OPENTRAIL_CRASH_DIR";
const START_VAR: &str = "OPENTRAIL_CRASH_START";
const RESEND_VAR: &str = "OPENTRAIL_CRASH_RESEND";

fn crash_config() -> JournalConfig {
    // Small segments and a small ID table so kills land in rolls and table growth too.
    JournalConfig {
        segment_bytes: 256 * 1024,
        id_table_initial_slots: 64,
        ..JournalConfig::default()
    }
}

/// Payload whose content is a function of the ID, so damage would be noticed.
fn payload_for(id: &str, length: usize) -> Vec<u8> {
    let mut payload = format!(r#"{{"eventID":"{id}","pad":""#).into_bytes();
    let fill = id.bytes().cycle().take(length);
    payload.extend(fill);
    payload.extend_from_slice(b"\"}");
    payload
}

fn check_payload(id: &str, payload: &[u8]) -> bool {
    let prefix = format!(r#"{{"eventID":"{id}","pad":""#);
    let Some(rest) = payload.strip_prefix(prefix.as_bytes()) else {
        return false;
    };
    let Some(fill) = rest.strip_suffix(b"\"}") else {
        return false;
    };
    fill.iter()
        .zip(id.bytes().cycle())
        .all(|(left, right)| *left == right)
}

#[test]
#[ignore = "run by `acknowledged_events_survive_repeated_sigkill` as a child process"]
fn writer_process() {
    let Ok(dir) = std::env::var(DIR_VAR) else {
        return;
    };
    let start: u64 = std::env::var(START_VAR).unwrap().parse().unwrap();
    let say = |line: String| {
        let mut out = std::io::stdout().lock();
        out.write_all(line.as_bytes()).unwrap();
        out.write_all(b"\n").unwrap();
        out.flush().unwrap();
    };
    // libtest has printed `test crash::writer_process ... ` without a newline: end that
    // line, so every marker below starts a line of its own.
    say(String::new());
    let journal = match Journal::open(
        std::path::Path::new(&dir),
        crash_config(),
        Arc::new(SystemClock),
    ) {
        Ok(journal) => journal,
        Err(error) => {
            say(format!("open-failed {error}"));
            std::process::exit(3);
        }
    };
    say(String::from("ready"));
    // Retries of IDs acknowledged by earlier runs must come back as duplicates.
    if let Ok(resend) = std::env::var(RESEND_VAR) {
        let ids: Vec<&str> = resend.split(',').filter(|id| !id.is_empty()).collect();
        let entries = ids
            .iter()
            .map(|id| AppendEntry::new(*id, payload_for(id, 10)))
            .collect();
        let outcomes = journal.append(entries).unwrap();
        for (id, outcome) in ids.iter().zip(outcomes) {
            match outcome {
                AppendOutcome::Duplicate { .. } => say(format!("dup {id}")),
                AppendOutcome::Appended { .. } => say(format!("resent-appended {id}")),
            }
        }
    }
    let counter = Arc::new(AtomicU64::new(start));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let journal = journal.clone();
            let counter = Arc::clone(&counter);
            std::thread::spawn(move || {
                let mut rng = rand::rng();
                loop {
                    let count = rng.random_range(1..40);
                    let mut ids = Vec::with_capacity(count);
                    let mut entries = Vec::with_capacity(count);
                    for _ in 0..count {
                        let id = format!("ev-{}", counter.fetch_add(1, Ordering::SeqCst));
                        entries.push(AppendEntry::new(
                            id.clone(),
                            payload_for(&id, rng.random_range(50..3000)),
                        ));
                        ids.push(id);
                    }
                    let outcomes = journal.append(entries).unwrap();
                    assert!(
                        outcomes
                            .iter()
                            .all(|outcome| matches!(outcome, AppendOutcome::Appended { .. }))
                    );
                    say(format!("ack {}", ids.join(" ")));
                }
            })
        })
        .collect();
    for thread in threads {
        let _ = thread.join();
    }
}

#[test]
fn acknowledged_events_survive_repeated_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let mut acknowledged: HashSet<String> = HashSet::new();
    let mut rng = rand::rng();
    let mut kills = 0;
    let mut resend: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut run = 0u64;
    // At least 40 kills, and enough acknowledged events for the check to mean something.
    while run < 40 || acknowledged.len() < 2_000 {
        if Instant::now() > deadline {
            break;
        }
        run += 1;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::writer_process",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_VAR, dir.path())
            .env(START_VAR, (run * 10_000_000).to_string())
            .env(RESEND_VAR, resend.join(","))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let collector = {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    lines.lock().unwrap().push(line);
                }
            })
        };
        // Most kills land while appends are under way; one in five during start-up, which
        // may interrupt the recovery of the previous kill.
        if rng.random_range(0..5) != 0 {
            let waiting = Instant::now();
            while !lines.lock().unwrap().iter().any(|line| line == "ready")
                && waiting.elapsed() < Duration::from_secs(20)
            {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(5..250)));
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        collector.join().unwrap();
        let lines = lines.lock().unwrap();
        for line in lines.iter() {
            if let Some(reason) = line.strip_prefix("open-failed ") {
                panic!("run {run}: the journal did not reopen after a kill: {reason}");
            }
            if let Some(id) = line.strip_prefix("resent-appended ") {
                panic!("run {run}: acknowledged `{id}` was appended again after a restart");
            }
            if let Some(ids) = line.strip_prefix("ack ") {
                acknowledged.extend(ids.split(' ').map(str::to_owned));
            }
        }
        resend = acknowledged.iter().take(20).cloned().collect();
    }
    assert!(kills >= 20, "only {kills} kills happened");
    assert!(
        acknowledged.len() > 1_000,
        "only {} events were acknowledged",
        acknowledged.len()
    );

    let journal = Journal::open(dir.path(), crash_config(), Arc::new(SystemClock)).unwrap();
    let all = crate::basics::read_all(&journal);
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for (index, (seq, id, payload)) in all.iter().enumerate() {
        assert_eq!(*seq, index as u64 + 1, "sequence gap at {id}");
        assert!(id.starts_with("ev-"), "unexpected entry `{id}`");
        assert!(check_payload(id, payload), "payload of {id} is damaged");
        if let Some(previous) = seen.insert(id.as_str(), *seq) {
            panic!("`{id}` is in the journal twice (seq {previous} and {seq})");
        }
    }
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !seen.contains_key(id.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged events are lost, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    eprintln!(
        "{kills} kills, {} acknowledged, {} in the journal",
        acknowledged.len(),
        all.len()
    );
}
