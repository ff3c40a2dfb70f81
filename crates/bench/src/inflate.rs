//! `inflate-hash`: where the CPU of `validate-logs` goes, per log file: inflate (zlib-rs in
//! a stream, libdeflate whole), SHA-256, the checks of the whole-buffer path, and
//! `opentrail_digest::gzip::sha256_of_gzip_prefix` as the validator calls it, on one
//! thread and on every core.
//!
//! Reads up to `--files` log files of a trail (`make-trail`'s output, or any folder of
//! `.json.gz` log files) into memory first, so no figure includes I/O. Each case runs
//! `--repeat` times; the best run counts. Rates are of inflated (JSON) bytes, the work the
//! validator cannot avoid; CPU seconds are the measuring threads' own (from
//! `/proc/thread-self/schedstat`), so other work on the machine shows in wall time only.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use libdeflater::Decompressor;
use sha2::{Digest as _, Sha256};

/// Flags of `inflate-hash`.
#[derive(Debug)]
pub struct Args {
    /// A trail folder or any folder holding `.json.gz` log files (searched recursively;
    /// digest files are skipped).
    pub dir: PathBuf,
    /// Log files to load (the first ones in key order).
    pub files: usize,
    /// Runs of each case; the best counts.
    pub repeat: usize,
}

/// One measured run: wall time and CPU time of the measuring threads.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: Duration,
    cpu: Duration,
}

/// Runs `inflate-hash`.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let paths = log_files(&args.dir)?;
    anyhow::ensure!(
        !paths.is_empty(),
        "no `.json.gz` log file under `{}`",
        args.dir.display()
    );
    let mut bodies = Vec::new();
    for path in paths.iter().take(args.files.max(1)) {
        bodies.push(
            std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?,
        );
    }
    let mut inflated = Vec::with_capacity(bodies.len());
    for body in &bodies {
        inflated.push(
            opentrail_digest::gzip::gunzip_single(body, 1 << 32)
                .map_err(|error| anyhow::anyhow!("a log file does not inflate: {error}"))?,
        );
    }
    let gzipped: usize = bodies.iter().map(Vec::len).sum();
    let json: usize = inflated.iter().map(Vec::len).sum();
    println!(
        "inflate-hash: {} log files, {:.1} MB gzipped, {:.1} MB of JSON ({:.1}:1), best of {}",
        bodies.len(),
        gzipped as f64 / 1e6,
        json as f64 / 1e6,
        json as f64 / gzipped.max(1) as f64,
        args.repeat.max(1)
    );
    println!(
        "{:<58} {:>8} {:>8} {:>10}",
        "case (one thread unless said)", "wall s", "CPU s", "JSON MB/s"
    );
    let report = |name: &str, case: &mut dyn FnMut() -> u64| {
        let run = best_of(args.repeat, case);
        println!(
            "{name:<58} {:>8.3} {:>8.3} {:>10.0}",
            run.wall.as_secs_f64(),
            run.cpu.as_secs_f64(),
            json as f64 / 1e6 / run.wall.as_secs_f64()
        );
    };

    for chunk in [64 << 10, 1 << 20] {
        report(
            &format!("SHA-256 (sha2), {} KiB updates", chunk >> 10),
            &mut || {
                let mut check = 0;
                for text in &inflated {
                    let mut hasher = Sha256::new();
                    for piece in text.chunks(chunk) {
                        hasher.update(piece);
                    }
                    check ^= u64::from(hasher.finalize()[0]);
                }
                check
            },
        );
    }
    for chunk in [64 << 10, 256 << 10, 1 << 20] {
        report(
            &format!("inflate: zlib-rs stream, {} KiB reads", chunk >> 10),
            &mut || zlib_rs_stream(&bodies, chunk, |_| {}),
        );
    }
    report("inflate: libdeflate whole, fresh buffer", &mut || {
        let mut decompressor = Decompressor::new();
        let mut total = 0;
        for body in &bodies {
            let mut out = vec![0_u8; isize_of(body)];
            total += decompressor.gzip_decompress(body, &mut out).unwrap_or(0) as u64;
        }
        total
    });
    let mut reused = Vec::new();
    report("inflate: libdeflate whole, reused buffer", &mut || {
        libdeflate_reused(&bodies, &mut reused, |_| {})
    });
    report("before: zlib-rs 64 KiB stream + SHA-256", &mut || {
        let mut hasher = Sha256::new();
        zlib_rs_stream(&bodies, 64 << 10, |piece| hasher.update(piece));
        u64::from(hasher.finalize()[0])
    });
    report("libdeflate whole (reused) + SHA-256", &mut || {
        let mut check = 0;
        libdeflate_reused(&bodies, &mut reused, |text| {
            check ^= u64::from(Sha256::digest(text)[0]);
        });
        check
    });
    report("sha256_of_gzip_prefix (the validator's call)", &mut || {
        hash_all(&bodies)
    });
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    report(
        &format!("sha256_of_gzip_prefix on {threads} threads (CPU: all)"),
        &mut || {
            let shares: Vec<Vec<&Vec<u8>>> = (0..threads)
                .map(|thread| bodies.iter().skip(thread).step_by(threads).collect())
                .collect();
            std::thread::scope(|scope| {
                let handles: Vec<_> = shares
                    .iter()
                    .map(|share| {
                        scope.spawn(move || {
                            let before = thread_cpu();
                            let check = hash_all(share.iter().copied());
                            (check, thread_cpu().saturating_sub(before))
                        })
                    })
                    .collect();
                let mut check = 0;
                for handle in handles {
                    if let Ok((value, cpu)) = handle.join() {
                        check ^= value;
                        OTHER_THREADS_CPU.with(|total| total.set(total.get() + cpu));
                    }
                }
                check
            })
        },
    );
    Ok(())
}

