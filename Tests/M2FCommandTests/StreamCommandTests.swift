import Foundation
import M2FFace
import M2FSystem
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `m2f stream` and `m2f animate -` end to end: Live Link Face packets read back by a decoder written
/// here from the protocol's description, stdin (WAV, raw, ffmpeg) against the same file, animate from
/// stdin against animate from the file. Needs the encoders and Models/media2face.
@Suite(.serialized) struct StreamCommandTests {
    static let hello = AnimateWriteTests.hello
    static let model = AnimateWriteTests.model

    /// Live Link Face's 61 values in the order the app sends them (Unreal's EARFaceBlendShape): the 52
    /// blendshapes, then head and eye rotations.
    static let appOrder = [
        "EyeBlinkLeft", "EyeLookDownLeft", "EyeLookInLeft", "EyeLookOutLeft", "EyeLookUpLeft", "EyeSquintLeft", "EyeWideLeft",
        "EyeBlinkRight", "EyeLookDownRight", "EyeLookInRight", "EyeLookOutRight", "EyeLookUpRight", "EyeSquintRight", "EyeWideRight",
        "JawForward", "JawLeft", "JawRight", "JawOpen", "MouthClose", "MouthFunnel", "MouthPucker", "MouthLeft", "MouthRight",
        "MouthSmileLeft", "MouthSmileRight", "MouthFrownLeft", "MouthFrownRight", "MouthDimpleLeft", "MouthDimpleRight",
        "MouthStretchLeft", "MouthStretchRight", "MouthRollLower", "MouthRollUpper", "MouthShrugLower", "MouthShrugUpper",
        "MouthPressLeft", "MouthPressRight", "MouthLowerDownLeft", "MouthLowerDownRight", "MouthUpperUpLeft", "MouthUpperUpRight",
        "BrowDownLeft", "BrowDownRight", "BrowInnerUp", "BrowOuterUpLeft", "BrowOuterUpRight", "CheekPuff", "CheekSquintLeft",
        "CheekSquintRight", "NoseSneerLeft", "NoseSneerRight", "TongueOut",
        "HeadYaw", "HeadPitch", "HeadRoll", "LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll", "RightEyeYaw", "RightEyePitch", "RightEyeRoll",
    ]

    /// One packet as the app's (version 6) wire format describes it: big-endian throughout.
    struct DecodedPacket {
        var version: UInt8, deviceID: String, subject: String
        var frameNumber: Int32, subFrame: Float, rateNumerator: Int32, rateDenominator: Int32
        var values: [Float]

