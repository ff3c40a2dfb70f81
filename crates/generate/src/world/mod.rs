//! The simulated organisation: accounts, their resources, and the principals that call
//! AWS. Everything is derived from the seed, so the same configuration always describes
//! the same world.

mod pools;
mod principals;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::catalog::Res;
use crate::json::{ALNUM, BASE64, HEX, IAM_ALPHABET, UPPER_ALNUM};
use crate::profile::Profile;
use crate::random::{AliasTable, below, chance, mix, mix3, normal, uniform};

use pools::build_pool;
use principals::{AWS_OCTETS, build_principal};
pub(crate) use principals::{Agent, IdentityKind, Principal, SessionName};

const COMPANIES: [&str; 10] = [
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "vandelay",
    "wayne",
    "stark",
    "tyrell",
    "cyberdyne",
];
pub(crate) const APPS: [&str; 20] = [
    "orders",
    "payments",
    "billing",
    "search",
    "auth",
    "checkout",
    "inventory",
    "analytics",
    "catalog",
    "shipping",
    "fraud",
    "ledger",
    "notifications",
    "reports",
    "profiles",
    "pricing",
    "recommendations",
    "media",
    "gateway",
    "scheduler",
];
pub(crate) const ENVS: [&str; 3] = ["prod", "staging", "dev"];
pub(crate) const FIRST_NAMES: [&str; 30] = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yasmin", "zoe",
    "omar", "priya", "chen", "mateo", "aisha", "lars", "ines", "kenji", "fatima",
];
pub(crate) const LAST_NAMES: [&str; 26] = [
    "smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "anderson", "thomas",
    "taylor", "moore", "martin", "lee", "perez", "white", "harris", "clark", "lewis", "walker",
    "young", "kim", "nguyen", "patel", "schmidt", "rossi", "silva",
];

/// One named resource of an account.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    /// The name or ID as it appears in request parameters.
    pub name: String,
    /// Extra ARN material (secret suffix, stack UUID, load balancer hex ID), possibly empty.
    pub tail: String,
}

/// One AWS account of the simulated organisation.
#[derive(Debug)]
pub(crate) struct Account {
    /// 12-digit account ID.
    pub id: String,
    /// The 8 characters shared by this account's IAM unique IDs and access keys.
    pub code: String,
    /// Identity Center identity store ID (`d-…`).
    pub identity_store: String,
    /// Company word used in names.
    pub company: &'static str,
    /// VPC endpoint IDs of the account.
    pub vpc_endpoints: Vec<String>,
    /// NAT gateway addresses its workloads leave through.
    pub nat_ips: Vec<String>,
    pools: Vec<Vec<Resource>>,
}

impl Account {
    /// The resources of one kind (never empty).
    pub(crate) fn pool(&self, kind: Res) -> &[Resource] {
        &self.pools[kind as usize]
    }
}

/// The simulated organisation.
#[derive(Debug)]
pub(crate) struct World {
    /// Accounts, the busiest first.
    pub accounts: Vec<Account>,
    /// Principals: the configured ones, then per account its root user and its service
    /// events.
    pub principals: Vec<Principal>,
}

impl World {
    /// Builds the world for `seed`.
    pub(crate) fn build(
        seed: u64,
        accounts: usize,
        regions: &[String],
        principals: usize,
    ) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(seed, 0x0057_4F52_4C44));
        let company = COMPANIES[below(&mut rng, COMPANIES.len())];
        let mut built_accounts: Vec<Account> = (0..accounts)
            .map(|_| build_account(&mut rng, company))
            .collect();
        let account_weights: Vec<f64> = (0..accounts)
            .map(|index| 1.0 / (index as f64 + 1.0))
            .collect();
        let account_table = AliasTable::new(&account_weights);

        let mut list = Vec::with_capacity(principals + 2 * accounts);
        let profile_shares: Vec<f64> = Profile::SHARED
            .iter()
            .map(|profile| profile.spec().share)
            .collect();
        let profile_table = AliasTable::new(&profile_shares);
        for index in 0..principals {
            // The first principals take each profile once, so small worlds still show every
            // identity type; the rest follow the shares.
            let profile = match (Profile::SHARED.get(index), &profile_table) {
                (Some(profile), _) => *profile,
                (None, Some(table)) => Profile::SHARED[table.sample(&mut rng)],
                (None, None) => Profile::Developer,
            };
            let account = match &account_table {
                Some(table) if index >= Profile::SHARED.len() || index >= accounts => {
                    table.sample(&mut rng)
                }
                _ => index % accounts.max(1),
            };
            list.push(build_principal(
                &mut rng,
                seed,
                &built_accounts[account],
                account,
                profile,
                regions,
            ));
        }
        for (account_index, account) in built_accounts.iter().enumerate() {
            for profile in [Profile::Root, Profile::ServiceEvents] {
                list.push(build_principal(
                    &mut rng,
                    seed,
                    account,
                    account_index,
                    profile,
                    regions,
                ));
            }
        }
        // Roles and users of the principals join the resource pools, so `GetRole` and
        // `AssumeRole` name roles that also make calls.
        for principal in &list {
            let pool = match principal.identity {
                IdentityKind::AssumedRole => Res::Role,
                IdentityKind::IamUser => Res::User,
                _ => continue,
            };
            let account = &mut built_accounts[principal.account];
            let entries = &mut account.pools[pool as usize];
            if !entries.iter().any(|entry| entry.name == principal.name) {
                entries.insert(
                    0,
                    Resource {
                        name: principal.name.clone(),
                        tail: principal.role_path.clone(),
                    },
                );
            }
        }
        World {
            accounts: built_accounts,
            principals: list,
        }
    }
}

