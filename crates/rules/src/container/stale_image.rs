//! CTR028 `stale-image`.

use bulwark_facts::ContainerFacts;
use serde_json::Value;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;

declare_rule! {
    /// ## What it checks
    /// Whether a container still runs the image its reference points at.
    /// The container's `Image` (the image id it was created from) is
    /// compared with the id its `Config.Image` reference (`nginx:1.25`,
    /// `app@sha256:…`) resolves to now on this host:
    /// - different: the tag was pulled or rebuilt since, and the container
    ///   runs a superseded image; fails;
    /// - the same, with the reference pinned by digest (`@sha256:`);
    ///   passes;
    /// - the same with a tag or an image id, or the reference no longer
    ///   resolving: needs a person, since whether the registry holds a newer
    ///   image cannot be known offline.
    ///
    /// Stopped containers are checked too.
    ///
    /// ## Why it matters
    /// Pulling a patched image does not patch the containers created from
    /// the old one: they keep running the vulnerable layers until they are
    /// re-created. A host where `docker images` looks current can still run
    /// months-old software.
    ///
    /// ## How to fix
    /// Re-create containers after pulling (`docker compose up -d`,
    /// `docker rm -f web && docker run ... nginx:1.25`), pin images by
    /// digest (`nginx@sha256:…`) and update the digest through review, and
    /// pull regularly (`docker pull`, `docker compose pull`).
    ///
    /// ## Examples
    /// Fails: `nginx:1.25` was pulled again after `web` was created from
    /// it, so `web` runs the old image.
    /// Passes: `docker run nginx@sha256:0d17…` with that image present.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 5.28
    /// - <https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier>
    pub StaleImage {
        id: "CTR028",
        name: "stale-image",
        severity: Low,
        target: Container,
        summary: "A container runs a superseded or unverified image version",
    }
}

impl Check for StaleImage {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        ctx.each_container(out, judge);
    }
}

fn bare(id: &str) -> &str {
    id.strip_prefix("sha256:").unwrap_or(id)
}

fn judge(c: &ContainerFacts) -> Verdict {
    let reference = c.inspect.config.image.as_str();
    let running = c.inspect.image.as_str();
    let own = Evidence::inspect("/Image", running);
    let refd = Evidence::inspect("/Config/Image", reference);
    let now = Evidence::new(
        Source::Images,
        format!("/images/{reference}/json#/Id"),
        c.image_ref_id.as_deref().map_or(Value::Null, Value::from),
    );

    let Some(current) = c.image_ref_id.as_deref() else {
        return Verdict::manual(format!(
            "Verify: the image reference {reference} no longer resolves on this host; check which version the container runs and whether it is current."
        ))
        .with_all([own, refd, now]);
    };
    if running.is_empty() {
        return Verdict::manual(format!(
            "Verify: the container records no image id, so whether it runs what {reference} points at cannot be told."
        ))
        .with_all([own, refd, now]);
    }
    if bare(current) != bare(running) {
        return Verdict::fail(format!(
            "Runs image {}, but {reference} now points at {}: it runs a superseded image and was not re-created since the reference moved.",
            bulwark_facts::short_id(running),
            bulwark_facts::short_id(current)
        ))
        .with_all([own, refd, now]);
    }
    if reference.contains("@sha256:") {
        return Verdict::pass(format!("Runs the image pinned by digest ({reference})."))
            .with_all([own, refd, now]);
    }
    let form = if is_image_id(reference, running) {
        "an image id"
    } else if !has_tag(reference) || reference.ends_with(":latest") {
        "the moving tag latest"
    } else {
        "a tag"
    };
    Verdict::manual(format!(
        "Verify: the container runs what {reference} ({form}) points at locally, but whether the registry has a newer image cannot be checked offline; confirm the pull and pinning policy."
    ))
    .with_all([own, refd, now])
}

