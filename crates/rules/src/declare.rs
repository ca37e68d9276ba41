//! [`declare_rule!`](crate::declare_rule): one declaration per rule, docs included.
//!
//! A plain `macro_rules!` is enough at this size (no proc-macro crate): it
//! collects the `///` lines above the rule into [`RuleMeta::docs`], so the
//! doc comment is the only place a rule's documentation is written.
//! `bulwark explain`, `docs/rules/` and SARIF help all read it from there.
//!
//! [`RuleMeta::docs`]: crate::rule::RuleMeta::docs

/// Declares a rule: a unit struct, its [`Declared`](crate::rule::Declared)
/// metadata and its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it checks
///     /// …
///     pub PrivilegedContainer {
///         id: "CTR005",
///         name: "privileged-container",
///         severity: High,
///         target: Container,
///         summary: "A container runs with --privileged",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $rule:ident {
            id: $id:literal,
            name: $name:literal,
            severity: $severity:ident,
            target: $target:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $rule;

        impl $crate::rule::Declared for $rule {
            const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                id: $id,
                name: $name,
                severity: $crate::rule::Severity::$severity,
                target: $crate::rule::Target::$target,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
