import Foundation
import M2FEval
import M2FFace
import Testing

/// The dialogue eval's pieces on signals whose answers are known.
struct DialogueMeasureTests {
    /// Raised-cosine nods of 3°, 2° and 1° (too small to count) on a 0.3° slow sway.
    @Test func nodDetectorFindsNodsOfKnownSizeAndWidth() {
        let fps = 30.0
        var pitch = (0..<300).map { 0.3 * sin(2 * Double.pi * 0.2 * Double($0) / fps) }
        for (start, degrees) in [(30, 3.0), (120, 2.0), (210, 1.0)] {
            for k in 0..<18 { pitch[start + k] += degrees * 0.5 * (1 - cos(2 * Double.pi * Double(k) / 18)) }
        }
        let nods = NodDetector.nods(pitch: pitch, fps: fps)
        #expect(nods.map(\.frame).count == 2)
        #expect(nods.map { abs($0.frame - 39) <= 1 || abs($0.frame - 129) <= 1 }.allSatisfy { $0 })
        // Prominence within the sway's reach of the nod size; half-height width of a 0.6 s raised cosine is 0.3 s.
        #expect(abs(nods[0].prominenceDegrees - 3) < 0.35 && abs(nods[1].prominenceDegrees - 2) < 0.35)
        #expect(nods.allSatisfy { abs($0.widthSeconds - 0.3) <= 2 / fps })
    }

    /// Two speakers' recordings become alternating turns with the other at −20 dB in each microphone.
    @Test func materialAlternatesTurnsWithCrossTalk() {
        func tone(_ seconds: Double, _ hz: Double) -> [Float] { (0..<Int(seconds * 16_000)).map { Float(0.3 * sin(2 * Double.pi * hz * Double($0) / 16_000)) } }
        let a = DialogueMaterial.Recording(samples: tone(11, 200), face: nil), b = DialogueMaterial.Recording(samples: tone(3, 300), face: nil)
        let material = DialogueMaterial(speakerA: [a], speakerB: [b, b], seconds: 60)
        // A's 11 s clip gives a turn of at most 8 s and a second of the rest; B's clips a turn each.
        #expect(material.turns.map(\.speaker) == [0, 1, 0, 1])
        #expect(material.turns[0].frames.count <= 240 && material.turns[0].frames.count >= 180)
        let first = material.turns[1].frames
        let aSpeaks = material.speaks(0, frameCount: first.upperBound + 10), bSpeaks = material.speaks(1, frameCount: first.upperBound + 10)
        #expect(first.allSatisfy { bSpeaks[$0] && !aSpeaks[$0] })
        // In B's turn A's microphone holds B at a tenth of the amplitude; levels are evened to the same RMS.
        let middle = (first.lowerBound + first.count / 2) * 16_000 / 30
        let window = middle..<(middle + 1600)
        func rms(_ x: [Float]) -> Float { (window.reduce(0) { $0 + x[$1] * x[$1] } / Float(window.count)).squareRoot() }
        #expect(abs(rms(material.microphones[0]) / rms(material.microphones[1]) - 0.1) < 1e-3)
        #expect(abs(rms(material.voices[1]) - DialogueMaterial.turnRMS) < 1e-3)
    }

    /// A face whose jaw is linear in its own voice's loudness (floored at −60 dB, as the measure floors it):
    /// correlation 1 with it, negative with the other's, and a still mouth while listening.
    @Test func faceMeasuresSeparateOwnFromOtherLoudness() {
        let frames = 300
        var face = FaceAnimation(fps: 30, frameCount: frames)
        let own = (0..<frames).map { $0 < 150 ? -20 + 10 * sin(Double($0) / 3) : -100.0 }
        let other = (0..<frames).map { $0 >= 150 ? -20 + 10 * cos(Double($0) / 4) : -100.0 }
        for f in 0..<frames { face.weights[f * ARKit.count + ARKitBlendshape.jawOpen.index] = Float(max(own[f], -60) + 60) / 100 }
        let gap = (0..<frames).map { face[$0, .jawOpen] * 0.01 }
        let measures = DialogueFaceMeasures(face, ownLoudness: own, otherLoudness: other, speaks: (0..<frames).map { $0 < 150 },
                                            otherSpeaks: (0..<frames).map { $0 >= 150 }, lipGap: gap)
        #expect(abs(measures.jawVsOwnLoudness! - 1) < 1e-6)
        #expect(measures.jawVsOtherLoudness! < 0)
        #expect(measures.listeningLipGapVsOtherLoudness == nil)  // the mouth does not move while listening
        #expect(measures.listeningMouthAtRestShare == 1 && abs(measures.listeningSeconds - 5) < 1e-9)
        #expect(measures.listeningBlinksPerMinute == 0 && measures.listeningNodsPerMinute == 0)
    }
}
