//! The environment of well-known images, which the API server cannot know: what an image needs
//! before it starts (the official `postgres` image exits without a superuser password), where
//! it keeps its data (`PGDATA`), and the variables podsmith adds so it starts where a volume
//! is mounted. Checked with the real programs in the runtime suite.

use crate::known_images::{data_dir, repository_and_tag};
use crate::spec::values::DEFAULT_STORAGE_PATH;
use crate::spec::{App, EnvVar, Spec};

/// The variable a known image needs before it starts, with the Secret key to suggest for it.
pub(crate) fn required_env(image: &str) -> Option<(&'static str, &'static str)> {
    let (repository, _) = repository_and_tag(image);
    (repository == "postgres").then_some(("POSTGRES_PASSWORD", "password"))
}

/// The postgres image's data folder when the container does not set `PGDATA`:
/// `/var/lib/postgresql/data` up to 17, a versioned folder from 18.
pub(crate) fn default_pgdata(tag: &str) -> String {
    let major: u32 = tag
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0);
    match major >= 18 {
        true => format!("/var/lib/postgresql/{major}/docker"),
        false => "/var/lib/postgresql/data".to_string(),
    }
}

/// The folder inside a volume that holds the data when the volume is mounted at PGDATA.
const PGDATA_FOLDER: &str = "pgdata";

/// Where the app mounts its storage: the path given, else the folder where its image keeps its
/// data (so the data outlives the pod), else `/data`. `None` without storage.
pub(crate) fn storage_path(app: &App) -> Option<String> {
    let storage = app.storage.as_ref()?;
    Some(match &storage.path {
        Some(path) => path.clone(),
        None => data_dir(&app.image).map_or_else(|| DEFAULT_STORAGE_PATH.into(), |d| d.path),
    })
}

/// The folder of the claim mounted at the storage path, when it is the data folder of an image
/// that refuses a volume's root (see `known_images::DataDir::subfolder`).
pub(crate) fn storage_subfolder(app: &App) -> Option<&'static str> {
    let path = storage_path(app)?;
    data_dir(&app.image)
        .filter(|data| data.path.trim_end_matches('/') == path.trim_end_matches('/'))
        .and_then(|data| data.subfolder)
}

/// What the user must know about where the storage goes: podsmith chose `/data` for an image
/// whose data folder it does not know, and data written anywhere else is lost with the pod.
pub(crate) fn storage_warning(app: &App) -> Option<String> {
    let storage = app.storage.as_ref()?;
    if storage.path.is_some() || data_dir(&app.image).is_some() {
        return None;
    }
    Some(format!(
        "`--storage {size}` (app.storage) is mounted at {DEFAULT_STORAGE_PATH}: podsmith does not \
         know where `{image}` keeps its data, and whatever it writes elsewhere is lost when the \
         pod is replaced; give the folder your app writes, e.g. `--storage {size}@/var/lib/app` \
         (app.storage.path)",
        size = storage.size,
        image = app.image,
    ))
}

/// The app's environment (shared with init commands): the user's variables, then what its
/// image needs to use the storage where the user mounted it. A postgres claim mounted at
/// PGDATA itself would make initdb refuse the volume's root (its `lost+found`, and a root
/// owner it cannot `chmod`): PGDATA moves to a folder inside it, as the image's documentation
/// recommends, unless the user set PGDATA.
pub(crate) fn app_env(spec: &Spec) -> Vec<EnvVar> {
    let app = &spec.app;
    let mut env = app.env.clone();
    let (repository, tag) = repository_and_tag(&app.image);
    let storage = storage_path(app);
    let storage = storage.as_deref().map(|path| path.trim_end_matches('/'));
    let user_pgdata = env.iter().any(|var| var.name == "PGDATA");
    if repository == "postgres" && !user_pgdata && storage == Some(&*default_pgdata(tag)) {
        let data = default_pgdata(tag);
        env.push(EnvVar::value("PGDATA", format!("{data}/{PGDATA_FOLDER}")));
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Storage;

    fn postgres(image: &str, path: &str) -> Spec {
        let mut spec = Spec::new("db", image);
        spec.app.storage = Some(Storage {
            size: "1Gi".into(),
            path: Some(path.into()),
            storage_class: None,
        });
        spec
    }

    fn pgdata(spec: &Spec) -> Option<String> {
        app_env(spec)
            .into_iter()
            .find(|var| var.name == "PGDATA")
            .and_then(|var| var.value)
    }

    #[test]
    fn a_claim_at_pgdata_moves_pgdata_inside_it() {
        let at_data = postgres("postgres:16", "/var/lib/postgresql/data/");
        assert_eq!(
            pgdata(&at_data).as_deref(),
            Some("/var/lib/postgresql/data/pgdata")
        );
        let at_18 = postgres("postgres:18", "/var/lib/postgresql/18/docker");
        assert_eq!(
            pgdata(&at_18).as_deref(),
            Some("/var/lib/postgresql/18/docker/pgdata")
        );
    }

    #[test]
    fn pgdata_is_left_alone_elsewhere() {
        assert_eq!(
            pgdata(&postgres("postgres:16", "/var/lib/postgresql")),
            None
        );
        assert_eq!(
            pgdata(&postgres("mysql:8", "/var/lib/postgresql/data")),
            None
        );
        assert_eq!(pgdata(&Spec::new("db", "postgres:16")), None);
        let mut own = postgres("postgres:16", "/var/lib/postgresql/data");
        own.app
            .env
            .push(EnvVar::value("PGDATA", "/var/lib/postgresql/data/mine"));
        assert_eq!(
            pgdata(&own).as_deref(),
            Some("/var/lib/postgresql/data/mine")
        );
    }

    #[test]
    fn pgdata_follows_the_image_version() {
        assert_eq!(default_pgdata("16"), "/var/lib/postgresql/data");
        assert_eq!(default_pgdata("17.2-alpine"), "/var/lib/postgresql/data");
        assert_eq!(default_pgdata("18"), "/var/lib/postgresql/18/docker");
        assert_eq!(default_pgdata(""), "/var/lib/postgresql/data");
    }
}
