import Foundation
import HTTPTypes
import Hummingbird

/// Turns every error into a JSON answer (`ServerError`'s; Hummingbird's own, such as 404, get the same
/// shape) and counts answers per route and status for /metrics.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = Self.route(request.uri.path)
        do {
            let response = try await next(request, context)
            metrics.responded(route: route, status: Int(response.status.code))
            return response
        } catch {
            let serverError = Self.serverError(error, path: request.uri.path)
            metrics.responded(route: route, status: Int(serverError.status.code))
            return try serverError.response(from: request, context: context)
        }
    }

    static func serverError(_ error: any Error, path: String) -> ServerError {
        switch error {
        case let error as ServerError: return error
        case let error as HTTPError where error.status == .notFound: return .notFound(path: path)
        case let error as HTTPError where error.status == .contentTooLarge: return .badRequest("the request is too large.")
        case let error as HTTPError: return .badRequest(error.body ?? error.status.reasonPhrase)
        case is CancellationError: return .internalFailure("the request was cancelled (the server is shutting down).")
        default: return .internalFailure((error as? any LocalizedError)?.errorDescription ?? "\(error)")
        }
    }

    /// The metrics label of a path: known routes by name, everything else "other" (bounded cardinality).
    static func route(_ path: String) -> String {
        ["/v1/animate", "/v1/stream", "/v1/head.glb", "/healthz", "/metrics", "/"].contains(path) ? path : "other"
    }
}

/// With a token set, /v1/ calls need `Authorization: Bearer TOKEN` (or `?token=TOKEN`, for browsers'
/// WebSockets); the viewer's own files, /healthz and /metrics stay open.
struct AuthorizationMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // A WebSocket upgrade of /v1/stream is checked by the stream itself (`StreamEndpoint.admit`):
        // a refused upgrade would reach the client as an empty 400, a JSON message after it does not.
        let streamUpgrade = request.uri.path == "/v1/stream" && request.headers[.upgrade]?.lowercased() == "websocket"
        if let token, request.uri.path.hasPrefix("/v1/"), !streamUpgrade {
            let header = request.headers[.authorization]
            let query = request.uri.queryParameters.get("token")
            guard Self.constantTimeEqual(header, "Bearer " + token) || Self.constantTimeEqual(query, token) else {
                throw ServerError.unauthorized
            }
        }
        return try await next(request, context)
    }

    /// Compares without stopping at the first difference, so timing does not reveal the token.
    static func constantTimeEqual(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        let a = Array(given.utf8), b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<b.count { difference |= (index < a.count ? a[index] : 0) ^ b[index] }
        return difference == 0
    }
}
