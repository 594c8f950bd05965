import Foundation

/// Where the server listens: `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback).
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses the `--listen` value; nil with nothing else to say when it is not one.
    public init?(_ text: String) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int(portText), (0...65535).contains(port), host.utf8.count <= 255 else { return nil }
        self.init(host: String(host), port: port)
    }

    /// Whether only this machine can reach the address: 127.0.0.0/8, ::1 or `localhost`.
    public var isLoopback: Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// How `terep server` runs.
public struct ServerConfiguration: Sendable {
    public var listen: ListenAddress
    /// PEM certificate chain and private key for HTTPS; nil for plain HTTP.
    public var tls: (certificate: String, key: String)?
    /// Plain HTTP on an address other machines reach (behind a TLS-terminating proxy).
    public var insecureHTTP = false
    /// The largest request body read (a bundle).
    public var maxBodyBytes = 128 << 20
    /// How far a request's timestamp may be from the server's clock.
    public var maxClockSkewMillis: Int64 = 300_000
    /// Uploads received or waiting at once; one more is answered 503 at once.
    public var maxUploads = 64
    /// Uploads verified and decoded at the same time (the others wait their turn); what is
    /// ready is written together (``GroupWriter``).
    public var maxMerges = 2
    /// Whether `/metrics` answers requests from other machines (by default only from loopback,
    /// where a local Prometheus or the reverse proxy asks).
    public var publicMetrics = false

    public init(listen: ListenAddress) { self.listen = listen }

    /// Why the server must not start with this configuration, or nil.
    public var problem: String? {
        if tls == nil, !insecureHTTP, !listen.isLoopback {
            return "refusing plain HTTP on \(listen), which other machines can reach: devices' data and signatures would "
                + "cross the network unencrypted. Give --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS reverse "
                + "proxy (docs/server.md), or pass --insecure-http if the network is private and you accept that."
        }
        if !(1...(1 << 30)).contains(maxBodyBytes) { return "the largest request body must be between 1 byte and 1 GiB" }
        if !(1...10_000).contains(maxUploads) || !(1...64).contains(maxMerges) || maxMerges > maxUploads {
            return "at most 1-10000 uploads at once, of which 1-64 merging"
        }
        return nil
    }
}
