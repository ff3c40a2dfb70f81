//! Access keys and the principals they stand for: the admin key every data directory has
//! (made on first start, written for the aws CLI to `DIR/credentials`) and the keys the
//! config declares.
//!
//! Files in the data directory:
//!
//! - `credentials`: the aws CLI's shared-credentials format, profile `default`, owner-only
//!   permissions (0600). It holds the admin key's secret; the server reads it on start.
//! - `admin.json`: who the admin key is, without the secret:
//!   `{"version":1,"access_key_id":"AKIA…","account_id":"123456789012","user_name":"admin","principal_id":"AIDA…"}`.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use opentrail_api::Operation;
use opentrail_types::IdGenerator;
use serde::{Deserialize, Serialize};

use crate::config::{Config, KeySection, is_account_id};
use crate::error::{Error, Result};

/// The admin key's description in the data directory.
pub const ADMIN_FILE: &str = "admin.json";
/// The admin key, for the aws CLI.
pub const CREDENTIALS_FILE: &str = "credentials";
const ADMIN_FILE_VERSION: u32 = 1;
/// Characters of generated access key ids after `AKIA` (AWS uses base32's alphabet).
const KEY_ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Characters of generated secrets (AWS secrets are 40 base64 characters).
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read-only operations (`LookupEvents`, `Describe*`, `Get*`, `List*`).
    ReadOnly,
    /// `/ingest` only.
    IngestOnly,
    /// Everything.
    Admin,
}

impl Permission {
    /// Parses `read-only`, `ingest-only` or `admin`.
    pub fn from_config(text: &str) -> Option<Permission> {
        match text {
            "read-only" => Some(Permission::ReadOnly),
            "ingest-only" => Some(Permission::IngestOnly),
            "admin" => Some(Permission::Admin),
            _ => None,
        }
    }

    /// Whether a CloudTrail operation is allowed.
    pub fn allows(self, operation: Operation) -> bool {
        self.allows_call(operation.is_read_only())
    }

    /// Whether an API operation (CloudTrail's or EventBridge's) that only reads when
    /// `read_only` is allowed.
    pub fn allows_call(self, read_only: bool) -> bool {
        match self {
            Permission::Admin => true,
            Permission::ReadOnly => read_only,
            Permission::IngestOnly => false,
        }
    }

    /// Whether `/ingest` is allowed.
    pub fn allows_ingest(self) -> bool {
        matches!(self, Permission::Admin | Permission::IngestOnly)
    }

    /// Whether records of other accounts may be ingested.
    pub fn may_ingest_for_other_accounts(self) -> bool {
        self == Permission::Admin
    }
}

/// Who a key stands for: an IAM-style user of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The account: the only one whose events the principal sees.
    pub account_id: String,
    /// The user's ARN.
    pub arn: String,
    /// The user name.
    pub user_name: String,
    /// The IAM-style unique id (`AIDA…`).
    pub principal_id: String,
    /// What it may do.
    pub permission: Permission,
}

/// A secret access key; never printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// The secret's text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Secret(…)")
    }
}

/// A known access key.
#[derive(Debug, Clone)]
pub struct Key {
    /// The secret.
    pub secret: Secret,
    /// Its principal.
    pub principal: Arc<Principal>,
}

/// Every access key the server accepts.
#[derive(Debug, Default, Clone)]
pub struct KeyRegistry {
    keys: HashMap<String, Key>,
}

impl KeyRegistry {
    /// The key with this id.
    pub fn get(&self, access_key_id: &str) -> Option<&Key> {
        self.keys.get(access_key_id)
    }

    /// Every key, by access key id.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Key)> {
        self.keys.iter()
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn insert(&mut self, access_key_id: String, key: Key) -> Result<()> {
        if self.keys.contains_key(&access_key_id) {
            return Err(Error::Keys(format!(
                "access key `{access_key_id}` is declared twice"
            )));
        }
        self.keys.insert(access_key_id, key);
        Ok(())
    }
}

/// The admin key as `admin.json` holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminFile {
    version: u32,
    access_key_id: String,
    account_id: String,
    user_name: String,
    principal_id: String,
}

/// The admin key, and whether it was made by this start.
#[derive(Debug, Clone)]
pub struct AdminKey {
    /// The access key id.
    pub access_key_id: String,
    /// Its principal.
    pub principal: Arc<Principal>,
    /// `DIR/credentials`.
    pub credentials_file: PathBuf,
    /// True when this start made the key.
    pub created: bool,
}

