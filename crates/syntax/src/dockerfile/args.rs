//! The arguments of each instruction, in the shape rules need: FROM image
//! and alias, command lines in exec or shell form, key=value pairs, COPY
//! sources and destination, ports, user and group, healthcheck test.

use serde::Serialize;

use super::shell::{self, Command};
use super::source::SourceMap;
use super::tree::{Instruction, Token, Word};
use crate::Span;

/// The arguments of an instruction, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Args {
    From(FromArgs),
    Run(CommandLine),
    Cmd(CommandLine),
    Entrypoint(CommandLine),
    /// SHELL must be exec form; shell form gets a diagnostic.
    Shell(CommandLine),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<KeyValue>),
    Copy(CopyArgs),
    Add(CopyArgs),
    Expose(Vec<Port>),
    User(Option<UserArgs>),
    Workdir(Option<Word>),
    Volume(PathList),
    Healthcheck(HealthcheckArgs),
    /// The wrapped instruction; `None` when it is missing.
    Onbuild(Option<Box<Instruction>>),
    Maintainer(Option<Word>),
    Stopsignal(Option<Word>),
    /// An unknown instruction's arguments, whole.
    Unknown(Option<Word>),
}

/// `FROM [--platform=…] image [AS name]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FromArgs {
    /// The image as written (it may hold `${VAR}`; the stage has it
    /// resolved).
    pub image: Option<Word>,
    /// The `AS` keyword as written (BuildKit's FromAsCasing looks at it).
    pub as_keyword: Option<Token>,
    /// The stage name as written.
    pub alias: Option<Word>,
}

/// RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK CMD arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CommandLine {
    /// A JSON array: run without a shell.
    Exec(ExecForm),
    /// Anything else: given to the shell as one string.
    Shell(ShellForm),
}

/// `["executable", "arg"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExecForm {
    /// The strings: `raw` is the JSON literal, `value` the decoded string.
    pub args: Vec<Word>,
    /// The whole array.
    pub span: Span,
}

/// Shell-form text: continuation lines joined (the escape character and
/// newline removed, comment lines dropped), as the shell receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShellForm {
    pub text: String,
    /// From the first to the last character of the text in the file.
    pub span: Span,
    #[serde(skip)]
    pub(crate) map: SourceMap,
}

impl ShellForm {
    /// The commands of the text, split as a POSIX shell would (see
    /// [`commands`](super::commands)), with spans in the file.
    pub fn commands(&self) -> Vec<Command> {
        shell::tokenize(&self.text, &self.map)
    }
}

impl CommandLine {
    /// Whether this is the JSON exec form.
    pub fn is_exec(&self) -> bool {
        matches!(self, CommandLine::Exec(_))
    }

    /// Whether there is no command at all (`CMD []`, or nothing).
    pub fn is_empty(&self) -> bool {
        match self {
            CommandLine::Exec(e) => e.args.is_empty(),
            CommandLine::Shell(s) => s.text.trim().is_empty(),
        }
    }

    /// The span of the whole command.
    pub fn span(&self) -> Span {
        match self {
            CommandLine::Exec(e) => e.span,
            CommandLine::Shell(s) => s.span,
        }
    }

    /// The commands this runs. Shell form is tokenized; exec form is one
    /// command of its strings, unless it is `[shell, "-c", script]` with a
    /// script whose JSON literal has no escapes, which is tokenized too.
    pub fn commands(&self) -> Vec<Command> {
        match self {
            CommandLine::Shell(s) => s.commands(),
            CommandLine::Exec(e) => {
                if let Some(script) = shell_script_arg(&e.args) {
                    let map = SourceMap::contiguous(script.span.start + 1);
                    return shell::tokenize(&script.value, &map);
                }
                shell::command_of_words(e.args.clone())
                    .into_iter()
                    .collect()
            }
        }
    }
}

/// The script of `["sh", "-c", "script"]` (or bash, with other flags
/// before `-c`), when its literal maps one to one onto the file.
fn shell_script_arg(args: &[Word]) -> Option<&Word> {
    let program = args.first()?;
    if !shell::is_shell(&program.value) {
        return None;
    }
    let c = args.iter().position(|w| w.value == "-c")?;
    let script = args.get(c + 1)?;
    // Only when the JSON literal is the script between quotes.
    (script.raw.len() == script.value.len() + 2).then_some(script)
}

