//! OPS001 `image-sprawl`.

use std::collections::HashSet;

use bulwark_facts::ImageSummary;

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Evidence, Findings, Source, Verdict};
use crate::rule::Check;

/// How many unused images a finding names; the rest are counted.
const NAMED: usize = 10;

declare_rule! {
    /// ## What it checks
    /// How many local images no container uses. The image list
    /// (`GET /images/json`, top-level images only, so intermediate build
    /// layers are not counted) is compared with the image id (`Image`) of
    /// every container, running or stopped, from one inspect each rather
    /// than one CLI call per container. Untagged (dangling) images are
    /// counted separately among the unused ones.
    /// - No unused image passes.
    /// - More unused images than the policy's `unused_image_threshold`
    ///   fails.
    /// - Otherwise (no threshold set, or not exceeded) a person must judge;
    ///   the finding gives the counts and names up to ten images.
    ///
    /// When only running containers were collected, images of stopped
    /// containers would look unused, so the rule never fails then.
    ///
    /// ## Why it matters
    /// Old images pile up with every pull and rebuild. They fill the disk,
    /// make it hard to tell which software is really deployed, and keep
    /// vulnerable versions one `docker run` away from running again.
    ///
    /// ## How to fix
    /// Remove what is not needed: `docker image prune` for dangling images,
    /// `docker image prune -a` for every image no container uses (check the
    /// list first), or `docker rmi <image>`. Schedule the clean-up, and set
    /// `unused_image_threshold` in bulwark's policy to enforce a limit.
    ///
    /// ## Examples
    /// Fails: 40 unused images with `unused_image_threshold = 20`.
    /// Needs a person: 3 unused images and no threshold set.
    /// Passes: every local image is used by a container.
    ///
    /// ## References
    /// - CIS Docker Benchmark 1.6.0, 6.1
    /// - <https://docs.docker.com/engine/manage-resources/pruning/#prune-images>
    pub ImageSprawl {
        id: "OPS001",
        name: "image-sprawl",
        severity: Low,
        target: Ops,
        summary: "Images that no container uses have piled up",
    }
}

fn bare(id: &str) -> &str {
    id.strip_prefix("sha256:").unwrap_or(id)
}

impl Check for ImageSprawl {
    fn check(&self, ctx: &Context<'_>, out: &mut Findings<'_>) {
        let Some(images) = ctx.require(&ctx.snapshot.images, out) else {
            return;
        };
        let Some(containers) = ctx.require(&ctx.snapshot.containers, out) else {
            return;
        };
        let used: HashSet<&str> = containers
            .items
            .iter()
            .map(|c| bare(&c.inspect.image))
            .collect();
        let unused: Vec<&ImageSummary> = images
            .iter()
            .filter(|i| !used.contains(bare(&i.id)))
            .collect();
        let dangling = unused.iter().filter(|i| i.is_dangling()).count();

        let mut names: Vec<String> = unused
            .iter()
            .take(NAMED)
            .map(|i| i.display_name())
            .collect();
        if unused.len() > NAMED {
            names.push(format!("and {} more", unused.len() - NAMED));
        }
        let mut evidence = vec![
            Evidence::new(Source::Images, "/images/json (count)", images.len()),
            Evidence::new(Source::Images, "unused by any container", unused.len()),
            Evidence::new(Source::Images, "unused and dangling", dangling),
            Evidence::new(
                Source::Inspect,
                "containers whose /Image was read",
                containers.items.len(),
            ),
        ];
        if !unused.is_empty() {
            evidence.push(Evidence::new(
                Source::Images,
                "unused (names)",
                names.clone(),
            ));
        }
        if let Some(limit) = ctx.policy.unused_image_threshold {
            evidence.push(Evidence::new(
                Source::Policy,
                "unused_image_threshold",
                limit,
            ));
        }

        let counts = format!(
            "{} of {} images are used by no container ({dangling} of them dangling)",
            unused.len(),
            images.len()
        );
        let verdict = if images.is_empty() {
            Verdict::pass("There are no local images.")
        } else if unused.is_empty() {
            Verdict::pass(format!(
                "Every one of the {} images is used by a container.",
                images.len()
            ))
        } else if containers.running_only {
            Verdict::manual(format!(
                "Verify: {counts}, but only running containers were collected, so some may belong to stopped ones: {}.",
                names.join(", ")
            ))
        } else if let Some(limit) = ctx.policy.unused_image_threshold
            && unused.len() > limit
        {
            Verdict::fail(format!(
                "Image sprawl: {counts}, above the threshold of {limit}: {}.",
                names.join(", ")
            ))
        } else {
            Verdict::manual(format!(
                "Verify: {counts}; check they are still needed: {}.",
                names.join(", ")
            ))
        };
        out.push(ctx.daemon_subject(), verdict.with_all(evidence));
    }
}

