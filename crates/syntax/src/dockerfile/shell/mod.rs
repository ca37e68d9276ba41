//! A POSIX shell tokenizer for RUN commands, good enough for rules to see
//! commands and their arguments without false hits on strings and comments.
//!
//! It splits on `&&`, `||`, `;`, `|`, `&`, parentheses and newlines; removes
//! quotes from words; drops `#` comments; keeps `$(…)`, `${…}` and
//! backquotes inside the word they belong to (nesting handled without
//! recursion); separates redirections (`> f`, `2>&1`, `<<EOF`) from
//! arguments and skips here-document bodies inside scripts. Leading
//! `NAME=value` words are assignments, not the command. Reserved words that
//! open or close a compound command (`if`, `then`, `do`, `{`, `fi`, `done`,
//! …) are skipped at the start of a command, so in `if sudo x; then y; fi`
//! the commands are `sudo x` and `y`.
//!
//! It does not expand variables or look inside `sh -c "…"` strings.

mod builder;
mod lexer;
mod nesting;
#[cfg(test)]
mod reference;

use serde::Serialize;

use super::source::SourceMap;
use super::tree::Word;
use crate::{SmolStr, Span};
use builder::Builder;
use lexer::Lexer;

/// One simple command: `curl -fsSL https://x | sh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    /// The command name and its arguments, quotes removed in `value`.
    pub words: Vec<Word>,
    /// `NAME=value` words before the command name.
    pub assignments: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// From the first to the last token of the command.
    pub span: Span,
    /// The operator before this command.
    pub follows: Separator,
    /// The index (in the same list) of the command this one pipes into.
    pub pipe_to: Option<usize>,
}

impl Command {
    /// The command name (first word, quotes removed).
    pub fn name(&self) -> Option<&str> {
        self.words.first().map(|w| w.value.as_str())
    }

    /// The command name without its directory: `sh` for `/bin/sh`.
    pub fn program(&self) -> Option<&str> {
        self.name().map(basename)
    }

    /// The arguments after the name.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// Whether an argument equals `arg` exactly.
    pub fn has_arg(&self, arg: &str) -> bool {
        self.args().iter().any(|w| w.value == arg)
    }
}

/// A redirection: `> /dev/null`, `2>&1`, `<<EOF`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirect {
    /// The operator: `<`, `>`, `>>`, `<<`, `<<-`, `<<<`, `>&`, `&>`, …
    /// (a static `SmolStr`: no allocation).
    pub op: SmolStr,
    /// The file descriptor written before the operator (`2>`).
    pub fd: Option<u32>,
    /// The file, descriptor or heredoc delimiter after the operator.
    pub target: Option<Word>,
    pub span: Span,
}

/// What separates a command from the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Separator {
    /// The first command.
    Start,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` (or `;;` in `case`)
    Semicolon,
    /// `|` or `|&`
    Pipe,
    /// `&`
    Background,
    /// A line break.
    Newline,
    /// `(` or `)`
    Group,
}

/// The simple commands of a shell script, spans relative to `text`.
///
/// Splits on `&&`, `||`, `;`, `|`, `&`, parentheses and newlines; removes
/// quotes from words (`value`); drops `#` comments; keeps `$(…)`, `${…}`
/// and backquotes inside their word; separates redirections from arguments
/// and skips here-document bodies; puts leading `NAME=value` words in
/// `assignments`; skips `if`/`then`/`do`/`{`/`fi`/`done`… at a command's
/// start. It reads POSIX shell syntax only (a Windows `SHELL` is not
/// considered), and does not look inside `sh -c "…"` strings.
///
/// ```
/// use bulwark_syntax::dockerfile::commands;
///
/// let cmds = commands("curl -fsSL https://x.sh | sh && echo 'a && b'");
/// assert_eq!(cmds[0].name(), Some("curl"));
/// assert_eq!(cmds[0].pipe_to, Some(1));
/// assert_eq!(cmds[2].args()[0].value, "a && b");
/// ```
pub fn commands(text: &str) -> Vec<Command> {
    tokenize(text, &SourceMap::contiguous(0))
}

