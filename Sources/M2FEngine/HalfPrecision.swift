/// Float16 / BFloat16 ↔ Float32 by bit manipulation (portable: no reliance on a platform Float16 type).
public enum HalfPrecision {
    /// IEEE 754 binary16 bits to Float32 (subnormals, infinities and NaN included).
    @inlinable
    public static func float(fromHalf bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int32((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            // Subnormal: value = mantissa · 2^-24.
            let magnitude = Float(mantissa) * (1.0 / 16_777_216.0)
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
    }

    /// Float32 to binary16 bits, rounding to nearest even; overflow goes to infinity.
    @inlinable
    public static func half(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int32((bits >> 23) & 0xFF)
        var mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF { return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0) }
        var e = exponent - 127 + 15
        if e >= 31 { return sign | 0x7C00 }
        if e <= 0 {
            if e < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - e)
            var half = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && half & 1 == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = mantissa >> 13
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) {
            half += 1
            if half == 0x400 { half = 0; e += 1 }
            if e >= 31 { return sign | 0x7C00 }
        }
        return sign | UInt16(e << 10) | UInt16(half)
    }

    /// bfloat16 bits (the top half of a Float32) to Float32.
    @inlinable
    public static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
