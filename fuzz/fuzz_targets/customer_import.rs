//! CON-7 (OAA-6): the customer import file, any bytes.
#![no_main]

use app::domain::customer_import::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let parsed = parse(bytes);
    // Bad rows are reported by line, in file order; every row read has its key.
    assert!(parsed.bad_rows.windows(2).all(|w| w[0].line <= w[1].line));
    for (kind, external_id) in parsed.rows.keys() {
        assert!(!external_id.is_empty(), "a {kind} row without an external id");
    }
});
