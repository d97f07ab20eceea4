//! Each name and value rule with what it accepts and what it refuses, in the API server's words
//! where the rule is the server's.

use super::*;

#[test]
fn dns1123_label_rules() {
    assert!(dns1123_label("web-1").is_empty());
    assert_eq!(dns1123_label("My_Pod"), vec![DNS1123_LABEL_MSG]);
    assert_eq!(dns1123_label(&"a".repeat(64)), vec![too_long(63)]);
    assert!(!dns1123_label("a.b").is_empty());
    assert!(!dns1123_label("").is_empty());
}

#[test]
fn subdomain_and_1035() {
    assert!(dns1123_subdomain("web.example").is_empty());
    assert!(!dns1123_subdomain("web..example").is_empty());
    assert!(dns1035_label("web").is_empty());
    assert!(!dns1035_label("1web").is_empty());
}

#[test]
fn port_names() {
    assert!(port_name("http").is_empty());
    assert!(port_name("h2c-metrics").is_empty());
    assert_eq!(
        port_name("8080"),
        vec!["must contain at least one letter (a-z)"]
    );
    assert_eq!(
        port_name("http--x"),
        vec!["must contain consecutive hyphens".replace("must", "must not")]
    );
    assert_eq!(port_name("a-very-long-port-name"), vec![too_long(15)]);
    assert_eq!(port_name("HTTP").len(), 2);
}

#[test]
fn env_names() {
    let strict = KubeVersion::new(31).unwrap();
    assert!(env_var_name("LOG_LEVEL", strict).is_empty());
    assert!(env_var_name("my.var-1", strict).is_empty());
    assert_eq!(env_var_name("1ABC", strict), vec![ENV_VAR_MSG]);
    assert_eq!(env_var_name("A B", strict), vec![ENV_VAR_MSG]);
    assert_eq!(env_var_name(".", strict), vec!["must not be '.'"]);
    let relaxed = KubeVersion::new(32).unwrap();
    assert!(env_var_name("A B", relaxed).is_empty());
    assert!(env_var_name("1ABC", relaxed).is_empty());
    assert_eq!(env_var_name("A=B", relaxed), vec![RELAXED_ENV_VAR_MSG]);
    assert_eq!(env_var_name("A\tB", relaxed), vec![RELAXED_ENV_VAR_MSG]);
    assert_eq!(env_var_name("", relaxed).len(), 1);
}

#[test]
fn label_keys_and_values() {
    assert!(qualified_name("app.kubernetes.io/name").is_empty());
    assert!(qualified_name("app").is_empty());
    assert!(!qualified_name("-app").is_empty());
    assert!(!qualified_name("Example.com/app").is_empty());
    assert!(label_value("").is_empty());
    assert!(label_value("v1.2_x").is_empty());
    assert!(!label_value("a b").is_empty());
}

#[test]
fn secret_keys() {
    assert!(config_map_key("password").is_empty());
    assert!(config_map_key(".env_File-1").is_empty());
    assert_eq!(config_map_key("a/b"), vec![CONFIG_MAP_KEY_MSG]);
    assert_eq!(config_map_key(""), vec![CONFIG_MAP_KEY_MSG]);
    assert_eq!(config_map_key(".."), vec!["must not be '..'"]);
    assert_eq!(config_map_key("..data"), vec!["must not start with '..'"]);
    assert_eq!(config_map_key(&"k".repeat(254)), vec![too_long(253)]);
}

#[test]
fn dns_labels() {
    assert!(dns_label("web-1").is_ok());
    for bad in ["", "Web", "-web", "web-", "my_app", &"a".repeat(64)] {
        assert!(dns_label(bad).is_err(), "{bad}");
    }
}

#[test]
fn derived_labels_are_cut_and_trimmed() {
    let long = format!("wait-for-{}", "a".repeat(60));
    let label = derived_label(&long);
    assert_eq!(label.len(), 63);
    assert!(dns_label(&label).is_ok());
    assert_eq!(derived_label("wait-for-10.0.0.5"), "wait-for-10-0-0-5");
    assert_eq!(derived_label("x-:-y-"), "x-y");
}

#[test]
fn hosts() {
    assert!(host("my-database").is_ok());
    assert!(host("db.prod.svc.cluster.local").is_ok());
    assert!(host("10.0.0.5").is_ok());
    assert!(host("::1").is_ok());
    for bad in ["db:5432", "a b", "$(reboot)", "-x", ""] {
        assert!(host(bad).is_err(), "{bad}");
    }
}

#[test]
fn names_of_workloads_with_a_service_start_with_a_letter() {
    assert!(service_name("web").is_ok());
    assert!(service_name("api-2").is_ok());
    assert!(service_name("1web").unwrap_err().contains("Service"));
    assert!(dns_label("1web").is_ok());
}

#[test]
fn mount_paths_are_folders_below_the_root() {
    assert!(mount_path("/etc/config").is_ok());
    for root in ["/", "//"] {
        assert_eq!(mount_path(root).unwrap_err(), "must not be the root folder");
    }
    assert!(mount_path("etc").is_err());
    assert!(mount_path("/etc/../x").is_err());
}
