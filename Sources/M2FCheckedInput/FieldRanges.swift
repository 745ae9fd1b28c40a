/// Checks the numbers of one configuration file against their allowed ranges and relations, and
/// collects every problem (field, value, what is allowed) so one error lists them all.
///
///     var check = FieldRanges()
///     check.require("width", c.width, in: 1...4096)
///     check.require(c.width % c.numHeads == 0, "width \(c.width) must be a multiple of numHeads \(c.numHeads)")
///     if let problem = check.problem { throw MyError.invalidConfiguration(path: file, problem: problem) }
package struct FieldRanges: Sendable {
    package private(set) var problems: [String] = []

    package init() {}

    /// An integer field must lie in `range`.
    package mutating func require(_ field: String, _ value: Int, in range: ClosedRange<Int>) {
        if !range.contains(value) { problems.append("\(field) is \(value); allowed: \(range.lowerBound) … \(range.upperBound)") }
    }

    /// A real field must be finite and lie in `range`.
    package mutating func require(_ field: String, _ value: Double, in range: ClosedRange<Double>) {
        if !value.isFinite || !range.contains(value) {
            problems.append("\(field) is \(value); allowed: \(range.lowerBound) … \(range.upperBound)")
        }
    }

    /// A real field (Float) must be finite and lie in `range`.
    package mutating func require(_ field: String, _ value: Float, in range: ClosedRange<Double>) {
        require(field, Double(value), in: range)
    }

    /// Every element of an integer list must lie in `range`.
    package mutating func require(_ field: String, each values: [Int], in range: ClosedRange<Int>) {
        if let (i, bad) = values.enumerated().first(where: { !range.contains($0.element) }) {
            problems.append("\(field)[\(i)] is \(bad); allowed: \(range.lowerBound) … \(range.upperBound)")
        }
    }

    /// A relation between fields must hold; `problem` says which and why.
    package mutating func require(_ condition: Bool, _ problem: @autoclosure () -> String) {
        if !condition { problems.append(problem()) }
    }

    /// True when no check failed so far (lets a caller skip relations whose inputs are already wrong).
    package var isValid: Bool { problems.isEmpty }

    /// Every problem joined into one sentence, or nil when all fields are in range.
    package var problem: String? { problems.isEmpty ? nil : problems.joined(separator: "; ") }
}
