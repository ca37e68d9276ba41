//! Build stages and variable scopes.
//!
//! Each FROM starts a stage. Stage names are case-insensitive; a repeated
//! name is an error. ARGs declared before the first FROM are *global*: they
//! are visible in FROM lines only, and a stage sees one only if it declares
//! `ARG NAME` again. Inside a stage, ARG and ENV values accumulate in
//! order; a stage built `FROM` an earlier stage inherits that stage's ENV
//! (it is part of the image), but not its ARGs.
//!
//! Build arguments given on the command line are unknown here, so an ARG
//! without a default has no value, and expansions that need it list it in
//! [`Expansion::unresolved`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;
use smallvec::SmallVec;

use super::args::{Args, KeyValue};
use super::expand::{Expansion, Lookup, Vars, substitute_with_escape};
use super::image::ImageRef;
use super::tree::{Dockerfile, Instruction, Kind, Word};
use crate::Diagnostic;

/// One build stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    /// 0 for the first FROM.
    pub index: usize,
    /// The index of its FROM in [`Dockerfile::instructions`].
    pub from: usize,
    /// One past its last instruction.
    pub end: usize,
    /// The base image as written.
    pub base: Option<Word>,
    /// The base image with global ARGs substituted (`FROM ${BASE}`).
    pub base_resolved: Option<Expansion>,
    /// The alias as written (`AS Build`).
    pub alias: Option<Word>,
    /// The alias lowercased: how `COPY --from` and later FROMs find it.
    pub name: Option<String>,
    /// The earlier stage this one is built on, when the base names one.
    pub parent: Option<usize>,
}

impl Stage {
    /// The indices of its instructions, FROM included.
    pub fn instructions(&self) -> Range<usize> {
        self.from..self.end
    }

    /// The base image with global ARGs substituted.
    pub fn base_image_resolved(&self) -> Option<&Expansion> {
        self.base_resolved.as_ref()
    }

    /// The resolved base image split into registry, repository, tag and
    /// digest; `None` when the base is an earlier stage.
    pub fn base_image(&self) -> Option<ImageRef> {
        if self.parent.is_some() {
            return None;
        }
        self.base_resolved
            .as_ref()
            .map(|e| ImageRef::parse(&e.value))
    }
}

/// What `COPY --from` refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CopyFrom {
    /// A stage, by index.
    Stage(usize),
    /// An image (or a name no stage has).
    Image(String),
}

/// Splits the instructions into stages and reports duplicate names and
/// instructions before the first FROM.
pub(crate) fn stages(
    instructions: &[Instruction],
    escape: char,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Stage> {
    let froms = instructions
        .iter()
        .filter(|i| matches!(i.args, Args::From(_)))
        .count();
    let mut stages: Vec<Stage> = Vec::with_capacity(froms);
    let mut by_name = StageNames::default();
    let mut globals = Globals::default();
    for (i, instruction) in instructions.iter().enumerate() {
        match &instruction.args {
            Args::From(from) => {
                if let Some(last) = stages.last_mut() {
                    last.end = i;
                }
                let base_resolved = from
                    .image
                    .as_ref()
                    .map(|w| substitute_with_escape(&w.raw, escape, &globals));
                let parent = base_resolved
                    .as_ref()
                    .and_then(|e| by_name.get(&stages, &e.value));
                let name = from.alias.as_ref().map(|a| a.value.to_ascii_lowercase());
                let index = stages.len();
                if let (Some(name), Some(alias)) = (&name, &from.alias) {
                    if by_name.get(&stages, name).is_some() {
                        diagnostics.push(Diagnostic::new(
                            alias.span,
                            format!("duplicate stage name \"{name}\""),
                        ));
                    } else {
                        by_name.insert(&stages, name, index);
                    }
                }
                stages.push(Stage {
                    index,
                    from: i,
                    end: i + 1,
                    base: from.image.clone(),
                    base_resolved,
                    alias: from.alias.clone(),
                    name,
                    parent,
                });
            }
            Args::Arg(pairs) if stages.is_empty() => {
                for pair in pairs {
                    let value = pair.value.as_ref().map(|v| {
                        // A default with nothing to expand or unquote is
                        // used as written (what substitution would copy).
                        if v.raw.contains(['$', '\'', '"', escape]) {
                            Cow::Owned(substitute_with_escape(&v.raw, escape, &globals).value)
                        } else {
                            Cow::Borrowed(v.raw.as_str())
                        }
                    });
                    globals.set(&pair.key.value, value);
                }
            }
            _ if stages.is_empty() && instruction.kind != Kind::Unknown => {
                diagnostics.push(
                    Diagnostic::new(
                        instruction.keyword.span,
                        "no build stage in current context",
                    )
                    .expected("FROM (only ARG may come before the first FROM)"),
                );
            }
            _ => {
                if let Some(last) = stages.last_mut() {
                    last.end = i + 1;
                }
            }
        }
    }
    stages
}

/// How many names the lookups below scan before they build a hash index:
/// files have a few stages and global ARGs, so a scan is cheaper than
/// hashing, and the index keeps hostile files with thousands linear.
const SCAN: usize = 16;

/// Stage names (lowercase) to the first stage of each name.
#[derive(Default)]
struct StageNames {
    /// Indices of named stages, in order, while there are few (inline:
    /// no allocation for an ordinary file).
    few: SmallVec<[usize; SCAN]>,
    /// Every name, once there are many.
    index: Option<HashMap<String, usize>>,
}

impl StageNames {
    /// The first stage named `name` in any case (stage names are
    /// lowercase, so comparing ignoring ASCII case is comparing with
    /// `name` lowercased).
    fn get(&self, stages: &[Stage], name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(&name.to_ascii_lowercase()).copied(),
            None => self.few.iter().copied().find(|&i| {
                stages
                    .get(i)
                    .and_then(|s| s.name.as_deref())
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            }),
        }
    }

    /// Records stage `index` (not yet in `stages`) as the first named
    /// `name` (lowercase); `name` is not recorded yet.
    fn insert(&mut self, stages: &[Stage], name: &str, index: usize) {
        if let Some(map) = &mut self.index {
            map.insert(name.to_owned(), index);
            return;
        }
        if self.few.len() < SCAN {
            self.few.push(index);
            return;
        }
        let mut map = HashMap::with_capacity(2 * SCAN);
        for &i in &self.few {
            if let Some(n) = stages.get(i).and_then(|s| s.name.clone()) {
                map.entry(n).or_insert(i);
            }
        }
        map.insert(name.to_owned(), index);
        self.index = Some(map);
        self.few = SmallVec::new();
    }
}

