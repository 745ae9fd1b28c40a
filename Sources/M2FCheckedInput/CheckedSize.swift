/// Sizes and offsets computed from numbers that an untrusted file supplies (a shape, a count, a
/// stride, an offset). Each function returns nil instead of trapping or wrapping when a number is
/// negative or the arithmetic overflows, so the caller turns a crafted header into an error that
/// names its file. The readers of glTF, safetensors and model configurations share these.
package enum CheckedSize {
    /// a · b, or nil when either is negative or the product overflows.
    package static func product(_ a: Int, _ b: Int) -> Int? {
        guard a >= 0, b >= 0 else { return nil }
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : value
    }

    /// The product of `factors` (the element count of a shape; 1 for a scalar), or nil.
    package static func product(_ factors: some Sequence<Int>) -> Int? {
        var total = 1
        for factor in factors {
            guard let next = product(total, factor) else { return nil }
            total = next
        }
        return total
    }

    /// a + b, or nil when either is negative or the sum overflows.
    package static func sum(_ a: Int, _ b: Int) -> Int? {
        guard a >= 0, b >= 0 else { return nil }
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : value
    }

    /// One past the last byte of `count` elements of `elementBytes` bytes that start at `start` and
    /// lie `stride` bytes apart: start + stride · (count − 1) + elementBytes (start when count is 0).
    /// Nil when any input is negative or the arithmetic overflows.
    package static func stridedEnd(start: Int, stride: Int, count: Int, elementBytes: Int) -> Int? {
        guard start >= 0, stride >= 0, count >= 0, elementBytes >= 0 else { return nil }
        if count == 0 { return start }
        guard let span = product(stride, count - 1), let last = sum(start, span) else { return nil }
        return sum(last, elementBytes)
    }

    /// True when `count` strided elements starting at `start` lie inside `length` bytes.
    package static func stridedSpanFits(start: Int, stride: Int, count: Int, elementBytes: Int, length: Int) -> Bool {
        guard let end = stridedEnd(start: start, stride: stride, count: count, elementBytes: elementBytes) else { return false }
        return end <= length
    }
}