/// Loads the admin key of the data directory `root`, making it (and its files) on first
/// start, then the keys of `config`.
///
/// # Errors
///
/// Unreadable or damaged key files, an `admin.account_id` that contradicts the existing
/// key, and invalid `[[keys]]` entries.
pub fn load_keys(
    root: &Path,
    config: &Config,
    ids: &dyn IdGenerator,
) -> Result<(KeyRegistry, AdminKey)> {
    let (admin, secret) = load_or_create_admin(root, config, ids)?;
    let mut registry = KeyRegistry::default();
    registry.insert(
        admin.access_key_id.clone(),
        Key {
            secret,
            principal: admin.principal.clone(),
        },
    )?;
    for section in &config.keys {
        let (access_key_id, key) = key_from_config(section)?;
        registry.insert(access_key_id, key)?;
    }
    Ok((registry, admin))
}

fn key_from_config(section: &KeySection) -> Result<(String, Key)> {
    let id = &section.access_key_id;
    if !(16..=128).contains(&id.len()) || !id.bytes().all(|byte| byte.is_ascii_alphanumeric()) {
        return Err(Error::Keys(format!(
            "`keys.access_key_id` `{id}` must be 16 to 128 letters and digits"
        )));
    }
    if section.secret_access_key.len() < 16 {
        return Err(Error::Keys(format!(
            "the secret of access key `{id}` must have at least 16 characters"
        )));
    }
    if !is_account_id(&section.account_id) {
        return Err(Error::Keys(format!(
            "access key `{id}`: `account_id` `{}` is not 12 digits",
            section.account_id
        )));
    }
    let user_name = &section.user_name;
    if user_name.is_empty()
        || user_name.len() > 64
        || !user_name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"+=,.@_-".contains(&byte))
    {
        return Err(Error::Keys(format!(
            "access key `{id}`: `user_name` `{user_name}` must be 1 to 64 of A-Z a-z 0-9 + = , . @ _ -"
        )));
    }
    let Some(permission) = Permission::from_config(&section.permission) else {
        return Err(Error::Keys(format!(
            "access key `{id}`: `permission` `{}` is not `read-only`, `ingest-only` or `admin`",
            section.permission
        )));
    };
    let arn = section
        .arn
        .clone()
        .unwrap_or_else(|| user_arn(&section.account_id, user_name));
    let principal = Principal {
        account_id: section.account_id.clone(),
        arn,
        user_name: user_name.clone(),
        principal_id: principal_id_for(id),
        permission,
    };
    Ok((
        id.clone(),
        Key {
            secret: Secret(section.secret_access_key.clone()),
            principal: Arc::new(principal),
        },
    ))
}

/// `arn:aws:iam::<account>:user/<name>`.
fn user_arn(account_id: &str, user_name: &str) -> String {
    format!("arn:aws:iam::{account_id}:user/{user_name}")
}

/// A stable `AIDA…` id for a configured key (derived from the key id, so it does not
/// change between starts).
fn principal_id_for(access_key_id: &str) -> String {
    let digest = xxhash_rust::xxh3::xxh3_128(access_key_id.as_bytes()).to_le_bytes();
    let mut id = String::from("AIDA");
    // 17 characters from 16 bytes: the first byte serves twice.
    for byte in digest.iter().cycle().take(17) {
        id.push(char::from(
            KEY_ID_ALPHABET[usize::from(*byte) % KEY_ID_ALPHABET.len()],
        ));
    }
    id
}

fn random_text(ids: &dyn IdGenerator, alphabet: &[u8], length: usize) -> String {
    let mut bytes = vec![0u8; length];
    ids.fill(&mut bytes);
    bytes
        .iter()
        .map(|byte| char::from(alphabet[usize::from(*byte) % alphabet.len()]))
        .collect()
}

fn random_account_id(ids: &dyn IdGenerator) -> String {
    let mut bytes = [0u8; 12];
    ids.fill(&mut bytes);
    let mut account: String = bytes
        .iter()
        .map(|byte| char::from(b'0' + byte % 10))
        .collect();
    // Account ids never start with 0 in practice; keep them looking real.
    if account.starts_with('0') {
        account.replace_range(0..1, "1");
    }
    account
}