fn pick<'a>(rng: &mut (impl RngCore + ?Sized), items: &[&'a str]) -> &'a str {
    items[below(rng, items.len())]
}

fn random_string(rng: &mut (impl RngCore + ?Sized), alphabet: &[u8], count: usize) -> String {
    let mut out = Vec::with_capacity(count);
    crate::json::random_chars(&mut out, rng, alphabet, count);
    String::from_utf8(out).unwrap_or_default()
}

fn hashed_string(hash: u64, alphabet: &[u8], count: usize) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(hash);
    random_string(&mut rng, alphabet, count)
}

pub(crate) fn text_hash(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3)
    })
}

fn app_env(rng: &mut (impl RngCore + ?Sized)) -> (&'static str, &'static str) {
    let env_draw = uniform(rng);
    let env = if env_draw < 0.55 {
        ENVS[0]
    } else if env_draw < 0.8 {
        ENVS[1]
    } else {
        ENVS[2]
    };
    (APPS[below(rng, APPS.len())], env)
}

fn uuid_string(rng: &mut (impl RngCore + ?Sized)) -> String {
    let mut out = Vec::with_capacity(36);
    crate::json::uuid(&mut out, rng);
    String::from_utf8(out).unwrap_or_default()
}

fn public_ip(rng: &mut (impl RngCore + ?Sized), octets: &[u8]) -> String {
    let first = octets[below(rng, octets.len())];
    let rest = rng.next_u32().to_be_bytes();
    format!("{first}.{}.{}.{}", rest[0], rest[1], rest[2].max(1))
}

fn build_account(rng: &mut (impl RngCore + ?Sized), company: &'static str) -> Account {
    let id = format!(
        "{}{}",
        1 + below(rng, 9),
        random_string(rng, b"0123456789", 11)
    );
    let code = random_string(rng, IAM_ALPHABET, 8);
    let mut pools: Vec<Vec<Resource>> = Vec::with_capacity(Res::ALL.len());
    for kind in Res::ALL {
        pools.push(build_pool(rng, kind, company, &pools));
    }
    Account {
        identity_store: format!("d-{}", random_string(rng, HEX, 10)),
        vpc_endpoints: (0..4)
            .map(|_| format!("vpce-0{}", random_string(rng, HEX, 16)))
            .collect(),
        nat_ips: (0..3).map(|_| public_ip(rng, &AWS_OCTETS)).collect(),
        id,
        code,
        company,
        pools,
    }
}

pub(crate) fn iam_unique_id(prefix: &str, account: &Account, name: &str) -> String {
    let suffix = hashed_string(
        mix(text_hash(&account.id), text_hash(name)),
        IAM_ALPHABET,
        9,
    );
    format!("{prefix}{}{suffix}", account.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Vec<String> {
        vec![String::from("us-east-1"), String::from("eu-west-1")]
    }

    #[test]
    fn worlds_repeat_for_a_seed() {
        let first = World::build(5, 3, &regions(), 40);
        let second = World::build(5, 3, &regions(), 40);
        assert_eq!(first.accounts.len(), 3);
        assert_eq!(first.principals.len(), 46);
        for (left, right) in first.principals.iter().zip(&second.principals) {
            assert_eq!(left.name, right.name);
            assert_eq!(left.unique_id, right.unique_id);
            assert_eq!(left.access_key, right.access_key);
        }
        assert_ne!(
            World::build(6, 3, &regions(), 40).accounts[0].id,
            first.accounts[0].id
        );
    }

    #[test]
    fn ids_follow_iam_forms() {
        let world = World::build(1, 2, &regions(), 30);
        for account in &world.accounts {
            assert_eq!(account.id.len(), 12);
            assert!(account.id.bytes().all(|byte| byte.is_ascii_digit()));
            for kind in Res::ALL {
                assert!(!account.pool(kind).is_empty(), "{kind:?}");
            }
        }
        for principal in &world.principals {
            match principal.identity {
                IdentityKind::IamUser => {
                    assert!(principal.unique_id.starts_with("AIDA"));
                    assert_eq!(principal.unique_id.len(), 21);
                    assert!(principal.access_key.starts_with("AKIA"));
                    assert_eq!(principal.access_key.len(), 20);
                }
                IdentityKind::AssumedRole => assert!(principal.unique_id.starts_with("AROA")),
                _ => {}
            }
        }
    }

    #[test]
    fn same_role_name_gives_same_unique_id() {
        let world = World::build(2, 1, &regions(), 200);
        let mut seen = std::collections::HashMap::new();
        for principal in &world.principals {
            if matches!(principal.identity, IdentityKind::AssumedRole) {
                let previous = seen.insert(principal.name.clone(), principal.unique_id.clone());
                if let Some(previous) = previous {
                    assert_eq!(previous, principal.unique_id);
                }
            }
        }
    }
}
