//! Namespace sharing with the host, following `container:<ref>` links the
//! way the engine resolves them. Shared by CIS 5.10, 5.16 and 5.17.

use bulwark_facts::ContainerFacts;

use crate::finding::{Evidence, Verdict};
use crate::predicates::namespaces::{self, Sharing};

/// A namespace mode field, for messages and evidence.
pub struct Namespace {
    /// `HostConfig` field name: `NetworkMode`.
    pub field: &'static str,
    /// How people name the namespace: `network`.
    pub noun: &'static str,
}

/// Finds the container a `container:<ref>` mode names, the way the engine
/// does: full id, then name (with or without the leading `/`), then a
/// unique id prefix.
pub fn find_container<'a>(
    all: &'a [ContainerFacts],
    reference: &str,
) -> Option<&'a ContainerFacts> {
    let name = reference.trim_start_matches('/');
    if reference.is_empty() {
        return None;
    }
    if let Some(c) = all.iter().find(|c| c.inspect.id == reference) {
        return Some(c);
    }
    if let Some(c) = all.iter().find(|c| c.name() == name) {
        return Some(c);
    }
    let mut prefixed = all.iter().filter(|c| c.inspect.id.starts_with(reference));
    match (prefixed.next(), prefixed.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// Judges whether `c` shares the host's namespace of kind `ns`, following
/// `container:` links through `all` with `mode` reading a container's
/// mode field.
pub fn judge_namespace<'a>(
    all: &'a [ContainerFacts],
    c: &'a ContainerFacts,
    ns: &Namespace,
    mode: impl Fn(&'a ContainerFacts) -> &'a str,
) -> Verdict {
    let pointer = format!("/HostConfig/{}", ns.field);
    let own = mode(c);
    let mut evidence = vec![Evidence::inspect(pointer.clone(), own)];

    let (chain, is_host) =
        namespaces::resolve_chain(own, |reference| find_container(all, reference).map(&mode));

    // Each link's own mode, as `name#/HostConfig/<field>` evidence.
    let mut names = Vec::new();
    let mut dangling = None;
    for reference in &chain {
        match find_container(all, reference) {
            Some(target) => {
                names.push(target.name().to_string());
                evidence.push(Evidence::inspect(
                    format!("{}#{pointer}", target.name()),
                    mode(target),
                ));
            }
            None => {
                names.push((*reference).to_string());
                dangling = Some(*reference);
            }
        }
    }
    let path = names.join(" → ");

    match (namespaces::sharing(own), is_host) {
        (Sharing::Host, _) => Verdict::fail(format!(
            "Shares the host's {} namespace ({} host).",
            ns.noun, ns.field
        ))
        .with_all(evidence),
        (_, true) => Verdict::fail(format!(
            "Shares the host's {} namespace through container {path}, which uses host.",
            ns.noun
        ))
        .with_all(evidence),
        (_, false) if dangling.is_some() => Verdict::manual(format!(
            "Verify: container {} (joined through {own}) does not use the host's {} namespace; \
             it is not in the snapshot.",
            dangling.unwrap_or_default(),
            ns.noun
        ))
        .with_all(evidence),
        (Sharing::Container(_), false) => Verdict::pass(format!(
            "Shares the {} namespace of container {path}, which is not the host's.",
            ns.noun
        ))
        .with_all(evidence),
        (Sharing::Own, false) => {
            let shown = if own.is_empty() { "default" } else { own };
            Verdict::pass(format!(
                "Does not share the host's {} namespace ({} {shown}).",
                ns.noun, ns.field
            ))
            .with_all(evidence)
        }
    }
}
