//! The client address (SEC-4 limits): the TCP peer, or — only when the peer is a trusted
//! proxy (`GATEHOUSE_TRUSTED_PROXIES`) — the nearest untrusted hop of `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;

use app::api::ssr::ClientIp;

#[derive(Clone, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpAddr>>);

/// One hop of `X-Forwarded-For`: an address, or an address with a port (some proxies add it).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip())).map(|ip| ip.to_canonical())
}

/// The client address of a request from `peer` carrying the `X-Forwarded-For` header lines
/// `forwarded_for` (several lines are one list, in order).
///
/// Only a trusted proxy's header is believed. Walking from the nearest hop back, trusted
/// proxies are skipped and the first other hop is the client. A hop that is not an address
/// is never skipped — that would let the client name any bucket it likes behind it — so the
/// request counts as coming from the nearest trusted proxy, the one that forwarded the
/// garbage: a spoofer then shares that proxy's bucket and gains nothing.
pub fn resolve<'a>(peer: IpAddr, forwarded_for: impl IntoIterator<Item = &'a str>, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|t| t.to_canonical() == *ip);
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.into_iter().flat_map(|line| line.split(',')).collect();
    let mut nearest_trusted = peer;
    for hop in hops.into_iter().rev() {
        match parse_hop(hop) {
            Some(ip) if is_trusted(&ip) => nearest_trusted = ip,
            Some(ip) => return ip,
            None => return nearest_trusted,
        }
    }
    nearest_trusted
}

pub async fn assign(mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let trusted = request.extensions().get::<TrustedProxies>().cloned().unwrap_or_default();
    // Every header line, in order; bytes that are not text become garbage hops, not skipped ones.
    let lines: Vec<String> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    let ip = resolve(peer, lines.iter().map(String::as_str), &trusted.0);
    request.extensions_mut().insert(ClientIp(ip));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::resolve;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    // covers: SEC-4
    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy = ip("10.0.0.1");
        assert_eq!(resolve(ip("203.0.113.9"), ["1.2.3.4"], &[proxy]), ip("203.0.113.9"));
        assert_eq!(resolve(proxy, ["1.2.3.4"], &[proxy]), ip("1.2.3.4"));
        // A client cannot spoof by prepending: the last untrusted hop counts.
        assert_eq!(resolve(proxy, ["6.6.6.6, 1.2.3.4"], &[proxy]), ip("1.2.3.4"));
        assert_eq!(resolve(proxy, [], &[proxy]), proxy);
    }

    // covers: SEC-4
    #[test]
    fn every_header_line_is_read_and_the_nearest_hop_comes_last() {
        let (inner, outer) = (ip("10.0.0.1"), ip("10.0.0.2"));
        let trusted = [inner, outer];
        assert_eq!(resolve(inner, ["6.6.6.6", "1.2.3.4"], &trusted), ip("1.2.3.4"));
        assert_eq!(resolve(inner, ["6.6.6.6, 1.2.3.4", "10.0.0.2"], &trusted), ip("1.2.3.4"));
        assert_eq!(resolve(inner, ["1.2.3.4:5678"], &trusted), ip("1.2.3.4"));
        assert_eq!(resolve(inner, ["[2001:db8::7]:443"], &trusted), ip("2001:db8::7"));
        assert_eq!(resolve(ip("::ffff:10.0.0.1"), ["::ffff:1.2.3.4"], &trusted), ip("1.2.3.4"));
    }

    // covers: SEC-4
    #[test]
    fn a_hop_that_is_not_an_address_counts_as_the_proxy_that_forwarded_it() {
        let (inner, outer) = (ip("10.0.0.1"), ip("10.0.0.2"));
        let trusted = [inner, outer];
        // The old walk skipped garbage and believed whatever the client wrote before it.
        assert_eq!(resolve(inner, ["198.51.100.99, not-an-address"], &trusted), inner);
        assert_eq!(resolve(inner, ["198.51.100.99, garbage, 10.0.0.2"], &trusted), outer);
        assert_eq!(resolve(inner, ["198.51.100.99", ""], &trusted), inner);
        assert_eq!(resolve(inner, ["198.51.100.99,"], &trusted), inner);
        assert_eq!(resolve(inner, ["garbage, 203.0.113.5"], &trusted), ip("203.0.113.5"));
        // An untrusted peer's header is never read.
        assert_eq!(resolve(ip("203.0.113.9"), ["garbage"], &trusted), ip("203.0.113.9"));
    }
}