        init?(_ bytes: [UInt8]) {
            var at = 0
            func take(_ n: Int) -> [UInt8]? { guard at + n <= bytes.count else { return nil }; defer { at += n }; return Array(bytes[at..<(at + n)]) }
            func u32() -> UInt32? { take(4).map { $0.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } } }
            func string() -> String? { guard let n = u32(), n < 1024, let b = take(Int(n)) else { return nil }; return String(decoding: b, as: UTF8.self) }
            guard let v = take(1)?.first, let device = string(), let name = string(), let frame = u32(), let sub = u32(),
                  let numerator = u32(), let denominator = u32(), let count = take(1)?.first else { return nil }
            var values: [Float] = []
            for _ in 0..<Int(count) { guard let bits = u32() else { return nil }; values.append(Float(bitPattern: bits)) }
            guard at == bytes.count else { return nil }
            (version, deviceID, subject) = (v, device, name)
            (frameNumber, subFrame, rateNumerator, rateDenominator) = (Int32(bitPattern: frame), Float(bitPattern: sub), Int32(bitPattern: numerator), Int32(bitPattern: denominator))
            self.values = values
        }
    }

    /// A UDP socket on 127.0.0.1 with a port of its own.
    final class Receiver {
        let fd: Int32
        let port: UInt16
        init() {
            let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var size: Int32 = 8 << 20
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
            port = UInt16(bigEndian: address.sin_port)
            fd = descriptor
        }
        deinit { close(fd) }
        /// Every datagram waiting.
        func drain() -> [[UInt8]] {
            var packets: [[UInt8]] = []
            var buffer = [UInt8](repeating: 0, count: 2048)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                guard n > 0 else { return packets }
                packets.append(Array(buffer[0..<n]))
            }
        }
    }

    /// The JSON lines of `m2f stream`: frame, time, weights (canonical order), head pose.
    static func frames(_ output: Data) throws -> [(frame: Int, time: Double, weights: [Float], headPose: [Float])] {
        try String(decoding: output, as: UTF8.self).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let floats = { (key: String) in (object[key] as! [Any]).map { Float("\($0)")! } }
            return (object["frame"] as! Int, object["time"] as! Double, floats("weights"), floats("headPose"))
        }
    }

    static func shell(_ command: String) throws -> (status: Int32, output: Data, errors: String) {
        try Subprocess.run("/bin/sh", ["-c", command])
    }

    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @Test func liveLinkPacketsDecodeToTheStreamedFrames() throws {
        guard let binary = M2F.binary else { Issue.record("\(M2F.missing)"); return }
        let receiver = Receiver()
        let run = try Subprocess.run(binary, ["stream", Self.hello, "--model", Self.model, "--livelink", "127.0.0.1:\(receiver.port)", "--subject", "m2f-test"])
        #expect(run.status == 0, "\(run.errors)")
        let frames = try Self.frames(run.output)
        let packets = receiver.drain().compactMap(DecodedPacket.init)
        #expect(frames.count == 207)
        #expect(packets.count == frames.count, "\(packets.count) packets for \(frames.count) frames")
        for (packet, frame) in zip(packets, frames) {
            #expect(packet.version == 6 && packet.subject == "m2f-test" && !packet.deviceID.isEmpty)
            #expect(packet.rateNumerator == 30 && packet.rateDenominator == 1 && packet.subFrame == 0)
            #expect(Int(packet.frameNumber) == frame.frame && abs(Double(packet.frameNumber) / 30 - frame.time) < 1e-9)
            #expect(packet.values.count == 61)
            for (index, name) in Self.appOrder.enumerated() {
                let expected: Float
                switch name {
                case "HeadYaw": expected = frame.headPose[0]
                case "HeadPitch": expected = frame.headPose[1]
                case "HeadRoll": expected = frame.headPose[2]
                case _ where name.contains("EyeYaw") || name.contains("EyePitch") || name.contains("EyeRoll"): expected = 0
                default: expected = frame.weights[ARKit.names.firstIndex(of: name.prefix(1).lowercased() + name.dropFirst())!]
                }
                #expect(packet.values[index] == expected, "frame \(frame.frame) \(name)")
            }
        }
    }

    @Test func standardInputGivesTheFramesOfTheFile() throws {
        guard let binary = M2F.binary else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("stream-stdin")
        defer { scratch.remove() }
        let file = try Subprocess.run(binary, ["stream", Self.hello, "--model", Self.model])
        #expect(file.status == 0, "\(file.errors)")
        let wav = try Self.shell("cat \(Self.quoted(Self.hello)) | \(Self.quoted(binary)) stream - --model \(Self.quoted(Self.model))")
        #expect(wav.status == 0, "\(wav.errors)")
        #expect(wav.output == file.output, "a WAV on stdin gave other frames than the file")
        // Raw s16le: the same samples without the header.
        let samples = try WAVReaderSamples.int16(Self.hello)
        let raw = scratch.file("hello.s16")
        try Data(samples.flatMap { v -> [UInt8] in let u = UInt16(bitPattern: v); return [UInt8(u & 0xFF), UInt8(u >> 8)] }).write(to: URL(fileURLWithPath: raw))
        let rawRun = try Self.shell("\(Self.quoted(binary)) stream - --raw --model \(Self.quoted(Self.model)) < \(Self.quoted(raw))")
        #expect(rawRun.status == 0, "\(rawRun.errors)")
        #expect(rawRun.output == file.output, "raw stdin gave other frames than the file")
    }

    @Test func ffmpegPipesLikeAMicrophone() throws {
        guard let binary = M2F.binary, let ffmpeg = Executable.find("ffmpeg") else { return }
        // What `-f pulse -i default` or `-f alsa -i hw:0` would send, from a generated source instead.
        let run = try Self.shell("\(Self.quoted(ffmpeg)) -loglevel error -f lavfi -i sine=frequency=180:duration=2 -ac 1 -ar 16000 -f s16le - "
                                 + "| \(Self.quoted(binary)) stream - --model \(Self.quoted(Self.model))")
        #expect(run.status == 0, "\(run.errors)")
        #expect(try Self.frames(run.output).map(\.frame) == Array(0..<60))
    }

    @Test func animateReadsAWholeFileFromStandardInput() throws {
        guard let binary = M2F.binary else { Issue.record("\(M2F.missing)"); return }
        let scratch = Scratch("animate-stdin")
        defer { scratch.remove() }
        let direct = try M2F.run(["animate", Self.hello, "--model", Self.model, "--format", "csv", "--quiet", "-o", scratch.file("file")])
        #expect(direct.status == 0, "\(direct.errors)")
        for name in ["-", "/dev/stdin"] {
            let piped = try Self.shell("cat \(Self.quoted(Self.hello)) | \(Self.quoted(binary)) animate \(name) --model \(Self.quoted(Self.model)) --format csv --quiet -o \(Self.quoted(scratch.file("piped")))")
            #expect(piped.status == 0, "\(piped.errors)")
            #expect(scratch.bytes("piped.csv") == scratch.bytes("file.csv"), "animate \(name) differs from animate FILE")
        }
        let garbage = try Self.shell("printf 'RIFF....WAVEjunk' | \(Self.quoted(binary)) animate - --model \(Self.quoted(Self.model)) --quiet -o \(Self.quoted(scratch.file("bad")))")
        #expect(garbage.status != 0 && garbage.errors.contains("stdin"), "\(garbage.errors)")
    }
}

/// The 16-bit samples of a PCM WAV file (its data chunk), for building raw input.
enum WAVReaderSamples {
    static func int16(_ path: String) throws -> [Int16] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var at = 12
        while at + 8 <= bytes.count {
            let id = String(decoding: bytes[at..<(at + 4)], as: UTF8.self)
            let size = Int(bytes[at + 4]) | Int(bytes[at + 5]) << 8 | Int(bytes[at + 6]) << 16 | Int(bytes[at + 7]) << 24
            if id == "data" {
                return stride(from: at + 8, to: at + 8 + size - 1, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
            }
            at += 8 + size + size % 2
        }
        return []
    }
}