thread_local! {
    /// CPU time of helper threads a case spawned, added to the case's own.
    static OTHER_THREADS_CPU: std::cell::Cell<Duration> = const { std::cell::Cell::new(Duration::ZERO) };
}

fn best_of(repeat: usize, case: &mut dyn FnMut() -> u64) -> Run {
    let mut best: Option<Run> = None;
    for _ in 0..repeat.max(1) {
        OTHER_THREADS_CPU.with(|total| total.set(Duration::ZERO));
        let cpu_before = thread_cpu();
        let started = Instant::now();
        std::hint::black_box(case());
        let wall = started.elapsed();
        let cpu =
            thread_cpu().saturating_sub(cpu_before) + OTHER_THREADS_CPU.with(std::cell::Cell::get);
        if best.is_none_or(|best| wall < best.wall) {
            best = Some(Run { wall, cpu });
        }
    }
    best.unwrap_or(Run {
        wall: Duration::ZERO,
        cpu: Duration::ZERO,
    })
}

/// The production call on every body; returns a check value so nothing is optimised away.
fn hash_all<'a>(bodies: impl IntoIterator<Item = &'a Vec<u8>>) -> u64 {
    let mut check = 0;
    for body in bodies {
        if let Ok(hash) = opentrail_digest::gzip::sha256_of_gzip_prefix(body, 1 << 32) {
            check ^= hash.inflated_bytes;
        }
    }
    check
}

/// The inflated size a file's trailer announces.
fn isize_of(body: &[u8]) -> usize {
    match body.last_chunk::<4>() {
        Some(bytes) => u32::from_le_bytes(*bytes) as usize,
        None => 0,
    }
}

fn libdeflate_reused(bodies: &[Vec<u8>], buffer: &mut Vec<u8>, mut sink: impl FnMut(&[u8])) -> u64 {
    let mut decompressor = Decompressor::new();
    let mut total = 0;
    for body in bodies {
        let size = isize_of(body);
        if buffer.len() < size {
            buffer.resize(size, 0);
        }
        if let Ok(written) = decompressor.gzip_decompress(body, &mut buffer[..size]) {
            sink(&buffer[..written]);
            total += written as u64;
        }
    }
    total
}

#[expect(
    clippy::disallowed_methods,
    reason = "measures the raw decoder the digest crate's streaming path uses, on files this \
              command just read and inflated under a cap"
)]
fn zlib_rs_stream(bodies: &[Vec<u8>], chunk: usize, mut sink: impl FnMut(&[u8])) -> u64 {
    let mut buffer = vec![0_u8; chunk];
    let mut total = 0;
    for body in bodies {
        let mut decoder = flate2::bufread::GzDecoder::new(body.as_slice());
        while let Ok(count) = decoder.read(&mut buffer) {
            if count == 0 {
                break;
            }
            sink(&buffer[..count]);
            total += count as u64;
        }
    }
    total
}

/// CPU time of the calling thread so far (0 where `/proc` does not say).
pub(crate) fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// Every `.json.gz` file under `dir` that is not a digest, in path order.
fn log_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("cannot list `{}`", folder.display()))?;
        for entry in entries {
            let path = entry?.path();
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned());
            let Some(name) = name else { continue };
            if path.is_dir() {
                if name != "CloudTrail-Digest" {
                    pending.push(path);
                }
            } else if name.ends_with(".json.gz") && !name.contains("CloudTrail-Digest") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