fn load_or_create_admin(
    root: &Path,
    config: &Config,
    ids: &dyn IdGenerator,
) -> Result<(AdminKey, Secret)> {
    let admin_path = root.join(ADMIN_FILE);
    let credentials_path = root.join(CREDENTIALS_FILE);
    let existing = match fs::read(&admin_path) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(Error::Io {
                what: format!("cannot read `{}`", admin_path.display()),
                source,
            });
        }
    };
    let Some(bytes) = existing else {
        return create_admin(root, config, ids);
    };
    let admin: AdminFile = serde_json::from_slice(&bytes).map_err(|error| {
        Error::Keys(format!(
            "`{}` is damaged: {error}; remove it and `{CREDENTIALS_FILE}` to make a new admin key",
            admin_path.display()
        ))
    })?;
    if admin.version != ADMIN_FILE_VERSION {
        return Err(Error::Keys(format!(
            "`{}` has unsupported version {}",
            admin_path.display(),
            admin.version
        )));
    }
    if let Some(wanted) = &config.admin.account_id
        && *wanted != admin.account_id
    {
        return Err(Error::Keys(format!(
            "`admin.account_id` is `{wanted}` but the admin key of `{}` belongs to account `{}`; \
             remove `{ADMIN_FILE}` and `{CREDENTIALS_FILE}` there to make a new key",
            root.display(),
            admin.account_id
        )));
    }
    let secret = read_default_profile_secret(&credentials_path, &admin.access_key_id)?;
    let principal = Principal {
        arn: user_arn(&admin.account_id, &admin.user_name),
        account_id: admin.account_id,
        user_name: admin.user_name,
        principal_id: admin.principal_id,
        permission: Permission::Admin,
    };
    Ok((
        AdminKey {
            access_key_id: admin.access_key_id,
            principal: Arc::new(principal),
            credentials_file: credentials_path,
            created: false,
        },
        secret,
    ))
}

fn create_admin(root: &Path, config: &Config, ids: &dyn IdGenerator) -> Result<(AdminKey, Secret)> {
    let access_key_id = format!("AKIA{}", random_text(ids, KEY_ID_ALPHABET, 16));
    let secret = random_text(ids, SECRET_ALPHABET, 40);
    let account_id = config
        .admin
        .account_id
        .clone()
        .unwrap_or_else(|| random_account_id(ids));
    let admin = AdminFile {
        version: ADMIN_FILE_VERSION,
        access_key_id: access_key_id.clone(),
        account_id: account_id.clone(),
        user_name: String::from("admin"),
        principal_id: format!("AIDA{}", random_text(ids, KEY_ID_ALPHABET, 17)),
    };
    let credentials_path = root.join(CREDENTIALS_FILE);
    let credentials = format!(
        "# OpenTrail admin key of account {account_id} (data directory `{}`).\n\
         # Use it with: export AWS_SHARED_CREDENTIALS_FILE={}\n\
         [default]\n\
         aws_access_key_id = {access_key_id}\n\
         aws_secret_access_key = {secret}\n",
        root.display(),
        credentials_path.display(),
    );
    // The secret first: an admin.json without its credentials would be a key nobody holds.
    write_owner_only(&credentials_path, credentials.as_bytes())?;
    let admin_json = serde_json::to_vec_pretty(&admin)
        .map_err(|error| Error::Keys(format!("cannot encode `{ADMIN_FILE}`: {error}")))?;
    write_owner_only(&root.join(ADMIN_FILE), &admin_json)?;
    let principal = Principal {
        arn: user_arn(&account_id, &admin.user_name),
        account_id,
        user_name: admin.user_name,
        principal_id: admin.principal_id,
        permission: Permission::Admin,
    };
    Ok((
        AdminKey {
            access_key_id,
            principal: Arc::new(principal),
            credentials_file: credentials_path,
            created: true,
        },
        Secret(secret),
    ))
}

/// Writes `bytes` to `path` with mode 0600: a temporary file, fsync, rename, fsync of the
/// folder, so a crash leaves either no file or the whole one.
fn write_owner_only(path: &Path, bytes: &[u8]) -> Result<()> {
    let io_error = |what: &str, source| Error::Io {
        what: format!("cannot {what} `{}`", path.display()),
        source,
    };
    let temporary = path.with_extension("tmp");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&temporary)
        .map_err(|source| io_error("create", source))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|source| io_error("write", source))?;
    drop(file);
    fs::rename(&temporary, path).map_err(|source| io_error("rename into", source))?;
    if let Some(parent) = path.parent() {
        fs::File::open(parent)
            .and_then(|folder| folder.sync_all())
            .map_err(|source| io_error("sync the folder of", source))?;
    }
    Ok(())
}

