//! Number formatting in the style of .NET's invariant `ToString()`.
//!
//! .NET 8 and later format a double as its shortest round-trip digits, laid out by the general
//! ("G") rules. Write the value as `d.ddd × 10^e`. The text is in plain notation unless
//! `e + 1 > max(digit count, 17)` or `e + 1 < -3`. Then it is `d.dddE+XX`, with a signed
//! exponent of at least two digits. A single uses 9 in place of 17. Examples: `0`, `1.5`,
//! `0.0001`, `1E-05`, `1E-07`, `10000000000000000` (1e16) and `1E+21`.
//!
//! Source: `FormatFloat` and `FormatGeneral` in `Number.Formatting.cs` of the dotnet/runtime
//! repository. NOTE: .NET Core 3.0 to 7 used 15 in place of 17, so those runtimes write whole
//! numbers from 1e15 to 1e17 in exponent form. Both forms read back to the same value.

use std::fmt::Write as _;

use crate::error::Error;

/// Appends the decimal text of `value`.
#[inline]
pub(crate) fn write_u64(out: &mut String, mut value: u64) {
    let mut buf = [0u8; 20];
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    push_ascii(out, &buf[start..]);
}

/// Appends the decimal text of `value`.
#[inline]
pub(crate) fn write_i64(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    write_u64(out, value.unsigned_abs());
}

/// Appends the text of a finite `f64`, or returns an error for NaN and the infinities.
pub(crate) fn write_f64(out: &mut String, value: f64) -> Result<(), Error> {
    if !value.is_finite() {
        return Err(non_finite_error(value));
    }
    // Whole numbers below 2^53 are exact integers whose shortest digits are the integer itself,
    // and they never reach the exponent form, so the integer writer gives the same text faster.
    const EXACT_LIMIT: f64 = 9_007_199_254_740_992.0;
    if value.fract() == 0.0 && value.abs() < EXACT_LIMIT {
        if value == 0.0 && value.is_sign_negative() {
            out.push_str("-0");
        } else {
            write_i64(out, value as i64);
        }
        return Ok(());
    }
    if write_short_decimal(out, value) {
        return Ok(());
    }
    let mut buf = AsciiBuffer::new();
    // `{:e}` prints the shortest digits that read back to the same value.
    let _ = write!(buf, "{value:e}");
    write_general(out, buf.as_bytes(), 17);
    Ok(())
}

/// Writes `value` when it reads back exactly from a decimal with at most 8 fraction digits
/// (`1.25`, `0.8125`, `99.99`), which is much faster than `{:e}`. Returns false, writing
/// nothing, for any other value.
///
/// The first fraction length `k` for which `round(value * 10^k) / 10^k == value` gives the
/// shortest round-trip digits. Both operands of that division are exact, so it rounds like
/// parsing the decimal text. The mantissa bound keeps the gap between neighbouring doubles
/// below half of `10^-k`, so no other `k`-digit decimal reads back as `value` and the result
/// is the digits that `{:e}` would give. The `0.001` floor keeps the value out of .NET's
/// exponent form.
fn write_short_decimal(out: &mut String, value: f64) -> bool {
    const POWERS: [f64; 9] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
    const MANTISSA_LIMIT: f64 = (1u64 << 50) as f64;
    let magnitude = value.abs();
    if !(0.001..1e14).contains(&magnitude) {
        return false;
    }
    for (k, &power) in POWERS.iter().enumerate().skip(1) {
        let scaled = (magnitude * power).round();
        if scaled >= MANTISSA_LIMIT {
            return false;
        }
        if scaled / power == magnitude {
            let mantissa = scaled as u64;
            let unit = power as u64;
            if value < 0.0 {
                out.push('-');
            }
            write_u64(out, mantissa / unit);
            out.push('.');
            let fraction = mantissa % unit;
            let mut digits = [b'0'; 8];
            let mut rest = fraction;
            for slot in digits[..k].iter_mut().rev() {
                *slot = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
            push_ascii(out, &digits[..k]);
            return true;
        }
    }
    false
}

/// Appends the text of a finite `f32`, or returns an error for NaN and the infinities.
pub(crate) fn write_f32(out: &mut String, value: f32) -> Result<(), Error> {
    if !value.is_finite() {
        return Err(non_finite_error(f64::from(value)));
    }
    // Whole numbers below 2^24 are exact integers, as for f64 above.
    const EXACT_LIMIT: f32 = 16_777_216.0;
    if value.fract() == 0.0 && value.abs() < EXACT_LIMIT {
        if value == 0.0 && value.is_sign_negative() {
            out.push_str("-0");
        } else {
            write_i64(out, value as i64);
        }
        return Ok(());
    }
    let mut buf = AsciiBuffer::new();
    let _ = write!(buf, "{value:e}");
    write_general(out, buf.as_bytes(), 9);
    Ok(())
}

fn non_finite_error(value: f64) -> Error {
    Error::new(format!(
        "cannot write {value} as JSV: NaN and infinities have no JSV form"
    ))
}

/// Lays out Rust's `{:e}` text (`-1.2345e-7`) by the .NET general rules described in the module
/// documentation. `round_trip_digits` is 17 for f64 and 9 for f32.
fn write_general(out: &mut String, scientific: &[u8], round_trip_digits: usize) {
    let (negative, rest) = match scientific.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, scientific),
    };
    let e_at = rest.iter().position(|&b| b == b'e').unwrap_or(rest.len());
    let (mantissa, exponent_text) = rest.split_at(e_at);
    let exponent: i32 = std::str::from_utf8(exponent_text.get(1..).unwrap_or_default())
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(0);

    let mut digits = [0u8; 40];
    let mut digit_count = 0;
    for &b in mantissa.iter().filter(|b| b.is_ascii_digit()) {
        if digit_count < digits.len() {
            digits[digit_count] = b;
            digit_count += 1;
        }
    }
    let digits = &digits[..digit_count];
    if digits.is_empty() {
        // Not reached for finite input, whose `{:e}` text always has a digit.
        out.push('0');
        return;
    }

    if negative {
        out.push('-');
    }
    // `scale` is the position of the decimal point relative to the first digit.
    let scale = exponent + 1;
    let max_plain = digit_count.max(round_trip_digits) as i32;
    if scale > max_plain || scale < -3 {
        push_ascii(out, &digits[..1]);
        if digit_count > 1 {
            out.push('.');
            push_ascii(out, &digits[1..]);
        }
        out.push('E');
        out.push(if exponent < 0 { '-' } else { '+' });
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            out.push('0');
        }
        write_u64(out, u64::from(magnitude));
    } else if scale > 0 {
        let whole = (scale as usize).min(digit_count);
        push_ascii(out, &digits[..whole]);
        for _ in digit_count..scale as usize {
            out.push('0');
        }
        if whole < digit_count {
            out.push('.');
            push_ascii(out, &digits[whole..]);
        }
    } else {
        out.push_str("0.");
        for _ in scale..0 {
            out.push('0');
        }
        push_ascii(out, digits);
    }
}