/// A global ARG: its name and value (none without a default).
type Global<'a> = (&'a str, Option<Cow<'a, str>>);

/// The global ARGs as FROM lines see them: a later declaration of a name
/// replaces an earlier one. Names borrow the tree; values without
/// anything to substitute borrow it too.
#[derive(Default)]
struct Globals<'a> {
    /// Inline for the few global ARGs of an ordinary file.
    entries: SmallVec<[Global<'a>; 8]>,
    /// Latest entry of each name, once there are many entries.
    index: Option<HashMap<&'a str, usize>>,
}

impl<'a> Globals<'a> {
    fn set(&mut self, name: &'a str, value: Option<Cow<'a, str>>) {
        let at = self.entries.len();
        self.entries.push((name, value));
        match &mut self.index {
            Some(index) => {
                index.insert(name, at);
            }
            None if self.entries.len() > SCAN => {
                let mut index = HashMap::with_capacity(2 * self.entries.len());
                for (i, (n, _)) in self.entries.iter().enumerate() {
                    index.insert(*n, i);
                }
                self.index = Some(index);
            }
            None => {}
        }
    }
}

impl Lookup for Globals<'_> {
    fn lookup(&self, name: &str) -> Option<&str> {
        let at = match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.entries.iter().rposition(|(n, _)| *n == name),
        }?;
        self.entries.get(at)?.1.as_deref()
    }
}

impl Dockerfile {
    /// The ARGs declared before the first FROM, defaults substituted in
    /// order: what FROM lines see.
    pub fn global_args(&self) -> Vars {
        let mut globals = Vars::new();
        for instruction in &self.instructions {
            match &instruction.args {
                Args::From(_) => break,
                Args::Arg(pairs) => self.declare_args(&mut globals, pairs, None),
                _ => {}
            }
        }
        globals
    }

    /// The stage the instruction at `index` belongs to.
    pub fn stage_of(&self, index: usize) -> Option<&Stage> {
        let at = self.stages.partition_point(|s| s.from <= index);
        self.stages.get(at.checked_sub(1)?)
    }

