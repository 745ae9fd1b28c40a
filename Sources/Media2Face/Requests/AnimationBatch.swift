import Foundation

/// The audio files one `m2f animate` call names and where each one's outputs go: one file (outputs at
/// the `-o` prefix), every audio file of a folder, or the paths of a list file (one per line, `#`
/// comments, relative to the list's folder). In a batch `-o` is a folder and each file's outputs are
/// named after it, so two files with the same stem are refused before anything runs.
package enum AnimationBatch {
    /// One audio file and the output prefix its files get (`PREFIX.csv`, `PREFIX.json`, …).
    package struct Job: Sendable, Equatable {
        package var audio: String
        package var prefix: String

        package init(audio: String, prefix: String) {
            self.audio = audio
            self.prefix = prefix
        }
    }

    /// What a folder is searched for (lower-cased extensions).
    package static let audioExtensions: Set<String> = [
        "wav", "wave", "mp3", "m4a", "aac", "flac", "ogg", "oga", "opus", "aif", "aiff", "caf", "wma", "mp4", "mov", "mkv", "webm",
    ]

    /// - Parameters:
    ///   - input: an audio file or a folder (nil with `list`).
    ///   - list: a text file naming the audio files.
    ///   - output: the output prefix (one file) or folder (a batch).
    /// - Throws: `PipelineError.batch` naming the list or folder and the problem.
    package static func jobs(input: String?, list: String?, output: String) throws(PipelineError) -> [Job] {
        let files: [String]
        if let list {
            files = try listed(in: list)
        } else if let input {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [Job(audio: input, prefix: output)]
            }
            files = try audioFiles(in: input)
        } else {
            throw PipelineError.batch("give an audio file, a folder, or a list file")
        }
        return try named(files, output: output)
    }

    private static func listed(in list: String) throws(PipelineError) -> [String] {
        let url = URL(fileURLWithPath: list)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw PipelineError.batch("\(list): cannot read the list file; it must be UTF-8 text with one audio path per line")
        }
        let folder = url.deletingLastPathComponent()
        let files = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { $0.hasPrefix("/") ? $0 : folder.appendingPathComponent($0).path }
        guard !files.isEmpty else { throw PipelineError.batch("\(list): the list names no files") }
        return files
    }

    private static func audioFiles(in folder: String) throws(PipelineError) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let files = names.filter { audioExtensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) && !$0.hasPrefix(".") }
            .sorted().map { URL(fileURLWithPath: folder).appendingPathComponent($0).path }
        guard !files.isEmpty else {
            throw PipelineError.batch("\(folder): the folder holds no audio files (\(audioExtensions.sorted().joined(separator: ", ")))")
        }
        return files
    }

    /// Each file's outputs under `output`, named after its stem; two files with one stem are an error.
    private static func named(_ files: [String], output: String) throws(PipelineError) -> [Job] {
        var used: [String: String] = [:]
        var jobs: [Job] = []
        for file in files {
            let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            if let other = used[stem] {
                throw PipelineError.batch("\(other) and \(file) would both write \(output)/\(stem).*; rename one of them")
            }
            used[stem] = file
            jobs.append(Job(audio: file, prefix: URL(fileURLWithPath: output).appendingPathComponent(stem).path))
        }
        return jobs
    }
}
