import Foundation
import M2FDataset
import M2FFace
import Testing

/// Place-of-articulation shapes: labiodentals, dentals, postalveolars, diphthongs, phone classes.
@Suite struct TeacherArticulationTests {
    let animator = TeacherAnimator()

    /// "pau VOWEL CONSONANT VOWEL pau" with a 100 ms consonant; returns the animation and the frame at
    /// the consonant's middle.
    func between(_ vowel: String, _ consonant: String) -> (FaceAnimation, Int) {
        let phones = [TimedPhone(phone: "pau", start: 0, end: 0.3), TimedPhone(phone: vowel, start: 0.3, end: 0.5),
                      TimedPhone(phone: consonant, start: 0.5, end: 0.6), TimedPhone(phone: vowel, start: 0.6, end: 0.8),
                      TimedPhone(phone: "pau", start: 0.8, end: 1.2)]
        let a = animator.animate(phones: phones, samples: [], sampleRate: 16000, duration: 1.2, fps: 30, performance: TeacherPerformance())
        return (a, Int(0.55 * 30))
    }

    @Test func labiodentalsTuckTheLowerLipWithTheJawNearlyClosed() {
        for consonant in ["f", "v"] {
            let (a, f) = between("aa", consonant)
            let (open, _) = between("aa", "hh")
            #expect(a[f, .mouthRollLower] > 0.4, "\(consonant): mouthRollLower \(a[f, .mouthRollLower])")
            #expect(a[f, .jawOpen] < 0.5 * open[f, .jawOpen], "\(consonant): jaw \(a[f, .jawOpen]) vs hh \(open[f, .jawOpen])")
        }
    }

    @Test func dentalsShowTheTongueSlightly() {
        let (a, f) = between("ah", "th")
        let (b, _) = between("ah", "t")
        #expect(a[f, .tongueOut] > 0.08 && a[f, .tongueOut] < 0.3)
        #expect(b[f, .tongueOut] < 0.01)
    }

    @Test func postalveolarsProtrudeTheLips() {
        let (a, f) = between("iy", "sh")
        let (b, _) = between("iy", "s")
        #expect(a[f, .mouthFunnel] > b[f, .mouthFunnel] + 0.2)
        #expect(b[f, .mouthStretchLeft] > a[f, .mouthStretchLeft], "s is spread, sh is not")
    }

    @Test func velarsTakeTheirNeighboursShape() {
        // k between two uw stays rounded; k between two iy stays spread.
        let (rounded, f) = between("uw", "k")
        let (spread, _) = between("iy", "k")
        #expect(rounded[f, .mouthPucker] > 0.4)
        #expect(spread[f, .mouthStretchLeft] > 0.1 && spread[f, .mouthPucker] < 0.05)
    }

    @Test func diphthongsMoveBetweenTwoTargets() {
        let phones = [TimedPhone(phone: "pau", start: 0, end: 0.3), TimedPhone(phone: "ay", start: 0.3, end: 0.7),
                      TimedPhone(phone: "pau", start: 0.7, end: 1.2), TimedPhone(phone: "ow", start: 1.2, end: 1.6),
                      TimedPhone(phone: "pau", start: 1.6, end: 2.0)]
        let a = animator.animate(phones: phones, samples: [], sampleRate: 16000, duration: 2, fps: 30, performance: TeacherPerformance())
        // ay: open aa-like jaw early, closer and spread (ih) late.
        let early = Int(0.38 * 30), late = Int(0.62 * 30)
        #expect(a[early, .jawOpen] > a[late, .jawOpen] + 0.15)
        #expect(a[late, .mouthStretchLeft] > a[early, .mouthStretchLeft] + 0.05)
        // ow: rounding grows toward uw.
        #expect(a[Int(1.55 * 30), .mouthPucker] > a[Int(1.28 * 30), .mouthPucker] + 0.1)
    }

    @Test func phoneClassesAndSpelling() {
        #expect(ARPAbet.phone("AH0") == "ah")
        #expect(ARPAbet.phone("sil") == "pau")
        #expect(ARPAbet.phone("xyz") == nil)
        #expect(ARPAbet.isBilabial("M") && ARPAbet.isBilabial("b") && !ARPAbet.isBilabial("f"))
        #expect(ARPAbet.phoneClass(of: "ch") == .postalveolar)
        // Every phone of the inventory has a target in the default configuration.
        for phone in ARPAbet.classes.keys {
            #expect(TeacherConfiguration.standard.phoneTargets[phone] != nil, "no target for \(phone)")
        }
    }

    @Test func configurationRoundTripsThroughJSON() throws {
        let data = try JSONEncoder().encode(TeacherConfiguration.standard)
        let decoded = try JSONDecoder().decode(TeacherConfiguration.self, from: data)
        #expect(decoded == TeacherConfiguration.standard)
        #expect(decoded.version == 1)
    }
}
