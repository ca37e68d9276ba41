//! Where output goes: a file (`-o`) or stdout, with colour decided by
//! whether a person is watching.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

use anyhow::Context as _;

/// An output destination.
pub struct Output {
    writer: Box<dyn Write>,
    /// True when colour escapes will reach a terminal.
    pub color: bool,
}

impl Output {
    /// `path`, or stdout when `None` or `-`. Colour only for a terminal
    /// stdout without `NO_COLOR`; anstream strips escapes otherwise.
    pub fn open(path: Option<&Path>) -> anyhow::Result<Output> {
        match path.filter(|p| p.as_os_str() != "-") {
            Some(p) => {
                let file =
                    File::create(p).with_context(|| format!("cannot write {}", p.display()))?;
                Ok(Output {
                    writer: Box::new(BufWriter::new(file)),
                    color: false,
                })
            }
            None => {
                let color = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                Ok(Output {
                    writer: Box::new(anstream::AutoStream::auto(io::stdout()).lock()),
                    color,
                })
            }
        }
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.writer
    }

    /// Flushes; call before exiting.
    pub fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// True when the error chain ends in a closed pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
