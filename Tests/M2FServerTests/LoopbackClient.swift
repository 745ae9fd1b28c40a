import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to 127.0.0.1 with send and receive timeouts: the tests' own HTTP and
/// WebSocket client, written from RFC 9112 and RFC 6455, so the server is checked against code that
/// shares nothing with it (and so a test can misbehave on purpose: stall, hang up, send garbage).
final class LoopbackSocket {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let fd: Int32
    private var buffer = Data()

    init(port: Int, timeout: Double = 60, receiveBuffer: Int? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket(): errno \(errno)") }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer.map(Int32.init) { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port): errno \(errno)")
        }
    }

    deinit { Glibc.close(fd) }

    func send(_ data: Data) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { throw Failure(description: "send: errno \(errno)") }
                offset += sent
            }
        }
    }

    func send(_ text: String) throws { try send(Data(text.utf8)) }

    /// Reads more bytes into the buffer; false at the end of the stream (the peer closed).
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count == 0 { return false }
        guard count > 0 else { throw Failure(description: errno == EAGAIN ? "receive timed out" : "recv: errno \(errno)") }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Exactly `count` bytes.
    func read(_ count: Int) throws -> Data {
        while buffer.count < count {
            guard try fill() else { throw Failure(description: "the server closed the connection after \(buffer.count) of \(count) bytes") }
        }
        let out = buffer.prefix(count)
        buffer.removeFirst(count)
        return Data(out)
    }

    /// Bytes up to and including `delimiter`.
    func read(through delimiter: Data) throws -> Data {
        while true {
            if let range = buffer.range(of: delimiter) {
                let out = buffer[..<range.upperBound]
                buffer.removeSubrange(..<range.upperBound)
                return Data(out)
            }
            guard try fill() else { throw Failure(description: "the server closed the connection before \(String(decoding: delimiter, as: UTF8.self).debugDescription)") }
        }
    }

    /// Everything until the peer closes.
    func readToEnd() throws -> Data {
        while try fill() {}
        defer { buffer.removeAll() }
        return buffer
    }

    /// Whether the peer has closed (reads until the end or `seconds` pass without it).
    func closedByPeer(within seconds: Double) -> Bool {
        var time = timeval(tv_sec: Int(seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        do { while try fill() {} ; return true } catch { return false }
    }
}

/// One HTTP/1.1 exchange over a fresh connection (`Connection: close`).
struct LoopbackHTTP {
    var status: Int
    var headers: [String: String]
    var body: Data

    /// The body as a JSON object (the server's errors are `{"error": …, "status": …}`).
    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    var error: String { json["error"] as? String ?? "" }

    /// `timeout` is long: suites run side by side and uploads wait their turn behind the others' (and the CLI's) work.
    static func request(port: Int, _ method: String, _ path: String, headers: [String: String] = [:], body: Data = Data(),
                        timeout: Double = 300) throws -> LoopbackHTTP {
        let socket = try LoopbackSocket(port: port, timeout: timeout)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try socket.send(head + "\r\n")
        // A server may answer (413, 415) and close before it has read a large body: read the answer anyway.
        try? socket.send(body)
        return try parse(socket)
    }

    static func parse(_ socket: LoopbackSocket) throws -> LoopbackHTTP {
        let head = try parseHead(socket)
        let headers = head.headers
        var body = Data()
        if let length = headers["content-length"].flatMap(Int.init) {
            body = try socket.read(length)
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                let sizeLine = String(decoding: try socket.read(through: Data("\r\n".utf8)), as: UTF8.self)
                guard let size = Int(sizeLine.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";")[0], radix: 16) else {
                    throw LoopbackSocket.Failure(description: "bad chunk size \(sizeLine.debugDescription)")
                }
                if size == 0 { _ = try socket.read(through: Data("\r\n".utf8)); break }
                body.append(try socket.read(size))
                _ = try socket.read(2)
            }
        } else {
            body = try socket.readToEnd()
        }
        return LoopbackHTTP(status: head.status, headers: headers, body: body)
    }
}

