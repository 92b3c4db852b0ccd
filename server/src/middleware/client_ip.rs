//! The client address (SEC-4 limits): the TCP peer, or — only when the peer is a trusted
//! proxy (`GATEHOUSE_TRUSTED_PROXIES`) — the last untrusted hop of `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;

use app::api::ssr::ClientIp;

#[derive(Clone, Default)]
pub struct TrustedProxies(pub Arc<Vec<IpAddr>>);

pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    // Walk from the nearest hop back; the first address that is not a trusted proxy is the client.
    forwarded_for
        .unwrap_or("")
        .split(',')
        .rev()
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

pub async fn assign(mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let trusted = request.extensions().get::<TrustedProxies>().cloned().unwrap_or_default();
    let forwarded = request.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let ip = resolve(peer, forwarded, &trusted.0);
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
        assert_eq!(resolve(ip("203.0.113.9"), Some("1.2.3.4"), &[proxy]), ip("203.0.113.9"));
        assert_eq!(resolve(proxy, Some("1.2.3.4"), &[proxy]), ip("1.2.3.4"));
        // A client cannot spoof by prepending: the last untrusted hop counts.
        assert_eq!(resolve(proxy, Some("6.6.6.6, 1.2.3.4"), &[proxy]), ip("1.2.3.4"));
        assert_eq!(resolve(proxy, None, &[proxy]), proxy);
    }
}
