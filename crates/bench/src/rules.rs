//! `rules-match`: EventBridge-style rules matched against the generated event stream, on
//! one thread.
//!
//! 1. **Stream.** `opentrail-generate` writes `--events` events (default 1,000,000) with
//!    the generator settings of the other bars (seed `--seed`, three accounts, four
//!    Regions, 100,000 events a day from 2026-03-02, as `insights` does). Not timed.
//! 2. **Rules.** A first pass over the log files (in path order) draws
//!    [`SAMPLE_RECORDS`] records uniformly (reservoir sampling with the seed); their
//!    envelopes are parsed and `--rules` patterns of twenty kinds are built from them
//!    ([`mix`]: exact, `prefix`, `suffix`, `equals-ignore-case`, `anything-but`, `exists`,
//!    `numeric`, `cidr`, `wildcard`, nested fields, booleans, `$or`, multi-field AND), then
//!    parsed with [`Pattern::parse`] and compiled into one [`Matcher<u32>`]. Not timed
//!    (the compile time is printed).
//! 3. **Shared matcher.** A second pass reads each log file (read, inflate and split: not
//!    timed), then times two loops over the file's records: [`opentrail_routing::envelope()`]
//!    of each record into a reused vector (the drop of the previous file's envelopes is
//!    counted here too), and [`Matcher::matching`] of each envelope's JSON, with the tally
//!    of the matches (a few additions per event). The figures: envelope + match, and
//!    match alone, in events/s.
//! 4. **Naive peer.** On `--naive-events` envelopes spread evenly over the stream (kept in
//!    memory during the second pass, untimed), the timed loop calls
//!    [`Pattern::matches`] of every rule one by one, as a router without a shared
//!    matcher would; the shared matcher is timed on the same envelopes from memory, and
//!    the two must find the same rules for every event (the run fails otherwise).
//!
//! Everything runs on the calling thread (the generator alone uses every core).

mod mix;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use opentrail_archive::gzip::{DEFAULT_MAX_DECOMPRESSED_BYTES, read_file_capped_into};
use opentrail_archive::records::split;
use opentrail_generate::GenerateConfig;
use opentrail_patterns::{Matcher, MatcherBuilder, Pattern};
use opentrail_routing::{Envelope, envelope};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::serve::verdict;

/// Records drawn from the stream to build the rules from.
pub const SAMPLE_RECORDS: usize = 10_000;
/// Events a day of the generated stream (as the `insights` bench).
const EVENTS_PER_DAY: u64 = 100_000;
const DAY_MS: i64 = 86_400_000;
/// The bar: events/s matched on one core.
const BAR_EVENTS_PER_SEC: f64 = 100_000.0;
/// Characters of a rule shown as its kind's example.
const EXAMPLE_CHARS: usize = 150;

/// Flags of `rules-match`.
#[derive(Debug)]
pub struct Args {
    /// Scratch folder (removed first, and at the end): the generated logs.
    pub work: PathBuf,
    /// Events generated.
    pub events: u64,
    /// Rules in the matcher.
    pub rules: usize,
    /// Seed of the stream, the sample and the rules.
    pub seed: u64,
    /// Events the naive rule-by-rule loop runs on.
    pub naive_events: usize,
}

/// One rule: its kind, text and parsed pattern.
#[derive(Debug)]
struct Rule {
    kind: mix::Kind,
    text: String,
    pattern: Pattern,
}

/// What the shared matcher found over the whole stream.
#[derive(Debug, Default)]
struct Tally {
    events: u64,
    matches: u64,
    /// Events by number of rules matched: 0, 1, 2, 3, 4–5, 6–10, more.
    histogram: [u64; 7],
    most: usize,
    /// Events matched, per rule.
    per_rule: Vec<u64>,
}

impl Tally {
    fn count(&mut self, matched: &[u32]) {
        self.events += 1;
        self.matches += matched.len() as u64;
        let bucket = match matched.len() {
            count @ 0..=3 => count,
            4 | 5 => 4,
            6..=10 => 5,
            _ => 6,
        };
        self.histogram[bucket] += 1;
        self.most = self.most.max(matched.len());
        for key in matched {
            if let Some(hits) = self.per_rule.get_mut(*key as usize) {
                *hits += 1;
            }
        }
    }
}

