import Foundation

/// Reference-counted Float32 buffer shared by a tensor and all of its views.
///
/// Memory is either owned (64-byte aligned, returned to `BufferCache` on deinit) or borrowed from an owner such as a
/// memory-mapped file, which is kept alive for as long as the storage lives.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let owner: AnyObject?
    private let ownsMemory: Bool

    /// Uninitialised storage of `count` floats.
    public init(count: Int) {
        precondition(count >= 0, "storage size must be non-negative, got \(count)")
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let raw = BufferCache.allocate(bytes: bytes)
        self.pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
        self.owner = nil
        self.ownsMemory = true
    }

    /// Storage filled with `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(count: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// Storage that borrows memory kept alive by `owner` (for example an mmapped file).
    public init(borrowing pointer: UnsafeMutablePointer<Float>, count: Int, owner: AnyObject) {
        self.pointer = pointer
        self.count = count
        self.owner = owner
        self.ownsMemory = false
    }

    deinit {
        if ownsMemory { BufferCache.release(UnsafeMutableRawPointer(pointer), bytes: max(count, 1) * MemoryLayout<Float>.stride) }
    }
}
