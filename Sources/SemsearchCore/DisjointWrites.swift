import Foundation

/// Lets disjoint parts of one output buffer be filled from `DispatchQueue.concurrentPerform`.
/// Callers guarantee that no two workers touch the same element.
public struct DisjointWrites<Element>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Element>

    public init(base: UnsafeMutablePointer<Element>) { self.base = base }
}
