//! Domain rules: ids, timestamps, callers, input validation and integration settings.

pub mod caller;
pub mod ids;
pub mod settings;
pub mod validate;

/// The deepest a customer tree may be, in levels. Deeper trees are rejected, so every
/// breadcrumb is complete.
pub const MAX_CUSTOMER_DEPTH: usize = 100;

/// The current time as RFC 3339 UTC with milliseconds, such as `2026-12-04T19:09:24.123Z`.
pub fn now_rfc3339() -> String {
    format_rfc3339(time::OffsetDateTime::now_utc())
}

/// Formats `moment` as RFC 3339 UTC with milliseconds.
pub fn format_rfc3339(moment: time::OffsetDateTime) -> String {
    let utc = moment.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn rfc3339_has_milliseconds_and_z() {
        let moment = datetime!(2026-12-04 19:09:24.1234 +02:00);
        assert_eq!(format_rfc3339(moment), "2026-12-04T17:09:24.123Z");
    }
}
