import Foundation

/// Layer normalisation over the last axis, fused, with gradients for input, weight and bias.
extension Tensor {
    /// (x − mean) / sqrt(var + eps) · weight + bias over the last axis (weight/bias optional).
    public func layerNorm(weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5) -> Tensor {
        let n = shape[rank - 1]
        if let weight { precondition(weight.shape == [n], "layerNorm: weight \(weight.shape) for last axis \(n)") }
        if let bias { precondition(bias.shape == [n], "layerNorm: bias \(bias.shape) for last axis \(n)") }
        let source = contiguous()
        let rows = count / Swift.max(n, 1)
        let w = weight?.contiguous()
        let b = bias?.contiguous()
        // Normalised values and 1/σ per row are kept for the backward pass.
        let normalized = Tensor.zeros(shape)
        let inverseStd = Tensor.zeros([rows])
        let out = withExtendedLifetime((source, w, b)) {
            let p = source.basePointer
            let pn = normalized.basePointer
            let ps = inverseStd.basePointer
            let pw = w?.basePointer
            let pb = b?.basePointer
            return Tensor(shape: shape) { o, _ in
                Parallel.forRows(rows, rowLength: n) { range in
                    for row in range {
                        let x = p + row * n, y = o + row * n, xh = pn + row * n
                        let mean = FastMath.sum(x, n) / Float(n)
                        for i in 0..<n { xh[i] = x[i] - mean }
                        let variance = FastMath.dot(xh, xh, n) / Float(n)
                        let inv = 1 / sqrtf(variance + epsilon)
                        ps[row] = inv
                        for i in 0..<n { xh[i] *= inv }
                        switch (pw, pb) {
                        case let (w?, b?): for i in 0..<n { y[i] = xh[i] * w[i] + b[i] }
                        case let (w?, nil): for i in 0..<n { y[i] = xh[i] * w[i] }
                        case let (nil, b?): for i in 0..<n { y[i] = xh[i] + b[i] }
                        case (nil, nil): y.update(from: xh, count: n)
                        }
                    }
                }
            }
        }
        var inputs = [source]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        return Tensor.record("layerNorm", out, inputs: inputs) { g in
            let gc = g.contiguous()
            let dx = Tensor.zeros(self.shape)
            withExtendedLifetime((gc, w)) {
                let pg = gc.basePointer, pn = normalized.basePointer, ps = inverseStd.basePointer
                let pw = w?.basePointer, pd = dx.basePointer
                Parallel.forRows(rows, rowLength: n) { range in
                    for row in range {
                        let gr = pg + row * n, xh = pn + row * n, d = pd + row * n
                        // dx = (1/σ)·(ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂)) with ĝ = g⊙weight
                        // ĝ is staged in d, then overwritten with dx.
                        if let pw { for i in 0..<n { d[i] = gr[i] * pw[i] } } else { d.update(from: gr, count: n) }
                        let meanG = FastMath.sum(d, n) / Float(n)
                        let meanGX = FastMath.dot(d, xh, n) / Float(n)
                        let inv = ps[row]
                        for i in 0..<n { d[i] = inv * (d[i] - meanG - xh[i] * meanGX) }
                    }
                }
            }
            var grads: [Tensor?] = [source.requiresGrad ? dx : nil]
            let g2 = gc.reshaped([rows, n])
            if weight != nil { grads.append((g2 * normalized.reshaped([rows, n])).sum(axis: 0)) }
            if bias != nil { grads.append(g2.sum(axis: 0)) }
            return grads
        }
    }
}
