import Foundation

/// Lets disjoint parts of one output buffer be filled from `DispatchQueue.concurrentPerform`.
/// Callers guarantee that no two workers touch the same element.
struct DisjointWrites<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
