//! `S3Settings::from_env` with injected variables and temporary AWS files.

use std::path::Path;

use opentrail_blob::{ErrorKind, S3Settings};

fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// A fake home with `~/.aws/config` and `~/.aws/credentials`.
fn home_with(config: &str, credentials: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".aws")).unwrap();
    std::fs::write(home.path().join(".aws/config"), config).unwrap();
    std::fs::write(home.path().join(".aws/credentials"), credentials).unwrap();
    home
}

fn home_var(home: &Path) -> (&'static str, &str) {
    ("HOME", home.to_str().unwrap())
}

#[test]
fn nothing_set_means_aws_s3_in_us_east_1_unsigned() {
    let empty_home = tempfile::tempdir().unwrap();
    let settings = S3Settings::from_env(vars(&[home_var(empty_home.path())])).unwrap();
    assert_eq!(
        settings,
        S3Settings {
            region: Some("us-east-1".into()),
            ..S3Settings::default()
        }
    );
    // No HOME at all: no files to read.
    assert_eq!(S3Settings::from_env(vars(&[])).unwrap(), settings);
}

#[test]
fn environment_variables_come_first() {
    let home = home_with(
        "[default]\nregion = eu-west-1\nendpoint_url = http://config:1\n",
        "[default]\naws_access_key_id = FILE\naws_secret_access_key = file-secret\n",
    );
    let settings = S3Settings::from_env(vars(&[
        home_var(home.path()),
        ("AWS_ENDPOINT_URL", "http://generic:9000"),
        ("AWS_ENDPOINT_URL_S3", "http://s3-only:9000"),
        ("AWS_REGION", "ap-south-1"),
        ("AWS_DEFAULT_REGION", "us-west-2"),
        ("AWS_ACCESS_KEY_ID", "AKIAENV"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_SESSION_TOKEN", "env-token"),
    ]))
    .unwrap();
    assert_eq!(
        settings,
        S3Settings {
            endpoint_url: Some("http://s3-only:9000".into()),
            region: Some("ap-south-1".into()),
            access_key_id: Some("AKIAENV".into()),
            secret_access_key: Some("env-secret".into()),
            session_token: Some("env-token".into()),
            force_path_style: true,
            allow_http: true,
        }
    );
    let settings = S3Settings::from_env(vars(&[
        home_var(home.path()),
        ("AWS_ENDPOINT_URL", "https://generic:9000"),
        ("AWS_DEFAULT_REGION", "us-west-2"),
    ]))
    .unwrap();
    assert_eq!(
        settings.endpoint_url.as_deref(),
        Some("https://generic:9000")
    );
    assert_eq!(settings.region.as_deref(), Some("us-west-2"));
    assert!(settings.force_path_style && !settings.allow_http);
    assert_eq!(settings.access_key_id.as_deref(), Some("FILE"));
}

#[test]
fn profile_files_supply_what_the_environment_leaves_out() {
    let config = "\
[default]
region = eu-west-1

[profile dev]
region = eu-central-1
endpoint_url = http://ignored-by-s3-section:1
s3 =
    endpoint_url = http://minio.dev:9000
    addressing_style = virtual
";
    let credentials = "\
[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = default-secret

[dev]
aws_access_key_id = AKIADEV
aws_secret_access_key = dev-secret
aws_session_token = dev-token
";
    let home = home_with(config, credentials);
    let settings =
        S3Settings::from_env(vars(&[home_var(home.path()), ("AWS_PROFILE", "dev")])).unwrap();
    assert_eq!(
        settings,
        S3Settings {
            endpoint_url: Some("http://minio.dev:9000".into()),
            region: Some("eu-central-1".into()),
            access_key_id: Some("AKIADEV".into()),
            secret_access_key: Some("dev-secret".into()),
            session_token: Some("dev-token".into()),
            force_path_style: false,
            allow_http: true,
        }
    );
    let settings = S3Settings::from_env(vars(&[home_var(home.path())])).unwrap();
    assert_eq!(settings.region.as_deref(), Some("eu-west-1"));
    assert_eq!(settings.access_key_id.as_deref(), Some("AKIADEFAULT"));
    assert_eq!(settings.session_token, None);
    assert_eq!(settings.endpoint_url, None);
    assert!(!settings.force_path_style);
}

#[test]
fn file_locations_come_from_variables() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("my-config");
    let credentials = dir.path().join("my-credentials");
    std::fs::write(
        &config,
        "[profile ci]\nregion = sa-east-1\ns3 =\n  addressing_style = path\n",
    )
    .unwrap();
    std::fs::write(
        &credentials,
        "[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = ci-secret\n",
    )
    .unwrap();
    let settings = S3Settings::from_env(vars(&[
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ("AWS_PROFILE", "ci"),
    ]))
    .unwrap();
    assert_eq!(settings.region.as_deref(), Some("sa-east-1"));
    assert_eq!(settings.access_key_id.as_deref(), Some("AKIACI"));
    // addressing_style = path applies even to AWS S3 itself.
    assert!(settings.force_path_style);
    // `~/` in a file variable means HOME.
    let settings = S3Settings::from_env(vars(&[
        ("HOME", dir.path().to_str().unwrap()),
        ("AWS_CONFIG_FILE", "~/my-config"),
        ("AWS_PROFILE", "ci"),
    ]))
    .unwrap();
    assert_eq!(settings.region.as_deref(), Some("sa-east-1"));
}

