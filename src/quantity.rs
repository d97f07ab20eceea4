//! Resource quantities (`250m`, `1.5Gi`, `2e3`), parsed the way apimachinery's
//! `resource.ParseQuantity` accepts them, into a value that compares exactly.

/// The parse-time message of apimachinery for a malformed quantity.
pub(crate) const FORMAT_MSG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// A quantity as a count of nano-units (10⁻⁹), saturating at the i128 range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Quantity(i128);

impl Quantity {
    /// Nothing.
    pub(crate) const ZERO: Quantity = Quantity(0);

    /// The quantity in whole units, rounded up as apimachinery's `Value` rounds.
    pub(crate) fn whole_units(self) -> i128 {
        const NANO: i128 = 1_000_000_000;
        self.0.div_euclid(NANO) + i128::from(self.0.rem_euclid(NANO) != 0)
    }

    /// Whether the quantity is below zero.
    pub(crate) fn is_negative(self) -> bool {
        self.0 < 0
    }
}

/// A quantity a container may request: well-formed and not negative, or the API's message.
pub(crate) fn non_negative(text: &str) -> Result<Quantity, String> {
    match parse(text) {
        None => Err(FORMAT_MSG.into()),
        Some(quantity) if quantity.is_negative() => {
            Err("must be greater than or equal to 0".into())
        }
        Some(quantity) => Ok(quantity),
    }
}

/// Parses a quantity, or returns `None` when apimachinery would refuse it.
pub(crate) fn parse(text: &str) -> Option<Quantity> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let number_end = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
        return None;
    }
    // value = digits × 10^(exponent) × 2^(binary), in nano-units.
    let (decimal_exponent, binary_exponent) = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        other => {
            let exponent = other.strip_prefix(['e', 'E'])?;
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            (exponent.parse::<i32>().ok()?.clamp(-100, 100), 0)
        }
    };
    let mut value: i128 = 0;
    for digit in whole.bytes().chain(fraction.bytes()) {
        value = value
            .saturating_mul(10)
            .saturating_add(i128::from(digit - b'0'));
    }
    let fraction_len = i32::try_from(fraction.len()).unwrap_or(i32::MAX);
    let mut exponent = decimal_exponent
        .saturating_add(9)
        .saturating_sub(fraction_len);
    while exponent > 0 {
        value = value.saturating_mul(10);
        exponent -= 1;
    }
    while exponent < 0 {
        // Round up what is finer than a nano-unit, as the API does.
        let rounded_up = value % 10 != 0;
        value = value / 10 + i128::from(rounded_up);
        exponent += 1;
    }
    value = value.saturating_mul(1_i128 << binary_exponent);
    Some(Quantity(if negative { -value } else { value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn accepts_api_spellings() {
        assert_eq!(q("250m"), q("0.25"));
        assert_eq!(q("1"), q("1000m"));
        assert_eq!(q("1Ki"), q("1024"));
        assert_eq!(q("1.5Gi"), q("1536Mi"));
        assert_eq!(q("2e3"), q("2k"));
        assert_eq!(q(".5"), q("500m"));
        assert!(q("-1").is_negative());
    }

    #[test]
    fn compares_across_units() {
        assert!(q("512Mi") < q("1Gi"));
        assert!(q("1G") < q("1Gi"));
        assert!(q("100m") < q("1"));
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "", "abc", "1.2.3", "12 Mi", "1mb", "Mi", "1e", "--1", "1KiB",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
