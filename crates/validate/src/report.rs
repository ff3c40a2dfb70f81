//! The report, byte for byte as the CLI writes it (spec §3.8): status lines, gap lines,
//! blank lines, the summary, and the counts behind the exit status.

use std::cmp::Ordering;
use std::io::Write;

use opentrail_types::Timestamp;

use crate::error::{EXIT_INVALID, EXIT_OK, Error, ErrorKind, Result};
use crate::logs::{LogOutcome, LogVerdict, TRAILING_DATA_TEXT};
use crate::pytime::{self, PyDateTime};

/// Where the report goes: the CLI writes `valid` lines and the summary to stdout, INVALID
/// lines, gap lines and strict findings to stderr.
pub struct Output<'a> {
    /// Standard output.
    pub stdout: &'a mut (dyn Write + Send),
    /// Standard error.
    pub stderr: &'a mut (dyn Write + Send),
}

impl std::fmt::Debug for Output<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Output")
    }
}

/// The counts of a run that reached its summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Valid standard digests.
    pub valid_digests: u64,
    /// Invalid or missing standard digests.
    pub invalid_digests: u64,
    /// Valid backfill digests.
    pub valid_backfill_digests: u64,
    /// Invalid or missing backfill digests.
    pub invalid_backfill_digests: u64,
    /// Valid log files.
    pub valid_logs: u64,
    /// Invalid or missing log files.
    pub invalid_logs: u64,
    /// Strict-mode findings (always 0 outside strict mode).
    pub strict_findings: u64,
}

impl Report {
    /// The exit status: 1 when anything is invalid or missing, or a strict finding was
    /// made; 0 otherwise (gaps and "No digests found" are not failures).
    pub fn exit_code(&self) -> u8 {
        let problems = self.invalid_digests
            + self.invalid_backfill_digests
            + self.invalid_logs
            + self.strict_findings;
        if problems > 0 { EXIT_INVALID } else { EXIT_OK }
    }
}

/// Something the walk found, in report order.
#[derive(Debug)]
pub(crate) enum Event {
    DigestValid {
        backfill: bool,
        bucket: String,
        key: String,
        start_text: String,
        end_text: String,
    },
    DigestInvalid {
        backfill: bool,
        message: String,
    },
    DigestMissing {
        backfill: bool,
        bucket: String,
        key: String,
    },
    Gap {
        backfill: bool,
        next_end: Timestamp,
        last_start: Timestamp,
    },
    Log(LogOutcome),
    Strict(String),
    Abort(Error),
}

/// Writes events as the CLI writes its status lines, and keeps the counts.
pub(crate) struct Printer<'o, 'w> {
    output: &'o mut Output<'w>,
    verbose: bool,
    strict: bool,
    start: Timestamp,
    end: Timestamp,
    /// The CLI's `_is_last_status_double_space`: the last thing written ended with a blank
    /// line (true at the start: the header ends with one).
    last_double_space: bool,
    found_start: Option<PyDateTime>,
    found_end: Option<PyDateTime>,
    report: Report,
}

fn prefix(backfill: bool) -> &'static str {
    if backfill { "(backfill) " } else { "" }
}

fn output_error(error: std::io::Error) -> Error {
    Error::new(
        ErrorKind::Output,
        format!("cannot write the report: {error}"),
    )
    .with_source(error)
}

impl<'o, 'w> Printer<'o, 'w> {
    pub(crate) fn new(
        output: &'o mut Output<'w>,
        verbose: bool,
        strict: bool,
        start: Timestamp,
        end: Timestamp,
    ) -> Self {
        Printer {
            output,
            verbose,
            strict,
            start,
            end,
            last_double_space: true,
            found_start: None,
            found_end: None,
            report: Report::default(),
        }
    }

    /// `Validating log files for trail <arn> between <start> and <end>` and a blank line.
    pub(crate) fn header(&mut self, trail_arn: &str) -> Result<()> {
        let text = format!(
            "Validating log files for trail {trail_arn} between {} and {}\n\n",
            pytime::display_date(self.start),
            pytime::display_date(self.end)
        );
        self.output
            .stdout
            .write_all(text.as_bytes())
            .map_err(output_error)
    }

