//! The engine over the built-in templates and over a user's copy: templates load with their
//! partials, and a copy that misspells or leaves out a variable is refused in one line naming both.

use serde_json::json;

use super::*;

#[test]
fn builtin_templates_load() {
    Engine::builtin()
        .load_all()
        .expect("the built-in templates load");
}

#[test]
fn a_template_is_loaded_with_its_partials_before_rendering() {
    let engine = Engine::builtin();
    let context = json!({"name": "web", "namespace": null, "labels": {"app": "web"}, "data": {}});
    engine.load(&["resources/configmap.yaml.tera"]).unwrap();
    engine
        .render_template("resources/configmap.yaml.tera", &context)
        .unwrap();
    let tera = engine.tera.read().unwrap();
    let mut parsed: Vec<&str> = tera.get_template_names().collect();
    parsed.sort();
    assert_eq!(
        parsed,
        [
            "_partials/metadata.yaml.tera",
            "resources/configmap.yaml.tera"
        ]
    );
}

/// A copy of the templates with `wait-for.yaml.tera` changed by `edit`.
fn edited_copy(edit: impl Fn(&str) -> String) -> Result<Engine> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let name = "patterns/wait-for.yaml.tera";
    let (_, text) = embedded::files()
        .into_iter()
        .find(|(n, _)| n == name)
        .expect("the built-in wait-for template");
    std::fs::create_dir_all(dir.path().join("patterns")).expect("a folder");
    std::fs::write(dir.path().join(name), edit(text)).expect("a template");
    Engine::from_dir(dir.path())
}

#[test]
fn an_unchanged_copy_loads() {
    edited_copy(str::to_string).expect("the copy loads");
}

#[test]
fn a_misspelled_variable_is_one_line_naming_template_and_variable() {
    let error = edited_copy(|text| text.replacen("{{ image", "{{ imgae", 1))
        .err()
        .expect("an unknown variable is refused")
        .to_string();
    assert!(error.contains("patterns/wait-for.yaml.tera"), "{error}");
    assert!(error.contains("unknown variable `imgae`"), "{error}");
    assert_eq!(error.lines().count(), 1, "{error}");
}

#[test]
fn a_misspelled_field_is_named() {
    let error =
        edited_copy(|text| format!("{text}{{% if security.hardend %}}# hardened\n{{% endif %}}"))
            .err()
            .expect("an unknown field is refused")
            .to_string();
    assert!(error.contains("patterns/wait-for.yaml.tera"), "{error}");
    assert!(
        error.contains("unknown variable `security.hardend`"),
        "{error}"
    );
    assert_eq!(error.lines().count(), 1, "{error}");
}

#[test]
fn a_left_out_variable_is_named() {
    let error = edited_copy(|text| {
        text.lines()
            .filter(|line| !line.contains("timeout"))
            .collect::<Vec<_>>()
            .join("\n")
    })
    .err()
    .expect("a left-out variable is refused")
    .to_string();
    assert!(
        error.contains("leaves out the variable `timeout"),
        "{error}"
    );
}

#[test]
fn templates_must_be_a_folder() {
    let error = Engine::from_dir(Path::new("/nonexistent/podsmith-templates"))
        .err()
        .expect("a missing folder is refused")
        .to_string();
    assert!(error.contains("--templates"), "{error}");
}
