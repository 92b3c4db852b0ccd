//! ADM-2, ADM-3, CON-3, OAA-2: a date as an `<input type="date">` posts it, and the day of a
//! stored time.
#![no_main]

use app::domain::admin_contact::Day;
use app::domain::online_access::order_date_window;
use libfuzzer_sys::{arbitrary, fuzz_target};

/// Stored times are all made from a `Day` (`start_ms`, `end_ms`) or the clock, so they lie
/// within the calendar's years (-9999 to 9999); this covers 8000 years either side of 1970.
const STORED_RANGE_MS: i64 = 8_000 * 365 * 24 * 60 * 60 * 1000;

#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    raw: String,
    ms: i64,
}

fuzz_target!(|input: Input| {
    if let Ok(day) = Day::parse(&input.raw) {
        assert_eq!(Day::parse(&day.iso()), Ok(day));
        assert_eq!(Day::of_ms(day.start_ms()), day);
        assert_eq!(Day::of_ms(day.end_ms()), day);
        let (from, to) = order_date_window(day);
        assert!(from < day.start_ms() && day.end_ms() < to);
    }
    let ms = input.ms % STORED_RANGE_MS;
    let day = Day::of_ms(ms);
    assert!(day.start_ms() <= ms && ms <= day.end_ms());
});
