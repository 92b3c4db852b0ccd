//! REG-3: the `ref` parameter names where a user lands after registering or signing in. Only
//! same-origin relative paths are accepted, so it cannot become an open redirect.

/// Returns `raw` when it is a same-origin relative path (`/x`), otherwise `/`.
pub fn safe_ref(raw: &str) -> String {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/\\")
        && raw.len() <= 2000
        && !raw.chars().any(|c| c.is_control() || c == '\\' || c.is_whitespace());
    if ok {
        raw.to_owned()
    } else {
        "/".to_owned()
    }
}

/// `path` with `?ref=` carrying the landing page (REG-3), when it is not just `/`.
pub fn with_ref(path: &str, ref_: Option<&str>) -> String {
    match ref_.map(safe_ref) {
        Some(landing) if landing != "/" => {
            let query = serde_html_form::to_string([("ref", landing.as_str())]).unwrap_or_default();
            format!("{path}?{query}")
        }
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_ref;
    use proptest::prelude::*;

    // covers: REG-3
    #[test]
    fn a_landing_page_rides_along_as_an_encoded_ref() {
        use super::with_ref;
        assert_eq!(with_ref("/login", Some("/admin/approvals?page=2")), "/login?ref=%2Fadmin%2Fapprovals%3Fpage%3D2");
        assert_eq!(with_ref("/login", Some("/")), "/login");
        assert_eq!(with_ref("/login", Some("https://evil.example")), "/login");
        assert_eq!(with_ref("/login", None), "/login");
    }

    // covers: REG-3
    #[test]
    fn only_same_origin_relative_paths_are_kept() {
        assert_eq!(safe_ref("/account?tab=1"), "/account?tab=1");
        assert_eq!(safe_ref("/"), "/");
        for bad in [
            "//evil.example",
            "https://evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "evil",
            "/a\nb",
            "/\tx",
        ] {
            assert_eq!(safe_ref(bad), "/", "{bad:?}");
        }
    }

    proptest! {
        // covers: REG-3
        #[test]
        fn the_result_is_always_a_relative_path_that_is_not_protocol_relative(raw in ".{0,64}") {
            let out = safe_ref(&raw);
            prop_assert!(out.starts_with('/'));
            prop_assert!(!out.starts_with("//"));
            prop_assert!(!out.contains('\\'));
        }
    }
}