    /// The stage named `name` (case-insensitive).
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        let name = name.to_ascii_lowercase();
        self.stages
            .iter()
            .find(|s| s.name.as_deref() == Some(name.as_str()))
    }

    /// The variables the instruction at `index` sees: the global ARGs for
    /// a FROM (or anything before the first FROM), else the stage's ARGs
    /// and ENVs declared before it, over the ENV inherited from a parent
    /// stage. Costs a walk over the stage.
    pub fn vars_at(&self, index: usize) -> Vars {
        let globals = self.global_args();
        let Some(stage) = self.stage_of(index) else {
            return globals;
        };
        if index == stage.from {
            return globals;
        }
        let mut vars = self.inherited_env(stage, &globals);
        self.walk_stage(
            &mut vars,
            stage.from + 1..index.min(stage.end),
            &globals,
            true,
        );
        vars
    }

    /// Expands `text` as the instruction at `index` would (see
    /// [`Dockerfile::vars_at`]), with the file's escape character.
    pub fn expand_at(&self, text: &str, index: usize) -> Expansion {
        // Without a `$` no variable is read: skip working out the scope,
        // which walks the stage and its parents (rules expand every ENV
        // and ARG value, most of them literal).
        if memchr::memchr(b'$', text.as_bytes()).is_none() {
            return substitute_with_escape(text, self.escape, &Vars::new());
        }
        substitute_with_escape(text, self.escape, &self.vars_at(index))
    }

    /// What the `--from` of the COPY at `index` names: a stage by name or
    /// number, or an image. `None` without `--from`.
    pub fn copy_from(&self, index: usize) -> Option<CopyFrom> {
        let flag = self.instructions.get(index)?.flag("from")?;
        let value = self.expand_at(flag.value.as_deref()?, index).value;
        if let Ok(n) = value.parse::<usize>()
            && n < self.stages.len()
        {
            return Some(CopyFrom::Stage(n));
        }
        Some(match self.stage_named(&value) {
            Some(stage) => CopyFrom::Stage(stage.index),
            None => CopyFrom::Image(value),
        })
    }

    /// ENV values a stage inherits through its chain of parent stages.
    fn inherited_env(&self, stage: &Stage, globals: &Vars) -> Vars {
        let mut chain = Vec::new();
        let mut parent = stage.parent;
        // Parents are always earlier stages, so the chain ends.
        while let Some(p) = parent.and_then(|p| self.stages.get(p)) {
            chain.push(p);
            parent = p.parent.filter(|&pp| pp < p.index);
        }
        let mut env = Vars::new();
        for ancestor in chain.into_iter().rev() {
            let range = ancestor.from + 1..ancestor.end;
            let mut vars = env.clone();
            self.walk_stage(&mut vars, range.clone(), globals, true);
            // The image keeps ENV, not ARG: carry over the ENV names only.
            let mut next = Vars::new();
            let inherited = env.iter().map(|(name, _)| name.to_owned());
            let declared = self
                .instructions
                .get(range)
                .unwrap_or(&[])
                .iter()
                .filter_map(|i| match &i.args {
                    Args::Env(pairs) => Some(pairs.iter().map(|p| p.key.value.to_string())),
                    _ => None,
                })
                .flatten();
            for name in inherited.chain(declared) {
                let value = vars.get(&name).map(str::to_owned);
                next.set(name, value);
            }
            env = next;
        }
        env
    }

    /// Applies the ARGs (when `with_args`) and ENVs of `range` to `vars`.
    fn walk_stage(&self, vars: &mut Vars, range: Range<usize>, globals: &Vars, with_args: bool) {
        for instruction in self.instructions.get(range).unwrap_or(&[]) {
            match &instruction.args {
                Args::Arg(pairs) if with_args => self.declare_args(vars, pairs, Some(globals)),
                Args::Env(pairs) => {
                    for pair in pairs {
                        let value = pair
                            .value
                            .as_ref()
                            .map(|v| substitute_with_escape(&v.raw, self.escape, &*vars).value);
                        vars.set(pair.key.value.clone(), value);
                    }
                }
                _ => {}
            }
        }
    }

    /// `ARG NAME[=default]`: the default (expanded), else the global value
    /// of the same name.
    fn declare_args(&self, vars: &mut Vars, pairs: &[KeyValue], globals: Option<&Vars>) {
        for pair in pairs {
            let name = pair.key.value.clone();
            let value = match &pair.value {
                Some(v) => Some(substitute_with_escape(&v.raw, self.escape, &*vars).value),
                None => globals.and_then(|g| g.lookup(&name)).map(str::to_owned),
            };
            vars.set(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::parse;

    #[test]
    fn many_stages_and_global_args_resolve_as_few_do() {
        // Past `SCAN` names the lookups switch to hash indexes: the
        // answers must not change.
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!("ARG V{}=v{i}\n", i % 25));
        }
        for i in 0..40 {
            text.push_str(&format!("FROM base:${{V{}}} AS Stage{i}\n", i % 25));
        }
        text.push_str("FROM stage3 AS STAGE7\nFROM STAGE39\nFROM ${V24}\n");
        let df = parse(&text);
        let dup = df
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("duplicate stage name"))
            .count();
        assert_eq!(dup, 1);
        assert_eq!(
            df.stages[0].base_resolved.as_ref().unwrap().value,
            "base:v25"
        );
        assert_eq!(
            df.stages[24].base_resolved.as_ref().unwrap().value,
            "base:v24"
        );
        assert_eq!(
            df.stages[30].base_resolved.as_ref().unwrap().value,
            "base:v30"
        );
        assert_eq!(
            (df.stages[40].parent, df.stages[41].parent),
            (Some(3), Some(39))
        );
        assert_eq!(df.stages[42].base_resolved.as_ref().unwrap().value, "v24");
        assert_eq!(df.stages[42].parent, None);
    }
}
