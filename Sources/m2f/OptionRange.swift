import ArgumentParser

/// The allowed range of a number that a flag supplies, checked once in the command's `validate()` (before
/// anything is read or loaded), with one message shape: "--size 0 is out of range; allowed: 16 … 4096".
/// NaN is never in range. Numeric options are declared with `parsing: .unconditional` so that a negative
/// value (`--style-guidance -1`) reaches this check instead of being taken for a flag ("Missing value").
enum OptionRange {
    static func check<Value: Comparable>(_ value: Value?, _ flag: String, _ range: ClosedRange<Value>, unit: String = "") throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError("\(flag) \(value) is out of range; allowed: \(range.lowerBound) … \(range.upperBound)\(unit)")
    }
}
