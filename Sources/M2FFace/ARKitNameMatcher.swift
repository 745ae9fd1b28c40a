/// Finds the ARKit shape a morph-target name stands for, as avatars name them: `eyeBlinkLeft`,
/// `EyeBlinkLeft`, `blendShape1.eyeBlinkLeft`, `ARKit_eyeBlinkLeft`, `eyeBlink_L`, `Face:jawOpen`…
public enum ARKitNameMatcher {
    /// Prefixes (followed by a separator, or glued on for `arkit`) that exporters put before the name.
    static let prefixes = ["arkit", "blendshapes", "blendshape", "bs", "shapes", "shape", "morph", "face", "head", "key", "vrc", "v"]

    /// The ARKit shape for `name`, consulting `mapping` (avatar name → ARKit name, either side
    /// compared case-insensitively) first; nil when nothing matches.
    public static func match(_ name: String, mapping: [String: String] = [:]) -> ARKitBlendshape? {
        if !mapping.isEmpty {
            let lowered = name.lowercased()
            if let target = mapping[name] ?? mapping.first(where: { $0.key.lowercased() == lowered })?.value {
                return ARKit.index(caseInsensitive: target).map(ARKitBlendshape.init(index:)) ?? match(target)
            }
        }
        // Namespaces: keep what follows the last '.', ':' or '|'.
        var core = Substring(name)
        if let cut = core.lastIndex(where: { $0 == "." || $0 == ":" || $0 == "|" }) { core = core[core.index(after: cut)...] }
        var text = String(core).trimmingCharacters(in: [" "])
        // Camel-case side letter at the end: eyeBlinkL → eyeBlinkLeft.
        if text.count > 2, let last = text.last, last == "L" || last == "R", text.dropLast().last?.isLowercase == true {
            text = String(text.dropLast()) + (last == "L" ? "Left" : "Right")
        }
        var lower = text.lowercased()
        // Separated side suffixes: _l, -l, .l, " l", _left.
        for (suffix, side) in [("_l", "left"), ("-l", "left"), (" l", "left"), ("_r", "right"), ("-r", "right"), (" r", "right")] where lower.hasSuffix(suffix) {
            lower = String(lower.dropLast(suffix.count)) + side
        }
        if let found = lookup(lower) { return found }
        // Exporter prefixes, possibly several.
        var changed = true
        while changed {
            changed = false
            for prefix in prefixes where lower.hasPrefix(prefix) {
                let rest = lower.dropFirst(prefix.count)
                if let first = rest.first, "_- ".contains(first) {
                    lower = String(rest.dropFirst()); changed = true
                } else if prefix == "arkit", !rest.isEmpty {
                    lower = String(rest); changed = true
                }
                if let found = lookup(lower) { return found }
                if changed { break }
            }
        }
        return lookup(lower)
    }

    static func lookup(_ lowered: String) -> ARKitBlendshape? {
        let compact = lowered.filter { $0 != "_" && $0 != "-" && $0 != " " }
        return ARKit.index(caseInsensitive: compact).map(ARKitBlendshape.init(index:))
    }
}
