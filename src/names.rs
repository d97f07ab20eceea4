//! Kubernetes' rules for names and values, written once: the API server's own checks
//! (apimachinery `pkg/util/validation`, with its messages) for the validator, the same rules as
//! one-line results for the flag and spec checks, and podsmith's own rules for hosts, images and
//! paths. A rule that depends on the Kubernetes version takes it.

use crate::kube_version::KubeVersion;

/// The first broken rule of a check, as the flag and spec checks report it (one line).
pub(crate) fn first(errors: Vec<String>) -> Result<(), String> {
    errors.into_iter().next().map_or(Ok(()), Err)
}

/// A DNS-1123 label (container, volume and namespace names).
pub(crate) fn dns_label(text: &str) -> Result<(), String> {
    first(dns1123_label(text))
}

/// The name of a workload that podsmith puts a Service in front of (a StatefulSet's headless
/// one, or one for the app's ports): the Service takes the name, and a Service name is a
/// DNS-1035 label, which starts with a letter. Every workload name is a DNS-1123 label
/// ([`dns_label`]) besides.
pub(crate) fn service_name(text: &str) -> Result<(), String> {
    first(dns1035_label(text)).map_err(|_| {
        "must start with a letter: the workload's Service takes its name, and a Service name is \
         a DNS-1035 label (e.g. `web`, `api-2`)"
            .into()
    })
}

/// A DNS-1123 subdomain (most object names, StorageClass names).
pub(crate) fn dns_subdomain(text: &str) -> Result<(), String> {
    first(dns1123_subdomain(text))
}

/// An environment variable name for `version`.
pub(crate) fn env_name(text: &str, version: KubeVersion) -> Result<(), String> {
    first(env_var_name(text, version))
}

/// A key of a Secret or ConfigMap.
pub(crate) fn data_key(text: &str) -> Result<(), String> {
    first(config_map_key(text))
}

/// A label key (a qualified name).
pub(crate) fn label_key(text: &str) -> Result<(), String> {
    first(qualified_name(text))
}

const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const ENV_VAR_MSG: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const RELAXED_ENV_VAR_MSG: &str = "a valid environment variable name must consist only of printable ASCII characters other than '='";
const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const CONFIG_MAP_KEY_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn too_long(max: usize) -> String {
    format!("must be no more than {max} characters")
}

fn lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn is_label_syntax(text: &str) -> bool {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => {
            lower_alnum(first)
                && lower_alnum(last)
                && bytes.iter().all(|&c| lower_alnum(c) || c == b'-')
        }
        _ => false,
    }
}

/// `IsDNS1123Label`: container, volume and port-less names.
pub(crate) fn dns1123_label(text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if text.len() > 63 {
        errors.push(too_long(63));
    }
    if !is_label_syntax(text) {
        errors.push(DNS1123_LABEL_MSG.to_string());
    }
    errors
}

/// `IsDNS1123Subdomain`: most object names.
pub(crate) fn dns1123_subdomain(text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if text.len() > 253 {
        errors.push(too_long(253));
    }
    if !text.split('.').all(is_label_syntax) {
        errors.push(DNS1123_SUBDOMAIN_MSG.to_string());
    }
    errors
}

/// `IsDNS1035Label`: Service names.
pub(crate) fn dns1035_label(text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if text.len() > 63 {
        errors.push(too_long(63));
    }
    let starts_alpha = text.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
    if !starts_alpha || !is_label_syntax(text) {
        errors.push(DNS1035_LABEL_MSG.to_string());
    }
    errors
}

/// `IsValidPortName`: IANA_SVC_NAME.
pub(crate) fn port_name(text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if text.len() > 15 {
        errors.push(too_long(15));
    }
    if !text
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        errors.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !text.bytes().any(|c| c.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)".to_string());
    }
    if text.contains("--") {
        errors.push("must not contain consecutive hyphens".to_string());
    }
    if text.starts_with('-') || text.ends_with('-') {
        errors.push("must not begin or end with a hyphen".to_string());
    }
    errors
}

/// An environment variable name for `version`: from 1.32 (`IsRelaxedEnvVarName`) any
/// printable ASCII but `=`, before (`IsEnvVarName`) letters, digits, `_`, `-` and `.`.
pub(crate) fn env_var_name(text: &str, version: KubeVersion) -> Vec<String> {
    if version.relaxed_env_var_names() {
        return relaxed_env_var_name(text);
    }
    let valid_chars = text
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.');
    let starts_digit = text.as_bytes().first().is_some_and(u8::is_ascii_digit);
    let mut errors = Vec::new();
    if text.is_empty() || !valid_chars || starts_digit {
        errors.push(ENV_VAR_MSG.to_string());
    }
    if text == "." {
        errors.push("must not be '.'".to_string());
    } else if text == ".." {
        errors.push("must not be '..'".to_string());
    } else if text.starts_with("..") {
        errors.push("must not start with '..'".to_string());
    }
    errors
}

