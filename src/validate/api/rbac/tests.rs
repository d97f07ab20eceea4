//! Each RBAC rule with a document the API server accepts and one it refuses.

use crate::validate::test_support::messages;

fn role(kind: &str, rules: &str) -> String {
    format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: r\n  namespace: default\nrules:\n{rules}")
}

#[test]
fn rules_need_verbs_and_resources() {
    let ok = "- verbs: [get]\n  apiGroups: [\"\"]\n  resources: [pods]\n";
    assert!(messages(&role("Role", ok), "rbac-rule").is_empty());
    assert_eq!(
        messages(
            &role(
                "Role",
                "- verbs: []\n  apiGroups: [\"\"]\n  resources: [pods]\n"
            ),
            "rbac-rule"
        ),
        vec![(
            "rules[0].verbs".to_string(),
            "Required value: verbs must contain at least one value".to_string()
        )]
    );
    let bare = messages(&role("Role", "- verbs: [get]\n"), "rbac-rule");
    let paths: Vec<&str> = bare.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["rules[0].apiGroups", "rules[0].resources"]);
    let names = role(
        "Role",
        "- verbs: [get]\n  apiGroups: [\"\"]\n  resources: [pods, secrets]\n  resourceNames: [a]\n",
    );
    assert_eq!(
        messages(&names, "rbac-rule")[0].1,
        "Required value: resource names cannot apply to multiple resources"
    );
}

#[test]
fn non_resource_urls_only_in_cluster_roles_and_alone() {
    let urls = "- verbs: [get]\n  nonResourceURLs: [/healthz]\n";
    assert!(messages(&role("ClusterRole", urls), "rbac-rule").is_empty());
    assert_eq!(
        messages(&role("Role", urls), "rbac-rule")[0].1,
        "Invalid value: [\"/healthz\"]: namespaced rules cannot apply to non-resource URLs"
    );
    let mixed = "- verbs: [get]\n  nonResourceURLs: [/healthz]\n  resources: [pods]\n";
    assert_eq!(
        messages(&role("ClusterRole", mixed), "rbac-rule")[0].1,
        "Invalid value: [\"/healthz\"]: rules cannot apply to both regular resources and non-resource URLs"
    );
}

fn binding(kind: &str, role_ref: &str, subjects: &str) -> String {
    format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: b\n  namespace: default\nroleRef:\n{role_ref}subjects:\n{subjects}")
}

const VIEW: &str = "  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\n";

#[test]
fn role_refs_name_a_role_of_the_rbac_group() {
    let account = "- kind: ServiceAccount\n  name: web\n  namespace: default\n";
    assert!(messages(&binding("RoleBinding", VIEW, account), "role-binding").is_empty());
    // An empty apiGroup is defaulted to rbac.authorization.k8s.io.
    let defaulted = "  apiGroup: \"\"\n  kind: Role\n  name: edit\n";
    assert!(messages(&binding("RoleBinding", defaulted, account), "role-binding").is_empty());
    assert_eq!(
        messages(
            &binding("ClusterRoleBinding", defaulted, account),
            "role-binding"
        ),
        vec![(
            "roleRef.kind".to_string(),
            "Unsupported value: \"Role\": supported values: \"ClusterRole\"".to_string()
        )]
    );
    let group = "  apiGroup: rbac.k8s.io\n  kind: Role\n  name: edit\n";
    assert_eq!(
        messages(&binding("RoleBinding", group, account), "role-binding")[0].0,
        "roleRef.apiGroup"
    );
    let name = "  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: a/b\n";
    assert_eq!(
        messages(&binding("RoleBinding", name, account), "role-binding")[0].1,
        "Invalid value: \"a/b\": may not contain '/'"
    );
}

#[test]
fn subjects_by_kind() {
    let users = "- kind: User\n  name: jane\n- kind: Group\n  name: devs\n  apiGroup: rbac.authorization.k8s.io\n";
    assert!(messages(&binding("ClusterRoleBinding", VIEW, users), "role-binding").is_empty());
    let account = "- kind: ServiceAccount\n  name: web\n";
    assert!(messages(&binding("RoleBinding", VIEW, account), "role-binding").is_empty());
    assert_eq!(
        messages(
            &binding("ClusterRoleBinding", VIEW, account),
            "role-binding"
        ),
        vec![(
            "subjects[0].namespace".to_string(),
            "Required value".to_string()
        )]
    );
    let group = "- kind: ServiceAccount\n  name: web\n  apiGroup: rbac.authorization.k8s.io\n";
    assert_eq!(
        messages(&binding("RoleBinding", VIEW, group), "role-binding")[0].1,
        "Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\""
    );
    let robot = "- kind: Robot\n  name: r2\n";
    assert_eq!(
        messages(&binding("RoleBinding", VIEW, robot), "role-binding")[0].0,
        "subjects[0].kind"
    );
}
