//! IP addresses and CIDR blocks, as aws/event-ruler reads them (`CIDR.java`).
//!
//! A string counts as an IP address only if it looks like one first: IPv4 as
//! `[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+`, IPv6 as `[0-9a-fA-F:]*:[0-9a-fA-F:]*` (no embedded
//! dotted quad, no zone, no brackets), the same filters the reference applies before asking
//! Java's `InetAddress` to parse. An IPv4-mapped IPv6 address (`::ffff:a00:1`) is an IPv4
//! address, because Java's parser returns it as one.

use std::net::{Ipv4Addr, Ipv6Addr};

/// An IP address: its family and its bits (IPv4 in the low 32 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct IpAddress {
    pub(crate) v6: bool,
    pub(crate) bits: u128,
}

/// An inclusive range of addresses of one family, what a `cidr` operand compiles to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct IpRange {
    pub(crate) v6: bool,
    pub(crate) low: u128,
    pub(crate) high: u128,
}

impl IpRange {
    pub(crate) fn contains(&self, address: IpAddress) -> bool {
        address.v6 == self.v6 && self.low <= address.bits && address.bits <= self.high
    }
}

fn looks_like_ipv4(text: &str) -> bool {
    let mut groups = 0;
    for group in text.split('.') {
        if group.is_empty() || !group.bytes().all(|byte| byte.is_ascii_digit()) {
            return false;
        }
        groups += 1;
    }
    groups == 4
}

fn looks_like_ipv6(text: &str) -> bool {
    text.contains(':')
        && text
            .bytes()
            .all(|byte| byte == b':' || byte.is_ascii_hexdigit())
}

/// How a string fared as an IP address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IpParse {
    /// Not shaped like an address at all.
    NotAddressShaped,
    /// Shaped like one, but not a valid address.
    Invalid,
    Address(IpAddress),
}

fn parse_ip(text: &str) -> IpParse {
    if looks_like_ipv4(text) {
        return match text.parse::<Ipv4Addr>() {
            Ok(address) => IpParse::Address(IpAddress {
                v6: false,
                bits: u128::from(u32::from(address)),
            }),
            Err(_) => IpParse::Invalid,
        };
    }
    if looks_like_ipv6(text) {
        return match text.parse::<Ipv6Addr>() {
            Ok(address) => match address.to_ipv4_mapped() {
                Some(v4) => IpParse::Address(IpAddress {
                    v6: false,
                    bits: u128::from(u32::from(v4)),
                }),
                None => IpParse::Address(IpAddress {
                    v6: true,
                    bits: u128::from(address),
                }),
            },
            Err(_) => IpParse::Invalid,
        };
    }
    IpParse::NotAddressShaped
}

/// Returns the address `text` spells, if it is an IP address literal.
///
/// Used for pattern literals (`"10.0.0.1"` matches any spelling of that address) and for
/// event values compared against them or against `cidr` blocks.
pub(crate) fn parse_ip_literal(text: &str) -> Option<IpAddress> {
    // Cheap rejection first: this runs on event values.
    let first = *text.as_bytes().first()?;
    if text.len() > 39 || !(first.is_ascii_hexdigit() || first == b':') {
        return None;
    }
    match parse_ip(text) {
        IpParse::Address(address) => Some(address),
        IpParse::NotAddressShaped | IpParse::Invalid => None,
    }
}

