//! The order of an API group's versions by stability, as the deprecation policy ranks them:
//! GA above beta above alpha, then by number.

/// How stable a version is: GA above beta above alpha, then by number (`v2` above `v1`,
/// `v1beta2` above `v1beta1`).
pub(super) fn stability(api_version: &str) -> (u8, u32, u32) {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    let digits = |text: &str| text.parse::<u32>().unwrap_or(0);
    let major_end = version
        .char_indices()
        .skip(1)
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(version.len(), |(at, _)| at);
    let major = digits(version.get(1..major_end).unwrap_or("0"));
    let rest = &version[major_end..];
    match rest {
        "" => (2, major, 0),
        _ if rest.starts_with("beta") => (1, major, digits(&rest[4..])),
        _ => (0, major, digits(rest.trim_start_matches("alpha"))),
    }
}

/// Whether an apiVersion is an alpha version.
pub(super) fn is_alpha(api_version: &str) -> bool {
    stability(api_version).0 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stability_orders_versions() {
        assert!(stability("v1") > stability("v1beta3"));
        assert!(stability("autoscaling/v2") > stability("autoscaling/v1"));
        assert!(stability("x/v1beta2") > stability("x/v1beta1"));
        assert!(stability("x/v1beta1") > stability("x/v2alpha1"));
    }
}
