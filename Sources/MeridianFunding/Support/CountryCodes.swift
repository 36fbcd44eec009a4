import MeridianCodes

/// ISO 3166-1 country codes as the funding files want them; the table itself is
/// ``ISO3166`` of MeridianCodes, shared by every module.
public enum CountryCodes {
    /// The alpha-2 code of `code` (given as alpha-2 or alpha-3), or `nil` when ISO 3166-1 has no such country.
    public static func alpha2(_ code: String) -> String? { ISO3166.alpha2(code) }
}
