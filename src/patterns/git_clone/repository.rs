//! What a repository URL and a ref may be (never something `git` reads as an option, never
//! credentials written into the manifest), and how a repository is reached.

/// How a repository is reached, which decides what its credentials look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    /// `https://` or `http://`: a user name and a password or token.
    Http,
    /// `ssh://` or `user@host:path`: a private key and the host's known key.
    Ssh,
    /// `git://` or `file://`: no credentials.
    Anonymous,
}

impl Transport {
    /// The transport of a checked repository URL.
    pub(crate) fn of(repo: &str) -> Transport {
        if repo.starts_with("http://") || repo.starts_with("https://") {
            Transport::Http
        } else if repo.starts_with("ssh://") || !repo.contains("://") {
            Transport::Ssh
        } else {
            Transport::Anonymous
        }
    }
}

/// Checks a repository URL: a known scheme or scp-like form, never something `git` would read
/// as an option.
pub(crate) fn check_repo(repo: &str) -> std::result::Result<(), String> {
    let schemes = ["https://", "http://", "ssh://", "git://", "file://"];
    let scp_like = repo.split_once(':').is_some_and(|(user_host, path)| {
        user_host.contains('@') && !user_host.contains('/') && !path.is_empty()
    });
    let bad_char = repo.chars().any(|c| c.is_whitespace() || c.is_control());
    if repo.starts_with('-')
        || bad_char
        || !(schemes.iter().any(|s| repo.starts_with(s)) || scp_like)
    {
        return Err(
            "must be a repository URL such as `https://github.com/acme/site.git` or \
                    `git@github.com:acme/site.git`"
                .into(),
        );
    }
    Ok(())
}

/// Checks a git ref: a branch or tag name git accepts, or a full commit SHA, never an option.
/// An abbreviated SHA cannot be fetched from a remote, so it is refused.
pub(crate) fn check_ref(git_ref: &str) -> std::result::Result<(), String> {
    let valid = !git_ref.is_empty()
        && !git_ref.starts_with(['-', '/', '.'])
        && !git_ref.ends_with(['/', '.'])
        && !git_ref.contains("..")
        && !git_ref.contains("@{")
        && !git_ref.ends_with(".lock")
        && !git_ref
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c));
    if !valid {
        return Err(
            "must be a branch, a tag or a full commit SHA, such as `main`, `v1.2.0` or \
                    `4b825dc642cb6eb9a060e54bf8d69288fbee4904`"
                .into(),
        );
    }
    let hex = git_ref.chars().all(|c| c.is_ascii_hexdigit());
    if hex && (7..40).contains(&git_ref.len()) {
        return Err(
            "looks like an abbreviated commit, which a remote cannot serve: give the \
                    full 40-character SHA"
                .into(),
        );
    }
    Ok(())
}

/// Checks that a repository URL holds no password or token: it would be written into the
/// manifest for anyone who can read it. On refusal, returns the URL with the credentials
/// masked (for the message) and the rule.
pub(crate) fn check_no_credentials(repo: &str) -> std::result::Result<(), (String, String)> {
    let Some((scheme, rest)) = repo.split_once("://") else {
        return Ok(());
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return Ok(());
    };
    // A user name alone is fine for SSH (`ssh://git@host/...`); over HTTP a user name alone
    // is how tokens are often passed.
    if user_info.contains(':') || scheme.starts_with("http") {
        let path = &rest[authority.len()..];
        return Err((
            format!("{scheme}://***@{host}{path}"),
            "must not hold credentials: they would be written into the manifest; put them in \
             a Secret (keys `username` and `password`, a token as the password) and give its \
             name with --git-secret"
                .into(),
        ));
    }
    Ok(())
}
