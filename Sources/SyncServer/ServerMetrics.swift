import Foundation

/// The server's counters, rendered in the Prometheus text exposition format (`GET /metrics`):
/// requests by route and status, bundles by result, events merged, refusals by reason, and the
/// time spent merging.
final class ServerMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [Key: Int] = [:]
    private var bundles: [String: Int] = [:]
    private var rejections: [String: Int] = [:]
    private var eventsMerged = 0
    private var mergeSeconds = 0.0
    private var merges = 0
    private var packages = 0

    private struct Key: Hashable, Comparable {
        var route: String, status: Int
        static func < (a: Key, b: Key) -> Bool { (a.route, a.status) < (b.route, b.status) }
    }

    func request(route: String, status: Int) {
        locked { requests[Key(route: route, status: status), default: 0] += 1 }
    }

    /// An upload's result: `merged`, `already-merged`, `rejected` or `not-stored`.
    func bundle(_ result: String, newEvents: Int, seconds: Double) {
        locked {
            bundles[result, default: 0] += 1
            eventsMerged += newEvents
            mergeSeconds += seconds
            merges += 1
        }
    }

    /// A package sent to a device.
    func package() {
        locked { packages += 1 }
    }

    /// A refused request or bundle, by reason (`forged`, `replayed`, `bundle`, …).
    func rejection(_ reason: String) {
        locked { rejections[reason, default: 0] += 1 }
    }

    /// The exposition text.
    func text() -> String {
        locked {
            var lines: [String] = []
            func family(_ name: String, _ type: String, _ help: String) {
                lines.append("# HELP \(name) \(help)")
                lines.append("# TYPE \(name) \(type)")
            }
            family("terep_http_requests_total", "counter", "HTTP requests by route and status.")
            for (key, count) in requests.sorted(by: { $0.key < $1.key }) {
                lines.append("terep_http_requests_total{route=\"\(Self.label(key.route))\",status=\"\(key.status)\"} \(count)")
            }
            family("terep_bundles_total", "counter", "Bundle uploads by result (merged, already-merged, rejected, not-stored).")
            for result in ["merged", "already-merged", "rejected", "not-stored"] {
                lines.append("terep_bundles_total{result=\"\(result)\"} \(bundles[result] ?? 0)")
            }
            family("terep_events_merged_total", "counter", "Events new to the central dataset.")
            lines.append("terep_events_merged_total \(eventsMerged)")
            family("terep_packages_total", "counter", "Packages sent to devices.")
            lines.append("terep_packages_total \(packages)")
            family("terep_rejections_total", "counter", "Refused requests and bundles by reason.")
            for (reason, count) in rejections.sorted(by: { $0.key < $1.key }) {
                lines.append("terep_rejections_total{reason=\"\(Self.label(reason))\"} \(count)")
            }
            family("terep_merge_seconds", "summary", "Time spent verifying and merging uploaded bundles.")
            lines.append("terep_merge_seconds_sum \(mergeSeconds)")
            lines.append("terep_merge_seconds_count \(merges)")
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// A label value escaped as the format requires (backslash, quote, newline).
    static func label(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