    /// Handles one event; an [`Event::Abort`] (or a write failure) is returned as the error.
    pub(crate) fn handle(&mut self, event: Event) -> Result<()> {
        match event {
            Event::DigestValid {
                backfill,
                bucket,
                key,
                start_text,
                end_text,
            } => {
                self.track_found_times(&start_text, &end_text)?;
                if backfill {
                    self.report.valid_backfill_digests += 1;
                } else {
                    self.report.valid_digests += 1;
                }
                self.status(
                    &format!(
                        "{}Digest file\ts3://{bucket}/{key}\tvalid",
                        prefix(backfill)
                    ),
                    false,
                )
            }
            Event::DigestInvalid { backfill, message } => {
                self.count_invalid_digest(backfill);
                self.status(&format!("{}{message}", prefix(backfill)), true)
            }
            Event::DigestMissing {
                backfill,
                bucket,
                key,
            } => {
                self.count_invalid_digest(backfill);
                self.status(
                    &format!(
                        "{}Digest file\ts3://{bucket}/{key}\tINVALID: not found",
                        prefix(backfill)
                    ),
                    true,
                )
            }
            Event::Gap {
                backfill,
                next_end,
                last_start,
            } => self.status(
                &format!(
                    "{}No log files were delivered by CloudTrail between {} and {}",
                    prefix(backfill),
                    pytime::display_date(next_end),
                    pytime::display_date(last_start)
                ),
                true,
            ),
            Event::Log(outcome) => {
                let verdict = outcome.verdict?;
                let valid = verdict == LogVerdict::Valid;
                if valid {
                    self.report.valid_logs += 1;
                } else {
                    self.report.invalid_logs += 1;
                }
                let line = format!(
                    "Log file\ts3://{}/{}\t{}",
                    outcome.bucket,
                    outcome.key,
                    verdict.text()
                );
                self.status(&line, !valid)?;
                if self.strict && outcome.trailing_data {
                    self.report.strict_findings += 1;
                    let line = format!(
                        "Log file\ts3://{}/{}\t{TRAILING_DATA_TEXT}",
                        outcome.bucket, outcome.key
                    );
                    self.status(&line, true)?;
                }
                Ok(())
            }
            Event::Strict(line) => {
                self.report.strict_findings += 1;
                self.status(&line, true)
            }
            Event::Abort(error) => Err(error),
        }
    }

    fn count_invalid_digest(&mut self, backfill: bool) {
        if backfill {
            self.report.invalid_backfill_digests += 1;
        } else {
            self.report.invalid_digests += 1;
        }
    }

    /// `_track_found_times`: compares the digest's own times (not normalized) with the
    /// requested range, as Python does; a zone-less time stops the run with Python's
    /// `TypeError`.
    fn track_found_times(&mut self, start_text: &str, end_text: &str) -> Result<()> {
        let parse = |text: &str| pytime::parse_date(text).map_err(Error::crash);
        let type_error = |text: &'static str| Error::crash(text);
        let digest_start = parse(start_text)?;
        let requested_start = PyDateTime::utc(self.start);
        // max(a, b) keeps `a` unless `b > a`.
        let earliest = match requested_start.compare(digest_start).map_err(type_error)? {
            Ordering::Greater => requested_start,
            _ => digest_start,
        };
        let replace_start = match self.found_start {
            None => true,
            Some(found) => earliest.compare(found).map_err(type_error)? == Ordering::Less,
        };
        if replace_start {
            self.found_start = Some(earliest);
        }
        let digest_end = parse(end_text)?;
        let requested_end = PyDateTime::utc(self.end);
        // min(a, b) keeps `a` unless `b < a`.
        let latest = match requested_end.compare(digest_end).map_err(type_error)? {
            Ordering::Less => requested_end,
            _ => digest_end,
        };
        let replace_end = match self.found_end {
            None => true,
            Some(found) => latest.compare(found).map_err(type_error)? == Ordering::Greater,
        };
        if replace_end {
            self.found_end = Some(latest);
        }
        Ok(())
    }

    /// `_write_status`: errors go to stderr followed by a blank line, preceded by one when
    /// the last output was a verbose line; `valid` lines go to stdout with `--verbose` only.
    fn status(&mut self, message: &str, is_error: bool) -> Result<()> {
        if is_error {
            let text = if self.last_double_space {
                format!("{message}\n\n")
            } else {
                format!("\n{message}\n\n")
            };
            self.last_double_space = true;
            // Keep the two streams in order on a terminal.
            self.output.stdout.flush().map_err(output_error)?;
            self.output
                .stderr
                .write_all(text.as_bytes())
                .map_err(output_error)?;
            self.output.stderr.flush().map_err(output_error)
        } else if self.verbose {
            self.last_double_space = false;
            self.output
                .stdout
                .write_all(format!("{message}\n").as_bytes())
                .map_err(output_error)
        } else {
            Ok(())
        }
    }

