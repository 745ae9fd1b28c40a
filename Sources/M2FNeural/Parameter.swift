import M2FEngine

/// A learnable tensor: a leaf of the autograd tape whose storage optimisers update in place.
///
/// The value is always contiguous and owns its storage, so optimisers and loading can write through
/// `value.storage.pointer` without touching any other tensor. Modules hold parameters as stored
/// properties and list them by checkpoint key in `Module.ownParameters`.
public final class Parameter {
    /// The current values (a leaf that requires gradients). Change them with `assign(_:)` or an optimiser.
    public private(set) var value: Tensor

    /// A new parameter holding a copy of `tensor`'s values (so its storage is its own and writable, even
    /// when `tensor` is a view or borrows a memory-mapped file).
    public convenience init(_ tensor: Tensor) {
        self.init(owning: Parameter.copy(of: tensor))
    }

    /// Adopts a freshly made contiguous tensor whose storage nothing else holds (layer initialisers).
    init(owning tensor: Tensor) {
        precondition(tensor.offset == 0 && tensor.isContiguous && tensor.storage.count == tensor.count,
                     "a parameter must own contiguous storage")
        value = tensor.detached().requiringGrad()
    }

    /// The parameter's shape.
    public var shape: [Int] { value.shape }

    /// Number of scalars.
    public var count: Int { value.count }

    /// The gradient accumulated by the last `backward()` (nil when none reached this parameter).
    public var grad: Tensor? { value.grad }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { value.zeroGrad() }

    /// Replaces the accumulated gradient with a copy of `gradient` (nil clears it), so the stored
    /// gradient never shares storage with a tensor the caller keeps.
    public func setGradient(_ gradient: Tensor?) {
        if let gradient { precondition(gradient.shape == shape, "gradient \(gradient.shape) for parameter \(shape)") }
        value.setGrad(gradient.map { copy in withoutGrad { copy.affine(scale: 1, shift: 0) } })
    }

    /// Copies `tensor`'s values into this parameter's storage, in place (same shape required).
    public func assign(_ tensor: Tensor) {
        precondition(tensor.shape == shape, "assigning \(tensor.shape) to parameter \(shape)")
        let source = withoutGrad { tensor.contiguous() }
        withExtendedLifetime(source) {
            value.basePointer.update(from: source.basePointer, count: count)
        }
    }

    /// A detached, contiguous copy of the current values (a snapshot that later updates do not change).
    public func snapshot() -> Tensor { Parameter.copy(of: value) }

    /// A detached contiguous copy in fresh storage.
    static func copy(of tensor: Tensor) -> Tensor {
        let source = withoutGrad { tensor.detached().contiguous() }
        return withExtendedLifetime(source) {
            Tensor(shape: tensor.shape) { out, count in out.update(from: source.basePointer, count: count) }
        }
    }
}
