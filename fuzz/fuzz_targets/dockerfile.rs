//! Fuzz target: `parse` any text (bytes read as UTF-8, invalid sequences
//! replaced), check the tree's invariants with `verify`, and call every
//! helper a rule may call. A panic, a broken invariant, an out-of-memory or
//! a timeout is a bug.

#![no_main]

use bulwark_syntax::LineIndex;
use bulwark_syntax::dockerfile::{commands, parse, substitute, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let df = parse(text);
    if let Err(problem) = verify(text, &df) {
        panic!("{problem}");
    }

    let index = LineIndex::new(text);
    // The scope helpers walk a stage per call: bounded so a long input
    // stays fast (they are linear code; coverage does not need more).
    for (i, instruction) in df.instructions.iter().enumerate().take(32) {
        let _ = index.range(text, instruction.span);
        let _ = df.vars_at(i);
        let _ = df.copy_from(i);
        let _ = df.comments_before(text, i);
        for j in 0..instruction.heredocs.len() {
            let _ = instruction.heredoc_runs_in_shell(j);
        }
        if let Some(command) = instruction.command_line() {
            let _ = command.commands();
        }
    }
    for stage in &df.stages {
        let _ = stage.base_image();
    }
    let _ = df.check();
    let _ = commands(text);
    let _ = substitute(text, &[("A", "1"), ("B", "")][..]);
});
