//! The recording endpoint: the self-hosted counterpart of a VPC endpoint with CloudTrail
//! network activity events (`spec/events-and-queries.md` §1.5, `spec/trails-and-integrity.md`
//! §5).
//!
//! An endpoint is a reverse proxy that OpenTrail runs in front of an API: an S3-compatible
//! store first, any AWS-protocol service in general. Every call through it becomes a
//! network activity event for the endpoint's owner, S3 object calls also data events; an
//! endpoint policy (IAM policy language, [`opentrail_policy`]) decides which calls pass,
//! and a refused call is answered in the service's own error shape and recorded with
//! `errorCode` `VpceAccessDenied`. Calls are never altered: the upstream still verifies
//! each signature.
//!
//! The crate knows nothing of the journal or the key registry: the server plugs them in
//! through [`Host`].
//!
//! | Module | Job |
//! | --- | --- |
//! | [`spec`] | what an endpoint is, checked |
//! | [`caller`] | who called, from the access key |
//! | [`records`] | the records of one call |
//! | [`shapes`] | the services' error shapes, both ways |
//! | [`body`] | streamed, counted bodies whose end waits for durability |
//! | [`proxy`] | the listener and the per-call steps |

pub mod body;
pub mod caller;
pub mod error;
pub mod proxy;
pub mod records;
pub mod shapes;
pub mod spec;

pub use caller::{Caller, KnownPrincipal, account_of_access_key_id};
pub use error::SpecError;
pub use proxy::{Endpoint, Host};
pub use spec::EndpointSpec;
