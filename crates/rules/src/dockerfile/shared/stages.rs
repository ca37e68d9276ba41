//! Stages, the stages they are built on, and their last USER.

use std::borrow::Cow;

use bulwark_syntax::dockerfile::{Args, Dockerfile, Instruction, Kind, Stage, UserArgs};
use bulwark_syntax::{Source, Span};

use smallvec::SmallVec;

use super::{literal, unset_variable};
use crate::context::Context;

/// `stage` and the earlier stages it is built on, nearest first. On the
/// stack: chains are short, and several rules ask for every RUN or stage.
pub(crate) fn stage_chain<'a>(df: &'a Dockerfile, stage: &'a Stage) -> SmallVec<[&'a Stage; 4]> {
    let mut chain: SmallVec<[&'a Stage; 4]> = SmallVec::new();
    chain.push(stage);
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

/// A USER value worked out by [`resolved_user`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// The user as written, without a group: a literal.
    AsWritten,
    Expanded(String),
}

/// The USER value (`user[:group]`), variables expanded as the build would;
/// `None` when a variable has no known value. The whole value is expanded
/// before splitting at `:`, as BuildKit does (the parser splits at the
/// first `:` of the text, which may sit inside `${UID:-0}`). A literal
/// user is not copied, and a lone variable nothing in scope declares
/// (`USER ${UID}` with `UID` a global ARG only) is not expanded: most
/// USERs are one or the other.
pub(crate) fn resolved_user(
    df: &Dockerfile,
    index: usize,
    user: &bulwark_syntax::dockerfile::UserArgs,
) -> Option<Resolved> {
    let e = match &user.group {
        Some(g) => df.expand_at(&format!("{}:{}", user.user.raw, g.raw), index),
        None => {
            let raw = user.user.raw.as_str();
            if let Some(value) = literal(df, raw) {
                return (!value.is_empty()).then_some(Resolved::AsWritten);
            }
            if unset_variable(df, raw, index) {
                return None;
            }
            df.expand_at(raw, index)
        }
    };
    (e.is_complete() && !e.value.is_empty()).then_some(Resolved::Expanded(e.value))
}

/// The span of a USER value, group included.
pub(crate) fn user_span(user: &bulwark_syntax::dockerfile::UserArgs) -> Span {
    match &user.group {
        Some(g) => user.user.span.to(g.span),
        None => user.user.span,
    }
}

/// The text of a USER value as written (borrowed without a group).
pub(crate) fn user_text(user: &bulwark_syntax::dockerfile::UserArgs) -> Cow<'_, str> {
    match &user.group {
        Some(g) => Cow::Owned(format!("{}:{}", user.user.raw, g.raw)),
        None => Cow::Borrowed(&user.user.raw),
    }
}

/// The last USER of the final stage (or of a stage it is built on) and
/// its value resolved (see [`resolved_user`]): `None` when the final
/// stage has no USER with a value, or its value cannot be resolved.
/// Worked out once per source (two rules ask).
pub(crate) fn final_user<'c, 's>(
    ctx: &'c Context<'s>,
    source: &'s Source,
) -> Option<(&'s UserArgs, Cow<'c, str>)> {
    let df = source.dockerfile()?;
    // The value, `None` when it is the user as written (kept in the
    // tree, not copied).
    let read = || {
        let stage = df.stages.last()?;
        let LastUser::Set { index, user } = last_user(df, stage) else {
            return None;
        };
        let value = match resolved_user(df, index, user)? {
            Resolved::AsWritten => None,
            Resolved::Expanded(value) => Some(value),
        };
        Some((index, value))
    };
    let (index, value) = match ctx.indexed(source) {
        Some(i) => {
            let (index, value) = i.final_user.get_or_init(read).as_ref()?;
            (*index, value.as_deref().map(Cow::Borrowed))
        }
        None => {
            let (index, value) = read()?;
            (index, value.map(Cow::Owned))
        }
    };
    match &df.instructions.get(index)?.args {
        Args::User(Some(user)) => {
            let value = value.unwrap_or(Cow::Borrowed(user.user.raw.as_str()));
            Some((user, value))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use bulwark_syntax::dockerfile::parse;
    use proptest::prelude::*;

    use super::*;

    /// The value by expanding every USER, as this file did before it
    /// read literals in place and skipped unset lone variables.
    fn resolved_by_expanding(df: &Dockerfile, index: usize, user: &UserArgs) -> Option<String> {
        let mut raw = user.user.raw.to_string();
        if let Some(g) = &user.group {
            raw.push(':');
            raw.push_str(&g.raw);
        }
        let e = df.expand_at(&raw, index);
        (e.is_complete() && !e.value.is_empty()).then_some(e.value)
    }

    const LINES: &[&str] = &[
        "ARG UID=1000\n",
        "ARG UID\n",
        "ENV UID=7\n",
        "FROM a AS one\n",
        "FROM one\n",
        "FROM b\n",
        "ARG G=g\n",
        "ENV H=\"\"\n",
    ];

    const USERS: &[&str] = &[
        "root",
        "1000",
        "${UID}",
        "$UID",
        "${UID}:${G}",
        "app:app",
        "\"x\"",
        "${H}",
        "${UID:-0}",
        "0:0",
        "$NOPE",
        "a\\b",
    ];

    proptest! {
        #[test]
        fn users_resolve_as_expanding_them_does(
            lines in proptest::collection::vec(proptest::sample::select(LINES), 0..6),
            user in proptest::sample::select(USERS),
        ) {
            let text = format!("{}FROM z\n{}USER {user}\n", lines.concat(), lines.concat());
            let df = parse(&text);
            for (index, instruction) in df.instructions.iter().enumerate() {
                let Args::User(Some(user)) = &instruction.args else { continue };
                let new = resolved_user(&df, index, user).map(|r| match r {
                    Resolved::AsWritten => user.user.raw.to_string(),
                    Resolved::Expanded(v) => v,
                });
                prop_assert_eq!(new, resolved_by_expanding(&df, index, user), "{}", text);
            }
        }
    }
}
