//! Splicing an edited tree into its own text: additions and removals that keep every other byte,
//! values replaced after their key, flow lists written anew, and the edits that need a rewrite.

use super::*;
use crate::add::tree::{detach, parse};

/// Splices `text` after `change` edits its tree.
fn edited(text: &str, change: impl FnOnce(&mut Node)) -> Option<Spliced> {
    let old = parse(text).unwrap();
    let mut new = old.clone();
    change(&mut new);
    splice(text, &old, &new)
}

fn built(text: &str) -> Node {
    detach(parse(text).unwrap())
}

#[test]
fn additions_keep_every_other_byte() {
    let text = "# top\nspec:   # the spec\n  containers:\n    # the app\n    - name: web  # ours\n      image: 'nginx'\n\n  restartPolicy: Always\n";
    let out = edited(text, |root| {
        let pod = tree::get_mut(root, "spec").unwrap();
        let containers = tree::get_mut(pod, "containers").unwrap();
        tree::items_mut(containers)
            .unwrap()
            .push(built("name: log\nimage: busybox\nargs: [a, b]\n"));
        let app = &mut tree::items_mut(containers).unwrap()[0];
        tree::set(app, "env", built("- name: A\n  value: \"1\"\n"));
        tree::set(pod, "volumes", built("- name: v\n  emptyDir: {}\n"));
    })
    .unwrap()
    .text;
    assert_eq!(
        out,
        "# top\nspec:   # the spec\n  containers:\n    # the app\n    - name: web  # ours\n      image: 'nginx'\n      env:\n        - name: A\n          value: \"1\"\n    - name: log\n      image: busybox\n      args:\n        - a\n        - b\n\n  restartPolicy: Always\n  volumes:\n    - name: v\n      emptyDir: {}\n"
    );
}

#[test]
fn removals_cut_whole_lines_and_new_keys_go_before_the_next() {
    let text = "metadata:\n  name: web\n  uid: 12 # server\n  labels: {a: b}\nspec:\n  # the app\n  containers:\n  - name: web\n  - name: old\n    image: x\nstatus: {}\n";
    let out = edited(text, |root| {
        tree::remove(tree::get_mut(root, "metadata").unwrap(), "uid");
        tree::remove(root, "status");
        let spec = tree::get_mut(root, "spec").unwrap();
        let entries = tree::entries_mut(spec).unwrap();
        entries.insert(0, tree::entry("initContainers", built("- name: i\n")));
        let containers = tree::get_mut(spec, "containers").unwrap();
        tree::items_mut(containers).unwrap().pop();
    })
    .unwrap()
    .text;
    assert_eq!(
        out,
        "metadata:\n  name: web\n  labels: {a: b}\nspec:\n  initContainers:\n  - name: i\n  # the app\n  containers:\n  - name: web\n"
    );
}

#[test]
fn values_are_replaced_after_their_key() {
    let text = "a:\n  \"k\": [x]  # flow\n  b: 1\n  c: |\n    two\n    lines\n  d: end";
    let appended = edited(text, |root| tree::set(root, "z", tree::string("z"))).unwrap();
    assert_eq!(appended.text, format!("{text}\nz: z"));
    let out = edited(text, |root| {
        let a = tree::get_mut(root, "a").unwrap();
        tree::set(a, "k", built("- sh\n- -c\n"));
        tree::set(a, "c", tree::string("one"));
        tree::set(a, "d", tree::string("yes"));
    })
    .unwrap()
    .text;
    assert_eq!(
        out,
        "a:\n  \"k\":\n  - sh\n  - -c\n  b: 1\n  c: one\n  d: \"yes\""
    );
}

#[test]
fn a_flow_list_that_changes_is_written_anew_and_named() {
    let text = "spec:\n  containers: [{name: web, image: nginx}]  # one\n  x: 1\n";
    let out = edited(text, |root| {
        let containers = tree::at_mut(root, &["spec", "containers"]).unwrap();
        tree::items_mut(containers)
            .unwrap()
            .push(built("name: x\n"));
    })
    .unwrap();
    assert_eq!(
        out.text,
        "spec:\n  containers:\n  - name: web\n    image: nginx\n  - name: x\n  x: 1\n"
    );
    assert_eq!(out.rewritten, ["spec.containers"]);
    // An empty flow list is replaced silently: nothing the user wrote is lost.
    let out = edited("spec:\n  volumes: []\n", |root| {
        let spec = tree::get_mut(root, "spec").unwrap();
        tree::set(spec, "volumes", built("- name: v\n"));
    })
    .unwrap();
    assert_eq!(out.text, "spec:\n  volumes:\n  - name: v\n");
    assert!(out.rewritten.is_empty());
}

#[test]
fn an_edit_through_a_merge_key_needs_a_rewrite() {
    let text = "base: &b\n  a: 1\nspec:\n  <<: *b\n  c: 2\n";
    let result = edited(text, |root| {
        tree::remove(tree::get_mut(root, "spec").unwrap(), "a");
    });
    assert_eq!(result, None);
}

#[test]
fn a_list_emptied_again_becomes_an_empty_flow_list() {
    let text = "spec:\n  volumes:\n    - name: v\n  x: 1\n";
    let out = edited(text, |root| {
        let spec = tree::get_mut(root, "spec").unwrap();
        tree::set(spec, "volumes", tree::sequence(Vec::new()));
    });
    assert_eq!(out.unwrap().text, "spec:\n  volumes: []\n  x: 1\n");
}