/// `IsRelaxedEnvVarName`.
fn relaxed_env_var_name(text: &str) -> Vec<String> {
    if text.is_empty() {
        return vec!["environment variable name must be non-empty".to_string()];
    }
    if text.bytes().all(|c| (0x20..0x7f).contains(&c) && c != b'=') {
        Vec::new()
    } else {
        vec![RELAXED_ENV_VAR_MSG.to_string()]
    }
}

fn is_qualified_part(text: &str) -> bool {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.')
        }
        _ => false,
    }
}

/// `IsQualifiedName`: label and annotation keys, `[prefix/]name`.
pub(crate) fn qualified_name(text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let (prefix, name) = match text.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, text),
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            errors.push("prefix part must be non-empty".to_string());
        } else {
            errors.extend(
                dns1123_subdomain(prefix)
                    .into_iter()
                    .map(|m| format!("prefix part {m}")),
            );
        }
    }
    if name.is_empty() {
        errors.push("name part must be non-empty".to_string());
    } else {
        if name.len() > 63 {
            errors.push(format!("name part {}", too_long(63)));
        }
        if !is_qualified_part(name) {
            errors.push(QUALIFIED_NAME_MSG.to_string());
        }
    }
    if text.matches('/').count() > 1 {
        errors.push(
            "a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'".to_string(),
        );
    }
    errors
}

/// `IsConfigMapKey`: the keys of Secrets and ConfigMaps, which become file names when mounted.
pub(crate) fn config_map_key(text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if text.len() > 253 {
        errors.push(too_long(253));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if text.is_empty() || !text.chars().all(allowed) {
        errors.push(CONFIG_MAP_KEY_MSG.to_string());
    }
    match text {
        "." => errors.push("must not be '.'".to_string()),
        ".." => errors.push("must not be '..'".to_string()),
        _ if text.starts_with("..") => errors.push("must not start with '..'".to_string()),
        _ => {}
    }
    errors
}

/// `IsValidLabelValue`.
pub(crate) fn label_value(text: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if text.len() > 63 {
        errors.push(too_long(63));
    }
    if !text.is_empty() && !is_qualified_part(text) {
        errors.push(LABEL_VALUE_MSG.to_string());
    }
    errors
}

/// A host to connect to: a DNS name (any case) or an IP address.
pub(crate) fn host(text: &str) -> Result<(), String> {
    if text.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    dns_subdomain(&text.to_ascii_lowercase())
        .map_err(|_| "host must be a DNS name such as `db.prod.svc` or an IP address".into())
}

/// A port number, 1 to 65535.
pub(crate) fn port_number(port: u32) -> Result<(), String> {
    if (1..=65535).contains(&port) {
        Ok(())
    } else {
        Err("must be between 1 and 65535, inclusive".into())
    }
}

/// A container image reference: present, no white space, not just a tag or digest.
pub(crate) fn image(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("an image is required, e.g. `nginx:1.27`".into());
    }
    if text.chars().any(char::is_whitespace) {
        return Err("an image reference must not contain white space".into());
    }
    if text.starts_with([':', '@', '/', '-']) || text.ends_with([':', '@', '/']) {
        return Err(
            "must be an image reference such as `registry.example.com/team/app:1.2.3`".into(),
        );
    }
    Ok(())
}

/// An absolute path inside a container, with no `..` segment.
pub(crate) fn absolute_path(text: &str) -> Result<(), String> {
    if !text.starts_with('/') {
        return Err("must be an absolute path".into());
    }
    if text.split('/').any(|segment| segment == "..") {
        return Err("must not contain '..'".into());
    }
    if text.contains(':') || text.chars().any(char::is_control) {
        return Err("must not contain ':' or control characters".into());
    }
    Ok(())
}

/// A folder a volume is mounted at: an absolute path below `/`, where a volume would hide the
/// whole image. One rule for every flag and field that mounts a volume.
pub(crate) fn mount_path(text: &str) -> Result<(), String> {
    absolute_path(text)?;
    if text.trim_end_matches('/').is_empty() {
        return Err("must not be the root folder".into());
    }
    Ok(())
}

/// An HTTP path for a probe.
pub(crate) fn http_path(text: &str) -> Result<(), String> {
    if text.starts_with('/') && !text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        Err("must be an HTTP path starting with '/', without spaces".into())
    }
}

/// Cuts a derived name to a DNS-1123 label: lowercase, other characters as `-`, at most 63
/// characters, no leading or trailing `-`. Only for names podsmith derives, never user names.
pub(crate) fn derived_label(text: &str) -> String {
    let mut label: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while label.contains("--") {
        label = label.replace("--", "-");
    }
    label.truncate(63);
    label.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests;