/// True when the reference is the image's own id, full or abbreviated
/// (`docker run 1a2b3c4d5e6f`).
fn is_image_id(reference: &str, running: &str) -> bool {
    let r = bare(reference);
    !r.is_empty() && r.chars().all(|ch| ch.is_ascii_hexdigit()) && bare(running).starts_with(r)
}

/// True when a reference names a tag: a `:` after the last `/` (a `:`
/// before it is a registry port, `registry:5000/app`).
fn has_tag(reference: &str) -> bool {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    last.contains(':')
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::testing::*;

    const OLD: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    const NEW: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    fn facts(reference: &str, image: &str, now: Option<&str>) -> ContainerFacts {
        let mut c =
            container(json!({"Name": "/web", "Image": image, "Config": {"Image": reference}}));
        c.image_ref_id = now.map(String::from);
        c
    }

    fn judged(reference: &str, image: &str, now: Option<&str>) -> crate::finding::Finding {
        only(run(
            &StaleImage,
            &with_containers(host(), vec![facts(reference, image, now)]),
        ))
    }

    #[test]
    fn a_superseded_image_fails() {
        let f = judged("nginx:1.25", OLD, Some(NEW));
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("111111111111"), "{}", f.message);
        assert!(f.message.contains("222222222222"), "{}", f.message);
    }

    #[test]
    fn a_digest_pin_that_matches_passes() {
        let f = judged("nginx@sha256:abcd", OLD, Some(OLD));
        assert_eq!(f.status, Status::Pass);
    }

    #[test]
    fn ids_compare_with_or_without_the_algorithm_prefix() {
        let bare_now = OLD.strip_prefix("sha256:").unwrap();
        assert_eq!(
            judged("nginx@sha256:abcd", OLD, Some(bare_now)).status,
            Status::Pass
        );
    }

    #[test]
    fn a_matching_tag_needs_a_person() {
        for (reference, form) in [
            ("nginx:1.25", "a tag"),
            ("nginx", "latest"),
            ("nginx:latest", "latest"),
            ("registry:5000/team/app", "latest"),
            ("registry:5000/team/app:2.1", "a tag"),
        ] {
            let f = judged(reference, OLD, Some(OLD));
            assert_eq!(f.status, Status::Manual, "{reference}");
            assert!(f.message.starts_with("Verify:"));
            assert!(f.message.contains(form), "{reference}: {}", f.message);
        }
    }

    #[test]
    fn a_container_created_from_an_id_needs_a_person() {
        let f = judged("111111111111", OLD, Some(OLD));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.contains("an image id"), "{}", f.message);
    }

    #[test]
    fn a_reference_that_no_longer_resolves_needs_a_person() {
        let f = judged("nginx:1.25", OLD, None);
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.contains("no longer resolves"), "{}", f.message);
        assert_eq!(f.evidence[2].value, Value::Null);
    }

    #[test]
    fn an_unrecorded_image_id_is_not_a_failure() {
        assert_eq!(judged("nginx:1.25", "", Some(NEW)).status, Status::Manual);
    }

    #[test]
    fn a_stopped_container_is_checked_too() {
        let mut c = facts("nginx:1.25", OLD, Some(NEW));
        c.inspect.state.running = false;
        c.inspect.state.status = "exited".into();
        assert_eq!(
            only(run(&StaleImage, &with_containers(host(), vec![c]))).status,
            Status::Fail
        );
    }

    #[test]
    fn no_containers_is_not_applicable() {
        let f = only(run(&StaleImage, &host()));
        assert_eq!(f.status, Status::NotApplicable);
        assert_eq!(f.reason, Some("no-containers"));
    }

    #[test]
    fn rendered() {
        let mut pinned = facts(
            "nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
            NEW,
            Some(NEW),
        );
        pinned.inspect.name = "/pinned".into();
        let mut tagged = facts("redis:7", NEW, Some(NEW));
        tagged.inspect.name = "/cache".into();
        let s = with_containers(
            host(),
            vec![facts("nginx:1.25", OLD, Some(NEW)), pinned, tagged],
        );
        insta::assert_snapshot!(render(&run(&StaleImage, &s)));
    }
}
