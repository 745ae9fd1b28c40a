import Foundation
import Media2Face
import NIOCore

/// The wire format of /v1/stream (docs/USAGE.md, "m2f serve"):
///
/// - query: `sample-rate` (8000 … 48000, default 16000), `encoding` (`s16le` default, or `f32le`),
///   `look-ahead` and `steps` (frames of look-ahead and DDIM steps per hop; default the library's
///   `StreamConfiguration`, as `m2f stream`), and the style options of /v1/animate (`text`, `emotion`,
///   `intensity`, `seed`, `audio-guidance`, `style-guidance`, `no-head-pose`);
/// - client → server: binary messages of mono PCM; text messages of JSON: `{"text": "calm"}` or
///   `{"emotion": "happy", "intensity": 0.5}` to change the style mid-stream (blended), `{"end": true}`
///   to flush the tail;
/// - server → client: text messages of JSON: `{"type": "ready", …}` first, then one
///   `{"type": "frame", "index": i, "time": t, "weights": [52], "headPose": [6]}` per frame, and
///   `{"type": "end", "frames": n, "audioSeconds": s}` or `{"type": "error", "error": "…"}` last.
enum StreamProtocol {
    enum Encoding: String { case s16le, f32le }

    struct Query {
        var sampleRate = 16000
        var encoding = Encoding.s16le
        var style = StyleSpecification.none
        var options = AnimationOptions()
        /// The library's stream defaults, with the client's look-ahead and steps per hop.
        var configuration = StreamConfiguration()

        static let keys: Set<String> = ["sample-rate", "encoding", "look-ahead", "steps", "text", "emotion", "intensity", "seed",
                                        "audio-guidance", "style-guidance", "no-head-pose", "no-added-blinks", "token"]

        init(_ parameters: [(String, String)]) throws(ServerError) {
            var animateParameters: [(String, String)] = []
            for (name, value) in parameters {
                guard Self.keys.contains(name) else {
                    throw .badRequest("unknown parameter \"\(name)\"; use \(Self.keys.sorted().joined(separator: ", ")).")
                }
                switch name {
                case "sample-rate":
                    guard let rate = Int(value), (8000...48000).contains(rate) else {
                        throw .badRequest("sample-rate \(value) is out of range; allowed: 8000 … 48000 (Hz).")
                    }
                    sampleRate = rate
                case "encoding":
                    guard let encoding = Encoding(rawValue: value) else {
                        throw .badRequest("encoding \(value) is unknown; use s16le (16-bit little-endian) or f32le (32-bit float).")
                    }
                    self.encoding = encoding
                case "look-ahead":
                    configuration.lookAheadFrames = try AnimateQuery.number(value, "look-ahead") ?? configuration.lookAheadFrames
                case "steps":
                    configuration.stepsPerHop = try AnimateQuery.number(value, "steps") ?? configuration.stepsPerHop
                default:
                    animateParameters.append((name, value))
                }
            }
            let animate = try AnimateQuery(animateParameters)
            style = animate.style
            options = animate.options
        }
    }

    /// PCM bytes → samples in [-1, 1].
    /// - Throws: `ServerError.badRequest` for a length that is not a whole number of samples, or floats
    ///   that are not finite or lie beyond ±8 (not audio).
    static func samples(_ buffer: ByteBuffer, encoding: Encoding) throws(ServerError) -> [Float] {
        let bytes = buffer.readableBytesView
        switch encoding {
        case .s16le:
            guard bytes.count % 2 == 0 else {
                throw .badRequest("a binary message of \(bytes.count) bytes is not whole 16-bit samples; send s16le mono PCM (an even number of bytes).")
            }
            var out = [Float](repeating: 0, count: bytes.count / 2)
            var index = bytes.startIndex
            for i in out.indices {
                let value = Int16(bitPattern: UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8)
                out[i] = Float(value) / 32768
                index += 2
            }
            return out
        case .f32le:
            guard bytes.count % 4 == 0 else {
                throw .badRequest("a binary message of \(bytes.count) bytes is not whole 32-bit samples; send f32le mono PCM (a multiple of 4 bytes).")
            }
            var out = [Float](repeating: 0, count: bytes.count / 4)
            var index = bytes.startIndex
            for i in out.indices {
                let bits = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
                let value = Float(bitPattern: bits)
                guard value.isFinite, abs(value) <= 8 else {
                    throw .badRequest("sample \(i) of a binary message is \(value), not audio; send f32le samples in [-1, 1].")
                }
                out[i] = value
                index += 4
            }
            return out
        }
    }

    /// A control message: a new style, or the end of the audio.
    enum Control: Equatable {
        case style(StyleSpecification)
        case end
    }

    static func control(_ text: String) throws(ServerError) -> Control {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw .badRequest("a text message must be a JSON object such as {\"text\": \"calm\"} or {\"end\": true}.")
        }
        if object["end"] as? Bool == true, object.count == 1 { return .end }
        let known: Set<String> = ["text", "emotion", "intensity"]
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw .badRequest("unknown field \"\(unknown)\" in a control message; use text, emotion and intensity, or end.")
        }
        let intensity = (object["intensity"] as? NSNumber)?.floatValue ?? 1
        do {
            return .style(try StyleChoice(text: object["text"] as? String, emotion: object["emotion"] as? String, intensity: intensity).resolve())
        } catch {
            throw .badRequest(error.message)
        }
    }

    static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