/// `KEY=value` in ENV, LABEL and ARG, or the legacy `ENV KEY value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    pub key: Word,
    /// `None` only for `ARG NAME` without a default.
    pub value: Option<Word>,
    /// The whole pair.
    pub span: Span,
    /// Written as `ENV KEY value` (BuildKit's LegacyKeyValueFormat).
    pub legacy: bool,
}

/// COPY and ADD arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyArgs {
    pub sources: Vec<CopySource>,
    /// The last argument; `None` when fewer than two were given.
    pub dest: Option<Word>,
    /// Written as a JSON array.
    pub json: bool,
}

/// One COPY or ADD source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopySource {
    pub word: Word,
    /// The index in the instruction's heredocs when the source is
    /// `<<EOF`.
    pub heredoc: Option<usize>,
}

impl CopySource {
    /// An `http://` or `https://` URL (what ADD downloads).
    pub fn is_url(&self) -> bool {
        let v = self.word.value.to_ascii_lowercase();
        v.starts_with("http://") || v.starts_with("https://")
    }

    /// A Git repository (`git@…`, `*.git`, `git://…`, or `…#ref` form).
    pub fn is_git(&self) -> bool {
        let v = &self.word.value;
        v.starts_with("git@")
            || v.starts_with("git://")
            || v.split('#').next().is_some_and(|u| u.ends_with(".git"))
    }
}

/// One EXPOSE entry: `80`, `80/tcp`, `8000-8010/udp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Port {
    pub word: Word,
    /// The first port, when the entry is numeric; values beyond `u32`
    /// saturate, so out-of-range ports still compare as such.
    pub start: Option<u32>,
    /// The last port of a range (`start` otherwise).
    pub end: Option<u32>,
    /// The protocol as written after `/`, if any.
    pub protocol: Option<String>,
}

impl Port {
    /// Reads an EXPOSE word.
    pub(crate) fn new(word: Word) -> Port {
        // Split at ASCII bytes by position: a `char` pattern sets up a
        // searcher per split, which cost more than reading a short word.
        let (number, protocol) = match crate::split_once_ascii(&word.value, b'/') {
            Some((n, p)) => (n, Some(p.to_owned())),
            None => (word.value.as_str(), None),
        };
        let (start, end) = match crate::split_once_ascii(number, b'-') {
            Some((a, b)) => (port_number(a), port_number(b)),
            None => {
                let n = port_number(number);
                (n, n)
            }
        };
        let (start, end) = if start.is_some() && end.is_some() {
            (start, end)
        } else {
            (None, None)
        };
        Port {
            word,
            start,
            end,
            protocol,
        }
    }
}

/// The value of a duration's number as written (digits, maybe a `.` and
/// more digits). Whole numbers of up to 15 digits (nearly all) are summed
/// as integers, exact in an `f64` as parsing would give them; only the
/// rest go through the float parser, which costs some hundred
/// instructions even for `30`.
fn decimal(number: &str) -> Option<f64> {
    if number.len() <= 15
        && let Some(n) = crate::ascii_digits(number)
    {
        // Exact: 15 digits fit an f64's 53-bit mantissa.
        return Some(n as f64);
    }
    number.parse().ok()
}

/// A port number of ASCII digits, saturating at `u32::MAX` (as parsing
/// then clamping did).
fn port_number(text: &str) -> Option<u32> {
    crate::ascii_digits(text).map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// `USER user[:group]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserArgs {
    pub user: Word,
    pub group: Option<Word>,
}

/// VOLUME paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathList {
    pub paths: Vec<Word>,
    pub json: bool,
}

/// `HEALTHCHECK NONE` or `HEALTHCHECK [options] CMD command`; the options
/// are the instruction's flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthcheckArgs {
    /// `NONE` or `CMD` as written (anything else gets a diagnostic).
    pub kind: Option<Token>,
    /// The command after CMD.
    pub command: Option<CommandLine>,
}

impl HealthcheckArgs {
    /// `HEALTHCHECK NONE`: disables the base image's healthcheck.
    pub fn is_none(&self) -> bool {
        self.kind
            .as_ref()
            .is_some_and(|k| k.text.eq_ignore_ascii_case("NONE"))
    }
}

/// Reads a Go duration (`30s`, `1m30s`, `1.5h`, `500ms`, `0`), as
/// HEALTHCHECK options are written. `None` if it is not one, or negative.
pub fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let nanos = parse_duration_nanos(text)?;
    u64::try_from(nanos)
        .ok()
        .map(std::time::Duration::from_nanos)
}

