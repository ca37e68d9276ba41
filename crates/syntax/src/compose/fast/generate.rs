//! Random compose-like YAML for the differential tests: documents built
//! from the fast loader's subset (block mappings and sequences at random
//! indentations, compact and indentless sequences, flow collections,
//! quoted scalars with escapes, comments, anchors, aliases, merge keys),
//! salted with scalars whose resolution is subtle and with constructs
//! outside the subset, then optionally mutated (bytes inserted or removed,
//! lines re-indented or repeated).
//!
//! Choices come from a [`Choices`] source: a seeded generator for proptest,
//! the fuzzer's bytes for the `compose_fast` fuzz target (so that coverage
//! guides the structure too).

/// Where the generator's decisions come from.
pub(crate) trait Choices {
    /// A number below `n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize;

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// A xorshift generator, for proptest seeds.
#[cfg(test)]
pub(crate) struct Seeded(pub(crate) u64);

#[cfg(test)]
impl Choices for Seeded {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Decisions read from bytes (the fuzzer's input); zeros once exhausted.
#[cfg(feature = "fuzzing")]
pub(crate) struct Bytes<'a>(pub(crate) &'a [u8]);

#[cfg(feature = "fuzzing")]
impl Choices for Bytes<'_> {
    fn below(&mut self, n: usize) -> usize {
        let Some((&first, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        usize::from(first) % n
    }
}

const KEYS: &[&str] = &[
    "services",
    "image",
    "web",
    "db",
    "ports",
    "volumes",
    "environment",
    "x-common",
    "restart",
    "privileged",
    "cap_drop",
    "command",
    "a",
    "b",
    "c",
    "key",
    "target",
    "published",
    "host_ip",
    "mode",
    "healthcheck",
    "test",
    "é",
    "a b",
    "a:b",
    "-x",
];

/// Keys that resolve to something else than a string, or are quoted.
const ODD_KEYS: &[&str] = &[
    "1", "y", "on", "~", "null", "1.5", "\"q\"", "'s'", "\"a b\"", "''", "\"<<\"", "0x1", "-1",
];

const SCALARS: &[&str] = &[
    "nginx:1.27",
    "postgres:16",
    "./static:/usr/share/nginx/html:ro",
    "8080:80",
    "\"8080:80\"",
    "127.0.0.1",
    "on-failure:3",
    "json-file",
    "true",
    "false",
    "512m",
    "200",
    "0.50",
    "\"0.50\"",
    "app",
    "example1",
    "/var/run/docker.sock:/var/run/docker.sock",
    "ALL",
    "no-new-privileges:true",
    "curl -f http://localhost/ || exit 1",
    "'single'",
    "\"double\"",
    "x y  z",
    "a#b",
    "unless-stopped",
];

/// Spellings whose resolution is subtle, and things outside the subset.
const TRICKY: &[&str] = &[
    "0o17",
    "0x1F",
    "+1",
    "1e3",
    ".5",
    "1_000",
    "yes",
    "Off",
    "~",
    "null",
    "NULL",
    "Null",
    "-",
    ":",
    "08",
    "0755",
    "12:30",
    "1.0",
    "-.inf",
    ".inf",
    ".NaN",
    "y",
    "n",
    "N",
    "-0",
    "-0.0",
    "1.",
    "18446744073709551616",
    "9223372036854775807",
    "123456789012345678",
    "1e999",
    "3.12-slim",
    "0b101",
    "+.5",
    "-foo",
    "?x",
    ":x",
    "é",
    "\u{1F511}",
    "'it''s'",
    "\"a\\tb\\u00e9\\x41\\\"\"",
    "\"\\N\"",
    "\"\\/\"",
    "\"\\ud800\"",
    "''",
    "\"\"",
    "!!str x",
    "!reset []",
    "&",
    "*",
    "@x",
    "`x",
    "%x",
    "| x",
    "> x",
    "|",
    ">",
    "|-",
    ">+",
    "|2",
    "| #c",
    "[x]y",
    "a: b",
    "- x",
    "? x",
    "x #c",
    "x#",
    "[a, b",
    "{a: 1",
    "[a: 1]",
    "{a}",
    "[,]",
    "[a,]",
    "{a: }",
    "[*nope]",
    "[\"a\":1]",
    "{a:1}",
    "\"open",
    "'open",
];

/// Generates a document, then applies `mutations` random edits.
pub(crate) fn document(c: &mut impl Choices, mutations: usize) -> String {
    let mut g = Generator {
        out: String::new(),
        anchors: Vec::new(),
        next_anchor: 0,
    };
    if c.one_in(8) {
        g.out.push_str("# head\n");
    }
    if c.one_in(5) {
        g.out.push_str(c.pick(&["---\n", "--- # c\n", "---  \n"]));
    }
    g.map(c, 0, 0);
    if c.one_in(6) {
        g.out
            .push_str(c.pick(&["# tail\n", "\n\n", "...\n", "---\nb: 1\n", "  \n"]));
    }
    let mut text = g.out;
    for _ in 0..mutations {
        mutate(c, &mut text);
    }
    text
}

struct Generator {
    out: String,
    /// Anchors defined so far, and whether each holds a mapping.
    anchors: Vec<(String, bool)>,
    next_anchor: usize,
}

impl Generator {
    fn pad(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
    }

    fn scalar(&self, c: &mut impl Choices) -> String {
        if c.one_in(6) {
            c.pick(TRICKY).to_owned()
        } else {
            c.pick(SCALARS).to_owned()
        }
    }

    fn new_anchor(&mut self, is_map: bool) -> String {
        self.next_anchor += 1;
        let name = format!("a{}", self.next_anchor);
        self.anchors.push((name.clone(), is_map));
        name
    }

    fn alias(&self, c: &mut impl Choices, maps_only: bool) -> Option<String> {
        let names: Vec<&str> = self
            .anchors
            .iter()
            .filter(|(_, is_map)| *is_map || !maps_only)
            .map(|(n, _)| n.as_str())
            .collect();
        if names.is_empty() {
            return None;
        }
        Some(format!("*{}", c.pick(&names)))
    }

    /// A trailing comment or spaces, sometimes.
    fn line_end(&mut self, c: &mut impl Choices) {
        match c.below(12) {
            0 => self.out.push_str(" # c"),
            1 => self.out.push_str("  "),
            2 => self.out.push_str("#c"),
            _ => {}
        }
        self.out.push('\n');
        match c.below(14) {
            0 => self.out.push('\n'),
            1 => self.out.push_str("  # comment\n"),
            2 => self.out.push_str("# c\n"),
            _ => {}
        }
    }

    fn flow(&self, c: &mut impl Choices, depth: usize) -> String {
        let n = c.below(4);
        let map = c.one_in(3);
        let mut items = Vec::new();
        for _ in 0..n {
            let value = if depth < 2 && c.one_in(5) {
                self.flow(c, depth + 1)
            } else if c.one_in(8) {
                self.alias(c, false).unwrap_or_else(|| "x".to_owned())
            } else {
                c.pick(&[
                    "a",
                    "\"b\"",
                    "'c'",
                    "1",
                    "ALL",
                    "no-new-privileges:true",
                    "x y",
                    "-1",
                    "1.5",
                    "~",
                    "yes",
                    "\"CMD\"",
                    "a:b",
                    "é",
                    "0x1",
                    "",
                ])
                .to_owned()
            };
            if map {
                items.push(format!("{}: {value}", c.pick(KEYS)));
            } else {
                items.push(value);
            }
        }
        let sep = c.pick(&[", ", ",", " , "]);
        let (open, close) = if map { ("{", "}") } else { ("[", "]") };
        let pad = c.pick(&["", " "]);
        let trailing = if c.one_in(8) { "," } else { "" };
        format!("{open}{pad}{}{trailing}{pad}{close}", items.join(sep))
    }

    /// A block mapping at `indent` (the first key's indentation already
    /// written when `inline`).
    fn map(&mut self, c: &mut impl Choices, indent: usize, depth: usize) {
        self.map_entries(c, indent, depth, false);
    }

    fn map_entries(&mut self, c: &mut impl Choices, indent: usize, depth: usize, inline: bool) {
        let n = 1 + c.below(if depth == 0 { 8 } else { 4 });
        for i in 0..n {
            if !(inline && i == 0) {
                self.pad(indent);
            }
            if !self.anchors.iter().all(|(_, m)| !m) && c.one_in(6) {
                let source = if c.one_in(3) {
                    let a = self.alias(c, true).unwrap_or_default();
                    let b = self.alias(c, true).unwrap_or_default();
                    format!("[{a}, {b}]")
                } else {
                    self.alias(c, true).unwrap_or_default()
                };
                self.out.push_str(&format!("<<: {source}"));
                self.line_end(c);
                continue;
            }
            let key = if c.one_in(10) {
                c.pick(ODD_KEYS)
            } else {
                c.pick(KEYS)
            };
            self.out.push_str(key);
            self.out.push_str(c.pick(&[":", ":", ":", " :"]));
            self.value(c, indent, depth);
        }
    }

    /// The value after a key's `:` (or after a `-`), for an entry at
    /// `indent`.
    fn value(&mut self, c: &mut impl Choices, indent: usize, depth: usize) {
        let step = 1 + c.below(4);
        let nested = depth < 4;
        match c.below(12) {
            0 | 1 if nested => {
                let anchor = c.one_in(3).then(|| self.new_anchor(true));
                if let Some(a) = &anchor {
                    self.out.push_str(&format!(" &{a}"));
                }
                self.line_end(c);
                self.map(c, indent + step, depth + 1);
            }
            2 | 3 if nested => {
                if c.one_in(4) {
                    let anchor = self.new_anchor(false);
                    self.out.push_str(&format!(" &{anchor}"));
                }
                self.line_end(c);
                let at = if c.one_in(2) { indent } else { indent + step };
                self.seq(c, at, depth + 1);
            }
            4 if c.one_in(2) => self.line_end(c),
            4 => {
                self.out.push(' ');
                self.block_scalar(c, indent);
            }
            5 => {
                let anchor = self.new_anchor(false);
                let value = self.scalar(c);
                self.out.push_str(&format!(" &{anchor} {value}"));
                self.line_end(c);
            }
            6 => {
                match self.alias(c, false) {
                    Some(a) => self.out.push_str(&format!(" {a}")),
                    None => self.out.push_str(" x"),
                }
                self.line_end(c);
            }
            7 => {
                let flow = self.flow(c, 0);
                self.out.push(' ');
                self.out.push_str(&flow);
                self.line_end(c);
            }
            _ => {
                let value = self.scalar(c);
                self.out.push(' ');
                self.out.push_str(&value);
                self.line_end(c);
            }
        }
    }

    /// A block sequence at `indent`.
    fn seq(&mut self, c: &mut impl Choices, indent: usize, depth: usize) {
        let n = 1 + c.below(4);
        for _ in 0..n {
            self.pad(indent);
            self.out.push('-');
            match c.below(8) {
                0 if depth < 4 => {
                    // `- key: value` and more keys under it.
                    self.out.push(' ');
                    self.map_entries(c, indent + 2, depth + 1, true);
                }
                1 if depth < 4 => {
                    // `- - x`
                    self.out.push(' ');
                    let inner = indent + 2;
                    self.out.push_str("- ");
                    let v = self.scalar(c);
                    self.out.push_str(&v);
                    self.line_end(c);
                    if c.one_in(2) {
                        self.pad(inner);
                        self.out.push_str("- y\n");
                    }
                }
                2 => self.line_end(c),
                3 if depth < 4 => {
                    self.line_end(c);
                    let at = indent + 1 + c.below(3);
                    self.map(c, at, depth + 1);
                }
                _ => self.value_inline(c, indent),
            }
        }
    }

    /// A block scalar (`|`, `>`, with chomping) after `key: ` or `- `,
    /// for an entry at `indent`, with its lines.
    fn block_scalar(&mut self, c: &mut impl Choices, indent: usize) {
        self.out
            .push_str(c.pick(&["|", ">", "|-", ">-", "|+", ">+", "| # c", "|2"]));
        self.out.push('\n');
        let content = indent + 1 + c.below(3);
        for _ in 0..1 + c.below(4) {
            match c.below(8) {
                0 => self.out.push('\n'),
                1 => {
                    self.pad(content + 1 + c.below(2));
                    self.out.push_str("more\n");
                }
                2 => {
                    self.pad(content);
                    self.out.push_str("# not a comment\n");
                }
                _ => {
                    self.pad(content);
                    let text = c.pick(&["echo hi", "x: y", "a  ", "[x]", "\"q\"", "- item", "é"]);
                    self.out.push_str(text);
                    self.out.push('\n');
                }
            }
        }
    }

    /// A scalar, alias, flow collection or block scalar after `- `.
    fn value_inline(&mut self, c: &mut impl Choices, indent: usize) {
        self.out.push(' ');
        if c.one_in(8) {
            self.block_scalar(c, indent);
            return;
        }
        match c.below(6) {
            0 => {
                let flow = self.flow(c, 0);
                self.out.push_str(&flow);
            }
            1 => {
                let a = self.alias(c, false).unwrap_or_else(|| "x".to_owned());
                self.out.push_str(&a);
            }
            2 => {
                let anchor = self.new_anchor(false);
                let value = self.scalar(c);
                self.out.push_str(&format!("&{anchor} {value}"));
            }
            _ => {
                let value = self.scalar(c);
                self.out.push_str(&value);
            }
        }
        self.line_end(c);
    }
}

/// One random edit: a character inserted or removed, a line re-indented or
/// repeated.
fn mutate(c: &mut impl Choices, text: &mut String) {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let at = boundaries[c.below(boundaries.len())];
    match c.below(5) {
        0 => {
            let insert = c.pick(&[
                ":", " ", "-", "#", "&", "*", "[", "]", "{", "}", ",", "'", "\"", "\n", "\t", "\r",
                "x", "0", ".", "\\", "|", ">", "!", "?", "é", "\u{85}", "\u{FEFF}",
            ]);
            text.insert_str(at, insert);
        }
        1 => {
            if at < text.len() {
                text.remove(at);
            }
        }
        _ => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.is_empty() {
                return;
            }
            let n = c.below(lines.len());
            let mut edited: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            match c.below(3) {
                0 => edited[n].insert(0, ' '),
                1 => {
                    if edited[n].starts_with(' ') {
                        edited[n].remove(0);
                    }
                }
                _ => {
                    let copy = edited[n].clone();
                    edited.insert(n, copy);
                }
            }
            *text = edited.concat();
        }
    }
}