/// Parses a `cidr` operand, with the reference's messages for each kind of mistake.
///
/// As in the reference, the block runs from the address as written (host bits are not
/// cleared) to that address with every host bit set, and the mask must be below 32 (IPv4)
/// or 128 (IPv6).
pub(crate) fn parse_cidr(text: &str) -> Result<IpRange, String> {
    // Java's `split("/")` drops trailing empty strings.
    let mut parts: Vec<&str> = text.split('/').collect();
    while parts.last() == Some(&"") {
        parts.pop();
    }
    let [address_text, mask_text] = parts.as_slice() else {
        return Err("Malformed CIDR, one '/' required".to_owned());
    };
    let Ok(mask_bits) = mask_text.parse::<i32>() else {
        return Err("Malformed CIDR, mask bits must be an integer".to_owned());
    };
    let Ok(mask_bits) = u32::try_from(mask_bits) else {
        return Err("Malformed CIDR, mask bits must not be negative".to_owned());
    };
    let address = match parse_ip(address_text) {
        IpParse::Address(address) => address,
        IpParse::Invalid => return Err(format!("Invalid IP address: {address_text}")),
        IpParse::NotAddressShaped => return Err(format!("Nonstandard IP address: {address_text}")),
    };
    let width = if address.v6 { 128 } else { 32 };
    if mask_bits >= width {
        return Err(if address.v6 {
            "IPv6 mask bits must be < 128".to_owned()
        } else {
            "IPv4 mask bits must be < 32".to_owned()
        });
    }
    let host_bits = width - mask_bits;
    let host_mask = if host_bits >= 128 {
        u128::MAX
    } else {
        (1u128 << host_bits) - 1
    };
    Ok(IpRange {
        v6: address.v6,
        low: address.bits,
        high: address.bits | host_mask,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literals_normalise_spelling() {
        let long = parse_ip_literal("2001:0db8:0000:0000:0000:0000:0000:0001").unwrap();
        assert_eq!(parse_ip_literal("2001:DB8::1"), Some(long));
        assert_eq!(
            parse_ip_literal("::ffff:a00:1"),
            parse_ip_literal("10.0.0.1")
        );
        assert_eq!(parse_ip_literal("10.0.0.256"), None);
        assert_eq!(parse_ip_literal("010.0.0.1"), None);
        assert_eq!(parse_ip_literal("dead:beef"), None);
        assert_eq!(parse_ip_literal("not an address"), None);
        assert_eq!(parse_ip_literal(""), None);
    }

    #[test]
    fn cidr_messages_follow_the_reference() {
        let message = |text: &str| parse_cidr(text).unwrap_err();
        assert_eq!(message("10.0.0.0"), "Malformed CIDR, one '/' required");
        assert_eq!(message("10.0.0.0/"), "Malformed CIDR, one '/' required");
        assert_eq!(message("1/2/3"), "Malformed CIDR, one '/' required");
        assert_eq!(
            message("bad-/64filter"),
            "Malformed CIDR, mask bits must be an integer"
        );
        assert_eq!(
            message("10.0.0.0/-1"),
            "Malformed CIDR, mask bits must not be negative"
        );
        assert_eq!(
            message("xxxx:db8:1234:1a00::/64"),
            "Nonstandard IP address: xxxx:db8:1234:1a00::"
        );
        assert_eq!(message("999.0.0.0/8"), "Invalid IP address: 999.0.0.0");
        assert_eq!(message("10.0.0.0/32"), "IPv4 mask bits must be < 32");
        assert_eq!(message("::/128"), "IPv6 mask bits must be < 128");
    }

    #[test]
    fn cidr_blocks_contain_their_addresses() {
        let block = parse_cidr("10.0.0.0/24").unwrap();
        let inside = parse_ip_literal("10.0.0.255").unwrap();
        let outside = parse_ip_literal("10.0.1.0").unwrap();
        assert!(block.contains(inside));
        assert!(!block.contains(outside));
        let everything = parse_cidr("0.0.0.0/0").unwrap();
        assert!(everything.contains(outside));
        let v6 = parse_cidr("2001:db8:1234:1a00::/64").unwrap();
        assert!(v6.contains(parse_ip_literal("2001:db8:1234:1a00::ffff").unwrap()));
        assert!(!v6.contains(inside));
        // The reference does not clear host bits of the written address.
        let shifted = parse_cidr("10.0.0.5/24").unwrap();
        assert!(!shifted.contains(parse_ip_literal("10.0.0.4").unwrap()));
    }
}
