//! Containers: one list call, then one inspect per container, concurrently
//! and bounded (catalog S7). For running containers, their exec sessions
//! too; for every distinct image reference, what it resolves to now.

use std::collections::{BTreeMap, BTreeSet};

use bollard::query_parameters::ListContainersOptionsBuilder;
use bulwark_facts::{ContainerFacts, Containers, ExecInspect, Gap, Part};
use futures_util::stream::{self, StreamExt};

use crate::CollectOptions;
use crate::api::{Api, CallError, convert};

/// Lists and inspects every container in scope.
pub async fn collect(api: &Api, options: &CollectOptions) -> Part<Containers> {
    let list_options = ListContainersOptionsBuilder::default()
        .all(!options.running_only)
        .build();
    let listed = match api
        .call(
            "GET /containers/json",
            api.docker.list_containers(Some(list_options)),
        )
        .await
    {
        Ok(list) => list,
        Err(e) => return Part::Missing(e.gap("GET /containers/json")),
    };
    let ids: Vec<String> = listed.into_iter().filter_map(|c| c.id).collect();

    // `buffered` (not `buffer_unordered`) keeps list order, so two runs
    // over the same host report containers in the same order.
    let mut inspected = stream::iter(ids)
        .map(|id| async move {
            let result = inspect_one(api, &id).await;
            (id, result)
        })
        .buffered(options.concurrency.max(1));

    let mut containers = Containers {
        running_only: options.running_only,
        ..Containers::default()
    };
    let own = own_container_id();
    while let Some((id, result)) = inspected.next().await {
        match result {
            Ok(c) if own.as_deref() == Some(c.inspect.id.as_str()) => {
                // bulwark's own container, excluded by id (never by a name
                // substring: that once dropped every container named *nil*).
                containers.excluded.push(c.inspect.id.clone());
            }
            Ok(c) => containers.items.push(c),
            // Removed between the list and the inspect: a note, not a finding.
            Err(CallError::NotFound) => containers.vanished.push(id),
            // The first failure ends the walk: returning drops the stream,
            // which cancels the inspections in flight, so a daemon that
            // hangs mid-run costs one timeout, not one per container.
            Err(CallError::Failed(reason)) => {
                return Part::Missing(Gap::error(format!(
                    "GET /containers/{}/json: {reason}",
                    bulwark_facts::short_id(&id)
                )));
            }
        }
    }
    drop(inspected);
    resolve_image_refs(api, &mut containers, options.concurrency).await;
    Part::Collected(containers)
}

/// The id of the container bulwark itself runs in, from its own cgroup,
/// when it runs in one.
fn own_container_id() -> Option<String> {
    let cgroup = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    crate::processes::container_ids(&cgroup)
        .next()
        .map(str::to_string)
}

async fn inspect_one(api: &Api, id: &str) -> Result<ContainerFacts, CallError> {
    let raw = api
        .call("inspect", api.docker.inspect_container(id, None))
        .await?;
    let inspect = convert(&raw).map_err(CallError::Failed)?;
    let mut facts = ContainerFacts {
        inspect,
        ..ContainerFacts::default()
    };
    facts.execs = if facts.is_running() {
        inspect_execs(api, facts.inspect.exec_ids.as_deref().unwrap_or_default()).await
    } else {
        Part::Missing(Gap::skipped(
            "not running: exec sessions end with the container",
        ))
    };
    facts.processes = Part::Missing(Gap::skipped("not running"));
    Ok(facts)
}

/// Exec sessions the daemon still remembers. An exec that vanished
/// between the inspect and now is dropped; its absence is bounded evidence
/// anyway (exec records go when a container restarts).
async fn inspect_execs(api: &Api, ids: &[String]) -> Part<Vec<ExecInspect>> {
    let mut execs = Vec::with_capacity(ids.len());
    for id in ids {
        match api
            .call("GET /exec/{id}/json", api.docker.inspect_exec(id))
            .await
        {
            Ok(raw) => match convert(&raw) {
                Ok(exec) => execs.push(exec),
                Err(e) => return Part::Missing(Gap::error(e)),
            },
            Err(CallError::NotFound) => {}
            Err(e) => return Part::Missing(e.gap("GET /exec/{id}/json")),
        }
    }
    Part::Collected(execs)
}

/// For CIS 5.28: what each distinct `Config.Image` reference points at now.
/// Many containers share a reference, so each is asked once.
async fn resolve_image_refs(api: &Api, containers: &mut Containers, concurrency: usize) {
    let refs: BTreeSet<String> = containers
        .items
        .iter()
        .map(|c| c.inspect.config.image.clone())
        .filter(|r| !r.is_empty())
        .collect();
    let resolved: BTreeMap<String, Option<String>> = stream::iter(refs)
        .map(|r| async move {
            let id = api
                .call("GET /images/{ref}/json", api.docker.inspect_image(&r))
                .await
                .ok()
                .and_then(|img| img.id);
            (r, id)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    for c in &mut containers.items {
        c.image_ref_id = resolved.get(&c.inspect.config.image).cloned().flatten();
    }
}
