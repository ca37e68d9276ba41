//! Does a `user[:group]` spec run as root?

/// True when `spec` (as in `--user`, `USER`, `Config.User`, exec `User`)
/// names uid 0: `root`, `0`, `0:0`, `root:docker`, `0:1000`. The group part
/// is irrelevant: uid 0 is root whatever its group. An empty spec is *not*
/// judged here, because it means "the image's default", which callers
/// must resolve themselves.
pub fn is_root_user(spec: &str) -> bool {
    let user = spec.trim().split(':').next().unwrap_or("");
    user == "root" || (!user.is_empty() && user.chars().all(|c| c == '0'))
}

#[cfg(test)]
mod tests {
    use super::is_root_user;

    #[test]
    fn every_spelling_of_uid_zero_is_root() {
        for spec in [
            "root",
            "0",
            "0:0",
            "root:root",
            "0:1000",
            "root:docker",
            "00",
            " 0 ",
        ] {
            assert!(is_root_user(spec), "{spec}");
        }
    }

    #[test]
    fn other_users_are_not_root() {
        for spec in ["", "1000", "1000:0", "nobody", "rootless", "app:root", "10"] {
            assert!(!is_root_user(spec), "{spec}");
        }
    }
}
