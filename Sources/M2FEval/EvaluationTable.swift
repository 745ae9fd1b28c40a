import Foundation

/// The report as a readable table (what `m2f eval` prints without --json).
package enum EvaluationTable {
    package static func text(_ report: EvaluationReport) -> String {
        func f(_ value: Double?, _ digits: Int = 3) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "—" }
        var lines = [String(format: "%@ split: %d clips, %.1f s of audio, %d steps, guidance audio %.2f style %.2f (%.0f s)",
                            report.split, report.clips, report.audio_seconds, report.steps, report.audio_guidance, report.style_guidance, report.seconds)]
        lines.append("model             LVE mm   FDD     closure  offset  SLCC    BA      div lips  div upper  div head°")
        for name in report.models.keys.sorted() {
            let s = report.models[name]!
            lines.append([name.padding(toLength: 17, withPad: " ", startingAt: 0), f(s.lve_mm, 2).padding(toLength: 8, withPad: " ", startingAt: 0),
                          f(s.fdd, 2).padding(toLength: 7, withPad: " ", startingAt: 0), f(s.lip_closure_rate).padding(toLength: 8, withPad: " ", startingAt: 0),
                          (s.av_offset_frames.map(String.init) ?? "—").padding(toLength: 7, withPad: " ", startingAt: 0),
                          f(s.slcc).padding(toLength: 7, withPad: " ", startingAt: 0), f(s.beat_alignment).padding(toLength: 7, withPad: " ", startingAt: 0),
                          f(s.diversity_lips_mm).padding(toLength: 9, withPad: " ", startingAt: 0),
                          f(s.diversity_upper_face_mm).padding(toLength: 10, withPad: " ", startingAt: 0), f(s.diversity_head_deg)].joined(separator: " "))
        }
        if let reference = report.models["media2face"] ?? report.models.values.first {
            lines.append("reference         closure \(f(reference.reference_lip_closure_rate)), SLCC \(f(reference.reference_slcc)), BA \(f(reference.reference_beat_alignment)); \(reference.bilabial_segments) bilabial segments")
        }
        let ratios = report.models.keys.sorted().compactMap { name in report.models[name]!.upper_face_motion_ratio.map { "\(name) \(f($0, 2))" } }
        let relative = report.models.keys.sorted().compactMap { name -> String? in
            let s = report.models[name]!
            guard let lips = s.diversity_lips_relative, let upper = s.diversity_upper_face_relative else { return nil }
            return "\(name) lips \(f(lips, 2)) upper \(f(upper, 2))"
        }
        if !relative.isEmpty { lines.append("seed diversity ÷ motion of the region: " + relative.joined(separator: ", ")) }
        if !ratios.isEmpty { lines.append("upper-face motion vs reference (FDD's sign): " + ratios.joined(separator: ", ")) }
        for (name, reason) in report.missing.sorted(by: { $0.key < $1.key }) { lines.append("\(name): missing (\(reason))") }
        if let c = report.controls {
            for (name, m) in c.emotion_labels.sorted(by: { $0.key < $1.key }) {
                lines.append("emotion \(name): smile \(f(m.smile)) frown \(f(m.frown)) browInnerUp \(f(m.brow_inner_up)) browDown \(f(m.brow_down))")
            }
            for (name, m) in c.text_prompts.sorted(by: { $0.key < $1.key }) {
                lines.append("text \"\(name)\": smile \(f(m.smile)) frown \(f(m.frown)) browInnerUp \(f(m.brow_inner_up))")
            }
            for p in c.style_scale {
                lines.append("style guidance \(p.style_guidance): happy smile \(f(Double(p.happy_smile))) sad frown \(f(p.sad_frown)) sad browInnerUp \(f(p.sad_brow_inner_up))")
            }
            let k = c.keyframes
            lines.append("keyframes: full max |err| \(f(k.full_max_abs_error, 4)) over \(k.full_keyframes), mouthClose held max \(f(k.partial_max_abs_error, 4)), speed near keys max \(f(k.velocity_near_keyframes_max)) vs free p99 \(f(k.velocity_without_keyframes_p99))")
            let s = c.seam
            lines.append("seams (\(f(s.clip_seconds, 0)) s, \(s.window_joins) window joins): join speed \(f(s.join_velocity_mean, 4)) vs within \(f(s.within_velocity_mean, 4)) (p95 \(f(s.within_velocity_p95, 4)), p99 \(f(s.within_velocity_p99, 4))), joins above p99 \(f(s.joins_above_within_p99))")
            lines.append("piece joins (\(s.piece_joins) at \(f(s.piece_seconds, 0)) s pieces): speed \(f(s.piece_join_velocity_mean, 4)), above p99 \(f(s.piece_joins_above_within_p99))")
            for p in c.steps {
                lines.append("steps \(p.steps): LVE \(f(p.lve_mm, 2)) mm, closure \(f(p.lip_closure_rate)), FDD \(f(p.fdd, 2)), \(f(p.seconds_per_audio_second)) s per audio s")
            }
        }
        return lines.joined(separator: "\n")
    }
}
