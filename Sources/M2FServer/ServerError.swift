import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error a client gets as JSON, `{"error": "…", "status": 413}`, with the HTTP status. Messages are
/// the CLI's where the CLI has the same check (they come from the same library errors).
public enum ServerError: Error, LocalizedError, Sendable, Equatable {
    /// A server setting out of range (at start-up).
    case invalidSetting(String)
    /// The request is malformed: unknown or bad parameter, unreadable audio… (400)
    case badRequest(String)
    /// No or wrong bearer token (401).
    case unauthorized
    /// Nothing here (404).
    case notFound(path: String)
    /// The upload is larger than the limit (413).
    case uploadTooLarge(limitBytes: Int)
    /// The body is not audio (415).
    case unsupportedMediaType(String)
    /// The server is at its limit of uploads or streams (503).
    case busy(String)
    /// The request took longer than the limit (504 in a reply; a closed stream otherwise).
    case timedOut(seconds: Double)
    /// A failure of ours (500); the message says what failed.
    case internalFailure(String)

    public var status: HTTPResponse.Status {
        switch self {
        case .invalidSetting, .internalFailure: .internalServerError
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .uploadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .busy: .serviceUnavailable
        case .timedOut: .gatewayTimeout
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .invalidSetting(message), let .badRequest(message), let .internalFailure(message): message
        case .unauthorized: "this server needs a bearer token: send the header \"Authorization: Bearer TOKEN\" (or ?token=TOKEN on /v1/stream)."
        case let .notFound(path): "\(path): no such endpoint; see GET / for the viewer and docs/USAGE.md for the API."
        case let .uploadTooLarge(limit): "the upload is larger than the server's limit of \(limit >> 20) MiB; send a shorter or compressed file (MP3, M4A, FLAC)."
        case let .unsupportedMediaType(type):
            "Content-Type \(type) is not audio; send the audio file's bytes as the body with Content-Type audio/* (audio/wav, audio/mpeg…), video/* or application/octet-stream."
        case let .busy(message): message
        case let .timedOut(seconds): "the request took longer than the server's limit of \(Int(seconds)) s; send shorter audio."
        }
    }

    /// `{"error": message, "status": code}` as bytes.
    public var jsonBody: Data {
        let message = errorDescription ?? "\(self)"
        let object: [String: Any] = ["error": message, "status": Int(status.code)]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}

extension ServerError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if case .unauthorized = self { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: jsonBody)))
    }
}
