//! Running the binary, and a data directory with the fixtures imported.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

pub fn opentrail() -> Command {
    let mut command = Command::cargo_bin("opentrail").unwrap();
    command
        .env_remove("OPENTRAIL_DATA_DIR")
        .env_remove("OPENTRAIL_CONFIG")
        .env("OPENTRAIL_LOG", "error");
    command
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Imports the repository's fixtures into `data_dir`.
pub fn import_fixtures(data_dir: &Path) -> Output {
    let output = opentrail()
        .args(["import", "--data-dir"])
        .arg(data_dir)
        .arg(opentrail_testkit::testdata::root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "import failed: {}\n{}",
        stdout(&output),
        stderr(&output)
    );
    output
}