/// Runs `rules-match`.
pub fn run(args: &Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.events >= 1, "`--events` must be at least 1");
    anyhow::ensure!(args.rules >= 1, "`--rules` must be at least 1");
    anyhow::ensure!(u32::try_from(args.rules).is_ok(), "`--rules` is too large");
    crate::fresh_dir(&args.work)?;
    let logs = args.work.join("logs");
    let days = args.events.div_ceil(EVENTS_PER_DAY).max(1);
    let defaults = GenerateConfig::default();
    let config = GenerateConfig {
        seed: args.seed,
        events: args.events,
        start: defaults.start,
        end: defaults
            .start
            .saturating_add_millis(i64::try_from(days).unwrap_or(i64::MAX) * DAY_MS),
        ..GenerateConfig::default()
    };
    let generating = Instant::now();
    let summary = opentrail_generate::generate(&config, &logs, |_| {})
        .context("cannot generate the event stream")?;
    println!(
        "stream: {} events over {days} days (seed {}, {} accounts, {} Regions) in {} files, generated in {:.1} s",
        summary.events,
        args.seed,
        config.accounts,
        summary.regions.len(),
        summary.files,
        generating.elapsed().as_secs_f64()
    );
    let mut files = Vec::new();
    crate::records::list_log_files(&logs, &mut files)?;
    files.sort();

    let (records, sample) = sample_records(&files, args.seed)?;
    let rules = build_rules(&sample, args)?;
    drop(sample);
    let compiling = Instant::now();
    let mut builder = MatcherBuilder::<u32>::new();
    for (key, rule) in (0u32..).zip(&rules) {
        builder.add(key, &rule.pattern);
    }
    let matcher = builder.build();
    println!(
        "matcher: {} rules compiled in {:.1} ms",
        rules.len(),
        compiling.elapsed().as_secs_f64() * 1000.0
    );

    let stride = usize::try_from(records)
        .unwrap_or(usize::MAX)
        .checked_div(args.naive_events)
        .unwrap_or(usize::MAX)
        .max(1);
    let shared = shared_pass(&files, &matcher, rules.len(), stride, args.naive_events)?;
    report_shared(&shared, &rules);
    naive_pass(&shared.subset, &rules, &matcher)?;
    // The router wraps every event before matching it, so the bar counts both.
    let with_envelope = rate(shared.tally.events, shared.total());
    let match_alone = rate(shared.tally.events, shared.match_time);
    println!(
        "bar: ≥ {BAR_EVENTS_PER_SEC:.0} events/s matched on one core ({} rules): envelope + match {with_envelope:.0} events/s {}; match alone {match_alone:.0} events/s {}",
        rules.len(),
        verdict(with_envelope >= BAR_EVENTS_PER_SEC),
        verdict(match_alone >= BAR_EVENTS_PER_SEC)
    );
    std::fs::remove_dir_all(&args.work)
        .with_context(|| format!("cannot remove `{}`", args.work.display()))?;
    Ok(())
}

/// Counts the records of `files` and draws [`SAMPLE_RECORDS`] of them uniformly
/// (reservoir sampling seeded with `seed`).
fn sample_records(files: &[PathBuf], seed: u64) -> anyhow::Result<(u64, Vec<Vec<u8>>)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut sample: Vec<Vec<u8>> = Vec::with_capacity(SAMPLE_RECORDS);
    let mut seen = 0u64;
    let mut buffer = Vec::new();
    for file in files {
        read_file_capped_into(file, DEFAULT_MAX_DECOMPRESSED_BYTES, &mut buffer)
            .with_context(|| format!("cannot read `{}`", file.display()))?;
        let content =
            split(&buffer).with_context(|| format!("cannot split `{}`", file.display()))?;
        for record in content.records() {
            let Ok(raw) = record else { continue };
            let bytes = raw.get().as_bytes();
            if sample.len() < SAMPLE_RECORDS {
                sample.push(bytes.to_vec());
            } else {
                let slot = rng.random_range(0..=seen);
                if let Some(kept) = usize::try_from(slot)
                    .ok()
                    .and_then(|slot| sample.get_mut(slot))
                {
                    *kept = bytes.to_vec();
                }
            }
            seen += 1;
        }
    }
    anyhow::ensure!(!sample.is_empty(), "the generated logs hold no records");
    Ok((seen, sample))
}

