//! `parseCidr`, `cidrSubnet`, `cidrHost` (learn.microsoft.com, "CIDR functions for ARM
//! templates"). Unlike Terraform's `cidrsubnet`, ARM's takes the new prefix *length*,
//! not the number of bits to add, and `cidrHost` counts from the first *usable* address
//! (index 0 of `192.168.1.0/24` is `192.168.1.1`).
//!
//! What the documentation leaves open is Unknown, not guessed: a network written with
//! host bits set, and IPv4 `/31` and `/32`, which have no usable addresses by the
//! documented rule (network + 1 to broadcast - 1).

use super::{Call, OrInvalid, Out, Stop, int};
use crate::model::{Object, Val};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A network: its first address, the address width (32 or 128) and the prefix length.
#[derive(Clone, Copy)]
struct Net {
    addr: u128,
    bits: u32,
    len: u32,
}

impl Net {
    /// `a.b.c.d/n` or `x:y::/n`, with no host bits set.
    fn parse(s: &str) -> Option<Net> {
        let (addr, len) = s.split_once('/')?;
        let len: u32 = len
            .parse()
            .ok()
            .filter(|_| len.bytes().all(|b| b.is_ascii_digit()))?;
        let (addr, bits) = match addr.parse::<IpAddr>().ok()? {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
            IpAddr::V6(a) => (u128::from(a), 128),
        };
        let net = Net { addr, bits, len };
        (len <= bits && addr & net.host_mask() == 0).then_some(net)
    }

    fn host_mask(self) -> u128 {
        ones(self.bits - self.len)
    }

    fn mask(self) -> u128 {
        ones(self.bits) & !self.host_mask()
    }

    fn last(self) -> u128 {
        self.addr | self.host_mask()
    }

    fn v4(self) -> bool {
        self.bits == 32
    }

    /// The usable addresses: IPv4 leaves out the network and broadcast addresses, IPv6
    /// has none (documented: `fdad:3236:5555::/48` is usable from `fdad:3236:5555::`).
    fn usable(self) -> Option<(u128, u128)> {
        if !self.v4() {
            return Some((self.addr, self.last()));
        }
        (self.len <= 30).then(|| (self.addr + 1, self.last() - 1))
    }

    fn show(self, addr: u128) -> String {
        if self.v4() {
            Ipv4Addr::from(addr as u32).to_string()
        } else {
            Ipv6Addr::from(addr).to_string()
        }
    }
}

/// The low `n` bits set.
fn ones(n: u32) -> u128 {
    if n >= 128 {
        u128::MAX
    } else {
        (1u128 << n) - 1
    }
}

fn network(c: &Call, v: &Val) -> Result<Net, Stop> {
    match v.as_str().map(Net::parse) {
        Some(Some(net)) => Ok(net),
        Some(None) => c.unknown(format!(
            "`{}()` needs a network in CIDR notation without host bits",
            c.name
        )),
        None => Err(Stop::Invalid),
    }
}

/// `parseCidr(network)`: `{network, netmask, broadcast (IPv4 only), firstUsable,
/// lastUsable, cidr}`.
pub(super) fn parse_cidr(c: &Call, a: &[Val]) -> Out {
    let [net] = a else { return Err(Stop::Invalid) };
    let net = network(c, net)?;
    let Some((first, last)) = net.usable() else {
        return c.unknown("`parseCidr()` of an IPv4 /31 or /32 is not documented");
    };
    let mut o = Object::with_capacity(6);
    o.push("network", c.text(net.show(net.addr)));
    o.push("netmask", c.text(net.show(net.mask())));
    if net.v4() {
        o.push("broadcast", c.text(net.show(net.last())));
    }
    o.push("firstUsable", c.text(net.show(first)));
    o.push("lastUsable", c.text(net.show(last)));
    o.push("cidr", c.number(f64::from(net.len)));
    Ok(c.object(o))
}

/// `cidrSubnet(network, newCIDR, subnetIndex)`: subnet `subnetIndex` of prefix length
/// `newCIDR` (at least the network's own).
pub(super) fn cidr_subnet(c: &Call, a: &[Val]) -> Out {
    let [net, new_len, index] = a else {
        return Err(Stop::Invalid);
    };
    let net = network(c, net)?;
    let new_len = u32::try_from(int(new_len).or_invalid()?)
        .ok()
        .or_invalid()?;
    let index = u128::try_from(int(index).or_invalid()?).ok().or_invalid()?;
    if new_len < net.len || new_len > net.bits || index > ones(new_len - net.len) {
        return Err(Stop::Invalid);
    }
    // `index` has at most `new_len - len` bits, so this stays inside the network.
    let offset = match index {
        0 => 0,
        _ => index.checked_shl(net.bits - new_len).or_invalid()?,
    };
    Ok(c.text(format!("{}/{new_len}", net.show(net.addr | offset))))
}

/// `cidrHost(network, hostIndex)`: the usable address number `hostIndex`, from 0
/// (documented: index 0 of `10.144.3.0/24` is `10.144.3.1`, of `fdad:3236:5555:3000::/52`
/// is `fdad:3236:5555:3000::1`).
pub(super) fn cidr_host(c: &Call, a: &[Val]) -> Out {
    let [net, index] = a else {
        return Err(Stop::Invalid);
    };
    let net = network(c, net)?;
    let index = u128::try_from(int(index).or_invalid()?).ok().or_invalid()?;
    let Some((_, last)) = net.usable() else {
        return c.unknown("`cidrHost()` of an IPv4 /31 or /32 is not documented");
    };
    let host = net.addr.checked_add(1).and_then(|a| a.checked_add(index));
    match host {
        Some(h) if h <= last => Ok(c.text(net.show(h))),
        _ => Err(Stop::Invalid),
    }
}
