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

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

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
    let mut stages: Vec<Stage> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut globals = Vars::new();
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
                    .and_then(|e| by_name.get(&e.value.to_ascii_lowercase()).copied());
                let name = from.alias.as_ref().map(|a| a.value.to_ascii_lowercase());
                let index = stages.len();
                if let (Some(name), Some(alias)) = (&name, &from.alias) {
                    if by_name.contains_key(name) {
                        diagnostics.push(Diagnostic::new(
                            alias.span,
                            format!("duplicate stage name \"{name}\""),
                        ));
                    } else {
                        by_name.insert(name.clone(), index);
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
                    let value = pair
                        .value
                        .as_ref()
                        .map(|v| substitute_with_escape(&v.raw, escape, &globals).value);
                    globals.set(pair.key.value.clone(), value);
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
        if !text.contains('$') {
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
