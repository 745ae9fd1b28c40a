import Foundation
import M2FFace

/// Horizontal bar charts as PNG-ready images, drawn with the face module's bitmap font: one row per
/// label, bars scaled to the largest value, the value printed after each bar. With `ranges`, each
/// row shows a min–max band with a mark at the mean (for per-blendshape ranges).
public enum BarChart {
    static let background = SIMD3<UInt8>(250, 250, 247)
    static let ink = SIMD3<UInt8>(40, 40, 48)
    static let bar = SIMD3<UInt8>(70, 120, 190)
    static let band = SIMD3<UInt8>(160, 190, 230)
    static let mark = SIMD3<UInt8>(200, 60, 50)

    /// A bar per (label, value); `unit` is printed after each value.
    public static func render(title: String, labels: [String], values: [Double], unit: String = "",
                              barWidth: Int = 360) -> RGBImage {
        precondition(labels.count == values.count)
        let largest = max(values.max() ?? 1, 1e-12)
        return draw(title: title, labels: labels, barWidth: barWidth) { image, row, x, y, height in
            let length = Int((values[row] / largest * Double(barWidth)).rounded())
            fill(&image, x: x, y: y, width: max(length, values[row] > 0 ? 1 : 0), height: height, color: bar)
            BitmapFont.draw(format(values[row]) + unit, into: &image, x: x + length + 4, y: y + (height - 7) / 2, color: ink)
        }
    }

    /// A min–max band with a mean mark per label, on a fixed [lower, upper] axis.
    public static func render(title: String, labels: [String], ranges: [(min: Double, mean: Double, max: Double)],
                              lower: Double = 0, upper: Double = 1, barWidth: Int = 360) -> RGBImage {
        precondition(labels.count == ranges.count)
        func position(_ v: Double) -> Int { Int(((min(max(v, lower), upper) - lower) / (upper - lower) * Double(barWidth)).rounded()) }
        return draw(title: title, labels: labels, barWidth: barWidth) { image, row, x, y, height in
            let r = ranges[row]
            fill(&image, x: x, y: y + height / 2, width: barWidth, height: 1, color: SIMD3(220, 220, 220))
            let a = position(r.min), b = position(r.max)
            fill(&image, x: x + a, y: y, width: max(1, b - a), height: height, color: band)
            fill(&image, x: x + position(r.mean) - 1, y: y, width: 2, height: height, color: mark)
            BitmapFont.draw(format(r.mean), into: &image, x: x + barWidth + 4, y: y + (height - 7) / 2, color: ink)
        }
    }

    /// The frame: title, one row per label, and a `cell` closure that draws a row's graphic.
    static func draw(title: String, labels: [String], barWidth: Int,
                     cell: (inout RGBImage, Int, Int, Int, Int) -> Void) -> RGBImage {
        let rowHeight = 11, margin = 8, titleHeight = 22
        let labelWidth = (labels.map { BitmapFont.width(clean($0)) }.max() ?? 0) + 8
        let width = margin + labelWidth + barWidth + 70 + margin
        let height = titleHeight + labels.count * rowHeight + margin * 2
        var image = RGBImage(width: width, height: height)
        fill(&image, x: 0, y: 0, width: width, height: height, color: background)
        BitmapFont.draw(clean(title), into: &image, x: margin, y: margin, scale: 2, color: ink)
        for (row, label) in labels.enumerated() {
            let y = titleHeight + margin + row * rowHeight
            BitmapFont.draw(clean(label), into: &image, x: margin, y: y + 1, color: ink)
            cell(&image, row, margin + labelWidth, y, rowHeight - 2)
        }
        return image
    }

    static func fill(_ image: inout RGBImage, x: Int, y: Int, width: Int, height: Int, color: SIMD3<UInt8>) {
        for py in max(0, y)..<min(image.height, y + height) {
            for px in max(0, x)..<min(image.width, x + width) { image[px, py] = color }
        }
    }

    /// The font has capitals, digits and `. = -`: other characters become spaces or dashes.
    static func clean(_ text: String) -> String {
        String(text.uppercased().map { character -> Character in
            if character.isLetter || character.isNumber || character == "." || character == "=" || character == "-" || character == " " {
                return character
            }
            return character == "_" || character == "/" || character == ":" ? "-" : " "
        })
    }

    static func format(_ value: Double) -> String {
        if value >= 100 { return String(Int(value.rounded())) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }
}
