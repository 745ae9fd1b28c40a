/// English number names for the grammar's sentences (digits would be read differently by each voice).
public enum NumberWords {
    private static let ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                               "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                               "eighteen", "nineteen"]
    private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    private static let ordinals = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                                   "ninth", "tenth", "eleventh", "twelfth"]

    /// `value` (0…999 999) spelled out: 342 → "three hundred and forty two".
    public static func spell(_ value: Int) -> String {
        precondition((0..<1_000_000).contains(value), "NumberWords spells 0…999 999, got \(value)")
        if value < 20 { return ones[value] }
        if value < 100 {
            return tens[value / 10] + (value % 10 == 0 ? "" : " " + ones[value % 10])
        }
        if value < 1000 {
            let rest = value % 100
            return ones[value / 100] + " hundred" + (rest == 0 ? "" : " and " + spell(rest))
        }
        let rest = value % 1000
        return spell(value / 1000) + " thousand" + (rest == 0 ? "" : (rest < 100 ? " and " : " ") + spell(rest))
    }

    /// Ordinal 1…12 spelled out ("third"); larger values as "number N".
    public static func ordinal(_ value: Int) -> String {
        value >= 0 && value < ordinals.count ? ordinals[value] : "number " + spell(value)
    }
}
