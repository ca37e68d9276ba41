//! Building one [`Instruction`] from its logical line: the keyword, the
//! flags, then the arguments as that instruction reads them. This is
//! BuildKit's line parsers (`parseMaybeJSON`, `parseNameVal`, …) together
//! with the checks of its instruction layer (argument counts, stage names,
//! ONBUILD triggers, HEALTHCHECK types and options), each failed check a
//! diagnostic instead of an abort.

use super::args::{
    Args, CommandLine, CopyArgs, CopySource, ExecForm, FromArgs, HealthcheckArgs, KeyValue,
    PathList, Port, ShellForm, UserArgs, parse_duration_nanos,
};
use super::expand::{needs_unquote, unquote_into};
use super::flags::{self, Flag, RawFlag};
use super::heredoc;
use super::json::{self, JsonShape, JsonString};
use super::source::LogicalLine;
use super::tree::{Instruction, Kind, Token, Word, smol};
use super::words::{
    is_separator, is_separator_byte, leading_whitespace, parse_words, skip_separators,
    skip_whitespace, split_whitespace, trailing_whitespace,
};
use crate::{Diagnostic, SmolStr, Span};
use smallvec::SmallVec;

/// Builds instructions from one logical line, collecting diagnostics.
pub(crate) struct Builder<'a> {
    pub line: &'a LogicalLine<'a>,
    pub escape: char,
    pub diagnostics: &'a mut Vec<Diagnostic>,
    /// Where quote removal writes before the value is stored: one buffer
    /// for the whole file, so a quoted word allocates at most its
    /// `SmolStr` (nothing when short).
    pub scratch: &'a mut String,
}

