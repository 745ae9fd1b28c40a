import Foundation
import HTTPTypes
import Hummingbird
import M2FFace
import Media2Face
import NIOCore

/// POST /v1/animate: an audio upload in, the animation out as JSON, CSV or GLB, with the same bytes
/// `m2f animate` writes for the same request.
///
/// The body streams into a private temporary folder under the upload's file name (the name the CLI
/// records in the metadata), the pipeline runs on the engine's threads, and the exporter writes the
/// one format asked for beside it, exactly as the CLI does; the folder is removed afterwards.
struct AnimateEndpoint: Sendable {
    let pipeline: Media2FacePipeline
    let configuration: ServerConfiguration
    let executor: EngineExecutor
    let gate: AdmissionGate
    let metrics: ServerMetrics

    static let contentTypes: [ExportFormat: String] = [
        .json: "application/json", .csv: "text/csv; charset=utf-8", .glb: "model/gltf-binary",
    ]

    func handle(_ request: Request) async throws -> Response {
        try Self.checkContentType(request.headers[.contentType])
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maximumUploadBytes {
            throw ServerError.uploadTooLarge(limitBytes: configuration.maximumUploadBytes)
        }
        let query = try AnimateQuery(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let audio = folder.appendingPathComponent(query.filename)
        try await receive(request.body, into: audio)

        try await gate.enter(refusal: "the server is animating \(configuration.maximumConcurrentUploads) uploads with "
                             + "\(configuration.maximumQueuedUploads) more waiting; try again in a minute.")
        let started = ContinuousClock.now
        let data: Data
        let audioSeconds: Double
        do {
            (data, audioSeconds) = try await withTimeLimit(configuration.requestTimeout) {
                try await executor.run { try await animate(query, audio: audio, folder: folder) }
            }
            await gate.leave()
        } catch {
            await gate.leave()
            throw error
        }
        let elapsed = ContinuousClock.now - started
        metrics.uploadFinished(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                               audioSeconds: audioSeconds)
        var headers = HTTPFields()
        headers[.contentType] = Self.contentTypes[query.format]
        headers[.contentDisposition] = "attachment; filename=\"\(AnimationExporter.normalizedPrefix(query.filename)).\(query.format.rawValue)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The pipeline and the exporter, as `m2f animate` calls them (audio and output in one folder).
    func animate(_ query: AnimateQuery, audio: URL, folder: URL) async throws -> (Data, Double) {
        var options = query.options
        options.maximumSeconds = configuration.maximumAudioSeconds
        let animationRequest = AnimationRequest(audioPath: audio.path, style: query.style, options: options)
        let result: AnimationResult
        do {
            result = try await pipeline.animate(animationRequest)
        } catch let PipelineError.audioTooLong(_, estimate, _) {
            throw ServerError.badRequest("\(query.filename): \(estimate); that is longer than this server's limit of "
                                         + "\(Int(configuration.maximumAudioSeconds)) s (m2f serve --max-audio-seconds).")
        } catch let error as CancellationError {
            throw error
        } catch {
            // Messages name the temporary path; the client knows the file by its own name.
            throw ServerError.badRequest(Self.message(of: error).replacingOccurrences(of: audio.path, with: query.filename))
        }
        let prefix = folder.appendingPathComponent(AnimationExporter.normalizedPrefix(query.filename)).path
        let files = try AnimationExporter().write(result.animation, formats: [query.format], prefix: prefix, audioPath: audio.path)
        return (try Data(contentsOf: URL(fileURLWithPath: files[0].path)), result.audioDuration)
    }

    /// Streams the body into `file`, refusing it once it passes the upload limit.
    func receive(_ body: RequestBody, into file: URL) async throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: file) else {
            throw ServerError.internalFailure("cannot create a temporary file in \(file.deletingLastPathComponent().path)")
        }
        defer { try? handle.close() }
        var received = 0
        for try await chunk in body {
            received += chunk.readableBytes
            guard received <= configuration.maximumUploadBytes else {
                throw ServerError.uploadTooLarge(limitBytes: configuration.maximumUploadBytes)
            }
            try handle.write(contentsOf: chunk.readableBytesView)
        }
        guard received > 0 else { throw ServerError.badRequest("the request has no body; send the audio file's bytes as the body.") }
    }

    static func checkContentType(_ value: String?) throws(ServerError) {
        let type = (value ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard type.hasPrefix("audio/") || type.hasPrefix("video/") || type == "application/octet-stream" else {
            throw .unsupportedMediaType(type.isEmpty ? "(none)" : type)
        }
    }

    static func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2f-serve-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw ServerError.internalFailure("cannot create a temporary folder: \(message(of: error))")
        }
        return folder
    }

    static func message(of error: any Error) -> String {
        (error as? any LocalizedError)?.errorDescription ?? "\(error)"
    }
}

/// `work`'s result, or `ServerError.timedOut` (with `work` cancelled) after `seconds`.
func withTimeLimit<T: Sendable>(_ seconds: Double, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw ServerError.timedOut(seconds: seconds)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