#[cfg(test)]
mod tests {
    use bulwark_facts::{Containers, Gap, Part, Snapshot};
    use serde_json::json;

    use super::*;
    use crate::finding::Status;
    use crate::policy::Policy;
    use crate::testing::*;

    fn image(id: &str, tags: &[&str]) -> ImageSummary {
        serde_json::from_value(json!({"Id": format!("sha256:{id:0<64}"), "RepoTags": tags}))
            .unwrap()
    }

    fn user_of(id: &str, running: bool) -> bulwark_facts::ContainerFacts {
        container(
            json!({"Name": format!("/c{id}"), "Image": format!("sha256:{id:0<64}"),
                         "State": {"Running": running, "Status": if running { "running" } else { "exited" }}}),
        )
    }

    fn snapshot(images: Vec<ImageSummary>, users: Vec<bulwark_facts::ContainerFacts>) -> Snapshot {
        let mut s = with_containers(host(), users);
        s.images = Part::Collected(images);
        s
    }

    fn threshold(n: usize) -> Policy {
        Policy {
            unused_image_threshold: Some(n),
            ..Policy::default()
        }
    }

    #[test]
    fn every_image_used_passes_counting_stopped_containers() {
        let s = snapshot(
            vec![image("a", &["web:1"]), image("b", &["job:1"])],
            vec![user_of("a", true), user_of("b", false)],
        );
        assert_eq!(only(run(&ImageSprawl, &s)).status, Status::Pass);
    }

    #[test]
    fn unused_images_need_a_person_without_a_threshold() {
        let s = snapshot(
            vec![
                image("a", &["web:1"]),
                image("b", &["web:0"]),
                image("c", &["<none>:<none>"]),
                image("d", &[]),
            ],
            vec![user_of("a", true)],
        );
        let f = only(run(&ImageSprawl, &s));
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.starts_with("Verify:"));
        assert!(f.message.contains("3 of 4 images"), "{}", f.message);
        assert!(f.message.contains("2 of them dangling"), "{}", f.message);
        assert!(f.message.contains("web:0"), "{}", f.message);
    }

    #[test]
    fn more_unused_than_the_threshold_fails() {
        let images = vec![
            image("a", &["a:1"]),
            image("b", &["b:1"]),
            image("c", &["c:1"]),
        ];
        let s = snapshot(images, Vec::new());
        assert_eq!(
            only(run_with(&ImageSprawl, &s, &threshold(2))).status,
            Status::Fail
        );
        // At the threshold is not above it.
        assert_eq!(
            only(run_with(&ImageSprawl, &s, &threshold(3))).status,
            Status::Manual
        );
    }

    #[test]
    fn only_ten_names_are_listed() {
        let images: Vec<ImageSummary> = (0..13)
            .map(|i| image(&format!("{i:x}f"), &[&format!("img:{i}")]))
            .collect();
        let f = only(run(&ImageSprawl, &snapshot(images, Vec::new())));
        assert!(f.message.contains("and 3 more"), "{}", f.message);
        assert!(!f.message.contains("img:12"), "{}", f.message);
    }

    #[test]
    fn running_only_collection_never_fails() {
        let mut s = snapshot(
            vec![image("a", &["a:1"]), image("b", &["b:1"])],
            vec![user_of("a", true)],
        );
        if let Part::Collected(c) = &mut s.containers {
            c.running_only = true;
        }
        let f = only(run_with(&ImageSprawl, &s, &threshold(0)));
        assert_eq!(f.status, Status::Manual);
        assert!(
            f.message.contains("only running containers"),
            "{}",
            f.message
        );
    }

    #[test]
    fn missing_parts_are_reported_not_guessed() {
        let mut s = snapshot(vec![image("a", &["a:1"])], Vec::new());
        s.containers = Part::Missing(Gap::error("GET /containers/json: 500"));
        assert_eq!(only(run(&ImageSprawl, &s)).status, Status::Error);
        let mut s = snapshot(Vec::new(), Vec::new());
        s.images = Part::Missing(Gap::skipped("not collected"));
        s.containers = Part::Collected(Containers::default());
        assert_eq!(only(run(&ImageSprawl, &s)).status, Status::Skipped);
    }

    #[test]
    fn no_images_passes() {
        assert_eq!(only(run(&ImageSprawl, &host())).status, Status::Pass);
    }

    #[test]
    fn rendered() {
        let s = snapshot(
            vec![
                image("a", &["web:2"]),
                image("b", &["web:1"]),
                image("c", &["<none>:<none>"]),
            ],
            vec![user_of("a", true)],
        );
        let mut text = render(&run(&ImageSprawl, &s));
        text.push('\n');
        text.push_str(&render(&run_with(&ImageSprawl, &s, &threshold(1))));
        insta::assert_snapshot!(text);
    }
}
