//! Namespace modes: `host`, `container:<id>`, `private`, ….

/// How a namespace mode (`NetworkMode`, `PidMode`, `IpcMode`, `UTSMode`,
/// `UsernsMode`) relates to the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sharing<'a> {
    /// The host's own namespace.
    Host,
    /// Another container's namespace; its id or name.
    Container(&'a str),
    /// The container's own, or a network it joined.
    Own,
}

/// Classifies a mode string. The comparison is exact: `host` is the host,
/// a network named `hostnet` is not.
pub fn sharing(mode: &str) -> Sharing<'_> {
    if mode == "host" {
        Sharing::Host
    } else if let Some(target) = mode.strip_prefix("container:") {
        Sharing::Container(target)
    } else {
        Sharing::Own
    }
}

/// Follows `container:<id>` links until a mode that is not a link, using
/// `mode_of` to read the target container's mode. Returns the chain of
/// targets and whether it ends in the host. Loops and missing targets end
/// the walk (not host).
pub fn resolve_chain<'a>(
    start: &'a str,
    mode_of: impl Fn(&str) -> Option<&'a str>,
) -> (Vec<&'a str>, bool) {
    let mut chain = Vec::new();
    let mut mode = start;
    loop {
        match sharing(mode) {
            Sharing::Host => return (chain, true),
            Sharing::Own => return (chain, false),
            Sharing::Container(target) => {
                if chain.contains(&target) || chain.len() > 16 {
                    return (chain, false);
                }
                chain.push(target);
                match mode_of(target) {
                    Some(next) => mode = next,
                    None => return (chain, false),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_host_only() {
        assert_eq!(sharing("host"), Sharing::Host);
        assert_eq!(sharing("hostnet"), Sharing::Own);
        assert_eq!(sharing("Host"), Sharing::Own);
        assert_eq!(sharing(""), Sharing::Own);
        assert_eq!(sharing("container:abc"), Sharing::Container("abc"));
    }

    #[test]
    fn a_chain_ending_in_host_is_host() {
        let modes = |id: &str| match id {
            "a" => Some("container:b"),
            "b" => Some("host"),
            _ => None,
        };
        assert_eq!(resolve_chain("container:a", modes), (vec!["a", "b"], true));
    }

    #[test]
    fn loops_and_dangling_links_end_the_walk() {
        let looping = |id: &str| match id {
            "a" => Some("container:b"),
            "b" => Some("container:a"),
            _ => None,
        };
        assert!(!resolve_chain("container:a", looping).1);
        assert!(!resolve_chain("container:gone", |_| None).1);
    }
}
