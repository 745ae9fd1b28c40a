/// An n-dimensional Float32 array: shape + strides + offset into shared storage, so views are free.
///
/// Tensors are values; the storage is shared by reference. A tensor that takes part in autograd carries
/// a `GradNode` recording how it was made (see `Autograd.swift`).
public struct Tensor: @unchecked Sendable {
    public let shape: [Int]
    public let strides: [Int]
    public let offset: Int
    public let storage: TensorStorage
    /// Autograd record: nil for constants and for everything made while recording is off.
    public internal(set) var node: GradNode?

    /// A view of `storage`.
    public init(storage: TensorStorage, shape: [Int], strides: [Int]? = nil, offset: Int = 0) {
        self.storage = storage
        self.shape = shape
        self.strides = strides ?? Shape.contiguousStrides(shape)
        self.offset = offset
        self.node = nil
    }

    /// A fresh contiguous tensor; `fill` writes its values.
    @inlinable
    public init(shape: [Int], fill: (UnsafeMutablePointer<Float>, Int) -> Void) {
        let count = shape.reduce(1, *)
        let storage = TensorStorage(count: count)
        fill(storage.pointer, count)
        self.init(storage: storage, shape: shape)
    }

    /// A tensor holding `data` in row-major order. The count must match (a programmer error otherwise);
    /// use `init(validating:shape:)` for data from outside.
    public init(_ data: [Float], shape: [Int]) {
        precondition(data.count == shape.reduce(1, *), "shape \(shape) needs \(shape.reduce(1, *)) values, got \(data.count)")
        self.init(shape: shape) { pointer, count in
            data.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
        }
    }

    /// Like `init(_:shape:)` but throws `EngineError.elementCountMismatch` for a wrong count.
    public init(validating data: [Float], shape: [Int]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), data.count == shape.reduce(1, *) else {
            throw EngineError.elementCountMismatch(shape: shape, count: data.count)
        }
        self.init(data, shape: shape)
    }

    /// A scalar (rank-0) tensor.
    public init(scalar: Float) { self.init([scalar], shape: []) }

    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, 0) }
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, 1) }
    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        Tensor(shape: shape) { $0.initialize(repeating: value, count: $1) }
    }

    /// 0, 1, …, count − 1 as a 1-D tensor.
    public static func arange(_ count: Int) -> Tensor {
        Tensor(shape: [count]) { p, n in for i in 0..<n { p[i] = Float(i) } }
    }

    public var rank: Int { shape.count }
    public var count: Int { shape.reduce(1, *) }

    /// True when the elements are laid out row-major without gaps, starting at `offset`.
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// Pointer to the first element (valid only while `self` is alive).
    @inlinable
    public var basePointer: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// Size of `axis` (negative counts from the end).
    public func size(_ axis: Int) -> Int { shape[Shape.normalize(axis: axis, rank: rank)] }

    /// The values in row-major order.
    public func toArray() -> [Float] {
        let c = contiguous()
        return Array(UnsafeBufferPointer(start: c.basePointer, count: c.count))
    }

    /// The value of a one-element tensor.
    public func item() -> Float {
        precondition(count == 1, "item() needs a single element, shape is \(shape)")
        return contiguous().basePointer.pointee
    }

    /// Element at a multi-index (slow: for tests and debugging).
    public subscript(_ index: Int...) -> Float {
        precondition(index.count == rank, "index \(index) for shape \(shape)")
        var position = offset
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(index) out of range for shape \(shape)")
            position += i * strides[axis]
        }
        return storage.pointer[position]
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values = count <= 16 ? toArray().map { "\($0)" }.joined(separator: ", ") : "\(count) values"
        return "Tensor(shape: \(shape), [\(values)])"
    }
}
