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
    let mut line = Words(vec!["podsmith".into(), "new".into()]);
    line.0.extend(name.iter().cloned());
    line.value("--image", image);
    line.value("--kind", kind);
    line.value("--replicas", replicas);
    line.value("--namespace", namespace);
    line.value("--requests", requests);
    line.value("--limits", limits);
    line.value("--health-path", health_path);
    line.value("--kube-version", kube_version);
    line.value("--storage", storage);
    line.value("--storage-class", storage_class);
    line.value("--schedule", schedule);
    line.value("--backoff-limit", backoff_limit);
    line.value("--restart", restart);
    line.value("--fs-group", fs_group);
    line.value("--security", security);
    line.value("--run-as-user", run_as_user);
    line.switch("--read-only-root", *read_only_root);
    line.each("--port", ports);
    line.each("--label", labels);
    line.each("--env", env);
    line.each("--env-secret", env_secrets);
    line.each("--env-from", env_from);
    line.each("--writable", writable);
    line.0.extend(patterns.words());
    line.path("--templates", templates.as_deref());
    line.path("--output-dir", out.as_deref());
    if !app_args.is_empty() {
        line.switch("--command", *command);
        line.0.push("--".into());
        line.0.extend(app_args.iter().cloned());
    }
    join(&line.0)
}

/// The words of a command line, built flag by flag.
struct Words(Vec<String>);

impl Words {
    /// `FLAG VALUE`, when there is a value.
    fn value(&mut self, flag: &str, value: &Option<String>) {
        if let Some(value) = value {
            self.0.extend([flag.to_string(), value.clone()]);
        }
    }

    /// `FLAG VALUE` once for each value.
    fn each(&mut self, flag: &str, values: &[String]) {
        for value in values {
            self.0.extend([flag.to_string(), value.clone()]);
        }
    }

    /// `FLAG`, when it is on.
    fn switch(&mut self, flag: &str, on: bool) {
        if on {
            self.0.push(flag.into());
        }
    }

    /// `FLAG PATH`, when there is a path.
    fn path(&mut self, flag: &str, path: Option<&Path>) {
        if let Some(path) = path {
            self.0
                .extend([flag.to_string(), path.display().to_string()]);
        }
    }
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
