//! The human output of `bulwark lint`: one line per problem, in the
//! `path:line:column` form editors and terminals make clickable, grouped
//! by file, then a count.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use bulwark_rules::finding::Status;
use bulwark_rules::rule::Severity;

use crate::{Report, TableOptions};

fn severity_style(s: Severity, status: Status) -> Style {
    let color = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
    if status == Status::Error {
        return color(AnsiColor::Magenta).bold();
    }
    match s {
        Severity::Critical | Severity::High => color(AnsiColor::Red).bold(),
        Severity::Medium => color(AnsiColor::Yellow),
        Severity::Low | Severity::Info => color(AnsiColor::Cyan),
    }
}

/// Writes the lint report.
pub fn render(
    report: &Report<'_>,
    files_checked: usize,
    options: TableOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let paint = |s: Style| if options.color { s } else { Style::new() };
    let bold = paint(Style::new().bold());
    let dim = paint(Style::new().dimmed());
    let mut current = None;
    for f in report.findings.iter().filter(|f| f.status != Status::Pass) {
        let (path, line, col) = f.location.as_ref().map_or((&*f.subject.name, 0, 0), |l| {
            (&*l.path, l.start_line, l.start_column)
        });
        if current != Some(path) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{bold}{path}{bold:#}")?;
            current = Some(path);
        }
        let style = paint(severity_style(f.severity, f.status));
        let label = if f.status == Status::Error {
            "error"
        } else {
            f.severity.as_str()
        };
        writeln!(
            out,
            "  {path}:{line}:{col}  {style}{label:<8}{style:#} {dim}{} {}{dim:#}  {}",
            f.rule.id, f.rule.name, f.message
        )?;
    }
    if current.is_some() {
        writeln!(out)?;
    }
    let problems = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Pass)
        .count();
    let files_with = {
        let mut paths: Vec<&str> = report
            .findings
            .iter()
            .filter_map(|f| f.location.as_ref().map(|l| &*l.path))
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths.len()
    };
    writeln!(
        out,
        "{bold}{problems} problem{} in {files_with} of {files_checked} file{} checked{bold:#}",
        if problems == 1 { "" } else { "s" },
        if files_checked == 1 { "" } else { "s" }
    )?;
    let blocking = report.blocking_failures();
    if blocking > 0 {
        let s = paint(Style::new().fg_color(Some(AnsiColor::Red.into())).bold());
        writeln!(
            out,
            "{s}{blocking} at or above {}{s:#}",
            report.fail_on.as_str()
        )?;
    }
    Ok(())
}
