import Testing
@testable import M2FCheckedInput

/// Sizes from files: overflow and negative numbers give nil, never a wrapped value.
struct CheckedSizeTests {
    @Test func productOfShapes() {
        #expect(CheckedSize.product([3, 52]) == 156)
        #expect(CheckedSize.product([Int]()) == 1)
        #expect(CheckedSize.product([0, Int.max]) == 0)
        #expect(CheckedSize.product([-1, 52]) == nil)
        // [2^62 + F, 52] · 4 bytes wraps to a small count in unchecked arithmetic.
        let wrapping = (1 << 62) + 10
        #expect(wrapping &* 52 &* 4 == 2080)
        #expect(CheckedSize.product([wrapping, 52]) == nil)
        #expect(CheckedSize.product(1 << 40, 1 << 30) == nil)
    }

    @Test func sums() {
        #expect(CheckedSize.sum(Int.max - 1, 1) == Int.max)
        #expect(CheckedSize.sum(Int.max, 1) == nil)
        #expect(CheckedSize.sum(-5, 10) == nil)
    }

    @Test func stridedSpans() {
        // 3 VEC3 floats (12 bytes) 16 bytes apart from byte 4: 4 + 16·2 + 12 = 48.
        #expect(CheckedSize.stridedEnd(start: 4, stride: 16, count: 3, elementBytes: 12) == 48)
        #expect(CheckedSize.stridedSpanFits(start: 4, stride: 16, count: 3, elementBytes: 12, length: 48))
        #expect(!CheckedSize.stridedSpanFits(start: 4, stride: 16, count: 3, elementBytes: 12, length: 47))
        #expect(CheckedSize.stridedEnd(start: 7, stride: 16, count: 0, elementBytes: 12) == 7)
        #expect(!CheckedSize.stridedSpanFits(start: 0, stride: -4, count: 3, elementBytes: 4, length: 100))
        #expect(!CheckedSize.stridedSpanFits(start: 0, stride: 4, count: -3, elementBytes: 4, length: 100))
        #expect(!CheckedSize.stridedSpanFits(start: 0, stride: 1 << 62, count: 5, elementBytes: 4, length: 100))
        #expect(!CheckedSize.stridedSpanFits(start: Int.max - 2, stride: 0, count: 1, elementBytes: 4, length: Int.max))
    }

    @Test func fieldRangesNameEveryProblem() {
        var check = FieldRanges()
        check.require("width", 128, in: 1...4096)
        #expect(check.problem == nil)
        check.require("numHeads", 0, in: 1...64)
        check.require("fps", Double.nan, in: 1...240)
        check.require("fps", 1e9, in: 1...240)
        check.require("indices", each: [1, 2, -3], in: 0...10)
        check.require(128 % 3 == 0, "width 128 must be a multiple of numHeads 3")
        #expect(check.problems == ["numHeads is 0; allowed: 1 … 64", "fps is nan; allowed: 1.0 … 240.0",
                                   "fps is 1000000000.0; allowed: 1.0 … 240.0", "indices[2] is -3; allowed: 0 … 10",
                                   "width 128 must be a multiple of numHeads 3"])
        #expect(!check.isValid)
    }
}
