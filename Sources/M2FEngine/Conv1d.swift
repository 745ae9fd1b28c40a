/// 1-D convolution over [B, Cin, T] (PyTorch's channels-first layout) by im2col + GEMM.
extension Tensor {
    /// Convolves with `weight` [Cout, Cin, K] (+ `bias` [Cout]); output [B, Cout, Tout] with
    /// Tout = (T + 2·padding − K) / stride + 1.
    public func conv1d(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
        precondition(rank == 3 && weight.rank == 3, "conv1d: input \(shape) must be [B, Cin, T], weight \(weight.shape) [Cout, Cin, K]")
        let (batch, inChannels, length) = (shape[0], shape[1], shape[2])
        let (outChannels, kernelSize) = (weight.shape[0], weight.shape[2])
        precondition(weight.shape[1] == inChannels, "conv1d: input has \(inChannels) channels, weight \(weight.shape) expects \(weight.shape[1])")
        precondition(stride >= 1 && padding >= 0)
        let outLength = (length + 2 * padding - kernelSize) / stride + 1
        precondition(outLength > 0, "conv1d: input length \(length) too short for kernel \(kernelSize)")
        let rowsPerItem = inChannels * kernelSize

        let source = contiguous()
        let w = weight.contiguous()
        // columns[b] is [Cin·K, Tout]: columns[b][c·K + k][t] = x[b][c][t·stride + k − padding].
        let columns = Tensor.zeros([batch, rowsPerItem, outLength])
        withExtendedLifetime(source) {
            let px = source.basePointer, pc = columns.basePointer
            Parallel.forRanges(batch * inChannels) { range in
                for bc in range {
                    let x = px + bc * length
                    for k in 0..<kernelSize {
                        let row = pc + (bc * kernelSize + k) * outLength
                        for t in 0..<outLength {
                            let position = t * stride + k - padding
                            if position >= 0 && position < length { row[t] = x[position] }
                        }
                    }
                }
            }
        }
        let w2 = w.reshaped([outChannels, rowsPerItem])
        var out = w2.matmul(columns).detached()  // [B, Cout, Tout] via broadcasting batch
        if let bias {
            precondition(bias.shape == [outChannels], "conv1d: bias \(bias.shape) for \(outChannels) channels")
            out = out + bias.detached().reshaped([outChannels, 1])
        }
        var inputs = [source, weight]
        if let bias { inputs.append(bias) }
        let inputShape = shape
        return Tensor.record("conv1d", out, inputs: inputs) { g in
            let gc = g.contiguous()
            var gradients: [Tensor?] = []
            if source.requiresGrad {
                let gradColumns = w2.detached().transposed(0, 1).matmul(gc).contiguous()  // [B, Cin·K, Tout]
                let dx = Tensor.zeros(inputShape)
                withExtendedLifetime(gradColumns) {
                    let pd = dx.basePointer, pc = gradColumns.basePointer
                    Parallel.forRanges(batch * inChannels) { range in
                        for bc in range {
                            let x = pd + bc * length
                            for k in 0..<kernelSize {
                                let row = pc + (bc * kernelSize + k) * outLength
                                for t in 0..<outLength {
                                    let position = t * stride + k - padding
                                    if position >= 0 && position < length { x[position] += row[t] }
                                }
                            }
                        }
                    }
                }
                gradients.append(dx)
            } else {
                gradients.append(nil)
            }
            // dW = Σ_b g[b] · columns[b]ᵀ
            gradients.append(weight.requiresGrad
                ? gc.matmul(columns.transposed(1, 2)).sum(axis: 0).reshaped(weight.shape) : nil)
            if bias != nil { gradients.append(gc.sum(axis: 2).sum(axis: 0)) }
            return gradients
        }
    }
}
