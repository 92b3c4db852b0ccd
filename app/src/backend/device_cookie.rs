//! SEC-4 targeted-lockout defence (OWASP "device cookie"): a browser that has signed in as a
//! user carries a signed (lower-cased username, random nonce) pair, which lets it past that
//! username's lock with a failure budget of its own. Signed with HMAC-SHA256 (the `cookie`
//! crate's signed jar) under a key generated once and shared by all instances via the database.

use cookie::{Cookie, CookieJar, Key, SameSite};
use sqlx::AnyConnection;

use crate::backend::error::StoreError;
use crate::backend::store::server_secrets;

pub const NAME: &str = "gatehouse_device";
/// How long a browser stays trusted after its last successful sign-in.
pub const MAX_AGE_DAYS: i64 = 180;
/// Failures a trusted browser may make before it is distrusted for a lock period.
pub const FAILURE_BUDGET: i64 = 5;
const KEY_NAME: &str = "device_cookie_key";

/// A genuine device cookie's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub lower_username: String,
    /// Random, 128 bits as hex: the key of the device's failure counter.
    pub nonce: String,
}

impl Device {
    pub fn new(lower_username: &str) -> Self {
        Self { lower_username: lower_username.to_owned(), nonce: format!("{:032x}", rand::random::<u128>()) }
    }
}

/// The signing key shared by every instance (created by the first one that needs it).
pub struct DeviceKey(Key);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(***)")
    }
}

impl DeviceKey {
    pub async fn load(conn: &mut AnyConnection, now_ms: i64) -> Result<Self, StoreError> {
        let generate = || to_hex(Key::generate().master());
        let stored = server_secrets::get_or_create(conn, KEY_NAME, generate, now_ms).await?;
        let bytes = from_hex(&stored).ok_or_else(|| StoreError::corrupt("secret", KEY_NAME))?;
        Key::try_from(bytes.as_slice()).map(Self).map_err(|_| StoreError::corrupt("secret", KEY_NAME))
    }

    /// The genuine device cookie for `lower_username` in a request's `Cookie` header, if any.
    /// A forged or altered cookie, or one issued for another username, is no cookie at all.
    pub fn read(&self, cookie_header: &str, lower_username: &str) -> Option<Device> {
        let jar = CookieJar::new();
        let signed = jar.signed(&self.0);
        Cookie::split_parse(cookie_header.to_owned())
            .filter_map(Result::ok)
            .filter(|c| c.name() == NAME)
            .filter_map(|c| signed.verify(c.into_owned()))
            .find_map(|c| {
                let (nonce, username) = c.value().split_once(':')?;
                (username == lower_username && !nonce.is_empty())
                    .then(|| Device { lower_username: username.to_owned(), nonce: nonce.to_owned() })
            })
    }

    /// The `Set-Cookie` value that makes this browser a trusted device for 180 days: HttpOnly,
    /// SameSite=Lax, and Secure when the site is served over https.
    pub fn issue(&self, device: &Device, secure: bool) -> String {
        let mut jar = CookieJar::new();
        let cookie = Cookie::build((NAME, format!("{}:{}", device.nonce, device.lower_username)))
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .path("/")
            .max_age(cookie::time::Duration::days(MAX_AGE_DAYS));
        jar.signed_mut(&self.0).add(cookie);
        jar.get(NAME).map(ToString::to_string).unwrap_or_default()
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DeviceKey {
        DeviceKey(Key::generate())
    }

    fn request_header(set_cookie: &str) -> String {
        set_cookie.split(';').next().unwrap_or_default().to_owned()
    }

    // covers: SEC-4
    #[test]
    fn an_issued_cookie_reads_back_only_for_its_username_and_key() {
        let key = key();
        let device = Device::new("ann.lee");
        let set_cookie = key.issue(&device, false);
        let header = format!("other=1; {}", request_header(&set_cookie));
        assert_eq!(key.read(&header, "ann.lee"), Some(device));
        assert_eq!(key.read(&header, "bob.ray"), None, "another username");
        assert_eq!(super::DeviceKey(Key::generate()).read(&header, "ann.lee"), None, "another key");
        let tampered = header.replace("ann.lee", "ann.lea");
        assert_eq!(key.read(&tampered, "ann.lea"), None, "an altered value");
    }

    // covers: SEC-4, SEC-2
    #[test]
    fn the_cookie_is_http_only_lax_and_secure_over_https() {
        let key = key();
        let device = Device::new("ann.lee");
        let plain = key.issue(&device, false);
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=15552000"] {
            assert!(plain.contains(attribute), "{attribute} in {plain}");
        }
        assert!(!plain.contains("Secure"));
        assert!(key.issue(&device, true).contains("Secure"));
    }

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        assert_eq!(from_hex(&to_hex(&[0, 15, 255])), Some(vec![0, 15, 255]));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
