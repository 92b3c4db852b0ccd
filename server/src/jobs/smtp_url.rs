//! `GATEHOUSE_SMTP_URL`: where the outbox dispatcher sends mail and how the connection is
//! protected (plain, STARTTLS required or opportunistic, implicit TLS).

use anyhow::Context as _;

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://…` (or `?tls=none`): plain SMTP, for a relay on the same host or network.
    Plain,
    /// `smtp://…?tls=required`: STARTTLS, and no mail is sent if the server does not offer it.
    StartTlsRequired,
    /// `smtp://…?tls=opportunistic`: STARTTLS when offered, plain otherwise.
    StartTlsOpportunistic,
    /// `smtps://…`: TLS from the first byte (implicit TLS, usually port 465).
    ImplicitTls,
}

impl std::fmt::Display for SmtpSecurity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Plain => "plain",
            Self::StartTlsRequired => "STARTTLS required",
            Self::StartTlsOpportunistic => "STARTTLS when offered",
            Self::ImplicitTls => "implicit TLS",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpEndpoint {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
}

/// Reads `smtp://host[:port][/][?tls=required|opportunistic|none]` (port 25 by default) or
/// `smtps://host[:port][/]` (port 465). Credentials are refused: a URL ends up in process
/// listings and logs (SEC-7).
pub fn parse_smtp_url(url: &str) -> anyhow::Result<SmtpEndpoint> {
    const FORM: &str =
        "GATEHOUSE_SMTP_URL must look like smtp://host:port[?tls=required|opportunistic] or smtps://host:port";
    let (rest, implicit) = match (url.strip_prefix("smtp://"), url.strip_prefix("smtps://")) {
        (Some(rest), _) => (rest, false),
        (_, Some(rest)) => (rest, true),
        _ => anyhow::bail!(FORM),
    };
    let (authority, query) = rest.split_once('?').map_or((rest, None), |(a, q)| (a, Some(q)));
    let authority = authority.trim_end_matches('/');
    anyhow::ensure!(!authority.contains('@'), "GATEHOUSE_SMTP_URL must not contain credentials");
    anyhow::ensure!(!authority.contains(['/', '?', '#']), FORM);
    let security = match (implicit, query) {
        (true, None) => SmtpSecurity::ImplicitTls,
        (true, Some(_)) => anyhow::bail!("GATEHOUSE_SMTP_URL: smtps:// takes no parameters (it is always TLS)"),
        (false, None | Some("tls=none")) => SmtpSecurity::Plain,
        (false, Some("tls=required")) => SmtpSecurity::StartTlsRequired,
        (false, Some("tls=opportunistic")) => SmtpSecurity::StartTlsOpportunistic,
        (false, Some(other)) => anyhow::bail!("GATEHOUSE_SMTP_URL: unknown parameter {other:?}; {FORM}"),
    };
    let default_port = if implicit { 465 } else { 25 };
    let (host, port) = match authority.rsplit_once(':') {
        // An IPv6 address without a port ends in `]`, not in a port number.
        Some((host, port)) if !port.ends_with(']') => {
            (host, port.parse::<u16>().with_context(|| format!("bad SMTP port {port:?}"))?)
        }
        _ => (authority, default_port),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    anyhow::ensure!(!host.is_empty(), "GATEHOUSE_SMTP_URL has no host");
    Ok(SmtpEndpoint { host: host.to_owned(), port, security })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(host: &str, port: u16, security: SmtpSecurity) -> SmtpEndpoint {
        SmtpEndpoint { host: host.to_owned(), port, security }
    }

    #[test]
    fn smtp_urls_are_plain_host_and_port() {
        use SmtpSecurity::Plain;
        assert_eq!(parse_smtp_url("smtp://127.0.0.1:1025").unwrap(), endpoint("127.0.0.1", 1025, Plain));
        assert_eq!(parse_smtp_url("smtp://mail.example/").unwrap(), endpoint("mail.example", 25, Plain));
        assert_eq!(parse_smtp_url("smtp://[::1]:2525").unwrap(), endpoint("::1", 2525, Plain));
        assert_eq!(parse_smtp_url("smtp://mail.example:25?tls=none").unwrap(), endpoint("mail.example", 25, Plain));
        assert!(parse_smtp_url("smtp://user:secret@mail.example:25").is_err());
        assert!(parse_smtp_url("smtps://user:secret@mail.example").is_err());
        assert!(parse_smtp_url("smtp://mail.example:port").is_err());
        assert!(parse_smtp_url("http://mail.example").is_err());
    }

    // covers: SEC-7
    #[test]
    fn smtp_urls_may_ask_for_starttls_or_implicit_tls() {
        use SmtpSecurity::*;
        let parsed = |url: &str| parse_smtp_url(url).unwrap();
        assert_eq!(parsed("smtp://mail.example:587?tls=required"), endpoint("mail.example", 587, StartTlsRequired));
        assert_eq!(
            parsed("smtp://mail.example/?tls=opportunistic"),
            endpoint("mail.example", 25, StartTlsOpportunistic)
        );
        assert_eq!(parsed("smtps://mail.example"), endpoint("mail.example", 465, ImplicitTls));
        assert_eq!(parsed("smtps://[2001:db8::25]:4650/"), endpoint("2001:db8::25", 4650, ImplicitTls));
        assert!(parse_smtp_url("smtp://mail.example:587?tls=maybe").is_err());
        assert!(parse_smtp_url("smtps://mail.example?tls=required").is_err());
    }
}
