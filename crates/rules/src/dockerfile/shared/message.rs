//! Findings' messages put together without the formatting machinery.
//!
//! A message is a few literal pieces around a word or two of the file;
//! `format!` walks its template and calls through `Display` for each
//! argument, which costs several times what copying the pieces into a
//! string of the right size does. Rules whose findings are common (every
//! file installs unpinned packages, many pull untagged images) build
//! their messages here; the text is the same byte for byte.

/// The concatenation of `pieces`, allocated once at its final size.
pub(crate) fn concat(pieces: &[&str]) -> String {
    let mut message = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        message.push_str(piece);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_joined_as_format_would() {
        let (name, value) = ("apt-get", "curl");
        assert_eq!(
            concat(&["`", name, " install` installs `", value, "`."]),
            format!("`{name} install` installs `{value}`.")
        );
        assert_eq!(concat(&[]), "");
    }
}
