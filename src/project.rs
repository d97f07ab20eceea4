//! The project file, `.podsmith.yaml`: settings `podsmith validate` reads from the repository
//! so every run (a laptop, a pre-commit hook, CI) checks the same way without repeating flags.
//!
//! ```yaml
//! kubeVersion: "1.30"        # the cluster's version (default: the newest supported)
//! skip: [probes-missing]     # rule IDs turned off for the whole project
//! strict: true               # warnings fail the run too
//! ```
//!
//! It is looked for in the current folder, then in each parent folder up to the root; the
//! first one found applies. `--config FILE` names one instead. Flags win over the file:
//! `--kube-version` replaces `kubeVersion`, `--skip` adds to `skip`, `--strict` turns
//! `strict` on.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The file name looked for.
pub(crate) const FILE_NAME: &str = ".podsmith.yaml";

/// The settings of a project file.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct Project {
    /// The Kubernetes version whose rules apply, e.g. `"1.30"`.
    #[serde(default)]
    pub(crate) kube_version: Option<String>,
    /// Rule IDs turned off.
    #[serde(default)]
    pub(crate) skip: Vec<String>,
    /// Whether warnings fail the run.
    #[serde(default)]
    pub(crate) strict: bool,
    /// Where the settings came from (not a key of the file).
    #[serde(skip)]
    pub(crate) path: Option<PathBuf>,
}

impl Project {
    /// The project file `given` with `--config`, else the nearest `.podsmith.yaml` from `dir`
    /// up; no settings when there is none.
    pub(crate) fn find(given: Option<&Path>, dir: &Path) -> Result<Project> {
        match given {
            Some(path) => Project::load(path),
            None => match dir
                .ancestors()
                .map(|d| d.join(FILE_NAME))
                .find(|p| p.is_file())
            {
                Some(path) => Project::load(&path),
                None => Ok(Project::default()),
            },
        }
    }

    /// Reads the project file at `path`.
    pub(crate) fn load(path: &Path) -> Result<Project> {
        let text = std::fs::read_to_string(path).map_err(|error| Error::Read {
            path: path.to_path_buf(),
            message: error.to_string(),
        })?;
        let blank = text
            .lines()
            .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
        let mut project: Project = match blank {
            true => Project::default(),
            false => crate::yaml::from_str(&text).map_err(|error| Error::SpecFile {
                path: path.display().to_string(),
                line: error.span.line,
                message: error.to_string(),
            })?,
        };
        project.path = Some(path.to_path_buf());
        Ok(project)
    }

    /// How a key of this file is named in a message: `.podsmith.yaml: skip`.
    pub(crate) fn field(&self, key: &str) -> String {
        match &self.path {
            Some(path) => format!("{}: {key}", path.display()),
            None => key.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_file_up_the_tree_applies() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(
            root.path().join(FILE_NAME),
            "kubeVersion: \"1.29\"\nskip: [probes-missing]\nstrict: true\n",
        )
        .unwrap();
        let project = Project::find(None, &nested).unwrap();
        assert_eq!(project.kube_version.as_deref(), Some("1.29"));
        assert_eq!(project.skip, ["probes-missing"]);
        assert!(project.strict);
        assert_eq!(project.path, Some(root.path().join(FILE_NAME)));
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "strict: true\nskipp: [x]\n").unwrap();
        let error = Project::load(&path).unwrap_err().to_string();
        assert!(error.contains(":2:"), "{error}");
        assert!(error.contains("unknown field `skipp`"), "{error}");
    }

    #[test]
    fn an_empty_file_is_no_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "# nothing yet\n").unwrap();
        assert_eq!(Project::load(&path).unwrap().skip, Vec::<String>::new());
    }
}