/// Reads `aws_secret_access_key` of profile `default`, checking the key id matches.
fn read_default_profile_secret(path: &Path, access_key_id: &str) -> Result<Secret> {
    let text = fs::read_to_string(path).map_err(|source| Error::Io {
        what: format!(
            "cannot read `{}` (the admin key's secret; remove `{ADMIN_FILE}` next to it to make a new key)",
            path.display()
        ),
        source,
    })?;
    let mut in_default = false;
    let mut key_id = None;
    let mut secret = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            in_default = line == "[default]";
            continue;
        }
        if !in_default {
            continue;
        }
        if let Some((name, value)) = line.split_once('=') {
            match name.trim() {
                "aws_access_key_id" => key_id = Some(value.trim().to_owned()),
                "aws_secret_access_key" => secret = Some(value.trim().to_owned()),
                _ => {}
            }
        }
    }
    match (key_id, secret) {
        (Some(found), Some(secret)) if found == access_key_id => Ok(Secret(secret)),
        (Some(found), Some(_)) => Err(Error::Keys(format!(
            "`{}` holds key `{found}` but `{ADMIN_FILE}` names `{access_key_id}`",
            path.display()
        ))),
        _ => Err(Error::Keys(format!(
            "`{}` has no `[default]` profile with `aws_access_key_id` and `aws_secret_access_key`",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentrail_types::SeededIds;

    #[test]
    fn first_start_makes_an_owner_only_admin_key_that_later_starts_reuse() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::default();
        let (registry, admin) = load_keys(dir.path(), &config, &SeededIds::new(7)).unwrap();
        assert!(admin.created);
        assert!(admin.access_key_id.starts_with("AKIA"));
        assert_eq!(admin.access_key_id.len(), 20);
        assert!(is_account_id(&admin.principal.account_id));
        assert_eq!(admin.principal.permission, Permission::Admin);
        assert_eq!(registry.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for file in [CREDENTIALS_FILE, ADMIN_FILE] {
                let mode = fs::metadata(dir.path().join(file))
                    .unwrap()
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600, "{file}");
            }
        }
        let secret = registry
            .get(&admin.access_key_id)
            .unwrap()
            .secret
            .expose()
            .to_owned();
        assert_eq!(secret.len(), 40);
        let text = fs::read_to_string(dir.path().join(CREDENTIALS_FILE)).unwrap();
        assert!(text.contains(&format!("aws_secret_access_key = {secret}")));

        let (again, admin_again) = load_keys(dir.path(), &config, &SeededIds::new(8)).unwrap();
        assert!(!admin_again.created);
        assert_eq!(admin_again.access_key_id, admin.access_key_id);
        assert_eq!(admin_again.principal, admin.principal);
        assert_eq!(
            again.get(&admin.access_key_id).unwrap().secret.expose(),
            secret
        );
    }

    #[test]
    fn a_configured_admin_account_is_used_and_then_enforced() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        config.admin.account_id = Some(String::from("111122223333"));
        let (_, admin) = load_keys(dir.path(), &config, &SeededIds::new(1)).unwrap();
        assert_eq!(admin.principal.account_id, "111122223333");
        assert_eq!(admin.principal.arn, "arn:aws:iam::111122223333:user/admin");
        config.admin.account_id = Some(String::from("444455556666"));
        let error = load_keys(dir.path(), &config, &SeededIds::new(1)).unwrap_err();
        assert!(error.to_string().contains("444455556666"), "{error}");
    }

    #[test]
    fn configured_keys_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let good = KeySection {
            access_key_id: String::from("AKIAAUDITOR000000001"),
            secret_access_key: String::from("0123456789abcdef0123"),
            account_id: String::from("111122223333"),
            user_name: String::from("auditor"),
            arn: None,
            permission: String::from("read-only"),
        };
        let mut config = Config::default();
        config.keys.push(good.clone());
        let (registry, _) = load_keys(dir.path(), &config, &SeededIds::new(1)).unwrap();
        let key = registry.get("AKIAAUDITOR000000001").unwrap();
        assert_eq!(key.principal.permission, Permission::ReadOnly);
        assert_eq!(key.principal.arn, "arn:aws:iam::111122223333:user/auditor");
        assert!(key.principal.principal_id.starts_with("AIDA"));

        let cases = [
            KeySection {
                permission: String::from("root"),
                ..good.clone()
            },
            KeySection {
                account_id: String::from("1111"),
                ..good.clone()
            },
            KeySection {
                secret_access_key: String::from("short"),
                ..good.clone()
            },
            KeySection {
                access_key_id: String::from("AKIA-bad"),
                ..good.clone()
            },
            KeySection {
                user_name: String::from("bad name"),
                ..good.clone()
            },
        ];
        for case in cases {
            let mut config = Config::default();
            config.keys.push(case.clone());
            assert!(
                load_keys(dir.path(), &config, &SeededIds::new(1)).is_err(),
                "{case:?}"
            );
        }
        let mut twice = Config::default();
        twice.keys.push(good.clone());
        twice.keys.push(good);
        assert!(load_keys(dir.path(), &twice, &SeededIds::new(1)).is_err());
    }

    #[test]
    fn permissions_follow_the_operation_kind() {
        assert!(Permission::ReadOnly.allows(Operation::LookupEvents));
        assert!(!Permission::ReadOnly.allows(Operation::CreateTrail));
        assert!(!Permission::IngestOnly.allows(Operation::LookupEvents));
        assert!(Permission::Admin.allows(Operation::CreateTrail));
        assert!(Permission::IngestOnly.allows_ingest());
        assert!(!Permission::ReadOnly.allows_ingest());
    }
}