/// A WebSocket client (RFC 6455): masked frames out, unmasked frames in, pings answered.
final class LoopbackWebSocket {
    enum Message: Equatable {
        case text(String)
        case binary(Data)
        case close(code: Int)
    }

    let socket: LoopbackSocket

    /// Opens `path` with an upgrade; throws the server's answer when it refuses (`Refusal`).
    init(port: Int, path: String, receiveBuffer: Int? = nil, timeout: Double = 60) throws {
        socket = try LoopbackSocket(port: port, timeout: timeout, receiveBuffer: receiveBuffer)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        try socket.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let answer = try LoopbackHTTP.parseHead(socket)
        guard answer.status == 101 else { throw Refusal(response: try LoopbackHTTP.finish(answer, socket)) }
    }

    struct Refusal: Error { var response: LoopbackHTTP }

    /// A stream the server refuses after the upgrade: its JSON error message and the close that follows.
    static func refused(port: Int, path: String) throws -> (error: [String: Any], close: Message) {
        let socket = try LoopbackWebSocket(port: port, path: path)
        let error = try socket.receiveJSON() ?? [:]
        return (error, try socket.receive())
    }

    func sendBinary(_ data: Data) throws { try socket.send(Self.frame(opcode: 0x2, payload: data)) }
    func sendText(_ text: String) throws { try socket.send(Self.frame(opcode: 0x1, payload: Data(text.utf8))) }
    func sendClose() throws { try socket.send(Self.frame(opcode: 0x8, payload: Data([0x03, 0xE8]))) }

    /// The next text, binary or close message.
    func receive() throws -> Message {
        while true {
            let head = try socket.read(2)
            let opcode = head[0] & 0x0F
            var length = Int(head[1] & 0x7F)
            if length == 126 { length = try socket.read(2).reduce(0) { $0 << 8 | Int($1) } }
            else if length == 127 { length = try socket.read(8).reduce(0) { $0 << 8 | Int($1) } }
            let payload = try socket.read(length)
            switch opcode {
            case 0x1: return .text(String(decoding: payload, as: UTF8.self))
            case 0x2: return .binary(payload)
            case 0x8: return .close(code: payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005)
            case 0x9: try socket.send(Self.frame(opcode: 0xA, payload: payload))
            default: continue
            }
        }
    }

    /// The next text message as a JSON object (nil for a close).
    func receiveJSON() throws -> [String: Any]? {
        switch try receive() {
        case let .text(text): return (try JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        case .close: return nil
        case .binary: throw LoopbackSocket.Failure(description: "unexpected binary message")
        }
    }

    static func frame(opcode: UInt8, payload: Data) -> Data {
        var frame = Data([0x80 | opcode])
        if payload.count < 126 { frame.append(0x80 | UInt8(payload.count)) }
        else if payload.count < 65536 { frame.append(0x80 | 126); frame.append(contentsOf: [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]) }
        else { frame.append(0x80 | 127); frame.append(contentsOf: (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }) }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame.append(contentsOf: mask)
        frame.append(contentsOf: payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
        return frame
    }
}

extension LoopbackHTTP {
    /// The status line and headers only (for an upgrade).
    static func parseHead(_ socket: LoopbackSocket) throws -> LoopbackHTTP {
        let head = String(decoding: try socket.read(through: Data("\r\n\r\n".utf8)), as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw LoopbackSocket.Failure(description: "bad status line in \(head)") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return LoopbackHTTP(status: status, headers: headers, body: Data())
    }

    /// The body after `parseHead`.
    static func finish(_ head: LoopbackHTTP, _ socket: LoopbackSocket) throws -> LoopbackHTTP {
        var response = head
        if let length = head.headers["content-length"].flatMap(Int.init) { response.body = try socket.read(length) }
        return response
    }
}