impl Builder<'_> {
    fn text(&self, start: usize, end: usize) -> &str {
        self.line.get(start, end)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.line.span(start, end)
    }

    /// A word whose `value` is read literally (quotes removed). Without
    /// quotes or escape characters the value is the raw text (`$…` is
    /// kept as written either way), and shares it.
    fn word(&mut self, start: usize, end: usize) -> Word {
        let text = self.line.get(start, end);
        let raw = smol(text);
        let value = if needs_unquote(text, self.escape) {
            self.scratch.clear();
            unquote_into(text, self.escape, self.scratch);
            smol(&*self.scratch)
        } else {
            raw.clone()
        };
        Word {
            raw,
            value,
            span: self.span(start, end),
        }
    }

    /// A word taken exactly as written.
    fn verbatim(&self, start: usize, end: usize) -> Word {
        let raw = smol(self.text(start, end));
        Word {
            value: raw.clone(),
            raw,
            span: self.span(start, end),
        }
    }

    fn token(&self, start: usize, end: usize) -> Token {
        Token {
            text: smol(self.text(start, end)),
            span: self.span(start, end),
        }
    }

    fn report(&mut self, span: Span, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(span, message));
    }

    fn flag(&self, raw: RawFlag) -> Flag {
        Flag {
            span: self.span(raw.start, raw.end),
            name_span: self.span((raw.start + 2).min(raw.name_end), raw.name_end),
            value_span: raw.value_start.map(|s| self.span(s, raw.end)),
            name: raw.name,
            value: raw.value,
        }
    }

    /// Builds the instruction starting at logical offset `start` (the
    /// keyword). `nested` is true for an ONBUILD trigger.
    ///
    /// Inlined into the parser's one call, so that the instruction (some
    /// 300 bytes) is assembled where the parser stores it instead of being
    /// returned through a temporary and copied; an ONBUILD trigger goes
    /// through [`Builder::build_trigger`], which keeps the recursion out
    /// of line.
    #[inline(always)]
    pub fn build(&mut self, start: usize, nested: bool) -> Instruction {
        let text: &str = &self.line.text;
        let tail = text.get(start..).unwrap_or("");
        let end = start + tail.len() - trailing_whitespace(tail);
        let keyword_end = text
            .as_bytes()
            .get(start..end)
            .and_then(|t| t.iter().position(|&b| is_separator_byte(b)))
            .map_or(end, |i| start + i);
        let written = self.text(start, keyword_end);
        // Nearly every keyword is written as its upper-case name: share
        // that static text instead of copying it (the exact match tells,
        // without comparing the text again).
        let (kind, keyword_text) = match Kind::from_upper(written.as_bytes()) {
            Some(kind) => (kind, SmolStr::new_static(kind.as_str())),
            None => (Kind::from_keyword(written), smol(written)),
        };
        let keyword = Token {
            text: keyword_text,
            span: self.span(start, keyword_end),
        };
        let rest = skip_separators(text, keyword_end, end);
        // Most instructions have no flags: unless the arguments start with
        // `--`, `extract` would find none and stop where they start.
        let (flags, after_flags) = if starts_with_flag(text, rest, end) {
            // Nearly always one flag: room for it without the growth path.
            let mut flags = Vec::with_capacity(1);
            let after_flags = flags::extract_with(text, rest, end, |f| flags.push(self.flag(f)));
            (flags, after_flags)
        } else {
            (Vec::new(), rest)
        };
        let args_start = skip_whitespace(text, after_flags, end);
        let (a, b) = (args_start, end);

        let args = match kind {
            Kind::From => Args::From(self.from(a, b, &keyword)),
            Kind::Run => Args::Run(self.command_line(a, b)),
            Kind::Cmd => Args::Cmd(self.command_line(a, b)),
            Kind::Entrypoint => Args::Entrypoint(self.command_line(a, b)),
            Kind::Shell => Args::Shell(self.shell(a, b, &keyword)),
            Kind::Env => Args::Env(self.name_values(kind, a, b, &keyword)),
            Kind::Label => Args::Label(self.name_values(kind, a, b, &keyword)),
            Kind::Arg => Args::Arg(self.arg(a, b, &keyword)),
            Kind::Copy => Args::Copy(self.copy(kind, a, b, &keyword)),
            Kind::Add => Args::Add(self.copy(kind, a, b, &keyword)),
            Kind::Expose => Args::Expose(self.expose(a, b, &keyword)),
            Kind::User => Args::User(self.user(a, b, &keyword)),
            Kind::Workdir => Args::Workdir(self.one(kind, a, b, &keyword, false)),
            Kind::Stopsignal => Args::Stopsignal(self.one(kind, a, b, &keyword, false)),
            Kind::Maintainer => Args::Maintainer(self.one(kind, a, b, &keyword, true)),
            Kind::Volume => Args::Volume(self.volume(a, b, &keyword)),
            Kind::Healthcheck => Args::Healthcheck(self.healthcheck(a, b, &keyword, &flags)),
            Kind::Onbuild => Args::Onbuild(self.onbuild(a, b, &keyword, nested)),
            Kind::Unknown => {
                self.unknown(&keyword);
                Args::Unknown((a < b).then(|| self.verbatim(a, b)))
            }
        };
        let healthcheck_none = matches!(&args, Args::Healthcheck(h) if h.is_none());
        if kind != Kind::Unknown && !healthcheck_none && !flags.is_empty() {
            flags::check(kind, &flags, self.diagnostics);
        }
        Instruction {
            kind,
            span: self.span(start, end),
            keyword,
            flags,
            args,
            heredocs: Vec::new(),
            empty_continuation_lines: Vec::new(),
        }
    }

    fn unknown(&mut self, keyword: &Token) {
        let upper = keyword.text.to_ascii_uppercase();
        let suggestion = Kind::ALL
            .into_iter()
            .map(|k| (edit_distance(&upper, k.as_str()), k))
            // About one edit per three letters: RUNN, COPPY, ENTRYPONT.
            .filter(|&(d, _)| d > 0 && d.saturating_mul(3) <= upper.chars().count())
            .min_by_key(|&(d, _)| d);
        let mut message = format!("unknown instruction: {}", keyword.text);
        if let Some((_, k)) = suggestion {
            message.push_str(&format!(" (did you mean {}?)", k.as_str()));
        }
        self.diagnostics.push(
            Diagnostic::new(keyword.span, message).expected("an instruction (FROM, RUN, COPY, …)"),
        );
    }

    /// `FROM image [AS name]`: one or three words.
    fn from(&mut self, a: usize, b: usize, keyword: &Token) -> FromArgs {
        let words = split_whitespace(&self.line.text, a, b);
        let image = words.first().map(|&(s, e)| self.word(s, e));
        let as_keyword = words.get(1).map(|&(s, e)| self.token(s, e));
        let is_as = as_keyword
            .as_ref()
            .is_some_and(|t| t.text.eq_ignore_ascii_case("as"));
        let alias = words
            .get(2)
            .filter(|_| is_as)
            .map(|&(s, e)| self.word(s, e));
        if words.len() != 1 && !(words.len() == 3 && is_as) {
            let span = if a < b { self.span(a, b) } else { keyword.span };
            self.diagnostics.push(
                Diagnostic::new(span, "FROM requires either one or three arguments")
                    .expected("FROM image [AS name]"),
            );
        }
        if let Some(alias) = &alias
            && !valid_stage_name(&alias.value)
        {
            self.report(
                alias.span,
                format!(
                    "invalid name for build stage: \"{}\", name can't start with a number or contain symbols",
                    alias.value
                ),
            );
        }
        FromArgs {
            image,
            as_keyword: as_keyword.filter(|_| is_as),
            alias,
        }
    }

    /// A JSON string of the arguments starting at logical offset `a`, as
    /// a word: `raw` is the literal, `value` the decoded string.
    fn json_word(&self, a: usize, s: JsonString) -> Word {
        Word {
            raw: smol(self.text(a + s.start, a + s.end)),
            value: s.value,
            span: self.span(a + s.start, a + s.end),
        }
    }

    /// BuildKit's `parseMaybeJSON`: a JSON string array, else shell form.
    fn command_line(&mut self, a: usize, b: usize) -> CommandLine {
        let text = self.text(a, b);
        // Room for the first strings of an array up front (what the first
        // push would allocate, without the growth path); none for shell
        // form, which has no strings.
        let mut args = Vec::with_capacity(if text.starts_with('[') { 4 } else { 0 });
        let shape = json::parse_array_with(text, |s| args.push(self.json_word(a, s)));
        match shape {
            JsonShape::Strings => CommandLine::Exec(ExecForm {
                args,
                span: self.span(a, b),
            }),
            JsonShape::NotStrings(s, e) => {
                self.not_strings(a + s, a + e);
                self.shell_form(a, b)
            }
            JsonShape::NotJson => self.shell_form(a, b),
        }
    }

    fn shell_form(&self, a: usize, b: usize) -> CommandLine {
        CommandLine::Shell(ShellForm {
            text: self.text(a, b).to_owned(),
            span: self.span(a, b),
            map: self.line.map.slice(a, b),
        })
    }

    fn not_strings(&mut self, s: usize, e: usize) {
        let span = self.span(s, e);
        self.diagnostics.push(
            Diagnostic::new(
                span,
                "when using JSON array syntax, arrays must be comprised of strings only",
            )
            .expected("a JSON string"),
        );
    }

    fn shell(&mut self, a: usize, b: usize, keyword: &Token) -> CommandLine {
        let command = self.command_line(a, b);
        if command.is_empty() {
            self.report(keyword.span, "SHELL requires at least one argument");
        } else if !command.is_exec() {
            self.diagnostics.push(
                Diagnostic::new(
                    command.span(),
                    "SHELL requires the arguments to be in JSON form",
                )
                .expected("a JSON array, e.g. [\"/bin/bash\", \"-c\"]"),
            );
        }
        command
    }

    /// ENV and LABEL: `k=v k2="v 2"`, or the legacy `ENV k v`.
    fn name_values(&mut self, kind: Kind, a: usize, b: usize, keyword: &Token) -> Vec<KeyValue> {
        let words = parse_words(&self.line.text, a, b, self.escape);
        let Some(&(first_start, first_end)) = words.first() else {
            self.report(
                keyword.span,
                format!("{} requires at least one argument", kind.as_str()),
            );
            return Vec::new();
        };
        if equals(self.text(first_start, first_end)).is_none() {
            return vec![self.legacy_pair(kind, a, b)];
        }
        let mut pairs = Vec::with_capacity(words.len());
        for &(s, e) in &words {
            let Some(eq) = equals(self.text(s, e)) else {
                self.diagnostics.push(
                    Diagnostic::new(
                        self.span(s, e),
                        format!(
                            "Syntax error - can't find = in \"{}\". Must be of the form: name=value",
                            self.text(s, e)
                        ),
                    )
                    .expected("name=value"),
                );
                continue;
            };
            if eq == 0 {
                self.report(
                    self.span(s, e),
                    format!("{} names can not be blank", kind.as_str()),
                );
            }
            pairs.push(KeyValue {
                key: self.word(s, s + eq),
                value: Some(self.word(s + eq + 1, e)),
                span: self.span(s, e),
                legacy: false,
            });
        }
        pairs
    }

    /// `ENV key value with spaces`: the key is the first word, the value
    /// everything after the blanks that follow it.
    fn legacy_pair(&mut self, kind: Kind, a: usize, b: usize) -> KeyValue {
        let key_end = self.text(a, b).find(is_separator).map_or(b, |i| a + i);
        let value_start = skip_separators(&self.line.text, key_end, b);
        let value = if value_start < b {
            Some(self.word(value_start, b))
        } else {
            self.report(
                self.span(a, b),
                format!("{} must have two arguments", kind.as_str()),
            );
            None
        };
        KeyValue {
            key: self.word(a, key_end),
            value,
            span: self.span(a, b),
            legacy: true,
        }
    }

    /// `ARG name[=default] …`.
    fn arg(&mut self, a: usize, b: usize, keyword: &Token) -> Vec<KeyValue> {
        let words = parse_words(&self.line.text, a, b, self.escape);
        if words.is_empty() {
            self.report(keyword.span, "ARG requires at least one argument");
        }
        // By reference into a vector of the final size: consuming the
        // inline ranges moved them into an iterator first.
        let mut pairs = Vec::with_capacity(words.len());
        for &(s, e) in &words {
            let eq = equals(self.text(s, e));
            if eq == Some(0) {
                self.report(self.span(s, e), "ARG names can not be blank");
            }
            pairs.push(KeyValue {
                key: self.word(s, eq.map_or(e, |q| s + q)),
                value: eq.map(|q| self.word(s + q + 1, e)),
                span: self.span(s, e),
                legacy: false,
            });
        }
        pairs
    }

    /// BuildKit's `parseMaybeJSONToList`: a JSON string array, else words
    /// split on blanks. Inline for a few words: COPY moves them into its
    /// sources, VOLUME into its paths, each allocating once.
    fn list(&mut self, a: usize, b: usize) -> (SmallVec<[Word; 4]>, bool) {
        let mut words = SmallVec::new();
        let shape = json::parse_array_with(self.text(a, b), |s| words.push(self.json_word(a, s)));
        if shape == JsonShape::Strings {
            return (words, true);
        }
        if let JsonShape::NotStrings(s, e) = shape {
            self.not_strings(a + s, a + e);
        }
        let ranges = split_whitespace(&self.line.text, a, b);
        let words = ranges.iter().map(|&(s, e)| self.word(s, e)).collect();
        (words, false)
    }

    fn copy(&mut self, kind: Kind, a: usize, b: usize, keyword: &Token) -> CopyArgs {
        let (sources, dest, json) = self.sources_and_dest(a, b);
        if dest.is_none() {
            let span = if a < b { self.span(a, b) } else { keyword.span };
            self.diagnostics.push(
                Diagnostic::new(
                    span,
                    format!(
                        "{} requires at least two arguments, but only one was provided. Destination could not be determined",
                        kind.as_str()
                    ),
                )
                .expected("sources and a destination"),
            );
        }
        if let Some(dest) = &dest
            && !json
            && !heredoc::markers(&dest.raw).is_empty()
        {
            self.report(
                dest.span,
                format!("{} cannot accept a heredoc as a destination", kind.as_str()),
            );
        }
        CopyArgs {
            sources,
            dest,
            json,
        }
    }

    /// The words of COPY and ADD ([`Builder::list`]) split into sources and
    /// the destination (the last word, when there are two or more), and
    /// whether they were a JSON array. The plain form, nearly every COPY,
    /// builds the sources in place from the word ranges.
    fn sources_and_dest(&mut self, a: usize, b: usize) -> (Vec<CopySource>, Option<Word>, bool) {
        let source = |word| CopySource {
            word,
            heredoc: None,
        };
        if self.text(a, b).starts_with('[') {
            let (mut words, json) = self.list(a, b);
            let dest = if words.len() >= 2 { words.pop() } else { None };
            return (words.into_iter().map(source).collect(), dest, json);
        }
        let ranges = split_whitespace(&self.line.text, a, b);
        let (sources, dest) = match ranges.split_last() {
            Some((&(s, e), rest)) if !rest.is_empty() => (rest, Some((s, e))),
            _ => (&ranges[..], None),
        };
        let mut out = Vec::with_capacity(sources.len());
        out.extend(sources.iter().map(|&(s, e)| source(self.word(s, e))));
        let dest = dest.map(|(s, e)| self.word(s, e));
        (out, dest, false)
    }

    fn expose(&mut self, a: usize, b: usize, keyword: &Token) -> Vec<Port> {
        let words = split_whitespace(&self.line.text, a, b);
        if words.is_empty() {
            self.report(keyword.span, "EXPOSE requires at least one argument");
        }
        let mut ports = Vec::with_capacity(words.len());
        for &(s, e) in &words {
            ports.push(Port::new(self.word(s, e)));
        }
        ports
    }

    fn user(&mut self, a: usize, b: usize, keyword: &Token) -> Option<UserArgs> {
        if a >= b {
            self.report(keyword.span, "USER requires exactly one argument");
            return None;
        }
        let colon = colon_outside_substitutions(self.text(a, b)).map(|i| a + i);
        Some(UserArgs {
            user: self.word(a, colon.unwrap_or(b)),
            group: colon.map(|c| self.word(c + 1, b)),
        })
    }

    /// WORKDIR, STOPSIGNAL, MAINTAINER: the rest of the line, one value.
    fn one(
        &mut self,
        kind: Kind,
        a: usize,
        b: usize,
        keyword: &Token,
        verbatim: bool,
    ) -> Option<Word> {
        if a >= b {
            self.report(
                keyword.span,
                format!("{} requires exactly one argument", kind.as_str()),
            );
            return None;
        }
        Some(if verbatim {
            self.verbatim(a, b)
        } else {
            self.word(a, b)
        })
    }

    fn volume(&mut self, a: usize, b: usize, keyword: &Token) -> PathList {
        let (paths, json) = self.list(a, b);
        if paths.is_empty() && !json {
            self.report(keyword.span, "VOLUME requires at least one argument");
        }
        for path in paths.iter().filter(|p| p.value.trim().is_empty()) {
            self.report(path.span, "VOLUME specified can not be an empty string");
        }
        PathList {
            paths: paths.into_vec(),
            json,
        }
    }

    /// `HEALTHCHECK NONE` or `HEALTHCHECK [options] CMD command`.
    fn healthcheck(
        &mut self,
        a: usize,
        b: usize,
        keyword: &Token,
        flags: &[Flag],
    ) -> HealthcheckArgs {
        if a >= b {
            self.report(keyword.span, "HEALTHCHECK requires at least one argument");
            return HealthcheckArgs {
                kind: None,
                command: None,
            };
        }
        let type_end = self
            .text(a, b)
            .find(char::is_whitespace)
            .map_or(b, |i| a + i);
        let kind = self.token(a, type_end);
        let next = skip_whitespace(&self.line.text, type_end, b);
        let mut command = None;
        if kind.text.eq_ignore_ascii_case("NONE") {
            if next < b {
                self.report(self.span(next, b), "HEALTHCHECK NONE takes no arguments");
            }
        } else if kind.text.eq_ignore_ascii_case("CMD") {
            let cmd = self.command_line(next, b);
            if cmd.is_empty() {
                self.report(kind.span, "Missing command after HEALTHCHECK CMD");
            }
            command = Some(cmd);
            self.healthcheck_options(flags);
        } else {
            self.diagnostics.push(
                Diagnostic::new(
                    kind.span,
                    format!("Unknown type \"{}\" in HEALTHCHECK (try CMD)", kind.text),
                )
                .expected("NONE or CMD"),
            );
        }
        HealthcheckArgs {
            kind: Some(kind),
            command,
        }
    }

    /// Durations at least 1ms, retries at least 1.
    fn healthcheck_options(&mut self, flags: &[Flag]) {
        for flag in flags {
            let (Some(value), Some(span)) = (flag.value.as_deref(), flag.value_span) else {
                continue;
            };
            match flag.name.as_str() {
                "interval" | "timeout" | "start-period" | "start-interval" if !value.is_empty() => {
                    match parse_duration_nanos(value) {
                        None => self.diagnostics.push(
                            Diagnostic::new(span, format!("invalid duration \"{value}\""))
                                .expected("a duration such as 30s or 1m30s"),
                        ),
                        Some(n) if n < 1_000_000 => self.report(
                            span,
                            format!("Interval \"{}\" cannot be less than 1ms", flag.name),
                        ),
                        Some(_) => {}
                    }
                }
                "retries" if !value.is_empty() => match value.parse::<i64>() {
                    Ok(n) if n >= 1 => {}
                    Ok(n) => self.report(span, format!("--retries must be at least 1 (not {n})")),
                    Err(_) => self.diagnostics.push(
                        Diagnostic::new(span, format!("invalid --retries value \"{value}\""))
                            .expected("a whole number"),
                    ),
                },
                _ => {}
            }
        }
    }

    /// The instruction ONBUILD wraps, starting at logical offset `start`.
    #[inline(never)]
    fn build_trigger(&mut self, start: usize) -> Instruction {
        self.build(start, true)
    }

    /// `ONBUILD instruction`; not ONBUILD, FROM or MAINTAINER.
    fn onbuild(
        &mut self,
        a: usize,
        b: usize,
        keyword: &Token,
        nested: bool,
    ) -> Option<Box<Instruction>> {
        if a >= b {
            self.report(keyword.span, "ONBUILD requires at least one argument");
            return None;
        }
        // `ONBUILD ONBUILD …` is reported once, by the outer instruction;
        // not recursing further keeps hostile chains linear.
        if nested {
            return None;
        }
        let inner = self.build_trigger(a);
        match inner.kind {
            Kind::Onbuild => self.report(
                inner.keyword.span,
                "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            ),
            Kind::From | Kind::Maintainer => self.report(
                inner.keyword.span,
                format!(
                    "{} isn't allowed as an ONBUILD trigger",
                    inner.kind.as_str()
                ),
            ),
            _ => {}
        }
        Some(Box::new(inner))
    }
}

