//! IP addresses and CIDR blocks as the API's legacy fields read them (`IsValidIP`,
//! `IsValidCIDR`).

use std::net::IpAddr;

/// `IsValidIP`'s rule, as the server prints it.
pub(super) const IP_RULE: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
/// `IsValidCIDR`'s rule, as the server prints it.
pub(super) const CIDR_RULE: &str =
    "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/// A CIDR block: its network address and prefix length.
pub(super) struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub(super) fn parse(text: &str) -> Option<Cidr> {
        let (address, prefix) = text.split_once('/')?;
        let address: IpAddr = address.parse().ok()?;
        let bits = if address.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= bits && prefix.bytes().all(|b| b.is_ascii_digit()))?;
        Some(Cidr {
            network: mask(address, prefix),
            prefix,
        })
    }

    /// Whether `inner` lies inside this block and is smaller (Go's `Contains` on its network
    /// address, and a longer prefix).
    pub(super) fn strictly_contains(&self, inner: &Cidr) -> bool {
        self.network.is_ipv4() == inner.network.is_ipv4()
            && mask(inner.network, self.prefix) == self.network
            && self.prefix < inner.prefix
    }
}

/// `address` with the bits past `prefix` cleared.
fn mask(address: IpAddr, prefix: u8) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4) & u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(bits.into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(bits.into())
        }
    }
}
