//! Stages, the stages they are built on, their last USER, and the images
//! they pull.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::{Args, Dockerfile, Instruction, Kind, Stage};

/// `stage` and the earlier stages it is built on, nearest first.
pub(crate) fn stage_chain<'a>(df: &'a Dockerfile, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut chain = vec![stage];
    let mut parent = stage.parent;
    while let Some(p) = parent.and_then(|p| df.stages.get(p)) {
        if chain.iter().any(|s| s.index == p.index) {
            break;
        }
        chain.push(p);
        parent = p.parent;
    }
    chain
}

/// The instructions of `stage` (FROM excluded), with their indices,
/// last first when `rev`.
pub(crate) fn stage_instructions<'a>(
    df: &'a Dockerfile,
    stage: &Stage,
) -> impl DoubleEndedIterator<Item = (usize, &'a Instruction)> {
    let range = stage.from + 1..stage.end.min(df.instructions.len());
    df.instructions
        .get(range.clone())
        .unwrap_or(&[])
        .iter()
        .zip(range)
        .map(|(i, n)| (n, i))
}

/// The USER in effect at the end of a stage.
pub(crate) enum LastUser<'a> {
    /// The last USER instruction of the stage or of a stage it is built on.
    Set {
        index: usize,
        user: &'a bulwark_syntax::dockerfile::UserArgs,
    },
    /// No USER in the stage nor in the stages it is built on.
    Unset,
    /// The tree cannot tell: a USER without a value, or an instruction the
    /// parser did not recognise (maybe a misspelt USER) after the last USER.
    Unknown,
}

/// The USER in effect at the end of `stage`, following its parent stages.
pub(crate) fn last_user<'a>(df: &'a Dockerfile, stage: &'a Stage) -> LastUser<'a> {
    for s in stage_chain(df, stage) {
        for (index, instruction) in stage_instructions(df, s).rev() {
            match (&instruction.kind, &instruction.args) {
                (Kind::User, Args::User(Some(user))) => return LastUser::Set { index, user },
                (Kind::User, _) | (Kind::Unknown, _) => return LastUser::Unknown,
                _ => {}
            }
        }
    }
    LastUser::Unset
}

/// The USER value (`user[:group]`), variables expanded as the build would;
/// `None` when a variable has no known value. The whole value is expanded
/// before splitting at `:`, as BuildKit does (the parser splits at the
/// first `:` of the text, which may sit inside `${UID:-0}`).
pub(crate) fn resolved_user(
    df: &Dockerfile,
    index: usize,
    user: &bulwark_syntax::dockerfile::UserArgs,
) -> Option<String> {
    let mut raw = user.user.raw.to_string();
    if let Some(g) = &user.group {
        raw.push(':');
        raw.push_str(&g.raw);
    }
    let e = df.expand_at(&raw, index);
    (e.is_complete() && !e.value.is_empty()).then_some(e.value)
}

/// The span of a USER value, group included.
pub(crate) fn user_span(user: &bulwark_syntax::dockerfile::UserArgs) -> Span {
    match &user.group {
        Some(g) => user.user.span.to(g.span),
        None => user.user.span,
    }
}

/// The text of a USER value as written.
pub(crate) fn user_text(user: &bulwark_syntax::dockerfile::UserArgs) -> String {
    match &user.group {
        Some(g) => format!("{}:{}", user.user.raw, g.raw),
        None => user.user.raw.to_string(),
    }
}

/// An image a build pulls: a stage's base or a `COPY --from` image.
pub(crate) struct PulledImage {
    /// The reference as written.
    pub written: String,
    /// Where it is written.
    pub span: Span,
    /// With ARGs substituted.
    pub resolved: String,
    pub image: bulwark_syntax::dockerfile::ImageRef,
    /// `FROM` (true) or `COPY --from` (false).
    pub is_base: bool,
}

/// The images the build pulls, with their variables resolved: each
/// stage's base unless it is an earlier stage or `scratch`, and each
/// `COPY --from=<image>`. A reference whose variables have no known value
/// is left out.
pub(crate) fn pulled_images(df: &Dockerfile) -> Vec<PulledImage> {
    let mut out = Vec::new();
    for stage in &df.stages {
        let (Some(word), Some(e), None) = (&stage.base, &stage.base_resolved, stage.parent) else {
            continue;
        };
        if !e.is_complete() || e.value.is_empty() {
            continue;
        }
        let image = bulwark_syntax::dockerfile::ImageRef::parse(&e.value);
        if image.is_scratch() {
            continue;
        }
        out.push(PulledImage {
            written: word.raw.to_string(),
            span: word.span,
            resolved: e.value.clone(),
            image,
            is_base: true,
        });
    }
    for (index, instruction) in df.instructions.iter().enumerate() {
        if instruction.kind != Kind::Copy {
            continue;
        }
        let Some(flag) = instruction.flag("from") else {
            continue;
        };
        let e = df.expand_at(flag.value.as_deref().unwrap_or(""), index);
        if !e.is_complete() || e.value.is_empty() {
            continue;
        }
        let Some(bulwark_syntax::dockerfile::CopyFrom::Image(reference)) = df.copy_from(index)
        else {
            continue;
        };
        out.push(PulledImage {
            written: flag.value.as_deref().unwrap_or_default().to_string(),
            span: flag.value_span.unwrap_or(flag.span),
            image: bulwark_syntax::dockerfile::ImageRef::parse(&reference),
            resolved: reference,
            is_base: false,
        });
    }
    out
}