/// Builds, prints and parses the rules from the sampled records.
fn build_rules(sample: &[Vec<u8>], args: &Args) -> anyhow::Result<Vec<Rule>> {
    let mut envelopes = Vec::with_capacity(sample.len());
    for record in sample {
        let Ok(wrapped) = envelope(record) else {
            continue;
        };
        let parsed: serde_json::Value =
            serde_json::from_slice(wrapped.json_bytes()).context("an envelope is not JSON")?;
        envelopes.push(parsed);
    }
    let samples = mix::Samples::new(envelopes);
    let built = mix::build(&samples, args.rules, args.seed)?;
    println!(
        "rules: {} built from {} sampled records ({} source/eventName pairs), {} duplicates",
        built.rules.len(),
        sample.len(),
        samples.pairs(),
        built.duplicates
    );
    let mut rules = Vec::with_capacity(built.rules.len());
    for rule in built.rules {
        let pattern = Pattern::parse(&rule.text).map_err(|error| {
            anyhow::anyhow!(
                "the `{}` rule `{}` does not parse: {error}",
                rule.kind.label(),
                rule.text
            )
        })?;
        rules.push(Rule {
            kind: rule.kind,
            text: rule.text,
            pattern,
        });
    }
    Ok(rules)
}

/// The timed pass of the shared matcher over the stream.
#[derive(Debug)]
struct SharedPass {
    envelope_time: Duration,
    match_time: Duration,
    tally: Tally,
    /// Records not wrapped, by reason.
    not_wrapped: u64,
    /// Envelopes kept for the naive loop.
    subset: Vec<Box<str>>,
}

impl SharedPass {
    fn total(&self) -> Duration {
        self.envelope_time + self.match_time
    }
}

/// Wraps and matches every record of `files`, timing both loops; keeps every `stride`-th
/// envelope (at most `keep`).
fn shared_pass(
    files: &[PathBuf],
    matcher: &Matcher<u32>,
    rules: usize,
    stride: usize,
    keep: usize,
) -> anyhow::Result<SharedPass> {
    let mut pass = SharedPass {
        envelope_time: Duration::ZERO,
        match_time: Duration::ZERO,
        tally: Tally {
            per_rule: vec![0; rules],
            ..Tally::default()
        },
        not_wrapped: 0,
        subset: Vec::with_capacity(keep),
    };
    let mut buffer = Vec::new();
    let mut envelopes: Vec<Envelope> = Vec::new();
    let mut matched: Vec<u32> = Vec::new();
    let mut index = 0usize;
    for file in files {
        read_file_capped_into(file, DEFAULT_MAX_DECOMPRESSED_BYTES, &mut buffer)
            .with_context(|| format!("cannot read `{}`", file.display()))?;
        let content =
            split(&buffer).with_context(|| format!("cannot split `{}`", file.display()))?;
        let records = content.records();

        let started = Instant::now();
        envelopes.clear();
        let mut not_wrapped = 0;
        for record in records {
            let Ok(raw) = record else {
                not_wrapped += 1;
                continue;
            };
            match envelope(raw.get().as_bytes()) {
                Ok(wrapped) => envelopes.push(wrapped),
                Err(_) => not_wrapped += 1,
            }
        }
        pass.envelope_time += started.elapsed();
        pass.not_wrapped += not_wrapped;

        let started = Instant::now();
        for wrapped in &envelopes {
            matcher
                .matching(wrapped.json_bytes(), &mut matched)
                .map_err(|error| anyhow::anyhow!("the matcher refused an envelope: {error}"))?;
            pass.tally.count(&matched);
        }
        pass.match_time += started.elapsed();

        for wrapped in &envelopes {
            if index.is_multiple_of(stride) && pass.subset.len() < keep {
                pass.subset.push(Box::from(wrapped.json()));
            }
            index += 1;
        }
    }
    Ok(pass)
}

