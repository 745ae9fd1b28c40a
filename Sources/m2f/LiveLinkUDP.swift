#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import M2FFace

/// Sends Live Link Face packets (`LiveLinkFacePacket`) over UDP to one address, and only there: the
/// socket is connected to HOST:PORT, so nothing else can be reached through it.
final class LiveLinkUDP: Sendable {
    let destination: String
    private let descriptor: Int32
    let subject: String
    let deviceID: String

    /// - Parameter address: "HOST:PORT", "[IPv6]:PORT"; HOST may be a name.
    init(address: String, subject: String, deviceID: String) throws {
        destination = address
        self.subject = subject
        self.deviceID = deviceID
        let (host, port) = try Self.split(address)
        var hints = addrinfo()
        #if os(Linux)
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        #else
        hints.ai_socktype = SOCK_DGRAM
        #endif
        hints.ai_family = AF_UNSPEC
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, port, &hints, &found)
        guard status == 0, let first = found else {
            throw StreamCommandError.liveLink(address: address, problem: "cannot resolve \(host) (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { throw StreamCommandError.liveLink(address: address, problem: "no UDP socket: \(String(cString: strerror(errno)))") }
        guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let problem = String(cString: strerror(errno))
            close(fd)
            throw StreamCommandError.liveLink(address: address, problem: problem)
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// HOST:PORT → (host, port), with the port checked.
    static func split(_ address: String) throws -> (String, String) {
        var host: Substring, port: Substring
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            host = address[address.index(after: address.startIndex)..<close]
            port = address[address.index(after: close)...].drop { $0 == ":" }
        } else if let colon = address.lastIndex(of: ":") {
            host = address[..<colon]
            port = address[address.index(after: colon)...]
        } else {
            throw StreamCommandError.liveLink(address: address, problem: "expected HOST:PORT, e.g. 127.0.0.1:11111")
        }
        guard !host.isEmpty, let number = Int(port), (1...65535).contains(number) else {
            throw StreamCommandError.liveLink(address: address, problem: "expected HOST:PORT with a port in 1 … 65535, e.g. 127.0.0.1:11111")
        }
        return (String(host), String(port))
    }

    /// Sends one frame; the frame number counts frames at `rate` fps.
    func sendFrame(frameNumber: Int, rate: Int, weights: [Float], headPose: HeadPose) throws {
        let packet = LiveLinkFacePacket.encode(subject: subject, deviceID: deviceID, frameNumber: Int32(truncatingIfNeeded: frameNumber),
                                               rate: Int32(rate), values: LiveLinkFacePacket.values(weights: weights, headPose: headPose))
        let sent = packet.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        // A receiver that is not listening yet answers with ICMP (ECONNREFUSED on the next send): UDP
        // to a live target carries on, as the app does.
        if sent < 0 && errno != ECONNREFUSED {
            throw StreamCommandError.liveLink(address: destination, problem: String(cString: strerror(errno)))
        }
    }
}
