//! The default human output: findings grouped by benchmark section, one
//! line each, then counts and a score.
//!
//! Passes are folded into one line per control unless asked for (an audit
//! of 500 containers would otherwise print thousands of PASS lines); the
//! JSON output always has every finding. Colour is written as ANSI
//! escapes; the caller strips them when stdout is not a terminal.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use bulwark_rules::finding::{Finding, Status};

use crate::Report;

/// Presentation choices.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// Write ANSI colour escapes.
    pub color: bool,
    /// One line per passing finding instead of one per control.
    pub show_passes: bool,
}

struct Row {
    status: Status,
    control: String,
    rule: String,
    severity: String,
    subject: String,
    message: String,
}

fn style(status: Status) -> Style {
    let color = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
    match status {
        Status::Pass => color(AnsiColor::Green),
        Status::Fail => color(AnsiColor::Red).bold(),
        Status::Manual => color(AnsiColor::Yellow),
        Status::NotApplicable => Style::new().dimmed(),
        Status::Skipped => color(AnsiColor::Cyan),
        Status::Error => color(AnsiColor::Magenta).bold(),
    }
}

fn label(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::Manual => "MANUAL",
        Status::NotApplicable => "N/A",
        Status::Skipped => "SKIPPED",
        Status::Error => "ERROR",
    }
}

fn subject(f: &Finding) -> String {
    let kind = serde_json::to_value(f.subject.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    match &f.subject.id {
        Some(id) if f.subject.kind == bulwark_rules::SubjectKind::Container => {
            format!("{kind} {} ({id})", f.subject.name)
        }
        _ => format!("{kind} {}", f.subject.name),
    }
}

fn finding_row(control: &str, f: &Finding) -> Row {
    let mut message = f.message.to_string();
    if let Some(reason) = f.reason {
        message.push_str(&format!(" [{reason}]"));
    }
    Row {
        status: f.status,
        control: control.to_string(),
        rule: format!("{} {}", f.rule.id, f.rule.name),
        severity: if f.status == Status::Fail {
            f.severity.as_str().to_string()
        } else {
            String::new()
        },
        subject: subject(f),
        message,
    }
}

/// Writes the report as a table.
pub fn render(report: &Report<'_>, options: TableOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = |s: Style| if options.color { s } else { Style::new() };
    let bold = paint(Style::new().bold());
    let dim = paint(Style::new().dimmed());

    let host = match report.snapshot.engine.get() {
        Some(e) => format!("{} (Docker {})", e.info.name, e.version.version),
        None => "unreachable daemon".to_string(),
    };
    writeln!(
        out,
        "{bold}bulwark audit{bold:#} · {} {} · {host} · {}",
        report.benchmark.title, report.benchmark.version, report.snapshot.endpoint.address
    )?;

    let mut section = None;
    for outcome in &report.controls {
        let control = outcome.control;
        if section != Some(control.section()) {
            section = Some(control.section());
            let title = report
                .benchmark
                .section_title(control.section())
                .unwrap_or("");
            writeln!(out, "\n{bold}{} {title}{bold:#}", control.section())?;
        }
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| control.rules.iter().any(|r| r == f.rule.id))
            .collect();
        let mut rows = Vec::new();
        let mut folded = 0;
        for f in &findings {
            if f.status == Status::Pass && !options.show_passes {
                folded += 1;
            } else {
                rows.push(finding_row(&control.id, f));
            }
        }
        if folded > 0 {
            let first = findings.iter().find(|f| f.status == Status::Pass);
            let noun = match first.map(|f| f.subject.kind) {
                Some(bulwark_rules::SubjectKind::Container) if folded != 1 => "containers",
                Some(bulwark_rules::SubjectKind::Container) => "container",
                _ => "subject",
            };
            let rule = first
                .map(|f| format!("{} {}", f.rule.id, f.rule.name))
                .unwrap_or_default();
            let message = if folded == 1 {
                first.map(|f| f.message.to_string()).unwrap_or_default()
            } else {
                format!("{folded} {noun} passed")
            };
            let subject = if folded == 1 {
                first.map(|f| subject(f)).unwrap_or_default()
            } else {
                String::new()
            };
            rows.push(Row {
                status: Status::Pass,
                control: control.id.clone(),
                rule,
                severity: String::new(),
                subject,
                message,
            });
        }
        write_rows(out, &rows, options, dim)?;
    }

    let counts = |c: &std::collections::BTreeMap<Status, usize>| {
        Status::ALL
            .iter()
            .filter(|s| c.get(s).copied().unwrap_or(0) > 0)
            .map(|s| format!("{} {}", c[s], s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out)?;
    writeln!(
        out,
        "{bold}Controls{bold:#}  {} ({})",
        report.controls.len(),
        counts(&report.control_counts())
    )?;
    writeln!(
        out,
        "{bold}Results{bold:#}   {} ({})",
        report.findings.len(),
        counts(&report.finding_counts())
    )?;
    if let Some(score) = report.score() {
        writeln!(
            out,
            "{bold}Score{bold:#}     {score:.1}% of decided controls pass"
        )?;
    }
    let blocking = report.blocking_failures();
    let verdict_style = paint(style(if blocking > 0 {
        Status::Fail
    } else {
        Status::Pass
    }));
    writeln!(
        out,
        "{verdict_style}{blocking} failure{} at or above {}{verdict_style:#}",
        if blocking == 1 { "" } else { "s" },
        report.fail_on.as_str()
    )?;
    for note in &report.snapshot.notes {
        writeln!(out, "{dim}note: {note}{dim:#}")?;
    }
    Ok(())
}

fn write_rows(
    out: &mut dyn Write,
    rows: &[Row],
    options: TableOptions,
    dim: Style,
) -> io::Result<()> {
    for row in rows {
        let status = if options.color {
            style(row.status)
        } else {
            Style::new()
        };
        let label = format!("{:<7}", label(row.status));
        let mut line = format!(
            "  {status}{label}{status:#} {:<5} {:<38}",
            row.control, row.rule
        );
        if !row.severity.is_empty() {
            line.push_str(&format!(" {:<8}", row.severity));
        } else {
            line.push_str(&format!(" {:<8}", ""));
        }
        line.push_str(&format!(" {dim}{}{dim:#}", row.subject));
        line.push_str(&format!("  {}", row.message));
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
