//! Golden files: compare output with a committed expected file.
//!
//! `UPDATE_GOLDEN=1 cargo test -p <crate>` rewrites the expected files; the reviewer reads
//! the diff. Never edit an expected file by hand to make a test pass.

use std::path::Path;

/// Compares `actual` with the file at `path`, or rewrites the file when `UPDATE_GOLDEN=1`.
///
/// # Panics
///
/// Panics when they differ (the test fails), or when the file cannot be read or written.
pub fn assert_golden(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|value| value == "1") {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create golden folder");
        }
        std::fs::write(path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|error| {
        panic!(
            "cannot read golden file {} ({error}); run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(left, right)| left != right)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "output differs from golden file {} at line {}\n--- expected\n{}\n--- actual\n{}\n(run with UPDATE_GOLDEN=1 to accept)",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end of file>"),
            actual.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}
