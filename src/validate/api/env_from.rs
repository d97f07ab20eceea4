//! A container's `envFrom`, as `ValidateEnvFrom` (`pkg/apis/core/validation/validation.go`)
//! checks it: exactly one of `configMapRef` and `secretRef`, whose name is required and a
//! DNS-1123 subdomain (`validateConfigMapEnvSource`, `validateSecretEnvSource`), and a `prefix`
//! that is an environment variable name by the target version's rule.

use k8s_openapi::api::core::v1::Container;

use super::{invalid, shown};
use crate::names;
use crate::validate::locate::{index, key};
use crate::validate::rules;
use crate::validate::Sink;

pub(super) fn check(container: &Container, path: &str, sink: &mut Sink) {
    let Some(sources) = container.env_from.as_deref().filter(|s| !s.is_empty()) else {
        return;
    };
    let rule = &rules::ENV_NAME;
    let list = key(path, "envFrom");
    for (at, source) in sources.iter().enumerate() {
        let at = index(&list, at);
        if let Some(prefix) = source.prefix.as_deref().filter(|p| !p.is_empty()) {
            for message in names::env_var_name(prefix, sink.version()) {
                sink.report(rule, &key(&at, "prefix"), invalid(shown(prefix), &message));
            }
        }
        let references = [
            (
                "configMapRef",
                source.config_map_ref.as_ref().map(|r| &r.name),
            ),
            ("secretRef", source.secret_ref.as_ref().map(|r| &r.name)),
        ];
        let mut count = 0;
        for (field, name) in references {
            let Some(name) = name else {
                continue;
            };
            count += 1;
            let name_path = key(&key(&at, field), "name");
            if name.is_empty() {
                sink.report(rule, &name_path, "Required value");
            }
            for message in names::dns1123_subdomain(name)
                .into_iter()
                .filter(|_| !name.is_empty())
            {
                sink.report(rule, &name_path, invalid(shown(name), &message));
            }
        }
        match count {
            0 => sink.report(
                rule,
                &list,
                "Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`",
            ),
            1 => {}
            _ => sink.report(
                rule,
                &list,
                "Forbidden: may not have more than one field specified at a time",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::only;

    fn pod(env_from: &str) -> String {
        format!("# kube-version: 1.29\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    envFrom:\n{env_from}")
    }

    #[test]
    fn one_named_source_and_a_valid_prefix() {
        let ok = "    - configMapRef:\n        name: settings\n      prefix: APP_\n    - secretRef:\n        name: creds\n";
        assert!(only(&pod(ok), "env-name").is_empty());
        let both =
            "    - configMapRef:\n        name: settings\n      secretRef:\n        name: creds\n";
        assert_eq!(
            only(&pod(both), "env-name"),
            vec![(
                10,
                "spec.containers[0].envFrom".to_string(),
                "Forbidden: may not have more than one field specified at a time".to_string()
            )]
        );
        let neither = only(&pod("    - prefix: APP_\n"), "env-name");
        assert_eq!(
            neither[0].2,
            "Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`"
        );
        let unnamed = only(&pod("    - secretRef:\n        name: \"\"\n"), "env-name");
        assert_eq!(unnamed[0].1, "spec.containers[0].envFrom[0].secretRef.name");
        let prefix = only(
            &pod("    - configMapRef:\n        name: settings\n      prefix: 1-APP\n"),
            "env-name",
        );
        assert_eq!(prefix.len(), 1, "{prefix:?}");
        assert_eq!(prefix[0].1, "spec.containers[0].envFrom[0].prefix");
    }
}
