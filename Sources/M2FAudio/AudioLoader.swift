import Foundation

/// Reads any audio file into mono samples at a chosen rate (16 kHz for Whisper).
///
/// RIFF/WAVE content (whatever the extension) is read natively; everything else, and WAV encodings
/// the native reader does not decode, is decoded by ffmpeg. Either way the channels are averaged and
/// `Resampler` brings the result to `sampleRate`.
public struct AudioLoader: Sendable {
    /// Output sample rate.
    public var sampleRate: Int
    /// The decoder for non-WAV files.
    public var ffmpeg: FFmpegDecoder

    public init(sampleRate: Int = WhisperLogMel.sampleRate, ffmpeg: FFmpegDecoder = FFmpegDecoder()) {
        self.sampleRate = sampleRate
        self.ffmpeg = ffmpeg
    }

    /// Decodes `path` to mono at `sampleRate`.
    public func load(path: String) throws(AudioError) -> AudioClip {
        try AudioError.checkRegular(path)
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, problem: "no such file or no permission to read it")
        }
        let head = (try? handle.read(upToCount: 12)) ?? Data()
        try? handle.close()
        guard !head.isEmpty else { throw .empty(path: path) }

        let isWAVName = URL(fileURLWithPath: path).pathExtension.lowercased() == "wav"
        let clip: AudioClip
        if WAVReader.looksLikeWAV(head) || (isWAVName && head.prefix(4) == Data("RIFF".utf8)) {
            do {
                clip = try WAVReader.read(path: path)
            } catch .unsupportedWAVEncoding(let path, let tag, let bits) {
                guard ffmpeg.isAvailable else { throw .unsupportedWAVEncoding(path: path, formatTag: tag, bitsPerSample: bits) }
                clip = try ffmpeg.decode(path: path)
            }
        } else if isWAVName {
            if head.count < 12, head.starts(with: Data("RIFF".utf8).prefix(head.count)) {
                throw .truncatedHeader(path: path, problem: "\(head.count) bytes, a RIFF header needs 12")
            }
            throw .notWAV(path: path)
        } else {
            clip = try ffmpeg.decode(path: path)
        }
        let resampled = Resampler(from: clip.sampleRate, to: sampleRate)(clip.samples)
        return AudioClip(
            samples: resampled, sampleRate: sampleRate,
            sourceChannels: clip.sourceChannels, sourceSampleRate: clip.sampleRate)
    }
}
