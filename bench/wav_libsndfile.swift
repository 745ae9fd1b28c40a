// Our WAV reader (Sources/M2FAudio, prepended by wav_libsndfile.sh) against libsndfile on the same
// file, both to mono Float at the file's rate: median of 7 interleaved rounds, one JSON line.
import CSndfileBench
import Foundation

/// libsndfile's frames as Float, channels averaged as our reader averages them.
func readWithLibsndfile(_ path: String) -> [Float] {
    var info = SF_INFO()
    guard let file = sf_open(path, Int32(SFM_READ), &info) else { fatalError("libsndfile: \(String(cString: sf_strerror(nil)))") }
    defer { sf_close(file) }
    let channels = Int(info.channels), frames = Int(info.frames)
    var interleaved = [Float](repeating: 0, count: frames * channels)
    let read = Int(sf_readf_float(file, &interleaved, sf_count_t(frames)))
    var mono = [Float](repeating: 0, count: read)
    let scale = 1 / Float(channels)
    for frame in 0..<read {
        var sum: Float = 0
        for channel in 0..<channels { sum += interleaved[frame * channels + channel] }
        mono[frame] = sum * scale
    }
    return mono
}

func milliseconds<T>(_ body: () throws -> T) rethrows -> (ms: Double, value: T) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, value)
}

let path = CommandLine.arguments[1]
var ours: [Double] = [], library: [Double] = []
var oursSamples: [Float] = [], librarySamples: [Float] = []
for _ in 0..<7 {
    let a = try milliseconds { try WAVReader.read(path: path).samples }; ours.append(a.ms); oursSamples = a.value
    let b = milliseconds { readWithLibsndfile(path) }; library.append(b.ms); librarySamples = b.value
}
let largest = zip(oursSamples, librarySamples).map { abs($0 - $1) }.max() ?? .infinity
print("{\"bench\":\"wav_read_mono\",\"frames\":\(oursSamples.count),\"ours_ms_median\":\(ours.sorted()[3]),"
      + "\"libsndfile_ms_median\":\(library.sorted()[3]),\"same_length\":\(oursSamples.count == librarySamples.count),"
      + "\"max_abs_difference\":\(largest)}")
