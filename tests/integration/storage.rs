//! `--storage SIZE` without a path: the claim goes where the image keeps its data, the same
//! from flags and from the spec file, and a warning says when podsmith could not know where.

use std::process::Output;

use crate::support::yaml12;

/// `podsmith` with `args`, `stdin` as its input.
fn podsmith(args: &[&str], stdin: &str) -> Output {
    let output = crate::support::podsmith()
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("podsmith runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `podsmith new NAME --image IMAGE --kind statefulset --storage STORAGE`, then `extra`.
fn new_statefulset(name: &str, image: &str, storage: &str, extra: &[&str]) -> Output {
    let args = [
        "new",
        name,
        "--image",
        image,
        "--kind",
        "statefulset",
        "--storage",
        storage,
        "--no-interactive",
    ];
    podsmith(&[&args[..], extra].concat(), "")
}

/// The app container's mount of the claim `data`, as `(mountPath, subPath)`, and the PGDATA
/// it is given.
fn claim_mount(stream: &str) -> (String, Option<String>, Option<String>) {
    let workload = yaml12(stream).remove(0);
    let app = &workload["spec"]["template"]["spec"]["containers"][0];
    let mount = app["volumeMounts"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["name"] == "data")
        .expect("the app mounts its claim");
    let pgdata = app["env"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|var| var["name"] == "PGDATA")
        .and_then(|var| var["value"].as_str().map(String::from));
    (
        mount["mountPath"].as_str().unwrap().to_string(),
        mount["subPath"].as_str().map(String::from),
        pgdata,
    )
}

#[test]
fn a_size_alone_mounts_the_claim_where_the_image_keeps_its_data() {
    let cases: [(&str, &str, Option<&str>, Option<&str>); 7] = [
        (
            "postgres:16",
            "/var/lib/postgresql/data",
            None,
            Some("/var/lib/postgresql/data/pgdata"),
        ),
        (
            "postgres:18-alpine",
            "/var/lib/postgresql/18/docker",
            None,
            Some("/var/lib/postgresql/18/docker/pgdata"),
        ),
        ("redis:7.4", "/data", None, None),
        // mysqld --initialize refuses the claim's lost+found: a folder of the claim instead.
        ("mysql:8.4", "/var/lib/mysql", Some("mysql"), None),
        ("docker.io/library/mariadb:11", "/var/lib/mysql", None, None),
        ("mongo:7", "/data/db", None, None),
        ("ghcr.io/acme/ledger:2", "/data", None, None),
    ];
    for (image, path, sub_path, pgdata) in cases {
        let flags = new_statefulset("db", image, "1Gi", &[]);
        let spec = format!(
            "version: 1\napp:\n  name: db\n  image: {image}\n  kind: StatefulSet\n  storage:\n    size: 1Gi\n"
        );
        let file = podsmith(&["render", "-f", "-"], &spec);
        let stream = String::from_utf8(flags.stdout.clone()).unwrap();
        assert_eq!(
            claim_mount(&stream),
            (
                path.to_string(),
                sub_path.map(String::from),
                pgdata.map(String::from)
            ),
            "{image}"
        );
        assert_eq!(
            stream,
            String::from_utf8(file.stdout.clone()).unwrap(),
            "{image}: the spec file renders what the flags render"
        );
        let warned = |output: &Output| {
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .filter(|line| line.contains("podsmith does not know where"))
                .map(String::from)
                .collect::<Vec<_>>()
        };
        let known = image != "ghcr.io/acme/ledger:2";
        assert_eq!(warned(&flags).is_empty(), known, "{image}");
        assert_eq!(warned(&file).is_empty(), known, "{image}");
    }
}

#[test]
fn an_unknown_image_is_told_to_give_the_folder_it_writes() {
    let output = new_statefulset("ledger", "ghcr.io/acme/ledger:2", "10Gi", &[]);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "warning: `--storage 10Gi` (app.storage) is mounted at /data: podsmith does not know \
         where `ghcr.io/acme/ledger:2` keeps its data, and whatever it writes elsewhere is lost \
         when the pod is replaced; give the folder your app writes, e.g. \
         `--storage 10Gi@/var/lib/app` (app.storage.path)\n"
    );
    // A path given is the user's choice: no warning, and it wins over the image's folder.
    for (image, given) in [
        ("ghcr.io/acme/ledger:2", "/srv/ledger"),
        ("postgres:16", "/var/lib/postgresql"),
    ] {
        let storage = format!("10Gi@{given}");
        let output = new_statefulset(
            "db",
            image,
            &storage,
            &["--env-secret", "POSTGRES_PASSWORD=db:password"],
        );
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{image}");
        let stream = String::from_utf8(output.stdout).unwrap();
        assert_eq!(claim_mount(&stream).0, given, "{image}");
    }
}
