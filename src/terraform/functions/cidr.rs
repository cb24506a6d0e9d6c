//! `cidrhost`, `cidrnetmask`, `cidrsubnet`, `cidrsubnets` for IPv4 and IPv6, with
//! Terraform's parsing (IPv4 octets may have leading zeros; host bits are dropped; an
//! IPv4-mapped IPv6 prefix is IPv4) and its error messages.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::{Call, Out, Stop, fail, invalid};
use crate::model::Val;
use crate::model::value::format_number;

/// An IP prefix: the address in the low `bits` (32 or 128) bits of `addr`, host bits zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Prefix {
    addr: u128,
    bits: u32,
    len: u32,
}

impl Prefix {
    /// The prefix of `len` bits that holds `addr`.
    fn new(addr: u128, bits: u32, len: u32) -> Prefix {
        Prefix {
            addr: addr & net_mask(bits, len),
            bits,
            len,
        }
    }

    /// An IPv4-mapped IPv6 prefix (`::ffff:a.b.c.d/96` and longer) as IPv4, which is how
    /// Terraform computes with and prints it.
    fn unmapped(self) -> Prefix {
        if self.bits == 128 && self.len >= 96 && self.addr >> 32 == 0xffff {
            Prefix::new(self.addr & ones(32), 32, self.len - 96)
        } else {
            self
        }
    }

    fn host_mask(self) -> u128 {
        ones(self.bits - self.len)
    }

    fn contains(self, addr: u128) -> bool {
        addr & net_mask(self.bits, self.len) == self.addr
    }

    fn last(self) -> u128 {
        self.addr | self.host_mask()
    }

    /// The prefix of `len` bits just below this one (wrapping around at zero).
    fn previous(self, len: u32) -> Prefix {
        Prefix::new(self.addr.wrapping_sub(1) & ones(self.bits), self.bits, len)
    }

    /// The prefix of `len` bits just above this one, and whether the address space
    /// wrapped around.
    fn next(self, len: u32) -> (Prefix, bool) {
        let current = Prefix::new(self.last(), self.bits, len);
        let after = current.last().wrapping_add(1) & ones(self.bits);
        (Prefix::new(after, self.bits, len), after == 0)
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.unmapped();
        write!(f, "{}/{}", show_addr(p.addr, p.bits), p.len)
    }
}

/// `n` one bits, right-aligned.
fn ones(n: u32) -> u128 {
    u128::MAX.checked_shr(128 - n).unwrap_or(0)
}

fn net_mask(bits: u32, len: u32) -> u128 {
    ones(bits) & !ones(bits - len)
}

/// Go prints an IPv4-mapped IPv6 address as IPv4.
fn show_addr(addr: u128, bits: u32) -> String {
    if bits == 32 {
        return Ipv4Addr::from(addr as u32).to_string();
    }
    let v6 = Ipv6Addr::from(addr);
    match v6.to_ipv4_mapped() {
        Some(v4) => v4.to_string(),
        None => v6.to_string(),
    }
}

fn parse_prefix(c: &Call, v: &Val) -> Result<Prefix, Stop> {
    let s = c.get_str(v, "prefix")?;
    parse_cidr(&s).ok_or_else(|| {
        Stop::Error(format!(
            "invalid CIDR expression: invalid CIDR address: {s}"
        ))
    })
}

fn parse_cidr(s: &str) -> Option<Prefix> {
    let (ip, len) = s.split_once('/')?;
    let (addr, bits) = match parse_ipv4(ip) {
        Some(v4) => (u128::from(v4), 32),
        None => (u128::from(ip.parse::<Ipv6Addr>().ok()?), 128),
    };
    let len = parse_decimal(len).filter(|&len| len <= bits)?;
    Some(Prefix::new(addr, bits, len).unmapped())
}

/// Dotted decimal; like Go before 1.17, octets may have leading zeros (`010` is 10).
fn parse_ipv4(s: &str) -> Option<u32> {
    let mut octets = s.split('.');
    let mut addr = 0u32;
    for _ in 0..4 {
        let octet = parse_decimal(octets.next()?).filter(|&o| o <= 255)?;
        addr = (addr << 8) | octet;
    }
    octets.next().is_none().then_some(addr)
}

fn parse_decimal(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    s.chars().try_fold(0u32, |n, ch| {
        n.checked_mul(10)?.checked_add(ch.to_digit(10)?)
    })
}

