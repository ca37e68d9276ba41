//! Security predicates shared by every input that can express a concept.
//!
//! "Privileged", "runs as root", "shares the host's PID namespace" mean the
//! same thing whether they come from a running container, a compose
//! service or an authorization request. The predicate is written once,
//! here, and each rule feeds it its own input.

pub mod capabilities;
pub mod content_trust;
pub mod image_ref;
pub mod mounts;
pub mod namespaces;
pub mod secrets;
pub mod security_opt;
pub mod user;