#[test]
fn credentials_may_live_in_the_config_file() {
    let home = home_with(
        "[profile cfg]\naws_access_key_id = AKIACFG\naws_secret_access_key = s\n",
        "",
    );
    let settings =
        S3Settings::from_env(vars(&[home_var(home.path()), ("AWS_PROFILE", "cfg")])).unwrap();
    assert_eq!(settings.access_key_id.as_deref(), Some("AKIACFG"));
}

#[test]
fn configured_endpoints_can_be_ignored() {
    let home = home_with("[default]\ns3 =\n  endpoint_url = http://x:1\n", "");
    let settings = S3Settings::from_env(vars(&[
        home_var(home.path()),
        ("AWS_ENDPOINT_URL", "http://y:1"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ]))
    .unwrap();
    assert_eq!(settings.endpoint_url, None);
    assert!(!settings.force_path_style && !settings.allow_http);
}

#[test]
fn empty_variables_count_as_unset() {
    let empty_home = tempfile::tempdir().unwrap();
    let settings = S3Settings::from_env(vars(&[
        home_var(empty_home.path()),
        ("AWS_ENDPOINT_URL_S3", ""),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
        ("AWS_REGION", ""),
        ("AWS_PROFILE", ""),
    ]))
    .unwrap();
    assert_eq!(
        settings.endpoint_url.as_deref(),
        Some("http://127.0.0.1:5000")
    );
    assert_eq!(settings.region.as_deref(), Some("us-east-1"));
}

#[test]
fn unusable_settings_are_errors() {
    let home = home_with("[default]\n", "[half]\naws_access_key_id = AKIA\n");
    let cases: Vec<Vec<(String, String)>> = vec![
        vars(&[home_var(home.path()), ("AWS_PROFILE", "nope")]),
        vars(&[home_var(home.path()), ("AWS_ACCESS_KEY_ID", "AKIA")]),
        vars(&[home_var(home.path()), ("AWS_SECRET_ACCESS_KEY", "s")]),
        vars(&[home_var(home.path()), ("AWS_PROFILE", "half")]),
        vars(&[home_var(home.path()), ("AWS_ENDPOINT_URL", "ftp://x")]),
        vars(&[
            home_var(home.path()),
            ("AWS_ENDPOINT_URL", "localhost:9000"),
        ]),
    ];
    for case in cases {
        let error = S3Settings::from_env(case.clone()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidConfig, "{case:?}: {error}");
    }
    let error =
        S3Settings::from_env(vars(&[home_var(home.path()), ("AWS_PROFILE", "nope")])).unwrap_err();
    assert!(error.to_string().contains("`nope`"), "{error}");
}

#[test]
fn debug_output_hides_secrets() {
    let settings = S3Settings {
        access_key_id: Some("AKIA".into()),
        secret_access_key: Some("top-secret".into()),
        session_token: Some("token-secret".into()),
        ..S3Settings::default()
    };
    let debug = format!("{settings:?}");
    assert!(debug.contains("AKIA"));
    assert!(
        !debug.contains("top-secret") && !debug.contains("token-secret"),
        "{debug}"
    );
}