#[inline]
fn push_ascii(out: &mut String, ascii: &[u8]) {
    out.extend(ascii.iter().map(|&byte| char::from(byte)));
}

/// A fixed-size `fmt::Write` target for the short texts of float formatting.
struct AsciiBuffer {
    bytes: [u8; 48],
    len: usize,
}

impl AsciiBuffer {
    fn new() -> Self {
        AsciiBuffer {
            bytes: [0; 48],
            len: 0,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl std::fmt::Write for AsciiBuffer {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let target = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        target.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64_text(value: f64) -> String {
        let mut out = String::new();
        write_f64(&mut out, value).unwrap();
        out
    }

    fn f32_text(value: f32) -> String {
        let mut out = String::new();
        write_f32(&mut out, value).unwrap();
        out
    }

    #[test]
    fn f64_layout_table() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (-60.0, "-60"),
            (1.5, "1.5"),
            (-1.5, "-1.5"),
            (0.1, "0.1"),
            (0.0001, "0.0001"),
            (0.00001, "1E-05"),
            (1e-7, "1E-07"),
            (1.25e-7, "1.25E-07"),
            (123.456, "123.456"),
            (1e15, "1000000000000000"),
            (1e16, "10000000000000000"),
            (1e17, "1E+17"),
            (1e21, "1E+21"),
            (1.5e300, "1.5E+300"),
            (123456789012345680000.0, "1.2345678901234568E+20"),
            (9007199254740993.0, "9007199254740992"),
            (12345678901234567.0, "12345678901234568"),
            (f64::MAX, "1.7976931348623157E+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014E-308"),
            (5e-324, "5E-324"),
        ];
        for &(value, expected) in cases {
            assert_eq!(f64_text(value), expected, "formatting {value:e}");
        }
    }

    #[test]
    fn f32_layout_table() {
        let cases: &[(f32, &str)] = &[
            (0.0, "0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (1e-5, "1E-05"),
            (16777216.0, "16777216"),
            (1e9, "1E+09"),
            (3.4028235e38, "3.4028235E+38"),
        ];
        for &(value, expected) in cases {
            assert_eq!(f32_text(value), expected, "formatting {value:e}");
        }
    }

    #[test]
    fn f64_text_round_trips() {
        let values = [
            0.1,
            0.2,
            0.3,
            1.0 / 3.0,
            2.5e-5,
            6.02214076e23,
            1e-300,
            4.35,
            1e22,
            1e23,
        ];
        for value in values {
            let text = f64_text(value);
            assert_eq!(text.parse::<f64>().unwrap(), value, "text {text}");
        }
    }

    /// Formats through the `{:e}` path only, as the reference for the fast paths.
    fn general_text(value: f64) -> String {
        let mut buf = AsciiBuffer::new();
        let _ = write!(buf, "{value:e}");
        let mut out = String::new();
        write_general(&mut out, buf.as_bytes(), 17);
        out
    }

    #[test]
    fn short_decimal_matches_general_path() {
        // A deterministic spread of short decimals and of values with long expansions.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200_000 {
            let raw = next();
            let places = (raw % 9) as i32;
            let mantissa = (next() % 10_000_000_000) as f64;
            let sign = if raw & 1 == 0 { 1.0 } else { -1.0 };
            for value in [
                sign * mantissa / 10f64.powi(places),
                sign * f64::from_bits(next() >> 2),
                sign * (next() % 1_000_000) as f64 / 3.0,
            ] {
                if !value.is_finite() || value.fract() == 0.0 {
                    continue;
                }
                assert_eq!(f64_text(value), general_text(value), "formatting {value:e}");
            }
        }
    }

    #[test]
    fn non_finite_rejected() {
        let mut out = String::new();
        assert!(write_f64(&mut out, f64::NAN).is_err());
        assert!(write_f64(&mut out, f64::INFINITY).is_err());
        assert!(write_f32(&mut out, f32::NEG_INFINITY).is_err());
        assert!(out.is_empty());
    }

    #[test]
    fn integers_written_in_decimal() {
        let mut out = String::new();
        write_i64(&mut out, i64::MIN);
        out.push(' ');
        write_u64(&mut out, u64::MAX);
        out.push(' ');
        write_i64(&mut out, 0);
        assert_eq!(out, "-9223372036854775808 18446744073709551615 0");
    }
}
