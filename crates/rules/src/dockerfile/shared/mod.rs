//! Helpers the Dockerfile rules share, each in a file of its own. Private
//! to the folder: the rules import them through `super::*`.

mod derived;
mod images;
mod index;
mod literal;
mod message;
mod options;
mod packages;
mod programs;
mod runs;
mod settings;
mod stages;
mod wrappers;
mod writes;

pub(crate) use derived::*;
pub(crate) use images::*;
pub(crate) use index::*;
pub(crate) use literal::*;
pub(crate) use message::*;
pub(crate) use options::*;
pub(crate) use packages::*;
pub(crate) use programs::*;
pub(crate) use runs::*;
pub(crate) use settings::*;
pub(crate) use stages::*;
pub(crate) use wrappers::*;
pub(crate) use writes::*;

#[cfg(test)]
mod tests {
    use bulwark_syntax::Span;
    use bulwark_syntax::dockerfile::{Command, Word, parse};

    use super::*;

    fn words(text: &str) -> Vec<Word> {
        bulwark_syntax::dockerfile::commands(text)
            .into_iter()
            .next()
            .map(|c| c.words)
            .unwrap_or_default()
    }

    #[test]
    fn wrappers_are_unwrapped() {
        let w = words("sudo -u root env A=1 nice -n 5 apt-get install x");
        assert_eq!(program_words(&w)[0].value, "apt-get");
        assert_eq!(program_positions(&w), vec![0, 3, 5, 8]);
        assert!(program_words(&words("command -v sudo")).is_empty());
        assert_eq!(program_words(&words("/usr/bin/sudo ls"))[0].value, "ls");
    }

    #[test]
    fn options_and_operands() {
        let w = words("apt-get -o Dpkg::Options::=x -qy install --no-install-recommends a b=1");
        let takes = Takes::new(&["-o", "-c", "-t"]);
        let s = split(&w[1..], &takes);
        let ops: Vec<&str> = s.operands.iter().map(|w| w.value.as_str()).collect();
        assert_eq!(ops, ["install", "a", "b=1"]);
        assert!(has_option(&w[1..], &takes, "--no-install-recommends"));
        assert!(!has_option(&w[1..], &takes, "--no"));
        assert!(cluster_has("-fsSLk", 'k', &Takes::new(&["-o"])));
        assert!(!cluster_has("-ok", 'k', &Takes::new(&["-o"])));
    }

    #[test]
    fn nested_scripts_are_read_with_positions() {
        let df = parse("FROM a\nRUN bash -c \"sudo ls | wc\"\n");
        let runs = read_runs(&df);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].scripts.len(), 2);
        let sudo = &runs[0].scripts[1][0].words[0];
        assert_eq!(sudo.value, "sudo");
        assert_eq!(sudo.span, Span::new(20, 24));
    }

    #[test]
    fn exec_form_scripts_with_escapes_point_at_the_script() {
        let text = "FROM a\nRUN [\"sh\", \"-c\", \"echo \\\"x\\\" && sudo ls\"]\n";
        let df = parse(text);
        let runs = read_runs(&df);
        let all: Vec<&Command> = runs[0].commands().collect();
        let sudo = all
            .iter()
            .find(|c| c.words.first().is_some_and(|w| w.value == "sudo"))
            .unwrap_or_else(|| panic!("no sudo in {all:#?}"));
        assert_eq!(
            sudo.words[0].span.text(text),
            "\"echo \\\"x\\\" && sudo ls\""
        );
    }
}
