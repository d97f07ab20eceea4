//! What a shell and `man` need, generated from the clap definitions so they never drift from
//! the flags: `podsmith completion SHELL` and `podsmith man`.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionShell};
use crate::error::{Error, Result};

/// The completion script for `shell` on stdout.
pub(crate) fn completion(shell: CompletionShell, out: &mut dyn Write) {
    let shell = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
        CompletionShell::Powershell => clap_complete::Shell::PowerShell,
        CompletionShell::Elvish => clap_complete::Shell::Elvish,
    };
    clap_complete::generate(shell, &mut Cli::command(), "podsmith", out);
}

/// The manual page of podsmith (section 1, roff) in `out`.
pub(crate) fn man_page(out: &mut dyn Write) -> Result<()> {
    clap_mangen::Man::new(Cli::command())
        .render(out)
        .map_err(|error| write_error(Path::new("<stdout>"), error))
}

/// Writes `podsmith.1` and one page per subcommand (`podsmith-new.1`, ...) into `dir`, as
/// packagers install them; returns the paths.
pub(crate) fn man_pages(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut command = Cli::command();
    command.build();
    let mut pages = vec![("podsmith.1".to_string(), render(command.clone())?)];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("podsmith-{}", sub.get_name());
        let page = sub
            .clone()
            .display_name(name.clone())
            .bin_name(name.clone());
        pages.push((format!("{name}.1"), render(page)?));
    }
    let files: Vec<(std::path::PathBuf, &str)> = pages
        .iter()
        .map(|(name, text)| (dir.join(name), text.as_str()))
        .collect();
    crate::output::write_all_atomically(&files, dir, true)
}

fn render(command: clap::Command) -> Result<String> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut bytes)
        .map_err(|error| write_error(Path::new("<memory>"), error))?;
    String::from_utf8(bytes).map_err(|error| Error::Internal(error.to_string()))
}

fn write_error(path: &Path, error: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in [
            CompletionShell::Bash,
            CompletionShell::Zsh,
            CompletionShell::Fish,
            CompletionShell::Powershell,
            CompletionShell::Elvish,
        ] {
            let mut script = Vec::new();
            completion(shell, &mut script);
            let script = String::from_utf8(script).unwrap();
            for word in ["validate", "--output-dir", "--wait-for"] {
                assert!(script.contains(word), "{shell:?} lacks {word}");
            }
        }
    }

    #[test]
    fn the_man_page_documents_every_subcommand_and_pages_are_written_per_subcommand() {
        let mut page = Vec::new();
        man_page(&mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with(".ie"), "roff: {}", &page[..40]);
        assert!(page.contains("podsmith\\-validate"), "{page}");
        let dir = tempfile::tempdir().unwrap();
        let written = man_pages(dir.path()).unwrap();
        let new = std::fs::read_to_string(dir.path().join("podsmith-new.1")).unwrap();
        assert!(new.contains("\\-\\-output\\-dir"), "{new}");
        assert!(written.len() > 5);
    }
}