/// A Go duration in nanoseconds (negative allowed), as `time.ParseDuration`
/// reads it: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` or `0`.
pub(crate) fn parse_duration_nanos(text: &str) -> Option<i128> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_start = rest;
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int = rest.get(..int_len)?;
        rest = rest.get(int_len..)?;
        let mut frac = "";
        if let Some(r) = rest.strip_prefix('.') {
            let frac_len = r.bytes().take_while(u8::is_ascii_digit).count();
            frac = r.get(..frac_len)?;
            rest = r.get(frac_len..)?;
        }
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        // The number as written: `int.frac`, `.frac` (Rust reads it as
        // `0.frac`) or `int` (a trailing `.` dropped). Parsing the slice
        // avoids formatting a string per number.
        let number = if frac.is_empty() {
            int
        } else {
            number_start.get(..int_len + 1 + frac.len())?
        };
        let unit_len = rest
            .bytes()
            .position(|b| b == b'.' || b.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = match rest.get(..unit_len)? {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = rest.get(unit_len..)?;
        let number = decimal(number)?;
        total += number * unit;
    }
    if total > i64::MAX as f64 {
        return None;
    }
    let nanos = total.round() as i128;
    Some(if negative { -nanos } else { nanos })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration_nanos("30s"), Some(30_000_000_000));
        assert_eq!(parse_duration_nanos("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_duration_nanos("1.5h"), Some(5_400_000_000_000));
        assert_eq!(parse_duration_nanos(".5ms"), Some(500_000));
        assert_eq!(parse_duration_nanos("0"), Some(0));
        assert_eq!(parse_duration_nanos("-1s"), Some(-1_000_000_000));
        assert_eq!(parse_duration_nanos("10"), None);
        assert_eq!(parse_duration_nanos("5x"), None);
        assert_eq!(parse_duration_nanos(""), None);
        assert_eq!(
            parse_duration("2s"),
            Some(std::time::Duration::from_secs(2))
        );
        assert_eq!(parse_duration("-2s"), None);
    }

    #[test]
    fn durations_read_numbers_as_the_formatted_string_did() {
        // The number used to be formatted as `{int or 0}.{frac}` (a
        // trailing `.` trimmed) before parsing; the slice as written must
        // give the same f64 bit for bit.
        fn formatted(int: &str, frac: &str) -> f64 {
            format!("{}.{}", if int.is_empty() { "0" } else { int }, frac)
                .trim_end_matches('.')
                .parse()
                .unwrap()
        }
        for (int, frac) in [
            ("1", ""),
            ("", "5"),
            ("0", "1"),
            ("007", "250"),
            ("", "000000000000000000000000001"),
            ("1234567890", "987654321987"),
            ("1", "000000000000000000000000000000000000001"),
        ] {
            let written = if frac.is_empty() {
                format!("{int}.s")
            } else {
                format!("{int}.{frac}s")
            };
            let expected = (formatted(int, frac) * 1e9).round() as i128;
            assert_eq!(parse_duration_nanos(&written), Some(expected), "{written}");
        }
    }

    proptest::proptest! {
        /// Port numbers and durations read as `str::parse` reads them.
        #[test]
        fn numbers_read_as_parse_does(digits in "[0-9]{0,24}") {
            let parsed = (!digits.is_empty())
                .then(|| digits.parse::<u32>().unwrap_or(u32::MAX));
            proptest::prop_assert_eq!(port_number(&digits), parsed);
            if !digits.is_empty() {
                let float: f64 = digits.parse().unwrap();
                proptest::prop_assert_eq!(decimal(&digits), Some(float));
            }
        }
    }

    #[test]
    fn ports() {
        let word = |v: &str| Word {
            raw: v.into(),
            value: v.into(),
            span: Span::default(),
        };
        let p = Port::new(word("8000-8010/udp"));
        assert_eq!(
            (p.start, p.end, p.protocol.as_deref()),
            (Some(8000), Some(8010), Some("udp"))
        );
        let p = Port::new(word("99999999999"));
        assert_eq!(p.start, Some(u32::MAX));
        assert_eq!(Port::new(word("$PORT")).start, None);
        assert_eq!(Port::new(word("127.0.0.1:80:80")).start, None);
    }
}