/// A whole non-negative number as an address offset.
fn to_u128(n: f64) -> Option<u128> {
    // 2^128: the first f64 outside u128.
    (0.0..340_282_366_920_938_463_463_374_607_431_768_211_456.0)
        .contains(&n)
        .then_some(n as u128)
}

/// `cidrhost(prefix, hostnum)`: a negative host number counts back from the last address.
pub(super) fn cidrhost(c: &Call, args: &[Val]) -> Out {
    let [prefix, hostnum] = c.fixed(args)?;
    let hostnum = c.get_whole(hostnum, "hostnum")?;
    let prefix = parse_prefix(c, prefix)?;
    let max = prefix.host_mask();
    let host = if hostnum >= 0.0 {
        to_u128(hostnum).filter(|&h| h <= max)
    } else {
        to_u128(-hostnum - 1.0)
            .filter(|&back| back <= max)
            .map(|back| max - back)
    };
    let Some(host) = host else {
        // Go reports a negative number as counted back from the last address.
        let shown = if hostnum >= 0.0 {
            hostnum
        } else {
            max as f64 + hostnum + 1.0
        };
        return fail(format!(
            "prefix of {} does not accommodate a host numbered {}",
            prefix.len,
            format_number(shown)
        ));
    };
    Ok(c.str(show_addr(prefix.addr | host, prefix.bits)))
}

/// `cidrnetmask(prefix)`: the IPv4 netmask in dotted decimal.
pub(super) fn cidrnetmask(c: &Call, args: &[Val]) -> Out {
    let [arg] = c.fixed(args)?;
    let prefix = parse_prefix(c, arg)?;
    if prefix.bits != 32 {
        let s = c.get_str(arg, "prefix")?;
        return fail(format!("IPv6 addresses cannot have a netmask: {s}"));
    }
    Ok(c.str(show_addr(net_mask(32, prefix.len), 32)))
}

/// `cidrsubnet(prefix, newbits, netnum)`.
pub(super) fn cidrsubnet(c: &Call, args: &[Val]) -> Out {
    let [prefix, newbits, netnum] = c.fixed(args)?;
    let newbits = c.get_int(newbits, "newbits")?;
    let netnum = c.get_whole(netnum, "netnum")?;
    let prefix = parse_prefix(c, prefix)?;
    if newbits > i64::from(prefix.bits - prefix.len) {
        return fail(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            prefix.len
        ));
    }
    let Ok(newbits) = u32::try_from(newbits) else {
        return Err(invalid("newbits", "must not be negative"));
    };
    let Some(num) = to_u128(netnum).filter(|&n| n <= ones(newbits)) else {
        return fail(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {}",
            format_number(netnum)
        ));
    };
    let len = prefix.len + newbits;
    let offset = num.checked_shl(prefix.bits - len).unwrap_or(0);
    Ok(c.str(Prefix::new(prefix.addr | offset, prefix.bits, len).to_string()))
}

/// `cidrsubnets(prefix, newbits...)`: consecutive subnets, each `newbits` longer than the
/// prefix, aligned to its own size.
pub(super) fn cidrsubnets(c: &Call, args: &[Val]) -> Out {
    c.arity(args, 1, usize::MAX)?;
    let prefix = parse_prefix(c, c.arg(args, 0)?)?;
    let mut current: Option<Prefix> = None;
    let mut out = Vec::new();
    for arg in args.get(1..).unwrap_or_default() {
        let newbits = c.get_int(arg, "newbits")?;
        if newbits < 1 {
            return fail("must extend prefix by at least one bit");
        }
        if newbits > 32 {
            return fail("may not extend prefix by more than 32 bits");
        }
        let len = prefix.len + u32::try_from(newbits).unwrap_or(32);
        if len > prefix.bits {
            let family = if prefix.bits == 32 { "IPv4" } else { "IPv6" };
            return fail(format!(
                "would extend prefix to {len} bits, which is too long for an {family} address"
            ));
        }
        let from = current.unwrap_or_else(|| prefix.previous(len));
        let (next, wrapped) = from.next(len);
        if wrapped || !prefix.contains(next.addr) {
            return fail(format!(
                "not enough remaining address space for a subnet with a prefix of {len} bits after {from}"
            ));
        }
        out.push(c.str(next.to_string()));
        current = Some(next);
    }
    Ok(c.list(out))
}
