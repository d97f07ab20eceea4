//! wait-for: an init container that blocks until `host:port` accepts TCP connections, and fails
//! after a deadline so a missing dependency shows as a restarting pod instead of a stuck one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Result;
use crate::names;
use crate::patterns::{At, PatternKind};
use crate::plan::{container_context, ContainerPlan, PodParts, Role, Security};
use crate::spec::{Resources, Spec};

/// Pinned busybox: its `nc` supports `-z` and `-w`.
pub const IMAGE: &str = "busybox:1.36.1";
/// Seconds to wait when none is given.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 300;

/// Options of the wait-for pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaitFor {
    /// The dependency's host: a DNS name or IP address.
    pub host: String,
    /// The dependency's TCP port.
    pub port: u32,
    /// Seconds to wait before failing (default 300).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u32,
    /// Container name (default `wait-for-<host>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Image with `sh` and `nc` (default busybox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

fn default_timeout() -> u32 {
    DEFAULT_TIMEOUT_SECONDS
}

impl WaitFor {
    /// Waits for `host:port` with the default timeout.
    pub fn new(host: &str, port: u32) -> WaitFor {
        WaitFor {
            host: host.into(),
            port,
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            name: None,
            image: None,
        }
    }

    /// The name derived from the host: `wait-for-<first label>`.
    pub fn derived_name(&self) -> String {
        let first = if self.host.parse::<std::net::IpAddr>().is_ok() {
            self.host.as_str()
        } else {
            self.host.split('.').next().unwrap_or(&self.host)
        };
        names::derived_label(&format!("wait-for-{first}"))
    }
}

impl PatternKind for WaitFor {
    fn id(&self) -> &'static str {
        "wait-for"
    }

    fn flag(&self) -> &'static str {
        "--wait-for"
    }

    fn container_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.derived_name())
    }

    fn check(&self, _spec: &Spec, at: &At) -> Result<()> {
        names::host(&self.host).map_err(|rule| at.invalid("host", None, &self.host, rule))?;
        names::port_number(self.port)
            .map_err(|rule| at.invalid("port", None, &self.port.to_string(), rule))?;
        if !(1..=86_400).contains(&self.timeout_seconds) {
            return Err(at.invalid(
                "timeoutSeconds",
                Some("--wait-timeout"),
                &self.timeout_seconds.to_string(),
                "must be from 1 to 86400 seconds",
            ));
        }
        Ok(())
    }

    fn contribute(&self, _spec: &Spec, parts: &mut PodParts) {
        let name = self.container_name();
        let image = self.image.as_deref().unwrap_or(IMAGE);
        let mut context = container_context(&name, image, &helper_resources(), &Security::helper());
        context["host"] = json!(self.host);
        context["port"] = json!(self.port.to_string());
        context["timeout_seconds"] = json!(self.timeout_seconds.to_string());
        parts.init_containers.push(ContainerPlan {
            name,
            role: Role::Init,
            template: "patterns/wait-for.yaml.tera",
            context,
        });
    }
}

/// Requests and limits of a small shell helper.
pub fn helper_resources() -> Resources {
    Resources::new("10m", "16Mi", "100m", "64Mi")
}
