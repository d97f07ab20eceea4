//! The command lines that reproduce a wizard session without it: `podsmith new` with the
//! answers as flags, and `podsmith render` of the spec file, quoted for a POSIX shell.

use std::path::Path;

use crate::cli::NewArgs;

/// The `podsmith new` command line that gives the same answers as flags.
pub fn command_line(args: &NewArgs) -> String {
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
        requests,
        limits,
        health_path,
        command,
        args: app_args,
        kube_version,
        wait_for,
        wait_timeout,
        git_clone,
        git_ref,
        git_mount,
        git_sync,
        init_command,
        init_image,
        inits,
        log_sidecar,
        ambassador,
        adapter,
        adapter_scrape_port,
        containers,
        storage,
        storage_class,
        schedule,
        backoff_limit,
        restart,
        fs_group,
        log_shipper,
        log_shipper_path,
        proxy,
        config_reloader,
        config_mount,
        reload_url,
        volume_permissions,
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
    one("--wait-timeout", wait_timeout);
    one("--git-clone", git_clone);
    one("--git-ref", git_ref);
    one("--git-mount", git_mount);
    one("--init-command", init_command);
    one("--init-image", init_image);
    one("--adapter", adapter);
    one("--adapter-scrape-port", adapter_scrape_port);
    one("--storage", storage);
    one("--storage-class", storage_class);
    one("--schedule", schedule);
    one("--backoff-limit", backoff_limit);
    one("--restart", restart);
    one("--fs-group", fs_group);
    one("--log-shipper", log_shipper);
    one("--log-shipper-path", log_shipper_path);
    one("--config-reloader", config_reloader);
    one("--config-mount", config_mount);
    one("--reload-url", reload_url);
    one("--volume-permissions", volume_permissions);
    let repeated: [(&str, &Vec<String>); 7] = [
        ("--port", ports),
        ("--label", labels),
        ("--env", env),
        ("--wait-for", wait_for),
        ("--ambassador", ambassador),
        ("--init", inits),
        ("--container", containers),
    ];
    for (flag, values) in repeated {
        for value in values {
            words.push(flag.into());
            words.push(value.clone());
        }
    }
    // Flags whose value is optional take it after `=`.
    if let Some(period) = git_sync {
        words.push(format!("--git-sync={period}"));
    }
    if let Some(path) = log_sidecar {
        words.push(format!("--log-sidecar={path}"));
    }
    if let Some(port) = proxy {
        words.push(format!("--proxy={port}"));
    }
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
pub fn render_line(spec_file: &Path, dir: &Path) -> String {
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
pub fn quote(word: &str) -> String {
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
            wait_for: vec!["db:5432".into()],
            init_command: Some("migrate --all".into()),
            log_sidecar: Some("/var/log/app/app.log".into()),
            out: Some("web".into()),
            args: vec!["serve".into()],
            ..NewArgs::default()
        };
        assert_eq!(
            command_line(&args),
            "podsmith new web --image nginx:1.27 --init-command 'migrate --all' --port 8080 \
             --wait-for db:5432 --log-sidecar=/var/log/app/app.log --output-dir web -- serve"
        );
    }
}