/// Whether `text[rest..end]`, leading whitespace skipped, starts with
/// `--`. Its first byte nearly always tells (separators are skipped
/// already): a `-`, or an ASCII byte that is not whitespace; only other
/// bytes need the whitespace skipped. Inline: asked once per instruction,
/// and the call cost as much as the answer.
#[inline]
fn starts_with_flag(text: &str, rest: usize, end: usize) -> bool {
    let Some(t) = text.get(rest..end) else {
        return false;
    };
    match t.as_bytes() {
        [b'-', b'-', ..] => true,
        [b, ..] if b.is_ascii() && !b.is_ascii_whitespace() && *b != 0x0b => false,
        _ => t
            .get(leading_whitespace(t)..)
            .is_some_and(|t| t.starts_with("--")),
    }
}

/// The offset of the first `=`, by a plain byte loop: `str::find` sets
/// up a char searcher for every word, and `memchr` its SIMD search, both
/// costing more than looking at the dozen bytes of a `key=value`.
fn equals(text: &str) -> Option<usize> {
    text.bytes().position(|b| b == b'=')
}

/// The first `:` not inside `${…}` (so `${USER:-app}:staff` splits after
/// the substitution).
fn colon_outside_substitutions(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// BuildKit's stage name rule: `^[a-z][a-z0-9-_.]*$` after lowercasing,
/// checked on the name as written (ASCII letters in either case).
fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// Levenshtein distance, for "did you mean" suggestions (short inputs).
fn edit_distance(a: &str, b: &str) -> usize {
    if a.len() > 32 {
        return usize::MAX;
    }
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            row.push((prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_group_colon_outside_substitutions() {
        assert_eq!(
            colon_outside_substitutions("${U:-app}:${G:-staff}"),
            Some(9)
        );
        assert_eq!(colon_outside_substitutions("app:staff"), Some(3));
        assert_eq!(colon_outside_substitutions("${U:-a}"), None);
    }

    proptest::proptest! {
        /// The shortcut on the first byte agrees with skipping the
        /// whitespace and looking for `--`.
        #[test]
        fn flags_are_seen_as_after_skipping_whitespace(
            text in "[-a \t\n\u{b}\u{c}\u{a0}\u{2003}é]{0,6}",
        ) {
            let slow = text.get(leading_whitespace(&text)..).is_some_and(|t| t.starts_with("--"));
            proptest::prop_assert_eq!(starts_with_flag(&text, 0, text.len()), slow);
        }
    }

    #[test]
    fn stage_names() {
        assert!(valid_stage_name("build-env_1.x"));
        assert!(!valid_stage_name("1build"));
        assert!(!valid_stage_name("a$b"));
        assert!(!valid_stage_name(""));
    }

    #[test]
    fn long_unknown_keywords_get_no_suggestion_and_no_overflow() {
        // Found by the property test: the distance of a long keyword is
        // usize::MAX, and tripling it overflowed.
        let df = crate::dockerfile::parse(&format!("{} x\n", "Q".repeat(40)));
        assert!(!df.diagnostics[0].message.contains("did you mean"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("RUNN", "RUN"), 1);
        assert_eq!(edit_distance("COPPY", "COPY"), 1);
        assert_eq!(edit_distance("", "RUN"), 3);
    }
}
