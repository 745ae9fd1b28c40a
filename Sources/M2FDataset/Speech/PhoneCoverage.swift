/// Phone counts and durations over synthesised speech, against the ARPAbet inventory.
public struct PhoneCoverage: Codable, Sendable, Equatable {
    /// The 39 ARPAbet phones of CMUdict (lower case, no stress) plus `ax`; `pau` is counted separately.
    public static let inventory: [String] = [
        "aa", "ae", "ah", "ao", "aw", "ax", "ay", "b", "ch", "d", "dh", "eh", "er", "ey", "f", "g", "hh", "ih",
        "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s", "sh", "t", "th", "uh", "uw", "v", "w",
        "y", "z", "zh",
    ]

    /// Occurrences per phone (pauses included as `pau`).
    public var counts: [String: Int] = [:]
    /// Total seconds per phone.
    public var seconds: [String: Double] = [:]

    public init() {}

    /// Coverage of phone sequences (one per utterance).
    public init(phoneSequences: [[TimedPhone]]) {
        for phones in phoneSequences { add(phones) }
    }

    /// Coverage of utterances' phones.
    public init(utterances: [SpokenUtterance]) {
        self.init(phoneSequences: utterances.map(\.phones))
    }

    public mutating func add(_ phones: [TimedPhone]) {
        for phone in phones {
            counts[phone.phone, default: 0] += 1
            seconds[phone.phone, default: 0] += phone.duration
        }
    }

    /// Inventory phones never seen.
    public var missing: [String] { Self.inventory.filter { counts[$0, default: 0] == 0 } }

    /// Phones seen that are not in the inventory (nor `pau`): a mapping bug if not empty.
    public var unexpected: [String] {
        counts.keys.filter { $0 != "pau" && !Self.inventory.contains($0) }.sorted()
    }

    /// The fewest occurrences of any inventory phone.
    public var minimumCount: Int { Self.inventory.map { counts[$0, default: 0] }.min() ?? 0 }

    /// One line per inventory phone, `phone count seconds`, rarest first.
    public var report: String {
        Self.inventory.sorted { counts[$0, default: 0] < counts[$1, default: 0] }.map { phone in
            let count = counts[phone, default: 0]
            let total = seconds[phone, default: 0]
            return phone.padding(toLength: 4, withPad: " ", startingAt: 0) + " \(count) " + String(format: "%.1f s", total)
        }.joined(separator: "\n")
    }
}
