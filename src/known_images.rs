//! What podsmith knows for certain about a few official images, from their published
//! Dockerfiles and entrypoints: the numeric user they run as, where they write at run time and
//! where they keep their data. Read by the security settings, the storage defaults and the
//! wizard; podsmith cannot look inside an image, so anything else is left to the image.

/// What podsmith knows for certain about an official image, from its published Dockerfile and
/// entrypoint.
pub(crate) struct KnownImage {
    /// The numeric user and group the image runs as, or can run as, without root.
    pub(crate) user: Option<(u32, u32)>,
    /// Where it writes at run time, besides `/tmp`.
    pub(crate) writes: &'static [&'static str],
    /// Where it keeps the data that must outlive the pod: where `--storage` goes by default.
    pub(crate) data: Option<DataDir>,
}

/// Where an image keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DataDir {
    /// The folder.
    pub(crate) path: String,
    /// The folder of the volume to mount there instead of its root, for a program that refuses
    /// a data folder holding anything, such as a new disk's `lost+found`.
    pub(crate) subfolder: Option<&'static str>,
}

impl DataDir {
    fn at(path: impl Into<String>) -> Option<DataDir> {
        Some(DataDir {
            path: path.into(),
            subfolder: None,
        })
    }
}

/// The image's repository without registry, `library/` and tag, and its tag.
pub(crate) fn repository_and_tag(image: &str) -> (&str, &str) {
    let image = image.split('@').next().unwrap_or(image);
    let (path, tag) = match image.rsplit_once(':') {
        Some((path, tag)) if !tag.contains('/') => (path, tag),
        _ => (image, ""),
    };
    let path = path
        .strip_prefix("docker.io/")
        .or_else(|| path.strip_prefix("index.docker.io/"))
        .unwrap_or(path);
    (path.strip_prefix("library/").unwrap_or(path), tag)
}

/// What podsmith knows about `image`, if it is one of the official images it knows.
pub(crate) fn known(image: &str) -> Option<KnownImage> {
    let (repository, tag) = repository_and_tag(image);
    let alpine = tag.contains("alpine");
    Some(match repository {
        // Listens on 8080 as UID 101 and keeps its pid file and temp paths under /tmp.
        "nginxinc/nginx-unprivileged" => KnownImage {
            user: Some((101, 101)),
            writes: &[],
            data: None,
        },
        // Starts as root (binds port 80, workers as `nginx`), or runs as its `nginx` user, UID
        // 101 in the Debian and Alpine images; writes /var/cache/nginx and /var/run/nginx.pid.
        "nginx" => KnownImage {
            user: Some((101, 101)),
            writes: &["/var/cache/nginx", "/var/run"],
            data: None,
        },
        // The entrypoint creates PGDATA (/var/lib/postgresql/data up to 17, a versioned folder
        // below /var/lib/postgresql from 18) and the socket folder /var/run/postgresql. The
        // emptyDir goes on the parent, so PGDATA is made by the postgres user, whose chmod
        // initdb needs. The user is 999 in the Debian images and 70 in the Alpine ones.
        "postgres" => KnownImage {
            user: Some(if alpine { (70, 70) } else { (999, 999) }),
            writes: &["/var/lib/postgresql", "/var/run/postgresql"],
            // initdb refuses the volume's root too: PGDATA moves inside it (`image_env`).
            data: DataDir::at(crate::image_env::default_pgdata(tag)),
        },
        // Saves dump.rdb in its working folder /data; user 999 in both variants.
        "redis" => KnownImage {
            user: Some((999, 999)),
            writes: &["/data"],
            data: DataDir::at("/data"),
        },
        // The images' VOLUME is the data folder; the server's socket and pid file go in
        // /var/run/mysqld (/run/mysqld for mariadb). `mysqld --initialize` (MySQL 8) refuses
        // a data folder that holds anything ("the data directory has files in it"), such as a
        // new disk's lost+found: the claim's `mysql` folder is mounted there instead.
        "mysql" => KnownImage {
            user: None,
            writes: &["/var/lib/mysql", "/var/run/mysqld"],
            data: Some(DataDir {
                path: "/var/lib/mysql".into(),
                subfolder: Some("mysql"),
            }),
        },
        // mariadb-install-db initialises a folder that already holds lost+found.
        "mariadb" => KnownImage {
            user: None,
            writes: &["/var/lib/mysql", "/run/mysqld"],
            data: DataDir::at("/var/lib/mysql"),
        },
        // The image's VOLUMEs: /data/db for the databases, /data/configdb for a config server.
        "mongo" => KnownImage {
            user: None,
            writes: &["/data/db", "/data/configdb"],
            data: DataDir::at("/data/db"),
        },
        _ => return None,
    })
}

/// Where `image` keeps the data that must outlive the pod, when podsmith knows it.
pub(crate) fn data_dir(image: &str) -> Option<DataDir> {
    known(image).and_then(|k| k.data)
}

/// The numeric user and group of `image`, when podsmith knows them for certain.
pub(crate) fn known_user(image: &str) -> Option<(u32, u32)> {
    known(image).and_then(|k| k.user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names() {
        assert_eq!(repository_and_tag("nginx:1.27"), ("nginx", "1.27"));
        assert_eq!(
            repository_and_tag("docker.io/library/postgres:16-alpine"),
            ("postgres", "16-alpine")
        );
        assert_eq!(
            repository_and_tag("localhost:5000/redis"),
            ("localhost:5000/redis", "")
        );
        assert_eq!(repository_and_tag("redis:7.4@sha256:abc"), ("redis", "7.4"));
    }

    #[test]
    fn known_users() {
        assert_eq!(known("postgres:16").and_then(|k| k.user), Some((999, 999)));
        assert_eq!(
            known("postgres:16-alpine").and_then(|k| k.user),
            Some((70, 70))
        );
        assert_eq!(
            known("nginxinc/nginx-unprivileged:1.27").and_then(|k| k.user),
            Some((101, 101))
        );
        assert_eq!(known("nginx:1.27").and_then(|k| k.user), Some((101, 101)));
        assert!(known("ghcr.io/acme/nginx:1").is_none());
    }
}
