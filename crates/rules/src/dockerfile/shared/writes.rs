//! Text the build writes into files: redirections, `tee`, `sed -i`, and
//! COPY/ADD heredocs.

use bulwark_syntax::Span;
use bulwark_syntax::dockerfile::{Args, Word};

use super::{Run, basename, program_words, runs};
use crate::context::Context;
use bulwark_syntax::Source;

/// A piece of text the build writes to a file.
pub(crate) struct Written {
    /// The file, as written.
    pub path: String,
    /// The text: an `echo`/`printf` argument, a `sed` replacement, a line
    /// of a heredoc.
    pub text: String,
    pub span: Span,
}

/// The heredoc bodies fed to each command of a RUN line (not of heredoc
/// scripts), by the command's index in `scripts[0]`.
fn heredocs_by_command<'a>(run: &Run<'a>) -> Vec<(usize, &'a bulwark_syntax::dockerfile::Heredoc)> {
    let Some(first_body) = run.run.heredocs.first().map(|h| h.body_span.start) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut next = 0;
    for (i, command) in run.scripts[0].iter().enumerate() {
        if command.span.start >= first_body {
            break;
        }
        for r in &command.redirects {
            if r.op == "<<" || r.op == "<<-" {
                if let Some(h) = run.run.heredocs.get(next) {
                    out.push((i, h));
                }
                next += 1;
            }
        }
    }
    out
}

/// The lines of a heredoc body with their spans.
fn heredoc_lines(h: &bulwark_syntax::dockerfile::Heredoc) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut offset = h.body_span.start;
    for line in h.body.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        out.push((text.to_string(), Span::new(offset, offset + text.len())));
        offset += line.len();
    }
    out
}

/// The replacement of a sed `s/from/to/` expression.
fn sed_replacement(expr: &str) -> Option<&str> {
    let rest = expr.strip_prefix('s')?;
    let delim = rest.chars().next()?;
    let mut parts = rest[delim.len_utf8()..].split(delim);
    parts.next()?;
    parts.next()
}

/// Text the build writes into files whose path `wanted` accepts: what a
/// RUN command redirects (`echo … > f`, `printf … | tee f`,
/// `cat <<EOF > f`), a `sed -i` replacement in `f`, and COPY or ADD
/// heredocs whose destination is `f`.
pub(crate) fn written_to<'s>(
    ctx: &Context<'s>,
    source: &'s Source,
    wanted: &dyn Fn(&str) -> bool,
) -> Vec<Written> {
    let mut out = Vec::new();
    let Some(df) = source.dockerfile() else {
        return out;
    };
    for run in runs(ctx, source).iter() {
        let heredocs = heredocs_by_command(run);
        for (s, script) in run.scripts.iter().enumerate() {
            for (i, command) in script.iter().enumerate() {
                let words = program_words(&command.words);
                let mut paths: Vec<&Word> = command
                    .redirects
                    .iter()
                    .filter(|r| matches!(r.op.as_str(), ">" | ">>" | ">|" | "&>" | "&>>"))
                    .filter_map(|r| r.target.as_ref())
                    .filter(|t| wanted(&t.value))
                    .collect();
                paths.extend(words.iter().skip(1).filter(|w| wanted(&w.value)));
                let Some(path) = paths.first() else {
                    continue;
                };
                // The writers: this command and the ones piping into it.
                let mut writers: Vec<usize> = vec![i];
                let mut k = 0;
                while let Some(&target) = writers.get(k) {
                    writers.extend(
                        script
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| c.pipe_to == Some(target))
                            .map(|(j, _)| j),
                    );
                    k += 1;
                }
                for j in writers {
                    let writer = &script[j];
                    let ws = program_words(&writer.words);
                    let is_sed = ws.first().is_some_and(|w| basename(&w.value) == "sed");
                    for w in ws.iter().skip(1) {
                        if paths.iter().any(|p| p.span == w.span) {
                            continue;
                        }
                        let text = if is_sed {
                            match sed_replacement(&w.value) {
                                Some(r) => r.to_string(),
                                None => continue,
                            }
                        } else {
                            w.value.to_string()
                        };
                        out.push(Written {
                            path: path.value.to_string(),
                            text,
                            span: w.span,
                        });
                    }
                    if s == 0 {
                        for (_, h) in heredocs.iter().filter(|(c, _)| *c == j) {
                            for (text, span) in heredoc_lines(h) {
                                out.push(Written {
                                    path: path.value.to_string(),
                                    text,
                                    span,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    for instruction in &df.instructions {
        let (Args::Copy(args) | Args::Add(args)) = &instruction.args else {
            continue;
        };
        let Some(dest) = args.dest.as_ref() else {
            continue;
        };
        for source in &args.sources {
            let Some(h) = source.heredoc.and_then(|n| instruction.heredocs.get(n)) else {
                continue;
            };
            let path = if dest.value.ends_with('/') {
                format!("{}{}", dest.value, h.delimiter)
            } else {
                dest.value.to_string()
            };
            if !wanted(&path) {
                continue;
            }
            for (text, span) in heredoc_lines(h) {
                out.push(Written {
                    path: path.clone(),
                    text,
                    span,
                });
            }
        }
    }
    out
}

/// `text` lowercased without blanks and quotes, for matching settings
/// however they are spaced (`gpgcheck = 0`, `"strict-ssl" false`).
pub(crate) fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
        .flat_map(char::to_lowercase)
        .collect()
}
