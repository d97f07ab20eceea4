//! The command lines that reproduce a wizard session without it: `podsmith new` with the
//! answers as flags, and `podsmith render` of the spec file, quoted for a POSIX shell.

use std::path::Path;

use crate::cli::NewArgs;

/// The `podsmith new` command line that gives the same answers as flags.
pub(crate) fn command_line(args: &NewArgs) -> String {
    // Every field is named, so a new flag cannot be forgotten here.
    let NewArgs {
        name,
        image,
        kind,
        replicas,
        ports,
        namespace,
        labels,
        env,
        env_secrets,
        env_from,
        requests,
        limits,
        health_path,
        command,
        args: app_args,
        kube_version,
        storage,
        storage_class,
        schedule,
        backoff_limit,
        restart,
        fs_group,
        security,
        run_as_user,
        read_only_root,
        writable,
        patterns,
        templates,
        out,
        output: _,
        force: _,
        prune: _,
        interactive: _,
        no_interactive: _,
        explain: _,
    } = args;
    let mut words: Vec<String> = vec!["podsmith".into(), "new".into()];
    words.extend(name.iter().cloned());
    let mut one = |flag: &str, value: &Option<String>| {
        if let Some(value) = value {
            words.push(flag.into());
            words.push(value.clone());
        }
    };
    one("--image", image);
    one("--kind", kind);
    one("--replicas", replicas);
    one("--namespace", namespace);
    one("--requests", requests);
    one("--limits", limits);
    one("--health-path", health_path);
    one("--kube-version", kube_version);
    one("--storage", storage);
    one("--storage-class", storage_class);
    one("--schedule", schedule);
    one("--backoff-limit", backoff_limit);
    one("--restart", restart);
    one("--fs-group", fs_group);
    one("--security", security);
    one("--run-as-user", run_as_user);
    if *read_only_root {
        words.push("--read-only-root".into());
    }
    let repeated: [(&str, &Vec<String>); 6] = [
        ("--port", ports),
        ("--label", labels),
        ("--env", env),
        ("--env-secret", env_secrets),
        ("--env-from", env_from),
        ("--writable", writable),
    ];
    for (flag, values) in repeated {
        for value in values {
            words.push(flag.into());
            words.push(value.clone());
        }
    }
    words.extend(patterns.words());
    if let Some(dir) = templates {
        words.push("--templates".into());
        words.push(dir.display().to_string());
    }
    if let Some(dir) = out {
        words.push("--output-dir".into());
        words.push(dir.display().to_string());
    }
    if !app_args.is_empty() {
        if *command {
            words.push("--command".into());
        }
        words.push("--".into());
        words.extend(app_args.iter().cloned());
    }
    join(&words)
}

/// The `podsmith render` command line that writes the spec file's manifests into `dir` again.
pub(super) fn render_line(spec_file: &Path, dir: &Path) -> String {
    join(&[
        "podsmith".into(),
        "render".into(),
        spec_file.display().to_string(),
        "--output-dir".into(),
        dir.display().to_string(),
        "--force".into(),
    ])
}

fn join(words: &[String]) -> String {
    words
        .iter()
        .map(|word| quote(word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `word` as one POSIX shell word: bare when it is safe, else in single quotes.
pub(crate) fn quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::flags::PatternFlags;

    #[test]
    fn quoting_keeps_safe_words_bare() {
        assert_eq!(quote("ghcr.io/acme/web:1.4.2"), "ghcr.io/acme/web:1.4.2");
        assert_eq!(quote("--git-sync=60"), "--git-sync=60");
    }

    #[test]
    fn quoting_protects_spaces_quotes_and_empty_words() {
        assert_eq!(quote("./manage.py migrate"), "'./manage.py migrate'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("$HOME"), "'$HOME'");
    }

    #[test]
    fn the_line_holds_every_answer() {
        let args = NewArgs {
            name: Some("web".into()),
            image: Some("nginx:1.27".into()),
            ports: vec!["8080".into()],
            patterns: PatternFlags::default()
                .with("wait-for", "db:5432")
                .with("init-command", "migrate --all")
                .with("log-sidecar", "/var/log/app/app.log"),
            out: Some("web".into()),
            args: vec!["serve".into()],
            ..NewArgs::default()
        };
        assert_eq!(
            command_line(&args),
            "podsmith new web --image nginx:1.27 --port 8080 --wait-for db:5432 \
             --init-command 'migrate --all' --log-sidecar=/var/log/app/app.log --output-dir web -- serve"
        );
    }
}