    /// `_write_summary_text`, plus the strict-findings count in strict mode.
    pub(crate) fn summary(self) -> Result<Report> {
        let mut text = String::new();
        if !self.last_double_space {
            text.push('\n');
        }
        text.push_str(&format!(
            "Results requested for {} to {}\n",
            pytime::display_date(self.start),
            pytime::display_date(self.end)
        ));
        let report = self.report;
        let digests = report.valid_digests
            + report.valid_backfill_digests
            + report.invalid_digests
            + report.invalid_backfill_digests;
        if digests == 0 {
            text.push_str("No digests found\n");
        } else {
            match (self.found_start, self.found_end) {
                (Some(start), Some(end)) => text.push_str(&format!(
                    "Results found for {} to {}:\n",
                    start.display(),
                    end.display()
                )),
                _ => text.push_str("No valid digests found in range\n"),
            }
            write_ratio(
                &mut text,
                report.valid_digests,
                report.invalid_digests,
                "digest",
            );
            write_ratio(
                &mut text,
                report.valid_backfill_digests,
                report.invalid_backfill_digests,
                "backfill digest",
            );
            write_ratio(&mut text, report.valid_logs, report.invalid_logs, "log");
            if report.strict_findings > 0 {
                let plural = if report.strict_findings == 1 { "" } else { "s" };
                text.push_str(&format!(
                    "\n{} strict finding{plural}",
                    report.strict_findings
                ));
            }
            text.push('\n');
        }
        self.output
            .stdout
            .write_all(text.as_bytes())
            .map_err(output_error)?;
        self.output.stdout.flush().map_err(output_error)?;
        self.output.stderr.flush().map_err(output_error)?;
        Ok(report)
    }
}

/// `_write_ratio`: `\n<valid>/<total> <name> files valid[, <invalid>/<total> <name> files INVALID]`.
fn write_ratio(text: &mut String, valid: u64, invalid: u64, name: &str) {
    let total = valid + invalid;
    if total == 0 {
        return;
    }
    text.push_str(&format!("\n{valid}/{total} {name} files valid"));
    if invalid > 0 {
        text.push_str(&format!(", {invalid}/{total} {name} files INVALID"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> Timestamp {
        Timestamp::parse_event_time(text).unwrap()
    }

    fn run(verbose: bool, events: Vec<Event>) -> (String, String, Report) {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let mut output = Output {
            stdout: &mut stdout,
            stderr: &mut stderr,
        };
        let mut printer = Printer::new(
            &mut output,
            verbose,
            false,
            time("2014-08-10T00:00:00Z"),
            time("2015-08-10T00:00:00Z"),
        );
        printer
            .header("arn:aws:cloudtrail:us-east-1:123456789012:trail/foo")
            .unwrap();
        for event in events {
            printer.handle(event).unwrap();
        }
        let report = printer.summary().unwrap();
        (
            String::from_utf8(stdout).unwrap(),
            String::from_utf8(stderr).unwrap(),
            report,
        )
    }

    fn valid(key: &str, start: &str, end: &str) -> Event {
        Event::DigestValid {
            backfill: false,
            bucket: "1".into(),
            key: key.into(),
            start_text: start.into(),
            end_text: end.into(),
        }
    }

    #[test]
    fn verbose_lines_then_an_error_get_a_blank_line_before_it() {
        let (stdout, stderr, report) = run(
            true,
            vec![
                valid("k2", "2014-08-10T02:00:00Z", "2014-08-10T03:00:00Z"),
                Event::DigestMissing {
                    backfill: false,
                    bucket: "1".into(),
                    key: "k1".into(),
                },
                valid("k0", "2014-08-10T01:00:00Z", "2014-08-10T02:00:00Z"),
            ],
        );
        assert_eq!(
            stdout,
            "Validating log files for trail arn:aws:cloudtrail:us-east-1:123456789012:trail/foo between 2014-08-10T00:00:00Z and 2015-08-10T00:00:00Z\n\n\
             Digest file\ts3://1/k2\tvalid\n\
             Digest file\ts3://1/k0\tvalid\n\
             \n\
             Results requested for 2014-08-10T00:00:00Z to 2015-08-10T00:00:00Z\n\
             Results found for 2014-08-10T01:00:00Z to 2014-08-10T03:00:00Z:\n\
             \n2/3 digest files valid, 1/3 digest files INVALID\n"
        );
        assert_eq!(stderr, "\nDigest file\ts3://1/k1\tINVALID: not found\n\n");
        assert_eq!(report.exit_code(), 1);
    }

    #[test]
    fn nothing_found_is_success() {
        let (stdout, stderr, report) = run(false, Vec::new());
        assert!(stdout.ends_with("\n\nResults requested for 2014-08-10T00:00:00Z to 2015-08-10T00:00:00Z\nNo digests found\n"));
        assert_eq!(stderr, "");
        assert_eq!(report.exit_code(), 0);
    }

    #[test]
    fn zone_less_digest_times_crash_like_python() {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let mut output = Output {
            stdout: &mut stdout,
            stderr: &mut stderr,
        };
        let mut printer = Printer::new(
            &mut output,
            false,
            false,
            time("2014-08-10T00:00:00Z"),
            time("2015-08-10T00:00:00Z"),
        );
        let error = printer
            .handle(valid("k", "2014-08-10T02:00:00", "2014-08-10T03:00:00Z"))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "can't compare offset-naive and offset-aware datetimes"
        );
    }
}
