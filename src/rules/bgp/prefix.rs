//! What the ER3xx rules share: parsing a BGP session prefix and its sibling subnet.

use crate::model::{Found, Resource};
use crate::render::{Literal, Spelling};
use crate::rules::Ctx;
use ipnet::IpNet;
use std::net::IpAddr;

pub(crate) fn parse_prefix(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    let Some((addr, len)) = s.split_once('/') else {
        return Err("has no prefix length".into());
    };
    let addr: IpAddr = addr
        .parse()
        .map_err(|_| format!("`{addr}` is not an IP address"))?;
    if len.is_empty() || !len.chars().all(|c| c.is_ascii_digit()) || len.len() > 3 {
        return Err(format!("`/{len}` is not a prefix length"));
    }
    let len: u8 = len
        .parse()
        .map_err(|_| format!("`/{len}` is not a prefix length"))?;
    IpNet::new(addr, len).map_err(|_| format!("`/{len}` is too long for {}", family_name(addr)))
}

/// The CIDR prefix of the Known prefix attribute `name` (found as `f`), for a rule that
/// wants an `family` prefix (`IPv4`, or `IPv6` when `v6`) of length `len`: the prefix and
/// its text, or `None` once it has reported why there is none (not a string, not a CIDR
/// prefix, a prefix of the other family). Checking the length is the caller's.
pub(crate) fn known_prefix<'v>(
    cx: &mut Ctx<'_>,
    res: &Resource,
    f: &Found<'v>,
    name: &str,
    (family, v6, len): (&str, bool, u8),
) -> Option<(IpNet, &'v str)> {
    let Some(value) = f.as_str() else {
        cx.report_found(
            res,
            f,
            format!("`{name}` is a {}, not a CIDR prefix", f.val.type_name()),
        )
        .help(format!(
            "write the prefix as a string, {}",
            Spelling::of(res).literal(&Literal::str(format!("address/{len}")))
        ));
        return None;
    };
    let net = match parse_prefix(value) {
        Ok(n) => n,
        Err(why) => {
            cx.report_found(
                res,
                f,
                format!("`{name}` `{value}` is not a valid CIDR prefix: {why}"),
            )
            .help(format!("write an {family} prefix as `address/{len}`"));
            return None;
        }
    };
    if matches!(net, IpNet::V6(_)) != v6 {
        cx.report_found(res, f, format!("`{name}` `{value}` is not an {family} prefix"))
            .help(format!("use an {family} /{len} here"));
        return None;
    }
    Some((net, value))
}

fn family_name(a: IpAddr) -> &'static str {
    if a.is_ipv4() {
        "an IPv4 address"
    } else {
        "an IPv6 address"
    }
}

/// The other half of the /29 (or /125) that `net` is one half of: the subnet a secondary
/// (or primary) session would use.
pub(crate) fn sibling(net: &IpNet) -> Option<IpNet> {
    let net = net.trunc();
    let parent = net.supernet()?;
    parent.subnets(net.prefix_len()).ok()?.find(|s| *s != net)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_prefix_parsing() {
        assert!(parse_prefix("10.0.0.0/30").is_ok());
        assert!(parse_prefix("2001:db8::/126").is_ok());
        assert!(parse_prefix("10.0.0.0").is_err());
        assert!(parse_prefix("010.0.0.0/30").is_err());
        assert!(parse_prefix("10.0.0.0/33").is_err());
        assert!(parse_prefix("10.0.0.0/+3").is_err());
        assert!(parse_prefix("bogus/30").is_err());
    }

    #[test]
    fn sibling_is_other_half() {
        let a: IpNet = "10.1.2.0/30".parse().unwrap();
        assert_eq!(sibling(&a).unwrap().to_string(), "10.1.2.4/30");
        let b: IpNet = "10.1.2.4/30".parse().unwrap();
        assert_eq!(sibling(&b).unwrap().to_string(), "10.1.2.0/30");
        let c: IpNet = "2001:db8::/126".parse().unwrap();
        assert_eq!(sibling(&c).unwrap().to_string(), "2001:db8::4/126");
    }
}
