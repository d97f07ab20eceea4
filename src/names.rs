//! Kubernetes' rules for names and values (apimachinery `pkg/util/validation`), with the API
//! server's wording. Both the spec checks and the validator use them.

/// A DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub fn dns_label(text: &str) -> Result<(), String> {
    if text.len() > 63 {
        return Err("must be no more than 63 characters".into());
    }
    let bytes = text.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let valid = !bytes.is_empty()
        && bytes.iter().all(|b| alnum(b) || *b == b'-')
        && bytes.first().is_some_and(alnum)
        && bytes.last().is_some_and(alnum);
    if valid {
        Ok(())
    } else {
        Err("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', \
             and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')"
            .into())
    }
}

/// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
pub fn dns_subdomain(text: &str) -> Result<(), String> {
    if text.len() > 253 {
        return Err("must be no more than 253 characters".into());
    }
    if text.split('.').all(|label| dns_label(label).is_ok()) {
        Ok(())
    } else {
        Err("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' \
             or '.', and must start and end with an alphanumeric character (e.g. 'example.com')"
            .into())
    }
}

/// A host to connect to: a DNS name (any case) or an IP address.
pub fn host(text: &str) -> Result<(), String> {
    if text.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    dns_subdomain(&text.to_ascii_lowercase())
        .map_err(|_| "host must be a DNS name such as `db.prod.svc` or an IP address".into())
}

/// A port number, 1 to 65535.
pub fn port_number(port: u32) -> Result<(), String> {
    if (1..=65535).contains(&port) {
        Ok(())
    } else {
        Err("must be between 1 and 65535, inclusive".into())
    }
}

/// An IANA service name, as port names must be.
pub fn port_name(text: &str) -> Result<(), String> {
    if text.len() > 15 {
        return Err("must be no more than 15 characters".into());
    }
    if !text
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into(),
        );
    }
    if !text.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err("must contain at least one letter (a-z)".into());
    }
    if text.contains("--") {
        return Err("must not contain consecutive hyphens".into());
    }
    if text.starts_with('-') || text.ends_with('-') {
        return Err("must not begin or end with a hyphen".into());
    }
    Ok(())
}

/// An environment variable name.
pub fn env_name(text: &str) -> Result<(), String> {
    let valid = !text.is_empty()
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if valid {
        Ok(())
    } else {
        Err("a valid environment variable name must consist of alphabetic characters, digits, '_', \
             '-', or '.', and must not start with a digit"
            .into())
    }
}

/// A qualified name as label keys use: an optional DNS subdomain prefix and `/`, then a name of
/// at most 63 characters.
pub fn label_key(text: &str) -> Result<(), String> {
    let (prefix, name) = match text.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, text),
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() || dns_subdomain(prefix).is_err() {
            return Err("prefix part must be a lowercase RFC 1123 subdomain".into());
        }
    }
    if name.is_empty() || name.len() > 63 || !is_label_value_shape(name) {
        return Err(
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start \
                    and end with an alphanumeric character, at most 63 characters"
                .into(),
        );
    }
    Ok(())
}

/// A label value: empty, or at most 63 characters of the qualified-name shape.
pub fn label_value(text: &str) -> Result<(), String> {
    if text.is_empty() || (text.len() <= 63 && is_label_value_shape(text)) {
        Ok(())
    } else {
        Err("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' \
             or '.', and must start and end with an alphanumeric character, at most 63 characters"
            .into())
    }
}

fn is_label_value_shape(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// A container image reference: present, no white space, not just a tag or digest.
pub fn image(text: &str) -> Result<(), String> {
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
pub fn absolute_path(text: &str) -> Result<(), String> {
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

/// An HTTP path for a probe.
pub fn http_path(text: &str) -> Result<(), String> {
    if text.starts_with('/') && !text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        Err("must be an HTTP path starting with '/', without spaces".into())
    }
}

/// A resource quantity such as `250m`, `1.5`, `256Mi`, `1e3`.
pub fn quantity(text: &str) -> Result<(), String> {
    if quantity_value(text).is_some() {
        Ok(())
    } else {
        Err("quantities must match the regular expression \
             '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            .into())
    }
}

/// The value of a quantity in base units, or `None` when malformed.
pub fn quantity_value(text: &str) -> Option<f64> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    if number.is_empty() || number.matches('.').count() > 1 || number[1..].contains(['+', '-']) {
        return None;
    }
    let number: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exponent => {
            let digits = exponent.strip_prefix(['e', 'E'])?;
            10f64.powi(digits.parse::<i32>().ok()?)
        }
    };
    (number >= 0.0).then_some(number * factor)
}

/// Cuts a derived name to a DNS-1123 label: lowercase, other characters as `-`, at most 63
/// characters, no leading or trailing `-`. Only for names podsmith derives, never user names.
pub fn derived_label(text: &str) -> String {
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
mod tests {
    use super::*;

    #[test]
    fn dns_labels() {
        assert!(dns_label("web-1").is_ok());
        for bad in ["", "Web", "-web", "web-", "my_app", &"a".repeat(64)] {
            assert!(dns_label(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn port_names_follow_iana() {
        assert!(port_name("http").is_ok());
        for bad in ["8080", "a--b", "-a", "averyveryverylongname", "HTTP"] {
            assert!(port_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity_value("250m"), Some(0.25));
        assert_eq!(quantity_value("1Gi"), Some(1024f64.powi(3)));
        assert_eq!(quantity_value("1e3"), Some(1000.0));
        for bad in ["", "abc", "1.2.3", "5 Mi", "1Xi", "--1"] {
            assert!(quantity(bad).is_err(), "{bad}");
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
}
