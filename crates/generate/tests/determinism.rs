//! Same configuration, same bytes.

use opentrail_generate::GenerateConfig;

use crate::support::{files_under, run, small_config};

fn snapshot(config: &GenerateConfig) -> Vec<(String, Vec<u8>)> {
    let (dir, _) = run(config);
    files_under(dir.path())
        .into_iter()
        .map(|path| {
            let relative = path
                .strip_prefix(dir.path())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (relative, std::fs::read(&path).unwrap())
        })
        .collect()
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let base = GenerateConfig {
        data_event_fraction: 0.2,
        ..small_config(4_000)
    };
    let one_thread = snapshot(&GenerateConfig {
        threads: 1,
        ..base.clone()
    });
    let three_threads = snapshot(&GenerateConfig {
        threads: 3,
        ..base.clone()
    });
    assert!(!one_thread.is_empty());
    assert_eq!(one_thread.len(), three_threads.len());
    for (left, right) in one_thread.iter().zip(&three_threads) {
        assert_eq!(left.0, right.0);
        assert!(left.1 == right.1, "{} differs", left.0);
    }
}

#[test]
fn another_seed_gives_other_output() {
    let first = snapshot(&small_config(500));
    let second = snapshot(&GenerateConfig {
        seed: 8,
        ..small_config(500)
    });
    assert_ne!(first, second);
}