fn rate(events: u64, time: Duration) -> f64 {
    events as f64 / time.as_secs_f64().max(1e-9)
}

/// Prints the shared matcher's figures and the mix.
fn report_shared(pass: &SharedPass, rules: &[Rule]) {
    let tally = &pass.tally;
    let total = pass.total();
    println!(
        "shared matcher, one thread, {} events ({} records not wrapped): envelope + match {:.2} s = {:.0} events/s; match alone {:.2} s = {:.0} events/s; envelope alone {:.2} s = {:.0} events/s",
        tally.events,
        pass.not_wrapped,
        total.as_secs_f64(),
        rate(tally.events, total),
        pass.match_time.as_secs_f64(),
        rate(tally.events, pass.match_time),
        pass.envelope_time.as_secs_f64(),
        rate(tally.events, pass.envelope_time),
    );
    let share = |count: u64| count as f64 * 100.0 / tally.events.max(1) as f64;
    let histogram = &tally.histogram;
    println!(
        "matches: {} in all, {:.2} rules per event; events matching 0 rules {:.1}%, 1: {:.1}%, 2: {:.1}%, 3: {:.1}%, 4–5: {:.1}%, 6–10: {:.1}%, more: {:.2}%; most {} rules; {} of {} rules matched some event",
        tally.matches,
        tally.matches as f64 / tally.events.max(1) as f64,
        share(histogram[0]),
        share(histogram[1]),
        share(histogram[2]),
        share(histogram[3]),
        share(histogram[4]),
        share(histogram[5]),
        share(histogram[6]),
        tally.most,
        tally.per_rule.iter().filter(|hits| **hits > 0).count(),
        rules.len()
    );
    println!(
        "{:<30} {:>5} {:>8} {:>12}  example",
        "rule kind", "rules", "matching", "events/rule"
    );
    for (kind, _) in mix::MIX {
        let of_kind: Vec<(usize, &Rule)> = rules
            .iter()
            .enumerate()
            .filter(|(_, rule)| rule.kind == kind)
            .collect();
        let Some((_, first)) = of_kind.first() else {
            continue;
        };
        let hits: u64 = of_kind
            .iter()
            .map(|(index, _)| tally.per_rule.get(*index).copied().unwrap_or(0))
            .sum();
        let matching = of_kind
            .iter()
            .filter(|(index, _)| tally.per_rule.get(*index).is_some_and(|hits| *hits > 0))
            .count();
        let example: String = first.text.chars().take(EXAMPLE_CHARS).collect();
        println!(
            "{:<30} {:>5} {:>8} {:>12.0}  {example}",
            kind.label(),
            of_kind.len(),
            matching,
            hits as f64 / of_kind.len() as f64
        );
    }
}

/// Matches of every subset event, flat, with each event's end offset.
#[derive(Debug, Default, PartialEq)]
struct Found {
    keys: Vec<u32>,
    ends: Vec<usize>,
}

/// Times the shared matcher and the rule-by-rule loop on `subset`; fails when they differ.
fn naive_pass(subset: &[Box<str>], rules: &[Rule], matcher: &Matcher<u32>) -> anyhow::Result<()> {
    anyhow::ensure!(
        !subset.is_empty(),
        "no envelope was kept for the naive loop"
    );
    let events = subset.len() as u64;
    let mut matched = Vec::new();
    let mut shared = Found::default();
    let started = Instant::now();
    for json in subset {
        matcher
            .matching(json.as_bytes(), &mut matched)
            .map_err(|error| anyhow::anyhow!("the matcher refused an envelope: {error}"))?;
        shared.keys.extend_from_slice(&matched);
        shared.ends.push(shared.keys.len());
    }
    let shared_time = started.elapsed();

    let mut naive = Found::default();
    let started = Instant::now();
    for json in subset {
        for (key, rule) in (0u32..).zip(rules) {
            let hit = rule.pattern.matches(json.as_bytes()).map_err(|error| {
                anyhow::anyhow!("`Pattern::matches` refused an envelope: {error}")
            })?;
            if hit {
                naive.keys.push(key);
            }
        }
        naive.ends.push(naive.keys.len());
    }
    let naive_time = started.elapsed();
    check_same(subset, rules, &shared, &naive)?;
    let shared_rate = rate(events, shared_time);
    let naive_rate = rate(events, naive_time);
    println!(
        "naive peer (Pattern::matches of each of {} rules in turn, one thread), {events} events spread over the stream: {:.2} s = {naive_rate:.0} events/s; shared matcher on the same envelopes: {:.3} s = {shared_rate:.0} events/s: {:.0}× faster; both found the same {} matches",
        rules.len(),
        naive_time.as_secs_f64(),
        shared_time.as_secs_f64(),
        shared_rate / naive_rate.max(1e-9),
        shared.keys.len()
    );
    Ok(())
}

