//! Deterministic Vietnamese person names for registrations: family name, middle name and given
//! name drawn without repetition, so the n-th name is the same on every seed and no two of the
//! first [`NAMES`] names are equal.

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MALE_MIDDLE: &[&str] = &["Văn", "Minh", "Đức", "Quang", "Hữu"];
const MALE_GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Sơn",
];
const FEMALE_MIDDLE: &[&str] = &["Thị", "Thu", "Ngọc", "Thanh", "Mai"];
const FEMALE_GIVEN: &[&str] = &[
    "Anh", "Chi", "Giang", "Hạnh", "Hương", "Lan", "Linh", "Phương", "Trang", "Yến",
];

/// How many distinct names [`person`] yields before repeating.
pub(super) const NAMES: usize = 16 * 2 * 5 * 10;

/// The `n`-th demo person's name, e.g. "Trần Thị Hương".
pub(super) fn person(n: usize) -> String {
    // Multiplying by a number coprime with NAMES permutes 0..NAMES, which scatters
    // consecutive registrants over families and given names.
    let mut k = (n % NAMES) * 677 % NAMES;
    let family = FAMILY[k % FAMILY.len()];
    k /= FAMILY.len();
    let female = k % 2 == 1;
    k /= 2;
    let (middles, givens) = if female {
        (FEMALE_MIDDLE, FEMALE_GIVEN)
    } else {
        (MALE_MIDDLE, MALE_GIVEN)
    };
    let middle = middles[k % middles.len()];
    k /= middles.len();
    let given = givens[k % givens.len()];
    format!("{family} {middle} {given}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_do_not_repeat() {
        let names: std::collections::HashSet<String> = (0..NAMES).map(person).collect();
        assert_eq!(names.len(), NAMES);
    }
}