/// Whether `program` (a path or name) is a POSIX-like shell.
pub fn is_shell(program: &str) -> bool {
    // Every shell's name ends in `sh`: most programs are turned away
    // before their basename is looked for.
    program.ends_with("sh")
        && matches!(
            basename(program),
            "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "yash" | "posh"
        )
}

/// The name without its directory: `sh` for `/bin/sh`.
#[inline]
pub fn basename(path: &str) -> &str {
    match last_slash(path.as_bytes()) {
        Some(slash) => &path[slash + 1..],
        None => path,
    }
}

/// The offset of the last `/` in `bytes`. Rules ask for the basename of
/// nearly every command word, so words are read in chunks of eight bytes
/// (four for shorter words) from the end (SWAR) instead of byte by byte.
/// The first chunk may overlap bytes already read: they held no `/`.
fn last_slash(bytes: &[u8]) -> Option<usize> {
    let len = bytes.len();
    if len < 4 {
        return bytes.iter().rposition(|&b| b == b'/');
    }
    if len < 8 {
        let chunk = |at: usize| -> Option<u64> {
            let four: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
            Some(u64::from(u32::from_le_bytes(four)))
        };
        return match last_slash_in(chunk(len - 4)?) {
            Some(i) => Some(len - 4 + i),
            None => last_slash_in(chunk(0)?),
        };
    }
    let mut start = len - 8;
    loop {
        let eight: [u8; 8] = bytes.get(start..start + 8)?.try_into().ok()?;
        if let Some(i) = last_slash_in(u64::from_le_bytes(eight)) {
            return Some(start + i);
        }
        if start == 0 {
            return None;
        }
        start = start.saturating_sub(8);
    }
}

/// The index of the last `/` among the bytes of `chunk` (little-endian;
/// bytes beyond a short chunk are zero, never `/`).
fn last_slash_in(chunk: u64) -> Option<usize> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const SLASHES: u64 = 0x2f2f_2f2f_2f2f_2f2f;
    // A byte of `x` is zero where the chunk has `/`. For each byte,
    // `(b & 0x7f) + 0x7f` carries into bit 7 unless `b & 0x7f` is 0 (never
    // into the next byte), and or-ing `b` covers 0x80: the high bits left
    // clear mark exactly the zero bytes.
    let x = chunk ^ SLASHES;
    let zeros = !(((x & LOW7) + LOW7) | x | LOW7);
    // The highest set bit is the last byte.
    (zeros != 0).then(|| 7 - (zeros.leading_zeros() / 8) as usize)
}

/// The commands of `text`, spans mapped through `map`.
pub(crate) fn tokenize(text: &str, map: &SourceMap) -> Vec<Command> {
    let mut lexer = Lexer::new(text);
    let mut builder = Builder::new(text, map);
    lexer.run(&mut builder);
    builder.finish(Separator::Start);
    builder.commands
}

/// A command made of exec-form words.
pub(crate) fn command_of_words(words: Vec<Word>) -> Option<Command> {
    let span = words.first()?.span.to(words.last()?.span);
    Some(Command {
        words,
        assignments: Vec::new(),
        redirects: Vec::new(),
        span,
        follows: Separator::Start,
        pipe_to: None,
    })
}

/// `NAME=…` with a valid shell name: `[A-Za-z_][A-Za-z0-9_]*=`. A byte
/// scan (every name byte is ASCII), asked of the first word of every
/// command.
pub fn is_assignment(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    if !bytes
        .first()
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
    {
        return false;
    }
    for &c in bytes {
        match c {
            b'=' => return true,
            c if c.is_ascii_alphanumeric() || c == b'_' => {}
            _ => return false,
        }
    }
    false
}