/// Fails, naming the first differing event, unless `shared` and `naive` agree.
fn check_same(
    subset: &[Box<str>],
    rules: &[Rule],
    shared: &Found,
    naive: &Found,
) -> anyhow::Result<()> {
    if shared == naive {
        return Ok(());
    }
    let mut differing = 0usize;
    let mut first = None;
    let (mut shared_start, mut naive_start) = (0, 0);
    for (index, (shared_end, naive_end)) in shared.ends.iter().zip(&naive.ends).enumerate() {
        let from_shared = &shared.keys[shared_start..*shared_end];
        let from_naive = &naive.keys[naive_start..*naive_end];
        if from_shared != from_naive {
            differing += 1;
            if first.is_none() {
                first = Some((index, from_shared.to_vec(), from_naive.to_vec()));
            }
        }
        shared_start = *shared_end;
        naive_start = *naive_end;
    }
    let Some((index, from_shared, from_naive)) = first else {
        anyhow::bail!("the shared matcher and the naive loop disagree (event counts differ)");
    };
    let describe = |keys: &[u32]| -> String {
        keys.iter()
            .map(|key| {
                let text = rules
                    .get(*key as usize)
                    .map_or("?", |rule| rule.text.as_str());
                format!("\n    {key}: {text}")
            })
            .collect()
    };
    let only_shared: Vec<u32> = from_shared
        .iter()
        .filter(|key| !from_naive.contains(key))
        .copied()
        .collect();
    let only_naive: Vec<u32> = from_naive
        .iter()
        .filter(|key| !from_shared.contains(key))
        .copied()
        .collect();
    anyhow::bail!(
        "FAILED: the shared matcher and the naive loop disagree on {differing} of {} events; first, event {index}:\n  {}\n  only the shared matcher:{}\n  only the naive loop:{}",
        subset.len(),
        subset.get(index).map_or("", |json| json),
        describe(&only_shared),
        describe(&only_naive)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_buckets_events_by_match_count() {
        let mut tally = Tally {
            per_rule: vec![0; 20],
            ..Tally::default()
        };
        tally.count(&[]);
        tally.count(&[1]);
        tally.count(&[1, 2, 3, 4, 5]);
        tally.count(&(0..12).collect::<Vec<u32>>());
        assert_eq!(tally.events, 4);
        assert_eq!(tally.matches, 18);
        assert_eq!(tally.histogram, [1, 1, 0, 0, 1, 0, 1]);
        assert_eq!(tally.most, 12);
        assert_eq!(tally.per_rule[1], 3);
    }

    #[test]
    fn disagreement_names_the_rules() {
        let rules: Vec<Rule> = ["{\"source\":[\"a\"]}", "{\"source\":[\"b\"]}"]
            .into_iter()
            .map(|text| Rule {
                kind: mix::Kind::ExactName,
                text: text.to_owned(),
                pattern: Pattern::parse(text).unwrap(),
            })
            .collect();
        let subset: Vec<Box<str>> = vec![Box::from("{}"), Box::from("{\"x\":1}")];
        let shared = Found {
            keys: vec![0, 1],
            ends: vec![1, 2],
        };
        let naive = Found {
            keys: vec![0],
            ends: vec![1, 1],
        };
        check_same(&subset, &rules, &shared, &shared).unwrap();
        let error = check_same(&subset, &rules, &shared, &naive)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("disagree on 1 of 2 events; first, event 1"),
            "{error}"
        );
        assert!(
            error.contains("only the shared matcher:\n    1: {\"source\":[\"b\"]}"),
            "{error}"
        );
    }
}
